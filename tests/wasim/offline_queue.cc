#include "wasim/offline_queue.h"

#include <algorithm>

namespace wacrm::wasim {

PendingStanza& OfflineQueue::push(const DeviceId& device, PendingStanza stanza) {
  stanza.qid = next_qid_++;
  auto& queue = queues_[device];
  queue.by_id.emplace(stanza.id, stanza.qid);
  return queue.by_order.emplace(stanza.qid, std::move(stanza)).first->second;
}

std::vector<PendingStanza*> OfflineQueue::unsent(const DeviceId& device, std::uint64_t connection) {
  std::vector<PendingStanza*> out;
  auto it = queues_.find(device);
  if (it == queues_.end()) return out;
  for (auto& [qid, pending] : it->second.by_order)
    if (pending.sent_on != connection) out.push_back(&pending);
  return out;
}

std::vector<OfflineQueue::Confirmed> OfflineQueue::confirm(const DeviceId& device, std::string_view confirm_class,
                                                           std::string_view id, std::string_view to_user) {
  std::vector<Confirmed> removed;
  auto it = queues_.find(device);
  if (it == queues_.end()) return removed;
  auto& queue = it->second;
  // In queue order, as the walk over every stanza returned them.
  std::vector<std::uint64_t> qids;
  auto [first, last] = queue.by_id.equal_range(id);
  for (auto entry = first; entry != last;) {
    const PendingStanza& p = queue.by_order.at(entry->second);
    if (p.confirm_class == confirm_class && (to_user.empty() || p.from_user == to_user)) {
      qids.push_back(entry->second);
      entry = queue.by_id.erase(entry);
    } else {
      ++entry;
    }
  }
  std::sort(qids.begin(), qids.end());
  for (std::uint64_t qid : qids) {
    auto node = queue.by_order.extract(qid);
    removed.push_back({std::move(node.mapped().id), node.mapped().key_share});
  }
  if (queue.by_order.empty()) queues_.erase(it);
  return removed;
}

bool OfflineQueue::has_unconfirmed_key_share(const DeviceId& device) const {
  auto it = queues_.find(device);
  if (it == queues_.end()) return false;
  for (const auto& [qid, pending] : it->second.by_order)
    if (pending.key_share) return true;
  return false;
}

std::size_t OfflineQueue::size(const DeviceId& device) const {
  auto it = queues_.find(device);
  return it == queues_.end() ? 0 : it->second.by_order.size();
}

std::size_t OfflineQueue::total() const {
  std::size_t n = 0;
  for (const auto& [device, queue] : queues_) n += queue.by_order.size();
  return n;
}

void OfflineQueue::drop(const DeviceId& device) { queues_.erase(device); }

}  // namespace wacrm::wasim
