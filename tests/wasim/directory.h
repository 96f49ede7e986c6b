// The accounts wasim simulates, by phone number and by LID, and the device a
// JID names. Owns the accounts; hands out stable pointers (std::map nodes).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "signal/context.h"
#include "wasim/account.h"
#include "wire/jid.h"

namespace wacrm::wasim {

// A device a JID resolves to: the account and the device number (0 = phone).
struct DeviceRef {
  Account* account = nullptr;
  std::uint16_t device = 0;
  bool is_phone() const { return device == 0; }
  // The companion, or nullptr for the phone.
  Companion* companion() const { return device == 0 ? nullptr : account->companion(device); }
};

class Directory {
 public:
  // Makes an account with fresh phone keys (identity, registration id, signed
  // pre-key, one-time pre-keys). Errc::invalid_argument for a phone that is
  // not 5..20 digits or a LID that is not digits, Errc::already_exists when
  // the phone or the LID is taken.
  Result<Account*> create(const AccountSpec& spec, signal::Context& context);
  // Takes an account as loaded from the state file (keys included).
  Result<Account*> adopt(Account account);
  Status remove(std::string_view phone);

  Account* by_phone(std::string_view phone);
  Account* by_lid(std::string_view lid);
  // A PN or LID user JID (any device). Not found: nullptr.
  Account* account_of(const wire::Jid& jid);
  // The account and device a device JID names, if both exist (device 0 always
  // exists; a companion must be paired). Errc::not_found otherwise.
  Result<DeviceRef> device(const wire::Jid& jid);

  std::vector<Account*> all();
  std::size_t size() const { return accounts_.size(); }

  // Keeps at least `low_water` unhanded one-time pre-keys on every phone.
  static Status refill_phone_pre_keys(Account& account, signal::Context& context, std::size_t low_water = 20);

 private:
  std::map<std::string, Account, std::less<>> accounts_;  // by phone
  std::map<std::string, std::string, std::less<>> lid_to_phone_;
};

// The LID user wasim gives a phone number when none is configured: 15 digits
// derived from the number, stable across runs.
std::string derived_lid(std::string_view phone);
bool is_digits(std::string_view s);

}  // namespace wacrm::wasim
