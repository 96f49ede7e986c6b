// extract_content on Messages Baileys 7 serialized (tests/conformance/vectors/
// protobuf.json) and on hand-built ones for what Baileys' vectors lack.
#include "wa/message_content.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "proto/protobuf_vectors.h"
#include "support/test_env.h"
#include "wa/e2e.pb.h"
#include "wa/web.pb.h"

namespace wacrm::wa {
namespace {

MessageContent content_of(const Message& message) {
  auto content = extract_content(message);
  if (!content) throw std::runtime_error(content.error().to_string());
  return std::move(*content);
}

MessageContent content_of_vector(std::string_view name) {
  return content_of(testing::parse_protobuf_vector<Message>(name));
}

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

void set_key(MessageKey* key, const std::string& id, const std::string& chat, bool from_me) {
  key->set_id(id);
  key->set_remote_jid(chat);
  key->set_from_me(from_me);
}

// ---- text ----

TEST(MessageContent, Conversation) {
  auto c = content_of_vector("message-conversation");
  EXPECT_EQ(c.kind, ContentKind::text);
  EXPECT_EQ(c.body, "hi");
  EXPECT_EQ(c.system, SystemKind::none);
  EXPECT_FALSE(c.media);
  EXPECT_FALSE(c.quoted);
}

TEST(MessageContent, ExtendedTextWithReplyMentionsAndForwarding) {
  auto c = content_of_vector("message-extended-text-reply-mentions");
  EXPECT_EQ(c.kind, ContentKind::text);
  EXPECT_EQ(c.body, "Yes! @447700900123 @441234567890 see you");
  ASSERT_TRUE(c.quoted);
  EXPECT_EQ(c.quoted->id, "3EB09305634F3603A07C68");
  EXPECT_EQ(c.quoted->participant, "447700900123@s.whatsapp.net");
  EXPECT_FALSE(c.quoted->remote_jid);
  EXPECT_EQ(c.mentioned_jids,
            (std::vector<std::string>{"447700900123@s.whatsapp.net", "441234567890@s.whatsapp.net"}));
  EXPECT_TRUE(c.is_forwarded);
  EXPECT_EQ(c.forwarding_score, 2u);
  EXPECT_EQ(c.ephemeral_expiration, 604800u);
}

TEST(MessageContent, LinkPreviewKeepsTheTypedText) {
  auto c = content_of_vector("message-extended-text-link-preview");
  EXPECT_EQ(c.kind, ContentKind::text);
  EXPECT_EQ(c.body, "look https://example.com/article");
}

// ---- media ----

TEST(MessageContent, ImageWithCaptionAndQuote) {
  auto c = content_of_vector("message-image");
  EXPECT_EQ(c.kind, ContentKind::image);
  EXPECT_EQ(c.body, "Sunset \xF0\x9F\x8C\x85");
  ASSERT_TRUE(c.media);
  EXPECT_EQ(c.media->mimetype, "image/jpeg");
  EXPECT_EQ(c.media->file_length, 123456u);
  EXPECT_EQ(c.media->width, 960u);
  EXPECT_EQ(c.media->height, 1280u);
  EXPECT_FALSE(c.media->seconds);
  ASSERT_TRUE(c.media->file_sha256 && c.media->file_enc_sha256 && c.media->media_key);
  EXPECT_EQ(c.media->file_sha256->size(), 32u);
  EXPECT_EQ(c.media->file_enc_sha256->size(), 32u);
  EXPECT_EQ(c.media->media_key->size(), 32u);
  EXPECT_NE(*c.media->file_sha256, *c.media->file_enc_sha256);
  EXPECT_EQ(c.media->direct_path,
            "/v/t62.7118-24/12345678_image_n.enc?ccb=11-4&oh=01_Q5AaIA&oe=65A0B0C0&_nc_sid=5e03e0");
  ASSERT_TRUE(c.media->url);
  EXPECT_TRUE(c.media->url->starts_with("https://mmg.whatsapp.net/"));
  EXPECT_EQ(c.media->media_key_timestamp, 1700000000);
  ASSERT_TRUE(c.quoted);
  EXPECT_EQ(c.quoted->id, "3EB0613202224F231D6156");
}

TEST(MessageContent, GifVideo) {
  auto c = content_of_vector("message-video-gif");
  EXPECT_EQ(c.kind, ContentKind::video);
  EXPECT_EQ(c.body, "lol");
  ASSERT_TRUE(c.media);
  EXPECT_TRUE(c.media->gif_playback);
  EXPECT_FALSE(c.media->video_note);
  EXPECT_EQ(c.media->seconds, 12u);
  EXPECT_EQ(c.media->width, 640u);
  EXPECT_EQ(c.media->file_length, 5242880u);
}

TEST(MessageContent, RoundVideoNote) {
  Message m;
  m.mutable_ptv_message()->set_seconds(7);
  m.mutable_ptv_message()->set_mimetype("video/mp4");
  auto c = content_of(m);
  EXPECT_EQ(c.kind, ContentKind::video);
  ASSERT_TRUE(c.media);
  EXPECT_TRUE(c.media->video_note);
  EXPECT_EQ(c.media->seconds, 7u);
}

TEST(MessageContent, VoiceNote) {
  auto c = content_of_vector("message-audio-ptt");
  EXPECT_EQ(c.kind, ContentKind::voice);
  EXPECT_FALSE(c.body);
  ASSERT_TRUE(c.media);
  EXPECT_EQ(c.media->mimetype, "audio/ogg; codecs=opus");
  EXPECT_EQ(c.media->seconds, 9u);
  EXPECT_FALSE(c.media->width);
}

TEST(MessageContent, AudioFile) {
  Message m;
  m.mutable_audio_message()->set_mimetype("audio/mpeg");
  m.mutable_audio_message()->set_seconds(200);
  auto c = content_of(m);
  EXPECT_EQ(c.kind, ContentKind::audio);
  EXPECT_EQ(c.media->seconds, 200u);
}

TEST(MessageContent, DocumentWithFileNameAndCaption) {
  auto c = content_of_vector("message-document");
  EXPECT_EQ(c.kind, ContentKind::document);
  EXPECT_EQ(c.file_name, "invoice-2024-001.pdf");
  EXPECT_EQ(c.body, "Here is the invoice");
  ASSERT_TRUE(c.media);
  EXPECT_EQ(c.media->mimetype, "application/pdf");
  EXPECT_EQ(c.media->file_length, 987654u);
}

TEST(MessageContent, DocumentWithoutFileNameFallsBackToTitle) {
  Message m;
  m.mutable_document_message()->set_title("Report");
  auto c = content_of(m);
  EXPECT_EQ(c.file_name, "Report");
  EXPECT_FALSE(c.body);
}

TEST(MessageContent, DocumentWithCaptionWrapper) {
  auto c = content_of_vector("message-document-with-caption");
  EXPECT_EQ(c.kind, ContentKind::document);
  EXPECT_EQ(c.file_name, "notes.txt");
  EXPECT_EQ(c.body, "my notes");
  EXPECT_FALSE(c.view_once);
  EXPECT_FALSE(c.ephemeral);
}

TEST(MessageContent, Sticker) {
  auto c = content_of_vector("message-sticker");
  EXPECT_EQ(c.kind, ContentKind::sticker);
  ASSERT_TRUE(c.media);
  EXPECT_EQ(c.media->mimetype, "image/webp");
  EXPECT_EQ(c.media->width, 512u);
  EXPECT_EQ(c.media->file_length, 34567u);
  EXPECT_FALSE(c.media->animated);
}

// ---- location, contacts ----

TEST(MessageContent, Location) {
  auto c = content_of_vector("message-location");
  EXPECT_EQ(c.kind, ContentKind::location);
  EXPECT_EQ(c.body, "Big Ben\nLondon SW1A 0AA, UK");
  ASSERT_TRUE(c.location);
  EXPECT_DOUBLE_EQ(c.location->latitude, 51.5007292);
  EXPECT_DOUBLE_EQ(c.location->longitude, -0.1246254);
  EXPECT_EQ(c.location->url, "https://maps.example.com/?q=51.5007292,-0.1246254");
}

TEST(MessageContent, LocationWithoutNameHasNoBody) {
  Message m;
  m.mutable_location_message()->set_degrees_latitude(1.5);
  auto c = content_of(m);
  EXPECT_EQ(c.kind, ContentKind::location);
  EXPECT_FALSE(c.body);
  EXPECT_DOUBLE_EQ(c.location->latitude, 1.5);
}

TEST(MessageContent, LiveLocation) {
  auto c = content_of_vector("message-live-location");
  EXPECT_EQ(c.kind, ContentKind::live_location);
  EXPECT_EQ(c.body, "on my way");
  ASSERT_TRUE(c.location);
  EXPECT_DOUBLE_EQ(c.location->latitude, 48.8583701);
}

TEST(MessageContent, Contact) {
  auto c = content_of_vector("message-contact");
  EXPECT_EQ(c.kind, ContentKind::contact);
  EXPECT_EQ(c.body, "Jane Roe");
  ASSERT_EQ(c.vcards.size(), 1u);
  EXPECT_TRUE(c.vcards[0].starts_with("BEGIN:VCARD"));
}

TEST(MessageContent, ContactsArray) {
  auto c = content_of_vector("message-contacts-array");
  EXPECT_EQ(c.kind, ContentKind::contacts);
  EXPECT_EQ(c.body, "2 contacts");
  EXPECT_EQ(c.vcards.size(), 2u);
}

TEST(MessageContent, ContactsArrayWithoutDisplayNameListsTheNames) {
  Message m;
  m.mutable_contacts_array_message()->add_contacts()->set_display_name("Jane Roe");
  m.mutable_contacts_array_message()->add_contacts();  // no name
  m.mutable_contacts_array_message()->add_contacts()->set_display_name("Juan");
  EXPECT_EQ(content_of(m).body, "Jane Roe, Juan");
}

// ---- reactions, edits, revokes, polls ----

TEST(MessageContent, Reaction) {
  auto c = content_of_vector("message-reaction");
  EXPECT_EQ(c.kind, ContentKind::reaction);
  EXPECT_EQ(c.body, "\xE2\x9D\xA4\xEF\xB8\x8F");
  ASSERT_TRUE(c.target);
  EXPECT_EQ(c.target->id, "3EB059C3E332EA16C73587");
  EXPECT_EQ(c.target->remote_jid, "447700900123@s.whatsapp.net");
  EXPECT_TRUE(c.target->from_me);
  EXPECT_FALSE(c.target->participant);
  EXPECT_EQ(c.sender_timestamp_ms, 1700000000123);
}

TEST(MessageContent, ReactionRemovedHasAnEmptyBody) {
  auto c = content_of_vector("message-reaction-removed");
  EXPECT_EQ(c.kind, ContentKind::reaction);
  ASSERT_TRUE(c.body);
  EXPECT_EQ(*c.body, "");
  ASSERT_TRUE(c.target);
  EXPECT_FALSE(c.target->from_me);
  EXPECT_EQ(c.target->participant, "98765432109876@lid");
}

TEST(MessageContent, Revoke) {
  auto c = content_of_vector("message-protocol-revoke");
  EXPECT_EQ(c.kind, ContentKind::revoke);
  EXPECT_EQ(c.protocol_type, ProtocolMessage::REVOKE);
  ASSERT_TRUE(c.target);
  EXPECT_EQ(c.target->id, "3EB069C450146A92A9D81D");
  EXPECT_TRUE(c.target->from_me);
}

TEST(MessageContent, ProtocolMessageWithoutTypeIsNotARevoke) {
  Message m;
  set_key(m.mutable_protocol_message()->mutable_key(), "X", "1@s.whatsapp.net", true);
  auto c = content_of(m);
  EXPECT_EQ(c.kind, ContentKind::system);
  EXPECT_EQ(c.system, SystemKind::protocol_other);
  EXPECT_FALSE(c.protocol_type);
  EXPECT_FALSE(c.target);
}

TEST(MessageContent, RevokeWithoutKeyIsNotARevoke) {
  Message m;
  m.mutable_protocol_message()->set_type(ProtocolMessage::REVOKE);
  auto c = content_of(m);
  EXPECT_EQ(c.kind, ContentKind::system);
  EXPECT_EQ(c.system, SystemKind::protocol_other);
  EXPECT_EQ(c.protocol_type, 0);
}

TEST(MessageContent, EditInItsWrapper) {
  auto c = content_of_vector("message-edit");
  EXPECT_EQ(c.kind, ContentKind::edit);
  ASSERT_TRUE(c.target);
  EXPECT_EQ(c.target->id, "3EB087815CF420D1D9BA6F");
  EXPECT_EQ(c.edited_body, "corrected text");
  EXPECT_EQ(c.edited_at_ms, 1700000100000);
  EXPECT_FALSE(c.body);
}

TEST(MessageContent, UnwrappedEditOfACaption) {
  Message m;
  auto* pm = m.mutable_protocol_message();
  pm->set_type(ProtocolMessage::MESSAGE_EDIT);
  set_key(pm->mutable_key(), "IMG1", "1@s.whatsapp.net", true);
  pm->mutable_edited_message()->mutable_image_message()->set_caption("new caption");
  auto c = content_of(m);
  EXPECT_EQ(c.kind, ContentKind::edit);
  EXPECT_EQ(c.target->id, "IMG1");
  EXPECT_EQ(c.edited_body, "new caption");
  EXPECT_FALSE(c.edited_at_ms);
}

TEST(MessageContent, PollCreationV3) {
  auto c = content_of_vector("message-poll-creation-v3");
  EXPECT_EQ(c.kind, ContentKind::poll);
  EXPECT_EQ(c.body, "Dinner?\n- Pizza\n- Sushi\n- Tacos \xF0\x9F\x8C\xAE");
  ASSERT_TRUE(c.poll);
  EXPECT_EQ(c.poll->question, "Dinner?");
  EXPECT_EQ(c.poll->options.size(), 3u);
  EXPECT_EQ(c.poll->selectable_count, 1u);
  ASSERT_TRUE(c.message_secret);
  EXPECT_EQ(c.message_secret->size(), 32u);
}

TEST(MessageContent, PollCreationV1AllowsAnyNumber) {
  auto c = content_of_vector("message-poll-creation");
  EXPECT_EQ(c.kind, ContentKind::poll);
  EXPECT_EQ(c.poll->options, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(c.poll->selectable_count, 0u);
  EXPECT_TRUE(c.message_secret);
}

TEST(MessageContent, PollCreationV5) {
  Message m;
  m.mutable_poll_creation_message_v5()->set_name("Q");
  m.mutable_poll_creation_message_v5()->add_options()->set_option_name("yes");
  auto c = content_of(m);
  EXPECT_EQ(c.kind, ContentKind::poll);
  EXPECT_EQ(c.body, "Q\n- yes");
}

TEST(MessageContent, PollVote) {
  auto c = content_of_vector("message-poll-update");
  EXPECT_EQ(c.kind, ContentKind::poll_vote);
  ASSERT_TRUE(c.target);
  EXPECT_EQ(c.target->id, "3EB03116A2C498DFA8FC92");
  EXPECT_EQ(c.target->participant, "98765432109876@lid");
  ASSERT_TRUE(c.poll_vote);
  EXPECT_EQ(c.poll_vote->enc_iv.size(), 12u);
  EXPECT_GT(c.poll_vote->enc_payload.size(), 16u);
  EXPECT_EQ(c.sender_timestamp_ms, 1700000000789);
}

// ---- wrappers ----

TEST(MessageContent, EphemeralWrapper) {
  auto c = content_of_vector("message-ephemeral-wrapper");
  EXPECT_EQ(c.kind, ContentKind::text);
  EXPECT_EQ(c.body, "disappearing");
  EXPECT_TRUE(c.ephemeral);
  EXPECT_EQ(c.ephemeral_expiration, 604800u);
}

TEST(MessageContent, ViewOnceImage) {
  auto c = content_of_vector("message-view-once");
  EXPECT_EQ(c.kind, ContentKind::image);
  EXPECT_TRUE(c.view_once);
  EXPECT_EQ(c.media->file_length, 54321u);
}

TEST(MessageContent, ViewOnceV2Video) {
  auto c = content_of_vector("message-view-once-v2");
  EXPECT_EQ(c.kind, ContentKind::video);
  EXPECT_TRUE(c.view_once);
}

TEST(MessageContent, ViewOnceV2ExtensionVoiceInsideEphemeral) {
  Message m;
  auto* inner = m.mutable_ephemeral_message()->mutable_message()->mutable_view_once_message_v2_extension()
                    ->mutable_message();
  inner->mutable_audio_message()->set_ptt(true);
  auto c = content_of(m);
  EXPECT_EQ(c.kind, ContentKind::voice);
  EXPECT_TRUE(c.view_once);
  EXPECT_TRUE(c.ephemeral);
}

TEST(MessageContent, DeviceSentReportsTheDestination) {
  auto c = content_of_vector("message-device-sent");
  EXPECT_EQ(c.kind, ContentKind::text);
  EXPECT_EQ(c.body, "hi");
  EXPECT_EQ(c.device_sent_destination, "222@s.whatsapp.net");
}

TEST(MessageContent, InnerMessageSecretWins) {
  Message m;
  m.mutable_message_context_info()->set_message_secret("outer");
  auto* inner = m.mutable_device_sent_message()->mutable_message();
  inner->mutable_message_context_info()->set_message_secret("inner");
  inner->set_conversation("x");
  EXPECT_EQ(content_of(m).message_secret, bytes_of("inner"));

  Message outer_only;
  outer_only.mutable_message_context_info()->set_message_secret("outer");
  outer_only.mutable_ephemeral_message()->mutable_message()->set_conversation("x");
  EXPECT_EQ(content_of(outer_only).message_secret, bytes_of("outer"));
}

TEST(MessageContent, NestingBeyondTheLimitIsOtherNotACrash) {
  Message m;
  Message* level = &m;
  for (int i = 0; i < 20; ++i) level = level->mutable_ephemeral_message()->mutable_message();
  level->set_conversation("deep");
  auto c = content_of(m);
  EXPECT_EQ(c.kind, ContentKind::other);
  EXPECT_FALSE(c.body);
}

// ---- not content ----

TEST(MessageContent, SenderKeyWithTextIsText) {
  auto c = content_of_vector("message-skdm-with-text");
  EXPECT_EQ(c.kind, ContentKind::text);
  EXPECT_EQ(c.body, "first message to the group");
  EXPECT_TRUE(c.has_sender_key_distribution);
}

TEST(MessageContent, SenderKeyAloneIsSystem) {
  Message m;
  m.mutable_sender_key_distribution_message()->set_group_id("1@g.us");
  m.mutable_message_context_info()->set_message_secret("s");
  auto c = content_of(m);
  EXPECT_EQ(c.kind, ContentKind::system);
  EXPECT_EQ(c.system, SystemKind::sender_key_distribution);
  EXPECT_TRUE(c.has_sender_key_distribution);
}

TEST(MessageContent, EmptyAndContextOnlyMessagesHaveNoContent) {
  EXPECT_EQ(content_of(Message()).system, SystemKind::no_content);
  Message m;
  m.mutable_message_context_info()->set_device_list_metadata_version(2);
  auto c = content_of(m);
  EXPECT_EQ(c.kind, ContentKind::system);
  EXPECT_EQ(c.system, SystemKind::no_content);
}

TEST(MessageContent, ContextInfoWithText) {
  auto c = content_of_vector("message-context-info-device-list");
  EXPECT_EQ(c.kind, ContentKind::text);
  EXPECT_EQ(c.body, "hello");
  EXPECT_TRUE(c.message_secret);
}

TEST(MessageContent, EphemeralSetting) {
  auto c = content_of_vector("message-protocol-ephemeral-setting");
  EXPECT_EQ(c.kind, ContentKind::system);
  EXPECT_EQ(c.system, SystemKind::ephemeral_setting);
  EXPECT_EQ(c.ephemeral_expiration, 86400u);
  EXPECT_EQ(c.protocol_type, ProtocolMessage::EPHEMERAL_SETTING);
}

TEST(MessageContent, HistorySyncNotification) {
  auto c = content_of_vector("message-protocol-history-sync-notification");
  EXPECT_EQ(c.kind, ContentKind::system);
  EXPECT_EQ(c.system, SystemKind::history_sync_notification);
}

TEST(MessageContent, AppStateKeyShare) {
  auto c = content_of_vector("message-protocol-app-state-key-share");
  EXPECT_EQ(c.kind, ContentKind::system);
  EXPECT_EQ(c.system, SystemKind::app_state_sync_key_share);
}

TEST(MessageContent, OtherProtocolMessagesAreRoutedByType) {
  const std::pair<int, SystemKind> cases[] = {
      {ProtocolMessage::APP_STATE_SYNC_KEY_REQUEST, SystemKind::app_state_sync_key_request},
      {ProtocolMessage::APP_STATE_FATAL_EXCEPTION_NOTIFICATION, SystemKind::app_state_fatal_exception},
      {ProtocolMessage::PEER_DATA_OPERATION_REQUEST_MESSAGE, SystemKind::peer_data_operation_request},
      {ProtocolMessage::PEER_DATA_OPERATION_REQUEST_RESPONSE_MESSAGE, SystemKind::peer_data_operation_response},
      {ProtocolMessage::LID_MIGRATION_MAPPING_SYNC, SystemKind::lid_migration_mapping_sync},
      {ProtocolMessage::SHARE_PHONE_NUMBER, SystemKind::protocol_other},
      {99, SystemKind::protocol_other},  // newer than our list
  };
  for (const auto& [type, expected] : cases) {
    Message m;
    m.mutable_protocol_message()->set_type(type);
    auto c = content_of(m);
    EXPECT_EQ(c.kind, ContentKind::system) << type;
    EXPECT_EQ(c.system, expected) << type;
    EXPECT_EQ(c.protocol_type, type);
  }
}

TEST(MessageContent, KeepAndPinInChat) {
  Message keep;
  set_key(keep.mutable_keep_in_chat_message()->mutable_key(), "K1", "1@g.us", false);
  auto c = content_of(keep);
  EXPECT_EQ(c.system, SystemKind::keep_in_chat);
  EXPECT_EQ(c.target->id, "K1");

  Message pin;
  set_key(pin.mutable_pin_in_chat_message()->mutable_key(), "P1", "1@g.us", true);
  pin.mutable_pin_in_chat_message()->set_type(PinInChatMessage::PIN_FOR_ALL);
  pin.mutable_pin_in_chat_message()->set_sender_timestamp_ms(42);
  c = content_of(pin);
  EXPECT_EQ(c.kind, ContentKind::system);
  EXPECT_EQ(c.system, SystemKind::pin_in_chat);
  EXPECT_EQ(c.target->id, "P1");
  EXPECT_EQ(c.sender_timestamp_ms, 42);
}

// ---- other ----

TEST(MessageContent, GroupInviteIsOtherWithSearchableText) {
  auto c = content_of_vector("message-group-invite");
  EXPECT_EQ(c.kind, ContentKind::other);
  EXPECT_EQ(c.body, "Family \xF0\x9F\x8F\xA1\njoin us");
}

TEST(MessageContent, EventIsOtherWithItsName) {
  Message m;
  m.mutable_event_message()->set_name("Birthday");
  auto c = content_of(m);
  EXPECT_EQ(c.kind, ContentKind::other);
  EXPECT_EQ(c.body, "Birthday");
}

TEST(MessageContent, UnknownContentIsOther) {
  // Field 140 (not in any schema we know) next to message_context_info.
  const Bytes bytes{0x9a, 0x02, 0x02, 0x10, 0x02,                  // 35: message_context_info{2: 2}
                    0xe2, 0x08, 0x05, 0x0a, 0x03, 'h', 'e', 'l'};  // 140: {1: "hel"}
  auto c = extract_content(ByteView(bytes), Padding::none);
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->kind, ContentKind::other);
  EXPECT_EQ(c->system, SystemKind::none);
}

TEST(MessageContent, HistoryMessageContent) {
  auto info = testing::parse_protobuf_vector<WebMessageInfo>("web-message-info-from-me-reactions");
  auto c = content_of(info.message());
  EXPECT_EQ(c.kind, ContentKind::text);
  EXPECT_EQ(c.body, "see everyone there");
  EXPECT_EQ(c.mentioned_jids, std::vector<std::string>{"98765432109876@lid"});
}

// ---- raw bytes and padding ----

TEST(MessageContent, PaddedBytesOfTheNotes) {
  // Notes 02 §1.5: 0a 02 68 69 03 03 03 is Message{conversation:"hi"} padded with n=3.
  const Bytes padded{0x0a, 0x02, 0x68, 0x69, 0x03, 0x03, 0x03};
  auto c = extract_content(ByteView(padded));
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->kind, ContentKind::text);
  EXPECT_EQ(c->body, "hi");
}

TEST(MessageContent, FifteenBytesOfPadding) {
  Bytes padded = testing::vector_bytes(testing::protobuf_vector("message-image"));
  padded.insert(padded.end(), 15, 15);
  auto c = extract_content(ByteView(padded));
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->kind, ContentKind::image);
}

TEST(MessageContent, UnpaddedBytes) {
  const Bytes plain{0x0a, 0x02, 0x68, 0x69};
  auto c = extract_content(ByteView(plain), Padding::none);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->body, "hi");
}

// The padding rules themselves are lib/signal's (tests/signal/padding_test.cc).
TEST(MessageContent, BadPaddingIsMalformed) {
  const Bytes cases[] = {
      {},                                          // empty
      {0x0a, 0x02, 0x68, 0x69, 0x02, 0x03, 0x03},  // not all n bytes equal n
  };
  for (const auto& padded : cases) {
    auto c = extract_content(ByteView(padded));
    ASSERT_FALSE(c) << to_hex(padded);
    EXPECT_EQ(c.error().code, Errc::malformed);
    EXPECT_FALSE(c.error().message.empty());
  }
}

TEST(MessageContent, BytesThatAreNotAMessageAreMalformed) {
  // A field-1 string claiming 100 bytes with two present, then padding n=1.
  const Bytes bad{0x0a, 0x64, 0x68, 0x69, 0x01};
  auto c = extract_content(ByteView(bad));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, Errc::malformed);
}

// ---- names ----

TEST(MessageContent, KindNamesAreTheSchemasKinds) {
  std::ifstream in(std::filesystem::path(testing::source_dir()) / "migrations" / "001_initial.sql");
  ASSERT_TRUE(in);
  std::stringstream sql;
  sql << in.rdbuf();
  const std::string schema = sql.str();
  const auto start = schema.find("kind IN (");
  ASSERT_NE(start, std::string::npos);
  const std::string allowed = schema.substr(start, schema.find(')', start) - start);
  for (int k = static_cast<int>(ContentKind::text); k <= static_cast<int>(ContentKind::other); ++k) {
    const auto name = std::string(content_kind_name(static_cast<ContentKind>(k)));
    EXPECT_NE(allowed.find("'" + name + "'"), std::string::npos) << name << " is not a messages.kind value";
  }
  EXPECT_EQ(system_kind_name(SystemKind::history_sync_notification), "history_sync_notification");
  EXPECT_EQ(system_kind_name(SystemKind::none), "none");
}

}  // namespace
}  // namespace wacrm::wa
