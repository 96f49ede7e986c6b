// A small pool of worker threads, each owning one blocking PgConnection, that
// runs database jobs in submission order.
//
// Why blocking connections on threads rather than libpq's asynchronous API on
// the io_context: every CRM query is short (an index lookup or a small
// insert), so two threads keep up with any household's message rate; libpq's
// blocking calls keep transactions (BEGIN ... COMMIT over several statements)
// straight-line code instead of a chain of callbacks; and a slow query or a
// reconnect never stalls the loop that serves WhatsApp and the control
// socket. The pool knows nothing of Asio: a job that has a result posts it
// back to the daemon's io_context itself.
//
// Ordering: jobs start in FIFO order. With more than one thread two jobs may
// run concurrently; work that must be serialized (one account's message
// stream) should be one job or use a one-thread pool.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/error.h"
#include "store/pg/pg_connection.h"

namespace wacrm::store {

struct PgPoolOptions {
  int threads = 2;
  std::size_t max_queue = 4096;     // submit() refuses jobs beyond this many waiting
};

class PgPool {
 public:
  using Job = std::function<void(PgConnection&)>;

  // Connects options.threads connections to conninfo (no retry: connect with
  // connect_with_retry first if the server may be down) and starts the threads.
  static Result<std::unique_ptr<PgPool>> open(const std::string& conninfo, PgPoolOptions options = {});

  // Takes ready connections, one thread per connection (at least one).
  explicit PgPool(std::vector<PgConnection> connections, std::size_t max_queue = PgPoolOptions{}.max_queue);
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;
  // Calls shutdown().
  ~PgPool();

  // Queues a job. False (and the job is dropped, not run) after shutdown()
  // began or when max_queue jobs are already waiting.
  //
  // Every accepted job runs exactly once. Before a job, a worker whose
  // connection broke tries one reconnect; if that fails the job still runs
  // and its queries fail with Errc::unavailable, so its caller always hears
  // back. A transaction a job leaves open is rolled back after it. A job must
  // not throw (an escaping exception is caught and dropped) and must not call
  // shutdown().
  bool submit(Job job);

  // Stops accepting jobs, runs every job already queued, joins the threads.
  // Idempotent; safe to call from any thread except a worker.
  void shutdown();

  std::size_t queued() const;
  int threads() const { return static_cast<int>(workers_.size()); }

 private:
  void run(PgConnection& conn);

  std::vector<PgConnection> connections_;
  std::vector<std::thread> workers_;
  std::size_t max_queue_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::once_flag joined_;
};

}  // namespace wacrm::store
