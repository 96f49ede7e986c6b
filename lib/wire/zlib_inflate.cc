#include "wire/zlib_inflate.h"

#include <zlib.h>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace wacrm::wire {

Result<Bytes> zlib_inflate(ByteView compressed, std::size_t max_output) {
  if (compressed.size() > std::numeric_limits<uInt>::max())
    return make_error(Errc::too_large, "compressed payload of " + std::to_string(compressed.size()) + " bytes");
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) return make_error(Errc::internal, "inflateInit failed");
  zs.next_in = const_cast<Bytef*>(compressed.data());
  zs.avail_in = static_cast<uInt>(compressed.size());

  Bytes out;
  // Grow geometrically from a guess, never past the cap (+1 byte so that
  // "exactly at the cap" and "over the cap" can be told apart).
  max_output = std::min<std::size_t>(max_output, std::numeric_limits<uInt>::max() - 1);
  const std::size_t hard_cap = max_output + 1;
  std::size_t capacity = std::min<std::size_t>(hard_cap, std::max<std::size_t>(256, compressed.size() * 4));
  int rc = Z_OK;
  while (true) {
    out.resize(capacity);
    zs.next_out = out.data() + zs.total_out;
    zs.avail_out = static_cast<uInt>(capacity - zs.total_out);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) break;
    if (zs.avail_out == 0) {
      if (capacity >= hard_cap) break;  // output full at the cap
      capacity = std::min(hard_cap, capacity * 2);
      continue;
    }
    if (zs.avail_in == 0) {
      rc = Z_DATA_ERROR;  // input exhausted before the end of the stream
      break;
    }
    if (rc == Z_BUF_ERROR) break;
  }
  const std::size_t produced = zs.total_out;
  const std::size_t unread = zs.avail_in;
  const char* msg = zs.msg;
  inflateEnd(&zs);

  if (produced > max_output)
    return make_error(Errc::too_large, "compressed payload inflates past " + std::to_string(max_output) + " bytes");
  if (rc != Z_STREAM_END)
    return make_error(Errc::malformed, std::string("compressed payload: ") +
                                           (msg ? msg : "truncated or corrupt zlib stream"));
  if (unread != 0)
    return make_error(Errc::malformed, "compressed payload: " + std::to_string(unread) +
                                           " bytes after the end of the zlib stream");
  out.resize(produced);
  return out;
}

Bytes zlib_deflate(ByteView data) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  Bytes out(size);
  if (compress2(out.data(), &size, data.data(), static_cast<uLong>(data.size()), Z_BEST_COMPRESSION) != Z_OK)
    throw std::runtime_error("zlib compress2 failed");
  out.resize(size);
  return out;
}

}  // namespace wacrm::wire
