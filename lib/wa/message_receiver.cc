#include "wa/message_receiver.h"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <atomic>
#include <utility>
#include <vector>

#include "wa/receipt_handler.h"

namespace wacrm::wa {

struct MessageReceiver::Worker {
  explicit Worker(signal::Context signal_context) : context(std::move(signal_context)) {}

  // On a database thread, one job at a time (and only once configured): a
  // run of <message> stanzas in one transaction, or one other stanza. If the
  // run's transaction fails, each stanza gets one of its own, so that one
  // stanza the database refuses does not hold back the others.
  std::vector<HandleResult> process(const std::vector<Item>& items, MessageStores& stores) {
    handler->set_available(available.load());
    const wire::Node& first = items.front().stanza;
    if (first.tag == "receipt") return {handle_receipt(first, handler->config(), stores)};
    if (first.tag == "notification") return {handle_notification(first, handler->config(), stores)};
    if (first.tag == "iq") return {handle_group_answer(first, handler->config(), stores)};
    std::vector<wire::Node> stanzas;
    stanzas.reserve(items.size());
    for (const auto& item : items) stanzas.push_back(item.stanza);
    auto results = handler->handle_messages(stanzas, stores);
    if (items.size() > 1 && std::all_of(results.begin(), results.end(), [](const auto& r) { return r.error; }))
      for (std::size_t i = 0; i < items.size(); ++i) results[i] = handler->handle_message(stanzas[i], stores);
    return results;
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
  update_full();
  return true;
}

void MessageReceiver::take_group_answer(const wire::Node& answer) {
  if (answer.tag != "iq") return;
  queue_.push_back(Item{answer, [](const wire::Node&) {}});
  pump();
  update_full();
}

void MessageReceiver::update_full() {
  const bool full = full_ ? queued() > kLowWater : queued() >= kHighWater;
  if (full == full_) return;
  full_ = full;
  if (on_full_) on_full_(full);
}

void MessageReceiver::pump() {
  if (busy_ || queue_.empty() || !configured()) return;
  busy_ = true;
  // The <message> stanzas waiting at the front go together (a backlog is one
  // transaction); any other stanza goes alone.
  auto batch = std::make_shared<std::vector<Item>>();
  do {
    batch->push_back(std::move(queue_.front()));
    queue_.pop_front();
  } while (batch->front().stanza.tag == "message" && !queue_.empty() && queue_.front().stanza.tag == "message" &&
           batch->size() < kMaxBatch);
  in_flight_ = batch->size();
  // Completions come back through the loop, and only while we exist.
  auto deliver = [loop = loop_, alive = std::weak_ptr<bool>(alive_), this, batch](std::vector<HandleResult> results) {
    boost::asio::post(loop, [alive, this, batch, results = std::move(results)]() mutable {
      if (alive.expired()) return;
      finish(std::move(*batch), std::move(results));
    });
  };
  const bool queued = access_.submit(worker_->handler->config().account_id,
                                     [worker = worker_, batch, deliver](MessageStores& stores) {
                                       deliver(worker->process(*batch, stores));
                                     });
  if (!queued) {
    HandleResult refused;
    refused.error = Error{Errc::unavailable, "the database work queue is full or shutting down"};
    deliver(std::vector<HandleResult>(batch->size(), refused));
  }
}

void MessageReceiver::finish(std::vector<Item> batch, std::vector<HandleResult> results) {
  busy_ = false;
  in_flight_ = 0;
  for (std::size_t i = 0; i < batch.size() && i < results.size(); ++i) {
    const Item& item = batch[i];
    const HandleResult& result = results[i];
    if (result.error) {
      // Nothing was committed; nothing is acknowledged. The server delivers
      // the stanza again after the next login.
      if (on_error_) on_error_(item.stanza, *result.error);
      continue;
    }
    for (const auto& node : result.send) item.send(node);
    if (on_event_)
      for (const auto& event : result.events) on_event_(event);
  }
  pump();
  update_full();
}

}  // namespace wacrm::wa
