#include "wa/message_receiver.h"

#include <boost/asio/post.hpp>

#include <atomic>
#include <utility>

#include "wa/receipt_handler.h"

namespace wacrm::wa {

struct MessageReceiver::Worker {
  explicit Worker(signal::Context signal_context) : context(std::move(signal_context)) {}

  // On a database thread, one job at a time (and only once configured).
  HandleResult process(const wire::Node& stanza, MessageStores& stores) {
    handler->set_available(available.load());
    if (stanza.tag == "message") return handler->handle_message(stanza, stores);
    if (stanza.tag == "receipt") return handle_receipt(stanza, handler->config(), stores);
    return handle_notification(stanza, handler->config(), stores);
  }

  signal::Context context;
  std::optional<MessageHandler> handler;  // set by configure(), before any job
  std::atomic<bool> available{false};
};

Result<std::unique_ptr<MessageReceiver>> MessageReceiver::create(boost::asio::any_io_executor loop,
                                                                 MessageStoreAccess& access,
                                                                 std::optional<MessageHandlerConfig> config) {
  auto context = WACRM_TRY(signal::Context::create());
  auto worker = std::make_shared<Worker>(std::move(context));
  std::unique_ptr<MessageReceiver> receiver(new MessageReceiver(std::move(loop), access, std::move(worker)));
  if (config) receiver->configure(std::move(*config));
  return receiver;
}

void MessageReceiver::configure(MessageHandlerConfig config) {
  if (configured_) return;
  worker_->handler.emplace(worker_->context, std::move(config));
  if (before_commit_) worker_->handler->set_before_commit(std::move(before_commit_));
  configured_ = true;
  pump();
}

MessageReceiver::MessageReceiver(boost::asio::any_io_executor loop, MessageStoreAccess& access,
                                 std::shared_ptr<Worker> worker)
    : loop_(std::move(loop)), access_(access), worker_(std::move(worker)), alive_(std::make_shared<bool>(true)) {}

MessageReceiver::~MessageReceiver() = default;

void MessageReceiver::set_available(bool available) { worker_->available = available; }

void MessageReceiver::set_before_commit(std::function<Status()> hook) { before_commit_ = std::move(hook); }

bool MessageReceiver::take(const wire::Node& stanza, Send send) {
  if (stanza.tag != "message" && stanza.tag != "receipt" && stanza.tag != "notification") return false;
  queue_.push_back(Item{stanza, std::move(send)});
  pump();
  return true;
}

void MessageReceiver::pump() {
  if (busy_ || queue_.empty() || !configured()) return;
  busy_ = true;
  auto item = std::make_shared<Item>(std::move(queue_.front()));
  queue_.pop_front();
  // Completions come back through the loop, and only while we exist.
  auto deliver = [loop = loop_, alive = std::weak_ptr<bool>(alive_), this, item](HandleResult result) {
    boost::asio::post(loop, [alive, this, item, result = std::move(result)]() mutable {
      if (alive.expired()) return;
      finish(std::move(*item), std::move(result));
    });
  };
  const bool queued = access_.submit(worker_->handler->config().account_id,
                                     [worker = worker_, item, deliver](MessageStores& stores) {
                                       deliver(worker->process(item->stanza, stores));
                                     });
  if (!queued) {
    HandleResult refused;
    refused.error = Error{Errc::unavailable, "the database work queue is full or shutting down"};
    deliver(std::move(refused));
  }
}

void MessageReceiver::finish(Item item, HandleResult result) {
  busy_ = false;
  if (result.error) {
    // Nothing was committed; nothing is acknowledged. The server delivers
    // the stanza again after the next login.
    if (on_error_) on_error_(item.stanza, *result.error);
  } else {
    for (const auto& node : result.send) item.send(node);
    if (on_event_)
      for (const auto& event : result.events) on_event_(event);
  }
  pump();
}

}  // namespace wacrm::wa
