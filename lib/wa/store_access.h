// How lib/wa reaches the database without knowing it: a job runs on a
// database thread with the account's stores (credentials and Signal state)
// and may make several writes atomic. The daemon implements StoreAccess over
// its PgPool with PgCredentialsStore/PgSignalStore on the worker's
// connection; tests may use in-memory stores.
//
// run_on_store() brings a job's result back to the session's executor as an
// awaitable, so session code reads as straight-line coroutines.
#pragma once

#include <utility>  // before Asio: boost/asio/awaitable.hpp uses std::exchange without it

#include <boost/asio/async_result.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <utility>

#include "base/error.h"
#include "store/credentials_store.h"
#include "store/signal_store.h"

namespace wacrm::wa {

class AccountStores {
 public:
  virtual ~AccountStores() = default;
  virtual store::CredentialsStore& credentials() = 0;
  virtual store::SignalStore& signal() = 0;
  // Runs body in one database transaction: committed if it succeeds, rolled back otherwise.
  virtual Status atomically(const std::function<Status()>& body) = 0;
};

class StoreAccess {
 public:
  virtual ~StoreAccess() = default;
  // Queues job for a database thread, with the stores of account_id. False when
  // it cannot be queued (shutting down, queue full); the job is then dropped.
  virtual bool submit(std::int64_t account_id, std::function<void(AccountStores&)> job) = 0;
};

template <class T>
using StoreWork = std::function<Result<T>(AccountStores&)>;

// Runs work on the store and resumes the calling coroutine with its result on
// the coroutine's executor. Errc::unavailable when the job could not be queued.
// Pass `work` as a named StoreWork moved in, never as a temporary lambda: GCC 12
// mishandles the lifetime of temporaries in co_await expressions.
template <class T>
boost::asio::awaitable<Result<T>> run_on_store(StoreAccess& access, std::int64_t account_id, StoreWork<T> work) {
  auto initiate = [&access, account_id, work = std::move(work)](auto handler) mutable {
    using Handler = decltype(handler);
    auto executor = boost::asio::get_associated_executor(handler);
    auto shared = std::make_shared<Handler>(std::move(handler));
    bool queued = access.submit(account_id, [executor, shared, work = std::move(work)](AccountStores& stores) {
      Result<T> result = work(stores);
      boost::asio::post(executor, [shared, result = std::move(result)]() mutable { (*shared)(std::move(result)); });
    });
    if (!queued)
      boost::asio::post(executor, [shared] {
        (*shared)(Result<T>(make_error(Errc::unavailable, "the database work queue is full or shutting down")));
      });
  };
  co_return co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(Result<T>)>(
      std::move(initiate), boost::asio::use_awaitable);
}

}  // namespace wacrm::wa
