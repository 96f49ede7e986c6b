#include "wa/message_record.h"

#include <string>

namespace wacrm::wa {

namespace {

using std::chrono::milliseconds;

// Chat, key and author: what every row of this stanza has.
store::NewMessage base_record(const RecordContext& ctx) {
  const MessageAddressing& a = ctx.addressing;
  store::NewMessage m;
  m.account_id = ctx.account_id;
  m.chat_jid = ctx.people.chat_jid;
  m.chat_is_group = a.chat_kind != ChatKind::direct;
  m.chat_person = ctx.people.chat_person;
  m.wa_id = a.id;
  m.sender_jid = ctx.people.sender_jid;
  m.sender = ctx.people.sender;
  m.from_me = a.from_me;
  m.sent_at = ctx.sent_at;
  if (!a.from_me) m.push_name = a.push_name;
  // Our own messages reach us through the server: it has them.
  if (a.from_me) m.status = store::MessageStatus::server_ack;
  return m;
}

store::MediaRecord media_record(const MediaInfo& info) {
  store::MediaRecord r;
  r.mimetype = info.mimetype;
  if (info.file_length) r.file_length = static_cast<std::int64_t>(*info.file_length);
  r.file_sha256 = info.file_sha256;
  r.file_enc_sha256 = info.file_enc_sha256;
  r.media_key = info.media_key;
  r.direct_path = info.direct_path;
  r.url = info.url;
  if (info.width) r.width = static_cast<std::int32_t>(*info.width);
  if (info.height) r.height = static_cast<std::int32_t>(*info.height);
  if (info.seconds) r.duration_seconds = static_cast<std::int32_t>(*info.seconds);
  return r;
}

// What a system row says: its routing name, and the new timer for a
// disappearing-messages change ("ephemeral_setting 604800").
std::string system_body(const MessageContent& content) {
  std::string body(system_kind_name(content.system));
  if (content.system == SystemKind::ephemeral_setting && content.ephemeral_expiration)
    body += " " + std::to_string(*content.ephemeral_expiration);
  return body;
}

}  // namespace

store::NewMessage content_record(const RecordContext& ctx, const MessageContent& content, ByteView raw,
                                 std::optional<store::TargetRef> target) {
  store::NewMessage m = base_record(ctx);
  m.kind = std::string(content_kind_name(content.kind));
  m.body = content.kind == ContentKind::system ? std::optional(system_body(content)) : content.body;
  m.file_name = content.file_name;
  if (content.quoted) m.quoted_wa_id = content.quoted->id;
  m.target = std::move(target);
  m.raw = Bytes(raw.begin(), raw.end());
  if (content.media) m.media = media_record(*content.media);
  // An edit changes its target only when the editor wrote it (the key says
  // from_me from the editor's side); the edit row itself holds the new text.
  if (content.kind == ContentKind::edit) {
    m.body = content.edited_body;
    if (content.target && content.target->from_me && content.edited_body) {
      m.edited_body = content.edited_body;
      m.edited_at = content.edited_at_ms ? store::MessageTime(milliseconds(*content.edited_at_ms)) : ctx.sent_at;
    }
  }
  return m;
}

store::NewMessage placeholder_record(const RecordContext& ctx, std::string reason, int decrypt_retries) {
  store::NewMessage m = base_record(ctx);
  m.kind = "placeholder";
  m.decrypt_error = std::move(reason);
  m.decrypt_retries = decrypt_retries;
  return m;
}

TargetAuthor target_author(const MessageAddressing& a, const MessageKeyRef& key, const OwnIdentity& own) {
  if (key.from_me) {
    if (a.from_me) return TargetAuthor{true, std::nullopt};
    return TargetAuthor{false, a.sender.to_non_ad()};
  }
  if (a.is_group_like()) {
    if (!key.participant) return TargetAuthor{};
    auto participant = wire::Jid::parse(*key.participant);
    if (!participant) return TargetAuthor{};
    if (own.is_own_user(*participant)) return TargetAuthor{true, std::nullopt};
    return TargetAuthor{false, participant->to_non_ad()};
  }
  // 1:1: the key names the other side's message.
  if (!a.from_me) return TargetAuthor{true, std::nullopt};
  return TargetAuthor{false, a.chat};
}

}  // namespace wacrm::wa
