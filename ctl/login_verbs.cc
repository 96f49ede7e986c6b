// wacrmctl login ACCOUNT (the QR code in the terminal, redrawn as the server
// rotates it, with a countdown) and wacrmctl logout ACCOUNT.
#include <chrono>
#include <iostream>
#include <optional>

#include <google/protobuf/timestamp.pb.h>

#include "control/envelope.pb.h"
#include "control/login.pb.h"
#include "exit_codes.h"
#include "qr_render.h"
#include "session.h"
#include "verbs.h"

namespace wacrm::ctl {

namespace po = boost::program_options;
using namespace wacrm::control;
using namespace std::chrono_literals;

namespace {

constexpr const char* kPhoneSteps =
    "On your phone: WhatsApp \u2192 Settings \u2192 Linked devices \u2192 Link a device, then scan this code.";
constexpr const char* kCodeSteps =
    "On your phone: WhatsApp \u2192 Linked devices \u2192 Link a device \u2192 Link with phone number, "
    "then type this code.";

// Between QR codes the daemon may be quiet for up to a minute (the first ref
// lives 60 s); give up only well after that.
constexpr auto kLoginIdle = 150s;

std::chrono::system_clock::time_point time_of(const google::protobuf::Timestamp& t) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(t.seconds()) +
                                               std::chrono::nanoseconds(t.nanos()));
}

// What `wacrmctl login` shows on a terminal: the current QR code, what to do,
// and a countdown line redrawn in place; a new code replaces the old one.
class LoginScreen {
 public:
  LoginScreen(std::ostream& out, bool terminal) : out_(out), terminal_(terminal) {}

  void show(const LoginUpdate& update) {
    const auto& state = update.state();
    switch (state.phase()) {
      case SessionState::PHASE_WAITING_FOR_QR:
        if (!state.pairing_code().empty()) {
          if (state.pairing_code() != code_) draw_code(state.pairing_code());
        } else if (state.qr().empty()) {
          return;  // linking by code: the code is on its way
        } else if (state.qr() != qr_) {
          draw_qr(state.qr());
        }
        expires_ = time_of(state.qr_expires_at());
        draw_countdown();
        return;
      case SessionState::PHASE_CONNECTED:
        end_countdown();
        out_ << "Linked as +" << update.phone() << " (device " << update.device() << ").\n";
        return;
      default:
        end_countdown();
        if (!state.description().empty() && state.description() != last_note_) {
          last_note_ = state.description();
          out_ << (state.reason().empty() ? "Connecting to WhatsApp\u2026" : state.reason()) << "\n";
        }
    }
  }

  // Once a second while waiting for the daemon.
  void tick() {
    if (expires_ && terminal_) draw_countdown();
  }

 private:
  void draw_qr(const std::string& qr) {
    end_countdown();
    if (terminal_ && drawn_lines_ > 0) out_ << "\x1b[" << drawn_lines_ << "F\x1b[J";  // replace the old code
    auto lines = render_qr(qr, terminal_ ? QrColors::ansi_black_on_white : QrColors::plain_light_on_dark);
    for (const auto& line : lines) out_ << line << "\n";
    out_ << kPhoneSteps << "\n";
    drawn_lines_ = static_cast<int>(lines.size()) + 1;
    qr_ = qr;
  }

  // "Your pairing code: ABCD-EFGH" (the 8 characters are sent without the dash).
  void draw_code(const std::string& code) {
    end_countdown();
    out_ << "Your pairing code: " << code.substr(0, 4) << "-" << code.substr(4) << "\n" << kCodeSteps << "\n";
    code_ = code;
  }

  void draw_countdown() {
    if (!expires_) return;
    auto left = std::chrono::duration_cast<std::chrono::seconds>(*expires_ - std::chrono::system_clock::now()).count();
    if (left < 0) left = 0;
    if (terminal_) {
      out_ << "\r\x1b[KThis code expires in " << left << "s" << std::flush;
      counting_ = true;
    } else if (!counting_) {
      out_ << "This code expires in " << left << "s\n" << std::flush;
      counting_ = true;
    }
  }

  void end_countdown() {
    if (counting_ && terminal_) out_ << "\r\x1b[K";
    counting_ = false;
    expires_.reset();
  }

  std::ostream& out_;
  bool terminal_;
  std::string qr_;
  std::string code_;
  std::string last_note_;
  std::optional<std::chrono::system_clock::time_point> expires_;
  int drawn_lines_ = 0;
  bool counting_ = false;
};

int run_login(Invocation& inv) {
  LoginRequest request;
  request.set_account(inv.args[0]);
  if (inv.options.count("phone")) request.set_phone(inv.options["phone"].as<std::string>());
  auto& out = inv.session.out();
  if (inv.session.json()) {
    // One JSON line per update (QR strings and state changes), for scripts.
    return inv.session.stream(
        "login", request,
        [&](const std::string& payload) {
          LoginUpdate update;
          update.ParseFromString(payload);
          out << json_text(update, false) << "\n" << std::flush;
          return kExitOk;
        },
        1s, [] {}, kLoginIdle);
  }
  LoginScreen screen(out, inv.interactive);
  return inv.session.stream(
      "login", request,
      [&](const std::string& payload) {
        LoginUpdate update;
        if (!update.ParseFromString(payload)) return kExitFailed;
        screen.show(update);
        out << std::flush;
        return kExitOk;
      },
      1s, [&] { screen.tick(); }, kLoginIdle);
}

void login_options(po::options_description& desc) {
  desc.add_options()("phone", po::value<std::string>()->value_name("+NUMBER"),
                     "link with phone number: show a pairing code to type on the phone instead of a QR code");
}

void logout_options(po::options_description& desc) {
  desc.add_options()("yes,y", "do not ask; unlink the device and delete its keys");
}

bool ask(const std::string& question) {
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  return std::getline(std::cin, answer) && (answer == "y" || answer == "Y" || answer == "yes");
}

int run_logout(Invocation& inv) {
  LogoutRequest request;
  request.set_account(inv.args[0]);
  request.set_confirm(inv.options.count("yes") > 0);
  Response answer;
  if (int code = inv.session.exchange("logout", request, answer); code != kExitOk) return code;
  if (answer.status() == STATUS_FAILED_PRECONDITION && !request.confirm() && inv.interactive &&
      !inv.session.json()) {
    if (!ask(answer.error() + ".\nLog out '" + request.account() + "'?")) {
      inv.session.err() << "Not logged out.\n";
      return kExitFailed;
    }
    request.set_confirm(true);
    if (int code = inv.session.exchange("logout", request, answer); code != kExitOk) return code;
  }
  if (answer.status() != STATUS_OK) return inv.session.report(answer);
  LogoutResponse done;
  done.ParseFromString(answer.payload());
  if (inv.session.json()) {
    inv.session.print_json(done);
  } else if (done.server_notified()) {
    inv.session.out() << "Logged out '" << done.account() << "': " << done.jid()
                      << " is unlinked; its messages and contacts are kept.\n";
  } else {
    inv.session.out() << "Logged out '" << done.account() << "' locally; WhatsApp could not be told, so remove "
                      << "this device on the phone (Settings \u2192 Linked devices). Messages and contacts are kept.\n";
  }
  return kExitOk;
}

const std::vector<Verb> kLoginVerbs = {
    {{"login"}, "ACCOUNT", 1, 1, "link a WhatsApp account: shows a QR code to scan with the phone",
     "Asks wacrmd to link ACCOUNT as a new device and shows the QR code in the terminal, redrawn\n"
     "when WhatsApp rotates it, with a countdown. Scan it on the phone: WhatsApp -> Settings ->\n"
     "Linked devices -> Link a device. Ends with \"Linked as +NUMBER (device N)\" or the reason\n"
     "linking failed (timed out, refused). With --json: one JSON line per QR code or state change.\n"
     "With --phone +NUMBER (the account's number, country code first): shows an 8-character\n"
     "pairing code (XXXX-XXXX) instead; type it on the phone: WhatsApp -> Linked devices ->\n"
     "Link a device -> Link with phone number. With --json the code is the pairing_code field.",
     login_options, run_login},
    {{"logout"}, "ACCOUNT", 1, 1, "unlink a WhatsApp account (its messages and contacts are kept)",
     "Tells WhatsApp to remove this linked device, then deletes its keys. Messages, contacts and\n"
     "notes stay. Asks for confirmation on a terminal; elsewhere --yes is required.",
     logout_options, run_logout},
};

}  // namespace

std::span<const Verb> login_verbs() { return kLoginVerbs; }

}  // namespace wacrm::ctl
