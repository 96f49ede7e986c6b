// Pairing a new companion by QR (protocol notes 01 §6, 03 §5 (b)(c)): the
// pair-device refs a registering client shows (and their rotation), the
// phone's scan with the ADV identity it signs, the client's pair-device-sign
// and its verification, then restart-required (515).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "base/error.h"
#include "wasim/pairing_code.h"
#include "wasim/session.h"
#include "wire/node.h"

namespace wacrm::wasim {

class World;

class Pairing {
 public:
  explicit Pairing(World& world);

  // A registering client finished its handshake: send it refs.
  void start(Session& session);
  // The phone of `phone` scans `qr`; `done` gets the outcome (README POST /v1/scan).
  void scan(const std::string& phone, const std::string& qr, std::chrono::milliseconds timeout, ScanDone done);
  // An iq result/error from a registering client. True when it was an answer
  // to one of our pairing iqs.
  bool on_iq_reply(Session& session, const wire::Node& iq);
  void on_session_closed(Session& session, const std::string& reason);
  // The phone of `account` accepted the registering client of `session`
  // (by QR or by code): sends pair-success with its identity signed and
  // HMACed with `adv_secret`, and waits for pair-device-sign.
  void send_pair_success(Session& session, Account& account, const Bytes& adv_secret,
                         std::chrono::milliseconds timeout, ScanDone done);
  // Linking with phone number (pairing_code.h).
  PairingCodes& codes() { return codes_; }

 private:
  void send_refs(Session& session);
  void finish(Session& session, const wire::Node& iq);
  void refuse(Session& session, const std::string& reason, bool end_stream, Errc code = Errc::conflict);
  void forget_refs(Session& session);

  World& world_;
  PairingCodes codes_;
  std::map<std::string, std::uint64_t> refs_;  // live ref -> session id
};

}  // namespace wacrm::wasim
