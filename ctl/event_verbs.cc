// wacrmctl events: the daemon's event stream (events.subscribe), one line per
// event as it comes, until Ctrl-C, --once or --wait. (The global --timeout
// bounds each exchange with wacrmd, as for every verb.)
#include <algorithm>
#include <chrono>
#include <csignal>
#include <optional>


#include "control/crm.pb.h"
#include "control/events.pb.h"
#include "control/login.pb.h"
#include "crm_format.h"
#include "exit_codes.h"
#include "session.h"
#include "verbs.h"

namespace wacrm::ctl {

namespace po = boost::program_options;
using namespace wacrm::control;
using namespace std::chrono_literals;

namespace {

// One line for people: when, whose, what.
std::string text_line(const DaemonEvent& e) {
  std::string what;
  if (e.has_crm() && e.crm().has_reminder_due()) {
    const auto& r = e.crm().reminder_due();
    what = "reminder #" + std::to_string(r.id()) + " is due: " + r.text();
    if (r.has_person()) what += " (" + crm_format::person(r.person()) + ")";
  } else if (e.has_crm() && e.crm().has_pending_overdue()) {
    const auto& p = e.crm().pending_overdue();
    what = crm_format::person(p.person()) + " has waited " + crm_format::span(p.waiting_seconds()) +
           " for your reply: " + crm_format::preview(p.last_message());
  } else if (e.has_message()) {
    const auto& m = e.message();
    what = std::string(m.from_me() ? "sent to " : "from ") + (m.from_me() ? m.chat_jid() : m.sender_jid());
    if (!m.from_me() && m.chat_jid() != m.sender_jid()) what += " in " + m.chat_jid();
    what += ": " + (m.preview().empty() ? "[" + m.kind() + "]" : m.preview());
  } else if (e.has_session()) {
    const auto& s = e.session().state();
    what = "session: " + (s.description().empty() ? SessionState::Phase_Name(s.phase()) : s.description());
  } else if (e.has_dropped()) {
    what = std::to_string(e.dropped().count()) + " event(s) missed (read too slowly)";
  } else {
    what = e.type();
  }
  return crm_format::when(e.at()) + "  " + (e.account().empty() ? "-" : e.account()) + "  " + what;
}

void events_options(po::options_description& d) {
  crm_format::add_account_option(d);
  d.add_options()("type", po::value<std::vector<std::string>>()->value_name("TYPE"),
                  "only events of this type (repeatable): crm.reminder_due, crm.pending_overdue, message.stored, "
                  "session.state")
      ("once", "exit after the first event")
      ("wait", po::value<double>()->value_name("SECONDS"),
       "exit after this long (exit code 1 with --once and no event)");
}

volatile std::sig_atomic_t interrupted = 0;

int run_events(Invocation& inv) {
  EventsSubscribeRequest request;
  request.set_account(crm_format::account(inv.options));
  std::vector<std::string> types;
  if (inv.options.count("type")) types = inv.options["type"].as<std::vector<std::string>>();
  const bool once = inv.options.count("once") > 0;
  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (inv.options.count("wait")) {
    double seconds = inv.options["wait"].as<double>();
    if (!(seconds > 0) || seconds > 1e7) {
      inv.session.err() << "wacrmctl: --wait must be a positive number of seconds\n";
      return kExitUsage;
    }
    deadline = std::chrono::steady_clock::now() +
               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::duration<double>(seconds));
  }
  // Ctrl-C ends the stream cleanly (exit 0) at the next tick.
  interrupted = 0;
  std::signal(SIGINT, [](int) { interrupted = 1; });

  int shown = 0;
  auto& out = inv.session.out();
  int code = inv.session.stream_until(
      "events.subscribe", request,
      [&](const std::string& payload) {
        if (payload.empty()) return kExitOk;  // the final answer: wacrmd is stopping
        DaemonEvent event;
        if (!event.ParseFromString(payload)) return kExitFailed;
        if (event.type() == "events.subscribed") return kExitOk;
        if (!types.empty() && event.type() != "events.dropped" &&
            std::find(types.begin(), types.end(), event.type()) == types.end())
          return kExitOk;
        out << (inv.session.json() ? json_text(event, false) : text_line(event)) << "\n" << std::flush;
        ++shown;
        return once ? -1 : kExitOk;  // -1: stop, mapped below
      },
      200ms, [&] { return !interrupted && (!deadline || std::chrono::steady_clock::now() < *deadline); });
  std::signal(SIGINT, SIG_DFL);
  if (code == -1) return kExitOk;
  if (code == kExitOk && once && shown == 0) return kExitFailed;
  return code;
}

const std::vector<Verb> kEventVerbs = {
    {{"events"}, "", 0, 0, "print the daemon's events as they happen (due reminders, overdue replies, messages)",
     "Subscribes to wacrmd's event stream and prints one line per event until Ctrl-C: reminders\n"
     "falling due, pending replies waiting longer than crm.pending-overdue-after, messages stored,\n"
     "session state changes. With --json: one JSON object (wacrm.control.DaemonEvent) per line.\n"
     "--once exits after the first event (exit code 1 if --wait passes first); --wait N exits\n"
     "after N seconds. A reader that falls behind gets an events.dropped line counting what\n"
     "it missed.",
     events_options, run_events},
};

}  // namespace

std::span<const Verb> event_verbs() { return kEventVerbs; }

}  // namespace wacrm::ctl
