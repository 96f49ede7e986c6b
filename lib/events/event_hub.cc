#include "events/event_hub.h"

#include <algorithm>
#include <utility>

namespace wacrm::events {

Subscription::Subscription(std::string account, std::size_t capacity, Notify notify)
    : account_(std::move(account)), capacity_(std::max<std::size_t>(capacity, 1)), notify_(std::move(notify)) {}

Subscription::Batch Subscription::take() {
  std::lock_guard lock(mutex_);
  Batch batch;
  batch.dropped = dropped_;
  batch.events.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
  batch.closed = closed_;
  queue_.clear();
  dropped_ = 0;
  notified_ = false;
  return batch;
}

bool Subscription::closed() {
  std::lock_guard lock(mutex_);
  return closed_;
}

bool Subscription::wants(const Event& event) const {
  return account_.empty() || event.account.empty() || event.account == account_;
}

bool Subscription::push(const Event& event) {
  std::lock_guard lock(mutex_);
  if (closed_) return false;
  if (queue_.size() >= capacity_) {
    queue_.pop_front();
    ++dropped_;
  }
  queue_.push_back(event);
  return !std::exchange(notified_, true);
}

bool Subscription::close() {
  std::lock_guard lock(mutex_);
  if (closed_) return false;
  closed_ = true;
  return !std::exchange(notified_, true);
}

std::shared_ptr<Subscription> EventHub::subscribe(std::string account, Subscription::Notify notify,
                                                  std::size_t capacity) {
  auto subscription = std::make_shared<Subscription>(std::move(account), capacity, std::move(notify));
  bool closed = false;
  {
    std::lock_guard lock(mutex_);
    closed = closed_;
    if (!closed) subscriptions_.push_back(subscription);
  }
  if (closed && subscription->close() && subscription->notify_) subscription->notify_();
  return subscription;
}

std::vector<std::shared_ptr<Subscription>> EventHub::live() {
  std::vector<std::shared_ptr<Subscription>> out;
  std::lock_guard lock(mutex_);
  std::erase_if(subscriptions_, [&out](const std::weak_ptr<Subscription>& weak) {
    auto subscription = weak.lock();
    if (!subscription) return true;
    out.push_back(std::move(subscription));
    return false;
  });
  return out;
}

void EventHub::publish(const Event& event) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
  }
  for (const auto& subscription : live()) {
    if (!subscription->wants(event)) continue;
    if (subscription->push(event) && subscription->notify_) subscription->notify_();
  }
}

void EventHub::close() {
  auto subscriptions = live();
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    subscriptions_.clear();
  }
  for (const auto& subscription : subscriptions)
    if (subscription->close() && subscription->notify_) subscription->notify_();
}

std::size_t EventHub::subscribers() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(std::count_if(subscriptions_.begin(), subscriptions_.end(),
                                                [](const auto& weak) { return !weak.expired(); }));
}

}  // namespace wacrm::events
