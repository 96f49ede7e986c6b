#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "net/frame_codec.h"

namespace wacrm::net {
namespace {

Bytes hex(std::string_view text) {
  std::string compact;
  for (char c : text)
    if (c != ' ') compact.push_back(c);
  Bytes out;
  EXPECT_TRUE(from_hex(compact, out)) << text;
  return out;
}

// Drains every complete frame currently buffered.
std::vector<Bytes> drain(FrameCodec& codec) {
  std::vector<Bytes> frames;
  for (;;) {
    auto frame = codec.next_frame();
    EXPECT_TRUE(frame) << frame.error().to_string();
    if (!frame || !*frame) return frames;
    frames.emplace_back((*frame)->begin(), (*frame)->end());
  }
}

TEST(FrameCodec, ClientPutsTheIntroOnTheFirstFrameOnly) {
  // Notes 01 §2.7: the first WS message of the vector handshake.
  auto codec = FrameCodec::client(3);
  Bytes hello = hex("12220a20a4e09292b651c278b9772c569f5fa9bb13d906b46ab68c9df9dc2b4409f8a209");
  auto first = codec.encode(hello);
  ASSERT_TRUE(first);
  EXPECT_EQ(to_hex(*first), "57410603000024" + to_hex(hello));
  auto second = codec.encode(hex("0a0b"));
  ASSERT_TRUE(second);
  EXPECT_EQ(to_hex(*second), "0000020a0b");
  EXPECT_EQ(codec.dict_version(), 3);
}

TEST(FrameCodec, ServerSendsNoIntroAndDictVersionTwoIsHonoured) {
  auto server = FrameCodec::server();
  EXPECT_EQ(to_hex(server.encode(hex("01")).value()), "00000101");
  auto client = FrameCodec::client(2);
  EXPECT_EQ(to_hex(client.encode(ByteView()).value()), "57410602000000");
}

TEST(FrameCodec, SeveralFramesInOneMessage) {
  auto codec = FrameCodec::client(3);
  ASSERT_TRUE(codec.feed(hex("000001aa 000002bbcc 000000 000003 ddeeff")));
  auto frames = drain(codec);
  ASSERT_EQ(frames.size(), 4u);
  EXPECT_EQ(to_hex(frames[0]), "aa");
  EXPECT_EQ(to_hex(frames[1]), "bbcc");
  EXPECT_TRUE(frames[2].empty());
  EXPECT_EQ(to_hex(frames[3]), "ddeeff");
  EXPECT_EQ(codec.buffered(), 0u);
}

TEST(FrameCodec, FrameAndItsLengthPrefixSplitAcrossMessages) {
  Bytes stream = hex("000004 01020304 000002 0506");
  // Every split into single bytes, and every two-part split.
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    auto codec = FrameCodec::client(3);
    std::vector<Bytes> frames;
    ASSERT_TRUE(codec.feed(ByteView(stream).first(cut)));
    for (auto& f : drain(codec)) frames.push_back(f);
    ASSERT_TRUE(codec.feed(ByteView(stream).subspan(cut)));
    for (auto& f : drain(codec)) frames.push_back(f);
    ASSERT_EQ(frames.size(), 2u) << "cut at " << cut;
    EXPECT_EQ(to_hex(frames[0]), "01020304");
    EXPECT_EQ(to_hex(frames[1]), "0506");
  }
  auto codec = FrameCodec::client(3);
  std::vector<Bytes> frames;
  for (std::uint8_t b : stream) {
    ASSERT_TRUE(codec.feed(ByteView(&b, 1)));
    for (auto& f : drain(codec)) frames.push_back(f);
  }
  EXPECT_EQ(frames.size(), 2u);
}

TEST(FrameCodec, OversizedFramesAreRefusedBothWays) {
  auto codec = FrameCodec::client(3);
  Bytes big(kMaxFrameSize + 1);
  auto r = codec.encode(big);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::too_large);
  // The refused frame did not consume the intro: the next frame still has it.
  EXPECT_EQ(to_hex(codec.encode(hex("01")).value()), "5741060300000101");

  // The largest legal frame goes through.
  Bytes largest(kMaxFrameSize, 0x5a);
  auto ok = FrameCodec::server().encode(largest);
  ASSERT_TRUE(ok);
  EXPECT_EQ(to_hex(ByteView(*ok).first(3)), "ffffff");

  // Incoming: a receiver with a smaller limit rejects the length prefix
  // before the body arrives, and stays failed.
  auto small = FrameCodec::client(3, 1024);
  ASSERT_TRUE(small.feed(hex("000401")));
  auto frame = small.next_frame();
  ASSERT_FALSE(frame);
  EXPECT_EQ(frame.error().code, Errc::too_large);
  EXPECT_NE(frame.error().message.find("1025 bytes"), std::string::npos) << frame.error().message;
  EXPECT_FALSE(small.feed(hex("00")));
}

TEST(FrameCodec, ServerParsesTheIntroHeader) {
  auto codec = FrameCodec::server();
  ASSERT_TRUE(codec.feed(hex("5741")));
  EXPECT_FALSE(codec.dict_version());
  ASSERT_TRUE(codec.feed(hex("0602 000002 abcd")));
  EXPECT_EQ(codec.dict_version(), 2);
  auto frames = drain(codec);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(to_hex(frames[0]), "abcd");
}

TEST(FrameCodec, ServerRejectsBadIntroHeaders) {
  auto wrong_magic = FrameCodec::server();
  auto r = wrong_magic.feed(hex("57410503 000000"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::malformed);
  EXPECT_NE(r.error().message.find("bad intro header"), std::string::npos);
  EXPECT_NE(r.error().message.find("57410503"), std::string::npos) << r.error().message;
  EXPECT_FALSE(wrong_magic.next_frame());  // stays failed

  // A frame without any intro (a client that forgot it) fails on the first
  // byte already.
  auto no_intro = FrameCodec::server();
  EXPECT_FALSE(no_intro.feed(hex("00")));
  auto http = FrameCodec::server();
  EXPECT_FALSE(http.feed(as_bytes("GET")));
}

TEST(FrameCodec, ServerSkipsBaileysEdgeRoutingPrefix) {
  auto codec = FrameCodec::server();
  ASSERT_TRUE(codec.feed(hex("4544")));
  ASSERT_TRUE(codec.feed(hex("0001 000003 0a0b0c 57410603 000001 ff")));
  EXPECT_EQ(codec.dict_version(), 3);
  ASSERT_TRUE(codec.routing_info());
  EXPECT_EQ(to_hex(*codec.routing_info()), "0a0b0c");
  auto frames = drain(codec);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(to_hex(frames[0]), "ff");

  auto bad = FrameCodec::server();
  EXPECT_FALSE(bad.feed(hex("45440002 000000 57410603")));
}

}  // namespace
}  // namespace wacrm::net
