#include "crm/crm_proto.h"

#include <google/protobuf/timestamp.pb.h>

#include "control/crm.pb.h"

namespace wacrm::crm {

void to_proto(store::TimePoint t, google::protobuf::Timestamp* out) {
  using namespace std::chrono;
  auto us = duration_cast<microseconds>(t.time_since_epoch()).count();
  auto seconds = us / 1000000, micros = us % 1000000;
  if (micros < 0) {
    micros += 1000000;
    --seconds;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<std::int32_t>(micros * 1000));
}

void to_proto(const store::CrmPerson& p, control::CrmPerson* out) {
  out->set_id(p.id);
  out->set_name(p.name);
  out->set_jid(p.jid);
  if (p.phone) out->set_phone(*p.phone);
  out->set_is_group(p.is_group);
}

void to_proto(const store::CrmMessagePreview& p, control::CrmMessagePreview* out) {
  to_proto(p.sent_at, out->mutable_sent_at());
  out->set_from_me(p.from_me);
  out->set_kind(p.kind);
  out->set_text(p.text);
}

void to_proto(const store::PendingReply& p, store::TimePoint now, control::CrmPendingReply* out) {
  to_proto(p.person, out->mutable_person());
  out->set_chat_jid(p.chat_jid);
  to_proto(p.waiting_since, out->mutable_waiting_since());
  out->set_waiting_seconds(std::chrono::duration_cast<std::chrono::seconds>(now - p.waiting_since).count());
  out->set_unanswered(p.unanswered);
  to_proto(p.last, out->mutable_last_message());
}

void to_proto(const store::Reminder& r, control::CrmReminder* out) {
  out->set_id(r.id);
  if (r.person) to_proto(*r.person, out->mutable_person());
  out->set_text(r.body);
  to_proto(r.due_at, out->mutable_due_at());
  to_proto(r.created_at, out->mutable_created_at());
  if (r.done_at) to_proto(*r.done_at, out->mutable_done_at());
  out->set_notified(r.notified_at.has_value());
}

void to_proto(const store::CrmNote& n, control::CrmNote* out) {
  out->set_id(n.id);
  out->set_body(n.body);
  to_proto(n.created_at, out->mutable_created_at());
}

void to_proto(const store::CrmContactRow& row, control::CrmContactAddress* out) {
  out->set_id(row.id);
  out->set_jid(row.jid);
  if (row.lid) out->set_lid(*row.lid);
  if (row.phone) out->set_phone(*row.phone);
  if (row.full_name) out->set_full_name(*row.full_name);
  if (row.push_name) out->set_push_name(*row.push_name);
  if (row.business_name) out->set_business_name(*row.business_name);
  out->set_merged(!row.is_root);
}

}  // namespace wacrm::crm
