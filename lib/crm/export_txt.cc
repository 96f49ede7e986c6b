// Plain text: a heading, then one "[date time] Sender: text" line per
// message; continuation lines of a multi-line message are indented.
#include <fmt/format.h>

#include "crm/export_writer.h"

namespace wacrm::crm {

namespace {

class TxtWriter final : public ExportWriter {
 public:
  void begin(const ExportInfo& info, std::string& out) override {
    fmt::format_to(std::back_inserter(out), "Conversation with {}\nTimes in {}.\n\n", info.title, info.time_zone);
  }

  void message(const store::ExportMessage& m, std::string& out) override {
    fmt::format_to(std::back_inserter(out), "[{}] {}: ", wall_clock_of(m.local_time), m.sender);
    for (char c : describe_content(m)) {
      out += c;
      if (c == '\n') out += "    ";
    }
    out += '\n';
  }

  void end(std::string&) override {}
};

}  // namespace

std::unique_ptr<ExportWriter> make_txt_writer() { return std::make_unique<TxtWriter>(); }

}  // namespace wacrm::crm
