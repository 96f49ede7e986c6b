// crm.pending, crm.pending.dismiss, crm.attention, crm.summary.
#include "control/crm.pb.h"
#include "crm/contact_resolver.h"
#include "crm/crm_proto.h"
#include "crm/method_handlers.h"
#include "crm/method_support.h"

namespace wacrm::crm::handlers {

ApiResult<std::string> pending(CrmContext& ctx, std::string_view payload) {
  auto req = WACRM_TRY(parse_request<control::CrmPendingRequest>(payload));
  auto account = WACRM_TRY(account_of(ctx, req.account()));
  auto limit = WACRM_TRY(limit_of(req.limit(), 100, 1000));
  auto items = WACRM_TRY(ctx.store.pending({account, ctx.now, req.include_groups(), limit}));
  control::CrmPendingResponse res;
  for (const auto& item : items) to_proto(item, ctx.now, res.add_items());
  return serialized(res);
}

ApiResult<std::string> pending_dismiss(CrmContext& ctx, std::string_view payload) {
  auto req = WACRM_TRY(parse_request<control::CrmPendingDismissRequest>(payload));
  auto account = WACRM_TRY(account_of(ctx, req.account()));
  auto conversation = WACRM_TRY(ContactResolver(ctx.store, account).conversation(req.contact()));
  WACRM_TRY(ctx.store.dismiss_pending(account, conversation.chat_ids(), ctx.now));
  control::CrmPendingDismissResponse res;
  if (conversation.person) to_proto(*conversation.person, res.mutable_person());
  else res.mutable_person()->set_name(conversation.title);
  return serialized(res);
}

ApiResult<std::string> attention(CrmContext& ctx, std::string_view payload) {
  auto req = WACRM_TRY(parse_request<control::CrmAttentionRequest>(payload));
  auto account = WACRM_TRY(account_of(ctx, req.account()));
  auto limit = WACRM_TRY(limit_of(req.limit(), 100, 1000));
  auto items = WACRM_TRY(ctx.store.attention({account, ctx.now, ctx.settings.default_cadence_days, limit}));
  control::CrmAttentionResponse res;
  res.set_default_cadence_days(ctx.settings.default_cadence_days);
  for (const auto& item : items) {
    auto* out = res.add_items();
    to_proto(item.person, out->mutable_person());
    out->set_cadence_days(item.cadence_days);
    out->set_cadence_is_default(item.cadence_is_default);
    if (item.last_exchange) to_proto(*item.last_exchange, out->mutable_last_exchange());
    to_proto(item.due_at, out->mutable_due_at());
    out->set_overdue_seconds(std::chrono::duration_cast<std::chrono::seconds>(ctx.now - item.due_at).count());
  }
  return serialized(res);
}

ApiResult<std::string> summary(CrmContext& ctx, std::string_view payload) {
  auto req = WACRM_TRY(parse_request<control::CrmSummaryRequest>(payload));
  auto account = WACRM_TRY(account_of(ctx, req.account()));
  auto recent = WACRM_TRY(limit_of(req.recent(), 10, 100));
  auto s = WACRM_TRY(ctx.store.summary(account, ctx.now, time_zone_of(ctx, req.time_zone()),
                                       ctx.settings.default_cadence_days, recent));
  control::CrmSummaryResponse res;
  res.set_pending(s.pending);
  res.set_attention(s.attention);
  res.set_reminders_due(s.reminders_due);
  res.set_messages_today(s.messages_today);
  for (const auto& r : s.recent) {
    auto* out = res.add_recent();
    to_proto(r.person, out->mutable_person());
    out->set_chat_jid(r.chat_jid);
    to_proto(r.last, out->mutable_last_message());
  }
  return serialized(res);
}

}  // namespace wacrm::crm::handlers
