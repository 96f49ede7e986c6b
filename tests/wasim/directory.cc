#include "wasim/directory.h"

#include <algorithm>

#include "noise/hash.h"
#include "signal/key_generation.h"

namespace wacrm::wasim {

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string derived_lid(std::string_view phone) {
  static constexpr std::string_view kLabel = "wasim-lid:";
  auto digest = noise::sha256({as_bytes(kLabel), as_bytes(phone)});
  std::uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n = (n << 8) | digest[i];
  // 15 digits starting with 1..9, like real LIDs.
  constexpr std::uint64_t kLow = 100000000000000ULL;
  return std::to_string(kLow + n % (9 * kLow));
}

Status Directory::refill_phone_pre_keys(Account& account, signal::Context& context, std::size_t low_water) {
  auto& keys = account.phone_keys;
  std::size_t available = std::count_if(keys.pre_keys.begin(), keys.pre_keys.end(),
                                        [](const auto& entry) { return !entry.second.handed_out; });
  if (available >= low_water) return {};
  constexpr std::uint32_t kBatch = 50;
  auto batch = WACRM_TRY(signal::generate_pre_keys(context, keys.next_pre_key_id, kBatch));
  for (auto& key : batch) keys.pre_keys[key.id] = PhonePreKey{std::move(key), false};
  keys.next_pre_key_id = (keys.next_pre_key_id - 1 + kBatch) % signal::kMaxPreKeyId + 1;
  return {};
}

Result<Account*> Directory::create(const AccountSpec& spec, signal::Context& context) {
  if (!is_digits(spec.phone) || spec.phone.size() < 5 || spec.phone.size() > 20)
    return make_error(Errc::invalid_argument, "phone number '" + spec.phone + "' is not 5 to 20 digits");
  if (!spec.lid.empty() && !is_digits(spec.lid))
    return make_error(Errc::invalid_argument, "LID '" + spec.lid + "' is not digits");
  Account account;
  account.phone = spec.phone;
  account.lid = spec.lid.empty() ? derived_lid(spec.phone) : spec.lid;
  account.push_name = spec.push_name;
  account.business_name = spec.business_name;
  account.contacts = spec.contacts;
  account.phone_keys.identity = WACRM_TRY(signal::generate_local_identity(context));
  std::uint32_t raw_id = 0;
  auto id_bytes = noise::sha256({as_bytes(account.phone), account.phone_keys.identity.identity_public});
  for (int i = 0; i < 4; ++i) raw_id = (raw_id << 8) | id_bytes[i];
  account.phone_keys.adv_raw_id = raw_id;
  WACRM_TRY(refill_phone_pre_keys(account, context));
  return adopt(std::move(account));
}

Result<Account*> Directory::adopt(Account account) {
  if (accounts_.contains(account.phone))
    return make_error(Errc::already_exists, "account '" + account.phone + "' exists");
  if (lid_to_phone_.contains(account.lid))
    return make_error(Errc::already_exists, "LID '" + account.lid + "' belongs to another account");
  lid_to_phone_[account.lid] = account.phone;
  std::string phone = account.phone;
  auto [it, inserted] = accounts_.emplace(phone, std::move(account));
  return &it->second;
}

Status Directory::remove(std::string_view phone) {
  auto it = accounts_.find(phone);
  if (it == accounts_.end()) return make_error(Errc::not_found, "no account '" + std::string(phone) + "'");
  lid_to_phone_.erase(it->second.lid);
  accounts_.erase(it);
  return {};
}

Account* Directory::by_phone(std::string_view phone) {
  auto it = accounts_.find(phone);
  return it == accounts_.end() ? nullptr : &it->second;
}

Account* Directory::by_lid(std::string_view lid) {
  auto it = lid_to_phone_.find(lid);
  return it == lid_to_phone_.end() ? nullptr : by_phone(it->second);
}

Account* Directory::account_of(const wire::Jid& jid) {
  if (jid.server() == wire::server::kUser || jid.server() == wire::server::kLegacyUser) return by_phone(jid.user());
  if (jid.server() == wire::server::kLid) return by_lid(jid.user());
  return nullptr;
}

Result<DeviceRef> Directory::device(const wire::Jid& jid) {
  Account* account = account_of(jid);
  if (!account) return make_error(Errc::not_found, "'" + jid.to_string() + "' is not an account");
  if (jid.device() != 0 && !account->companion(jid.device()))
    return make_error(Errc::not_found, "'" + jid.to_string() + "' is not a linked device");
  return DeviceRef{account, jid.device()};
}

std::vector<Account*> Directory::all() {
  std::vector<Account*> out;
  for (auto& [phone, account] : accounts_) out.push_back(&account);
  return out;
}

}  // namespace wacrm::wasim
