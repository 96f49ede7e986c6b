// Internal to lib/net: the I/O pieces both handshake flows share.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "base/bytes.h"
#include "base/error.h"
#include "net/frame_codec.h"
#include "net/message_stream.h"

namespace boost::asio {
class io_context;
}

namespace wacrm::net::detail {

// Reads WS messages into codec until it yields one frame, and hands a copy of
// that frame to handler. The caller keeps codec alive until handler runs.
void async_read_frame(std::shared_ptr<MessageStream> stream, FrameCodec& codec,
                      std::function<void(Result<Bytes>)> handler);

// Aborts the stream if the handshake is not over by the deadline, so the
// pending read fails; timed_out() tells the flow to report Errc::timeout.
class HandshakeDeadline {
 public:
  HandshakeDeadline(boost::asio::io_context& io, std::shared_ptr<MessageStream> stream,
                    std::chrono::milliseconds timeout);
  ~HandshakeDeadline();
  void cancel();
  bool timed_out() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// "Noise handshake (<side>): <step>: <what went wrong>", or Errc::timeout with
// the deadline when it was the deadline that cut the step short.
Error handshake_step_error(const HandshakeDeadline& deadline, std::chrono::milliseconds timeout, const char* side,
                           const char* step, const Error& error);

}  // namespace wacrm::net::detail
