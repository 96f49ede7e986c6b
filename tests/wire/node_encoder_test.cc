#include "wire/node_encoder.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "wire/node_decoder.h"
#include "wire_test_util.h"

namespace wacrm::wire {
namespace {

using testing::hex_of;
using testing::unhex;

constexpr auto v3 = DictVersion::v3;

std::string encode_hex(const Node& node, DictVersion version = v3) {
  Bytes out;
  encode_node(node, version, out);
  return to_hex(out);
}

// The bytes of one attribute value: <item jid=VALUE/> is f8 03 3f 0c VALUE in v3.
std::string value_hex(std::string value) {
  std::string all = encode_hex(Node("item", {{"jid", std::move(value)}}));
  EXPECT_EQ(all.substr(0, 8), "f803" "3f" "0c");
  return all.substr(8);
}

// Encoding then decoding gives the node back.
void expect_round_trip(const Node& node) {
  for (auto version : {DictVersion::v2, DictVersion::v3}) {
    Bytes frame = encode_frame_payload(node, version);
    ASSERT_EQ(frame.at(0), 0);
    auto back = decode_frame_payload(frame, version);
    ASSERT_TRUE(back) << back.error().to_string();
    EXPECT_EQ(*back, node) << to_hex(frame);
  }
}

TEST(NodeEncoder, StringForms) {
  EXPECT_EQ(value_hex("iq"), "19");                              // single-byte token
  EXPECT_EQ(value_hex("read-self"), "ec00");                     // double-byte token
  EXPECT_EQ(value_hex("12-3.45"), "ff84" "12a3b45f");             // nibble, odd length
  EXPECT_EQ(value_hex("ABC123"), "fb03abc123");                  // hex
  EXPECT_EQ(value_hex("abc123"), "fc06" + hex_of("abc123"));     // lowercase hex goes raw
  EXPECT_EQ(value_hex(""), "fc00");  // Baileys 7; v2 below
  EXPECT_EQ(value_hex(std::string(127, '1')).substr(0, 4), "ffc0");  // PACKED_MAX
  EXPECT_EQ(value_hex(std::string(128, '1')).substr(0, 4), "fc80");  // longer: raw
}

TEST(NodeEncoder, EmptyStringPerDictionary) {
  EXPECT_EQ(encode_hex(Node("iq", {{"id", ""}}), DictVersion::v2), "f8031e0800");
  EXPECT_EQ(encode_hex(Node("iq", {{"id", ""}}), DictVersion::v3), "f8031908fc00");
}

TEST(NodeEncoder, ByteLengthThresholds) {
  EXPECT_EQ(encode_hex(Node("iq", {}, Bytes(255, 0))).substr(0, 10), "f80219fcff");
  EXPECT_EQ(encode_hex(Node("iq", {}, Bytes(256, 0))).substr(0, 14), "f80219fd000100");
  EXPECT_EQ(encode_hex(Node("iq", {}, Bytes((1 << 20) - 1, 0))).substr(0, 14), "f80219fd0fffff");
  EXPECT_EQ(encode_hex(Node("iq", {}, Bytes(1 << 20, 0))).substr(0, 16), "f80219fe00100000");
}

TEST(NodeEncoder, ListSizes) {
  EXPECT_EQ(encode_hex(Node("iq", {}, Node::Children{})), "f8021900");
  Node::Children many(256, Node("ping"));
  EXPECT_EQ(encode_hex(Node("iq", {}, many)).substr(0, 12), "f80219f90100");
  std::vector<Attr> attrs;
  for (int i = 0; i < 200; ++i) {
    std::string key = "k";  // (not "k" + …: GCC 12 -Wrestrict false positive at -O3)
    key += std::to_string(i);
    attrs.push_back({key, "v"});
  }
  EXPECT_EQ(encode_hex(Node("iq", attrs)).substr(0, 6), "f90191");  // 1 + 2*200 = 401
  expect_round_trip(Node("iq", attrs, many));
}

TEST(NodeEncoder, JidForms) {
  EXPECT_EQ(value_hex("15551234567:12@s.whatsapp.net"), "f7000cff8615551234567f");
  const std::string user = "ff8615551234567f";  // nibble "15551234567"
  EXPECT_EQ(value_hex("15551234567:255@lid"), "f701ff" + user);
  EXPECT_EQ(value_hex("15551234567:1@hosted"), "f78001" + user);
  EXPECT_EQ(value_hex("15551234567:1@hosted.lid"), "f78101" + user);
  EXPECT_EQ(value_hex("15551234567@hosted"), "fa" + user + "fc06" + hex_of("hosted"));  // as Baileys
  EXPECT_EQ(value_hex("1@s.whatsapp.net"), "fa5503");  // "1" is a token
  EXPECT_EQ(value_hex("15551234567:3@msgr"), "f6ff8615551234567f0003" "cc");  // "msgr" is a v3 token
  EXPECT_EQ(value_hex("7-15551234567:2@interop"), "f5ff8615551234567f00020007fc07" + hex_of("interop"));
  // ":5@…" (empty user): AD_JID with an empty user, as Baileys writes it.
  EXPECT_EQ(value_hex(":5@s.whatsapp.net"), "f70005fc00");
  // "a@b@c": a JID pair whose server is the JID pair "b@c" ("c" is a v3 double-byte token).
  EXPECT_EQ(value_hex("a@b@c"), "fafc0161" "fafc0162ee25");
}

// Where Baileys' JID writer would lose information we keep the string.
TEST(NodeEncoder, JidLikeStringsStayIntact) {
  EXPECT_EQ(value_hex("a_b@g.us"), "fafc03" + hex_of("a_b") + "1c");            // Baileys: drops "_b"
  EXPECT_EQ(value_hex("1:0@s.whatsapp.net"), "fafc03" + hex_of("1:0") + "03");  // device 0 is not printed
  EXPECT_EQ(value_hex("1:3@g.us"), "fafc03" + hex_of("1:3") + "1c");            // AD_JID has no g.us
  EXPECT_EQ(value_hex("1:256@lid"), "fafc05" + hex_of("1:256") + "76");         // device byte overflow
  EXPECT_EQ(value_hex("1:2:3@lid"), "fafc05" + hex_of("1:2:3") + "76");
  EXPECT_EQ(value_hex("1:05@lid"), "fafc04" + hex_of("1:05") + "76");
  EXPECT_EQ(value_hex("abc@"), "fc04" + hex_of("abc@"));
  for (const char* s : {"a_b@g.us", "1:0@s.whatsapp.net", "1:3@g.us", "1:256@lid", "1:2:3@lid", "a@b@c",
                        "abc@", "@", "@@", "x:1@msgr@", "-1:2@interop", "1-:2@interop", "99999-1:2@interop",
                        "a@b@c@d@e@f@g@h@i@j", "a@@b", ":1@msgr", "0-:0@interop"})
    expect_round_trip(Node("item", {{"jid", s}}));
}

TEST(NodeEncoder, StringContentStaysAString) {
  // As content, raw would decode as bytes: "" and long digit strings are packed.
  EXPECT_EQ(encode_hex(Node("iq", {}, std::string())), "f80219ff00");
  std::string digits(200, '7');
  EXPECT_EQ(encode_hex(Node("iq", {}, digits)).substr(0, 10), "f80219ff64");
  expect_round_trip(Node("iq", {}, digits));
  expect_round_trip(Node("iq", {}, std::string()));
  expect_round_trip(Node("iq", {}, std::string(254, 'A')));
  expect_round_trip(Node("iq", {}, std::string("15551234567@s.whatsapp.net")));
}

TEST(NodeEncoder, RoundTrips) {
  expect_round_trip(Node("message",
                         {{"id", "3EB0C5A9F1D2E3"}, {"to", "15551234567@s.whatsapp.net"}, {"type", "text"},
                          {"t", "1700000000"}, {"notify", "Zoë ✓"}},
                         Node::Children{Node("enc", {{"v", "2"}, {"type", "pkmsg"}}, Bytes(300, 0x5a)),
                                        Node("participants", {}, Node::Children{})}));
  expect_round_trip(Node("receipt", {{"id", "ABC"}, {"from", "123456789012345:7@lid"}, {"type", "read"}}));
  expect_round_trip(Node("x", {{"odd\x01key", std::string("v\0al", 4)}}, Bytes{0}));
}

TEST(NodeEncoder, RawStringContentComesBackAsBytes) {
  // The format has no "raw string" content: BINARY_8 content is bytes to
  // every decoder (Baileys' vector content-string-raw shows the same).
  Bytes frame = encode_frame_payload(Node("iq", {}, std::string("a b")), v3);
  EXPECT_EQ(to_hex(frame), "00f80219fc03" + hex_of("a b"));
  auto back = decode_frame_payload(frame, v3);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->content, Node::Content(Bytes{'a', ' ', 'b'}));
}

TEST(NodeEncoder, RejectsUnencodableNodes) {
  EXPECT_THROW(encode_frame_payload(Node(""), v3), std::invalid_argument);
  EXPECT_THROW(encode_frame_payload(Node("iq", {}, Node::Children{Node("")}), v3), std::invalid_argument);
  std::vector<Attr> attrs(40000, Attr{"k", "v"});
  EXPECT_THROW(encode_frame_payload(Node("iq", attrs), v3), std::invalid_argument);
}

TEST(NodeEncoder, FramePayloadHasFlagZero) {
  EXPECT_EQ(to_hex(encode_frame_payload(Node("iq"), v3)), "00f80119");
}

}  // namespace
}  // namespace wacrm::wire
