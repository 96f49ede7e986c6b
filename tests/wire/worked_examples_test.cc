// The worked examples of protocol notes §4.8 (produced by Baileys 6.17.16 with
// its built-in v2 tables and with the v3 tables passed in), both ways.
#include <gtest/gtest.h>

#include "wire/node.h"
#include "wire/node_decoder.h"
#include "wire/node_encoder.h"
#include "wire_test_util.h"

namespace wacrm::wire {
namespace {

using testing::hex_of;
using testing::unhex;

struct Example {
  const char* name;
  Node node;
  DictVersion version;
  std::string frame_hex;
};

Node ping() {
  return Node("iq", {{"id", "1234.5678-1"}, {"to", "@s.whatsapp.net"}, {"type", "get"}, {"xmlns", "w:p"}},
              Node::Children{Node("ping")});
}

Node logout() {
  return Node("iq", {{"to", "@s.whatsapp.net"}, {"type", "set"}, {"id", "ABCDEF01"}, {"xmlns", "md"}},
              Node::Children{Node("remove-companion-device",
                                  {{"jid", "15551234567:12@s.whatsapp.net"}, {"reason", "user_initiated"}})});
}

Node pairing_reply() {
  return Node("iq", {{"to", "@s.whatsapp.net"}, {"type", "result"}, {"id", "1234"}},
              Node::Children{Node("pair-device-sign", {},
                                  Node::Children{Node("device-identity", {{"key-index", "2"}},
                                                      unhex("0a0208011a00"))})});
}

Node success() { return Node("success", {{"t", "1700000000"}, {"lid", "123456789012345:12@lid"}}); }

std::vector<Example> examples() {
  const std::string rcd = hex_of("remove-companion-device");
  return {
      {"ping v3", ping(), DictVersion::v3, "00f80a1908ff861234b5678a1f11fa000304291657f801f80156"},
      {"ping v2", ping(), DictVersion::v2, "00f80a1e08ff861234b5678a1f0efa00030431195ff801f80150"},
      {"logout v3", logout(), DictVersion::v3,
       "00f80a1911fa0003045a08fb04abcdef0116fc026d64f801f805fc17" + rcd +
           "0cf7000cff8615551234567fec2efc0e" + hex_of("user_initiated")},
      // v2 column of the table: different token bytes, same structure.
      {"logout v2", logout(), DictVersion::v2,
       "00f80a1e0efa0003043e08fb04abcdef0119fc026d64f801f805fc17" + rcd +
           "0ff7000cff8615551234567fec07fc0e" + hex_of("user_initiated")},
      {"pairing reply v3", pairing_reply(), DictVersion::v3,
       "00f8081911fa0003041408ff021234f801f802fc10" + hex_of("pair-device-sign") +
           "f801f804e65045fc060a0208011a00"},
      {"pairing reply v2", pairing_reply(), DictVersion::v2,
       "00f8081e0efa0003041408ff021234f801f802fc10" + hex_of("pair-device-sign") + "f801f804fc0f" +
           hex_of("device-identity") + "fc09" + hex_of("key-index") + "33fc060a0208011a00"},
      {"success v3", success(), DictVersion::v3, "00f8054c1aff05170000000076f7010cff88123456789012345f"},
      {"success v2", success(), DictVersion::v2,
       "00f805471dff051700000000fc036c6964f7010cff88123456789012345f"},
  };
}

TEST(WorkedExamples, EncodeToTheNotesBytes) {
  for (const auto& ex : examples()) {
    EXPECT_EQ(to_hex(encode_frame_payload(ex.node, ex.version)), ex.frame_hex) << ex.name;
  }
}

TEST(WorkedExamples, DecodeToTheNode) {
  for (const auto& ex : examples()) {
    auto node = decode_frame_payload(unhex(ex.frame_hex), ex.version);
    ASSERT_TRUE(node) << ex.name << ": " << node.error().to_string();
    EXPECT_EQ(*node, ex.node) << ex.name;
  }
}

TEST(WorkedExamples, CompressedSuccessFrame) {
  auto node = decode_frame_payload(
      unhex("02789cfbc1ea23f59f559c818181a1ec3b23cfff0e2193b08a094226f10064bf07c9"), DictVersion::v3);
  ASSERT_TRUE(node) << node.error().to_string();
  EXPECT_EQ(*node, success());
}

// The "JID encodings" table: an attribute value alone.
TEST(WorkedExamples, JidEncodings) {
  struct Row {
    const char* jid;
    const char* v3;
    const char* v2;  // nullptr: same as v3
  };
  const Row rows[] = {
      {"@s.whatsapp.net", "fa0003", nullptr},
      {"15551234567@s.whatsapp.net", "faff86155512345 67f03", nullptr},
      {"15551234567:12@s.whatsapp.net", "f7000cff8615551234567f", nullptr},
      {"123456789012345@lid", "faff88123456789012345f76", "faff88123456789012345ffc036c6964"},
      {"123456789012345:12@lid", "f7010cff88123456789012345f", nullptr},
      {"120363012345678901@g.us", "faff091203630123456789011c", "faff0912036301234567890113"},
      {"15551234567-1600000000@g.us", "faff0b155512345 67a16000000001c", "faff0b1555123456 7a1600000000 13"},
      {"status@broadcast", "fa0b0d", "fa0a09"},
      {"1600000000@broadcast", "faff05160000000 00d", "faff0516000000 0009"},
      {"0@c.us", "fa2dfc04632e7573", "fa4ffc04632e7573"},
  };
  for (const auto& row : rows) {
    for (auto version : {DictVersion::v3, DictVersion::v2}) {
      const char* expected = version == DictVersion::v2 && row.v2 ? row.v2 : row.v3;
      Node node("item", {{"jid", row.jid}});
      Bytes frame = encode_frame_payload(node, version);
      // 00 f8 03 <item> <jid> then the value.
      ASSERT_GT(frame.size(), 5u);
      EXPECT_EQ(to_hex(ByteView(frame).subspan(5)), to_hex(unhex(expected)))
          << row.jid << " v" << static_cast<int>(version);
      auto back = decode_frame_payload(frame, version);
      ASSERT_TRUE(back) << back.error().to_string();
      EXPECT_EQ(back->attr_or("jid"), row.jid);
    }
  }
}

}  // namespace
}  // namespace wacrm::wire
