#include "store/pg/pg_pool.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace wacrm::store {

Result<std::unique_ptr<PgPool>> PgPool::open(const std::string& conninfo, PgPoolOptions options) {
  std::vector<PgConnection> connections;
  for (int i = 0; i < std::max(1, options.threads); ++i) connections.push_back(WACRM_TRY(PgConnection::connect(conninfo)));
  return std::make_unique<PgPool>(std::move(connections), options.max_queue);
}

PgPool::PgPool(std::vector<PgConnection> connections, std::size_t max_queue)
    : connections_(std::move(connections)), max_queue_(max_queue) {
  // A pool without a connection would accept jobs and never run them.
  if (connections_.empty()) throw std::invalid_argument("PgPool needs at least one connection");
  workers_.reserve(connections_.size());
  for (auto& conn : connections_) workers_.emplace_back([this, &conn] { run(conn); });
}

PgPool::~PgPool() { shutdown(); }

bool PgPool::submit(Job job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= max_queue_) return false;
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void PgPool::shutdown() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  std::call_once(joined_, [this] {
    for (auto& worker : workers_) worker.join();
  });
}

std::size_t PgPool::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void PgPool::run(PgConnection& conn) {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    // A failed reconnect is not fatal here: the job's queries then fail with
    // Errc::unavailable and it reports that to whoever submitted it.
    if (!conn.healthy()) (void)conn.reset_if_broken();
    try {
      job(conn);
    } catch (...) {
      // A job must not throw; if one does, keep the worker alive rather than
      // terminating the daemon from a database thread.
    }
    // A job that left a transaction open would poison every later job on
    // this connection.
    if (conn.in_transaction()) (void)conn.exec("ROLLBACK");
  }
}

}  // namespace wacrm::store
