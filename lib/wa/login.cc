#include "wa/login.h"

#include <charconv>
#include <utility>

#include "wa/client_config.h"
#include "wire/jid.h"

namespace wacrm::wa {

namespace {

std::int64_t parse_int(std::string_view text, std::int64_t fallback) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() ? value : fallback;
}

Disconnect make(DisconnectKind kind, std::string reason) { return Disconnect{kind, std::move(reason), {}}; }

}  // namespace

std::string_view disconnect_kind_name(DisconnectKind kind) {
  switch (kind) {
    case DisconnectKind::network: return "network";
    case DisconnectKind::server_closed: return "server_closed";
    case DisconnectKind::login_failed: return "login_failed";
    case DisconnectKind::temporarily_banned: return "temporarily_banned";
    case DisconnectKind::restart_required: return "restart_required";
    case DisconnectKind::logged_out: return "logged_out";
    case DisconnectKind::replaced: return "replaced";
    case DisconnectKind::client_outdated: return "client_outdated";
    case DisconnectKind::bad_user_agent: return "bad_user_agent";
    case DisconnectKind::pairing_timed_out: return "pairing_timed_out";
    case DisconnectKind::pairing_refused: return "pairing_refused";
    case DisconnectKind::connect_failed: return "connect_failed";
    case DisconnectKind::stopped: return "stopped";
  }
  return "unknown";
}

bool Disconnect::retries() const {
  switch (kind) {
    case DisconnectKind::network:
    case DisconnectKind::server_closed:
    case DisconnectKind::login_failed:
    case DisconnectKind::temporarily_banned:
    case DisconnectKind::restart_required:
      return true;
    default:
      return false;
  }
}

Result<LoginSuccess> parse_success(const wire::Node& success) {
  if (success.tag != "success") return make_error(Errc::malformed, "expected <success>, got <" + success.tag + ">");
  LoginSuccess out;
  out.server_time = parse_int(success.attr_or("t"), 0);
  if (auto lid = success.attr_jid("lid"); lid && lid->is_lid()) out.lid = lid->to_string();
  return out;
}

namespace {

// <failure reason> codes and what they mean for us (notes 01 §8.1); 402 is
// handled apart (it carries the ban's code and expiry).
struct FailureMeaning {
  std::int64_t reason;
  DisconnectKind kind;
  std::string_view text;
};
constexpr FailureMeaning kFailures[] = {
    {401, DisconnectKind::logged_out, "logged out: this device was removed on the phone"},
    {403, DisconnectKind::logged_out, "logged out: the main device is gone or the account is locked"},
    {406, DisconnectKind::logged_out, "logged out: the account was banned"},
    {405, DisconnectKind::client_outdated,
     "client outdated: the server refuses our WhatsApp Web version; set whatsapp.version to the current version"},
    {409, DisconnectKind::bad_user_agent, "the server rejected our client user agent"},
    {500, DisconnectKind::login_failed, "server internal error"},
    {503, DisconnectKind::login_failed, "service unavailable"},
};
static_assert(kVersionConfigKey == "whatsapp.version", "the client-outdated text names the version option");

// Why a 402 ban was given (its `code`, notes 01 §8.1, one source: whatsmeow).
constexpr std::pair<std::string_view, std::string_view> kBanCodes[] = {
    {"101", "too many messages to people who do not have this number saved"},
    {"102", "blocked by too many people"},
    {"103", "too many groups created with people who do not have this number saved"},
    {"104", "the same message sent to too many people"},
    {"106", "too many messages through a broadcast list"},
};

std::string ban_text(const wire::Node& failure) {
  std::string text = "temporarily banned";
  if (auto code = failure.attr("code")) {
    std::string_view why;
    for (const auto& [known, meaning] : kBanCodes)
      if (known == *code) why = meaning;
    text += why.empty() ? " (code " + std::string(*code) + ")"
                        : ": " + std::string(why) + " (code " + std::string(*code) + ")";
  }
  return text;
}

// The words the server gives for a 403 (whatsmeow logs them), if any.
std::string server_message(const wire::Node& failure) {
  std::string header(failure.attr_or("logout_message_header"));
  std::string subtext(failure.attr_or("logout_message_subtext"));
  if (header.empty() && subtext.empty()) return "";
  return ": \"" + header + (header.empty() || subtext.empty() ? "" : " - ") + subtext + "\"";
}

}  // namespace

Disconnect classify_failure(const wire::Node& failure) {
  std::string code(failure.attr_or("reason", "500"));
  const std::string suffix = " (login failure " + code + ")";
  const std::int64_t reason = parse_int(code, 500);
  if (reason == 402) {
    Disconnect d = make(DisconnectKind::temporarily_banned, ban_text(failure));
    if (auto expire = parse_int(failure.attr_or("expire"), 0); expire > 0) {
      d.retry_after = std::chrono::seconds(expire);
      d.reason += ", for " + std::to_string(expire) + " s";
    }
    d.reason += suffix;
    return d;
  }
  for (const auto& meaning : kFailures)
    if (meaning.reason == reason) return make(meaning.kind, std::string(meaning.text) + server_message(failure) + suffix);
  return make(DisconnectKind::login_failed, "login refused" + suffix);
}

Disconnect classify_stream_error(const wire::Node& stream_error) {
  std::string code(stream_error.attr_or("code"));
  auto children = stream_error.child_nodes();
  std::string child = children.empty() ? std::string() : children[0].tag;
  const wire::Node* conflict = stream_error.child("conflict");
  std::string conflict_type(conflict ? conflict->attr_or("type") : "");
  std::string what = "stream error" + (code.empty() ? "" : " " + code) + (child.empty() ? "" : " " + child) +
                     (conflict_type.empty() ? "" : " " + conflict_type);
  if (code == "515") return make(DisconnectKind::restart_required, "the server asked for a restart (" + what + ")");
  if (code == "401" && conflict_type == "device_removed")
    return make(DisconnectKind::logged_out, "logged out: this device was removed on the phone (" + what + ")");
  if (conflict_type == "replaced")
    return make(DisconnectKind::replaced,
                "replaced: another connection with this device's keys took over (" + what + ")");
  if (code == "503") return make(DisconnectKind::server_closed, "the server is restarting (" + what + ")");
  return make(DisconnectKind::server_closed, "the server ended the stream (" + what + ")");
}

}  // namespace wacrm::wa
