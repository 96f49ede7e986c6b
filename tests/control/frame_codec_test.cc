#include "control/frame_codec.h"

#include <gtest/gtest.h>

#include "control/envelope.pb.h"

namespace wacrm::control {
namespace {

Frame request_frame(std::uint64_t id, const std::string& method, std::string payload = {}) {
  Frame frame;
  frame.mutable_request()->set_id(id);
  frame.mutable_request()->set_method(method);
  frame.mutable_request()->set_payload(std::move(payload));
  return frame;
}

ByteView view(const std::string& s) { return as_bytes(s); }

TEST(FrameCodec, RoundTripsAFrameWithABigEndianLength) {
  FrameCodec codec;
  auto bytes = codec.encode(request_frame(7, "status"));
  ASSERT_TRUE(bytes) << bytes.error().to_string();
  const std::size_t body = bytes->size() - kFrameHeaderSize;
  EXPECT_EQ(static_cast<std::uint8_t>((*bytes)[0]), 0);
  EXPECT_EQ(static_cast<std::uint8_t>((*bytes)[3]), body);

  codec.feed(view(*bytes));
  Frame out;
  auto got = codec.next(out);
  ASSERT_TRUE(got);
  ASSERT_TRUE(*got);
  EXPECT_EQ(out.request().id(), 7u);
  EXPECT_EQ(out.request().method(), "status");
  EXPECT_FALSE(codec.has_partial());
}

TEST(FrameCodec, YieldsSeveralFramesFedAtOnceInOrder) {
  FrameCodec codec;
  std::string stream = *codec.encode(request_frame(1, "a")) + *codec.encode(request_frame(2, "b")) +
                       *codec.encode(request_frame(3, "c"));
  codec.feed(view(stream));
  Frame out;
  for (std::uint64_t id = 1; id <= 3; ++id) {
    auto got = codec.next(out);
    ASSERT_TRUE(got && *got);
    EXPECT_EQ(out.request().id(), id);
  }
  auto got = codec.next(out);
  ASSERT_TRUE(got);
  EXPECT_FALSE(*got);
}

TEST(FrameCodec, WaitsForTheRestOfATruncatedFrame) {
  FrameCodec codec;
  std::string bytes = *codec.encode(request_frame(9, "account.list", std::string(300, 'x')));
  Frame out;
  // Byte by byte: nothing until the last byte, then the frame.
  for (std::size_t i = 0; i + 1 < bytes.size(); ++i) {
    codec.feed(view(bytes.substr(i, 1)));
    auto got = codec.next(out);
    ASSERT_TRUE(got);
    ASSERT_FALSE(*got) << "frame yielded after " << i + 1 << " of " << bytes.size() << " bytes";
    EXPECT_TRUE(codec.has_partial());
  }
  codec.feed(view(bytes.substr(bytes.size() - 1)));
  auto got = codec.next(out);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ(out.request().payload().size(), 300u);
}

TEST(FrameCodec, RejectsAnOversizedLengthBeforeTheBodyArrives) {
  FrameCodec codec(1024);
  const std::string header("\x00\x00\x04\x01", 4);  // 1025 bytes announced
  codec.feed(view(header));
  Frame out;
  auto got = codec.next(out);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, Errc::too_large);
  EXPECT_NE(got.error().message.find("1025"), std::string::npos);
}

TEST(FrameCodec, AcceptsAFrameOfExactlyTheLimit) {
  Frame frame = request_frame(1, "m");
  const std::size_t size = frame.ByteSizeLong();
  FrameCodec codec(size);
  auto bytes = codec.encode(frame);
  ASSERT_TRUE(bytes);
  codec.feed(view(*bytes));
  Frame out;
  auto got = codec.next(out);
  ASSERT_TRUE(got && *got);
}

TEST(FrameCodec, RefusesToEncodeAFrameOverTheLimit) {
  FrameCodec codec(64);
  auto bytes = codec.encode(request_frame(1, "m", std::string(100, 'p')));
  ASSERT_FALSE(bytes);
  EXPECT_EQ(bytes.error().code, Errc::too_large);
}

TEST(FrameCodec, ReportsGarbageBodiesAsMalformed) {
  FrameCodec codec;
  // Field 0 / wire type 7 cannot start a protobuf message.
  const std::string garbage("\x00\x00\x00\x04\xff\xff\xff\xff", 8);
  codec.feed(view(garbage));
  Frame out;
  auto got = codec.next(out);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, Errc::malformed);
}

TEST(FrameCodec, AnEmptyBodyIsAFrameWithNothingInIt) {
  FrameCodec codec;
  codec.feed(view(std::string("\x00\x00\x00\x00", 4)));
  Frame out;
  auto got = codec.next(out);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ(out.kind_case(), Frame::KIND_NOT_SET);
}

}  // namespace
}  // namespace wacrm::control
