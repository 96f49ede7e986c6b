// WhatsApp's framing on top of WebSocket messages (protocol notes 01 §1.1):
//
//   client's first WS message:  57 41 06 DV | LL LL LL | frame
//   every later frame:                        LL LL LL | frame
//
// Pure: bytes in, frames out. Incoming WS messages are appended to a buffer
// and cut into frames, so several frames per message and a frame (even its
// length prefix) split across messages both work.
//
// Two roles:
//  * client: the first encoded frame carries the intro header; incoming bytes
//    are frames only (the server sends no intro);
//  * server (wasim, tests): encoded frames carry no intro; the first incoming
//    bytes must be the intro header, optionally preceded by Baileys' edge
//    routing block "ED" 00 01 LLL <routing info>. dict_version() tells which
//    token dictionary the client asked for.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "base/bytes.h"
#include "base/error.h"

namespace wacrm::net {

// The 3-byte length prefix bounds a frame to 2^24 - 1 bytes.
inline constexpr std::size_t kMaxFrameSize = (std::size_t{1} << 24) - 1;
inline constexpr std::size_t kFrameHeaderSize = 3;

class FrameCodec {
 public:
  static FrameCodec client(std::uint8_t dict_version, std::size_t max_frame_size = kMaxFrameSize);
  static FrameCodec server(std::size_t max_frame_size = kMaxFrameSize);

  // --- outgoing ---
  // Appends the intro header (first frame of a client only) and the 3-byte
  // length of a frame of frame_size bytes; the caller appends the frame.
  // Errc::too_large above the maximum frame size (nothing is appended).
  Status write_header(std::size_t frame_size, Bytes& out);
  // write_header + the frame, as one WS message.
  Result<Bytes> encode(ByteView frame);

  // --- incoming ---
  // Appends received bytes (one WS message, or any part of the stream).
  // Errc::malformed for a bad intro header (server role), Errc::too_large for
  // a frame longer than the maximum; the codec then stays failed.
  Status feed(ByteView data);
  // The next complete frame, or nullopt until more bytes arrive. The view is
  // valid until the next call to feed() or next_frame().
  Result<std::optional<ByteView>> next_frame();
  // Bytes received but not yet returned as frames.
  std::size_t buffered() const { return buffer_.size() - consumed_; }

  // Server role: the intro's dictionary byte once it arrived. Client role: the
  // dictionary byte we send.
  std::optional<std::uint8_t> dict_version() const { return dict_version_; }
  // Server role: the routing info of an "ED" prefix, if the client sent one.
  const std::optional<Bytes>& routing_info() const { return routing_info_; }

 private:
  enum class Role { client, server };
  FrameCodec(Role role, std::size_t max_frame_size) : role_(role), max_frame_size_(max_frame_size) {}
  // Server role: consumes the intro once enough bytes are buffered.
  Status parse_intro();

  Role role_;
  std::size_t max_frame_size_;
  bool intro_pending_ = false;  // client: intro not yet written; server: not yet read
  std::optional<std::uint8_t> dict_version_;
  std::optional<Bytes> routing_info_;
  Bytes buffer_;
  std::size_t consumed_ = 0;
  std::optional<Error> failed_;
};

}  // namespace wacrm::net
