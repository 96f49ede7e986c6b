// What a decrypted WhatsApp Message says, as plain values the store persists
// (the messages and media tables of migrations/001_initial.sql) and the
// session routes on. Pure: no I/O, no logging, no database.
//
// Wrappers are looked through (device-sent copy, ephemeral, view-once v1/v2/
// v2-extension, document-with-caption, edited, bot-invoke, lottie sticker)
// and remembered as flags. Every parseable Message yields a MessageContent:
// content we do not know becomes kind `other`, never an error, so the caller
// can store it with its raw bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"

namespace wacrm::wa {

class Message;  // wa/e2e.proto

// The messages.kind column, value for value.
enum class ContentKind {
  text,
  image,
  video,
  audio,
  voice,          // audio with ptt set: a voice note
  document,
  sticker,
  location,
  live_location,
  contact,        // one vCard
  contacts,       // several vCards
  reaction,
  poll,
  poll_vote,
  edit,
  revoke,
  system,         // not content: see SystemKind
  other,          // content we do not interpret; keep the raw bytes
};

// For kind `system`: what the message is for, so the caller can route it.
enum class SystemKind {
  none,                              // kind is not `system`
  no_content,                        // nothing but message_context_info (or nothing)
  sender_key_distribution,           // only a group sender key
  history_sync_notification,
  app_state_sync_key_share,
  app_state_sync_key_request,
  app_state_fatal_exception,
  ephemeral_setting,                 // disappearing-messages timer changed; see ephemeral_expiration
  peer_data_operation_request,
  peer_data_operation_response,
  lid_migration_mapping_sync,
  keep_in_chat,                      // target = the message kept (or un-kept)
  pin_in_chat,                       // target = the message pinned (or unpinned)
  protocol_other,                    // another protocol message; see protocol_type
};

// The messages.kind text for a kind ("live_location", "poll_vote", ...).
std::string_view content_kind_name(ContentKind kind);
// A short name for logs and routing tables ("history_sync_notification", ...).
std::string_view system_kind_name(SystemKind kind);

// A MessageKey as the message that carries it wrote it (see wa/common.proto:
// from_me is from the writer's point of view).
struct MessageKeyRef {
  std::string id;
  std::string remote_jid;
  bool from_me = false;
  std::optional<std::string> participant;  // set in groups and broadcasts
};

// The message this one replies to.
struct QuotedMessage {
  std::string id;                          // messages.quoted_wa_id
  std::optional<std::string> participant;  // its author
  std::optional<std::string> remote_jid;   // its chat, when it is another chat
};

// The media table's columns, plus a few flags of interest.
struct MediaInfo {
  std::optional<std::string> mimetype;
  std::optional<std::uint64_t> file_length;
  std::optional<Bytes> file_sha256;      // SHA-256 of the plaintext file
  std::optional<Bytes> file_enc_sha256;  // SHA-256 of the file as downloaded
  std::optional<Bytes> media_key;
  std::optional<std::string> direct_path;
  std::optional<std::string> url;
  std::optional<std::uint32_t> width;
  std::optional<std::uint32_t> height;
  std::optional<std::uint32_t> seconds;
  std::optional<std::int64_t> media_key_timestamp;
  bool gif_playback = false;  // a video that is really a GIF
  bool video_note = false;    // a round video note (ptv)
  bool animated = false;      // an animated sticker
};

struct GeoLocation {
  double latitude = 0;
  double longitude = 0;
  std::optional<std::string> name;
  std::optional<std::string> address;
  std::optional<std::string> url;
};

struct PollSummary {
  std::string question;
  std::vector<std::string> options;
  std::uint32_t selectable_count = 0;  // 0 = any number
};

// An encrypted vote; decrypting it needs the poll's message_secret.
struct EncryptedPollVote {
  Bytes enc_payload;  // ciphertext with GCM tag
  Bytes enc_iv;
};

struct MessageContent {
  ContentKind kind = ContentKind::other;
  SystemKind system = SystemKind::none;
  // ProtocolMessage.type, whenever a protocol message was the content.
  std::optional<std::int32_t> protocol_type;

  // messages.body: text, caption, reaction emoji (empty = reaction removed),
  // poll question with its options, contact name, location name and address.
  std::optional<std::string> body;
  std::optional<std::string> file_name;  // documents
  std::optional<QuotedMessage> quoted;
  std::vector<std::string> mentioned_jids;

  // Reaction, edit, revoke, poll vote, keep/pin: the message acted on.
  std::optional<MessageKeyRef> target;
  // Edit: the new text (or caption) and when the edit was made.
  std::optional<std::string> edited_body;
  std::optional<std::int64_t> edited_at_ms;
  // Reaction, poll vote, pin: the sender's clock.
  std::optional<std::int64_t> sender_timestamp_ms;

  std::optional<MediaInfo> media;
  std::optional<GeoLocation> location;
  std::vector<std::string> vcards;  // contact / contacts
  std::optional<PollSummary> poll;
  std::optional<EncryptedPollVote> poll_vote;
  // MessageContextInfo.message_secret: key material for later poll votes,
  // event responses and encrypted reactions aimed at this message.
  std::optional<Bytes> message_secret;

  bool is_forwarded = false;
  std::uint32_t forwarding_score = 0;
  // Disappearing-messages timer in seconds: the chat's, from ContextInfo, or
  // the new one for SystemKind::ephemeral_setting (0 = turned off).
  std::optional<std::uint32_t> ephemeral_expiration;
  bool ephemeral = false;  // arrived in an ephemeral wrapper
  bool view_once = false;
  // Our own message copied to our other devices: the chat it went to.
  std::optional<std::string> device_sent_destination;
  // The Message also carried a group sender key (to be processed first).
  bool has_sender_key_distribution = false;
};

// Classifies a parsed Message. Never fails: a Message we cannot interpret is
// kind `other`. (Result for symmetry with the overload below.)
Result<MessageContent> extract_content(const Message& message);

// How a decrypted payload ends.
enum class Padding {
  random,  // enc v="2": WhatsApp's random padding (signal/padding.h)
  none,    // enc v="3" and plaintext nodes
};

// Strips the padding, parses a Message and classifies it. Errc::malformed
// when the padding is invalid or the bytes are not a Message.
Result<MessageContent> extract_content(ByteView plaintext, Padding padding = Padding::random);

}  // namespace wacrm::wa
