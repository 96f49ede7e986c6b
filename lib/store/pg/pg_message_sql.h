// SQL fragments the pg_message_*.cc files share.
#pragma once

#include <string>
#include <string_view>

namespace wacrm::store::message_sql {

// A text[] expression: the JID in parameter $jid_param together with its other
// form (phone <-> LID) from lid_mappings of the account in $account_param, so
// that a message or chat stored under one form is found by the other.
std::string jid_forms(int account_param, int jid_param);

// True for a LID ("…@lid", "…@hosted.lid").
bool is_lid_jid(std::string_view jid);

// The phone number of a phone JID ("4917…@s.whatsapp.net" -> "4917…"), or ""
// when the user part is not all digits.
std::string phone_of(std::string_view pn_jid);

}  // namespace wacrm::store::message_sql
