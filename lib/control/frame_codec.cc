#include "control/frame_codec.h"

#include "control/envelope.pb.h"

namespace wacrm::control {

Result<std::string> FrameCodec::encode(const Frame& frame) const {
  const std::size_t size = frame.ByteSizeLong();
  if (size > max_frame_size_)
    return make_error(Errc::too_large, "frame of " + std::to_string(size) + " bytes exceeds the limit of " +
                                           std::to_string(max_frame_size_));
  std::string out(kFrameHeaderSize + size, '\0');
  out[0] = static_cast<char>(size >> 24);
  out[1] = static_cast<char>(size >> 16);
  out[2] = static_cast<char>(size >> 8);
  out[3] = static_cast<char>(size);
  if (!frame.SerializeToArray(out.data() + kFrameHeaderSize, static_cast<int>(size)))
    return make_error(Errc::internal, "cannot serialize frame");
  return out;
}

void FrameCodec::feed(ByteView bytes) {
  buffer_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

Result<bool> FrameCodec::next(Frame& out) {
  if (buffer_.size() < kFrameHeaderSize) return false;
  const auto* p = reinterpret_cast<const std::uint8_t*>(buffer_.data());
  const std::uint32_t size = std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 |
                             std::uint32_t{p[2]} << 8 | std::uint32_t{p[3]};
  if (size > max_frame_size_)
    return make_error(Errc::too_large, "frame announces " + std::to_string(size) +
                                           " bytes, the limit is " + std::to_string(max_frame_size_));
  if (buffer_.size() < kFrameHeaderSize + size) return false;
  out.Clear();
  if (!out.ParseFromArray(buffer_.data() + kFrameHeaderSize, static_cast<int>(size)))
    return make_error(Errc::malformed, "frame of " + std::to_string(size) + " bytes is not a wacrm.control.Frame");
  buffer_.erase(0, kFrameHeaderSize + size);
  return true;
}

}  // namespace wacrm::control
