// What the personal CRM (lib/crm) asks of the store. Every view is computed in
// SQL over the messages table (store/pg/pg_crm_*.cc); nothing here loads a
// conversation into memory except export, which streams it in batches.
//
// People and merges: contacts.merged_into folds one row into another. The
// CRM speaks of "people", the roots of those merge groups: a person's
// conversation is the union of the 1:1 chats of every row merged into it, and
// notes and tags of every row show on the person. Merges are one level deep
// (a root never points further; migration 002 enforces it).
//
// Counted messages: reactions, edits, revokes, system notices, placeholders
// (undecryptable) and messages deleted for everyone are not "messages" for
// the CRM: they do not answer, do not make a chat pending and do not count in
// stats. Everything below that says "message" means a counted one.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace wacrm::store {

using TimePoint = std::chrono::system_clock::time_point;

// A person (or a group) as every CRM view names it.
struct CrmPerson {
  std::int64_t id = 0;            // the root contact's id
  std::string name;               // best display name: address book, push name, business, +phone, JID user
  std::string jid;
  std::optional<std::string> phone;
  bool is_group = false;
};

struct CrmMessagePreview {
  TimePoint sent_at;
  bool from_me = false;
  std::string kind;               // messages.kind
  std::string text;               // body or file name, at most 120 characters
};

// ---- pending replies ------------------------------------------------------

struct PendingQuery {
  std::int64_t account_id = 0;
  TimePoint now;
  bool include_groups = false;
  int limit = 100;                // 0: no limit
};

// A conversation whose latest message came from the other side.
struct PendingReply {
  CrmPerson person;               // for a group: the group
  std::string chat_jid;           // the chat the latest message is in
  TimePoint waiting_since;        // their first message after my last one
  int unanswered = 0;             // their messages since my last one
  CrmMessagePreview last;
};

// ---- needs attention ------------------------------------------------------

struct AttentionQuery {
  std::int64_t account_id = 0;
  TimePoint now;
  int default_cadence_days = 7;
  int limit = 100;                // 0: no limit
};

struct AttentionItem {
  CrmPerson person;
  int cadence_days = 0;
  bool cadence_is_default = false;
  std::optional<TimePoint> last_exchange;  // none: never exchanged (explicit cadence only)
  TimePoint due_at;               // last exchange (or creation) + cadence; in the past
};

// ---- contact profile and stats ---------------------------------------------

// One contacts row of a person (the root first, then merged rows).
struct CrmContactRow {
  std::int64_t id = 0;
  std::string jid;
  std::optional<std::string> lid;
  std::optional<std::string> phone;
  std::optional<std::string> full_name;
  std::optional<std::string> push_name;
  std::optional<std::string> business_name;
  bool is_root = false;
};

struct CrmNote {
  std::int64_t id = 0;
  std::int64_t contact_id = 0;
  std::string body;
  TimePoint created_at;
};

struct ContactProfile {
  CrmPerson person;
  std::vector<CrmContactRow> rows;
  std::vector<std::string> tags;  // union over the rows, sorted
  std::vector<CrmNote> notes;     // oldest first
  std::optional<int> cadence_days;
  bool attention_excluded = false;
};

struct DirectionCounts {
  std::int64_t all_time = 0;
  std::int64_t last_30_days = 0;
  std::int64_t last_90_days = 0;
};

struct ResponseTimes {
  std::int64_t samples = 0;
  double average_seconds = 0;     // 0 when samples == 0
  double median_seconds = 0;
};

struct ContactStats {
  std::optional<TimePoint> first_interaction;
  std::optional<TimePoint> last_interaction;
  DirectionCounts sent;           // by me
  DirectionCounts received;
  ResponseTimes my_replies;       // how long I take to answer them
  ResponseTimes their_replies;    // how long they take to answer me
  std::vector<std::int64_t> by_hour;     // 24 counts, local hour 0..23
  std::vector<std::int64_t> by_weekday;  // 7 counts, Monday first
  std::optional<CrmMessagePreview> last_sent;
  std::optional<CrmMessagePreview> last_received;
};

struct ContactListQuery {
  std::int64_t account_id = 0;
  std::optional<std::string> tag;
  bool include_groups = false;
  int limit = 200;                // 0: no limit
};

struct ContactListItem {
  CrmPerson person;
  std::vector<std::string> tags;
  std::optional<TimePoint> last_interaction;
};

struct ContactSettings {
  // Outer optional: change it or not; inner: a value or back to the default.
  std::optional<std::optional<int>> cadence_days;
  std::optional<bool> attention_excluded;
};

// A name matched by find_people_by_name.
enum class NameMatch { exact, partial, similar };
struct PersonMatch {
  CrmPerson person;
  NameMatch match = NameMatch::similar;
};

// ---- reminders ------------------------------------------------------------

struct Reminder {
  std::int64_t id = 0;
  std::optional<CrmPerson> person;
  std::string body;
  TimePoint due_at;
  TimePoint created_at;
  std::optional<TimePoint> done_at;
  std::optional<TimePoint> notified_at;
};

struct DueReminder {
  std::string account;            // account name
  Reminder reminder;
};

struct OverduePending {
  std::string account;
  PendingReply pending;
};

// ---- search ---------------------------------------------------------------

struct SearchQuery {
  std::int64_t account_id = 0;
  std::string text;               // websearch syntax: words, "phrases", -not, or
  std::optional<std::int64_t> person_id;   // their 1:1 chats and what they wrote in groups
  std::vector<std::int64_t> chat_ids;      // empty: every chat
  std::optional<TimePoint> from;  // inclusive
  std::optional<TimePoint> to;    // exclusive
  std::optional<bool> from_me;
  TimePoint now;                  // for the recency part of the rank
  int limit = 20;
  int offset = 0;
};

// Marks around matched words in SearchHit::snippet.
inline constexpr char kMatchStart = '\x02';
inline constexpr char kMatchEnd = '\x03';

struct SearchHit {
  std::int64_t message_id = 0;
  std::string chat_jid;
  std::string chat_name;
  std::string sender;
  bool from_me = false;
  TimePoint sent_at;
  std::string kind;
  std::string snippet;            // matches between kMatchStart and kMatchEnd
  double score = 0;
};

// ---- export ---------------------------------------------------------------

struct CrmChat {
  std::int64_t id = 0;
  std::string jid;
  bool is_group = false;
  std::string name;
};

struct ExportMessage {
  std::int64_t id = 0;
  std::string chat_jid;
  TimePoint sent_at;
  std::string local_time;         // ISO 8601 in the export's time zone, with offset
  bool from_me = false;
  std::string sender;             // "Me" for my messages
  std::string sender_jid;
  std::string kind;
  std::optional<std::string> body;
  std::optional<std::string> file_name;
  bool deleted = false;
  bool edited = false;
};

using ExportBatchSink = std::function<Status(std::span<const ExportMessage>)>;

// ---- summary --------------------------------------------------------------

struct RecentConversation {
  CrmPerson person;
  std::string chat_jid;
  CrmMessagePreview last;
};

struct SummaryCounts {
  std::int64_t pending = 0;       // 1:1 conversations waiting for my reply
  std::int64_t attention = 0;
  std::int64_t reminders_due = 0;
  std::int64_t messages_today = 0;   // since local midnight, both directions
  std::vector<RecentConversation> recent;
};

// ---------------------------------------------------------------------------

class CrmStore {
 public:
  virtual ~CrmStore() = default;

  // Accounts. An empty name means the only account: Errc::invalid_argument
  // naming the accounts when there are several, Errc::not_found when none.
  virtual Result<std::int64_t> account_id(std::string_view name) = 0;
  virtual Result<std::vector<std::int64_t>> account_ids() = 0;

  // Time zones: Errc::invalid_argument for a name PostgreSQL does not know.
  virtual Status check_time_zone(std::string_view tz) = 0;
  // A wall-clock time "YYYY-MM-DD HH:MM:SS" in tz, as an instant.
  virtual Result<TimePoint> local_to_instant(std::string_view local, std::string_view tz) = 0;

  // People. By address: a JID or LID (exact) or phone digits (E.164 without
  // '+'), matched against every row and returned as roots.
  virtual Result<std::vector<CrmPerson>> find_people_by_address(std::int64_t account_id,
                                                                std::string_view address) = 0;
  // By name, accents and case folded, over full, first, push and business
  // names and group subjects: the exact matches if any, else partial ones
  // (substring), else up to `limit` similar ones (trigram similarity).
  virtual Result<std::vector<PersonMatch>> find_people_by_name(std::int64_t account_id,
                                                              std::string_view name, int limit) = 0;
  virtual Result<CrmPerson> person(std::int64_t account_id, std::int64_t person_id) = 0;

  virtual Result<std::vector<PendingReply>> pending(const PendingQuery& query) = 0;
  // Hides a conversation (its chats, see conversation_chats) from pending
  // until their next message.
  virtual Status dismiss_pending(std::int64_t account_id, std::span<const std::int64_t> chat_ids,
                                 TimePoint now) = 0;
  virtual Result<std::vector<AttentionItem>> attention(const AttentionQuery& query) = 0;

  virtual Result<ContactProfile> profile(std::int64_t account_id, std::int64_t person_id) = 0;
  // tz: an IANA name for the hour and weekday histograms.
  virtual Result<ContactStats> stats(std::int64_t account_id, std::int64_t person_id, TimePoint now,
                                     std::string_view tz) = 0;
  virtual Result<std::vector<ContactListItem>> list_people(const ContactListQuery& query) = 0;
  virtual Status update_settings(std::int64_t account_id, std::int64_t person_id,
                                 const ContactSettings& settings) = 0;

  virtual Result<CrmNote> add_note(std::int64_t account_id, std::int64_t person_id, std::string_view body) = 0;
  virtual Result<std::vector<CrmNote>> notes(std::int64_t account_id, std::int64_t person_id) = 0;
  // Adds the tags to the person in one statement (tags already there are
  // fine). Errc::invalid_argument, and nothing added, when a tag has spaces
  // or is longer than 64 characters.
  virtual Status add_tags(std::int64_t account_id, std::int64_t person_id, std::span<const std::string> tags) = 0;
  // Removes the tags from every row of the person in one statement; returns
  // the tags that were there.
  virtual Result<std::vector<std::string>> remove_tags(std::int64_t account_id, std::int64_t person_id,
                                                       std::span<const std::string> tags) = 0;

  // Folds `fold` (and anything merged into it) into `keep`, in one
  // transaction. Errc::invalid_argument when keep is not a root, they are the
  // same, or one is a group.
  virtual Status merge(std::int64_t account_id, std::int64_t keep, std::int64_t fold) = 0;
  // Detaches a merged row again. Errc::invalid_argument when it is not merged.
  virtual Status unmerge(std::int64_t account_id, std::int64_t contact_id) = 0;
  // The contacts row for an address, merged or not (for unmerge).
  virtual Result<CrmContactRow> contact_row(std::int64_t account_id, std::string_view address) = 0;

  virtual Result<Reminder> add_reminder(std::int64_t account_id, std::optional<std::int64_t> person_id,
                                        std::string_view body, TimePoint due_at) = 0;
  // Open reminders by due time (and done ones too when asked).
  virtual Result<std::vector<Reminder>> reminders(std::int64_t account_id, bool include_done) = 0;
  virtual Result<Reminder> complete_reminder(std::int64_t account_id, std::int64_t id, TimePoint now) = 0;
  // Moves the due time and re-arms the due event.
  virtual Result<Reminder> reschedule_reminder(std::int64_t account_id, std::int64_t id, TimePoint due_at) = 0;
  // Every account's open reminders due by now that have not raised their
  // event yet, marked as raised in the same statement: each is returned once.
  virtual Result<std::vector<DueReminder>> claim_due_reminders(TimePoint now) = 0;
  // Every account's 1:1 conversations waiting longer than `after` that have
  // not raised an event since they started waiting, marked in the same
  // transaction.
  virtual Result<std::vector<OverduePending>> claim_overdue_pending(TimePoint now, std::chrono::seconds after) = 0;

  virtual Result<std::vector<SearchHit>> search(const SearchQuery& query) = 0;

  // The chats that make up a person's conversation (their 1:1 chats, or the
  // group's chat).
  virtual Result<std::vector<CrmChat>> conversation_chats(std::int64_t account_id, std::int64_t person_id) = 0;
  // A chat by JID (groups without a contacts row included).
  virtual Result<CrmChat> chat_by_jid(std::int64_t account_id, std::string_view jid) = 0;
  // Every message of the chats (reactions, edits and revokes excluded, as
  // they are already applied to their targets), oldest first, in batches of
  // at most batch_size from a server-side cursor; local_time in tz.
  virtual Status export_messages(std::int64_t account_id, std::span<const std::int64_t> chat_ids,
                                 std::string_view tz, int batch_size, const ExportBatchSink& sink) = 0;

  virtual Result<SummaryCounts> summary(std::int64_t account_id, TimePoint now, std::string_view tz,
                                        int default_cadence_days, int recent_limit) = 0;
};

}  // namespace wacrm::store
