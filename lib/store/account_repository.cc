#include "store/account_repository.h"

#include <fmt/format.h>

#include <algorithm>

namespace wacrm::store {

std::string_view link_state_name(LinkState state) {
  switch (state) {
    case LinkState::unlinked: return "unlinked";
    case LinkState::linked: return "linked";
    case LinkState::logged_out: return "logged_out";
  }
  return "unlinked";
}

Result<LinkState> parse_link_state(std::string_view name) {
  for (auto state : {LinkState::unlinked, LinkState::linked, LinkState::logged_out})
    if (link_state_name(state) == name) return state;
  return make_error(Errc::invalid_argument, fmt::format("unknown link state '{}'", name));
}

namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_name_char(char c) { return is_alnum(c) || c == '_' || c == '.' || c == '-'; }

}  // namespace

// The same rule as the CHECK on accounts.name in migrations/001_initial.sql.
Status validate_account_name(std::string_view name) {
  constexpr std::string_view rule =
      "1 to 64 characters: ASCII letters, digits, '_', '.' and '-', starting with a letter or digit";
  if (name.empty() || name.size() > 64 || !is_alnum(name.front()) ||
      !std::all_of(name.begin(), name.end(), is_name_char))
    return make_error(Errc::invalid_argument, fmt::format("invalid account name '{}': use {}", name, rule));
  return {};
}

}  // namespace wacrm::store
