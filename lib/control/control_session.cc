#include "control/control_session.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "control/envelope.pb.h"
#include "control/method_table.h"

namespace wacrm::control {

namespace asio = boost::asio;

ControlSession::ControlSession(std::uint64_t id, Socket socket, std::shared_ptr<SessionHost> host,
                               SessionLimits limits)
    : id_(id),
      socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      host_(std::move(host)),
      limits_(limits),
      codec_(limits.max_frame_size) {}

void ControlSession::start() {
  auto creds = peer_credentials(socket_.native_handle());
  if (!creds) {
    fail("cannot identify the peer: " + creds.error().message);
    return;
  }
  peer_ = *creds;
  // These user and group lookups (getgrnam_r, getpwuid_r, getgrouplist) run
  // on the loop and block it for as long as NSS takes: microseconds with
  // /etc/passwd and /etc/group, the daemon's case for local users. With a
  // network directory (LDAP, sssd) they could stall every connection and
  // WhatsApp session; then run them on a worker thread and start reading
  // when the answer is posted back.
  admin_ = host_->policy().is_admin(peer_);
  if (!admin_) refusal_ = host_->policy().refusal(peer_);
  read();
}

void ControlSession::read() {
  if (closed_ || reading_) return;
  reading_ = true;
  arm_timer();
  socket_.async_read_some(asio::buffer(read_buffer_),
                          [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                            self->on_read(ec, n);
                          });
}

void ControlSession::arm_timer() {
  // Idle: read_timeout from now. A frame begun but not finished must be
  // complete read_timeout after its first bytes came, however slowly the
  // rest trickles in (each read would otherwise push the deadline out).
  const auto now = std::chrono::steady_clock::now();
  if (!codec_.has_partial()) partial_since_.reset();
  else if (!partial_since_) partial_since_ = now;
  timer_.expires_at((partial_since_ ? *partial_since_ : now) + limits_.read_timeout);
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) { self->on_timer(ec); });
}

void ControlSession::on_timer(const boost::system::error_code& ec) {
  if (ec || closed_ || !reading_) return;
  if (codec_.has_partial()) {
    fail("closed a connection from uid " + std::to_string(peer_.uid) + ": frame not completed within " +
         std::to_string(limits_.read_timeout.count()) + " ms");
  } else if (in_flight_ > 0) {
    arm_timer();  // the client is waiting for us, not idle
  } else {
    close();      // idle: a normal end, nothing to report
  }
}

void ControlSession::on_read(const boost::system::error_code& ec, std::size_t n) {
  reading_ = false;
  if (closed_) return;
  if (ec) {
    // EOF or reset: the client is gone. Anything in flight is dropped on arrival.
    close();
    return;
  }
  codec_.feed(ByteView(read_buffer_, n));
  process_frames();
}

void ControlSession::process_frames() {
  Frame frame;
  while (!closed_ && in_flight_ < limits_.max_in_flight) {
    auto got = codec_.next(frame);
    if (!got) {
      fail("closed a connection from uid " + std::to_string(peer_.uid) + " (pid " + std::to_string(peer_.pid) +
           "): " + got.error().message);
      return;
    }
    if (!*got) break;
    partial_since_.reset();  // a frame came in full; the clock starts again for the next one
    if (!frame.has_request()) {
      fail("closed a connection from uid " + std::to_string(peer_.uid) + " (pid " + std::to_string(peer_.pid) +
           "): a client may only send requests");
      return;
    }
    handle_request(*frame.mutable_request());
  }
  // Back-pressure: with max_in_flight requests running, stop reading until
  // one finishes. Waiting for us is no fault of the client's: the half-sent
  // clock starts again when reading resumes.
  if (in_flight_ < limits_.max_in_flight) read();
  else partial_since_.reset();
}

void ControlSession::handle_request(Request& request) {
  ++in_flight_;
  host_->request_started();
  auto executor = socket_.get_executor();
  Responder reply(
      request.id(),
      [self = shared_from_this(), executor](Response response) {
        asio::post(executor,
                   [self, response = std::move(response)]() mutable { self->on_response(std::move(response)); });
      },
      [weak = weak_from_this()] {
        auto self = weak.lock();
        return !self || self->closed_;
      },
      [weak = weak_from_this()]() -> std::size_t {
        auto self = weak.lock();
        return self ? self->queued_bytes_ : 0;
      });
  Call call{std::move(*request.mutable_method()), std::move(*request.mutable_payload()), peer_, admin_, reply};
  host_->methods().dispatch(std::move(call), refusal_);
}

void ControlSession::on_response(Response response) {
  const bool final = !response.more();
  if (final) --in_flight_;
  if (closed_) {
    if (final) host_->request_finished();  // nobody to tell
    return;
  }
  Frame frame;
  *frame.mutable_response() = std::move(response);
  auto bytes = codec_.encode(frame);
  if (!bytes) {
    // Our own answer is over the limit: tell the client instead of breaking the stream.
    Response too_big;
    too_big.set_id(frame.response().id());
    too_big.set_status(STATUS_INTERNAL);
    too_big.set_error("the answer is too large for the control socket: " + bytes.error().message);
    Frame small;
    *small.mutable_response() = std::move(too_big);
    bytes = codec_.encode(small);
  }
  queued_bytes_ += bytes->size();
  write_queue_.push_back({std::move(*bytes), final});
  if (queued_bytes_ > limits_.max_queued_bytes) {
    fail("closed a connection from uid " + std::to_string(peer_.uid) + ": it left more than " +
         std::to_string(limits_.max_queued_bytes) + " bytes of answers unread");
    return;
  }
  write_next();
  if (!reading_) process_frames();  // resume a paused reader (frames may wait in the codec)
}

void ControlSession::write_next() {
  if (writing_ || write_queue_.empty() || closed_) return;
  writing_ = true;
  asio::async_write(socket_, asio::buffer(write_queue_.front().bytes),
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      self->writing_ = false;
                      if (self->closed_) return;  // close() accounted for the queue
                      if (ec) {
                        self->close();
                        return;
                      }
                      const bool final = self->write_queue_.front().final;
                      self->queued_bytes_ -= self->write_queue_.front().bytes.size();
                      self->write_queue_.pop_front();
                      // A request is finished once its last answer has left.
                      if (final) self->host_->request_finished();
                      self->write_next();
                    });
}

void ControlSession::fail(const std::string& reason) {
  host_->warn(reason);
  close();
}

void ControlSession::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  timer_.cancel();
  socket_.shutdown(Socket::shutdown_both, ignored);
  socket_.close(ignored);
  // Answers that will never leave still end their requests.
  for (const auto& out : write_queue_)
    if (out.final) host_->request_finished();
  write_queue_.clear();
  queued_bytes_ = 0;
  host_->session_closed(id_);
}

}  // namespace wacrm::control
