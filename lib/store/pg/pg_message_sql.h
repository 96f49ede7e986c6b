// SQL fragments the pg_message_*.cc files (and the batch statements of
// pg_signal_store.cc) share.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace wacrm::store::message_sql {

// A text[] expression: the JID in parameter $jid_param together with its other
// form (phone <-> LID) from lid_mappings of the account in $account_param, so
// that a message or chat stored under one form is found by the other.
std::string jid_forms(int account_param, int jid_param);

// The phone number of a phone JID ("4917…@s.whatsapp.net" -> "4917…"), or ""
// when the user part is not all digits.
std::string phone_of(std::string_view pn_jid);

// `rows` rows of a VALUES list over consecutive parameters from $first_param,
// each cast to its column's type: values_rows(2, 2, {"text", "int"}) is
// "($2::text, $3::int), ($4::text, $5::int)". For one statement per batch.
std::string values_rows(int first_param, std::size_t rows, std::initializer_list<std::string_view> types);

}  // namespace wacrm::store::message_sql
