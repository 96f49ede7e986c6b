#include "wasim/phone_send.h"

#include <openssl/rand.h>

#include "signal/padding.h"
#include "wa/e2e.pb.h"
#include "wasim/client_faults.h"
#include "wasim/prekeys.h"
#include "wasim/simulated_phone.h"
#include "wasim/world.h"

namespace wacrm::wasim {

namespace {

constexpr std::size_t kMacSize = 8;         // SignalMessage: version || body || mac[8]
constexpr std::size_t kSignatureSize = 64;  // SenderKeyMessage: version || body || signature[64]
constexpr std::uint32_t kPreKeyInnerMessageField = 4;  // PreKeySignalMessage.message

bool read_varint(const Bytes& bytes, std::size_t& at, std::uint64_t& out) {
  out = 0;
  for (int shift = 0; at < bytes.size() && shift < 64; shift += 7) {
    std::uint8_t b = bytes[at++];
    out |= std::uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

// The end of the SignalMessage a PreKeySignalMessage carries (field 4), or 0.
std::size_t inner_message_end(const Bytes& pkmsg) {
  std::size_t at = 1;  // the version byte
  while (at < pkmsg.size()) {
    std::uint64_t key = 0, value = 0;
    if (!read_varint(pkmsg, at, key)) return 0;
    if ((key & 7) == 0) {
      if (!read_varint(pkmsg, at, value)) return 0;
    } else if ((key & 7) == 2) {
      if (!read_varint(pkmsg, at, value) || value > pkmsg.size() - at) return 0;
      at += value;
      if ((key >> 3) == kPreKeyInnerMessageField) return at;
    } else {
      return 0;
    }
  }
  return 0;
}

}  // namespace

std::string new_message_id() {
  std::uint8_t random[9];
  RAND_bytes(random, sizeof random);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string id = "3EB0";
  for (std::uint8_t b : random) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 15]);
  }
  return id;
}

Result<signal::Ciphertext> encrypt_for_device(World& world, Account& from, const DeviceRef& target,
                                              const wa::Message& message) {
  std::string plaintext;
  message.SerializeToString(&plaintext);
  Bytes padded = WACRM_TRY(signal::add_padding(as_bytes(plaintext)));
  wire::Jid device_jid = target.account->pn_jid(target.device);
  auto address = WACRM_TRY(address_of(device_jid));
  auto ciphertext = world.phone(from).encrypt(address, padded, [&]() -> Result<signal::PreKeyBundle> {
    auto bundle = take_bundle(target);
    // Accounted like a client's fetch, so the event log explains every key used.
    Json event = {{"by", "phone:" + from.phone}, {"jid", device_jid.to_string()}};
    if (bundle && bundle->pre_key) event["pre_key_id"] = bundle->pre_key->id;
    world.event("prekeys_fetched", std::move(event));
    if (bundle && bundle->pre_key) after_pre_key_taken(world, target);
    return bundle;
  });
  if (!ciphertext)
    return make_error(ciphertext.error().code,
                      "cannot encrypt for '" + device_jid.to_string() + "': " + ciphertext.error().message);
  return ciphertext;
}

wire::Node enc_node(signal::Ciphertext ciphertext) {
  return wire::Node("enc", {{"v", "2"}, {"type", std::string(signal::message_type_name(ciphertext.type))}},
                    std::move(ciphertext.bytes));
}

void queue_message(World& world, const DeviceId& device, wire::Node stanza, const std::string& id,
                   const std::string& from_user) {
  PendingStanza pending;
  pending.stanza = std::move(stanza);
  pending.id = id;
  pending.from_user = from_user;
  pending.confirm_class = "message";
  world.deliver(device, std::move(pending));
}

void corrupt(signal::Ciphertext& ciphertext) {
  Bytes& bytes = ciphertext.bytes;
  std::size_t end = bytes.size();
  std::size_t tail = kMacSize;
  if (ciphertext.type == signal::MessageType::pkmsg) end = inner_message_end(bytes);
  if (ciphertext.type == signal::MessageType::skmsg) tail = kSignatureSize;
  if (end < tail + 2) {  // not the shape we know: damage the last byte anyway
    if (!bytes.empty()) bytes.back() ^= 0x01;
    return;
  }
  bytes[end - tail - 1] ^= 0x01;  // the last byte of the MAC'd (signed) body
}

}  // namespace wacrm::wasim
