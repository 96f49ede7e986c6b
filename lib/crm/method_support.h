// What every crm.* handler does around its logic: parse the request, find
// the account, default the time zone, clamp limits, serialize the response.
// Included only by the handler files (which include the generated headers).
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "crm/api_result.h"
#include "crm/crm_methods.h"

namespace wacrm::crm {

template <class Request>
ApiResult<Request> parse_request(std::string_view payload) {
  Request request;
  if (!request.ParseFromArray(payload.data(), static_cast<int>(payload.size())))
    return std::unexpected(ApiError(Error{Errc::malformed, fmt::format("the request is not a valid {}",
                                                                        Request::descriptor()->full_name())}));
  return request;
}

template <class Response>
ApiResult<std::string> serialized(const Response& response) {
  return response.SerializeAsString();
}

inline Result<std::int64_t> account_of(CrmContext& ctx, std::string_view name) {
  return ctx.store.account_id(name);
}

inline std::string time_zone_of(const CrmContext& ctx, std::string_view requested) {
  return requested.empty() ? ctx.settings.default_time_zone : std::string(requested);
}

// `requested` when in 1..max, `fallback` for 0, an error for the rest.
inline Result<int> limit_of(std::int32_t requested, int fallback, int max) {
  if (requested == 0) return fallback;
  if (requested < 0 || requested > max)
    return make_error(Errc::invalid_argument, fmt::format("limit {} is out of range: use 1 to {}", requested, max));
  return std::min<int>(requested, max);
}

}  // namespace wacrm::crm
