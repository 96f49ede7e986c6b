// One-time pre-key upkeep (protocol notes 01 §7.3, 02 §2.9): how many keys
// the server has left, the upload iq, and the batch policy — 812 keys the
// first time, 50 when the server reports fewer than 5. The bookkeeping
// (next id, which keys were uploaded) goes through the stores; keys are
// marked uploaded only after the server's result.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/error.h"
#include "signal/keys.h"
#include "store/signal_store.h"
#include "wa/store_access.h"
#include "wire/node.h"

namespace wacrm::wa {

inline constexpr std::uint32_t kMinPreKeysOnServer = 5;
inline constexpr std::uint32_t kInitialPreKeyBatch = 812;
inline constexpr std::uint32_t kPreKeyTopUpBatch = 50;

// <iq xmlns="encrypt" type="get" to=server><count/></iq>
wire::Node pre_key_count_query();
// The value of <count value="N"/> in the answer. Errc::malformed otherwise.
Result<std::uint32_t> parse_pre_key_count(const wire::Node& result);
// <notification type="encrypt" from=server><count value="N"/></notification>:
// N, or nullopt for any other stanza.
std::optional<std::uint32_t> low_pre_key_notification(const wire::Node& stanza);

// How many keys to upload when the server holds `on_server`: none at 5 or
// more; the initial batch if it has none and never had; else a top-up.
std::uint32_t pre_keys_to_upload(std::uint32_t on_server, bool server_ever_had);

// The upload iq: registration id, key type, identity, every key, the signed pre-key.
wire::Node pre_key_upload(const store::SignalLocalIdentity& identity, std::span<const signal::PreKey> keys);

// On a database thread: `count` keys to upload — keys stored earlier but never
// uploaded first (a crash between storing and uploading loses none), then new
// ones from the next free id, stored together with the advanced id.
Result<std::vector<signal::PreKey>> prepare_pre_keys(AccountStores& stores, std::uint32_t count);
// On a database thread, after the server's result: marks them uploaded.
Status record_pre_key_upload(AccountStores& stores, std::span<const std::uint32_t> ids);

}  // namespace wacrm::wa
