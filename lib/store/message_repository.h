// Where received messages go: chats, contacts, LID/phone-number pairs and the
// messages themselves (migrations/001..003), written by the message handler
// (lib/wa/message_handler.h) and read back by the message.*, chat.* and
// contact.* control methods.
//
// Writes never open a transaction of their own: the handler runs them inside
// the transaction that also takes the Signal state a decryption advanced
// (signal/state_transaction.h), so a message and its Signal state commit
// together or not at all. The Pg implementation works on the caller's
// connection; the caller begins and commits.
//
// Addresses are JID strings without a device ("4917…@s.whatsapp.net",
// "1234…@lid", "1203…@g.us"). A person seen under both a phone-number JID and
// a LID is one contacts row (jid = the phone JID, lid = the LID); when the
// pair becomes known only after both had rows, the LID row is merged into the
// phone row with contacts.merged_into, as the CRM's merge does (see
// store/crm_store.h: merges are one level deep and reversible).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"

namespace wacrm::store {

using MessageTime = std::chrono::system_clock::time_point;

// Text as PostgreSQL's text type takes it: valid UTF-8 without NUL. Message
// bodies, push names and ids come from the network as arbitrary bytes (proto2
// strings are not checked); each invalid byte becomes U+FFFD and NULs are
// dropped, so that no message is refused by the database and redelivered
// forever. Repositories apply it to what they are given.
std::string storable_text(std::string_view text);

// messages.status of our own messages, in the order receipts advance it.
enum class MessageStatus { sent, server_ack, delivered, read, played, failed };
std::string_view message_status_name(MessageStatus status);

// A person as a stanza shows them.
struct PersonSighting {
  std::string jid;                        // the address the stanza used (PN or LID)
  std::optional<std::string> pn;          // their phone JID, when known
  std::optional<std::string> lid;         // their LID, when known
  std::optional<std::string> push_name;   // `notify`
};

// The media table's row.
struct MediaRecord {
  std::optional<std::string> mimetype;
  std::optional<std::int64_t> file_length;
  std::optional<Bytes> file_sha256;
  std::optional<Bytes> file_enc_sha256;
  std::optional<Bytes> media_key;
  std::optional<std::string> direct_path;
  std::optional<std::string> url;
  std::optional<std::int32_t> width;
  std::optional<std::int32_t> height;
  std::optional<std::int32_t> duration_seconds;
};

// What a reaction, edit or revoke acts on: a message of the same chat.
struct TargetRef {
  std::string wa_id;
  bool from_me = false;                   // the target is one of our messages
  std::optional<std::string> sender_jid;  // its author (PN or LID form), when not ours
};

// One received message (or a placeholder for one we could not read).
struct NewMessage {
  std::int64_t account_id = 0;
  std::string chat_jid;
  bool chat_is_group = false;             // groups and broadcast lists
  // The chat's other side in a 1:1 chat (also for our own messages to them).
  std::optional<PersonSighting> chat_person;
  std::string wa_id;
  std::string sender_jid;                 // the author; our own phone JID when from_me
  std::optional<PersonSighting> sender;   // unset for our own messages
  bool from_me = false;
  MessageTime sent_at;
  std::string kind;                       // messages.kind
  std::optional<std::string> body;
  std::optional<std::string> file_name;
  std::optional<std::string> quoted_wa_id;
  std::optional<TargetRef> target;        // reaction, edit, revoke, poll vote, pin/keep
  std::optional<std::string> push_name;
  std::optional<MessageStatus> status;    // our own messages
  std::optional<std::string> decrypt_error;  // placeholders: why
  int decrypt_retries = 0;                // placeholders: retry receipts sent so far
  std::optional<Bytes> raw;               // the decrypted Message protobuf, unpadded
  std::optional<MediaRecord> media;
  // Edits: the new text and when it was made (applied to the target when the
  // editor wrote it, with the old text kept in message_edits).
  std::optional<std::string> edited_body;
  std::optional<MessageTime> edited_at;
  // The LID/phone pairs it names are recorded already, their contacts rows
  // folded (MessageRepository::settled_pairs): storing it records none.
  bool pairs_recorded = false;
};

// Kinds that act on another message rather than say something themselves
// (reaction, edit, revoke, poll_vote); they never update last-interaction
// times and are never edit targets.
bool acts_on_another(std::string_view kind);

// The message with every text the network chose made storable_text().
NewMessage storable_message(NewMessage message);

// Whether MessageRepository::store_many() may write `message` in one
// statement with its neighbours: it is no placeholder, acts on no other
// message (targets, and edits that came first, are applied row by row, in
// arrival order; acts_alone()) and names nobody by both phone number and LID
// unless those pairs are recorded already (recording a pair may merge
// contacts rows, which must happen before the next stanza's addresses are
// resolved; names_unrecorded_pair()). The others are stored one by one.
bool can_store_together(const NewMessage& message);
bool acts_alone(const NewMessage& message);
bool names_unrecorded_pair(const NewMessage& message);

// True for a LID ("…@lid", "…@hosted.lid").
bool is_lid_jid(std::string_view jid);

// A sighting's phone JID and LID as far as it tells them: its JID is one of
// the two, `pn`/`lid` may add the other.
struct PersonForms {
  std::optional<std::string> pn;
  std::optional<std::string> lid;
};
PersonForms forms_of(const PersonSighting& person);

// A LID/phone pair: (LID JID, phone JID).
using LidPair = std::pair<std::string, std::string>;
// The pair a sighting names, when it names both forms (what storing it
// records), and the pairs of a message's sender and chat person.
std::optional<LidPair> lid_pair_of(const PersonSighting& person);
std::vector<LidPair> lid_pairs_of(const NewMessage& message);

enum class StoreOutcome {
  inserted,
  replaced_placeholder,  // a placeholder of the same key now holds the real message
  placeholder_updated,   // still undecryptable: the placeholder's error and retries were updated
  already_stored,        // a real message has this key: nothing written
};

struct StoreResult {
  StoreOutcome outcome = StoreOutcome::inserted;
  std::int64_t message_id = 0;            // 0 when already stored
  bool target_applied = false;            // edit/revoke: the target was stored and changed
};

// What a key already has, for the handler's look-up before decrypting.
struct ExistingMessage {
  std::int64_t id = 0;
  bool placeholder = false;
  int decrypt_retries = 0;
};

// A message's key: unique per account.
struct MessageKey {
  std::string chat_jid;
  std::string wa_id;
  std::string sender_jid;
};

// ---- reading --------------------------------------------------------------

struct MessageQuery {
  std::int64_t account_id = 0;
  std::vector<std::int64_t> chat_ids;     // empty: every chat
  std::optional<MessageTime> before;      // only messages sent before this
  int limit = 50;
};

struct StoredMessage {
  std::int64_t id = 0;
  std::string chat_jid;
  std::string wa_id;
  std::string sender_jid;
  std::string sender_name;                // the contact's name, "" for our own
  bool from_me = false;
  MessageTime sent_at;
  std::string kind;
  std::optional<std::string> body;
  std::optional<std::string> file_name;
  std::optional<std::string> quoted_wa_id;
  std::optional<std::string> target_wa_id;
  std::optional<std::string> status;
  std::optional<MessageTime> deleted_at;
  std::optional<MessageTime> edited_at;
  std::optional<std::string> decrypt_error;
  std::optional<std::string> mimetype;    // media
};

struct ChatSummary {
  std::int64_t id = 0;
  std::string jid;
  std::string name;                       // group subject, contact name, or the JID's user
  bool is_group = false;
  std::optional<MessageTime> last_message_at;
  std::int64_t messages = 0;
};

struct ContactSummary {
  std::int64_t id = 0;                    // the person (root contact)
  std::string name;
  std::string jid;
  std::optional<std::string> lid;
  std::optional<std::string> phone;
  std::optional<std::string> push_name;
  std::optional<MessageTime> last_inbound_at;
  std::optional<MessageTime> last_outbound_at;
  int merged_rows = 0;                    // other contacts rows folded into this person
};

class MessageRepository {
 public:
  virtual ~MessageRepository() = default;

  // The phone JID the server paired with this LID, if any.
  virtual Result<std::optional<std::string>> pn_for_lid(std::int64_t account_id, std::string_view lid) = 0;
  // Records a LID/phone pair and folds the person's contacts rows into one.
  virtual Status record_lid_mapping(std::int64_t account_id, std::string_view lid, std::string_view pn) = 0;

  virtual Result<std::optional<ExistingMessage>> find(std::int64_t account_id, std::string_view chat_jid,
                                                      std::string_view wa_id, std::string_view sender_jid) = 0;
  // find() for each key, in order; one round trip on PostgreSQL (a batch of
  // stanzas). The default asks find() key by key.
  virtual Result<std::vector<std::optional<ExistingMessage>>> find_many(std::int64_t account_id,
                                                                         std::span<const MessageKey> keys) {
    std::vector<std::optional<ExistingMessage>> found;
    for (const auto& k : keys) found.push_back(WACRM_TRY(find(account_id, k.chat_jid, k.wa_id, k.sender_jid)));
    return found;
  }
  // Chat, contacts, message, media, and the effect on a target. A second
  // delivery of a stored message writes nothing (already_stored).
  virtual Result<StoreResult> store(const NewMessage& message) = 0;
  // store() for each message, in order, with the same outcome as one call
  // each: one result per message. A run of messages that
  // can_store_together() with distinct keys is one statement on PostgreSQL
  // (the triggers on messages run once per run). The default calls store().
  virtual Result<std::vector<StoreResult>> store_many(std::span<const NewMessage> messages);
  // Of `pairs` (as lid_pair_of gives them), those that recording would
  // change nothing for now (the pair
  // is known and its contacts rows are one person): a message naming only
  // such pairs may be marked pairs_recorded. One round trip on PostgreSQL.
  // The default: none.
  virtual Result<std::vector<LidPair>> settled_pairs(std::int64_t account_id, std::span<const LidPair> pairs) {
    return std::vector<LidPair>{};
  }

  // A receipt for our own messages `wa_ids` in chat_jid: raises their status
  // (never lowers it). The number of messages changed.
  virtual Result<int> update_status(std::int64_t account_id, std::string_view chat_jid,
                                    const std::vector<std::string>& wa_ids, MessageStatus status) = 0;
  // A group's subject (w:gp2 notifications).
  virtual Status set_group_subject(std::int64_t account_id, std::string_view group_jid, std::string_view subject) = 0;

  // Newest `limit` messages before query.before, returned oldest first.
  virtual Result<std::vector<StoredMessage>> messages(const MessageQuery& query) = 0;
  // Chats by their latest message, newest first; chats that hold only
  // protocol messages (kind 'system') are left out.
  virtual Result<std::vector<ChatSummary>> chats(std::int64_t account_id) = 0;
  virtual Result<std::optional<std::int64_t>> chat_id(std::int64_t account_id, std::string_view jid) = 0;
  // People (not groups), by name.
  virtual Result<std::vector<ContactSummary>> contacts(std::int64_t account_id) = 0;
};

}  // namespace wacrm::store
