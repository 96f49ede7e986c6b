#include "crm/export_writer.h"

namespace wacrm::crm {

std::unique_ptr<ExportWriter> make_export_writer(ExportFormat format) {
  switch (format) {
    case ExportFormat::txt: return make_txt_writer();
    case ExportFormat::json_lines: return make_json_writer(false);
    case ExportFormat::json_array: return make_json_writer(true);
    case ExportFormat::csv: return make_csv_writer();
    case ExportFormat::html: return make_html_writer();
  }
  return make_txt_writer();
}

std::string describe_content(const store::ExportMessage& m) {
  std::string out;
  std::string_view text = m.body ? std::string_view(*m.body) : std::string_view();
  if (m.kind == "text") {
    out = text;
  } else if (m.kind == "placeholder") {
    out = "[message could not be decrypted]";
  } else {
    std::string kind = m.kind;
    for (char& c : kind)
      if (c == '_') c = ' ';
    out = "[" + kind;
    if (m.file_name && !m.file_name->empty()) out += ": " + *m.file_name;
    out += "]";
    if (!text.empty()) {
      out += ' ';
      out += text;
    }
  }
  if (m.edited) out += " [edited]";
  if (m.deleted) out += " [deleted]";
  return out;
}

std::string wall_clock_of(std::string_view iso) {
  // Date, 'T', HH:MM:SS: the first 19 characters of to_char's output.
  std::string out(iso.substr(0, 19));
  if (out.size() > 10) out[10] = ' ';
  return out;
}

}  // namespace wacrm::crm
