// wacrmctl messages, chats, contacts: what the daemon received and stored
// (message.list, chat.list, contact.list of proto/control/messages.proto).
#include <algorithm>
#include <charconv>
#include <cctype>
#include <ctime>

#include <google/protobuf/timestamp.pb.h>

#include "control/messages.pb.h"
#include "crm_format.h"
#include "exit_codes.h"
#include "session.h"
#include "table.h"
#include "verbs.h"

namespace wacrm::ctl {

namespace po = boost::program_options;
using namespace wacrm::control;

namespace {

std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return text;
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

// How one stored message reads in a listing.
std::string describe(const StoredMessage& m) {
  const std::string& kind = m.kind();
  std::string text = one_line(m.body());
  std::string out;
  if (!m.quoted_wa_id().empty()) out += "(reply to " + m.quoted_wa_id() + ") ";
  if (kind == "text") {
    out += text;
  } else if (kind == "reaction") {
    out += text.empty() ? "[reaction removed from " + m.target_wa_id() + "]"
                        : "[reacted " + text + " to " + m.target_wa_id() + "]";
  } else if (kind == "edit") {
    out += "[edited " + m.target_wa_id() + "] " + text;
  } else if (kind == "revoke") {
    out += "[deleted " + m.target_wa_id() + " for everyone]";
  } else if (kind == "placeholder") {
    out += "[could not be read: " + m.decrypt_error() + "]";
  } else if (kind == "system") {
    out += "[" + text + "]";
  } else {
    out += "[" + kind + "]";
    if (!m.file_name().empty()) out += " " + m.file_name();
    if (!text.empty()) out += " " + text;
  }
  if (m.has_edited_at() && kind != "edit") out += " (edited)";
  if (m.has_deleted_at()) out += " (deleted)";
  return out;
}

std::string author(const StoredMessage& m) {
  if (m.from_me()) return m.status().empty() ? "me" : "me (" + m.status() + ")";
  return m.sender_name().empty() ? m.sender_jid() : m.sender_name();
}

// --before: Unix seconds, or a local date and time.
bool parse_before(const std::string& text, google::protobuf::Timestamp& out) {
  if (!text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    // from_chars, not stoll: a number too large for 64 bits is a usage error,
    // not an exception out of wacrmctl.
    std::int64_t seconds = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc() || end != text.data() + text.size()) return false;
    out.set_seconds(seconds);
    return true;
  }
  for (const char* format : {"%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"}) {
    std::tm tm{};
    const char* end = ::strptime(text.c_str(), format, &tm);
    if (end == nullptr || *end != '\0') continue;
    tm.tm_isdst = -1;
    std::time_t t = std::mktime(&tm);
    if (t == -1) return false;
    out.set_seconds(t);
    return true;
  }
  return false;
}

void messages_options(po::options_description& d) {
  crm_format::add_account_option(d);
  d.add_options()("chat", po::value<std::string>()->value_name("JID"), "only this chat (a phone, LID or group JID)")(
      "contact", po::value<std::string>()->value_name("NAME"), "only this person's chats (a name, JID or phone number)")(
      "limit", po::value<int>()->value_name("N"), "at most N messages (default 50, at most 1000)")(
      "before", po::value<std::string>()->value_name("TS"),
      "only messages sent before TS: Unix seconds or a local 'YYYY-MM-DD[ HH:MM[:SS]]'");
}

int run_messages(Invocation& inv) {
  MessageListRequest req;
  std::string account;
  if (!crm_format::account_or_argument(inv, account)) return kExitUsage;
  req.set_account(account);
  if (inv.options.count("chat")) req.set_chat(inv.options["chat"].as<std::string>());
  if (inv.options.count("contact")) req.set_contact(inv.options["contact"].as<std::string>());
  if (inv.options.count("limit")) req.set_limit(inv.options["limit"].as<int>());
  if (inv.options.count("before") && !parse_before(inv.options["before"].as<std::string>(), *req.mutable_before())) {
    inv.session.err() << "wacrmctl messages: --before '" << inv.options["before"].as<std::string>()
                      << "' is neither Unix seconds nor 'YYYY-MM-DD[ HH:MM[:SS]]'\n";
    return kExitUsage;
  }
  MessageListResponse res;
  int code = kExitOk;
  if (!crm_format::call_for_text(inv, "message.list", req, res, code)) return code;
  auto& out = inv.session.out();
  if (!res.title().empty()) out << res.title() << "\n\n";
  if (res.messages().empty()) {
    out << "No messages.\n";
    return kExitOk;
  }
  const bool every_chat = req.chat().empty() && req.contact().empty();
  std::vector<std::string> headers{"SENT"};
  if (every_chat) headers.push_back("CHAT");
  headers.insert(headers.end(), {"FROM", "ID", "MESSAGE"});
  Table table(headers);
  for (const auto& m : res.messages()) {
    std::vector<std::string> row{crm_format::when(m.sent_at())};
    if (every_chat) row.push_back(m.chat_jid());
    row.insert(row.end(), {author(m), m.wa_id(), describe(m)});
    table.add_row(std::move(row));
  }
  table.print(out);
  const int limit = req.limit() == 0 ? 50 : req.limit();
  if (res.messages_size() >= limit)
    out << "\nOlder messages: add --before " << res.messages(0).sent_at().seconds() << "\n";
  return kExitOk;
}

int run_chats(Invocation& inv) {
  ChatListRequest req;
  std::string account;
  if (!crm_format::account_or_argument(inv, account)) return kExitUsage;
  req.set_account(account);
  ChatListResponse res;
  int code = kExitOk;
  if (!crm_format::call_for_text(inv, "chat.list", req, res, code)) return code;
  if (res.chats().empty()) {
    inv.session.out() << "No chats yet.\n";
    return kExitOk;
  }
  Table table({"LAST MESSAGE", "NAME", "TYPE", "MESSAGES", "JID"});
  for (const auto& c : res.chats())
    table.add_row({crm_format::when(c.last_message_at()), c.name(), c.is_group() ? "group" : "person",
                   std::to_string(c.messages()), c.jid()});
  table.print(inv.session.out());
  return kExitOk;
}

int run_contacts(Invocation& inv) {
  ContactListRequest req;
  std::string account;
  if (!crm_format::account_or_argument(inv, account)) return kExitUsage;
  req.set_account(account);
  ContactListResponse res;
  int code = kExitOk;
  if (!crm_format::call_for_text(inv, "contact.list", req, res, code)) return code;
  if (res.contacts().empty()) {
    inv.session.out() << "No contacts yet.\n";
    return kExitOk;
  }
  Table table({"NAME", "PHONE", "LID", "LAST FROM THEM", "LAST FROM ME"});
  for (const auto& c : res.contacts())
    table.add_row({c.name() + (c.merged_rows() > 0 ? " (+" + std::to_string(c.merged_rows()) + " merged)" : ""),
                   c.phone().empty() ? "-" : "+" + c.phone(), or_dash(c.lid()), crm_format::when(c.last_inbound_at()),
                   crm_format::when(c.last_outbound_at())});
  table.print(inv.session.out());
  return kExitOk;
}

const std::vector<Verb> kMessageVerbs = {
    {{"messages"}, "[ACCOUNT]", 0, 1, "list an account's stored messages, newest page, oldest first",
     "Shows the newest messages (50 unless --limit), all chats or one chat (--chat JID) or one\n"
     "person's chats (--contact NAME, a name, JID or phone number). --before pages back in time.\n"
     "Undecryptable messages show as placeholders until the sender's retry arrives.\n"
     "The account: --account NAME (or the older positional ACCOUNT); either may be left out\n"
     "when wacrmd serves only one.",
     messages_options, run_messages},
    {{"chats"}, "[ACCOUNT]", 0, 1, "list an account's chats, most recent first",
     "Every chat with a stored message or a known group subject, with its last message time.\n"
     "The account: --account NAME or ACCOUNT; optional with only one account.",
     crm_format::add_account_option, run_chats},
    {{"contacts"}, "[ACCOUNT]", 0, 1, "list the people an account's messages came from or went to",
     "One line per person: a phone number and a LID known to be the same person are one\n"
     "contact; rows merged into it are counted. The account: --account NAME or ACCOUNT;\n"
     "optional with only one account.",
     crm_format::add_account_option, run_contacts},
};

}  // namespace

std::span<const Verb> message_verbs() { return kMessageVerbs; }

}  // namespace wacrm::ctl
