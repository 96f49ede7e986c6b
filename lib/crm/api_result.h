// Results of CRM operations: an Error plus, when the user named something we
// could not pin down, suggestions to pick from (the envelope's
// Response.suggestions). Converts from a plain Error, so WACRM_TRY works on
// store results inside functions returning ApiResult.
#pragma once

#include <expected>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"

namespace wacrm::crm {

struct ApiError {
  Error error;
  std::vector<std::string> suggestions;

  ApiError(Error e) : error(std::move(e)) {}  // NOLINT(google-explicit-constructor): a plain error has none
  ApiError(Error e, std::vector<std::string> s) : error(std::move(e)), suggestions(std::move(s)) {}
};

template <class T>
using ApiResult = std::expected<T, ApiError>;
using ApiStatus = std::expected<void, ApiError>;

}  // namespace wacrm::crm
