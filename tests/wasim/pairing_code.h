// Linking with phone number, the phone's side (protocol notes 01 §6.9): the
// registering client's companion_hello (answered with a ref), the person
// typing the code on the simulated phone (POST /v1/enter-code: the primary's
// ephemeral key wrapped with the code, sent as a link_code_companion_reg
// notification), and the client's companion_finish: the key bundle must open
// and name both identities; then the adv secret both sides derive signs the
// pair-success, as for a QR scan (Pairing::send_pair_success).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "base/bytes.h"
#include "wasim/session.h"
#include "wire/node.h"

namespace wacrm::wasim {

class Pairing;
class World;

class PairingCodes {
 public:
  PairingCodes(World& world, Pairing& pairing) : world_(world), pairing_(pairing) {}

  // <iq set xmlns=md><link_code_companion_reg stage=…> from a registering client: the answer.
  wire::Node on_companion_reg(Session& session, const wire::Node& iq);
  // The phone of `phone` types `code` (README POST /v1/enter-code); `done`
  // gets the outcome once the pairing ends (as for a scan).
  void enter_code(const std::string& phone, const std::string& code, std::chrono::milliseconds timeout,
                  ScanDone done);
  void on_session_closed(Session& session);

 private:
  struct Attempt {
    std::string phone;
    std::string ref;
    Bytes wrapped_companion_ephemeral;
    // once the code was typed
    std::string code;
    Bytes companion_ephemeral;
    Bytes primary_ephemeral_private;
    std::chrono::milliseconds timeout{};
    ScanDone done;
  };

  wire::Node on_hello(Session& session, const wire::Node& iq, const wire::Node& reg);
  wire::Node on_finish(Session& session, const wire::Node& iq, const wire::Node& reg);

  World& world_;
  Pairing& pairing_;
  std::map<std::uint64_t, Attempt> attempts_;  // by connection id
};

}  // namespace wacrm::wasim
