#include "wasim/simulated_phone.h"

#include <vector>

#include "signal/key_generation.h"
#include "signal/padding.h"

namespace wacrm::wasim {

SimulatedPhone::SimulatedPhone(signal::Context& context, Account& account)
    : context_(context),
      account_(account),
      store_(account.phone_keys.identity),
      protocol_(context, store_, signal::TrustPolicy::accept_changes) {
  for (const auto& session : account.phone_sessions) {
    (void)store_.store_session(session.name, session.device, session.record);
    if (!session.identity.empty()) (void)store_.save_identity(session.name, session.device, session.identity);
  }
}

std::vector<PhoneSession> SimulatedPhone::export_sessions(const std::vector<signal::Address>& candidates) {
  std::vector<PhoneSession> out;
  for (const auto& address : candidates) {
    auto record = store_.load_session(address.name, address.device);
    if (!record || !*record) continue;
    auto identity = store_.load_identity(address.name, address.device);
    out.push_back({address.name, address.device, **record,
                   identity && *identity ? **identity : Bytes()});
  }
  return out;
}

Status SimulatedPhone::sync_pre_keys() {
  for (const auto& [id, pre_key] : account_.phone_keys.pre_keys) {
    if (WACRM_TRY(store_.contains_pre_key(id))) continue;
    Bytes record = WACRM_TRY(signal::pre_key_record(context_, pre_key.key));
    WACRM_TRY(store_.store_pre_key(id, record));
  }
  return {};
}

Result<signal::Ciphertext> SimulatedPhone::encrypt(const signal::Address& remote, ByteView padded,
                                                   const BundleSource& fetch_bundle) {
  auto has = protocol_.has_session(remote);
  if (!has) return std::unexpected(Error(has.error()));
  if (!*has) {
    signal::PreKeyBundle bundle = WACRM_TRY(fetch_bundle());
    if (auto built = protocol_.build_session_from_bundle(remote, bundle); !built)
      return std::unexpected(Error(built.error()));
  }
  auto ciphertext = protocol_.encrypt(remote, padded);
  if (!ciphertext) return std::unexpected(Error(ciphertext.error()));
  return std::move(*ciphertext);
}

Status SimulatedPhone::start_session(const signal::Address& remote, const signal::PreKeyBundle& bundle) {
  if (auto built = protocol_.build_session_from_bundle(remote, bundle); !built)
    return std::unexpected(Error(built.error()));
  return {};
}

Result<Bytes> SimulatedPhone::sender_key_distribution(std::string_view group) {
  auto own = WACRM_TRY(address_of(account_.pn_jid()));
  auto skdm = protocol_.create_own_sender_key(group, own);
  if (!skdm) return std::unexpected(Error(skdm.error()));
  return std::move(*skdm);
}

Result<Bytes> SimulatedPhone::group_encrypt(std::string_view group, ByteView padded) {
  auto own = WACRM_TRY(address_of(account_.pn_jid()));
  auto ciphertext = protocol_.group_encrypt(group, own, padded);
  if (!ciphertext) return std::unexpected(Error(ciphertext.error()));
  return std::move(*ciphertext);
}

signal::SignalResult<Bytes> SimulatedPhone::decrypt(const signal::Address& sender, signal::MessageType type,
                                                    ByteView ciphertext) {
  if (auto synced = sync_pre_keys(); !synced)
    return signal::make_signal_error(signal::SignalErrc::store, synced.error().message);
  auto padded = type == signal::MessageType::pkmsg ? protocol_.decrypt_pkmsg(sender, ciphertext)
                                                   : protocol_.decrypt_msg(sender, ciphertext);
  if (!padded) return std::unexpected(padded.error());
  // The pkmsg consumed a one-time pre-key: forget it on the account too.
  std::vector<std::uint32_t> used;
  for (const auto& [id, pre_key] : account_.phone_keys.pre_keys) {
    auto present = store_.contains_pre_key(id);
    if (present && !*present) used.push_back(id);
  }
  for (std::uint32_t id : used) account_.phone_keys.pre_keys.erase(id);
  return signal::strip_padding(*padded);
}

Result<signal::Address> address_of(const wire::Jid& jid) {
  return signal::signal_address_for(jid.user(), jid.server(), jid.device());
}

}  // namespace wacrm::wasim
