// What wasim knows about one connection beyond its bytes: whether it is
// registering (and the refs it was given, the pairing in flight) or logged in
// as a device (and how far offline delivery got). Owned by World, keyed by
// the connection id.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "base/bytes.h"
#include "base/error.h"
#include "wasim/account.h"
#include "wasim/offline_queue.h"

namespace wacrm::wasim {

class Connection;

// What a registering client told us in its ClientPayload.
struct Registration {
  Bytes identity_key;  // 32
  std::uint32_t registration_id = 0;
  SignedPreKeyPublic signed_pre_key;
  Bytes noise_key;  // the handshake's static key
  std::string platform;
};

struct RefSlot {
  std::string ref;
  std::chrono::steady_clock::time_point expires_at;
};

// The answer to POST /v1/scan, when the pairing ends one way or another.
using ScanDone = std::function<void(Result<nlohmann::json>)>;

// pair-success sent, waiting for the client's pair-device-sign.
struct PairingInFlight {
  std::string iq_id;
  std::string phone;
  std::uint16_t device = 0;
  std::uint32_t key_index = 0;
  Bytes details;            // serialized ADVDeviceIdentity
  Bytes account_signature;  // as sent (possibly deliberately bad)
  ScanDone done;
  std::unique_ptr<boost::asio::steady_timer> timeout;
};

struct Session {
  enum class Role { handshaking, registering, logged_in };

  std::uint64_t id = 0;
  std::shared_ptr<Connection> connection;
  Role role = Role::handshaking;

  // registering
  std::optional<Registration> registration;
  std::vector<RefSlot> refs;
  std::unique_ptr<boost::asio::steady_timer> ref_timer;
  std::optional<PairingInFlight> pairing;

  // logged in
  std::optional<DeviceId> device;
  bool active = false;        // offline delivery began (<active/> received)
  bool offline_done = false;  // <ib><offline count/> sent
  std::size_t offline_count = 0;
  std::chrono::steady_clock::time_point active_since{};
  std::optional<std::chrono::steady_clock::time_point> key_share_confirmed_at;
  std::unique_ptr<boost::asio::steady_timer> hold_timer;
};

}  // namespace wacrm::wasim
