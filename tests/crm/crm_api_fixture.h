// CRM API tests: the store fixture plus a call through the crm.* method
// table with real protobuf bytes, as a door would make it.
#pragma once

#include "control/crm.pb.h"
#include "crm/crm_methods.h"
#include "crm/crm_store_fixture.h"

namespace wacrm::testing {

class CrmApiTest : public CrmStoreTest {
 protected:
  CrmApiTest() { settings_.default_time_zone = "Europe/Berlin"; }

  template <class Response, class Request>
  crm::ApiResult<Response> call(std::string_view method, const Request& request) {
    const auto* m = crm::find_crm_method(method);
    if (!m || !m->unary) return std::unexpected(crm::ApiError(Error{Errc::not_found, "no such unary method"}));
    crm::CrmContext ctx{store_, settings_, now_};
    auto bytes = WACRM_TRY(m->unary(ctx, request.SerializeAsString()));
    Response response;
    if (!response.ParseFromString(bytes)) return std::unexpected(crm::ApiError(Error{Errc::malformed, "bad response"}));
    return response;
  }

  // The value of a call that must succeed.
  template <class T>
  static T ok(crm::ApiResult<T> r) {
    if (!r) {
      ADD_FAILURE() << r.error().error.to_string();
      return T{};
    }
    return std::move(*r);
  }
  using CrmStoreTest::ok;

  crm::CrmSettings settings_;
  TimePoint now_ = kNow;
};

}  // namespace wacrm::testing
