// wacrmctl contact show|note|tag add|tag remove|list|set|merge|unmerge.
#include <sstream>

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

std::string joined(const google::protobuf::RepeatedPtrField<std::string>& items, const char* none = "-") {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? none : out;
}

std::string rest_of(const std::vector<std::string>& args, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < args.size(); ++i) out += (out.empty() ? "" : " ") + args[i];
  return out;
}

std::string reply_times(const CrmResponseTimes& t) {
  if (t.samples() == 0) return "-";
  return "median " + fmt::span(static_cast<std::int64_t>(t.median_seconds())) + ", average " +
         fmt::span(static_cast<std::int64_t>(t.average_seconds())) + " (" + std::to_string(t.samples()) + " replies)";
}

void show_options(po::options_description& d) {
  fmt::add_account_option(d);
  fmt::add_time_zone_option(d);
}

int run_show(Invocation& inv) {
  CrmContactShowRequest req;
  req.set_account(fmt::account(inv.options));
  req.set_contact(inv.args[0]);
  req.set_time_zone(fmt::time_zone(inv.options));
  CrmContactShowResponse res;
  int code;
  if (!call_for_text(inv, "crm.contact.show", req, res, code)) return code;
  auto& out = inv.session.out();
  const auto& s = res.stats();
  static const char* kDays[] = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
  out << fmt::person(res.person()) << "\n";
  for (const auto& a : res.addresses()) {
    out << "  " << a.jid();
    if (!a.lid().empty()) out << "  " << a.lid();
    std::string names = a.full_name().empty() ? a.push_name() : a.full_name();
    if (!names.empty()) out << "  \"" << names << "\"";
    if (a.merged()) out << "  (merged)";
    out << "\n";
  }
  out << "Tags:            " << joined(res.tags()) << "\n"
      << "Cadence:         every " << res.cadence_days() << " days" << (res.cadence_is_default() ? " (default)" : "")
      << (res.attention_excluded() ? ", excluded from attention" : "") << "\n"
      << "First / last:    " << fmt::when(s.first_interaction()) << " / " << fmt::when(s.last_interaction()) << "\n"
      << "Sent:            " << s.sent().all_time() << " (30 days: " << s.sent().last_30_days()
      << ", 90 days: " << s.sent().last_90_days() << ")\n"
      << "Received:        " << s.received().all_time() << " (30 days: " << s.received().last_30_days()
      << ", 90 days: " << s.received().last_90_days() << ")\n"
      << "I reply in:      " << reply_times(s.my_replies()) << "\n"
      << "They reply in:   " << reply_times(s.their_replies()) << "\n";
  if (s.busiest_hour() >= 0)
    out << "Busiest:         " << s.busiest_hour() << ":00-" << s.busiest_hour() + 1 << ":00, "
        << kDays[s.busiest_weekday()] << "s (" << res.time_zone() << ")\n";
  if (s.has_last_sent()) out << "Last sent:       " << fmt::when(s.last_sent().sent_at()) << "  " << fmt::preview(s.last_sent()) << "\n";
  if (s.has_last_received())
    out << "Last received:   " << fmt::when(s.last_received().sent_at()) << "  " << fmt::preview(s.last_received()) << "\n";
  if (!res.notes().empty()) {
    out << "Notes:\n";
    for (const auto& n : res.notes()) out << "  " << fmt::when(n.created_at()) << "  " << n.body() << "\n";
  }
  return kExitOk;
}

int run_note(Invocation& inv) {
  const auto account = fmt::account(inv.options);
  if (inv.args.size() == 1) {
    CrmNoteListRequest req;
    req.set_account(account);
    req.set_contact(inv.args[0]);
    CrmNoteListResponse res;
    int code;
    if (!call_for_text(inv, "crm.contact.note.list", req, res, code)) return code;
    if (res.notes().empty()) inv.session.out() << "No notes on " << fmt::person(res.person()) << ".\n";
    for (const auto& n : res.notes()) inv.session.out() << fmt::when(n.created_at()) << "  " << n.body() << "\n";
    return kExitOk;
  }
  CrmNoteAddRequest req;
  req.set_account(account);
  req.set_contact(inv.args[0]);
  req.set_body(rest_of(inv.args, 1));
  CrmNoteAddResponse res;
  int code;
  if (!call_for_text(inv, "crm.contact.note.add", req, res, code)) return code;
  inv.session.out() << "Noted on " << fmt::person(res.person()) << ".\n";
  return kExitOk;
}

int change_tags(Invocation& inv, const char* method) {
  CrmTagRequest req;
  req.set_account(fmt::account(inv.options));
  req.set_contact(inv.args[0]);
  for (std::size_t i = 1; i < inv.args.size(); ++i) req.add_tags(inv.args[i]);
  CrmTagResponse res;
  int code;
  if (!call_for_text(inv, method, req, res, code)) return code;
  inv.session.out() << fmt::person(res.person()) << ": tags " << joined(res.tags(), "(none)") << "\n";
  if (!res.unchanged().empty()) inv.session.out() << "Did not have: " << joined(res.unchanged()) << "\n";
  return kExitOk;
}

int run_tag_add(Invocation& inv) { return change_tags(inv, "crm.contact.tag.add"); }
int run_tag_remove(Invocation& inv) { return change_tags(inv, "crm.contact.tag.remove"); }

void list_options(po::options_description& d) {
  fmt::add_account_option(d);
  d.add_options()("tag", po::value<std::string>()->value_name("TAG"), "only contacts with this tag")
      ("groups", "include groups")("limit", po::value<int>()->value_name("N"), "at most N (default 200)");
}

int run_list(Invocation& inv) {
  CrmContactListRequest req;
  req.set_account(fmt::account(inv.options));
  if (inv.options.count("tag")) req.set_tag(inv.options["tag"].as<std::string>());
  req.set_include_groups(inv.options.count("groups") > 0);
  if (inv.options.count("limit")) req.set_limit(inv.options["limit"].as<int>());
  CrmContactListResponse res;
  int code;
  if (!call_for_text(inv, "crm.contact.list", req, res, code)) return code;
  if (res.items().empty()) {
    inv.session.out() << "No contacts" << (req.tag().empty() ? "" : " tagged '" + req.tag() + "'") << ".\n";
    return kExitOk;
  }
  Table table({"CONTACT", "TAGS", "LAST CONTACT"});
  for (const auto& c : res.items())
    table.add_row({fmt::person(c.person()), joined(c.tags()), fmt::when(c.last_interaction())});
  table.print(inv.session.out());
  return kExitOk;
}

void set_options(po::options_description& d) {
  fmt::add_account_option(d);
  d.add_options()("cadence", po::value<int>()->value_name("DAYS"), "keep in touch every DAYS days (0: the default)")
      ("exclude", "leave out of 'attention'")("include", "bring back into 'attention'");
}

int run_set(Invocation& inv) {
  CrmContactSetRequest req;
  req.set_account(fmt::account(inv.options));
  req.set_contact(inv.args[0]);
  if (inv.options.count("cadence")) req.set_cadence_days(inv.options["cadence"].as<int>());
  if (inv.options.count("exclude") && inv.options.count("include")) {
    inv.session.err() << "wacrmctl contact set: --exclude and --include exclude each other\n";
    return kExitUsage;
  }
  if (inv.options.count("exclude")) req.set_attention_excluded(true);
  if (inv.options.count("include")) req.set_attention_excluded(false);
  CrmContactSetResponse res;
  int code;
  if (!call_for_text(inv, "crm.contact.set", req, res, code)) return code;
  inv.session.out() << fmt::person(res.person()) << ": every " << res.cadence_days() << " days"
                    << (res.cadence_is_default() ? " (default)" : "")
                    << (res.attention_excluded() ? ", excluded from attention" : "") << "\n";
  return kExitOk;
}

int run_merge(Invocation& inv) {
  CrmMergeRequest req;
  req.set_account(fmt::account(inv.options));
  req.set_keep(inv.args[0]);
  req.set_fold(inv.args[1]);
  CrmMergeResponse res;
  int code;
  if (!call_for_text(inv, "crm.contact.merge", req, res, code)) return code;
  std::string jids;
  for (const auto& a : res.addresses()) jids += (jids.empty() ? "" : ", ") + a.jid();
  inv.session.out() << fmt::person(res.person()) << " is now one person: " << jids << "\n"
                    << "Undo with: wacrmctl contact unmerge '" << inv.args[1] << "'\n";
  return kExitOk;
}

int run_unmerge(Invocation& inv) {
  CrmUnmergeRequest req;
  req.set_account(fmt::account(inv.options));
  req.set_contact(inv.args[0]);
  CrmUnmergeResponse res;
  int code;
  if (!call_for_text(inv, "crm.contact.unmerge", req, res, code)) return code;
  inv.session.out() << fmt::person(res.restored()) << " (" << res.restored().jid()
                    << ") is its own contact again (was merged into " << fmt::person(res.previous()) << ").\n";
  return kExitOk;
}

constexpr const char* kNameHelp = "NAME: a contact's name (accents and case do not matter), phone number or JID.";

const std::vector<Verb> kCrmContactVerbs = {
    {{"contact", "show"}, "NAME", 1, 1, "a contact's profile and statistics",
     "Names, numbers, tags, notes, cadence, first and last contact, messages each way (all time,\n"
     "30 and 90 days), reply times both ways, busiest hours and weekdays (in --tz).",
     show_options, run_show},
    {{"contact", "note"}, "NAME [TEXT...]", 1, 256, "add a note to a contact, or list its notes (no TEXT)", kNameHelp,
     fmt::add_account_option, run_note},
    {{"contact", "tag", "add"}, "NAME TAG...", 2, 64, "tag a contact",
     "Tags are 1-64 characters without spaces; letters are lowered.", fmt::add_account_option, run_tag_add},
    {{"contact", "tag", "remove"}, "NAME TAG...", 2, 64, "remove tags from a contact", kNameHelp,
     fmt::add_account_option, run_tag_remove},
    {{"contact", "list"}, "", 0, 0, "contacts by name, with tags and last contact", "", list_options, run_list},
    {{"contact", "set"}, "NAME", 1, 1, "set a contact's cadence or leave it out of 'attention'", kNameHelp,
     set_options, run_set},
    {{"contact", "merge"}, "KEEP OTHER", 2, 2, "treat OTHER as the same person as KEEP (reversible)",
     "Every view (pending, attention, stats, search, export) then shows them as KEEP.", fmt::add_account_option,
     run_merge},
    {{"contact", "unmerge"}, "NAME", 1, 1, "undo a merge",
     "NAME: the merged contact's JID or phone number, or a name.", fmt::add_account_option, run_unmerge},
};

}  // namespace

std::span<const Verb> crm_contact_verbs() { return kCrmContactVerbs; }

}  // namespace wacrm::ctl
