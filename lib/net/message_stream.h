// One WebSocket connection seen as a stream of binary messages, whichever end
// opened it (WsClient or WsListener) and whether TLS is under it or not. The
// Noise layer (NoiseSocket, the handshake flows) is written against this.
//
// Threading: a stream belongs to the io_context it was created on, which must
// be run by one thread; call every member from that thread. Handlers run
// there too.
#pragma once

#include <functional>
#include <string>

#include "base/bytes.h"
#include "base/error.h"

namespace wacrm::net {

class MessageStream {
 public:
  using ReadHandler = std::function<void(Result<Bytes>)>;
  using WriteHandler = std::function<void(Status)>;
  using CloseHandler = std::function<void()>;

  virtual ~MessageStream() = default;

  // Reads the next binary message (text messages are skipped). One read at a
  // time. Errc::cancelled once the stream was closed by us, Errc::unavailable
  // when the peer closed or the connection broke, Errc::timeout when the idle
  // timeout expired.
  virtual void async_read(ReadHandler handler) = 0;
  // Writes one binary message. One write at a time (NoiseSocket queues).
  virtual void async_write(Bytes message, WriteHandler handler) = 0;
  // WebSocket close handshake (bounded by the handshake timeout), then the
  // socket is closed. A pending read completes with an error; do not call it
  // while a write is pending (NoiseSocket drains its queue first).
  virtual void async_close(CloseHandler handler) = 0;
  // Closes the socket at once, without a close handshake.
  virtual void abort() = 0;

  // "address:port" of the peer, for logs.
  virtual std::string remote_endpoint() const = 0;
};

}  // namespace wacrm::net
