#include "control/account_methods.h"

#include "control/account_message.h"
#include "control/daemon.pb.h"
#include "control/envelope.pb.h"
#include "control/method_table.h"
#include "control/pool_runner.h"
#include "store/pg/pg_account_repository.h"

namespace wacrm::control {
namespace {

void add_account(PoolRunner& runner, Call call) {
  AccountAddRequest request;
  if (!call.parse(request)) return;
  if (auto valid = store::validate_account_name(request.name()); !valid) {
    call.reply.fail(valid.error());
    return;
  }
  runner.run<store::Account>(
      [name = request.name()](store::PgConnection& conn) { return store::PgAccountRepository(conn).add(name); },
      [reply = call.reply](Result<store::Account> added) {
        if (!added) return reply.fail(added.error());
        AccountAddResponse out;
        fill_account(*added, *out.mutable_account());
        reply.ok(out);
      });
}

void list_accounts(PoolRunner& runner, Call call) {
  AccountListRequest request;
  if (!call.parse(request)) return;
  runner.run<std::vector<store::Account>>(
      [](store::PgConnection& conn) { return store::PgAccountRepository(conn).list(); },
      [reply = call.reply](Result<std::vector<store::Account>> accounts) {
        if (!accounts) return reply.fail(accounts.error());
        AccountListResponse out;
        for (const auto& account : *accounts) fill_account(account, *out.add_accounts());
        reply.ok(out);
      });
}

struct Removal {
  std::int64_t account_id = 0;
  store::AccountUsage usage;
};

void delete_account(PoolRunner& runner, const std::string& name, store::AccountUsage usage, Responder reply) {
  runner.run<bool>(
      [name](store::PgConnection& conn) -> Result<bool> {
        WACRM_TRY(store::PgAccountRepository(conn).remove(name));
        return true;
      },
      [reply, name, usage](Result<bool> removed) {
        if (!removed) return reply.fail(removed.error());
        AccountRemoveResponse out;
        out.set_name(name);
        out.set_messages_deleted(usage.messages);
        out.set_contacts_deleted(usage.contacts);
        reply.ok(out);
      });
}

// Counts what would go; with confirm, ends the account's session (so nothing
// writes for it any more), then deletes it.
void remove_account(PoolRunner& runner, const EndSession& end_session, Call call) {
  AccountRemoveRequest request;
  if (!call.parse(request)) return;
  const std::string name = request.name();
  const bool confirm = request.confirm();
  runner.run<Removal>(
      [name](store::PgConnection& conn) -> Result<Removal> {
        store::PgAccountRepository accounts(conn);
        auto account = WACRM_TRY(accounts.find(name));
        return Removal{account.id, WACRM_TRY(accounts.usage(account.id))};
      },
      [&runner, end_session, reply = call.reply, name, confirm](Result<Removal> removal) {
        if (!removal) return reply.fail(removal.error());
        if (!confirm) {
          reply.fail(STATUS_FAILED_PRECONDITION,
                     "removing account '" + name + "' would delete " + std::to_string(removal->usage.messages) +
                         " messages and " + std::to_string(removal->usage.contacts) +
                         " contacts; pass --yes (confirm) to remove it");
          return;
        }
        auto usage = removal->usage;
        if (!end_session) return delete_account(runner, name, usage, reply);
        end_session(removal->account_id,
                    [&runner, name, usage, reply] { delete_account(runner, name, usage, reply); });
      });
}

}  // namespace

void register_account_methods(MethodTable& table, PoolRunner& runner, EndSession end_session) {
  table.add({"account.add", "add an account (a person who will link a WhatsApp number): NAME", true,
             [&runner](Call call) { add_account(runner, std::move(call)); }});
  table.add({"account.list", "list accounts and their link state", true,
             [&runner](Call call) { list_accounts(runner, std::move(call)); }});
  table.add({"account.remove", "remove an account and everything stored for it: NAME, confirm", true,
             [&runner, end_session = std::move(end_session)](Call call) {
               remove_account(runner, end_session, std::move(call));
             }});
}

}  // namespace wacrm::control
