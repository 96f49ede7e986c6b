// Conversation export formats. A writer turns messages into bytes appended
// to a buffer; the exporter (exporter.h) feeds it batch by batch and sends
// the buffer on, so no format needs the whole conversation at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "store/crm_store.h"

namespace wacrm::crm {

enum class ExportFormat { txt, json_lines, json_array, csv, html };

struct ExportInfo {
  std::string title;       // "Bob (+15551234567)"
  std::string time_zone;   // of every local time in the export
};

class ExportWriter {
 public:
  virtual ~ExportWriter() = default;
  virtual void begin(const ExportInfo& info, std::string& out) = 0;
  virtual void message(const store::ExportMessage& m, std::string& out) = 0;
  virtual void end(std::string& out) = 0;
};

std::unique_ptr<ExportWriter> make_export_writer(ExportFormat format);

// For the human formats (txt, html): the message's content in one string,
// "[image] caption", "[document: a.pdf]", "[message could not be
// decrypted]", with " [edited]" / " [deleted]" after it.
std::string describe_content(const store::ExportMessage& m);
// "2024-06-01T09:30:05+02:00" -> "2024-06-01 09:30:05".
std::string wall_clock_of(std::string_view iso_local_time);

// One writer per format (export_*.cc).
std::unique_ptr<ExportWriter> make_txt_writer();
std::unique_ptr<ExportWriter> make_json_writer(bool as_array);
std::unique_ptr<ExportWriter> make_csv_writer();
std::unique_ptr<ExportWriter> make_html_writer();

}  // namespace wacrm::crm
