// Durations as people type them; the parser lives in lib/base (the daemon's
// config reads durations too).
#pragma once

#include "base/duration.h"

namespace wacrm::crm {

using wacrm::parse_duration;

}  // namespace wacrm::crm
