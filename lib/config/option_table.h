// One table of options (key, type, default, help) that feeds everything a
// daemon's configuration touches: Boost.Program_options for the command line
// and the INI-style config file, --help, the shipped example config file, and
// value validation with messages naming the file and line.
//
// Keys are "section.name" ("control.socket") or a plain top-level "name"
// ("state-dir"). On the command line they are long options
// (--control.socket=PATH); in the file they are `name = value` under a
// `[section]` header, top-level keys before any section.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <boost/program_options/options_description.hpp>

#include "base/error.h"

namespace wacrm::config {

// duration: as wacrm::parse_duration reads it ("30s", "24h", "1d12h");
// time_zone: an IANA name the tz database knows, or empty (the system's).
enum class OptionType { string, path, boolean, integer, choice, duration, time_zone };

struct OptionSpec {
  std::string_view key;
  OptionType type = OptionType::string;
  std::string_view default_value;
  std::string_view help;
  // choice: the allowed values, '|'-separated ("system|session").
  std::string_view choices = {};
  // integer: inclusive bounds.
  std::int64_t min = 0;
  std::int64_t max = 0;
  // false: reserved for a later release; accepted and documented, not acted on.
  bool used = true;
  // When the default depends on the build (an install prefix), the value the
  // example file shows; empty = default_value.
  std::string_view shown_default = {};
};

// Where a setting's value came from, for messages.
struct Setting {
  std::string value;
  std::string origin;   // "default", "command line", or "FILE:LINE"
};

class OptionTable {
 public:
  explicit OptionTable(std::span<const OptionSpec> specs) : specs_(specs) {}

  std::span<const OptionSpec> specs() const { return specs_; }
  const OptionSpec* find(std::string_view key) const;

  // For Program_options: every key as a string-valued long option, help text
  // with the default ("[default: X]") and "(not used yet)" where true.
  boost::program_options::options_description description(const std::string& caption) const;

  // Defaults for every key, then the file (when given) over them, then the
  // command-line values (already parsed into `command_line`) over those.
  // Every value is validated against its type. Errors (Errc::invalid_argument)
  // name the source: "FILE:LINE: unknown option 'x'", "--log.level: ...".
  Result<std::map<std::string, Setting>> resolve(const std::optional<std::filesystem::path>& file,
                                                 const std::map<std::string, std::string>& command_line) const;

  // The example configuration file: a header, then every key commented out
  // with its help and default, top-level keys first, one [section] per group.
  std::string render_example(std::string_view header) const;

  // Errc::invalid_argument with a message (without the source) when value
  // does not fit spec's type.
  static Status validate(const OptionSpec& spec, std::string_view value);

 private:
  std::span<const OptionSpec> specs_;
};

// Typed accessors; the value has been validated, so these do not fail.
bool as_bool(const Setting& setting);
std::int64_t as_int(const Setting& setting);
std::chrono::seconds as_duration(const Setting& setting);

}  // namespace wacrm::config
