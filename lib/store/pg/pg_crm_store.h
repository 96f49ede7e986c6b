// CrmStore on PostgreSQL. The queries live in one file per feature
// (pg_crm_pending.cc, pg_crm_attention.cc, ...); the SQL fragments they share
// (the "counted message" predicate, person and preview columns) are in
// pg_crm_sql.h. Schema: migrations/001_initial.sql and 002_crm.sql.
#pragma once

#include <span>
#include <utility>
#include <vector>

#include "store/crm_store.h"
#include "store/pg/pg_connection.h"

namespace wacrm::store {

class PgCrmStore final : public CrmStore {
 public:
  // Uses conn for every call; conn must outlive this object and, like any
  // PgConnection, be used by one thread at a time. Cheap to construct: make
  // one per job on a pool connection.
  explicit PgCrmStore(PgConnection& conn) : conn_(conn) {}

  Result<std::int64_t> account_id(std::string_view name) override;
  Result<std::vector<std::int64_t>> account_ids() override;
  Status check_time_zone(std::string_view tz) override;
  Result<TimePoint> local_to_instant(std::string_view local, std::string_view tz) override;

  Result<std::vector<CrmPerson>> find_people_by_address(std::int64_t account_id, std::string_view address) override;
  Result<std::vector<PersonMatch>> find_people_by_name(std::int64_t account_id, std::string_view name,
                                                      int limit) override;
  Result<CrmPerson> person(std::int64_t account_id, std::int64_t person_id) override;

  Result<std::vector<PendingReply>> pending(const PendingQuery& query) override;
  Status dismiss_pending(std::int64_t account_id, std::span<const std::int64_t> chat_ids, TimePoint now) override;
  Result<std::vector<AttentionItem>> attention(const AttentionQuery& query) override;

  Result<ContactProfile> profile(std::int64_t account_id, std::int64_t person_id) override;
  Result<ContactStats> stats(std::int64_t account_id, std::int64_t person_id, TimePoint now,
                             std::string_view tz) override;
  Result<std::vector<ContactListItem>> list_people(const ContactListQuery& query) override;
  Status update_settings(std::int64_t account_id, std::int64_t person_id, const ContactSettings& settings) override;

  Result<CrmNote> add_note(std::int64_t account_id, std::int64_t person_id, std::string_view body) override;
  Result<std::vector<CrmNote>> notes(std::int64_t account_id, std::int64_t person_id) override;
  Status add_tags(std::int64_t account_id, std::int64_t person_id, std::span<const std::string> tags) override;
  Result<std::vector<std::string>> remove_tags(std::int64_t account_id, std::int64_t person_id,
                                               std::span<const std::string> tags) override;

  Status merge(std::int64_t account_id, std::int64_t keep, std::int64_t fold) override;
  Status unmerge(std::int64_t account_id, std::int64_t contact_id) override;
  Result<CrmContactRow> contact_row(std::int64_t account_id, std::string_view address) override;

  Result<Reminder> add_reminder(std::int64_t account_id, std::optional<std::int64_t> person_id,
                                std::string_view body, TimePoint due_at) override;
  Result<std::vector<Reminder>> reminders(std::int64_t account_id, bool include_done) override;
  Result<Reminder> complete_reminder(std::int64_t account_id, std::int64_t id, TimePoint now) override;
  Result<Reminder> reschedule_reminder(std::int64_t account_id, std::int64_t id, TimePoint due_at) override;
  Result<std::vector<DueReminder>> claim_due_reminders(TimePoint now) override;
  Result<std::vector<OverduePending>> claim_overdue_pending(TimePoint now, std::chrono::seconds after) override;

  Result<std::vector<SearchHit>> search(const SearchQuery& query) override;

  Result<std::vector<CrmChat>> conversation_chats(std::int64_t account_id, std::int64_t person_id) override;
  Result<CrmChat> chat_by_jid(std::int64_t account_id, std::string_view jid) override;
  Status export_messages(std::int64_t account_id, std::span<const std::int64_t> chat_ids, std::string_view tz,
                         int batch_size, const ExportBatchSink& sink) override;

  Result<SummaryCounts> summary(std::int64_t account_id, TimePoint now, std::string_view tz,
                                int default_cadence_days, int recent_limit) override;

  // What summary() counts: as many rows as pending() (without a limit,
  // groups as given) and attention() would list.
  Result<std::int64_t> count_pending(std::int64_t account_id, bool include_groups);
  Result<std::int64_t> count_attention(std::int64_t account_id, TimePoint now, int default_cadence_days);

  // The previews of stored messages by id (the event stream's "message.stored";
  // pg_crm_previews.cc). Ids not found are left out.
  Result<std::vector<std::pair<std::int64_t, CrmMessagePreview>>> message_previews(
      std::span<const std::int64_t> message_ids);

 private:
  PgConnection& conn_;
};

}  // namespace wacrm::store
