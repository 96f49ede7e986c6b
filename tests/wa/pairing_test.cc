// Pair-success verification without sockets: a simulated phone signs our
// identity as the notes describe (01 §6.4–6.6) and every check is exercised
// in order, good and bad; plus the pair-device refs, the QR string and the
// ref rotation.
#include "wa/pairing.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <gtest/gtest.h>

#include "noise/key_pair.h"
#include "noise/xeddsa.h"
#include "signal/context.h"
#include "wa/adv.pb.h"
#include "wa/credentials.h"
#include "wa/iq.h"
#include "wa/pairing_qr.h"

namespace wacrm::wa {
namespace {

using wire::Node;

Bytes concat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (ByteView p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes hmac(ByteView key, ByteView data) {
  Bytes out(32);
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(), &size);
  return out;
}

std::string serialized(const google::protobuf::MessageLite& m) {
  std::string s;
  m.SerializeToString(&s);
  return s;
}

// What the phone does when it scans our QR (the mirror of verify_pair_success).
struct Phone {
  noise::KeyPair identity = noise::KeyPair::generate().value();
  bool hosted_account = false;  // HMAC with 06 05
  bool hosted_device = false;   // account signature with 06 05
  bool corrupt_hmac = false;
  bool corrupt_signature = false;
  bool short_key = false;

  Node pair_success(const store::DeviceCredentials& ours, ByteView adv_secret) const {
    ADVDeviceIdentity device;
    device.set_raw_id(4242);
    device.set_timestamp(1700000000);
    device.set_key_index(7);
    if (hosted_device) device.set_device_type(HOSTED);
    std::string details = serialized(device);
    Bytes prefix = hosted_device ? Bytes{0x06, 0x05} : Bytes{0x06, 0x00};
    auto signature = noise::xeddsa_sign(identity.private_key(),
                                        concat({prefix, as_bytes(details), ours.identity.identity_public}));
    EXPECT_TRUE(signature);
    Bytes sig(signature->begin(), signature->end());
    if (corrupt_signature) sig[5] ^= 0x40;
    ADVSignedDeviceIdentity account;
    account.set_details(details);
    Bytes key(identity.public_key().begin(), identity.public_key().end());
    if (short_key) key.pop_back();
    account.set_account_signature_key(key.data(), key.size());
    account.set_account_signature(sig.data(), sig.size());
    std::string account_bytes = serialized(account);
    ADVSignedDeviceIdentityHMAC container;
    container.set_details(account_bytes);
    if (hosted_account) container.set_account_type(HOSTED);
    Bytes mac = hmac(adv_secret, hosted_account ? concat({Bytes{0x06, 0x05}, as_bytes(account_bytes)})
                                                : Bytes(account_bytes.begin(), account_bytes.end()));
    if (corrupt_hmac) mac[0] ^= 1;
    container.set_hmac(mac.data(), mac.size());
    std::string container_bytes = serialized(container);
    return Node("iq", {{"from", "@s.whatsapp.net"}, {"type", "set"}, {"id", "ps-1"}},
                Node::Children{Node(
                    "pair-success", {},
                    Node::Children{Node("device-identity", {}, Bytes(container_bytes.begin(), container_bytes.end())),
                                   Node("device", {{"jid", "15551234567:7@s.whatsapp.net"},
                                                   {"lid", "123456789012345:7@lid"}}),
                                   Node("platform", {{"name", "android"}}), Node("biz", {{"name", "Bob's Bikes"}})})});
  }
};

class PairingTest : public ::testing::Test {
 protected:
  // The refusal of a pair-success the test expects to fail.
  PairingRefusal refusal(const Node& iq) {
    auto verified = verify_pair_success(iq, ours_);
    EXPECT_FALSE(verified) << "accepted";
    return verified ? PairingRefusal{0, "accepted", ""} : verified.error();
  }
  PairingRefusal refusal() { return refusal(phone_.pair_success(ours_, ours_.adv_secret)); }

  signal::Context context_ = signal::Context::create().value();
  store::DeviceCredentials ours_ = generate_credentials(context_).value();
  Phone phone_;
};

TEST_F(PairingTest, AcceptsAGenuinePairSuccessAndSignsIt) {
  auto success = verify_pair_success(phone_.pair_success(ours_, ours_.adv_secret), ours_);
  ASSERT_TRUE(success) << success.error().reason;
  EXPECT_EQ(success->iq_id, "ps-1");
  EXPECT_EQ(success->device.jid, "15551234567:7@s.whatsapp.net");
  EXPECT_EQ(success->device.lid, "123456789012345:7@lid");
  EXPECT_EQ(success->device.platform, "android");
  EXPECT_EQ(success->device.business_name, "Bob's Bikes");
  EXPECT_EQ(success->key_index, 7u);
  EXPECT_EQ(to_hex(success->account_signature_key), to_hex(phone_.identity.public_key()));

  // The kept identity has everything; its device signature verifies over 06 01 ‖ details ‖ ours ‖ account key.
  ADVSignedDeviceIdentity kept;
  ASSERT_TRUE(kept.ParseFromArray(success->device.adv_signed_identity.data(),
                                  static_cast<int>(success->device.adv_signed_identity.size())));
  EXPECT_EQ(kept.account_signature_key().size(), 32u);
  ASSERT_EQ(kept.device_signature().size(), 64u);
  noise::PublicKey our_identity{};
  ASSERT_TRUE(noise::to_public_key(ours_.identity.identity_public, our_identity));
  EXPECT_TRUE(noise::xeddsa_verify(our_identity,
                                   concat({Bytes{0x06, 0x01}, as_bytes(kept.details()), ours_.identity.identity_public,
                                           phone_.identity.public_key()}),
                                   as_bytes(kept.device_signature())));

  // The reply carries the same identity without the account signature key.
  Node reply = pair_device_sign(*success);
  EXPECT_EQ(reply.attr_or("type"), "result");
  EXPECT_EQ(reply.attr_or("id"), "ps-1");
  EXPECT_EQ(reply.attr_or("to"), server_jid());
  const Node* identity = reply.child("pair-device-sign") ? reply.child("pair-device-sign")->child("device-identity") : nullptr;
  ASSERT_NE(identity, nullptr);
  EXPECT_EQ(identity->attr_or("key-index"), "7");
  ADVSignedDeviceIdentity sent;
  ASSERT_TRUE(sent.ParseFromArray(identity->bytes()->data(), static_cast<int>(identity->bytes()->size())));
  EXPECT_FALSE(sent.has_account_signature_key());
  EXPECT_EQ(sent.details(), kept.details());
  EXPECT_EQ(sent.account_signature(), kept.account_signature());
  EXPECT_EQ(sent.device_signature(), kept.device_signature());
}

TEST_F(PairingTest, HostedAccountsAndDevicesUseThe0605Prefixes) {
  phone_.hosted_account = true;
  phone_.hosted_device = true;
  EXPECT_TRUE(verify_pair_success(phone_.pair_success(ours_, ours_.adv_secret), ours_));
}

TEST_F(PairingTest, AWrongHmacIsRefusedFirst) {
  phone_.corrupt_hmac = true;
  phone_.corrupt_signature = true;  // also bad, but the HMAC is checked before
  PairingRefusal refused = refusal();
  EXPECT_EQ(refused.code, 401);
  EXPECT_EQ(refused.text, "hmac-mismatch");
}

TEST_F(PairingTest, AnotherAdvSecretIsAnHmacMismatch) {
  Bytes other(32, 0x42);
  EXPECT_EQ(refusal(phone_.pair_success(ours_, other)).text, "hmac-mismatch");
}

TEST_F(PairingTest, ABadAccountSignatureIsRefused) {
  phone_.corrupt_signature = true;
  PairingRefusal refused = refusal();
  EXPECT_EQ(refused.code, 401);
  EXPECT_EQ(refused.text, "signature-mismatch");
  EXPECT_NE(refused.reason.find("account signature"), std::string::npos);
}

TEST_F(PairingTest, AnAccountSignatureOverAnotherIdentityIsRefused) {
  auto other = generate_credentials(context_).value();
  other.adv_secret = ours_.adv_secret;
  // Signed for `other`'s identity, presented to us.
  EXPECT_EQ(refusal(phone_.pair_success(other, ours_.adv_secret)).text, "signature-mismatch");
}

TEST_F(PairingTest, AShortAccountKeyIsRefused) {
  phone_.short_key = true;
  EXPECT_EQ(refusal().text, "signature-mismatch");
}

TEST_F(PairingTest, GarbageAndMissingPartsAreInternalErrors) {
  Node iq = phone_.pair_success(ours_, ours_.adv_secret);
  auto& children = std::get<Node::Children>(std::get<Node::Children>(iq.content)[0].content);
  children[0].content = Bytes{0xff, 0x00, 0x13};
  PairingRefusal refused = refusal(iq);
  EXPECT_EQ(refused.code, 500);
  EXPECT_EQ(refused.text, "internal-error");

  Node no_device = phone_.pair_success(ours_, ours_.adv_secret);
  auto& parts = std::get<Node::Children>(std::get<Node::Children>(no_device.content)[0].content);
  parts.erase(parts.begin() + 1);
  EXPECT_EQ(refusal(no_device).code, 500);

  Node from_someone = phone_.pair_success(ours_, ours_.adv_secret);
  from_someone.set_attr("from", "15550001111@s.whatsapp.net");
  EXPECT_EQ(refusal(from_someone).code, 500);
}

TEST_F(PairingTest, ErrorReplyHasTheCodeAndText) {
  Node reply = pairing_error_reply("ps-9", PairingRefusal{401, "hmac-mismatch", "x"});
  EXPECT_EQ(reply.attr_or("type"), "error");
  EXPECT_EQ(reply.attr_or("id"), "ps-9");
  ASSERT_NE(reply.child("error"), nullptr);
  EXPECT_EQ(reply.child("error")->attr_or("code"), "401");
  EXPECT_EQ(reply.child("error")->attr_or("text"), "hmac-mismatch");
}

TEST(PairDevice, ReadsTheRefs) {
  Node iq("iq", {{"from", "@s.whatsapp.net"}, {"type", "set"}, {"id", "pd-1"}, {"xmlns", "md"}},
          Node::Children{Node("pair-device", {},
                              Node::Children{Node("ref", {}, Bytes{'2', '@', 'a'}), Node("ref", {}, std::string("2@b"))})});
  auto parsed = parse_pair_device(iq);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->iq_id, "pd-1");
  EXPECT_EQ(parsed->refs, (std::vector<std::string>{"2@a", "2@b"}));
  Node empty("iq", {{"from", "@s.whatsapp.net"}, {"type", "set"}, {"id", "pd-2"}},
             Node::Children{Node("pair-device", {}, Node::Children{})});
  EXPECT_FALSE(parse_pair_device(empty));
}

TEST(PairingQr, IsTheUrlFormWithBase64Keys) {
  Bytes noise(32, 0x01), identity(32, 0x02), adv(32, 0x03);
  std::string qr = qr_string("2@ref", noise, identity, adv, CompanionPlatform::chrome);
  EXPECT_EQ(qr,
            "https://wa.me/settings/linked_devices#2@ref,AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=,"
            "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=,AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=,1");
  EXPECT_EQ(qr_platform_id(CompanionPlatform::desktop), "9");
  EXPECT_EQ(qr_platform_id(CompanionPlatform::firefox), "3");
}

TEST(PairingQr, RotatesSixtyThenTwentySecondsThenEnds) {
  using namespace std::chrono_literals;
  auto t0 = QrRotation::Clock::time_point{} + 1000s;
  QrRotation rotation({"a", "b", "c"}, t0, 60s, 20s);
  EXPECT_EQ(rotation.at(t0)->ref, "a");
  EXPECT_EQ(rotation.at(t0)->expires_at, t0 + 60s);
  EXPECT_EQ(rotation.at(t0 + 59s)->ref, "a");
  EXPECT_EQ(rotation.at(t0 + 60s)->ref, "b");
  EXPECT_EQ(rotation.at(t0 + 60s)->expires_at, t0 + 80s);
  EXPECT_EQ(rotation.at(t0 + 95s)->ref, "c");
  EXPECT_FALSE(rotation.at(t0 + 100s));
  EXPECT_EQ(rotation.ends_at(), t0 + 100s);
}

}  // namespace
}  // namespace wacrm::wa
