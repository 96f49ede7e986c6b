#include "crm/exporter.h"

#include <string>

namespace wacrm::crm {

Status export_conversation(store::CrmStore& store, std::int64_t account_id, std::span<const std::int64_t> chat_ids,
                           const ExportInfo& info, ExportFormat format, const CrmSettings& settings,
                           const ExportChunkSink& sink) {
  auto writer = make_export_writer(format);
  std::string buffer;
  buffer.reserve(settings.export_chunk_bytes + 4096);
  std::int64_t written = 0;
  writer->begin(info, buffer);
  WACRM_TRY(store.export_messages(account_id, chat_ids, info.time_zone, settings.export_batch_rows,
                                  [&](std::span<const store::ExportMessage> batch) -> Status {
                                    for (const auto& m : batch) {
                                      writer->message(m, buffer);
                                      ++written;
                                      if (buffer.size() >= settings.export_chunk_bytes) {
                                        WACRM_TRY(sink(buffer, written, false));
                                        buffer.clear();
                                      }
                                    }
                                    return {};
                                  }));
  writer->end(buffer);
  return sink(buffer, written, true);
}

}  // namespace wacrm::crm
