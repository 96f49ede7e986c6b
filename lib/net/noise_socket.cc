#include "net/noise_socket.h"

#include <deque>
#include <string>
#include <utility>

#include "noise/transport_cipher.h"

namespace wacrm::net {

struct NoiseSocket::Pending {
  struct Frame {
    Bytes wire;  // length prefix + ciphertext; moved to the stream when written
    std::size_t size = 0;
    SentHandler on_sent;
  };
  std::deque<Frame> frames;
  std::size_t bytes = 0;
};

std::shared_ptr<NoiseSocket> NoiseSocket::create(std::shared_ptr<MessageStream> stream, FrameCodec codec,
                                                 const noise::TransportKeys& keys, NoiseSocketOptions options) {
  return std::shared_ptr<NoiseSocket>(new NoiseSocket(std::move(stream), std::move(codec), keys, options));
}

NoiseSocket::NoiseSocket(std::shared_ptr<MessageStream> stream, FrameCodec codec, const noise::TransportKeys& keys,
                         NoiseSocketOptions options)
    : stream_(std::move(stream)),
      codec_(std::move(codec)),
      cipher_(std::make_unique<noise::TransportCipher>(keys)),
      options_(options),
      pending_(std::make_unique<Pending>()) {}

NoiseSocket::~NoiseSocket() = default;

std::size_t NoiseSocket::queued_frames() const { return pending_->frames.size(); }

void NoiseSocket::start(FrameHandler on_frame, ClosedHandler on_closed) {
  on_frame_ = std::move(on_frame);
  on_closed_ = std::move(on_closed);
  // Frames that arrived together with the last handshake message.
  on_message(Bytes());
}

void NoiseSocket::read_next() {
  if (state_ == State::closed || reading_) return;
  reading_ = true;
  stream_->async_read([self = shared_from_this()](Result<Bytes> message) {
    self->reading_ = false;
    self->on_message(std::move(message));
  });
}

void NoiseSocket::on_message(Result<Bytes> message) {
  if (state_ == State::closed) return;
  if (!message) return fail(std::move(message).error());
  if (auto fed = codec_.feed(*message); !fed) return fail(fed.error());
  auto keep_alive = shared_from_this();  // on_frame_ may drop the last outside reference
  while (state_ != State::closed && !paused_) {
    auto frame = codec_.next_frame();
    if (!frame) return fail(frame.error());
    if (!*frame) break;
    Bytes plaintext;
    if (auto r = cipher_->decrypt(**frame, plaintext); !r) return fail(r.error());
    if (on_frame_) on_frame_(std::move(plaintext));
  }
  if (!paused_) read_next();
}

void NoiseSocket::resume_reading() {
  if (!paused_) return;
  paused_ = false;
  if (state_ != State::closed) on_message(Bytes());  // what waits in the codec, then the next read
}

Status NoiseSocket::async_send_frame(ByteView plaintext, SentHandler on_sent) {
  if (state_ != State::open)
    return make_error(state_ == State::closing ? Errc::cancelled : Errc::unavailable,
                      "Noise socket is closed; frame not sent");
  if (pending_->frames.size() >= options_.max_queued_frames ||
      pending_->bytes + plaintext.size() > options_.max_queued_bytes)
    return make_error(Errc::unavailable, "Noise socket write queue is full (" +
                                             std::to_string(pending_->frames.size()) + " frames queued)");
  Pending::Frame frame;
  frame.wire.reserve(kFrameHeaderSize + plaintext.size() + noise::kGcmTagSize);
  WACRM_TRY(codec_.write_header(plaintext.size() + noise::kGcmTagSize, frame.wire));
  WACRM_TRY(cipher_->encrypt(plaintext, frame.wire));
  frame.size = frame.wire.size();
  frame.on_sent = std::move(on_sent);
  pending_->bytes += frame.size;
  pending_->frames.push_back(std::move(frame));
  write_next();
  return {};
}

void NoiseSocket::write_next() {
  if (writing_ || state_ == State::closed) return;
  if (pending_->frames.empty()) {
    if (state_ == State::closing) finish_close();
    return;
  }
  writing_ = true;
  // The stream keeps the bytes alive during the write; the handler stays here.
  Bytes wire = std::move(pending_->frames.front().wire);
  stream_->async_write(std::move(wire), [self = shared_from_this()](Status written) {
    self->writing_ = false;
    if (self->pending_->frames.empty()) return;  // failed and drained meanwhile
    auto frame = std::move(self->pending_->frames.front());
    self->pending_->frames.pop_front();
    self->pending_->bytes -= frame.size;
    if (frame.on_sent) frame.on_sent(written);
    if (!written) return self->fail(written.error());
    self->write_next();
  });
}

void NoiseSocket::close() {
  if (state_ != State::open) return;
  state_ = State::closing;
  if (!writing_ && pending_->frames.empty()) finish_close();
}

void NoiseSocket::finish_close() {
  state_ = State::closed;
  stream_->async_close([self = shared_from_this()] {
    if (auto handler = std::exchange(self->on_closed_, nullptr)) handler(Error{Errc::cancelled, "Noise socket closed locally"});
  });
}

void NoiseSocket::fail(Error error) {
  if (state_ == State::closed) return;
  state_ = State::closed;
  stream_->abort();
  auto frames = std::move(pending_->frames);
  pending_->frames.clear();
  pending_->bytes = 0;
  for (auto& frame : frames)
    if (frame.on_sent) frame.on_sent(std::unexpected(error));
  if (auto handler = std::exchange(on_closed_, nullptr)) handler(error);
}

}  // namespace wacrm::net
