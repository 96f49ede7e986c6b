// What the store keeps of a received message: the row for decrypted content
// (kind, text, media, quote, target of a reaction/edit/revoke, raw bytes) and
// the placeholder for one we could not read. Pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "base/bytes.h"
#include "store/message_repository.h"
#include "wa/message_addressing.h"
#include "wa/message_content.h"
#include "wa/message_people.h"

namespace wacrm::wa {

struct RecordContext {
  std::int64_t account_id = 0;
  const MessageAddressing& addressing;
  const MessagePeople& people;
  store::MessageTime sent_at;
};

// The row for decrypted content. `raw` is the unpadded Message protobuf;
// `target` the message a reaction, edit or revoke acts on, its author made
// canonical by the caller (see target_author()).
store::NewMessage content_record(const RecordContext& ctx, const MessageContent& content, ByteView raw,
                                 std::optional<store::TargetRef> target);

// A placeholder: kind 'placeholder', decrypt_error says why.
store::NewMessage placeholder_record(const RecordContext& ctx, std::string reason, int decrypt_retries);

// Who wrote the message a MessageKey names (notes 02 §4.8): the writer of
// this message when the key says from_me (keys are written from the
// writer's side); in groups the key's participant; in 1:1 chats the other
// side of the writer. `jid` as the key spells it (the caller makes it
// canonical); unset when ours, or when a group key names nobody.
struct TargetAuthor {
  bool ours = false;
  std::optional<wire::Jid> jid;
};
TargetAuthor target_author(const MessageAddressing& a, const MessageKeyRef& key, const OwnIdentity& own);

}  // namespace wacrm::wa
