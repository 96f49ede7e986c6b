#include "wasim/offline_queue.h"

namespace wacrm::wasim {

PendingStanza& OfflineQueue::push(const DeviceId& device, PendingStanza stanza) {
  stanza.qid = next_qid_++;
  auto& queue = queues_[device];
  return queue.emplace(stanza.qid, std::move(stanza)).first->second;
}

std::vector<PendingStanza*> OfflineQueue::unsent(const DeviceId& device, std::uint64_t connection) {
  std::vector<PendingStanza*> out;
  auto it = queues_.find(device);
  if (it == queues_.end()) return out;
  for (auto& [qid, pending] : it->second)
    if (pending.sent_on != connection) out.push_back(&pending);
  return out;
}

std::vector<OfflineQueue::Confirmed> OfflineQueue::confirm(const DeviceId& device, std::string_view confirm_class,
                                                           std::string_view id, std::string_view to_user) {
  std::vector<Confirmed> removed;
  auto it = queues_.find(device);
  if (it == queues_.end()) return removed;
  auto& queue = it->second;
  for (auto entry = queue.begin(); entry != queue.end();) {
    const PendingStanza& p = entry->second;
    bool same = p.confirm_class == confirm_class && p.id == id && (to_user.empty() || p.from_user == to_user);
    if (same) {
      removed.push_back({p.id, p.key_share});
      entry = queue.erase(entry);
    } else {
      ++entry;
    }
  }
  if (queue.empty()) queues_.erase(it);
  return removed;
}

bool OfflineQueue::has_unconfirmed_key_share(const DeviceId& device) const {
  auto it = queues_.find(device);
  if (it == queues_.end()) return false;
  for (const auto& [qid, pending] : it->second)
    if (pending.key_share) return true;
  return false;
}

std::size_t OfflineQueue::size(const DeviceId& device) const {
  auto it = queues_.find(device);
  return it == queues_.end() ? 0 : it->second.size();
}

std::size_t OfflineQueue::total() const {
  std::size_t n = 0;
  for (const auto& [device, queue] : queues_) n += queue.size();
  return n;
}

void OfflineQueue::drop(const DeviceId& device) { queues_.erase(device); }

}  // namespace wacrm::wasim
