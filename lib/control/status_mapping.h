// The one place wacrm::Errc becomes a control-socket StatusCode.
#pragma once

#include "base/error.h"

namespace wacrm::control {

enum StatusCode : int;  // proto/control/envelope.proto

StatusCode status_for(Errc code);

}  // namespace wacrm::control
