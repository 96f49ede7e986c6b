// Running an io_context in a test until something happened, with a deadline.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>

namespace wacrm::net::testing {

// Runs handlers until done() is true or the timeout passes; returns done().
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  io.restart();
  while (!done() && std::chrono::steady_clock::now() < deadline)
    io.run_one_for(std::chrono::milliseconds(50));
  return done();
}

}  // namespace wacrm::net::testing
