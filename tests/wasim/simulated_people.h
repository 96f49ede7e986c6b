// The people on the other side: a simulated account's phone sends a message
// (POST /v1/send, scenario conversations) exactly as a real phone would --
// to a person or, with "to" a group JID, to a group (group_send.h) --
// Signal-encrypted per device with the keys the recipients uploaded, to every
// companion of the recipient and, as deviceSentMessage, to the sender's own
// companions. Also the phone's app-state key share to a new companion.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "wasim/account.h"
#include "wasim/offline_queue.h"
#include "wasim/scenario.h"

namespace wacrm::wa {
class Message;
}

namespace wacrm::wasim {

class World;

class SimulatedPeople {
 public:
  explicit SimulatedPeople(World& world) : world_(world) {}

  void set_conversations(std::vector<Conversation> conversations) { conversations_ = std::move(conversations); }

  // {"from","to","text"|"message","id"?,"type"?,"peer"?,"to_devices"?} -> {"id","t","devices":[…]}
  Result<nlohmann::json> send(const nlohmann::json& request);
  // Plays a conversation by name (its messages in order, with their delays).
  Result<nlohmann::json> play(const std::string& name);
  // A device finished its offline delivery: play on_first_login conversations.
  void on_device_ready(const DeviceId& device);
  Status send_key_share(Account& account, std::uint16_t device);

 private:
  struct Target {
    Account* owner;
    std::uint16_t device;
    const wa::Message* message;  // what this device gets
    bool own_copy;                // the sender's own companion (deviceSentMessage)
  };
  // `to` names a group ("…@g.us"): the member's phone sends to it.
  Result<nlohmann::json> send_group(const nlohmann::json& request, Account& from, const std::string& to);
  // Encrypts for one device and hands the stanza to the relay; with
  // sender_lid, the stanza names the sender's LID too, as the server does
  // for accounts that moved to LIDs (notes 02, message attributes).
  Result<nlohmann::json> send_to(Account& from, const Target& target, const std::string& id, std::int64_t t,
                                 const std::string& type, bool peer, const std::string& chat, bool key_share,
                                 bool sender_lid = false);
  void play_from(std::size_t conversation, std::size_t message);

  World& world_;
  std::vector<Conversation> conversations_;
};

}  // namespace wacrm::wasim
