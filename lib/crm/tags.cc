#include "crm/tags.h"

#include <fmt/format.h>

#include <algorithm>

namespace wacrm::crm {

Result<std::string> normalize_tag(std::string_view tag) {
  std::size_t characters = 0;
  std::string out;
  for (unsigned char c : tag) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
      return make_error(Errc::invalid_argument,
                        fmt::format("invalid tag '{}': tags are 1 to 64 characters without spaces", tag));
    if ((c & 0xC0) != 0x80) ++characters;   // count UTF-8 lead bytes
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  if (characters == 0 || characters > 64)
    return make_error(Errc::invalid_argument,
                      fmt::format("invalid tag '{}': tags are 1 to 64 characters without spaces", tag));
  return out;
}

Result<std::vector<std::string>> normalize_tags(const std::vector<std::string>& tags) {
  if (tags.empty()) return make_error(Errc::invalid_argument, "no tag given");
  std::vector<std::string> out;
  for (const auto& t : tags) {
    auto tag = WACRM_TRY(normalize_tag(t));
    if (std::find(out.begin(), out.end(), tag) == out.end()) out.push_back(std::move(tag));
  }
  return out;
}

}  // namespace wacrm::crm
