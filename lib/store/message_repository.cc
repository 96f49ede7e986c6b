#include "store/message_repository.h"

namespace wacrm::store {

std::string_view message_status_name(MessageStatus status) {
  switch (status) {
    case MessageStatus::sent: return "sent";
    case MessageStatus::server_ack: return "server_ack";
    case MessageStatus::delivered: return "delivered";
    case MessageStatus::read: return "read";
    case MessageStatus::played: return "played";
    case MessageStatus::failed: return "failed";
  }
  return "failed";
}

}  // namespace wacrm::store
