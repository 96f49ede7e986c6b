#include "crm_format.h"

#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <ctime>

#include <google/protobuf/timestamp.pb.h>

#include "control/crm.pb.h"

namespace wacrm::ctl::crm_format {

namespace po = boost::program_options;

std::string when(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "-";
  std::time_t secs = static_cast<std::time_t>(t.seconds());
  std::tm tm{};
  localtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M", &tm);
  return buf;
}

std::string span(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  const std::pair<std::int64_t, const char*> units[] = {{604800, "w"}, {86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
  std::string out;
  int parts = 0;
  for (auto [size, name] : units) {
    if (seconds >= size && parts < 2) {
      out += (out.empty() ? "" : " ") + std::to_string(seconds / size) + name;
      seconds %= size;
      ++parts;
    } else if (parts > 0) {
      break;   // two adjacent units at most: "3d 4h", not "3d 0h 5m"
    }
  }
  return out.empty() ? "0s" : out;
}

std::string person(const control::CrmPerson& p) {
  if (p.is_group()) return p.name() + " (group)";
  if (!p.phone().empty() && p.name() != "+" + p.phone()) return p.name() + " (+" + p.phone() + ")";
  return p.name();
}

std::string preview(const control::CrmMessagePreview& m) {
  std::string text = m.text();
  for (char& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (m.kind() != "text") text = "[" + m.kind() + "]" + (text.empty() ? "" : " " + text);
  return (m.from_me() ? "> " : "< ") + text;
}

std::string local_time_zone() {
  if (const char* tz = std::getenv("TZ"); tz && *tz) {
    std::string name = tz[0] == ':' ? tz + 1 : tz;
    if (name.find('/') != std::string::npos && name[0] != '/') return name;
    if (name == "UTC") return name;
  }
  char target[PATH_MAX];
  auto n = ::readlink("/etc/localtime", target, sizeof(target) - 1);
  if (n > 0) {
    std::string link(target, static_cast<std::size_t>(n));
    auto at = link.find("zoneinfo/");
    if (at != std::string::npos) return link.substr(at + 9);
  }
  return "";
}

void add_account_option(po::options_description& desc) {
  desc.add_options()("account,a", po::value<std::string>()->value_name("NAME"),
                     "the account (needed only when wacrmd serves several)");
}

void add_time_zone_option(po::options_description& desc) {
  desc.add_options()("tz", po::value<std::string>()->value_name("ZONE"),
                     "IANA time zone for dates and hours [default: this machine's]");
}

std::string account(const po::variables_map& vm) {
  return vm.count("account") ? vm["account"].as<std::string>() : std::string();
}

bool account_or_argument(Invocation& inv, std::string& out) {
  out = account(inv.options);
  if (inv.args.empty()) return true;
  if (!out.empty() && out != inv.args[0]) {
    inv.session.err() << "wacrmctl: the account is given twice, as '" << inv.args[0] << "' and --account '" << out
                      << "'\n";
    return false;
  }
  out = inv.args[0];
  return true;
}

std::string time_zone(const po::variables_map& vm) {
  return vm.count("tz") ? vm["tz"].as<std::string>() : local_time_zone();
}

}  // namespace wacrm::ctl::crm_format
