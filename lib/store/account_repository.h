// The people who link a WhatsApp number to this daemon. One daemon serves
// several accounts side by side; every other table hangs off an account.
// This header is the interface the daemon and the CRM see (no libpq);
// store/pg/pg_account_repository.h implements it on PostgreSQL.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace wacrm::store {

enum class LinkState { unlinked, linked, logged_out };

// "unlinked", "linked", "logged_out" (the values stored in accounts.link_state).
std::string_view link_state_name(LinkState state);
// Errc::invalid_argument for anything else.
Result<LinkState> parse_link_state(std::string_view name);

struct Account {
  std::int64_t id = 0;
  std::string name;
  std::chrono::system_clock::time_point created_at;
  std::optional<std::string> jid;        // our device JID once linked
  std::optional<std::string> lid;
  std::optional<std::string> push_name;
  LinkState link_state = LinkState::unlinked;
  std::optional<std::chrono::system_clock::time_point> linked_at;
  std::optional<std::string> logged_out_reason;
};

// How much an account holds: what removing it would delete.
struct AccountUsage {
  std::int64_t messages = 0;
  std::int64_t contacts = 0;
};

// Account names: 1 to 64 characters, ASCII letters, digits, '_', '.', '-',
// starting with a letter or digit. Errc::invalid_argument quoting the name
// and the rule otherwise.
Status validate_account_name(std::string_view name);

class AccountRepository {
 public:
  virtual ~AccountRepository() = default;

  // Errc::already_exists when the name is taken; Errc::invalid_argument for a bad name.
  virtual Result<Account> add(std::string_view name) = 0;
  // Ordered by name.
  virtual Result<std::vector<Account>> list() = 0;
  // Errc::not_found.
  virtual Result<Account> find(std::string_view name) = 0;
  // Deletes the account and all its data (credentials, Signal state,
  // contacts, messages, notes...). Errc::not_found.
  virtual Status remove(std::string_view name) = 0;
  virtual Result<AccountUsage> usage(std::int64_t account_id) = 0;
};

}  // namespace wacrm::store
