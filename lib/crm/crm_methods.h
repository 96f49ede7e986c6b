// The "crm.*" API methods: request bytes in (a serialized message of
// proto/control/crm.proto), logic on a CrmStore, response bytes out. Every
// door (control socket, HTTP, D-Bus) serves these same handlers; lib/control
// registers them from this table.
//
// Unary methods return one response payload. Streaming methods (crm.export)
// hand each response payload to a sink, marking the last one; the door sends
// them as Responses with more=true until the last. Errors carry suggestions
// for the envelope's Response.suggestions (unknown or ambiguous contacts).
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "crm/api_result.h"
#include "crm/crm_settings.h"
#include "store/crm_store.h"

namespace wacrm::crm {

// What one call works with. The store is usually a PgCrmStore made on the
// pool connection that runs the call.
struct CrmContext {
  store::CrmStore& store;
  const CrmSettings& settings;
  store::TimePoint now;
};

using CrmUnaryHandler = ApiResult<std::string> (*)(CrmContext& ctx, std::string_view payload);
using CrmStreamSink = std::function<Status(std::string payload, bool last)>;
using CrmStreamHandler = ApiStatus (*)(CrmContext& ctx, std::string_view payload, const CrmStreamSink& sink);

struct CrmMethod {
  std::string_view name;      // "crm.pending"
  std::string_view help;      // one line, for the daemon's "help"
  bool writes;                // changes stored data
  CrmUnaryHandler unary;      // exactly one of unary and stream is set
  CrmStreamHandler stream;
};

std::span<const CrmMethod> crm_methods();
// nullptr for a name not in the table.
const CrmMethod* find_crm_method(std::string_view name);

}  // namespace wacrm::crm
