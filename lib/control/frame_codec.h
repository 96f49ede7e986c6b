// The control socket's framing, used by both ends (wacrmd and wacrmctl):
// every frame is a 4-byte big-endian length followed by one serialized
// wacrm.control.Frame. Lengths are checked against a limit before anything is
// buffered, so a peer cannot make us allocate more than max_frame_size bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/bytes.h"
#include "base/error.h"

namespace wacrm::control {

class Frame;  // proto/control/envelope.proto

inline constexpr std::size_t kFrameHeaderSize = 4;
inline constexpr std::size_t kDefaultMaxFrameSize = 1024 * 1024;

class FrameCodec {
 public:
  explicit FrameCodec(std::size_t max_frame_size = kDefaultMaxFrameSize)
      : max_frame_size_(max_frame_size) {}

  std::size_t max_frame_size() const { return max_frame_size_; }

  // Header + body, ready to write. Errc::too_large over the limit.
  Result<std::string> encode(const Frame& frame) const;

  // Incremental decoding: feed() whatever bytes arrived, then call next()
  // until it yields false. An oversized length (Errc::too_large) or a body
  // that is not a Frame (Errc::malformed) is fatal for the stream: the caller
  // closes the connection, as nothing after it can be trusted.
  void feed(ByteView bytes);
  Result<bool> next(Frame& out);
  // True while part of a frame has been received but not all of it.
  bool has_partial() const { return !buffer_.empty(); }

 private:
  std::size_t max_frame_size_;
  std::string buffer_;
};

}  // namespace wacrm::control
