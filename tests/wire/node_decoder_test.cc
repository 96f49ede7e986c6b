#include "wire/node_decoder.h"

#include <gtest/gtest.h>

#include <string>

#include "wire/node_encoder.h"
#include "wire/zlib_inflate.h"
#include "wire_test_util.h"

namespace wacrm::wire {
namespace {

using testing::hex_of;
using testing::unhex;

constexpr auto v3 = DictVersion::v3;

// v3 tokens used below: 0x19 "iq", 0x08 "id", 0x56 "ping", 0x0c "jid".
Result<Node> decode_hex(std::string_view hex, const DecodeLimits& limits = {}) {
  return decode_node(unhex(hex), v3, limits);
}

void expect_error(const Result<Node>& r, Errc code, std::string_view needle) {
  ASSERT_FALSE(r) << "decoded unexpectedly";
  EXPECT_EQ(r.error().code, code) << r.error().to_string();
  EXPECT_NE(r.error().message.find(needle), std::string::npos) << r.error().message;
}

TEST(NodeDecoder, ContentKinds) {
  // No content (odd list size), empty child list (00), bytes, token string, empty packed string.
  EXPECT_EQ(*decode_hex("f80119"), Node("iq"));
  EXPECT_EQ(*decode_hex("f8021900"), Node("iq", {}, Node::Children{}));
  EXPECT_EQ(*decode_hex("f80219fc03010203"), Node("iq", {}, Bytes{1, 2, 3}));
  EXPECT_EQ(*decode_hex("f8021956"), Node("iq", {}, std::string("ping")));
  EXPECT_EQ(*decode_hex("f80219ff00"), Node("iq", {}, std::string()));
  EXPECT_EQ(*decode_hex("f80219fc00"), Node("iq", {}, Bytes{}));
}

TEST(NodeDecoder, LargeBinaryAndLists) {
  Bytes big(70000, 0xab);
  Bytes frame = unhex("f80219fd011170");
  frame.insert(frame.end(), big.begin(), big.end());
  auto node = decode_node(frame, v3);
  ASSERT_TRUE(node) << node.error().to_string();
  EXPECT_EQ(*node->bytes(), big);

  Bytes b32 = unhex("f80219fe00000004deadbeef");
  EXPECT_EQ(*decode_node(b32, v3)->bytes(), unhex("deadbeef"));

  // LIST_16 with 300 <ping/> children.
  Bytes list = unhex("f80219f9012c");
  for (int i = 0; i < 300; ++i) list.insert(list.end(), {0xf8, 0x01, 0x56});
  auto parent = decode_node(list, v3);
  ASSERT_TRUE(parent) << parent.error().to_string();
  EXPECT_EQ(parent->child_nodes().size(), 300u);
  EXPECT_EQ(parent->children("ping").size(), 300u);
}

TEST(NodeDecoder, PackedStrings) {
  EXPECT_EQ(decode_hex("f8031908ff861234b5678a1f")->attr_or("id"), "1234.5678-1");
  EXPECT_EQ(decode_hex("f8031908fb04abcdef01")->attr_or("id"), "ABCDEF01");
  EXPECT_EQ(decode_hex("f8031908fb83abcdef")->attr_or("id"), "ABCDE");  // odd: last nibble dropped
  expect_error(decode_hex("f8031908ff01c0"), Errc::malformed, "invalid nibble 12");
  expect_error(decode_hex("f8031908ff02f112"), Errc::malformed, "invalid nibble 15");  // padding inside
  expect_error(decode_hex("f8031908ff80"), Errc::malformed, "odd-length flag");
  expect_error(decode_hex("f8031908ff051234"), Errc::malformed, "truncated");
}

TEST(NodeDecoder, Jids) {
  auto jid_of = [](std::string value_hex) -> std::string {
    auto node = decode_hex("f803190c" + value_hex);
    if (!node) return "error: " + node.error().to_string();
    return std::string(node->attr_or("jid"));
  };
  EXPECT_EQ(jid_of("fa0003"), "@s.whatsapp.net");
  EXPECT_EQ(jid_of("f7000cff8615551234567f"), "15551234567:12@s.whatsapp.net");
  EXPECT_EQ(jid_of("f70000ff8615551234567f"), "15551234567@s.whatsapp.net");  // device 0 not printed
  EXPECT_EQ(jid_of("f7010cff8615551234567f"), "15551234567:12@lid");
  EXPECT_EQ(jid_of("f78001ff8615551234567f"), "15551234567:1@hosted");
  EXPECT_EQ(jid_of("f78100ff8615551234567f"), "15551234567@hosted.lid");
  // Any other domain byte reads as s.whatsapp.net (Baileys 7; whatsmeow calls it an agent).
  EXPECT_EQ(jid_of("f70502ff8615551234567f"), "15551234567:2@s.whatsapp.net");
  EXPECT_EQ(jid_of("f6ff8615551234567f0003fc046d736772"), "15551234567:3@msgr");
  EXPECT_EQ(jid_of("f5ff8615551234567f00020007fc07" + hex_of("interop")), "7-15551234567:2@interop");
  EXPECT_EQ(jid_of("fafc0161fafc016203"), "a@b@s.whatsapp.net");  // a JID pair inside a JID pair
}

TEST(NodeDecoder, BadJids) {
  expect_error(decode_hex("f803190cfa0000"), Errc::malformed, "JID pair with an empty server");
  expect_error(decode_hex("f803190cf6fc01610003fc01" + hex_of("x")), Errc::malformed, "FB_JID with server 'x'");
  expect_error(decode_hex("f803190cf5fc016100030004" "03"), Errc::malformed, "INTEROP_JID with server");
  expect_error(decode_hex("f803190cf700"), Errc::malformed, "AD_JID device");
  expect_error(decode_hex("f803190cfa"), Errc::malformed, "truncated");
}

TEST(NodeDecoder, StructuralErrors) {
  expect_error(decode_hex(""), Errc::malformed, "truncated");
  expect_error(decode_hex("19"), Errc::malformed, "expected a list tag, got 0x19 at offset 0");
  expect_error(decode_hex("00"), Errc::malformed, "list size 0");
  expect_error(decode_hex("f80100"), Errc::malformed, "empty tag at offset 2");
  expect_error(decode_hex("f801f0"), Errc::malformed, "unknown tag byte 0xf0 at offset 2");
  expect_error(decode_hex("f801f8"), Errc::malformed, "list tag 0xf8 where a string was expected");
  expect_error(decode_hex("f8ff19"), Errc::malformed, "node of 255 items but only 1 bytes left");
  expect_error(decode_hex("f80219f8ff56"), Errc::malformed, "list of 255 nodes but only 1 bytes left");
  expect_error(decode_hex("f80219f9ffff"), Errc::malformed, "list of 65535 nodes");
  expect_error(decode_hex("f80219feffffffff00"), Errc::malformed, "truncated: binary data needs 4294967295");
  expect_error(decode_hex("f80219fd0fffff"), Errc::malformed, "truncated");
  expect_error(decode_hex("f801190000"), Errc::malformed, "2 trailing bytes after the node at offset 3");
}

TEST(NodeDecoder, EveryPrefixOfAValidNodeFails) {
  Bytes full = unhex("f80a1911fa0003045a08fb04abcdef0116fc026d64f801f805fc1772656d6f76652d636f6d70616e696f6e2d"
                     "6465766963650cf7000cff8615551234567fec2efc0e757365725f696e69746961746564");
  ASSERT_TRUE(decode_node(full, v3));
  for (std::size_t n = 0; n < full.size(); ++n) {
    auto r = decode_node(ByteView(full).first(n), v3);
    ASSERT_FALSE(r) << "prefix of " << n << " bytes decoded";
    EXPECT_EQ(r.error().code, Errc::malformed);
  }
}

TEST(NodeDecoder, DepthLimit) {
  // 70 nested <iq> nodes, each with one child.
  Bytes deep;
  for (int i = 0; i < 70; ++i) deep.insert(deep.end(), {0xf8, 0x02, 0x19, 0xf8, 0x01});
  deep.insert(deep.end(), {0xf8, 0x01, 0x56});
  expect_error(decode_node(deep, v3), Errc::too_large, "nodes nested deeper than 64");
  EXPECT_TRUE(decode_node(deep, v3, DecodeLimits{.max_depth = 100}));

  // JID pairs nested inside JID pairs have their own limit.
  std::string nested = "f803190c";
  for (int i = 0; i < 100; ++i) nested += "fa56";
  expect_error(decode_hex(nested), Errc::too_large, "JIDs nested deeper than 8");
  std::string eight = "f803190c";
  for (int i = 0; i < 8; ++i) eight += "fa56";
  eight += "03";
  auto ok = decode_hex(eight);
  ASSERT_TRUE(ok) << ok.error().to_string();
  EXPECT_EQ(ok->attr_or("jid"), "ping@ping@ping@ping@ping@ping@ping@ping@s.whatsapp.net");
}

TEST(NodeDecoder, FramePayload) {
  expect_error(decode_frame_payload({}, v3), Errc::malformed, "empty frame payload");
  // Offsets count from the payload start (the flag byte is offset 0).
  expect_error(decode_frame_payload(unhex("00f801f0"), v3), Errc::malformed, "at offset 3");
  // Flag bits other than 0x02 are ignored.
  EXPECT_EQ(*decode_frame_payload(unhex("01f80119"), v3), Node("iq"));
}

TEST(NodeDecoder, CompressedPayloads) {
  Node node("iq", {{"id", "1"}}, Bytes(5000, 7));
  Bytes plain;
  encode_node(node, v3, plain);
  Bytes frame{0x02};
  Bytes packed = zlib_deflate(plain);
  frame.insert(frame.end(), packed.begin(), packed.end());
  auto back = decode_frame_payload(frame, v3);
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(*back, node);

  expect_error(decode_frame_payload(frame, v3, DecodeLimits{.max_inflated_size = 1000}), Errc::too_large,
               "inflates past 1000 bytes");
  Bytes cut(frame.begin(), frame.end() - 6);
  expect_error(decode_frame_payload(cut, v3), Errc::malformed, "compressed payload");
  Bytes trailing = frame;
  trailing.push_back(0);
  expect_error(decode_frame_payload(trailing, v3), Errc::malformed, "after the end of the zlib stream");
  expect_error(decode_frame_payload(unhex("02deadbeef"), v3), Errc::malformed, "compressed payload");

  // Errors inside the inflated node say so.
  Bytes bad_inner{0x02};
  Bytes inner = zlib_deflate(unhex("f801f0"));
  bad_inner.insert(bad_inner.end(), inner.begin(), inner.end());
  expect_error(decode_frame_payload(bad_inner, v3), Errc::malformed, "at offset 2 of the inflated payload");
}

TEST(NodeDecoder, InflateAtExactlyTheLimit) {
  Bytes data(4096, 1);
  Bytes packed = zlib_deflate(data);
  EXPECT_EQ(zlib_inflate(packed, 4096).value(), data);
  EXPECT_EQ(zlib_inflate(packed, 4095).error().code, Errc::too_large);
}

TEST(NodeDecoder, DictionaryVersionMatters) {
  // 0x19 is "iq" in v3 and "xmlns" in v2.
  EXPECT_EQ(decode_hex("f80119")->tag, "iq");
  EXPECT_EQ(decode_node(unhex("f80119"), DictVersion::v2)->tag, "xmlns");
  // Double-byte tokens.
  EXPECT_EQ(decode_hex("f801ec00")->tag, "read-self");
  EXPECT_EQ(decode_hex("f801efff")->tag, "1961");
}

}  // namespace
}  // namespace wacrm::wire
