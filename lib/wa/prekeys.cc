#include "wa/prekeys.h"

#include <charconv>

#include "signal/context.h"
#include "signal/key_generation.h"
#include "wa/client_payload.h"
#include "wa/iq.h"

namespace wacrm::wa {

namespace {

wire::Node bytes_child(std::string tag, Bytes content) { return wire::Node(std::move(tag), {}, std::move(content)); }

std::optional<std::uint32_t> count_value(const wire::Node* count) {
  if (!count) return std::nullopt;
  auto text = count->attr_or("value");
  std::uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

wire::Node pre_key_count_query() { return make_iq("get", "encrypt", {wire::Node("count")}); }

Result<std::uint32_t> parse_pre_key_count(const wire::Node& result) {
  if (auto value = count_value(result.child("count"))) return *value;
  return make_error(Errc::malformed, "the pre-key count answer has no <count value>");
}

std::optional<std::uint32_t> low_pre_key_notification(const wire::Node& stanza) {
  if (stanza.tag != "notification" || stanza.attr_or("type") != "encrypt") return std::nullopt;
  auto from = stanza.attr_or("from");
  if (from != server_jid() && from != wire::server::kUser) return std::nullopt;
  return count_value(stanza.child("count"));
}

std::uint32_t pre_keys_to_upload(std::uint32_t on_server, bool server_ever_had) {
  if (on_server >= kMinPreKeysOnServer) return 0;
  return on_server == 0 && !server_ever_had ? kInitialPreKeyBatch : kPreKeyTopUpBatch;
}

wire::Node pre_key_upload(const store::SignalLocalIdentity& identity, std::span<const signal::PreKey> keys) {
  wire::Node::Children list;
  list.reserve(keys.size());
  for (const auto& key : keys)
    list.push_back(wire::Node("key", {}, wire::Node::Children{bytes_child("id", big_endian(key.id, 3)),
                                                               bytes_child("value", key.key.public_key)}));
  wire::Node skey("skey", {}, wire::Node::Children{bytes_child("id", big_endian(identity.signed_pre_key_id, 3)),
                                                   bytes_child("value", identity.signed_pre_key_public),
                                                   bytes_child("signature", identity.signed_pre_key_signature)});
  return make_iq("set", "encrypt",
                 {bytes_child("registration", big_endian(identity.registration_id, 4)),
                  bytes_child("type", Bytes{signal::kDjbKeyType}), bytes_child("identity", identity.identity_public),
                  wire::Node("list", {}, std::move(list)), std::move(skey)});
}

Result<std::vector<signal::PreKey>> prepare_pre_keys(AccountStores& stores, std::uint32_t count) {
  // A context of our own: this runs on a database thread, not the session's.
  signal::Context context = WACRM_TRY(signal::Context::create());
  std::vector<signal::PreKey> keys;
  for (std::uint32_t id : WACRM_TRY(stores.signal().unuploaded_pre_key_ids())) {
    if (keys.size() == count) break;
    auto record = WACRM_TRY(stores.signal().load_pre_key(id));
    if (record) keys.push_back(WACRM_TRY(signal::parse_pre_key_record(context, *record)));
  }
  if (keys.size() == count) return keys;

  auto credentials = WACRM_TRY(stores.credentials().load());
  if (!credentials) return make_error(Errc::not_found, "no device credentials to make pre-keys for");
  const std::uint32_t missing = count - static_cast<std::uint32_t>(keys.size());
  const std::uint32_t first_id = credentials->next_pre_key_id == 0 ? 1 : credentials->next_pre_key_id;
  auto fresh = WACRM_TRY(signal::generate_pre_keys(context, first_id, missing));
  const std::uint32_t next_id = (first_id - 1 + missing) % signal::kMaxPreKeyId + 1;
  WACRM_TRY(stores.atomically([&]() -> Status {
    WACRM_TRY(signal::store_pre_keys(context, stores.signal(), fresh));
    return stores.credentials().set_next_pre_key_id(next_id);
  }));
  keys.insert(keys.end(), std::make_move_iterator(fresh.begin()), std::make_move_iterator(fresh.end()));
  return keys;
}

Status record_pre_key_upload(AccountStores& stores, std::span<const std::uint32_t> ids) {
  return stores.atomically([&]() -> Status {
    WACRM_TRY(stores.signal().mark_pre_keys_uploaded(ids));
    return stores.credentials().set_server_has_pre_keys(true);
  });
}

}  // namespace wacrm::wa
