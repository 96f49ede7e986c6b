// A Noise-encrypted frame connection after the handshake: MessageStream +
// FrameCodec + TransportCipher. Sends plaintext frames (flag byte + node),
// delivers decrypted frames, queues writes with a bound, closes cleanly.
// Both ends use it: our client (after async_noise_connect) and wasim (after
// async_noise_accept).
//
// Threading: like MessageStream, everything happens on the io_context's one
// thread.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

#include "base/bytes.h"
#include "base/error.h"
#include "net/frame_codec.h"
#include "net/message_stream.h"
#include "noise/symmetric_state.h"

namespace wacrm::noise {
class TransportCipher;
}

namespace wacrm::net {

struct NoiseSocketOptions {
  // Frames accepted by async_send_frame but not yet written.
  std::size_t max_queued_frames = 1024;
  std::size_t max_queued_bytes = std::size_t{64} << 20;
};

class NoiseSocket : public std::enable_shared_from_this<NoiseSocket> {
 public:
  using FrameHandler = std::function<void(Bytes plaintext)>;
  // Called once when the socket ends: Errc::cancelled after close(), else why
  // the connection broke (peer closed, timeout, undecryptable frame, …).
  using ClosedHandler = std::function<void(const Error&)>;
  using SentHandler = std::function<void(Status)>;

  // codec carries the handshake's leftovers (bytes already buffered, intro
  // state), so nothing the peer sent right after the handshake is lost.
  static std::shared_ptr<NoiseSocket> create(std::shared_ptr<MessageStream> stream, FrameCodec codec,
                                             const noise::TransportKeys& keys, NoiseSocketOptions options = {});
  ~NoiseSocket();

  // Starts reading. on_frame gets each decrypted frame in order.
  void start(FrameHandler on_frame, ClosedHandler on_closed);

  // Encrypts and queues one frame. Returns an error at once (nothing queued,
  // on_sent not called) when the socket is closing or closed (Errc::cancelled
  // / unavailable), the frame is too large (Errc::too_large) or the queue is
  // full (Errc::unavailable). Otherwise on_sent, if given, runs once the frame
  // was written or the connection failed.
  Status async_send_frame(ByteView plaintext, SentHandler on_sent = nullptr);

  // Flushes queued frames, then closes the WebSocket. on_closed gets
  // Errc::cancelled. Idempotent.
  void close();

  // Back-pressure: while paused no frame reaches on_frame and nothing more is
  // read from the WebSocket, so the kernel's buffers fill and TCP pushes back
  // on the peer. At most the one read already under way completes; its
  // frames wait, undecrypted, in the codec. resume_reading() hands over what
  // waits (before it returns) and reads on; don't call it from on_frame.
  void pause_reading() { paused_ = true; }
  void resume_reading();
  bool reading_paused() const { return paused_; }

  bool is_open() const { return state_ == State::open; }
  std::size_t queued_frames() const;
  std::string remote_endpoint() const { return stream_->remote_endpoint(); }

 private:
  enum class State { open, closing, closed };
  NoiseSocket(std::shared_ptr<MessageStream> stream, FrameCodec codec, const noise::TransportKeys& keys,
              NoiseSocketOptions options);
  void read_next();
  void on_message(Result<Bytes> message);
  void write_next();
  void fail(Error error);
  void finish_close();

  struct Pending;
  std::shared_ptr<MessageStream> stream_;
  FrameCodec codec_;
  std::unique_ptr<noise::TransportCipher> cipher_;
  NoiseSocketOptions options_;
  FrameHandler on_frame_;
  ClosedHandler on_closed_;
  std::unique_ptr<Pending> pending_;
  bool writing_ = false;
  bool reading_ = false;
  bool paused_ = false;
  State state_ = State::open;
};

}  // namespace wacrm::net
