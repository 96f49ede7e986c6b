// The handshake-family messages Baileys 7 serialized with WAProto
// (tests/conformance/vectors/protobuf.json): our proto/wa schema parses each
// and re-serializes it to the same bytes, and the field names and numbers
// agree with WAProto's (the vector's JSON builds the same message).
#include <gtest/gtest.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>

#include <memory>
#include <set>

#include "conformance_vectors.h"
#include "noise_test_util.h"
#include "wa/adv.pb.h"
#include "wa/cert.pb.h"
#include "wa/client_payload.pb.h"
#include "wa/handshake.pb.h"

namespace wacrm::noise {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::Message;
using google::protobuf::MessageFactory;

// The WAProto types proto/wa/{handshake,cert,client_payload,adv}.proto define.
const std::set<std::string> kOurTypes = {
    "HandshakeMessage", "CertChain", "CertChain.NoiseCertificate", "CertChain.NoiseCertificate.Details",
    "ClientPayload", "DeviceProps", "ADVSignedDeviceIdentityHMAC", "ADVSignedDeviceIdentity", "ADVDeviceIdentity",
    "ADVKeyIndexList", "ADVSignedKeyIndexList"};

std::unique_ptr<Message> new_message(const std::string& waproto_type) {
  // Touch one generated type per file so the descriptors are registered.
  (void)wa::HandshakeMessage::descriptor();
  (void)wa::CertChain::descriptor();
  (void)wa::ClientPayload::descriptor();
  (void)wa::ADVDeviceIdentity::descriptor();
  const auto* desc = DescriptorPool::generated_pool()->FindMessageTypeByName("wacrm.wa." + waproto_type);
  if (!desc) return nullptr;
  return std::unique_ptr<Message>(MessageFactory::generated_factory()->GetPrototype(desc)->New());
}

TEST(ProtobufConformance, HandshakeFamilyRoundTripsBaileysBytes) {
  auto file = testing::load_conformance_vectors("protobuf.json");
  if (!file) GTEST_SKIP() << "protobuf.json not generated yet";
  int checked = 0;
  for (const auto& v : (*file)["vectors"]) {
    std::string type = v["type"].get<std::string>();
    ASSERT_EQ(type.rfind("proto.", 0), 0u) << type;
    type = type.substr(6);
    if (!kOurTypes.count(type)) continue;
    SCOPED_TRACE(v["name"].get<std::string>());
    auto message = new_message(type);
    ASSERT_NE(message, nullptr) << "no wacrm.wa." << type;

    Bytes wire = testing::hex(v["hex"].get<std::string>());
    ASSERT_TRUE(message->ParseFromArray(wire.data(), static_cast<int>(wire.size())));
    std::string again = message->SerializeAsString();
    EXPECT_EQ(to_hex(as_bytes(again)), v["hex"].get<std::string>()) << "re-serialization differs";

    // Names and numbers: the JSON (WAProto names) must build the same known
    // fields; fields we do not declare are ignored there and kept as unknown
    // fields in the byte round trip above.
    auto from_json = new_message(type);
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    auto status = google::protobuf::util::JsonStringToMessage(v["json"].dump(), from_json.get(), options);
    ASSERT_TRUE(status.ok()) << status.ToString();
    message->DiscardUnknownFields();
    EXPECT_EQ(to_hex(as_bytes(from_json->SerializeAsString())), to_hex(as_bytes(message->SerializeAsString())))
        << "a field name or number disagrees with WAProto";
    ++checked;
  }
  EXPECT_GE(checked, 10) << "expected the handshake, certificate, client payload and ADV vectors";
}

TEST(ProtobufConformance, ClientPayloadOfTheNotesDecodesAsDocumented) {
  // Notes 01 §3.4, 78 bytes.
  Bytes wire = testing::hex(
      "088784b4f739 1801 2a36 080e 120b0802 10b817 18d7afcdf203 1a03303030 2203303030 2a03302e31"
      " 3a074465736b746f70 4203302e31 5000 5a02656e 62025553 32022000 6001 6801 90010c 880201");
  wa::ClientPayload payload;
  ASSERT_TRUE(payload.ParseFromArray(wire.data(), static_cast<int>(wire.size())));
  EXPECT_EQ(payload.username(), 15551234567u);
  EXPECT_TRUE(payload.passive());
  EXPECT_EQ(payload.user_agent().platform(), wa::ClientPayload::UserAgent::WEB);
  EXPECT_EQ(payload.user_agent().app_version().tertiary(), 1045649367u);
  EXPECT_TRUE(payload.user_agent().has_release_channel());
  EXPECT_TRUE(payload.web_info().has_web_sub_platform());
  EXPECT_EQ(payload.connect_type(), wa::ClientPayload::WIFI_UNKNOWN);
  EXPECT_EQ(payload.connect_reason(), wa::ClientPayload::USER_ACTIVATED);
  EXPECT_EQ(payload.device(), 12u);
  EXPECT_TRUE(payload.pull());
  EXPECT_EQ(payload.SerializeAsString().size(), 78u);
}

}  // namespace
}  // namespace wacrm::noise
