#include "config/time_zone.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace wacrm::config {

namespace {

namespace fs = std::filesystem;

constexpr const char* kZoneInfo = "/usr/share/zoneinfo";

bool plausible_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.find("..") != std::string_view::npos)
    return false;
  for (char c : name)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '_' ||
          c == '-' || c == '+'))
      return false;
  return true;
}

bool known(std::string_view name) {
  if (name == "UTC") return true;
  std::error_code ec;
  return plausible_name(name) && fs::is_regular_file(fs::path(kZoneInfo) / std::string(name), ec);
}

}  // namespace

Status check_time_zone_name(std::string_view name) {
  if (known(name)) return {};
  return make_error(Errc::invalid_argument, "'" + std::string(name) +
                                                "' is not a time zone of the tz database (an IANA name such as "
                                                "Europe/Berlin or America/New_York, or UTC)");
}

std::string system_time_zone() {
  if (const char* tz = std::getenv("TZ"); tz && *tz) {
    std::string_view name = tz;
    if (name.front() == ':') name.remove_prefix(1);
    if (known(name)) return std::string(name);
  }
  if (std::ifstream in("/etc/timezone"); in) {
    std::string name;
    if (std::getline(in, name) && known(name)) return name;
  }
  std::error_code ec;
  auto target = fs::read_symlink("/etc/localtime", ec).string();
  if (!ec) {
    auto at = target.find("zoneinfo/");
    if (at != std::string::npos) {
      std::string name = target.substr(at + 9);
      if (known(name)) return name;
    }
  }
  return "UTC";
}

}  // namespace wacrm::config
