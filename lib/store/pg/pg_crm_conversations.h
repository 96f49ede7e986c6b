// The "conversation" CTEs pending replies, the summary and the overdue-reply
// events share. A conversation is a person's 1:1 chats taken together (merged
// contacts fold in), a group's chat, or a chat no contacts row describes.
#pragma once

#include <string>
#include <string_view>

namespace wacrm::store::crm_sql {

// "WITH conv_chats AS (...), conv_latest AS (...)" for account $1; group
// chats are included when the boolean $2 is true.
//   conv_chats:  chat_id, jid, is_group, pending_dismissed_at,
//                pending_notified_at, conv (person id, or -chat id), and the
//                chat's crm_chat_state (chats with a counted message only)
//   conv_latest: conv, chat_id, id, sent_at, from_me: the latest counted
//                message of each conversation
std::string conversation_ctes();

// conversation_ctes() plus ", pending_rows AS (...)": conversations whose
// latest message is theirs and was not dismissed after it.
//   pending_rows: conv, chat_id, last_id, since (their first message after
//                 my last one), unanswered, notified_at
std::string pending_ctes();

// A conversation's person (the five person_columns()) for a row aliased "w"
// with columns conv and chat_id, after kConversationJoins.
std::string conversation_person_columns();
inline constexpr std::string_view kConversationJoins =
    "LEFT JOIN crm_people p ON p.id = w.conv JOIN chats ch ON ch.id = w.chat_id";

}  // namespace wacrm::store::crm_sql
