#include "verbs.h"

#include <iostream>

#include <google/protobuf/timestamp.pb.h>

#include "control/daemon.pb.h"
#include "control/envelope.pb.h"
#include "crm_format.h"
#include "exit_codes.h"
#include "session.h"
#include "table.h"

namespace wacrm::ctl {

namespace po = boost::program_options;
using namespace wacrm::control;

namespace {

std::string duration(std::int64_t seconds) {
  std::string out;
  const std::pair<std::int64_t, const char*> units[] = {{86400, "d"}, {3600, "h"}, {60, "m"}};
  for (auto [size, name] : units) {
    if (seconds >= size || !out.empty()) {
      out += std::to_string(seconds / size) + name + " ";
      seconds %= size;
    }
  }
  return out + std::to_string(seconds) + "s";
}

std::string link_state(LinkState state) {
  switch (state) {
    case LINK_STATE_UNLINKED: return "unlinked";
    case LINK_STATE_LINKED: return "linked";
    case LINK_STATE_LOGGED_OUT: return "logged out";
    default: return "unknown";
  }
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

void print_accounts(std::ostream& out, const google::protobuf::RepeatedPtrField<Account>& accounts,
                    bool with_connected) {
  if (accounts.empty()) {
    out << "No accounts. Add one with: wacrmctl account add NAME\n";
    return;
  }
  std::vector<std::string> headers{"NAME", "STATE", "JID", "PUSH NAME", "CREATED", "LINKED"};
  if (with_connected) headers.push_back("SESSION");
  Table table(headers);
  for (const auto& a : accounts) {
    std::vector<std::string> row{a.name(), link_state(a.link_state()), or_dash(a.jid()), or_dash(a.push_name()),
                                 crm_format::when(a.created_at()), crm_format::when(a.linked_at())};
    if (with_connected) row.push_back(!a.session().empty() ? a.session() : a.connected() ? "connected" : "-");
    table.add_row(std::move(row));
  }
  table.print(out);
}

int run_status(Invocation& inv) {
  StatusResponse status;
  if (int code = inv.session.call("status", StatusRequest{}, status); code != kExitOk) return code;
  if (inv.session.json()) {
    inv.session.print_json(status);
    return kExitOk;
  }
  auto& out = inv.session.out();
  const auto& db = status.database();
  out << "wacrmd " << status.version() << ", pid " << status.pid() << ", up " << duration(status.uptime_seconds())
      << "\n";
  out << "Database: " << (db.mode() == DatabaseStatus::MODE_EMBEDDED ? "embedded" : "external") << ", ";
  if (db.reachable())
    out << "reachable, PostgreSQL " << db.server_version() << ", schema version " << db.schema_version() << "\n";
  else
    out << "UNREACHABLE\n";
  out << "\n";
  print_accounts(out, status.accounts(), true);
  return kExitOk;
}

int run_account_add(Invocation& inv) {
  AccountAddRequest request;
  request.set_name(inv.args[0]);
  AccountAddResponse added;
  if (int code = inv.session.call("account.add", request, added); code != kExitOk) return code;
  if (inv.session.json())
    inv.session.print_json(added);
  else
    inv.session.out() << "Added account '" << added.account().name() << "'.\n";
  return kExitOk;
}

int run_account_list(Invocation& inv) {
  AccountListResponse list;
  if (int code = inv.session.call("account.list", AccountListRequest{}, list); code != kExitOk) return code;
  if (inv.session.json())
    inv.session.print_json(list);
  else
    print_accounts(inv.session.out(), list.accounts(), false);
  return kExitOk;
}

void account_remove_options(po::options_description& desc) {
  desc.add_options()("yes,y", "do not ask; remove the account and all its data");
}

bool confirm(const std::string& question) {
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

int run_account_remove(Invocation& inv) {
  AccountRemoveRequest request;
  request.set_name(inv.args[0]);
  request.set_confirm(inv.options.count("yes") > 0);
  Response answer;
  if (int code = inv.session.exchange("account.remove", request, answer); code != kExitOk) return code;
  // Without --yes the daemon says what would be deleted; on a terminal, ask.
  if (answer.status() == STATUS_FAILED_PRECONDITION && !request.confirm() && inv.interactive && !inv.session.json()) {
    if (!confirm(answer.error() + ".\nRemove account '" + request.name() + "'?")) {
      inv.session.err() << "Not removed.\n";
      return kExitFailed;
    }
    request.set_confirm(true);
    if (int code = inv.session.exchange("account.remove", request, answer); code != kExitOk) return code;
  }
  if (answer.status() != STATUS_OK) return inv.session.report(answer);
  AccountRemoveResponse removed;
  removed.ParseFromString(answer.payload());
  if (inv.session.json())
    inv.session.print_json(removed);
  else
    inv.session.out() << "Removed account '" << removed.name() << "' (" << removed.messages_deleted()
                      << " messages, " << removed.contacts_deleted() << " contacts).\n";
  return kExitOk;
}

int run_help(Invocation& inv) {
  HelpResponse help;
  if (int code = inv.session.call("help", HelpRequest{}, help); code != kExitOk) return code;
  if (inv.session.json()) {
    inv.session.print_json(help);
    return kExitOk;
  }
  Table table({"METHOD", "ADMIN", "DESCRIPTION"});
  for (const auto& m : help.methods()) table.add_row({m.name(), m.needs_admin() ? "yes" : "no", m.help()});
  table.print(inv.session.out());
  return kExitOk;
}

const std::vector<Verb> kVerbs = {
    {{"status"}, "", 0, 0, "show the daemon's version, uptime, database and accounts",
     "Shows wacrmd's version and uptime, whether its database (embedded or external) is reachable\n"
     "and at which schema version, and every account with its WhatsApp link state.",
     nullptr, run_status},
    {{"account", "add"}, "NAME", 1, 1, "add an account (a person who will link a WhatsApp number)",
     "NAME: 1-64 characters, letters, digits, '_', '.', '-', starting with a letter or digit.", nullptr,
     run_account_add},
    {{"account", "list"}, "", 0, 0, "list accounts and their link state", "", nullptr, run_account_list},
    {{"account", "remove"}, "NAME", 1, 1, "remove an account and everything stored for it",
     "Deletes the account, its linked-device keys, contacts, chats and messages. Asks for\n"
     "confirmation on a terminal; elsewhere --yes is required.",
     account_remove_options, run_account_remove},
    {{"help"}, "", 0, 0, "list the methods the running daemon serves", "", nullptr, run_help},
};

}  // namespace

std::span<const Verb> verbs() {
  static const std::vector<Verb> all = [] {
    std::vector<Verb> v(kVerbs);
    for (auto table : {crm_conversation_verbs(), crm_contact_verbs(), crm_remind_verbs(), login_verbs()})
      v.insert(v.end(), table.begin(), table.end());
    v.insert(v.end(), message_verbs().begin(), message_verbs().end());
    v.insert(v.end(), event_verbs().begin(), event_verbs().end());
    return v;
  }();
  return all;
}

}  // namespace wacrm::ctl
