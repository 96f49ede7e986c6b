#include "control/event_methods.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>

#include "control/event_frames.h"
#include "control/events.pb.h"
#include "control/method_table.h"
#include "events/event_hub.h"
#include "store/account_repository.h"

namespace wacrm::control {

namespace {

namespace asio = boost::asio;

// A client that disconnected is noticed at the next event or within this.
constexpr auto kClientCheck = std::chrono::seconds(2);
// While more than this waits unread on the connection, events stay in the
// subscription's bounded queue (which drops the oldest) instead of piling up
// in the connection's; drained again this often.
constexpr std::size_t kMaxUnsent = 64 * 1024;
constexpr auto kBacklogRetry = std::chrono::milliseconds(100);

// One subscriber: forwards its subscription's events to the client, on the loop.
class EventPump : public std::enable_shared_from_this<EventPump> {
 public:
  EventPump(asio::any_io_executor loop, Responder reply) : loop_(std::move(loop)), timer_(loop_), reply_(reply) {}

  void start(events::EventHub& hub, const std::string& account) {
    std::weak_ptr<EventPump> weak = weak_from_this();
    subscription_ = hub.subscribe(account, [weak, loop = loop_] {
      asio::post(loop, [weak] {
        if (auto self = weak.lock()) self->drain();
      });
    });
    reply_.more_bytes(event_frame(stream_event("events.subscribed")));
    check_client();
  }

 private:
  void drain() {
    if (!subscription_) return;
    if (reply_.client_gone()) return end();
    // A slow reader: try again shortly (unless wacrmd is stopping: then end now).
    backlogged_ = reply_.unsent_bytes() > kMaxUnsent;
    if (backlogged_) return subscription_->closed() ? end() : check_client(kBacklogRetry);
    auto batch = subscription_->take();
    if (batch.dropped > 0) {
      DaemonEvent dropped = stream_event("events.dropped");
      dropped.mutable_dropped()->set_count(batch.dropped);
      reply_.more_bytes(event_frame(dropped));
    }
    for (auto& event : batch.events) reply_.more_bytes(std::move(event.frame));
    if (batch.closed) end();
  }

  // Every `after`: is the client still there, and is anything left to drain?
  void check_client(std::chrono::milliseconds after = kClientCheck) {
    timer_.expires_after(after);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec || !self->subscription_) return;
      if (self->reply_.client_gone()) return self->end();
      self->drain();
      if (self->subscription_ && !self->backlogged_) self->check_client();
    });
  }

  void end() {
    subscription_.reset();
    timer_.cancel();
    reply_.ok();
  }

  asio::any_io_executor loop_;
  asio::steady_timer timer_;
  Responder reply_;
  std::shared_ptr<events::Subscription> subscription_;
  bool backlogged_ = false;
};

}  // namespace

void register_event_methods(MethodTable& table, events::EventHub& hub, asio::any_io_executor loop) {
  table.add({"events.subscribe",
             "stream the daemon's events (due reminders, overdue replies, new messages, session states): account",
             true, [&hub, loop](Call call) {
               EventsSubscribeRequest request;
               if (!call.parse(request)) return;
               if (!request.account().empty())
                 if (auto valid = store::validate_account_name(request.account()); !valid)
                   return call.reply.fail(valid.error());
               auto pump = std::make_shared<EventPump>(loop, call.reply);
               pump->start(hub, request.account());
             }});
}

}  // namespace wacrm::control
