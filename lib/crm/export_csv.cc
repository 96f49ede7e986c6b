// CSV as RFC 4180 has it: a header row, CRLF line ends, fields holding a
// comma, a quote, CR or LF enclosed in quotes with quotes doubled. An absent
// value is an empty field.
#include "crm/export_writer.h"

namespace wacrm::crm {

namespace {

void field(std::string& out, std::string_view value, bool last = false) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += value;
  } else {
    out += '"';
    for (char c : value) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += last ? "\r\n" : ",";
}

class CsvWriter final : public ExportWriter {
 public:
  void begin(const ExportInfo&, std::string& out) override {
    out += "id,chat,sent_at,direction,sender,sender_jid,kind,body,file_name,deleted,edited\r\n";
  }

  void message(const store::ExportMessage& m, std::string& out) override {
    field(out, std::to_string(m.id));
    field(out, m.chat_jid);
    field(out, m.local_time);
    field(out, m.from_me ? "out" : "in");
    field(out, m.sender);
    field(out, m.sender_jid);
    field(out, m.kind);
    field(out, m.body ? std::string_view(*m.body) : std::string_view());
    field(out, m.file_name ? std::string_view(*m.file_name) : std::string_view());
    field(out, m.deleted ? "true" : "false");
    field(out, m.edited ? "true" : "false", true);
  }

  void end(std::string&) override {}
};

}  // namespace

std::unique_ptr<ExportWriter> make_csv_writer() { return std::make_unique<CsvWriter>(); }

}  // namespace wacrm::crm
