#include "store/pg/pg_message_sql.h"

#include <fmt/format.h>

#include <algorithm>

namespace wacrm::store::message_sql {

std::string jid_forms(int account_param, int jid_param) {
  return fmt::format(
      "(ARRAY[${1}::text] || ARRAY(SELECT pn FROM lid_mappings WHERE account_id = ${0} AND lid = ${1}) "
      "|| ARRAY(SELECT lid FROM lid_mappings WHERE account_id = ${0} AND pn = ${1}))",
      account_param, jid_param);
}

std::string phone_of(std::string_view pn_jid) {
  std::string_view user = pn_jid.substr(0, pn_jid.find('@'));
  if (user.empty() || !std::all_of(user.begin(), user.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return {};
  return std::string(user);
}

std::string values_rows(int first_param, std::size_t rows, std::initializer_list<std::string_view> types) {
  std::string out;
  int next = first_param;
  for (std::size_t r = 0; r < rows; ++r) {
    out += r ? ", (" : "(";
    bool first = true;
    for (std::string_view type : types) {
      out += fmt::format("{}${}::{}", first ? "" : ", ", next++, type);
      first = false;
    }
    out += ')';
  }
  return out;
}

}  // namespace wacrm::store::message_sql
