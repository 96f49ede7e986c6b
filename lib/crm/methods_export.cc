// crm.export: streamed as CrmExportChunk payloads.
#include "control/crm.pb.h"
#include "crm/contact_resolver.h"
#include "crm/exporter.h"
#include "crm/method_handlers.h"
#include "crm/method_support.h"

namespace wacrm::crm::handlers {

namespace {

ExportFormat format_of(const control::CrmExportRequest& req) {
  switch (req.format()) {
    case control::CRM_EXPORT_FORMAT_JSON: return req.json_array() ? ExportFormat::json_array : ExportFormat::json_lines;
    case control::CRM_EXPORT_FORMAT_CSV: return ExportFormat::csv;
    case control::CRM_EXPORT_FORMAT_HTML: return ExportFormat::html;
    default: return ExportFormat::txt;
  }
}

}  // namespace

ApiStatus export_chat(CrmContext& ctx, std::string_view payload, const CrmStreamSink& sink) {
  auto req = WACRM_TRY(parse_request<control::CrmExportRequest>(payload));
  if (!control::CrmExportFormat_IsValid(req.format()))
    return std::unexpected(ApiError(Error{Errc::invalid_argument, fmt::format("unknown export format {}: use txt, json, csv or html", static_cast<int>(req.format()))}));
  auto account = WACRM_TRY(account_of(ctx, req.account()));
  auto conversation = WACRM_TRY(ContactResolver(ctx.store, account).conversation(req.contact()));
  ExportInfo info{conversation.title, time_zone_of(ctx, req.time_zone())};
  bool first = true;
  WACRM_TRY(export_conversation(ctx.store, account, conversation.chat_ids(), info, format_of(req), ctx.settings,
                                [&](std::string_view data, std::int64_t messages, bool last) -> Status {
                                  control::CrmExportChunk chunk;
                                  chunk.set_data(std::string(data));
                                  chunk.set_messages(messages);
                                  if (first) chunk.set_title(info.title);
                                  first = false;
                                  return sink(chunk.SerializeAsString(), last);
                                }));
  return {};
}

}  // namespace wacrm::crm::handlers
