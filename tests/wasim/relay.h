// Routing between devices (02 §3, §3.4, §8): a client's <message> fanned out
// to every <to> device with a server ack to the sender; <receipt>s acked and
// routed back to the sending device; <ack>s and receipts confirming what sits
// in the offline queue. Devices 0 are the simulated phones: what reaches them
// is decrypted by wasim and answered with a delivery receipt.
#pragma once

#include <string>
#include <string_view>

#include "wasim/directory.h"
#include "wasim/session.h"
#include "wire/node.h"

namespace wacrm::wasim {

class World;

class Relay {
 public:
  explicit Relay(World& world) : world_(world) {}

  void on_message(Session& session, const wire::Node& message);
  void on_receipt(Session& session, const wire::Node& receipt);
  void on_ack(Session& session, const wire::Node& ack);

 private:
  // What the phone of `target` does with a message from `sender`.
  void to_phone(Account& target, const wire::Jid& sender, const wire::Node& enc, const std::string& id, bool own);
  // Removes confirmed stanzas; tells Login when the key share was among them.
  void confirm(Session& session, const std::string& klass, const std::string& id, const std::string& to);
  // Ends the stream with <stream:error><CONDITION/></stream:error>.
  void reject(Session& session, const std::string& reason, std::string_view condition = "bad-request");
  void refuse_unknown_chat(Session& session, const std::string& id, const wire::Jid& to, const wire::Jid& sender_jid);

  World& world_;
};

}  // namespace wacrm::wasim
