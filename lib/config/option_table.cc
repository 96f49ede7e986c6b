#include "config/option_table.h"

#include "base/duration.h"
#include "config/time_zone.h"

#include <boost/program_options/errors.hpp>
#include <boost/program_options/parsers.hpp>
#include <boost/program_options/variables_map.hpp>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <vector>

namespace wacrm::config {

namespace po = boost::program_options;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string_view section_of(std::string_view key) {
  auto dot = key.find('.');
  return dot == std::string_view::npos ? std::string_view{} : key.substr(0, dot);
}

std::string_view name_of(std::string_view key) {
  auto dot = key.find('.');
  return dot == std::string_view::npos ? key : key.substr(dot + 1);
}

std::string_view shown_default(const OptionSpec& spec) {
  return spec.shown_default.empty() ? spec.default_value : spec.shown_default;
}

std::optional<bool> parse_bool(std::string_view v) {
  // The spellings Program_options accepts for bool values.
  for (auto t : {"true", "yes", "on", "1"})
    if (v == t) return true;
  for (auto f : {"false", "no", "off", "0"})
    if (v == f) return false;
  return std::nullopt;
}

std::optional<std::int64_t> parse_int(std::string_view v) {
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || end != v.data() + v.size() || v.empty()) return std::nullopt;
  return out;
}

std::string_view value_name(const OptionSpec& spec) {
  switch (spec.type) {
    case OptionType::path: return "PATH";
    case OptionType::boolean: return "BOOL";
    case OptionType::integer: return "N";
    case OptionType::choice: return spec.choices;
    case OptionType::duration: return "DURATION";
    case OptionType::time_zone: return "ZONE";
    case OptionType::string: break;
  }
  return "TEXT";
}

std::string full_help(const OptionSpec& spec) {
  std::string help(spec.help);
  if (!spec.used) help += " (not used yet)";
  help += " [default: ";
  help += spec.default_value.empty() ? "empty" : std::string(spec.default_value);
  help += "]";
  return help;
}

// Where each key is set in a config file, checking the line syntax on the way
// (Program_options reports bad lines and keys without their line number).
struct FileScan {
  std::map<std::string, int> lines;   // key -> line number
};

Result<FileScan> scan_file(const std::string& text, const std::string& file) {
  FileScan scan;
  std::string section;
  std::istringstream in(text);
  std::string raw;
  int number = 0;
  while (std::getline(in, raw)) {
    ++number;
    std::string_view line = raw;
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim(line);
    if (line.empty()) continue;
    const std::string where = file + ":" + std::to_string(number) + ": ";
    if (line.front() == '[') {
      if (line.back() != ']' || line.size() < 3)
        return make_error(Errc::invalid_argument, where + "malformed section header '" + std::string(line) + "'");
      section = std::string(trim(line.substr(1, line.size() - 2)));
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string_view::npos || trim(line.substr(0, eq)).empty())
      return make_error(Errc::invalid_argument,
                        where + "expected 'name = value' or '[section]', found '" + std::string(line) + "'");
    std::string key = std::string(trim(line.substr(0, eq)));
    if (!section.empty()) key = section + "." + key;
    auto [it, fresh] = scan.lines.emplace(key, number);
    if (!fresh)
      return make_error(Errc::invalid_argument,
                        where + "'" + key + "' is already set on line " + std::to_string(it->second));
  }
  return scan;
}

}  // namespace

const OptionSpec* OptionTable::find(std::string_view key) const {
  for (const auto& spec : specs_)
    if (spec.key == key) return &spec;
  return nullptr;
}

po::options_description OptionTable::description(const std::string& caption) const {
  po::options_description desc(caption);
  for (const auto& spec : specs_) {
    desc.add_options()(std::string(spec.key).c_str(),
                       po::value<std::string>()->value_name(std::string(value_name(spec))),
                       full_help(spec).c_str());
  }
  return desc;
}

Status OptionTable::validate(const OptionSpec& spec, std::string_view value) {
  switch (spec.type) {
    case OptionType::string:
      return {};
    case OptionType::path:
      if (!value.empty() && value.front() != '/')
        return make_error(Errc::invalid_argument, "'" + std::string(value) + "' is not an absolute path");
      return {};
    case OptionType::boolean:
      if (!parse_bool(value))
        return make_error(Errc::invalid_argument,
                          "'" + std::string(value) + "' is not a boolean (true/false, yes/no, on/off, 1/0)");
      return {};
    case OptionType::integer: {
      auto n = parse_int(value);
      if (!n) return make_error(Errc::invalid_argument, "'" + std::string(value) + "' is not a whole number");
      if (*n < spec.min || *n > spec.max)
        return make_error(Errc::invalid_argument, std::string(value) + " is outside " + std::to_string(spec.min) +
                                                      ".." + std::to_string(spec.max));
      return {};
    }
    case OptionType::choice: {
      std::string_view rest = spec.choices;
      while (!rest.empty()) {
        auto bar = rest.find('|');
        if (rest.substr(0, bar) == value) return {};
        rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
      }
      return make_error(Errc::invalid_argument,
                        "'" + std::string(value) + "' is not one of " + std::string(spec.choices));
    }
    case OptionType::duration:
      if (auto parsed = parse_duration(value); !parsed) return std::unexpected(parsed.error());
      return {};
    case OptionType::time_zone:
      if (value.empty()) return {};
      return check_time_zone_name(value);
  }
  return {};
}

Result<std::map<std::string, Setting>> OptionTable::resolve(
    const std::optional<std::filesystem::path>& file, const std::map<std::string, std::string>& command_line) const {
  std::map<std::string, Setting> settings;
  for (const auto& spec : specs_) settings[std::string(spec.key)] = {std::string(spec.default_value), "default"};

  if (file) {
    const std::string name = file->string();
    std::ifstream in(*file);
    if (!in) return make_error(Errc::invalid_argument, "cannot read config file '" + name + "'");
    std::stringstream text;
    text << in.rdbuf();
    auto scan = WACRM_TRY(scan_file(text.str(), name));

    po::variables_map values;
    try {
      std::istringstream stream(text.str());
      po::store(po::parse_config_file(stream, description(""), false), values);
    } catch (const po::error_with_option_name& e) {
      std::string key = e.get_option_name();
      if (key.rfind("--", 0) == 0) key.erase(0, 2);
      auto line = scan.lines.find(key);
      std::string where = name + (line != scan.lines.end() ? ":" + std::to_string(line->second) : "");
      if (dynamic_cast<const po::unknown_option*>(&e))
        return make_error(Errc::invalid_argument, where + ": unknown option '" + key + "'");
      return make_error(Errc::invalid_argument, where + ": " + e.what());
    } catch (const po::error& e) {
      return make_error(Errc::invalid_argument, name + ": " + e.what());
    }
    for (const auto& [key, line] : scan.lines) {
      if (!values.count(key)) continue;
      settings[key] = {values[key].as<std::string>(), name + ":" + std::to_string(line)};
    }
  }

  for (const auto& [key, value] : command_line) {
    if (!find(key)) return make_error(Errc::invalid_argument, "unknown option '--" + key + "'");
    settings[key] = {value, "command line"};
  }

  for (const auto& [key, setting] : settings) {
    if (setting.origin == "default") continue;
    if (auto ok = validate(*find(key), setting.value); !ok) {
      std::string where = setting.origin == "command line" ? "--" + key : setting.origin + ": " + key;
      return make_error(Errc::invalid_argument, where + ": " + ok.error().message);
    }
  }
  return settings;
}

std::string OptionTable::render_example(std::string_view header) const {
  std::string out;
  std::istringstream lines{std::string(header)};
  for (std::string line; std::getline(lines, line);) out += line.empty() ? "#\n" : "# " + line + "\n";

  auto render = [&out](const OptionSpec& spec) {
    out += "\n";
    std::string help(spec.help);
    if (!spec.used) help += " (Not used yet.)";
    // Wrap the help at 78 columns, after "# ".
    std::istringstream words(help);
    std::string line;
    for (std::string word; words >> word;) {
      if (!line.empty() && line.size() + 1 + word.size() > 76) {
        out += "# " + line + "\n";
        line.clear();
      }
      line += line.empty() ? word : " " + word;
    }
    if (!line.empty()) out += "# " + line + "\n";
    std::string value(shown_default(spec));
    out += "#" + std::string(name_of(spec.key)) + " =" + (value.empty() ? "" : " " + value) + "\n";
  };

  for (const auto& spec : specs_)
    if (section_of(spec.key).empty()) render(spec);
  std::vector<std::string_view> sections;
  for (const auto& spec : specs_) {
    auto section = section_of(spec.key);
    if (!section.empty() && std::find(sections.begin(), sections.end(), section) == sections.end())
      sections.push_back(section);
  }
  for (auto section : sections) {
    out += "\n[" + std::string(section) + "]\n";
    for (const auto& spec : specs_)
      if (section_of(spec.key) == section) render(spec);
  }
  return out;
}

bool as_bool(const Setting& setting) { return parse_bool(setting.value).value_or(false); }
std::int64_t as_int(const Setting& setting) { return parse_int(setting.value).value_or(0); }
std::chrono::seconds as_duration(const Setting& setting) {
  return parse_duration(setting.value).value_or(std::chrono::seconds(0));
}

}  // namespace wacrm::config
