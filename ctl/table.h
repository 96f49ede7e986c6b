// Aligned text tables for wacrmctl's human output.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace wacrm::ctl {

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  // Control characters in cells are neutralized (see table.cc).
  void add_row(std::vector<std::string> cells);
  bool empty() const { return rows_.empty(); }
  // Columns separated by two spaces, padded to the widest cell (UTF-8 aware);
  // the last column is not padded.
  void print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace wacrm::ctl
