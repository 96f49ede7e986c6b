// crm.search.
#include "control/crm.pb.h"
#include "crm/contact_resolver.h"
#include "crm/method_handlers.h"
#include "crm/method_support.h"
#include "crm/crm_proto.h"
#include "crm/when.h"

namespace wacrm::crm::handlers {

namespace {

constexpr std::size_t kMaxQueryBytes = 1024;

// Splits ts_headline's marked text into plain and matched parts.
void snippet_to_proto(std::string_view marked, control::CrmSearchHit* out) {
  bool match = false;
  std::string part;
  auto flush = [&] {
    if (part.empty()) return;
    auto* p = out->add_snippet();
    p->set_text(part);
    p->set_match(match);
    part.clear();
  };
  for (char c : marked) {
    if (c == store::kMatchStart || c == store::kMatchEnd) {
      flush();
      match = c == store::kMatchStart;
    } else {
      part += c;
    }
  }
  flush();
}

}  // namespace

ApiResult<std::string> search(CrmContext& ctx, std::string_view payload) {
  auto req = WACRM_TRY(parse_request<control::CrmSearchRequest>(payload));
  if (req.query().find_first_not_of(" \t\r\n") == std::string::npos)
    return std::unexpected(ApiError(Error{Errc::invalid_argument, "search for what? give some words"}));
  if (req.query().size() > kMaxQueryBytes)
    return std::unexpected(ApiError(Error{Errc::too_large, fmt::format("a search holds at most {} bytes", kMaxQueryBytes)}));
  if (req.offset() < 0)
    return std::unexpected(ApiError(Error{Errc::invalid_argument, "offset must not be negative"}));
  auto account = WACRM_TRY(account_of(ctx, req.account()));
  auto tz = time_zone_of(ctx, req.time_zone());
  ContactResolver resolver(ctx.store, account);

  store::SearchQuery q;
  q.account_id = account;
  q.text = req.query();
  q.now = ctx.now;
  q.limit = WACRM_TRY(limit_of(req.limit(), 20, 200));
  q.offset = req.offset();
  if (!req.contact().empty()) q.person_id = WACRM_TRY(resolver.person(req.contact())).id;
  if (!req.chat().empty()) q.chat_ids = WACRM_TRY(resolver.conversation(req.chat())).chat_ids();
  if (!req.from().empty()) q.from = WACRM_TRY(range_start(req.from(), tz, ctx.store));
  if (!req.to().empty()) q.to = WACRM_TRY(range_end(req.to(), tz, ctx.store));
  if (q.from && q.to && *q.to <= *q.from)
    return std::unexpected(ApiError(Error{Errc::invalid_argument,
                                          fmt::format("the range from '{}' to '{}' is empty", req.from(), req.to())}));
  if (req.direction() == control::CRM_DIRECTION_INBOUND) q.from_me = false;
  if (req.direction() == control::CRM_DIRECTION_OUTBOUND) q.from_me = true;

  control::CrmSearchResponse res;
  for (const auto& hit : WACRM_TRY(ctx.store.search(q))) {
    auto* out = res.add_hits();
    out->set_message_id(hit.message_id);
    out->set_chat_jid(hit.chat_jid);
    out->set_chat_name(hit.chat_name);
    out->set_sender(hit.sender);
    out->set_from_me(hit.from_me);
    to_proto(hit.sent_at, out->mutable_sent_at());
    out->set_kind(hit.kind);
    snippet_to_proto(hit.snippet, out);
    out->set_score(hit.score);
  }
  return serialized(res);
}

}  // namespace wacrm::crm::handlers
