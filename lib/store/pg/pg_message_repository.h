// MessageRepository on PostgreSQL (migrations 001..008). Split by job:
//   pg_message_repository.cc  messages: store (dedupe, placeholders, media,
//                             edits, revokes), find, receipts' status
//   pg_message_batch.cc       store_many: a run of messages in one statement
//   pg_message_people.cc      contacts, chats, LID/phone pairs and the merge
//                             they imply
//   pg_message_reads.cc       the message/chat/contact lists of the read API
//
// Works on the caller's connection and never begins or commits: the message
// handler runs every write inside its own transaction, next to the Signal
// state (PgSignalStore on the same connection).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/message_repository.h"
#include "store/pg/pg_connection.h"

namespace wacrm::store {

class PgMessageRepository final : public MessageRepository {
 public:
  // conn must outlive this object; one thread at a time, like any PgConnection.
  explicit PgMessageRepository(PgConnection& conn) : conn_(conn) {}

  Result<std::optional<std::string>> pn_for_lid(std::int64_t account_id, std::string_view lid) override;
  Status record_lid_mapping(std::int64_t account_id, std::string_view lid, std::string_view pn) override;

  Result<std::optional<ExistingMessage>> find(std::int64_t account_id, std::string_view chat_jid,
                                              std::string_view wa_id, std::string_view sender_jid) override;
  Result<std::vector<std::optional<ExistingMessage>>> find_many(std::int64_t account_id,
                                                                 std::span<const MessageKey> keys) override;
  Result<StoreResult> store(const NewMessage& message) override;
  Result<std::vector<StoreResult>> store_many(std::span<const NewMessage> messages) override;
  Result<std::vector<LidPair>> settled_pairs(std::int64_t account_id, std::span<const LidPair> pairs) override;
  Result<int> update_status(std::int64_t account_id, std::string_view chat_jid,
                            const std::vector<std::string>& wa_ids, MessageStatus status) override;
  Status set_group_subject(std::int64_t account_id, std::string_view group_jid, std::string_view subject) override;

  Result<std::vector<StoredMessage>> messages(const MessageQuery& query) override;
  Result<std::vector<ChatSummary>> chats(std::int64_t account_id) override;
  Result<std::optional<std::int64_t>> chat_id(std::int64_t account_id, std::string_view jid) override;
  Result<std::vector<ContactSummary>> contacts(std::int64_t account_id) override;

 private:
  // How a person's contacts row is found (wacrm_upsert_contact, migrations/
  // 004): the phone JID when known, else the LID; the LID; the phone number
  // ("" when none). Records the LID/phone pair first when both are known,
  // unless record_pair is false (NewMessage::pairs_recorded).
  struct ContactKey {
    std::string jid;
    std::optional<std::string> lid;
    std::string phone;
  };
  Result<ContactKey> contact_key(std::int64_t account_id, const PersonSighting& person, bool record_pair = true);
  // What wacrm_store_message(s) take besides the message's own fields: the
  // sender's contacts row, how the chat's contact is found ("sender",
  // "person", "group", or "" for none) and the interaction times it moves.
  struct PeopleArgs {
    std::optional<ContactKey> sender;
    std::string chat_mode;
    std::optional<ContactKey> chat_person;  // chat_mode "person"
    std::optional<MessageTime> inbound, outbound, last;
  };
  Result<PeopleArgs> people_args(const NewMessage& message);
  // After the row was written: the outcome, then media, the effect on a
  // target, and edits or revokes that arrived before it.
  Status finish_store(const NewMessage& message, std::int64_t chat_id, bool inserted, bool has_early,
                      StoreResult& result);
  // A run of messages that can_store_together(), keys distinct, in one call
  // (wacrm_store_messages, migrations/008); results[k] for messages[k].
  Status store_run(std::span<const NewMessage> messages, StoreResult* results);
  Status store_media(std::int64_t message_id, const MediaRecord& media);
  // Edits and revokes: the change to the target (true when it was stored).
  Result<bool> apply_to_target(const NewMessage& message, std::int64_t chat_id, std::int64_t message_id);
  // Edits and revokes that arrived before `message` (their target).
  Status apply_early_arrivals(const NewMessage& message, std::int64_t chat_id, std::int64_t message_id);

  PgConnection& conn_;
};

}  // namespace wacrm::store
