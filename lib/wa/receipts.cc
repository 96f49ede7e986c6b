#include "wa/receipts.h"

#include <string>

#include "wa/client_payload.h"
#include "wa/iq.h"

namespace wacrm::wa {

namespace {

wire::Node bytes_node(std::string tag, Bytes content) { return wire::Node(std::move(tag), {}, std::move(content)); }

// id, to=<from>, and the participant/recipient of the stanza.
wire::Node receipt_base(const wire::Node& stanza) {
  wire::Node receipt("receipt", {{"id", std::string(stanza.attr_or("id"))}});
  if (auto from = stanza.attr("from")) receipt.set_attr("to", std::string(*from));
  for (std::string_view copied : {"participant", "recipient"})
    if (auto value = stanza.attr(copied)) receipt.set_attr(copied, std::string(*value));
  return receipt;
}

wire::Node keys_node(const RetryKeys& keys) {
  const auto& id = keys.identity;
  return wire::Node(
      "keys", {},
      wire::Node::Children{
          bytes_node("type", Bytes{signal::kDjbKeyType}), bytes_node("identity", id.identity_public),
          wire::Node("key", {},
                     wire::Node::Children{bytes_node("id", big_endian(keys.pre_key.id, 3)),
                                          bytes_node("value", keys.pre_key.key.public_key)}),
          wire::Node("skey", {},
                     wire::Node::Children{bytes_node("id", big_endian(id.signed_pre_key_id, 3)),
                                          bytes_node("value", id.signed_pre_key_public),
                                          bytes_node("signature", id.signed_pre_key_signature)}),
          bytes_node("device-identity", keys.device_identity)});
}

}  // namespace

std::string_view delivery_receipt_type(const MessageAddressing& a, bool available) {
  if (a.peer) return "peer_msg";
  if (a.from_me) return "sender";
  return available ? "" : "inactive";
}

wire::Node delivery_receipt(const wire::Node& stanza, std::string_view type) {
  wire::Node receipt = receipt_base(stanza);
  if (!type.empty()) receipt.set_attr("type", std::string(type));
  return receipt;
}

wire::Node retry_receipt(const wire::Node& stanza, int count, std::uint32_t registration_id,
                         const std::optional<RetryKeys>& keys) {
  wire::Node receipt = receipt_base(stanza);
  receipt.set_attr("type", "retry");
  if (stanza.attr_or("category") == "peer") receipt.set_attr("category", "peer");
  wire::Node::Children children{
      wire::Node("retry", {{"count", std::to_string(count)},
                           {"id", std::string(stanza.attr_or("id"))},
                           {"t", std::string(stanza.attr_or("t"))},
                           {"v", "1"}}),
      bytes_node("registration", big_endian(registration_id, 4))};
  if (keys) children.push_back(keys_node(*keys));
  receipt.content = std::move(children);
  return receipt;
}

wire::Node unavailable_ack(const wire::Node& stanza, const wire::Jid& own) {
  wire::Node ack = ack_for(stanza);
  if (!own.is_empty()) ack.set_attr("from", own);
  return ack;
}

wire::Node nack(const wire::Node& stanza, int code) {
  wire::Node ack = ack_for(stanza);
  ack.set_attr("error", std::to_string(code));
  return ack;
}

}  // namespace wacrm::wa
