#include "wa/message_content.h"

#include <climits>
#include <utility>
#include <vector>

#include "signal/padding.h"
#include "wa/e2e.pb.h"

namespace wacrm::wa {

std::string_view content_kind_name(ContentKind kind) {
  switch (kind) {
    case ContentKind::text: return "text";
    case ContentKind::image: return "image";
    case ContentKind::video: return "video";
    case ContentKind::audio: return "audio";
    case ContentKind::voice: return "voice";
    case ContentKind::document: return "document";
    case ContentKind::sticker: return "sticker";
    case ContentKind::location: return "location";
    case ContentKind::live_location: return "live_location";
    case ContentKind::contact: return "contact";
    case ContentKind::contacts: return "contacts";
    case ContentKind::reaction: return "reaction";
    case ContentKind::poll: return "poll";
    case ContentKind::poll_vote: return "poll_vote";
    case ContentKind::edit: return "edit";
    case ContentKind::revoke: return "revoke";
    case ContentKind::system: return "system";
    case ContentKind::other: return "other";
  }
  return "other";
}

std::string_view system_kind_name(SystemKind kind) {
  switch (kind) {
    case SystemKind::none: return "none";
    case SystemKind::no_content: return "no_content";
    case SystemKind::sender_key_distribution: return "sender_key_distribution";
    case SystemKind::history_sync_notification: return "history_sync_notification";
    case SystemKind::app_state_sync_key_share: return "app_state_sync_key_share";
    case SystemKind::app_state_sync_key_request: return "app_state_sync_key_request";
    case SystemKind::app_state_fatal_exception: return "app_state_fatal_exception";
    case SystemKind::ephemeral_setting: return "ephemeral_setting";
    case SystemKind::peer_data_operation_request: return "peer_data_operation_request";
    case SystemKind::peer_data_operation_response: return "peer_data_operation_response";
    case SystemKind::lid_migration_mapping_sync: return "lid_migration_mapping_sync";
    case SystemKind::keep_in_chat: return "keep_in_chat";
    case SystemKind::pin_in_chat: return "pin_in_chat";
    case SystemKind::protocol_other: return "protocol_other";
  }
  return "none";
}

namespace {

// Real messages nest at most three wrappers (device-sent, ephemeral,
// view-once) plus an edit; Baileys stops after five. Anything deeper is not
// content we know how to read.
constexpr int kMaxNesting = 8;

Bytes to_bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

// Joins the present, non-empty parts with `separator`; nullopt if none is.
std::optional<std::string> join_present(const std::vector<const std::string*>& parts,
                                        std::string_view separator) {
  std::optional<std::string> out;
  for (const std::string* part : parts) {
    if (part == nullptr || part->empty()) continue;
    if (out) out->append(separator);
    else out.emplace();
    out->append(*part);
  }
  return out;
}

const std::string* if_set(bool present, const std::string& value) {
  return present ? &value : nullptr;
}

MessageKeyRef key_ref(const MessageKey& key) {
  MessageKeyRef ref;
  ref.id = key.id();
  ref.remote_jid = key.remote_jid();
  ref.from_me = key.from_me();
  if (key.has_participant()) ref.participant = key.participant();
  return ref;
}

// The fields every media message has under the same names; the dimensions
// and duration only where that type has them.
template <class Media>
MediaInfo media_of(const Media& m) {
  MediaInfo info;
  if (m.has_mimetype()) info.mimetype = m.mimetype();
  if (m.has_file_length()) info.file_length = m.file_length();
  if (m.has_file_sha256()) info.file_sha256 = to_bytes(m.file_sha256());
  if (m.has_file_enc_sha256()) info.file_enc_sha256 = to_bytes(m.file_enc_sha256());
  if (m.has_media_key()) info.media_key = to_bytes(m.media_key());
  if (m.has_direct_path()) info.direct_path = m.direct_path();
  if (m.has_url()) info.url = m.url();
  if (m.has_media_key_timestamp()) info.media_key_timestamp = m.media_key_timestamp();
  if constexpr (requires { m.width(); }) {
    if (m.has_width()) info.width = m.width();
    if (m.has_height()) info.height = m.height();
  }
  if constexpr (requires { m.seconds(); }) {
    if (m.has_seconds()) info.seconds = m.seconds();
  }
  return info;
}

template <class Content>
const ContextInfo* context_of(const Content& content) {
  return content.has_context_info() ? &content.context_info() : nullptr;
}

void apply_context(const ContextInfo& context, MessageContent& out) {
  if (context.has_stanza_id() && !context.stanza_id().empty()) {
    QuotedMessage quoted;
    quoted.id = context.stanza_id();
    if (context.has_participant()) quoted.participant = context.participant();
    if (context.has_remote_jid()) quoted.remote_jid = context.remote_jid();
    out.quoted = std::move(quoted);
  }
  out.mentioned_jids.assign(context.mentioned_jid().begin(), context.mentioned_jid().end());
  out.is_forwarded = context.is_forwarded();
  out.forwarding_score = context.forwarding_score();
  if (context.has_expiration()) out.ephemeral_expiration = context.expiration();
}

// Per-level bookkeeping while looking through wrappers.
void note_level(const Message& m, MessageContent& out) {
  // The innermost secret wins; whatsmeow likewise lets the inner
  // message_context_info take precedence over the wrapper's.
  if (m.has_message_context_info() && m.message_context_info().has_message_secret())
    out.message_secret = to_bytes(m.message_context_info().message_secret());
  if (m.has_sender_key_distribution_message() ||
      m.has_fast_ratchet_key_sender_key_distribution_message())
    out.has_sender_key_distribution = true;
}

// The FutureProofMessage wrappers we look through, in the order both
// reference clients test them, and the flag each one sets.
struct Wrapper {
  bool (Message::*present)() const;
  const FutureProofMessage& (Message::*get)() const;
  bool MessageContent::*flag;  // nullptr: nothing to remember
};
constexpr Wrapper kWrappers[] = {
    {&Message::has_ephemeral_message, &Message::ephemeral_message, &MessageContent::ephemeral},
    {&Message::has_view_once_message, &Message::view_once_message, &MessageContent::view_once},
    {&Message::has_view_once_message_v2, &Message::view_once_message_v2, &MessageContent::view_once},
    {&Message::has_view_once_message_v2_extension, &Message::view_once_message_v2_extension,
     &MessageContent::view_once},
    {&Message::has_document_with_caption_message, &Message::document_with_caption_message, nullptr},
    // The edit itself is the protocol message inside.
    {&Message::has_edited_message, &Message::edited_message, nullptr},
    {&Message::has_bot_invoke_message, &Message::bot_invoke_message, nullptr},
    {&Message::has_lottie_sticker_message, &Message::lottie_sticker_message, nullptr},
    {&Message::has_poll_creation_message_v4, &Message::poll_creation_message_v4, nullptr},
};

// The wrapper `m` is, if any, flagging what it means.
const FutureProofMessage* wrapper_of(const Message& m, MessageContent& out) {
  for (const Wrapper& wrapper : kWrappers) {
    if (!(m.*wrapper.present)()) continue;
    if (wrapper.flag != nullptr) out.*wrapper.flag = true;
    return &(m.*wrapper.get)();
  }
  return nullptr;
}

// True when `m` holds nothing but bookkeeping (context info, sender keys):
// no declared content field and no unknown one either.
bool has_no_content(const Message& m) {
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  m.GetReflection()->ListFields(m, &fields);
  for (const auto* field : fields) {
    switch (field->number()) {
      case Message::kMessageContextInfoFieldNumber:
      case Message::kSenderKeyDistributionMessageFieldNumber:
      case Message::kFastRatchetKeySenderKeyDistributionMessageFieldNumber:
        continue;
      default:
        return false;
    }
  }
  return m.GetReflection()->GetUnknownFields(m).empty();
}

const PollCreationMessage* poll_of(const Message& m) {
  if (m.has_poll_creation_message()) return &m.poll_creation_message();
  if (m.has_poll_creation_message_v2()) return &m.poll_creation_message_v2();
  if (m.has_poll_creation_message_v3()) return &m.poll_creation_message_v3();
  if (m.has_poll_creation_message_v5()) return &m.poll_creation_message_v5();
  if (m.has_poll_creation_message_v6()) return &m.poll_creation_message_v6();
  return nullptr;
}

void extract_at(const Message& message, int depth, MessageContent& out);

void classify_protocol(const ProtocolMessage& pm, int depth, MessageContent& out) {
  out.kind = ContentKind::system;
  out.system = SystemKind::protocol_other;
  // REVOKE is 0, the default: without has_type() an empty protocol message
  // would look like a revoke.
  if (!pm.has_type()) return;
  out.protocol_type = pm.type();
  switch (pm.type()) {
    case ProtocolMessage::REVOKE:
      if (!pm.has_key()) return;
      out.kind = ContentKind::revoke;
      out.system = SystemKind::none;
      out.target = key_ref(pm.key());
      return;
    case ProtocolMessage::MESSAGE_EDIT:
      if (!pm.has_key()) return;
      out.kind = ContentKind::edit;
      out.system = SystemKind::none;
      out.target = key_ref(pm.key());
      if (pm.has_timestamp_ms()) out.edited_at_ms = pm.timestamp_ms();
      if (pm.has_edited_message()) {
        MessageContent edited;
        extract_at(pm.edited_message(), depth + 1, edited);
        out.edited_body = std::move(edited.body);
      }
      return;
    case ProtocolMessage::EPHEMERAL_SETTING:
      out.system = SystemKind::ephemeral_setting;
      out.ephemeral_expiration = pm.ephemeral_expiration();
      return;
    case ProtocolMessage::HISTORY_SYNC_NOTIFICATION:
      out.system = SystemKind::history_sync_notification;
      return;
    case ProtocolMessage::APP_STATE_SYNC_KEY_SHARE:
      out.system = SystemKind::app_state_sync_key_share;
      return;
    case ProtocolMessage::APP_STATE_SYNC_KEY_REQUEST:
      out.system = SystemKind::app_state_sync_key_request;
      return;
    case ProtocolMessage::APP_STATE_FATAL_EXCEPTION_NOTIFICATION:
      out.system = SystemKind::app_state_fatal_exception;
      return;
    case ProtocolMessage::PEER_DATA_OPERATION_REQUEST_MESSAGE:
      out.system = SystemKind::peer_data_operation_request;
      return;
    case ProtocolMessage::PEER_DATA_OPERATION_REQUEST_RESPONSE_MESSAGE:
      out.system = SystemKind::peer_data_operation_response;
      return;
    case ProtocolMessage::LID_MIGRATION_MAPPING_SYNC:
      out.system = SystemKind::lid_migration_mapping_sync;
      return;
    default:
      return;
  }
}

std::string poll_body(const PollCreationMessage& poll) {
  std::string body = poll.name();
  for (const auto& option : poll.options()) {
    body += "\n- ";
    body += option.option_name();
  }
  return body;
}

// Sets kind and the kind's fields from an unwrapped message; returns the
// content's ContextInfo, if it has one.
const ContextInfo* classify(const Message& m, int depth, MessageContent& out) {
  if (m.has_conversation()) {
    out.kind = ContentKind::text;
    out.body = m.conversation();
    return nullptr;
  }
  if (m.has_extended_text_message()) {
    const auto& text = m.extended_text_message();
    out.kind = ContentKind::text;
    out.body = text.text();
    return context_of(text);
  }
  if (m.has_image_message()) {
    const auto& image = m.image_message();
    out.kind = ContentKind::image;
    if (image.has_caption()) out.body = image.caption();
    out.media = media_of(image);
    return context_of(image);
  }
  if (m.has_video_message() || m.has_ptv_message()) {
    const bool note = !m.has_video_message();
    const auto& video = note ? m.ptv_message() : m.video_message();
    out.kind = ContentKind::video;
    if (video.has_caption()) out.body = video.caption();
    out.media = media_of(video);
    out.media->gif_playback = video.gif_playback();
    out.media->video_note = note;
    return context_of(video);
  }
  if (m.has_audio_message()) {
    const auto& audio = m.audio_message();
    out.kind = audio.ptt() ? ContentKind::voice : ContentKind::audio;
    out.media = media_of(audio);
    return context_of(audio);
  }
  if (m.has_document_message()) {
    const auto& document = m.document_message();
    out.kind = ContentKind::document;
    if (document.has_caption()) out.body = document.caption();
    if (document.has_file_name()) out.file_name = document.file_name();
    else if (document.has_title()) out.file_name = document.title();
    out.media = media_of(document);
    return context_of(document);
  }
  if (m.has_sticker_message()) {
    const auto& sticker = m.sticker_message();
    out.kind = ContentKind::sticker;
    out.media = media_of(sticker);
    out.media->animated = sticker.is_animated();
    return context_of(sticker);
  }
  if (m.has_location_message()) {
    const auto& loc = m.location_message();
    out.kind = ContentKind::location;
    out.body = join_present({if_set(loc.has_name(), loc.name()),
                             if_set(loc.has_address(), loc.address())}, "\n");
    GeoLocation geo;
    geo.latitude = loc.degrees_latitude();
    geo.longitude = loc.degrees_longitude();
    if (loc.has_name()) geo.name = loc.name();
    if (loc.has_address()) geo.address = loc.address();
    if (loc.has_url()) geo.url = loc.url();
    out.location = std::move(geo);
    return context_of(loc);
  }
  if (m.has_live_location_message()) {
    const auto& live = m.live_location_message();
    out.kind = ContentKind::live_location;
    if (live.has_caption()) out.body = live.caption();
    GeoLocation geo;
    geo.latitude = live.degrees_latitude();
    geo.longitude = live.degrees_longitude();
    out.location = std::move(geo);
    return context_of(live);
  }
  if (m.has_contact_message()) {
    const auto& contact = m.contact_message();
    out.kind = ContentKind::contact;
    if (contact.has_display_name()) out.body = contact.display_name();
    if (contact.has_vcard()) out.vcards.push_back(contact.vcard());
    return context_of(contact);
  }
  if (m.has_contacts_array_message()) {
    const auto& array = m.contacts_array_message();
    out.kind = ContentKind::contacts;
    std::vector<const std::string*> names;
    for (const auto& contact : array.contacts()) {
      names.push_back(if_set(contact.has_display_name(), contact.display_name()));
      if (contact.has_vcard()) out.vcards.push_back(contact.vcard());
    }
    out.body = array.has_display_name() ? array.display_name() : join_present(names, ", ");
    return context_of(array);
  }
  if (m.has_reaction_message()) {
    const auto& reaction = m.reaction_message();
    out.kind = ContentKind::reaction;
    out.body = reaction.text();  // empty: the reaction was removed
    out.target = key_ref(reaction.key());
    if (reaction.has_sender_timestamp_ms()) out.sender_timestamp_ms = reaction.sender_timestamp_ms();
    return nullptr;
  }
  if (const PollCreationMessage* poll = poll_of(m)) {
    out.kind = ContentKind::poll;
    out.body = poll_body(*poll);
    PollSummary summary;
    summary.question = poll->name();
    for (const auto& option : poll->options()) summary.options.push_back(option.option_name());
    summary.selectable_count = poll->selectable_options_count();
    out.poll = std::move(summary);
    return context_of(*poll);
  }
  if (m.has_poll_update_message()) {
    const auto& update = m.poll_update_message();
    out.kind = ContentKind::poll_vote;
    out.target = key_ref(update.poll_creation_message_key());
    out.poll_vote = EncryptedPollVote{to_bytes(update.vote().enc_payload()),
                                      to_bytes(update.vote().enc_iv())};
    if (update.has_sender_timestamp_ms()) out.sender_timestamp_ms = update.sender_timestamp_ms();
    return nullptr;
  }
  if (m.has_protocol_message()) {
    classify_protocol(m.protocol_message(), depth, out);
    return nullptr;
  }
  if (m.has_keep_in_chat_message()) {
    out.kind = ContentKind::system;
    out.system = SystemKind::keep_in_chat;
    out.target = key_ref(m.keep_in_chat_message().key());
    return nullptr;
  }
  if (m.has_pin_in_chat_message()) {
    const auto& pin = m.pin_in_chat_message();
    out.kind = ContentKind::system;
    out.system = SystemKind::pin_in_chat;
    out.target = key_ref(pin.key());
    if (pin.has_sender_timestamp_ms()) out.sender_timestamp_ms = pin.sender_timestamp_ms();
    return nullptr;
  }
  // Content the messages table has no kind for, but whose text is worth
  // searching.
  if (m.has_group_invite_message()) {
    const auto& invite = m.group_invite_message();
    out.kind = ContentKind::other;
    out.body = join_present({if_set(invite.has_group_name(), invite.group_name()),
                             if_set(invite.has_caption(), invite.caption())}, "\n");
    return context_of(invite);
  }
  if (m.has_event_message()) {
    const auto& event = m.event_message();
    out.kind = ContentKind::other;
    out.body = join_present({if_set(event.has_name(), event.name()),
                             if_set(event.has_description(), event.description())}, "\n");
    return context_of(event);
  }
  if (has_no_content(m)) {
    out.kind = ContentKind::system;
    out.system = out.has_sender_key_distribution ? SystemKind::sender_key_distribution
                                                 : SystemKind::no_content;
    return nullptr;
  }
  out.kind = ContentKind::other;
  return nullptr;
}

void extract_at(const Message& message, int depth, MessageContent& out) {
  const Message* m = &message;
  note_level(*m, out);
  // Our own message, copied to our other devices: the outermost layer.
  if (m->has_device_sent_message()) {
    const auto& sent = m->device_sent_message();
    if (sent.has_destination_jid()) out.device_sent_destination = sent.destination_jid();
    m = &sent.message();
    ++depth;
    note_level(*m, out);
  }
  while (const FutureProofMessage* wrapper = wrapper_of(*m, out)) {
    if (++depth > kMaxNesting) {
      out.kind = ContentKind::other;
      return;
    }
    m = &wrapper->message();
    note_level(*m, out);
  }
  if (const ContextInfo* context = classify(*m, depth, out)) apply_context(*context, out);
}

}  // namespace

Result<MessageContent> extract_content(const Message& message) {
  MessageContent out;
  extract_at(message, 0, out);
  return out;
}

Result<MessageContent> extract_content(ByteView plaintext, Padding padding) {
  Bytes unpadded;
  ByteView body = plaintext;
  if (padding == Padding::random) {
    unpadded = WACRM_TRY(signal::strip_padding(plaintext));  // bad padding: Errc::malformed
    body = unpadded;
  }
  Message message;
  if (body.size() > static_cast<std::size_t>(INT_MAX) ||
      !message.ParseFromArray(body.data(), static_cast<int>(body.size())))
    return make_error(Errc::malformed,
                      "a " + std::to_string(body.size()) + "-byte payload is not a Message protobuf");
  return extract_content(message);
}

}  // namespace wacrm::wa
