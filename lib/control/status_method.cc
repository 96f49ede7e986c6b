#include "control/status_method.h"

#include <unistd.h>

#include "control/account_message.h"
#include "control/daemon.pb.h"
#include "control/envelope.pb.h"
#include "control/method_table.h"
#include "control/pool_runner.h"
#include "store/pg/migrator.h"
#include "store/pg/pg_account_repository.h"

namespace wacrm::control {
namespace {

struct DatabaseFacts {
  int schema_version = 0;
  int server_version = 0;   // libpq's number, e.g. 150008
  std::vector<store::Account> accounts;
};

std::string format_server_version(int v) {
  // PostgreSQL 10 and later: major * 10000 + minor.
  return std::to_string(v / 10000) + "." + std::to_string(v % 10000);
}

void status(PoolRunner& runner, const StatusSource& source, Call call) {
  StatusRequest request;
  if (!call.parse(request)) return;
  StatusResponse base;
  base.set_version(source.version);
  base.set_uptime_seconds(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - source.started_at).count());
  base.set_pid(static_cast<std::int32_t>(::getpid()));
  base.mutable_database()->set_mode(source.embedded_database ? DatabaseStatus::MODE_EMBEDDED
                                                             : DatabaseStatus::MODE_EXTERNAL);
  runner.run<DatabaseFacts>(
      [](store::PgConnection& conn) -> Result<DatabaseFacts> {
        DatabaseFacts facts;
        facts.schema_version = WACRM_TRY(store::schema_version(conn));
        facts.server_version = conn.server_version();
        facts.accounts = WACRM_TRY(store::PgAccountRepository(conn).list());
        return facts;
      },
      [&source, reply = call.reply, base](Result<DatabaseFacts> facts) mutable {
        // An unreachable database is a fact to report, not a failed request.
        auto* db = base.mutable_database();
        db->set_reachable(facts.has_value());
        if (facts) {
          db->set_schema_version(facts->schema_version);
          db->set_server_version(format_server_version(facts->server_version));
          for (const auto& account : facts->accounts) {
            auto* out = base.add_accounts();
            fill_account(account, *out);
            out->set_connected(source.connected && source.connected(account.id));
            if (source.session) out->set_session(source.session(account.id));
          }
        }
        reply.ok(base);
      });
}

}  // namespace

void register_status_method(MethodTable& table, PoolRunner& runner, const StatusSource& source) {
  table.add({"status", "version, uptime, database state and accounts with their link state", true,
             [&runner, &source](Call call) { status(runner, source, std::move(call)); }});
}

}  // namespace wacrm::control
