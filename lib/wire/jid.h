// A WhatsApp address ("JID"): user@server, with a device number for one
// device of an account (user:device@server) and, rarely, an agent or an
// interop integrator. Value type: cheap to copy, comparable, hashable.
//
// Textual forms (protocol notes §5), all accepted by parse() and printed by
// to_string():
//   15551234567@s.whatsapp.net        a phone-number user; device 0 (the phone)
//   15551234567:12@s.whatsapp.net     device 12 of that user ("AD JID")
//   123456789012345@lid, …:12@lid     a hidden "linked identity" and its devices
//   120363012345678901@g.us           a group (old style: <creator>-<time>@g.us)
//   status@broadcast, 1600000000@broadcast, …@newsletter, …@c.us, …@hosted …
//   @s.whatsapp.net                   the server itself (no user)
//   user.3:12@s.whatsapp.net          device with a non-zero agent (whatsmeow's form)
//   user:7@msgr, 5-user:7@interop     Messenger / interop JIDs (device always printed)
// parse() also takes a bare known server ("s.whatsapp.net", "g.us") for the
// server JID. to_string() prints that one as "@s.whatsapp.net": it is what
// Baileys prints and the form the node encoder writes as a JID pair, so a node
// built from a Jid carries a JID on the wire, not the plain token.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace wacrm::wire {

// Known servers.
namespace server {
inline constexpr std::string_view kUser = "s.whatsapp.net";
inline constexpr std::string_view kLegacyUser = "c.us";
inline constexpr std::string_view kLid = "lid";
inline constexpr std::string_view kGroup = "g.us";
inline constexpr std::string_view kBroadcast = "broadcast";
inline constexpr std::string_view kNewsletter = "newsletter";
inline constexpr std::string_view kCall = "call";
inline constexpr std::string_view kBot = "bot";
inline constexpr std::string_view kHosted = "hosted";
inline constexpr std::string_view kHostedLid = "hosted.lid";
inline constexpr std::string_view kMessenger = "msgr";
inline constexpr std::string_view kInterop = "interop";
}  // namespace server

class Jid {
 public:
  // The empty JID (no server); is_empty() is true and it prints as "".
  Jid() = default;
  Jid(std::string user, std::string server, std::uint16_t device = 0);

  // The JID of a server itself, e.g. Jid::of_server(server::kUser).
  static Jid of_server(std::string_view server);
  static Result<Jid> parse(std::string_view text);

  const std::string& user() const { return user_; }
  const std::string& server() const { return server_; }
  std::uint16_t device() const { return device_; }
  std::uint8_t agent() const { return agent_; }
  std::uint16_t integrator() const { return integrator_; }

  Jid& set_agent(std::uint8_t agent) { agent_ = agent; return *this; }
  Jid& set_integrator(std::uint16_t integrator) { integrator_ = integrator; return *this; }

  // The AD_JID domain byte: 0 s.whatsapp.net, 1 lid, 128 hosted, 129
  // hosted.lid; for other servers the agent.
  std::uint8_t domain_type() const;

  // The account without the device (and agent): 1555…:12@s.whatsapp.net → 1555…@s.whatsapp.net.
  Jid to_non_ad() const;

  bool is_empty() const { return server_.empty(); }
  bool is_server() const { return user_.empty() && !server_.empty(); }
  bool is_ad() const { return device_ != 0 || agent_ != 0; }
  // A person's account or device: phone-number (s.whatsapp.net, c.us, hosted)
  // or LID (lid, hosted.lid), with a user part.
  bool is_user() const;
  bool is_pn() const;   // phone-number user (s.whatsapp.net, c.us, hosted)
  bool is_lid() const;  // lid or hosted.lid
  bool is_group() const { return server_ == server::kGroup; }
  bool is_broadcast() const { return server_ == server::kBroadcast; }
  bool is_status_broadcast() const { return is_broadcast() && user_ == "status"; }
  bool is_newsletter() const { return server_ == server::kNewsletter; }
  bool is_hosted() const { return server_ == server::kHosted || server_ == server::kHostedLid; }

  std::string to_string() const;

  friend bool operator==(const Jid&, const Jid&) = default;

 private:
  std::string user_;
  std::string server_;
  std::uint16_t device_ = 0;
  std::uint8_t agent_ = 0;
  std::uint16_t integrator_ = 0;
  // Whether the text form names a device (":N", and for interop the
  // "integrator-" prefix). Messenger and interop JIDs built in code always do
  // (that is how FB_JID/INTEROP_JID decode), but a plain JID pair may carry
  // those servers too, and "123@interop" must print back as itself.
  bool device_form_ = false;
};

}  // namespace wacrm::wire

template <>
struct std::hash<wacrm::wire::Jid> {
  std::size_t operator()(const wacrm::wire::Jid& jid) const noexcept;
};
