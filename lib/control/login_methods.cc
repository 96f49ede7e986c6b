#include "control/login_methods.h"

#include "control/envelope.pb.h"
#include "control/login.pb.h"
#include "control/method_table.h"
#include "store/account_repository.h"

namespace wacrm::control {
namespace {

void login(LinkService& service, Call call) {
  LoginRequest request;
  if (!call.parse(request)) return;
  if (auto valid = store::validate_account_name(request.account()); !valid) return call.reply.fail(valid.error());
  Responder reply = call.reply;
  service.login(request.account(), request.phone(), LinkService::LoginStream{
                                        [reply](const LoginUpdate& update) { reply.more(update); },
                                        [reply](Result<LoginUpdate> final) {
                                          if (!final) return reply.fail(final.error());
                                          reply.ok(*final);
                                        }});
}

void logout(LinkService& service, Call call) {
  LogoutRequest request;
  if (!call.parse(request)) return;
  if (auto valid = store::validate_account_name(request.account()); !valid) return call.reply.fail(valid.error());
  if (!request.confirm()) {
    call.reply.fail(STATUS_FAILED_PRECONDITION,
                    "logging out '" + request.account() +
                        "' unlinks this device from its WhatsApp account and deletes the device keys "
                        "(messages and contacts stay); pass --yes (confirm) to log out");
    return;
  }
  service.logout(request.account(), [reply = call.reply](Result<LogoutResponse> done) {
    if (!done) return reply.fail(done.error());
    reply.ok(*done);
  });
}

}  // namespace

void register_login_methods(MethodTable& table, LinkService& service) {
  table.add({"login", "link a WhatsApp account by QR code, or by pairing code with phone (streams codes and progress): account, phone", true,
             [&service](Call call) { login(service, std::move(call)); }});
  table.add({"logout", "unlink a WhatsApp account and delete its device keys (data stays): account, confirm", true,
             [&service](Call call) { logout(service, std::move(call)); }});
}

}  // namespace wacrm::control
