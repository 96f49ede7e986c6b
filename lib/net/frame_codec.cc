#include "net/frame_codec.h"

#include <algorithm>
#include <string>

#include "noise/protocol_constants.h"

namespace wacrm::net {
namespace {

constexpr std::size_t kIntroSize = 4;
// Baileys' edge-routing prefix: "ED" 00 01, then a 3-byte length and the
// routing info, then the normal intro.
constexpr std::uint8_t kRoutingMagic[4] = {'E', 'D', 0, 1};

std::size_t read_be24(const std::uint8_t* p) {
  return (std::size_t{p[0]} << 16) | (std::size_t{p[1]} << 8) | std::size_t{p[2]};
}

}  // namespace

FrameCodec FrameCodec::client(std::uint8_t dict_version, std::size_t max_frame_size) {
  FrameCodec codec(Role::client, std::min(max_frame_size, kMaxFrameSize));
  codec.intro_pending_ = true;
  codec.dict_version_ = dict_version;
  return codec;
}

FrameCodec FrameCodec::server(std::size_t max_frame_size) {
  FrameCodec codec(Role::server, std::min(max_frame_size, kMaxFrameSize));
  codec.intro_pending_ = true;
  return codec;
}

Status FrameCodec::write_header(std::size_t frame_size, Bytes& out) {
  if (frame_size > max_frame_size_)
    return make_error(Errc::too_large, "frame of " + std::to_string(frame_size) + " bytes exceeds the limit of " +
                                           std::to_string(max_frame_size_));
  if (role_ == Role::client && intro_pending_) {
    auto intro = noise::intro_header(*dict_version_);
    out.insert(out.end(), intro.begin(), intro.end());
    intro_pending_ = false;
  }
  out.push_back(static_cast<std::uint8_t>(frame_size >> 16));
  out.push_back(static_cast<std::uint8_t>(frame_size >> 8));
  out.push_back(static_cast<std::uint8_t>(frame_size));
  return {};
}

Result<Bytes> FrameCodec::encode(ByteView frame) {
  Bytes out;
  out.reserve(kIntroSize + kFrameHeaderSize + frame.size());
  WACRM_TRY(write_header(frame.size(), out));
  out.insert(out.end(), frame.begin(), frame.end());
  return out;
}

Status FrameCodec::feed(ByteView data) {
  if (failed_) return std::unexpected(*failed_);
  if (consumed_ > 0) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(consumed_));
    consumed_ = 0;
  }
  buffer_.insert(buffer_.end(), data.begin(), data.end());
  if (role_ == Role::server && intro_pending_) {
    auto r = parse_intro();
    if (!r) failed_ = r.error();
    return r;
  }
  return {};
}

Status FrameCodec::parse_intro() {
  std::size_t pos = consumed_;
  auto available = [&] { return buffer_.size() - pos; };
  if (available() >= 2 && buffer_[pos] == kRoutingMagic[0] && buffer_[pos + 1] == kRoutingMagic[1]) {
    if (available() < 4 + kFrameHeaderSize) return {};
    if (buffer_[pos + 2] != kRoutingMagic[2] || buffer_[pos + 3] != kRoutingMagic[3])
      return make_error(Errc::malformed, "bad edge-routing prefix: expected 45 44 00 01, got " +
                                             to_hex(ByteView(buffer_).subspan(pos, 4)));
    std::size_t len = read_be24(&buffer_[pos + 4]);
    if (available() < 4 + kFrameHeaderSize + len) return {};
    pos += 4 + kFrameHeaderSize;
    routing_info_ = Bytes(buffer_.begin() + static_cast<std::ptrdiff_t>(pos),
                          buffer_.begin() + static_cast<std::ptrdiff_t>(pos + len));
    pos += len;
  }
  if (available() < kIntroSize) {
    if (available() == 1 && buffer_[pos] == kRoutingMagic[0]) return {};  // maybe "ED"
    // Check what we already have so a wrong first byte fails at once.
    for (std::size_t i = 0; i < available() && i < 3; ++i)
      if (buffer_[pos + i] != noise::intro_header(0)[i])
        return make_error(Errc::malformed, "bad intro header: expected 57 41 06 DV, got " +
                                               to_hex(ByteView(buffer_).subspan(pos)));
    return {};
  }
  auto expected = noise::intro_header(buffer_[pos + 3]);
  if (!std::equal(expected.begin(), expected.end(), buffer_.begin() + static_cast<std::ptrdiff_t>(pos)))
    return make_error(Errc::malformed, "bad intro header: expected 57 41 06 DV, got " +
                                           to_hex(ByteView(buffer_).subspan(pos, kIntroSize)));
  dict_version_ = buffer_[pos + 3];
  consumed_ = pos + kIntroSize;
  intro_pending_ = false;
  return {};
}

Result<std::optional<ByteView>> FrameCodec::next_frame() {
  if (failed_) return std::unexpected(*failed_);
  if (role_ == Role::server && intro_pending_) return std::optional<ByteView>();
  if (buffered() < kFrameHeaderSize) return std::optional<ByteView>();
  std::size_t len = read_be24(&buffer_[consumed_]);
  if (len > max_frame_size_) {
    failed_ = Error{Errc::too_large, "incoming frame of " + std::to_string(len) + " bytes exceeds the limit of " +
                                         std::to_string(max_frame_size_)};
    return std::unexpected(*failed_);
  }
  if (buffered() < kFrameHeaderSize + len) return std::optional<ByteView>();
  ByteView frame(buffer_.data() + consumed_ + kFrameHeaderSize, len);
  consumed_ += kFrameHeaderSize + len;
  return std::optional<ByteView>(frame);
}

}  // namespace wacrm::net
