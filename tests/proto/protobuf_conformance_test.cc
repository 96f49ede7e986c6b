// Our proto/wa schema against the bytes Baileys 7's WAProto produced
// (tests/conformance/vectors/protobuf.json): every vector of a type we define
// parses, re-serializes to the same bytes (unknown fields included), and its
// JSON, which names fields as WAProto does, builds the same known fields. That
// last check is what catches a wrong field number or type.
#include <gtest/gtest.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/unknown_field_set.h>
#include <google/protobuf/util/json_util.h>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "base/bytes.h"
#include "proto/protobuf_vectors.h"
#include "wa/adv.pb.h"
#include "wa/app_state.pb.h"
#include "wa/cert.pb.h"
#include "wa/client_payload.pb.h"
#include "wa/e2e.pb.h"
#include "wa/handshake.pb.h"
#include "wa/history_sync.pb.h"
#include "wa/web.pb.h"

namespace wacrm {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using testing::protobuf_vectors;

// WAProto type name -> our type. Mentioning each default instance also links
// its generated file into the test.
const std::map<std::string, const Message*>& our_types() {
  static const std::map<std::string, const Message*> table = {
      {"proto.Message", &wa::Message::default_instance()},
      {"proto.Message.SenderKeyDistributionMessage", &wa::SenderKeyDistributionMessage::default_instance()},
      {"proto.WebMessageInfo", &wa::WebMessageInfo::default_instance()},
      {"proto.HistorySync", &wa::HistorySync::default_instance()},
      {"proto.SyncActionData", &wa::SyncActionData::default_instance()},
      // The handshake family (proto/wa/{handshake,cert,client_payload,adv}.proto).
      {"proto.HandshakeMessage", &wa::HandshakeMessage::default_instance()},
      {"proto.CertChain", &wa::CertChain::default_instance()},
      {"proto.CertChain.NoiseCertificate.Details", &wa::CertChain::NoiseCertificate::Details::default_instance()},
      {"proto.ClientPayload", &wa::ClientPayload::default_instance()},
      {"proto.DeviceProps", &wa::DeviceProps::default_instance()},
      {"proto.ADVDeviceIdentity", &wa::ADVDeviceIdentity::default_instance()},
      {"proto.ADVSignedDeviceIdentity", &wa::ADVSignedDeviceIdentity::default_instance()},
      {"proto.ADVSignedDeviceIdentityHMAC", &wa::ADVSignedDeviceIdentityHMAC::default_instance()},
      {"proto.ADVKeyIndexList", &wa::ADVKeyIndexList::default_instance()},
      {"proto.ADVSignedKeyIndexList", &wa::ADVSignedKeyIndexList::default_instance()},
  };
  return table;
}

// Vector types we deliberately have no schema for: libsignal's own wire
// formats, which libsignal-protocol-c parses itself.
const std::set<std::string> kNotOurs = {
    "proto.SignalMessage", "proto.PreKeySignalMessage", "proto.SenderKeyMessage",
    "proto.SenderKeyDistributionMessage"};

std::unique_ptr<Message> parse(const Message& prototype, const Bytes& bytes) {
  std::unique_ptr<Message> message(prototype.New());
  if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return nullptr;
  return message;
}

bool has_unknown_fields(const Message& message) {
  const auto* reflection = message.GetReflection();
  if (!reflection->GetUnknownFields(message).empty()) return true;
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const auto* field : fields) {
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i)
        if (has_unknown_fields(reflection->GetRepeatedMessage(message, field, i))) return true;
    } else if (has_unknown_fields(reflection->GetMessage(message, field))) {
      return true;
    }
  }
  return false;
}

// ---- WAProto JSON -> our message ----
//
// protobufjs writes enum values as names. Most of our enum-valued fields are
// declared int32 with the enum beside them for naming (proto/wa/e2e.proto says
// why), so JsonStringToMessage would reject the name: translate it first.

void collect_enum_values(const Descriptor* type, const std::string& name, std::set<int>& out) {
  for (int i = 0; i < type->enum_type_count(); ++i)
    if (const auto* value = type->enum_type(i)->FindValueByName(name)) out.insert(value->number());
  for (int i = 0; i < type->nested_type_count(); ++i) collect_enum_values(type->nested_type(i), name, out);
}

// The number of enum value `name` as seen from a field of `scope`: an enum of
// the message itself or its parents first, else any enum of our schema
// (fields that use another message's enum), if that is unambiguous.
std::optional<int> enum_number(const Descriptor* scope, const std::string& name) {
  for (const Descriptor* type = scope; type != nullptr; type = type->containing_type()) {
    std::set<int> found;
    for (int i = 0; i < type->enum_type_count(); ++i)
      if (const auto* value = type->enum_type(i)->FindValueByName(name)) found.insert(value->number());
    if (found.size() == 1) return *found.begin();
  }
  std::set<int> found;
  for (const auto& [waproto, prototype] : our_types()) {
    const auto* file = prototype->GetDescriptor()->file();
    for (int i = 0; i < file->enum_type_count(); ++i)
      if (const auto* value = file->enum_type(i)->FindValueByName(name)) found.insert(value->number());
    for (int i = 0; i < file->message_type_count(); ++i) collect_enum_values(file->message_type(i), name, found);
  }
  if (found.size() == 1) return *found.begin();
  return std::nullopt;
}

const FieldDescriptor* field_for_json_key(const Descriptor* type, const std::string& key) {
  for (int i = 0; i < type->field_count(); ++i)
    if (type->field(i)->json_name() == key || type->field(i)->name() == key) return type->field(i);
  return nullptr;
}

bool is_number_text(const std::string& s) {
  return !s.empty() && s.find_first_not_of("-0123456789") == std::string::npos;
}

void translate_enum_names(nlohmann::json& object, const Descriptor* type) {
  for (auto& [key, value] : object.items()) {
    const FieldDescriptor* field = field_for_json_key(type, key);
    if (field == nullptr) continue;  // not declared by us: JSON parsing ignores it
    auto translate_one = [&](nlohmann::json& v) {
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        translate_enum_names(v, field->message_type());
      } else if (field->type() == FieldDescriptor::TYPE_INT32 && v.is_string() &&
                 !is_number_text(v.get<std::string>())) {
        auto number = enum_number(type, v.get<std::string>());
        if (number) v = *number;
        else ADD_FAILURE() << type->full_name() << "." << field->name() << ": no enum value named " << v;
      }
    };
    if (value.is_array()) {
      for (auto& element : value) translate_one(element);
    } else {
      translate_one(value);
    }
  }
}

std::unique_ptr<Message> from_waproto_json(const Message& prototype, nlohmann::json json) {
  translate_enum_names(json, prototype.GetDescriptor());
  std::unique_ptr<Message> message(prototype.New());
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;  // fields we do not declare
  auto status = google::protobuf::util::JsonStringToMessage(json.dump(), message.get(), options);
  if (!status.ok()) {
    ADD_FAILURE() << "JSON does not fit " << prototype.GetTypeName() << ": " << status.ToString();
    return nullptr;
  }
  return message;
}

// ---- tests ----

TEST(ProtobufConformance, EveryVectorTypeIsOursOrKnownToBeNot) {
  std::set<std::string> unclassified;
  for (const auto& vector : protobuf_vectors().at("vectors")) {
    const auto type = vector.at("type").get<std::string>();
    if (!our_types().contains(type) && !kNotOurs.contains(type)) unclassified.insert(type);
  }
  EXPECT_TRUE(unclassified.empty()) << "add these to our_types() or kNotOurs: "
                                    << nlohmann::json(unclassified).dump();
}

TEST(ProtobufConformance, OurTypesReserializeBaileysBytesExactly) {
  int checked = 0;
  for (const auto& vector : protobuf_vectors().at("vectors")) {
    auto it = our_types().find(vector.at("type").get<std::string>());
    if (it == our_types().end()) continue;
    SCOPED_TRACE(vector.at("name").get<std::string>());
    Bytes bytes = testing::vector_bytes(vector);
    auto message = parse(*it->second, bytes);
    ASSERT_NE(message, nullptr) << "does not parse as " << it->second->GetTypeName();
    EXPECT_EQ(to_hex(as_bytes(message->SerializeAsString())), to_hex(bytes));
    ++checked;
  }
  // 32 Message, 3 WebMessageInfo, 5 SyncActionData, HistorySync, SKDM, and
  // 17 of the handshake family when this was written.
  EXPECT_GE(checked, 50);
}

TEST(ProtobufConformance, WaprotoJsonBuildsTheSameKnownFields) {
  int checked = 0;
  for (const auto& vector : protobuf_vectors().at("vectors")) {
    auto it = our_types().find(vector.at("type").get<std::string>());
    if (it == our_types().end()) continue;
    SCOPED_TRACE(vector.at("name").get<std::string>());
    auto from_bytes = parse(*it->second, testing::vector_bytes(vector));
    ASSERT_NE(from_bytes, nullptr);
    auto from_json = from_waproto_json(*it->second, vector.at("json"));
    ASSERT_NE(from_json, nullptr);
    from_bytes->DiscardUnknownFields();
    // Both are ours, so both serialize in field-number order: equal bytes
    // mean equal known fields.
    EXPECT_EQ(to_hex(as_bytes(from_json->SerializeAsString())), to_hex(as_bytes(from_bytes->SerializeAsString())))
        << "a field number, type or name disagrees with WAProto\n  bytes: " << from_bytes->ShortDebugString()
        << "\n  json:  " << from_json->ShortDebugString();
    ++checked;
  }
  EXPECT_GE(checked, 50);
}

// Raw messages we store must survive a parse/serialize cycle even where our
// schema is smaller than WhatsApp's.
TEST(ProtobufConformance, UndeclaredFieldsSurviveInPlace) {
  for (const char* name : {"message-audio-ptt", "message-view-once", "message-view-once-v2"}) {
    SCOPED_TRACE(name);
    Bytes bytes = testing::vector_bytes(testing::protobuf_vector(name));
    auto message = parse(wa::Message::default_instance(), bytes);
    ASSERT_NE(message, nullptr);
    EXPECT_TRUE(has_unknown_fields(*message)) << "vector no longer exercises unknown fields";
    EXPECT_EQ(to_hex(as_bytes(message->SerializeAsString())), to_hex(bytes));
  }
}

TEST(ProtobufConformance, KeyFieldsMatchTheJson) {
  auto text = testing::parse_protobuf_vector<wa::Message>("message-extended-text-reply-mentions");
  const auto& text_json = testing::protobuf_vector("message-extended-text-reply-mentions")["json"];
  const auto& context = text.extended_text_message().context_info();
  EXPECT_EQ(text.extended_text_message().text(), text_json["extendedTextMessage"]["text"]);
  EXPECT_EQ(context.stanza_id(), text_json["extendedTextMessage"]["contextInfo"]["stanzaId"]);
  EXPECT_EQ(context.mentioned_jid_size(), 2);
  EXPECT_EQ(context.expiration(), 604800u);

  auto image = testing::parse_protobuf_vector<wa::Message>("message-image");
  const auto& image_json = testing::protobuf_vector("message-image")["json"]["imageMessage"];
  EXPECT_EQ(image.image_message().mimetype(), image_json["mimetype"]);
  EXPECT_EQ(std::to_string(image.image_message().file_length()), image_json["fileLength"]);
  EXPECT_EQ(image.image_message().direct_path(), image_json["directPath"]);
  EXPECT_EQ(image.image_message().media_key().size(), 32u);

  auto revoke = testing::parse_protobuf_vector<wa::Message>("message-protocol-revoke");
  EXPECT_TRUE(revoke.protocol_message().has_type()) << "an explicit REVOKE (0) must stay visible";
  EXPECT_EQ(revoke.protocol_message().type(), wa::ProtocolMessage::REVOKE);

  auto stub = testing::parse_protobuf_vector<wa::WebMessageInfo>("web-message-info-group-stub");
  EXPECT_EQ(stub.message_stub_type(), wa::WebMessageInfo::GROUP_PARTICIPANT_ADD);
  EXPECT_EQ(stub.message_stub_parameters_size(), 2);

  auto history = testing::parse_protobuf_vector<wa::HistorySync>("history-sync-initial");
  ASSERT_EQ(history.conversations_size(), 2);
  EXPECT_EQ(history.conversations(0).lid_jid(), "98765432109876@lid");
  EXPECT_EQ(history.conversations(0).messages(0).message().push_name(), "Alice");
  EXPECT_EQ(history.conversations(1).parent_group_id(), "120363000000000001@g.us");

  auto mute = testing::parse_protobuf_vector<wa::SyncActionData>("sync-action-mute");
  EXPECT_EQ(mute.index(), R"(["mute","120363012345678901@g.us"])");
  EXPECT_TRUE(mute.value().mute_action().muted());
  EXPECT_EQ(mute.value().mute_action().mute_end_timestamp(), 1700086400000);
}

// proto2 enums are closed; our int32 fields are not. A ProtocolMessage type
// newer than our list must stay readable and in place.
TEST(ProtobufConformance, EnumValuesNewerThanOurListStayInPlace) {
  // protocolMessage{ key{id:"X"}, type: 99, ephemeralExpiration: 5 }
  Bytes bytes;
  ASSERT_TRUE(from_hex("6209" "0a031a0158" "1063" "2005", bytes));
  wa::Message message;
  ASSERT_TRUE(message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())));
  EXPECT_EQ(message.protocol_message().type(), 99);
  EXPECT_EQ(message.protocol_message().ephemeral_expiration(), 5u);
  EXPECT_EQ(to_hex(as_bytes(message.SerializeAsString())), to_hex(bytes));
}

}  // namespace
}  // namespace wacrm
