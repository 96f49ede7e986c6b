// crm.contact.merge and crm.contact.unmerge.
#include "control/crm.pb.h"
#include "crm/contact_resolver.h"
#include "crm/crm_proto.h"
#include "crm/method_handlers.h"
#include "crm/method_support.h"

namespace wacrm::crm::handlers {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool row_mentions(const store::CrmContactRow& row, std::string_view query) {
  auto q = lower(query);
  for (const auto* name : {&row.full_name, &row.push_name, &row.business_name})
    if (*name && lower(**name).find(q) != std::string::npos) return true;
  return false;
}

// The merged contacts row an unmerge request names: by address directly, or
// by name among the rows merged into the person that name resolves to.
ApiResult<store::CrmContactRow> merged_row(CrmContext& ctx, std::int64_t account, std::string_view query) {
  if (auto address = ContactResolver::address_of(query); !address.empty()) {
    auto row = WACRM_TRY(ctx.store.contact_row(account, address));
    if (row.is_root)
      return std::unexpected(ApiError(
          Error{Errc::invalid_argument, fmt::format("'{}' is not merged into another contact", query)}));
    return row;
  }
  auto person = WACRM_TRY(ContactResolver(ctx.store, account).person(query));
  auto profile = WACRM_TRY(ctx.store.profile(account, person.id));
  std::vector<store::CrmContactRow> merged, named;
  for (const auto& row : profile.rows)
    if (!row.is_root) merged.push_back(row);
  for (const auto& row : merged)
    if (row_mentions(row, query)) named.push_back(row);
  if (merged.empty())
    return std::unexpected(ApiError(Error{
        Errc::invalid_argument, fmt::format("{} has no contacts merged into it", ContactResolver::label(person))}));
  if (merged.size() == 1) return merged[0];
  if (named.size() == 1) return named[0];
  std::vector<std::string> jids;
  for (const auto& row : merged) jids.push_back(row.jid);
  return std::unexpected(ApiError(
      Error{Errc::invalid_argument, fmt::format("{} has {} contacts merged into it ({}); say which by JID",
                                                ContactResolver::label(person), merged.size(), fmt::join(jids, ", "))},
      jids));
}

}  // namespace

ApiResult<std::string> contact_merge(CrmContext& ctx, std::string_view payload) {
  auto req = WACRM_TRY(parse_request<control::CrmMergeRequest>(payload));
  auto account = WACRM_TRY(account_of(ctx, req.account()));
  ContactResolver resolver(ctx.store, account);
  auto keep = WACRM_TRY(resolver.person(req.keep()));
  auto fold = WACRM_TRY(resolver.person(req.fold()));
  if (keep.id == fold.id)
    return std::unexpected(ApiError(Error{Errc::invalid_argument,
                                          fmt::format("'{}' and '{}' are already the same person ({})", req.keep(),
                                                      req.fold(), ContactResolver::label(keep))}));
  WACRM_TRY(ctx.store.merge(account, keep.id, fold.id));
  auto profile = WACRM_TRY(ctx.store.profile(account, keep.id));
  control::CrmMergeResponse res;
  to_proto(profile.person, res.mutable_person());
  for (const auto& row : profile.rows) to_proto(row, res.add_addresses());
  return serialized(res);
}

ApiResult<std::string> contact_unmerge(CrmContext& ctx, std::string_view payload) {
  auto req = WACRM_TRY(parse_request<control::CrmUnmergeRequest>(payload));
  auto account = WACRM_TRY(account_of(ctx, req.account()));
  auto row = WACRM_TRY(merged_row(ctx, account, req.contact()));
  auto previous = WACRM_TRY(ctx.store.find_people_by_address(account, row.jid));
  WACRM_TRY(ctx.store.unmerge(account, row.id));
  control::CrmUnmergeResponse res;
  to_proto(WACRM_TRY(ctx.store.person(account, row.id)), res.mutable_restored());
  if (!previous.empty()) to_proto(previous[0], res.mutable_previous());
  return serialized(res);
}

}  // namespace wacrm::crm::handlers
