// JSON: one object per message, either one per line (JSON Lines) or as the
// elements of a single array written incrementally.
#include <nlohmann/json.hpp>

#include "crm/export_writer.h"

namespace wacrm::crm {

namespace {

class JsonWriter final : public ExportWriter {
 public:
  explicit JsonWriter(bool as_array) : as_array_(as_array) {}

  void begin(const ExportInfo&, std::string& out) override {
    if (as_array_) out += "[\n";
  }

  void message(const store::ExportMessage& m, std::string& out) override {
    nlohmann::ordered_json j;
    j["id"] = m.id;
    j["chat"] = m.chat_jid;
    j["sent_at"] = m.local_time;
    j["from_me"] = m.from_me;
    j["sender"] = m.sender;
    j["sender_jid"] = m.sender_jid;
    j["kind"] = m.kind;
    j["body"] = m.body ? nlohmann::ordered_json(*m.body) : nlohmann::ordered_json(nullptr);
    j["file_name"] = m.file_name ? nlohmann::ordered_json(*m.file_name) : nlohmann::ordered_json(nullptr);
    j["deleted"] = m.deleted;
    j["edited"] = m.edited;
    if (as_array_ && !first_) out += ",\n";
    first_ = false;
    // Invalid UTF-8 (it should not happen, but bodies come from the network)
    // becomes U+FFFD instead of aborting the export.
    out += j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    if (!as_array_) out += '\n';
  }

  void end(std::string& out) override {
    if (as_array_) out += first_ ? "]\n" : "\n]\n";
  }

 private:
  bool as_array_;
  bool first_ = true;
};

}  // namespace

std::unique_ptr<ExportWriter> make_json_writer(bool as_array) { return std::make_unique<JsonWriter>(as_array); }

}  // namespace wacrm::crm
