// wacrmctl remind, remind list, remind done, remind snooze.
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

void when_options(po::options_description& d) {
  fmt::add_account_option(d);
  fmt::add_time_zone_option(d);
  d.add_options()("in", po::value<std::string>()->value_name("DURATION"), "after this long: 3d, 2h30m, 1w")
      ("at", po::value<std::string>()->value_name("DATE"),
       "at this date (09:00) or date-time: 2024-06-01, '2024-06-01 14:30', 2024-06-01T14:30+02:00");
}

std::string option(const po::variables_map& vm, const char* name) {
  return vm.count(name) ? vm[name].as<std::string>() : std::string();
}

void print_reminder(std::ostream& out, const char* what, const CrmReminder& r) {
  out << what << " #" << r.id() << (r.has_person() ? " about " + fmt::person(r.person()) : std::string()) << ", due "
      << fmt::when(r.due_at()) << (r.text().empty() ? "" : ": " + r.text()) << "\n";
}

template <class Response>
int reminder_call(Invocation& inv, const char* method, const google::protobuf::Message& req, const char* what) {
  Response res;
  int code;
  if (fmt::call_for_text(inv, method, req, res, code)) print_reminder(inv.session.out(), what, res.reminder());
  return code;
}

bool parse_id(Invocation& inv, std::int64_t& id) {
  try {
    std::size_t used = 0;
    id = std::stoll(inv.args[0], &used);
    if (used == inv.args[0].size() && id > 0) return true;
  } catch (const std::exception&) {
  }
  inv.session.err() << "wacrmctl: '" << inv.args[0] << "' is not a reminder number (see 'wacrmctl remind list')\n";
  return false;
}

int run_remind(Invocation& inv) {
  CrmRemindAddRequest req;
  req.set_account(fmt::account(inv.options));
  req.set_time_zone(fmt::time_zone(inv.options));
  req.set_contact(inv.args[0] == "-" ? "" : inv.args[0]);
  req.set_in_duration(option(inv.options, "in"));
  req.set_at_time(option(inv.options, "at"));
  std::string text;
  for (std::size_t i = 1; i < inv.args.size(); ++i) text += (text.empty() ? "" : " ") + inv.args[i];
  req.set_text(text);
  return reminder_call<CrmRemindAddResponse>(inv, "crm.remind.add", req, "Reminder");
}

void list_options(po::options_description& d) {
  fmt::add_account_option(d);
  d.add_options()("all", "include done reminders");
}

int run_list(Invocation& inv) {
  CrmRemindListRequest req;
  req.set_account(fmt::account(inv.options));
  req.set_include_done(inv.options.count("all") > 0);
  CrmRemindListResponse res;
  int code;
  if (!fmt::call_for_text(inv, "crm.remind.list", req, res, code)) return code;
  if (res.reminders().empty()) {
    inv.session.out() << "No reminders.\n";
    return kExitOk;
  }
  Table table({"#", "DUE", "CONTACT", "TEXT", "DONE"});
  for (const auto& r : res.reminders())
    table.add_row({std::to_string(r.id()), fmt::when(r.due_at()), r.has_person() ? fmt::person(r.person()) : "-",
                   r.text().empty() ? "-" : r.text(), r.has_done_at() ? fmt::when(r.done_at()) : ""});
  table.print(inv.session.out());
  return kExitOk;
}

int run_done(Invocation& inv) {
  CrmRemindDoneRequest req;
  req.set_account(fmt::account(inv.options));
  std::int64_t id = 0;
  if (!parse_id(inv, id)) return kExitUsage;
  req.set_id(id);
  return reminder_call<CrmRemindDoneResponse>(inv, "crm.remind.done", req, "Done:");
}

int run_snooze(Invocation& inv) {
  CrmRemindSnoozeRequest req;
  req.set_account(fmt::account(inv.options));
  req.set_time_zone(fmt::time_zone(inv.options));
  std::int64_t id = 0;
  if (!parse_id(inv, id)) return kExitUsage;
  req.set_id(id);
  req.set_in_duration(option(inv.options, "in"));
  req.set_at_time(option(inv.options, "at"));
  return reminder_call<CrmRemindSnoozeResponse>(inv, "crm.remind.snooze", req, "Snoozed:");
}

const std::vector<Verb> kCrmRemindVerbs = {
    {{"remind"}, "NAME [TEXT...]", 1, 256, "remind me about someone, --in a while or --at a date",
     "NAME: a contact (name, phone or JID), or - for a reminder about no one.\n"
     "Give exactly one of --in and --at. Due reminders raise a crm.reminder_due event.",
     when_options, run_remind},
    {{"remind", "list"}, "", 0, 0, "open reminders, soonest first", "", list_options, run_list},
    {{"remind", "done"}, "NUMBER", 1, 1, "mark a reminder done", "", fmt::add_account_option, run_done},
    {{"remind", "snooze"}, "NUMBER", 1, 1, "move a reminder later (default: by a day)", "", when_options, run_snooze},
};

}  // namespace

std::span<const Verb> crm_remind_verbs() { return kCrmRemindVerbs; }

}  // namespace wacrm::ctl
