#include "store/pg/pg_account_repository.h"

#include <fmt/format.h>

#include "store/pg/pg_time.h"

namespace wacrm::store {

namespace {

constexpr std::string_view kColumns =
    "id, name, created_at, jid, lid, push_name, link_state, linked_at, logged_out_reason";

Result<Account> account_from_row(const PgResult& r, int row) {
  Account a;
  a.id = r.int64(row, 0);
  a.name = std::string(r.text(row, 1));
  a.created_at = WACRM_TRY(parse_timestamptz(r.text(row, 2)));
  a.jid = r.optional_text(row, 3);
  a.lid = r.optional_text(row, 4);
  a.push_name = r.optional_text(row, 5);
  a.link_state = WACRM_TRY(parse_link_state(r.text(row, 6)));
  if (!r.is_null(row, 7)) a.linked_at = WACRM_TRY(parse_timestamptz(r.text(row, 7)));
  a.logged_out_reason = r.optional_text(row, 8);
  return a;
}

Error not_found(std::string_view name) {
  return Error{Errc::not_found, fmt::format("no account named '{}'", name)};
}

}  // namespace

Result<Account> PgAccountRepository::add(std::string_view name) {
  WACRM_TRY(validate_account_name(name));
  auto r = conn_.exec(fmt::format("INSERT INTO accounts (name) VALUES ($1) RETURNING {}", kColumns), {pg_text(name)});
  if (!r) {
    if (r.error().code == Errc::already_exists)
      return make_error(Errc::already_exists, fmt::format("an account named '{}' already exists", name));
    return std::unexpected(r.error());
  }
  return account_from_row(*r, 0);
}

Result<std::vector<Account>> PgAccountRepository::list() {
  // COLLATE "C": a stable, locale-independent order (names are ASCII anyway).
  auto r = WACRM_TRY(conn_.exec(fmt::format("SELECT {} FROM accounts ORDER BY name COLLATE \"C\"", kColumns)));
  std::vector<Account> accounts;
  accounts.reserve(static_cast<std::size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) accounts.push_back(WACRM_TRY(account_from_row(r, row)));
  return accounts;
}

Result<Account> PgAccountRepository::find(std::string_view name) {
  auto r = WACRM_TRY(conn_.exec(fmt::format("SELECT {} FROM accounts WHERE name = $1", kColumns), {pg_text(name)}));
  if (r.rows() == 0) return std::unexpected(not_found(name));
  return account_from_row(r, 0);
}

Status PgAccountRepository::remove(std::string_view name) {
  // Every per-account table references accounts ON DELETE CASCADE (contacts'
  // notes and tags, chats' participants, messages' edits and media cascade in
  // turn), so one statement removes everything, atomically.
  auto r = WACRM_TRY(conn_.exec("DELETE FROM accounts WHERE name = $1", {pg_text(name)}));
  if (r.affected() == 0) return std::unexpected(not_found(name));
  return {};
}

Result<AccountUsage> PgAccountRepository::usage(std::int64_t account_id) {
  auto res = WACRM_TRY(conn_.exec(
      "SELECT (SELECT count(*) FROM messages WHERE account_id = $1),"
      "       (SELECT count(*) FROM contacts WHERE account_id = $1)",
      {pg_int(account_id)}));
  return AccountUsage{res.int64(0, 0), res.int64(0, 1)};
}

}  // namespace wacrm::store
