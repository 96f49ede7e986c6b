// A simulated phone answering retry receipts (02 §1.7, whatsmeow retry.go):
// when a device could not decrypt a message a simulated person sent, the
// phone sends it again with the same id -- from a fresh session when the
// receipt carries the device's <keys>, else on the session it has -- as
// <enc count=N>, up to kMaxRetries. Groups: the resend goes one-to-one and
// carries the sender key again. Also the fault that makes those receipts
// happen: a person's next ciphertexts corrupted (POST /v1/corrupt-next).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "signal/bundle.h"
#include "wasim/account.h"
#include "wasim/session.h"
#include "wire/node.h"

namespace wacrm::wasim {

class World;

// What a phone keeps of a message it sent, to send it again.
struct SentMessage {
  std::string chat;       // the recipient's JID, or the group's
  std::string plaintext;  // the serialized wa.Message, unpadded
  std::string type;       // the stanza's type attribute
  std::int64_t t = 0;
};

class Retries {
 public:
  static constexpr int kMaxRetries = 5;        // whatsmeow stops asking at 5
  static constexpr std::size_t kRemembered = 256;  // whatsmeow's recent-message cache

  explicit Retries(World& world) : world_(world) {}

  void remember(const std::string& from_phone, const std::string& id, SentMessage message);
  // {"phone","times"?:1} -> {"phone","remaining"}: the next `times`
  // ciphertexts of that phone (resends included) are corrupted.
  Result<nlohmann::json> corrupt_next(const nlohmann::json& request);
  // Consumes the armed fault of `phone`, if any.
  bool take_corrupt(const std::string& phone);
  // A <receipt type="retry"> from `session`'s device for a message `sender`'s
  // phone sent.
  void on_retry_receipt(Session& session, const wire::Node& receipt, Account& sender);

 private:
  Status resend(Session& session, const wire::Node& receipt, Account& sender, const SentMessage& sent,
                int count, nlohmann::json& event);

  World& world_;
  std::map<std::pair<std::string, std::string>, SentMessage> recent_;  // (sender phone, id)
  std::deque<std::pair<std::string, std::string>> order_;
  std::map<std::string, int> corrupt_next_;  // phone -> ciphertexts left to corrupt
};

// The pre-key bundle a retry receipt's <registration> and <keys> describe
// (whatsmeow nodeToPreKeyBundle). Errc::malformed naming what is missing.
Result<signal::PreKeyBundle> bundle_from_retry_receipt(const wire::Node& receipt, int device);

}  // namespace wacrm::wasim
