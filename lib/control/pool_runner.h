// Runs blocking database work on the store's PgPool and delivers the result
// on the daemon's loop, so handlers never block the io_context and their
// completion code may touch loop-owned state (sessions, live link states).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>

#include <functional>
#include <utility>

#include "base/error.h"
#include "store/pg/pg_pool.h"

namespace wacrm::control {

class PoolRunner {
 public:
  PoolRunner(store::PgPool& pool, boost::asio::any_io_executor loop) : pool_(pool), loop_(std::move(loop)) {}

  // work runs on a pool thread; done(result) runs on the loop, always exactly
  // once (Errc::unavailable if the pool refuses the job: full or shutting down).
  template <class T>
  void run(std::function<Result<T>(store::PgConnection&)> work, std::function<void(Result<T>)> done) {
    auto loop = loop_;
    bool queued = pool_.submit([loop, work, done](store::PgConnection& conn) {
      Result<T> result = work(conn);
      boost::asio::post(loop, [done, result = std::move(result)]() mutable { done(std::move(result)); });
    });
    if (!queued) {
      boost::asio::post(loop, [done] {
        done(make_error(Errc::unavailable, "the database work queue is full or shutting down"));
      });
    }
  }

  const boost::asio::any_io_executor& loop() const { return loop_; }

 private:
  store::PgPool& pool_;
  boost::asio::any_io_executor loop_;
};

}  // namespace wacrm::control
