// Accounts as JSON: the full form the state file keeps (private keys
// included) and the public view the admin API shows. Bytes are hex.
#pragma once

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "wasim/account.h"

namespace wacrm::wasim {

using Json = nlohmann::json;

Json account_to_state(const Account& account);
Result<Account> account_from_state(const Json& json);

// No private keys; companions without their pre-key lists (counts only).
Json account_public_view(const Account& account);
Json companion_public_view(const Account& account, const Companion& companion);

// Hex helpers that fail with a message naming the field.
Result<Bytes> hex_field(const Json& object, const char* key, std::size_t expected_size = 0);

}  // namespace wacrm::wasim
