#include "control/crm_methods.h"

#include <chrono>
#include <memory>
#include <string>

#include "control/envelope.pb.h"
#include "control/method_table.h"
#include "control/pool_runner.h"
#include "control/status_mapping.h"
#include "crm/crm_methods.h"
#include "crm/crm_settings.h"
#include "store/pg/pg_crm_store.h"

namespace wacrm::control {

namespace {

// The pool's Result<T> carries a plain Error; the CRM's answer (which may
// carry suggestions) rides inside it.
using Answer = crm::ApiResult<std::string>;

void answer(const Responder& reply, Result<Answer> result) {
  if (!result) return reply.fail(result.error());
  if (!*result) {
    const auto& e = result->error();
    return reply.fail(status_for(e.error.code), e.error.message, e.suggestions);
  }
  reply.ok_bytes(std::move(**result));
}

using Settings = std::shared_ptr<const crm::CrmSettings>;

void run_unary(PoolRunner& runner, const Settings& settings, const crm::CrmMethod& method, Call call) {
  runner.run<Answer>(
      [settings, &method, payload = std::move(call.payload)](store::PgConnection& conn) -> Result<Answer> {
        store::PgCrmStore store(conn);
        crm::CrmContext ctx{store, *settings, std::chrono::system_clock::now()};
        return Result<Answer>(std::in_place, method.unary(ctx, payload));
      },
      [reply = call.reply](Result<Answer> result) { answer(reply, std::move(result)); });
}

// Streaming (crm.export): every chunk but the last goes out as it is made,
// straight from the pool thread (Responder delivers in order, on the loop);
// the last one is the final answer.
void run_stream(PoolRunner& runner, const Settings& settings, const crm::CrmMethod& method, Call call) {
  runner.run<Answer>(
      [settings, &method, payload = std::move(call.payload), reply = call.reply](store::PgConnection& conn)
          -> Result<Answer> {
        store::PgCrmStore store(conn);
        crm::CrmContext ctx{store, *settings, std::chrono::system_clock::now()};
        std::string last;
        auto status = method.stream(ctx, payload, [&](std::string chunk, bool is_last) -> Status {
          if (is_last) last = std::move(chunk);
          else reply.more_bytes(std::move(chunk));
          return {};
        });
        if (!status) return Result<Answer>(std::in_place, std::unexpected(std::move(status).error()));
        return Result<Answer>(std::in_place, std::move(last));
      },
      [reply = call.reply](Result<Answer> result) { answer(reply, std::move(result)); });
}

}  // namespace

void register_crm_methods(MethodTable& table, PoolRunner& runner, crm::CrmSettings settings) {
  auto shared = std::make_shared<const crm::CrmSettings>(std::move(settings));
  for (const auto& method : crm::crm_methods()) {
    table.add({std::string(method.name), std::string(method.help), true, [&runner, shared, &method](Call call) {
                 if (method.stream) run_stream(runner, shared, method, std::move(call));
                 else run_unary(runner, shared, method, std::move(call));
               }});
  }
}

}  // namespace wacrm::control
