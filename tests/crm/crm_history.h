// Hand-built message histories for the CRM tests: an account, contacts,
// chats and messages inserted as rows, at instants relative to a fixed "now",
// so every CRM view has an answer known in advance.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "store/crm_store.h"
#include "store/pg/pg_connection.h"

namespace wacrm::testing {

using namespace std::chrono_literals;
using store::TimePoint;

// 2024-06-03 12:00:00 UTC, a Monday.
inline const TimePoint kNow = TimePoint(std::chrono::sys_days(std::chrono::year{2024} / 6 / 3)) + 12h;

struct ContactSpec {
  std::string jid;
  std::optional<std::string> full_name;
  std::optional<std::string> push_name;
  std::optional<std::string> phone;
  std::optional<std::string> lid;
  bool is_group = false;
  std::optional<int> cadence_days;
  bool attention_excluded = false;
  std::optional<TimePoint> created_at;
};

struct MessageSpec {
  std::string kind = "text";
  std::optional<std::string> body;
  std::optional<std::string> file_name;
  std::optional<std::int64_t> sender_contact;   // for group messages
  std::string sender_jid;                       // default: the chat's JID, or "me@s.whatsapp.net"
  bool deleted = false;
  bool edited = false;
};

class CrmHistory {
 public:
  // Creates account `account_name`.
  CrmHistory(store::PgConnection& conn, std::string account_name = "alice");

  std::int64_t account_id() const { return account_id_; }
  std::int64_t contact(const ContactSpec& spec);
  // A person with a 1:1 chat: returns the contact id; chat_of() gives the chat.
  std::int64_t person(const std::string& name, const std::string& phone);
  // A group contact with its chat.
  std::int64_t group(const std::string& subject, const std::string& jid);
  std::int64_t chat(const std::string& jid, std::optional<std::int64_t> contact_id, bool is_group = false,
                    std::optional<std::string> subject = std::nullopt);
  std::int64_t chat_of(std::int64_t contact_id) const;

  // A message in chat at `at`.
  std::int64_t message(std::int64_t chat_id, bool from_me, TimePoint at, const MessageSpec& spec = {});
  std::int64_t in(std::int64_t chat_id, TimePoint at, std::string body = "hi") {
    return message(chat_id, false, at, {.body = std::move(body)});
  }
  std::int64_t out(std::int64_t chat_id, TimePoint at, std::string body = "hello") {
    return message(chat_id, true, at, {.body = std::move(body)});
  }

  // Runs SQL that must succeed; returns the first column of the first row.
  std::string sql(const std::string& statement);

 private:
  store::PgConnection& conn_;
  std::int64_t account_id_ = 0;
  int next_wa_id_ = 1;
};

}  // namespace wacrm::testing
