// Stanzas waiting for a device to confirm them (02 §3.5). Everything wasim
// writes to a device that needs a confirmation -- messages (confirmed by a
// <receipt> or an <ack class="message">), routed receipts (confirmed by an
// <ack class="receipt">) -- sits here from the moment it is created until
// that confirmation arrives. A device that is not connected gets it at its
// next login; one that disconnects before confirming gets it again. Once
// confirmed, a stanza is gone and never sent again.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wire/node.h"

namespace wacrm::wasim {

// A device: the account's phone number and the device number.
struct DeviceId {
  std::string phone;
  std::uint16_t device = 0;
  auto operator<=>(const DeviceId&) const = default;
  std::string to_string() const { return phone + ":" + std::to_string(device); }
};

struct PendingStanza {
  std::uint64_t qid = 0;  // queue order
  wire::Node stanza;      // as written live (no offline attribute)
  std::string id;         // the stanza id the confirmation names
  std::string from_user;  // user part of the stanza's from (the confirmation's `to`)
  std::string confirm_class;  // "message" or "receipt"
  std::optional<std::uint64_t> sent_on;  // the connection it was last written to
  bool key_share = false;  // the phone's app-state key share (03 §0 trap 1)
};

class OfflineQueue {
 public:
  // Adds a stanza; returns it (stable until confirmed or dropped).
  PendingStanza& push(const DeviceId& device, PendingStanza stanza);

  // The stanzas of `device` not yet written on `connection`, oldest first.
  std::vector<PendingStanza*> unsent(const DeviceId& device, std::uint64_t connection);

  // Removes the pending stanzas of `device` that a <receipt>/<ack> confirms:
  // same class, same id and, when `to_user` is given, same sender user.
  // Returns the ids removed (with their key_share flags).
  struct Confirmed {
    std::string id;
    bool key_share = false;
  };
  std::vector<Confirmed> confirm(const DeviceId& device, std::string_view confirm_class, std::string_view id,
                                 std::string_view to_user);

  bool has_unconfirmed_key_share(const DeviceId& device) const;
  std::size_t size(const DeviceId& device) const;
  std::size_t total() const;
  void drop(const DeviceId& device);

 private:
  struct Queue {
    std::map<std::uint64_t, PendingStanza> by_order;
    // qids by stanza id: a confirmation finds its stanzas without walking a
    // backlog of thousands (bench_messages.sh keeps 1,000 in flight).
    std::multimap<std::string, std::uint64_t, std::less<>> by_id;
  };
  std::map<DeviceId, Queue> queues_;
  std::uint64_t next_qid_ = 1;
};

}  // namespace wacrm::wasim
