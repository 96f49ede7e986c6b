#include "wasim/event_log.h"

#include <algorithm>
#include <chrono>

namespace wacrm::wasim {

namespace {

std::string as_text(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

bool field_matches(const nlohmann::json& value, const std::string& wanted) {
  if (value.is_array())
    return std::any_of(value.begin(), value.end(), [&](const auto& item) { return as_text(item) == wanted; });
  return as_text(value) == wanted;
}

}  // namespace

nlohmann::json Event::to_json() const { return {{"seq", seq}, {"t_ms", t_ms}, {"type", type}, {"data", data}}; }

bool EventFilter::matches(const Event& event) const {
  if (event.seq <= after) return false;
  if (!types.empty() && std::find(types.begin(), types.end(), event.type) == types.end()) return false;
  for (const auto& [key, wanted] : fields) {
    auto it = event.data.find(key);
    if (it == event.data.end() || !field_matches(*it, wanted)) return false;
  }
  return true;
}

std::uint64_t EventLog::append(std::string type, nlohmann::json data) {
  Event event;
  event.seq = next_seq_++;
  event.t_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch()).count();
  event.type = std::move(type);
  event.data = data.is_null() ? nlohmann::json::object() : std::move(data);
  events_.push_back(std::move(event));
  if (events_.size() > capacity_) events_.pop_front();

  const Event& added = events_.back();
  std::vector<std::uint64_t> fired;
  for (auto& [id, pending] : waiters_)
    if (pending.filter.matches(added)) fired.push_back(id);
  for (std::uint64_t id : fired) {
    auto node = waiters_.extract(id);
    node.mapped().waiter(query(node.mapped().filter, node.mapped().limit));
  }
  return added.seq;
}

std::vector<Event> EventLog::query(const EventFilter& filter, std::size_t limit) const {
  std::vector<Event> out;
  // Sequence numbers are dense, so the first candidate can be found directly.
  std::size_t start = 0;
  if (!events_.empty() && filter.after >= events_.front().seq)
    start = std::min<std::size_t>(filter.after - events_.front().seq + 1, events_.size());
  for (std::size_t i = start; i < events_.size() && out.size() < limit; ++i)
    if (filter.matches(events_[i])) out.push_back(events_[i]);
  return out;
}

std::uint64_t EventLog::wait(EventFilter filter, std::size_t limit, Waiter waiter) {
  auto found = query(filter, limit);
  if (!found.empty()) {
    waiter(std::move(found));
    return 0;
  }
  std::uint64_t id = next_waiter_++;
  waiters_.emplace(id, Pending{std::move(filter), limit, std::move(waiter)});
  return id;
}

bool EventLog::cancel(std::uint64_t waiter_id) { return waiters_.erase(waiter_id) > 0; }

void EventLog::release_all() {
  auto pending = std::move(waiters_);
  waiters_.clear();
  for (auto& [id, entry] : pending) entry.waiter({});
}

}  // namespace wacrm::wasim
