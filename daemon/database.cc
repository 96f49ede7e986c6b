#include "database.h"

#include <cstdlib>
#include <optional>
#include <thread>

namespace wacrm::daemon {

namespace {

// Unsets an environment variable for a scope (single-threaded start-up only).
class HiddenEnv {
 public:
  explicit HiddenEnv(const char* name) : name_(name) {
    if (const char* v = std::getenv(name)) {
      saved_ = v;
      ::unsetenv(name);
    }
  }
  ~HiddenEnv() {
    if (saved_) ::setenv(name_, saved_->c_str(), 1);
  }

 private:
  const char* name_;
  std::optional<std::string> saved_;
};

}  // namespace

Result<store::EmbeddedPostgres> start_embedded_postgres(const std::filesystem::path& state_dir) {
  HiddenEnv notify("NOTIFY_SOCKET");
  HiddenEnv watchdog("WATCHDOG_USEC");
  HiddenEnv watchdog_pid("WATCHDOG_PID");
  store::EmbeddedPostgres::Options options;
  options.state_dir = state_dir;
  // wacrmd.service sets MemoryDenyWriteExecute=, which the server inherits:
  // LLVM JIT needs writable+executable memory, so keep it off.
  options.settings.emplace_back("jit", "off");
  return store::EmbeddedPostgres::start(std::move(options));
}

Result<OpenDatabase> open_database(const std::string& conninfo, const std::filesystem::path& migrations_dir,
                                   int pool_size, const DatabaseProgress& progress,
                                   const store::StopPredicate& should_stop) {
  for (;;) {
    auto conn = WACRM_TRY(store::connect_with_retry(conninfo, {}, progress.on_unreachable, should_stop));
    if (progress.on_migrating) progress.on_migrating();
    auto report = store::migrate(conn, migrations_dir);
    if (!report) {
      // Lost the server mid-way: nothing was kept (one transaction); start over.
      if (report.error().code == Errc::unavailable) {
        if (progress.on_unreachable) progress.on_unreachable({0, report.error(), std::chrono::milliseconds(0)});
        continue;
      }
      return std::unexpected(report.error());
    }
    auto pool = store::PgPool::open(conninfo, store::PgPoolOptions{pool_size});
    if (!pool) {
      if (pool.error().code != Errc::unavailable) return std::unexpected(pool.error());
      // e.g. the server is out of connection slots: wait a little, then start over.
      if (progress.on_unreachable) progress.on_unreachable({0, pool.error(), std::chrono::milliseconds(1000)});
      for (int i = 0; i < 10; ++i) {
        if (should_stop && should_stop()) return make_error(Errc::cancelled, "stopped while connecting");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      continue;
    }
    return OpenDatabase{std::move(*pool), std::move(*report)};
  }
}

}  // namespace wacrm::daemon
