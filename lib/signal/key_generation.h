// New keys for our own device, and the libsignal records they are stored as.
//
// The pairing code makes a local identity once (generate_local_identity) and
// keeps it in device_credentials; pre-key upkeep makes batches of one-time
// pre-keys (generate_pre_keys), stores their records (store_pre_keys) and
// uploads the public halves. The current signed pre-key needs no record of
// its own: lib/signal serves it from the local identity.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "signal/context.h"
#include "signal/keys.h"
#include "store/signal_store.h"

namespace wacrm::signal {

Result<KeyPair> generate_key_pair(Context& context);

// 1..16380, as libsignal's key helper makes them; Baileys' and whatsmeow's
// peers accept that range (notes §2.2).
Result<std::uint32_t> generate_registration_id(Context& context);

// A signed pre-key: a fresh key pair whose 33-byte public form is signed
// with the identity private key (XEdDSA).
Result<SignedPreKey> generate_signed_pre_key(Context& context, const KeyPair& identity, std::uint32_t id);

// `count` one-time pre-keys with consecutive ids starting at first_id.
// Ids are 24-bit: after 0xFFFFFF they wrap to 1 (as libsignal's helper does).
// Errc::invalid_argument for first_id 0 or above 0xFFFFFF.
Result<std::vector<PreKey>> generate_pre_keys(Context& context, std::uint32_t first_id, std::uint32_t count);

// Identity key pair, registration id and signed pre-key `signed_pre_key_id`
// (1 on WhatsApp) for a new device.
Result<store::SignalLocalIdentity> generate_local_identity(Context& context,
                                                           std::uint32_t signed_pre_key_id = 1);

// The identity key pair of a local identity.
KeyPair identity_key_pair(const store::SignalLocalIdentity& identity);

// libsignal's serialized session_pre_key, and back.
Result<Bytes> pre_key_record(Context& context, const PreKey& pre_key);
Result<PreKey> parse_pre_key_record(Context& context, ByteView record);
// libsignal's serialized session_signed_pre_key.
Result<Bytes> signed_pre_key_record(Context& context, const SignedPreKey& signed_pre_key,
                                    std::uint64_t timestamp_ms = 0);

// Stores the record of every pre-key.
Status store_pre_keys(Context& context, store::SignalStore& store, std::span<const PreKey> pre_keys);

}  // namespace wacrm::signal
