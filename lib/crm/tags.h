// Tag names: what the user types is checked and normalized once, here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace wacrm::crm {

// 1 to 64 characters without white space; ASCII letters are lowered, so
// "Work" and "work" are one tag. Errc::invalid_argument quoting the tag.
Result<std::string> normalize_tag(std::string_view tag);
// Every tag normalized, duplicates dropped, order kept; an error for the
// first bad one (and none when the list is empty).
Result<std::vector<std::string>> normalize_tags(const std::vector<std::string>& tags);

}  // namespace wacrm::crm
