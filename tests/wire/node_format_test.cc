#include "wire/node_format.h"

#include <gtest/gtest.h>

#include "wire_test_util.h"

namespace wacrm::wire {
namespace {

TEST(NodeFormat, OneLine) {
  Node ping("iq", {{"id", "1"}, {"to", "@s.whatsapp.net"}, {"type", "get"}, {"xmlns", "w:p"}},
            Node::Children{Node("ping")});
  EXPECT_EQ(format_node(ping), R"(<iq id="1" to="@s.whatsapp.net" type="get" xmlns="w:p"><ping/></iq>)");
  EXPECT_EQ(format_node(Node("list", {}, Node::Children{})), "<list></list>");
  EXPECT_EQ(format_node(Node("t", {}, std::string("1700000000"))), "<t>1700000000</t>");
}

TEST(NodeFormat, Indented) {
  Node n("iq", {{"id", "1"}},
         Node::Children{Node("list", {}, Node::Children{Node("item"), Node("item", {}, Bytes(3))})});
  EXPECT_EQ(format_node(n, {.indent = true}),
            "<iq id=\"1\">\n"
            "  <list>\n"
            "    <item/>\n"
            "    <item><3 bytes></item>\n"
            "  </list>\n"
            "</iq>");
}

TEST(NodeFormat, BytesShowLengthOnlyUnlessAsked) {
  Node n("picture", {}, Bytes{0xde, 0xad, 0xbe, 0xef});
  EXPECT_EQ(format_node(n), "<picture><4 bytes></picture>");
  EXPECT_EQ(format_node(n, {.show_bytes = true}), "<picture><4 bytes: deadbeef></picture>");
  Node big("picture", {}, Bytes(100, 0x11));
  EXPECT_EQ(format_node(big, {.show_bytes = true}), "<picture><100 bytes: " + std::string(128, '1') + "…></picture>");
}

TEST(NodeFormat, KeyMaterialIsNeverPrinted) {
  Node msg("message", {{"id", "X"}},
           Node::Children{Node("enc", {{"v", "2"}, {"type", "msg"}}, Bytes(33, 0x42)),
                          Node("registration", {}, Bytes{1, 2, 3, 4}),
                          Node("key", {}, Node::Children{Node("id", {}, Bytes{0, 0, 1}), Node("value", {}, Bytes(32, 9)),
                                                         Node("signature", {}, Bytes(64, 8))}),
                          Node("body", {}, std::string("secret text")),
                          Node("media_conn", {{"auth", "AUTHTOKEN"}, {"ttl", "300"}})});
  for (bool show : {false, true}) {
    std::string out = format_node(msg, {.show_bytes = show});
    EXPECT_NE(out.find("<enc v=\"2\" type=\"msg\"><redacted 33 bytes></enc>"), std::string::npos) << out;
    EXPECT_NE(out.find("<registration><redacted 4 bytes></registration>"), std::string::npos) << out;
    // Below a secret node, everything is redacted.
    EXPECT_NE(out.find("<id><redacted 3 bytes></id>"), std::string::npos) << out;
    EXPECT_NE(out.find("<value><redacted 32 bytes></value>"), std::string::npos) << out;
    EXPECT_NE(out.find("<signature><redacted 64 bytes></signature>"), std::string::npos) << out;
    EXPECT_NE(out.find("<body><redacted 11 bytes></body>"), std::string::npos) << out;
    EXPECT_NE(out.find("auth=\"<redacted 9 bytes>\""), std::string::npos) << out;
    EXPECT_EQ(out.find("4242"), std::string::npos) << out;
    EXPECT_EQ(out.find("secret text"), std::string::npos) << out;
    EXPECT_EQ(out.find("AUTHTOKEN"), std::string::npos) << out;
  }
}

TEST(NodeFormat, EscapesOddCharacters) {
  Node n("x", {{"k", std::string("a\"b\\c\n\0", 7)}}, std::string("\x01"));
  EXPECT_EQ(format_node(n), R"(<x k="a\"b\\c\x0a\x00">\x01</x>)");
}

}  // namespace
}  // namespace wacrm::wire
