// crm.remind.add, .list, .done, .snooze.
#include "control/crm.pb.h"
#include "crm/contact_resolver.h"
#include "crm/crm_proto.h"
#include "crm/method_handlers.h"
#include "crm/method_support.h"
#include "crm/when.h"

namespace wacrm::crm::handlers {

namespace {

constexpr std::size_t kMaxReminderBytes = 4096;

template <class Response>
ApiResult<std::string> one_reminder(const store::Reminder& r) {
  Response res;
  to_proto(r, res.mutable_reminder());
  return serialized(res);
}

Status check_id(std::int64_t id) {
  if (id <= 0) return make_error(Errc::invalid_argument, fmt::format("invalid reminder id {}: see 'remind list'", id));
  return {};
}

}  // namespace

ApiResult<std::string> remind_add(CrmContext& ctx, std::string_view payload) {
  auto req = WACRM_TRY(parse_request<control::CrmRemindAddRequest>(payload));
  if (req.text().size() > kMaxReminderBytes)
    return std::unexpected(ApiError(Error{Errc::too_large, fmt::format("a reminder's text holds at most {} bytes", kMaxReminderBytes)}));
  auto account = WACRM_TRY(account_of(ctx, req.account()));
  std::optional<std::int64_t> person;
  if (!req.contact().empty()) person = WACRM_TRY(ContactResolver(ctx.store, account).person(req.contact())).id;
  if (!person && req.text().empty())
    return std::unexpected(ApiError(Error{Errc::invalid_argument, "a reminder needs a contact or some text"}));
  auto due = WACRM_TRY(due_time(req.in_duration(), req.at_time(), ctx.now, time_zone_of(ctx, req.time_zone()), ctx.store));
  if (due < ctx.now)
    return std::unexpected(ApiError(Error{Errc::invalid_argument, fmt::format("'{}' is in the past", req.at_time())}));
  return one_reminder<control::CrmRemindAddResponse>(WACRM_TRY(ctx.store.add_reminder(account, person, req.text(), due)));
}

ApiResult<std::string> remind_list(CrmContext& ctx, std::string_view payload) {
  auto req = WACRM_TRY(parse_request<control::CrmRemindListRequest>(payload));
  auto account = WACRM_TRY(account_of(ctx, req.account()));
  control::CrmRemindListResponse res;
  for (const auto& r : WACRM_TRY(ctx.store.reminders(account, req.include_done()))) to_proto(r, res.add_reminders());
  return serialized(res);
}

ApiResult<std::string> remind_done(CrmContext& ctx, std::string_view payload) {
  auto req = WACRM_TRY(parse_request<control::CrmRemindDoneRequest>(payload));
  WACRM_TRY(check_id(req.id()));
  auto account = WACRM_TRY(account_of(ctx, req.account()));
  return one_reminder<control::CrmRemindDoneResponse>(WACRM_TRY(ctx.store.complete_reminder(account, req.id(), ctx.now)));
}

ApiResult<std::string> remind_snooze(CrmContext& ctx, std::string_view payload) {
  auto req = WACRM_TRY(parse_request<control::CrmRemindSnoozeRequest>(payload));
  WACRM_TRY(check_id(req.id()));
  auto account = WACRM_TRY(account_of(ctx, req.account()));
  const std::string in = req.in_duration().empty() && req.at_time().empty() ? "1d" : req.in_duration();
  auto due = WACRM_TRY(due_time(in, req.at_time(), ctx.now, time_zone_of(ctx, req.time_zone()), ctx.store));
  if (due < ctx.now)
    return std::unexpected(ApiError(Error{Errc::invalid_argument, fmt::format("'{}' is in the past", req.at_time())}));
  return one_reminder<control::CrmRemindSnoozeResponse>(WACRM_TRY(ctx.store.reschedule_reminder(account, req.id(), due)));
}

}  // namespace wacrm::crm::handlers
