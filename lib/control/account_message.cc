#include "control/account_message.h"

#include <google/protobuf/timestamp.pb.h>

#include "control/daemon.pb.h"

namespace wacrm::control {
namespace {

void fill_time(std::chrono::system_clock::time_point t, google::protobuf::Timestamp& out) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  auto seconds = ns / 1'000'000'000;
  auto nanos = ns % 1'000'000'000;
  if (nanos < 0) {
    nanos += 1'000'000'000;
    --seconds;
  }
  out.set_seconds(seconds);
  out.set_nanos(static_cast<std::int32_t>(nanos));
}

LinkState to_proto(store::LinkState state) {
  switch (state) {
    case store::LinkState::unlinked: return LINK_STATE_UNLINKED;
    case store::LinkState::linked: return LINK_STATE_LINKED;
    case store::LinkState::logged_out: return LINK_STATE_LOGGED_OUT;
  }
  return LINK_STATE_UNLINKED;
}

}  // namespace

void fill_account(const store::Account& account, Account& out) {
  out.set_id(account.id);
  out.set_name(account.name);
  fill_time(account.created_at, *out.mutable_created_at());
  out.set_link_state(to_proto(account.link_state));
  if (account.jid) out.set_jid(*account.jid);
  if (account.lid) out.set_lid(*account.lid);
  if (account.push_name) out.set_push_name(*account.push_name);
  if (account.linked_at) fill_time(*account.linked_at, *out.mutable_linked_at());
}

}  // namespace wacrm::control
