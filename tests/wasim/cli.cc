#include "wasim/cli.h"

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <optional>

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/parsers.hpp>
#include <boost/program_options/variables_map.hpp>
#include <nlohmann/json.hpp>

#include "wasim/admin_client.h"

namespace wacrm::wasim {

namespace po = boost::program_options;
using Json = nlohmann::json;

namespace {

// What a subcommand turns its options into: one HTTP request.
struct Request {
  std::string method;
  std::string target;
  Json body;
  std::chrono::milliseconds timeout{30000};
};

struct Command {
  const char* name;
  const char* help;
  std::function<void(po::options_description&)> options;
  std::function<std::optional<Request>(const po::variables_map&)> build;
};

std::string opt(const po::variables_map& v, const char* key) { return v.count(key) ? v[key].as<std::string>() : ""; }

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"status", "show ports, root key, connections", [](auto&) {},
       [](const auto&) { return Request{"GET", "/v1/status", nullptr}; }},
      {"accounts", "list accounts and their companions", [](auto&) {},
       [](const auto&) { return Request{"GET", "/v1/accounts", nullptr}; }},
      {"create-account", "--phone N [--name NAME] [--lid L] [--business-name B]",
       [](po::options_description& d) {
         d.add_options()("phone", po::value<std::string>()->required(), "phone number (digits)")(
             "name", po::value<std::string>(), "push name")("lid", po::value<std::string>(), "LID user (digits)")(
             "business-name", po::value<std::string>(), "business name shown at pairing");
       },
       [](const po::variables_map& v) {
         Json body = {{"phone", opt(v, "phone")}, {"push_name", opt(v, "name")}, {"lid", opt(v, "lid")},
                      {"business_name", opt(v, "business-name")}};
         return Request{"POST", "/v1/accounts", body};
       }},
      {"scan", "--phone N --qr STRING [--timeout-ms 15000]",
       [](po::options_description& d) {
         d.add_options()("phone", po::value<std::string>()->required(), "the scanning phone's number")(
             "qr", po::value<std::string>()->required(), "the QR string the client shows")(
             "timeout-ms", po::value<int>()->default_value(15000), "how long to wait for the client");
       },
       [](const po::variables_map& v) {
         int timeout = v["timeout-ms"].as<int>();
         return Request{"POST", "/v1/scan", {{"phone", opt(v, "phone")}, {"qr", opt(v, "qr")}, {"timeout_ms", timeout}},
                        std::chrono::milliseconds(timeout + 5000)};
       }},
      {"enter-code", "--phone N --code XXXX-XXXX [--timeout-ms 15000]",
       [](po::options_description& d) {
         d.add_options()("phone", po::value<std::string>()->required(), "the phone's number")(
             "code", po::value<std::string>()->required(), "the pairing code the client shows")(
             "timeout-ms", po::value<int>()->default_value(15000), "how long to wait for the client");
       },
       [](const po::variables_map& v) {
         int timeout = v["timeout-ms"].as<int>();
         return Request{"POST", "/v1/enter-code",
                        {{"phone", opt(v, "phone")}, {"code", opt(v, "code")}, {"timeout_ms", timeout}},
                        std::chrono::milliseconds(timeout + 5000)};
       }},
      {"send", "--from N --to N (--text T | --message JSON) [--id ID] [--peer]",
       [](po::options_description& d) {
         d.add_options()("from", po::value<std::string>()->required(), "sending account")(
             "to", po::value<std::string>(), "receiving account")("text", po::value<std::string>(), "a text")(
             "message", po::value<std::string>(), "a Message in protobuf JSON")("id", po::value<std::string>(),
                                                                                 "message id")(
             "peer", po::bool_switch(), "a peer message to the sender's own devices");
       },
       [](const po::variables_map& v) -> std::optional<Request> {
         Json body = {{"from", opt(v, "from")}};
         if (v.count("to")) body["to"] = opt(v, "to");
         if (v.count("text")) body["text"] = opt(v, "text");
         if (v.count("message")) {
           body["message"] = Json::parse(opt(v, "message"), nullptr, false);
           if (body["message"].is_discarded()) {
             std::cerr << "wasim send: --message is not JSON\n";
             return std::nullopt;
           }
         }
         if (v.count("id")) body["id"] = opt(v, "id");
         if (v["peer"].as<bool>()) body["peer"] = true;
         return Request{"POST", "/v1/send", body};
       }},
      {"bulk-send", "--to N --count N [--people 50] [--rate R] [--window 1000] [--sender-lid] [--times-file F]",
       [](po::options_description& d) {
         d.add_options()("to", po::value<std::string>()->required(), "receiving account")(
             "count", po::value<int>()->required(), "messages to send")(
             "people", po::value<int>()->default_value(50), "simulated senders")(
             "rate", po::value<int>()->default_value(0), "messages per second (0: as fast as confirmed)")(
             "window", po::value<int>()->default_value(1000), "most messages unconfirmed at once")(
             "text-bytes", po::value<int>()->default_value(60), "length of each text")(
             "sender-lid", po::bool_switch(), "name each sender's LID too (sender_lid)")(
             "times-file", po::value<std::string>(), "write 'id,sent_us' lines here (wasim's path)");
       },
       [](const po::variables_map& v) {
         const int count = v["count"].as<int>(), rate = v["rate"].as<int>();
         Json body = {{"to", opt(v, "to")}, {"count", count}, {"people", v["people"].as<int>()},
                      {"rate", rate}, {"window", v["window"].as<int>()}, {"text_bytes", v["text-bytes"].as<int>()}};
         if (v.count("times-file")) body["times_file"] = opt(v, "times-file");
         if (v["sender-lid"].as<bool>()) body["sender_lid"] = true;
         // Paced: the run's own length; as fast as confirmed: at least 100/s.
         const auto seconds = count / std::max(rate > 0 ? rate : 100, 1) + 120;
         return Request{"POST", "/v1/bulk_send", body, std::chrono::seconds(seconds)};
       }},
      {"group-create", "--subject S --creator N [--participant N]... [--id ID]",
       [](po::options_description& d) {
         d.add_options()("subject", po::value<std::string>()->required(), "the group's name")(
             "creator", po::value<std::string>()->required(), "creating account (a member)")(
             "participant", po::value<std::vector<std::string>>()->composing(), "a member account")(
             "id", po::value<std::string>(), "group id (digits; default: a new one)");
       },
       [](const po::variables_map& v) {
         Json body = {{"subject", opt(v, "subject")}, {"creator", opt(v, "creator")},
                      {"participants", v.count("participant") ? v["participant"].as<std::vector<std::string>>()
                                                              : std::vector<std::string>{}}};
         if (v.count("id")) body["id"] = opt(v, "id");
         return Request{"POST", "/v1/groups", body};
       }},
      {"groups", "list the groups", [](auto&) {},
       [](const auto&) { return Request{"GET", "/v1/groups", nullptr}; }},
      {"corrupt-next", "--phone N [--times 1] (its next ciphertexts are damaged: the receiver asks for retries)",
       [](po::options_description& d) {
         d.add_options()("phone", po::value<std::string>()->required(), "the sending account")(
             "times", po::value<int>()->default_value(1), "how many ciphertexts, resends included");
       },
       [](const po::variables_map& v) {
         return Request{"POST", "/v1/corrupt-next", {{"phone", opt(v, "phone")}, {"times", v["times"].as<int>()}}};
       }},
      {"play", "--name CONVERSATION",
       [](po::options_description& d) { d.add_options()("name", po::value<std::string>()->required(), "conversation"); },
       [](const po::variables_map& v) {
         return Request{"POST", "/v1/conversations/" + url_encode(opt(v, "name")) + "/play", Json::object()};
       }},
      {"events", "[--after SEQ] [--type T,T] [--wait-ms MS] [--limit N] [--match key=value]...",
       [](po::options_description& d) {
         d.add_options()("after", po::value<std::string>(), "only events after this sequence number")(
             "type", po::value<std::string>(), "comma-separated event types")(
             "wait-ms", po::value<int>()->default_value(0), "long-poll up to this long for a matching event")(
             "limit", po::value<std::string>(), "at most this many events")(
             "match", po::value<std::vector<std::string>>()->composing(), "key=value an event's data must have");
       },
       [](const po::variables_map& v) {
         std::string target = "/v1/events?wait_ms=" + std::to_string(v["wait-ms"].as<int>());
         for (const char* key : {"after", "type", "limit"})
           if (v.count(key)) target += std::string("&") + key + "=" + url_encode(opt(v, key));
         if (v.count("match"))
           for (const auto& pair : v["match"].as<std::vector<std::string>>()) {
             auto eq = pair.find('=');
             target += "&" + url_encode(pair.substr(0, eq)) + "=" +
                       (eq == std::string::npos ? "" : url_encode(pair.substr(eq + 1)));
           }
         return Request{"GET", target, nullptr, std::chrono::milliseconds(v["wait-ms"].as<int>() + 10000)};
       }},
      {"drop", "(--jid DEVICE_JID | --connection ID) [--mode close|stream_end|stream_error] [--code C]",
       [](po::options_description& d) {
         d.add_options()("jid", po::value<std::string>(), "device JID")("connection", po::value<std::uint64_t>(),
                                                                         "connection id")(
             "mode", po::value<std::string>()->default_value("close"), "how to end it")(
             "code", po::value<int>()->default_value(503), "stream error code (mode stream_error)");
       },
       [](const po::variables_map& v) {
         Json body = {{"mode", opt(v, "mode")}, {"code", v["code"].as<int>()}};
         if (v.count("jid")) body["jid"] = opt(v, "jid");
         if (v.count("connection")) body["connection"] = v["connection"].as<std::uint64_t>();
         return Request{"POST", "/v1/drop", body};
       }},
      {"unlink", "--jid DEVICE_JID",
       [](po::options_description& d) { d.add_options()("jid", po::value<std::string>()->required(), "device JID"); },
       [](const po::variables_map& v) { return Request{"POST", "/v1/unlink", {{"jid", opt(v, "jid")}}}; }},
      {"silence", "--jid DEVICE_JID   (the connection stays open but answers nothing: keep-alive test)",
       [](po::options_description& d) { d.add_options()("jid", po::value<std::string>()->required(), "device JID"); },
       [](const po::variables_map& v) { return Request{"POST", "/v1/silence", {{"jid", opt(v, "jid")}}}; }},
      {"prekeys-low", "--jid DEVICE_JID [--count 2]",
       [](po::options_description& d) {
         d.add_options()("jid", po::value<std::string>()->required(), "device JID")(
             "count", po::value<int>()->default_value(2), "one-time pre-keys left on the server");
       },
       [](const po::variables_map& v) {
         return Request{"POST", "/v1/prekeys_low", {{"jid", opt(v, "jid")}, {"count", v["count"].as<int>()}}};
       }},
      {"fail-login", "--reason 402|403|406|… [--jid DEVICE_JID] [--code C] [--expire S] [--times N]",
       [](po::options_description& d) {
         d.add_options()("reason", po::value<int>()->required(), "the <failure reason>")(
             "jid", po::value<std::string>(), "only this device's next login (default: any)")(
             "code", po::value<int>(), "402: the ban's code")("expire", po::value<int>(), "402: seconds")(
             "times", po::value<int>()->default_value(1), "how many logins (-1: until cleared)");
       },
       [](const po::variables_map& v) {
         Json body = {{"reason", v["reason"].as<int>()}, {"times", v["times"].as<int>()}};
         if (v.count("jid")) body["jid"] = opt(v, "jid");
         if (v.count("code")) body["code"] = v["code"].as<int>();
         if (v.count("expire")) body["expire"] = v["expire"].as<int>();
         return Request{"POST", "/v1/fail_login", body};
       }},
      {"faults", "[--set JSON | --clear]",
       [](po::options_description& d) {
         d.add_options()("set", po::value<std::string>(), "faults to arm (JSON)")("clear", po::bool_switch(),
                                                                                  "disarm every fault");
       },
       [](const po::variables_map& v) -> std::optional<Request> {
         if (v["clear"].as<bool>()) return Request{"DELETE", "/v1/faults", nullptr};
         if (!v.count("set")) return Request{"GET", "/v1/faults", nullptr};
         Json body = Json::parse(opt(v, "set"), nullptr, false);
         if (body.is_discarded()) {
           std::cerr << "wasim faults: --set is not JSON\n";
           return std::nullopt;
         }
         return Request{"POST", "/v1/faults", body};
       }},
      {"shutdown", "stop wasim (it saves its state first)", [](auto&) {},
       [](const auto&) { return Request{"POST", "/v1/shutdown", Json::object()}; }},
  };
  return table;
}

const Command* find_command(const std::string& name) {
  for (const auto& command : commands())
    if (name == command.name) return &command;
  return nullptr;
}

}  // namespace

bool is_admin_command(const std::string& command) { return find_command(command) != nullptr; }

std::string admin_commands_help() {
  std::string out;
  for (const auto& command : commands())
    out += std::string("  wasim ") + command.name + " --admin URL " + command.help + "\n";
  return out;
}

int run_admin_command(const std::string& name, const std::vector<std::string>& args) {
  const Command& command = *find_command(name);
  po::options_description description(std::string("wasim ") + name);
  const char* env_admin = std::getenv("WASIM_ADMIN_URL");
  auto admin = po::value<std::string>();
  if (env_admin) admin->default_value(env_admin);
  else admin->required();
  description.add_options()("admin", admin, "admin URL (default: $WASIM_ADMIN_URL)")("help", "show this help");
  command.options(description);
  po::variables_map values;
  try {
    po::store(po::command_line_parser(args).options(description).run(), values);
    if (values.count("help")) {
      std::cout << description;
      return 0;
    }
    po::notify(values);
  } catch (const po::error& e) {
    std::cerr << "wasim " << name << ": " << e.what() << "\n";
    return 2;
  }
  auto request = command.build(values);
  if (!request) return 2;
  AdminClient client(values["admin"].as<std::string>());
  auto answer = client.call(request->method, request->target, request->body, request->timeout);
  if (!answer) {
    std::cerr << "wasim " << name << ": " << answer.error().to_string() << "\n";
    return 1;
  }
  std::cout << answer->body.dump() << "\n";
  return answer->ok() ? 0 : 1;
}

}  // namespace wacrm::wasim
