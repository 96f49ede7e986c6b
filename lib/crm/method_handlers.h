// The handlers the crm.* method table (crm_methods.cc) points at, one file
// per area: methods_conversations.cc, methods_contacts.cc, methods_merge.cc,
// methods_reminders.cc, methods_search.cc, methods_export.cc.
#pragma once

#include "crm/crm_methods.h"

namespace wacrm::crm::handlers {

ApiResult<std::string> pending(CrmContext& ctx, std::string_view payload);
ApiResult<std::string> pending_dismiss(CrmContext& ctx, std::string_view payload);
ApiResult<std::string> attention(CrmContext& ctx, std::string_view payload);
ApiResult<std::string> summary(CrmContext& ctx, std::string_view payload);

ApiResult<std::string> contact_show(CrmContext& ctx, std::string_view payload);
ApiResult<std::string> note_add(CrmContext& ctx, std::string_view payload);
ApiResult<std::string> note_list(CrmContext& ctx, std::string_view payload);
ApiResult<std::string> tag_add(CrmContext& ctx, std::string_view payload);
ApiResult<std::string> tag_remove(CrmContext& ctx, std::string_view payload);
ApiResult<std::string> contact_list(CrmContext& ctx, std::string_view payload);
ApiResult<std::string> contact_set(CrmContext& ctx, std::string_view payload);
ApiResult<std::string> contact_merge(CrmContext& ctx, std::string_view payload);
ApiResult<std::string> contact_unmerge(CrmContext& ctx, std::string_view payload);

ApiResult<std::string> remind_add(CrmContext& ctx, std::string_view payload);
ApiResult<std::string> remind_list(CrmContext& ctx, std::string_view payload);
ApiResult<std::string> remind_done(CrmContext& ctx, std::string_view payload);
ApiResult<std::string> remind_snooze(CrmContext& ctx, std::string_view payload);

ApiResult<std::string> search(CrmContext& ctx, std::string_view payload);
ApiStatus export_chat(CrmContext& ctx, std::string_view payload, const CrmStreamSink& sink);

}  // namespace wacrm::crm::handlers
