// Time zone names in the configuration (crm.time-zone): checked against the
// system's tz database, which PostgreSQL on Debian uses too, and the system's
// own zone for when none is configured.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace wacrm::config {

// An IANA name the tz database knows ("Europe/Berlin", "UTC").
// Errc::invalid_argument quoting the name.
Status check_time_zone_name(std::string_view name);

// The system's zone: $TZ when it names one, else /etc/timezone, else the
// target of /etc/localtime; "UTC" when none of them says.
std::string system_time_zone();

}  // namespace wacrm::config
