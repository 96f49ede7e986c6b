// Streams a conversation out in a format, chunk by chunk: rows come from the
// store's cursor a batch at a time, a chunk goes to the sink whenever the
// buffer passes CrmSettings::export_chunk_bytes, and the final chunk (with
// the format's closing part) is marked last. Memory stays at about one batch
// plus one chunk whatever the conversation's length.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

#include "base/error.h"
#include "crm/crm_settings.h"
#include "crm/export_writer.h"
#include "store/crm_store.h"

namespace wacrm::crm {

// Called with each chunk's bytes, the number of messages written so far and
// whether this is the last chunk. An error stops the export.
using ExportChunkSink = std::function<Status(std::string_view data, std::int64_t messages, bool last)>;

Status export_conversation(store::CrmStore& store, std::int64_t account_id, std::span<const std::int64_t> chat_ids,
                           const ExportInfo& info, ExportFormat format, const CrmSettings& settings,
                           const ExportChunkSink& sink);

}  // namespace wacrm::crm
