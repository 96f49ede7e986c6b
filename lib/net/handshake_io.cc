#include "net/handshake_io.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace wacrm::net::detail {

void async_read_frame(std::shared_ptr<MessageStream> stream, FrameCodec& codec,
                      std::function<void(Result<Bytes>)> handler) {
  auto frame = codec.next_frame();
  if (!frame) return handler(std::unexpected(frame.error()));
  if (*frame) return handler(Bytes((*frame)->begin(), (*frame)->end()));
  auto* raw = stream.get();
  raw->async_read([stream = std::move(stream), &codec, handler = std::move(handler)](Result<Bytes> message) mutable {
    if (!message) return handler(std::unexpected(message.error()));
    if (auto fed = codec.feed(*message); !fed) return handler(std::unexpected(fed.error()));
    async_read_frame(std::move(stream), codec, std::move(handler));
  });
}

struct HandshakeDeadline::Impl {
  explicit Impl(boost::asio::io_context& io) : timer(io) {}
  boost::asio::steady_timer timer;
  bool timed_out = false;
};

HandshakeDeadline::HandshakeDeadline(boost::asio::io_context& io, std::shared_ptr<MessageStream> stream,
                                     std::chrono::milliseconds timeout)
    : impl_(std::make_shared<Impl>(io)) {
  impl_->timer.expires_after(timeout);
  impl_->timer.async_wait([weak = std::weak_ptr<Impl>(impl_), stream = std::move(stream)](
                              const boost::system::error_code& ec) {
    auto impl = weak.lock();
    if (ec || !impl) return;
    impl->timed_out = true;
    stream->abort();
  });
}

HandshakeDeadline::~HandshakeDeadline() { cancel(); }

void HandshakeDeadline::cancel() { impl_->timer.cancel(); }

bool HandshakeDeadline::timed_out() const { return impl_->timed_out; }

Error handshake_step_error(const HandshakeDeadline& deadline, std::chrono::milliseconds timeout, const char* side,
                           const char* step, const Error& error) {
  const std::string prefix = std::string("Noise handshake (") + side + "): " + step + ": ";
  if (deadline.timed_out())
    return Error{Errc::timeout, prefix + "nothing within " + std::to_string(timeout.count()) + " ms"};
  return Error{error.code, prefix + error.message};
}

}  // namespace wacrm::net::detail
