// Store records -> wacrm.control messages (proto/control/crm.proto). The
// generated headers stay out of this header: only forward declarations.
#pragma once

#include "store/crm_store.h"

namespace google::protobuf {
class Timestamp;
}
namespace wacrm::control {
class CrmPerson;
class CrmMessagePreview;
class CrmPendingReply;
class CrmReminder;
class CrmNote;
class CrmContactAddress;
}  // namespace wacrm::control

namespace wacrm::crm {

void to_proto(store::TimePoint t, google::protobuf::Timestamp* out);
void to_proto(const store::CrmPerson& p, control::CrmPerson* out);
void to_proto(const store::CrmMessagePreview& p, control::CrmMessagePreview* out);
// waiting_seconds is counted up to `now`.
void to_proto(const store::PendingReply& p, store::TimePoint now, control::CrmPendingReply* out);
void to_proto(const store::Reminder& r, control::CrmReminder* out);
void to_proto(const store::CrmNote& n, control::CrmNote* out);
void to_proto(const store::CrmContactRow& row, control::CrmContactAddress* out);

}  // namespace wacrm::crm
