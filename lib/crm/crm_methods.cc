#include "crm/crm_methods.h"

#include <array>

#include "crm/method_handlers.h"

namespace wacrm::crm {

namespace {

using namespace handlers;

constexpr CrmMethod unary(std::string_view name, std::string_view help, bool writes, CrmUnaryHandler h) {
  return CrmMethod{name, help, writes, h, nullptr};
}

constexpr std::array kMethods = {
    unary("crm.pending", "conversations waiting for my reply, oldest first", false, pending),
    unary("crm.pending.dismiss", "hide a conversation from pending until their next message", true, pending_dismiss),
    unary("crm.attention", "people overdue for contact by their cadence, most overdue first", false, attention),
    unary("crm.summary", "dashboard: pending, attention, due reminders, messages today, recent chats", false, summary),
    unary("crm.contact.show", "a contact's profile and statistics", false, contact_show),
    unary("crm.contact.note.add", "add a timestamped note to a contact", true, note_add),
    unary("crm.contact.note.list", "a contact's notes, oldest first", false, note_list),
    unary("crm.contact.tag.add", "tag a contact", true, tag_add),
    unary("crm.contact.tag.remove", "remove tags from a contact", true, tag_remove),
    unary("crm.contact.list", "contacts by name, optionally with a tag", false, contact_list),
    unary("crm.contact.set", "set a contact's cadence or exclude it from attention", true, contact_set),
    unary("crm.contact.merge", "treat two contacts as one person (reversible)", true, contact_merge),
    unary("crm.contact.unmerge", "undo a merge", true, contact_unmerge),
    unary("crm.remind.add", "add a reminder, in a duration or at a date", true, remind_add),
    unary("crm.remind.list", "open reminders by due time", false, remind_list),
    unary("crm.remind.done", "mark a reminder done", true, remind_done),
    unary("crm.remind.snooze", "move a reminder later", true, remind_snooze),
    unary("crm.search", "full-text search over messages, ranked, with filters", false, search),
    CrmMethod{"crm.export", "a whole conversation as txt, json, csv or html (streamed)", false, nullptr, export_chat},
};

}  // namespace

std::span<const CrmMethod> crm_methods() { return kMethods; }

const CrmMethod* find_crm_method(std::string_view name) {
  for (const auto& m : kMethods)
    if (m.name == name) return &m;
  return nullptr;
}

}  // namespace wacrm::crm
