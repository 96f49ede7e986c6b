#include "wire/jid.h"

#include <array>
#include <charconv>
#include <utility>

namespace wacrm::wire {

namespace {

constexpr std::array kKnownServers = {
    server::kUser,   server::kLegacyUser, server::kLid,    server::kGroup,
    server::kBroadcast, server::kNewsletter, server::kCall, server::kBot,
    server::kHosted, server::kHostedLid,  server::kMessenger, server::kInterop,
};

bool is_known_server(std::string_view s) {
  for (auto known : kKnownServers)
    if (s == known) return true;
  return false;
}

// Servers are DNS-like names; we accept unknown ones so a new server type does
// not break parsing, but not arbitrary text.
bool is_server_name(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
  return true;
}

// Users are phone numbers, LIDs, group ids ("<creator>-<time>"), "status", bot
// and newsletter ids: letters, digits and a little punctuation.
bool is_user_text(std::string_view s) {
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
          c == '-' || c == '_'))
      return false;
  return true;
}

template <class Int>
bool parse_decimal(std::string_view s, Int max, Int& out) {
  if (s.empty() || s.size() > 5) return false;
  unsigned value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || value > max) return false;
  out = static_cast<Int>(value);
  return true;
}

std::unexpected<Error> invalid(std::string_view text, std::string_view why) {
  constexpr std::size_t kQuoteMax = 80;
  std::string quoted(text.substr(0, kQuoteMax));
  if (text.size() > kQuoteMax) quoted += "…";
  return make_error(Errc::invalid_argument, "invalid JID '" + quoted + "': " + std::string(why));
}

}  // namespace

Jid::Jid(std::string user, std::string server, std::uint16_t device)
    : user_(std::move(user)),
      server_(std::move(server)),
      device_(device),
      device_form_(!user_.empty() && (server_ == server::kMessenger || server_ == server::kInterop)) {}

Jid Jid::of_server(std::string_view server) { return Jid("", std::string(server)); }

Result<Jid> Jid::parse(std::string_view text) {
  if (text.empty()) return invalid(text, "empty");
  const auto at = text.find('@');
  if (at == std::string_view::npos) {
    if (!is_known_server(text)) return invalid(text, "no '@' and not a known server name");
    return of_server(text);
  }
  std::string_view user_part = text.substr(0, at);
  std::string_view server_part = text.substr(at + 1);
  if (server_part.find('@') != std::string_view::npos) return invalid(text, "more than one '@'");
  if (!is_server_name(server_part)) return invalid(text, "bad server part");

  Jid jid;
  jid.server_ = std::string(server_part);

  if (server_part == server::kInterop) {
    // <integrator>-<user>:<device>@interop (Baileys' rendering of INTEROP_JID).
    const auto dash = user_part.find('-');
    if (dash != std::string_view::npos &&
        parse_decimal<std::uint16_t>(user_part.substr(0, dash), 0xFFFF, jid.integrator_)) {
      user_part = user_part.substr(dash + 1);
      jid.device_form_ = true;
    }
  }

  const auto colon = user_part.find(':');
  if (colon != std::string_view::npos) {
    std::string_view device = user_part.substr(colon + 1);
    user_part = user_part.substr(0, colon);
    if (device.find(':') != std::string_view::npos) return invalid(text, "more than one ':'");
    if (!parse_decimal<std::uint16_t>(device, 0xFFFF, jid.device_))
      return invalid(text, "device is not a number from 0 to 65535");
    jid.device_form_ = server_part == server::kMessenger || server_part == server::kInterop;
    // whatsmeow's "user.<agent>:<device>" form.
    const auto dot = user_part.rfind('.');
    if (dot != std::string_view::npos &&
        parse_decimal<std::uint8_t>(user_part.substr(dot + 1), 0xFF, jid.agent_))
      user_part = user_part.substr(0, dot);
  }
  if (user_part.empty() && (jid.is_ad() || jid.integrator_ != 0))
    return invalid(text, "device, agent or integrator without a user");
  if (!is_user_text(user_part)) return invalid(text, "bad character in user part");
  jid.user_ = std::string(user_part);
  return jid;
}

std::uint8_t Jid::domain_type() const {
  if (server_ == server::kUser) return 0;
  if (server_ == server::kLid) return 1;
  if (server_ == server::kHosted) return 128;
  if (server_ == server::kHostedLid) return 129;
  return agent_;
}

Jid Jid::to_non_ad() const {
  Jid out(user_, server_);
  out.integrator_ = integrator_;
  return out;
}

bool Jid::is_pn() const {
  return !user_.empty() &&
         (server_ == server::kUser || server_ == server::kLegacyUser || server_ == server::kHosted);
}

bool Jid::is_lid() const {
  return !user_.empty() && (server_ == server::kLid || server_ == server::kHostedLid);
}

bool Jid::is_user() const { return is_pn() || is_lid(); }

std::string Jid::to_string() const {
  if (server_.empty()) return {};
  if (user_.empty() && !is_ad() && integrator_ == 0) return "@" + server_;
  std::string out;
  out.reserve(user_.size() + server_.size() + 16);
  const bool interop_form = device_form_ && server_ == server::kInterop;
  if (interop_form) {
    out += std::to_string(integrator_);
    out += '-';
  }
  out += user_;
  if (agent_ != 0) {
    out += '.';
    out += std::to_string(agent_);
  }
  if (device_ != 0 || agent_ != 0 || device_form_) {
    out += ':';
    out += std::to_string(device_);
  }
  out += '@';
  out += server_;
  return out;
}

}  // namespace wacrm::wire

std::size_t std::hash<wacrm::wire::Jid>::operator()(const wacrm::wire::Jid& jid) const noexcept {
  std::size_t h = std::hash<std::string>{}(jid.user());
  auto mix = [&h](std::size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
  mix(std::hash<std::string>{}(jid.server()));
  mix((std::size_t{jid.device()} << 24) | (std::size_t{jid.agent()} << 16) | jid.integrator());
  return h;
}
