// wacrmctl pending, pending dismiss, attention, summary, search, export.
#include <unistd.h>

#include <fstream>

#include "control/crm.pb.h"
#include "crm_format.h"
#include "exit_codes.h"
#include "session.h"
#include "table.h"
#include "verbs.h"

namespace wacrm::ctl {

namespace po = boost::program_options;
using namespace wacrm::control;
namespace fmt = crm_format;

namespace {

using fmt::call_for_text;

int limit_of(const po::variables_map& vm) { return vm.count("limit") ? vm["limit"].as<int>() : 0; }

void pending_options(po::options_description& d) {
  fmt::add_account_option(d);
  d.add_options()("groups", "include group chats")("limit", po::value<int>()->value_name("N"), "at most N (default 100)");
}

int run_pending(Invocation& inv) {
  CrmPendingRequest req;
  req.set_account(fmt::account(inv.options));
  req.set_include_groups(inv.options.count("groups") > 0);
  req.set_limit(limit_of(inv.options));
  CrmPendingResponse res;
  int code;
  if (!call_for_text(inv, "crm.pending", req, res, code)) return code;
  if (res.items().empty()) {
    inv.session.out() << "Nothing is waiting for your reply.\n";
    return kExitOk;
  }
  Table table({"WAITING", "CONTACT", "UNANSWERED", "LAST MESSAGE"});
  for (const auto& p : res.items())
    table.add_row({fmt::span(p.waiting_seconds()), fmt::person(p.person()), std::to_string(p.unanswered()),
                   fmt::preview(p.last_message())});
  table.print(inv.session.out());
  return kExitOk;
}

int run_pending_dismiss(Invocation& inv) {
  CrmPendingDismissRequest req;
  req.set_account(fmt::account(inv.options));
  req.set_contact(inv.args[0]);
  CrmPendingDismissResponse res;
  int code;
  if (!call_for_text(inv, "crm.pending.dismiss", req, res, code)) return code;
  inv.session.out() << "Dismissed " << fmt::person(res.person()) << " until their next message.\n";
  return kExitOk;
}

void attention_options(po::options_description& d) {
  fmt::add_account_option(d);
  d.add_options()("limit", po::value<int>()->value_name("N"), "at most N (default 100)");
}

int run_attention(Invocation& inv) {
  CrmAttentionRequest req;
  req.set_account(fmt::account(inv.options));
  req.set_limit(limit_of(inv.options));
  CrmAttentionResponse res;
  int code;
  if (!call_for_text(inv, "crm.attention", req, res, code)) return code;
  if (res.items().empty()) {
    inv.session.out() << "Everyone is within their cadence.\n";
    return kExitOk;
  }
  Table table({"OVERDUE", "CONTACT", "CADENCE", "LAST CONTACT"});
  for (const auto& a : res.items())
    table.add_row({fmt::span(a.overdue_seconds()), fmt::person(a.person()),
                   std::to_string(a.cadence_days()) + "d" + (a.cadence_is_default() ? "" : " (own)"),
                   a.has_last_exchange() ? fmt::when(a.last_exchange()) : "never"});
  table.print(inv.session.out());
  return kExitOk;
}

void summary_options(po::options_description& d) {
  fmt::add_account_option(d);
  fmt::add_time_zone_option(d);
  d.add_options()("recent", po::value<int>()->value_name("N"), "recent conversations to show (default 10)");
}

int run_summary(Invocation& inv) {
  CrmSummaryRequest req;
  req.set_account(fmt::account(inv.options));
  req.set_time_zone(fmt::time_zone(inv.options));
  if (inv.options.count("recent")) req.set_recent(inv.options["recent"].as<int>());
  CrmSummaryResponse res;
  int code;
  if (!call_for_text(inv, "crm.summary", req, res, code)) return code;
  auto& out = inv.session.out();
  out << "Pending replies:  " << res.pending() << "\n"
      << "Needs attention:  " << res.attention() << "\n"
      << "Reminders due:    " << res.reminders_due() << "\n"
      << "Messages today:   " << res.messages_today() << "\n";
  if (!res.recent().empty()) {
    out << "\nRecent conversations:\n";
    Table table({"WHEN", "CONTACT", "LAST MESSAGE"});
    for (const auto& r : res.recent())
      table.add_row({fmt::when(r.last_message().sent_at()), fmt::person(r.person()), fmt::preview(r.last_message())});
    table.print(out);
  }
  return kExitOk;
}

void search_options(po::options_description& d) {
  fmt::add_account_option(d);
  fmt::add_time_zone_option(d);
  d.add_options()
      ("contact", po::value<std::string>()->value_name("NAME"), "only the conversation with NAME (and what they wrote in groups)")
      ("chat", po::value<std::string>()->value_name("CHAT"), "only this chat (a name or JID)")
      ("from", po::value<std::string>()->value_name("DATE"), "from this date or date-time on")
      ("to", po::value<std::string>()->value_name("DATE"), "up to this date (the whole day) or date-time")
      ("inbound", "only messages I received")
      ("outbound", "only messages I sent")
      ("limit", po::value<int>()->value_name("N"), "at most N hits (default 20, at most 200)")
      ("offset", po::value<int>()->value_name("N"), "skip the first N hits (paging)");
}

int run_search(Invocation& inv) {
  const auto& o = inv.options;
  CrmSearchRequest req;
  req.set_account(fmt::account(o));
  req.set_time_zone(fmt::time_zone(o));
  std::string query;
  for (const auto& word : inv.args) query += (query.empty() ? "" : " ") + word;
  req.set_query(query);
  if (o.count("contact")) req.set_contact(o["contact"].as<std::string>());
  if (o.count("chat")) req.set_chat(o["chat"].as<std::string>());
  if (o.count("from")) req.set_from(o["from"].as<std::string>());
  if (o.count("to")) req.set_to(o["to"].as<std::string>());
  if (o.count("inbound") && o.count("outbound")) {
    inv.session.err() << "wacrmctl search: --inbound and --outbound exclude each other\n";
    return kExitUsage;
  }
  if (o.count("inbound")) req.set_direction(CRM_DIRECTION_INBOUND);
  if (o.count("outbound")) req.set_direction(CRM_DIRECTION_OUTBOUND);
  req.set_limit(limit_of(o));
  if (o.count("offset")) req.set_offset(o["offset"].as<int>());
  CrmSearchResponse res;
  int code;
  if (!call_for_text(inv, "crm.search", req, res, code)) return code;
  auto& out = inv.session.out();
  if (res.hits().empty()) {
    out << "No messages match.\n";
    return kExitOk;
  }
  // Matched words in bold on a terminal.
  const bool bold = ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
  for (const auto& hit : res.hits()) {
    out << fmt::when(hit.sent_at()) << "  " << hit.chat_name() << "  " << hit.sender() << ": ";
    for (const auto& part : hit.snippet()) {
      std::string text = part.text();
      for (char& c : text)
        if (c == '\n' || c == '\r') c = ' ';
      if (part.match() && bold) out << "\033[1m" << text << "\033[0m";
      else out << text;
    }
    out << "\n";
  }
  return kExitOk;
}

void export_options(po::options_description& d) {
  fmt::add_account_option(d);
  fmt::add_time_zone_option(d);
  d.add_options()
      ("format,f", po::value<std::string>()->value_name("FORMAT")->default_value("txt"), "txt, json, csv or html")
      ("json-array", "json: one JSON array instead of one object per line")
      ("output,o", po::value<std::string>()->value_name("FILE"), "write to FILE instead of standard output");
}

int run_export(Invocation& inv) {
  const auto& o = inv.options;
  CrmExportRequest req;
  req.set_account(fmt::account(o));
  req.set_time_zone(fmt::time_zone(o));
  req.set_contact(inv.args[0]);
  const auto format = o["format"].as<std::string>();
  if (format == "txt") req.set_format(CRM_EXPORT_FORMAT_TXT);
  else if (format == "json") req.set_format(CRM_EXPORT_FORMAT_JSON);
  else if (format == "csv") req.set_format(CRM_EXPORT_FORMAT_CSV);
  else if (format == "html") req.set_format(CRM_EXPORT_FORMAT_HTML);
  else {
    inv.session.err() << "wacrmctl export: unknown format '" << format << "': use txt, json, csv or html\n";
    return kExitUsage;
  }
  req.set_json_array(o.count("json-array") > 0);
  if (inv.session.json() && !o.count("output")) {
    inv.session.err() << "wacrmctl export: with --json, give --output FILE (the JSON is the summary)\n";
    return kExitUsage;
  }
  std::ofstream file;
  std::ostream* out = &inv.session.out();
  if (o.count("output")) {
    file.open(o["output"].as<std::string>(), std::ios::binary | std::ios::trunc);
    if (!file) {
      inv.session.err() << "wacrmctl export: cannot write '" << o["output"].as<std::string>() << "'\n";
      return kExitFailed;
    }
    out = &file;
  }
  CrmExportChunk last;
  int code = inv.session.stream("crm.export", req, [&](const std::string& payload) {
    CrmExportChunk chunk;
    if (!chunk.ParseFromString(payload)) {
      inv.session.err() << "wacrmctl export: wacrmd sent a chunk that does not parse\n";
      return kExitFailed;
    }
    out->write(chunk.data().data(), static_cast<std::streamsize>(chunk.data().size()));
    if (!*out) {
      inv.session.err() << "wacrmctl export: writing failed\n";
      return kExitFailed;
    }
    if (!chunk.title().empty()) last.set_title(chunk.title());
    last.set_messages(chunk.messages());
    return kExitOk;
  });
  if (code != kExitOk) return code;
  out->flush();
  if (inv.session.json()) {
    inv.session.print_json(last);
  } else if (o.count("output")) {
    inv.session.err() << "Exported " << last.messages() << " messages with " << last.title() << " to '"
                      << o["output"].as<std::string>() << "'.\n";
  }
  return kExitOk;
}

const std::vector<Verb> kCrmConversationVerbs = {
    {{"pending"}, "", 0, 0, "conversations waiting for your reply, oldest first",
     "A one-to-one chat is pending when its latest message is theirs. Reactions, edits and\n"
     "system notices do not count as answers. Dismiss one with 'pending dismiss NAME'.",
     pending_options, run_pending},
    {{"pending", "dismiss"}, "NAME", 1, 1, "hide a pending conversation until their next message",
     "NAME: a contact's name, phone number or JID (or a chat JID).", fmt::add_account_option, run_pending_dismiss},
    {{"attention"}, "", 0, 0, "people you have not been in touch with for longer than their cadence",
     "Most overdue first. Set a contact's cadence with 'contact set NAME --cadence DAYS', leave\n"
     "someone out with 'contact set NAME --exclude'.",
     attention_options, run_attention},
    {{"summary"}, "", 0, 0, "dashboard: pending, attention, reminders due, messages today, recent chats", "",
     summary_options, run_summary},
    {{"search"}, "WORDS...", 1, 64, "full-text search over messages, captions and file names",
     "Web-search syntax: words (all must match), \"an exact phrase\", -excluded, word or word.\n"
     "Accents and case do not matter. Dates: YYYY-MM-DD or 'YYYY-MM-DD HH:MM' (in --tz).",
     search_options, run_search},
    {{"export"}, "NAME", 1, 1, "a whole conversation as txt, json, csv or html",
     "NAME: a contact's name, phone number or JID, or a group's chat JID. Streams: any length.",
     export_options, run_export},
};

}  // namespace

std::span<const Verb> crm_conversation_verbs() { return kCrmConversationVerbs; }

}  // namespace wacrm::ctl
