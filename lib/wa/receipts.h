// The receipts we send for <message> stanzas (protocol notes 02 §1.7, §3.1)
// and the <ack>s for what we leave unanswered otherwise (§3.2, §1.8). Pure:
// nodes out, nothing sent. The handler returns them; the session sends them
// after the database commit.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/bytes.h"
#include "signal/keys.h"
#include "store/signal_store.h"
#include "wa/message_addressing.h"
#include "wire/node.h"

namespace wacrm::wa {

// Retry receipts give up when their count would reach this (whatsmeow: four
// retries; Baileys' five are at most one more).
inline constexpr int kRetryReceiptLimit = 5;

// The receipt type for a processed message: "peer_msg" for our devices'
// peer traffic, "sender" for our own messages sent from another device,
// "inactive" for someone else's while we are not "available", else ""
// (delivered: no type attribute).
std::string_view delivery_receipt_type(const MessageAddressing& a, bool available);

// <receipt id to=<from> participant? recipient? type?/>.
wire::Node delivery_receipt(const wire::Node& stanza, std::string_view type);

// What a retry receipt carries beyond the count (the <keys> child): our
// identity, a fresh one-time pre-key, the signed pre-key and the
// ADVSignedDeviceIdentity. Keys are 32-byte wire keys.
struct RetryKeys {
  store::SignalLocalIdentity identity;
  signal::PreKey pre_key;
  Bytes device_identity;
};

// <receipt id type="retry" to participant? recipient? category?>
//   <retry count id t v="1"/><registration>[4]</registration><keys>…</keys>?
// </receipt>
wire::Node retry_receipt(const wire::Node& stanza, int count, std::uint32_t registration_id,
                         const std::optional<RetryKeys>& keys);

// <ack class="message"> for a stanza with no <enc> but <unavailable>: Baileys
// adds `from` (our JID) there.
wire::Node unavailable_ack(const wire::Node& stanza, const wire::Jid& own);

// <ack class=<tag> … error=code/>: a refusal (notes §3.2: 487 parse error,
// 491 invalid protobuf, 500 unhandled).
wire::Node nack(const wire::Node& stanza, int code);

}  // namespace wacrm::wa
