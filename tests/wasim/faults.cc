#include "wasim/faults.h"

#include <array>
#include <set>
#include <utility>

namespace wacrm::wasim {

namespace {

constexpr std::array<std::pair<CertFault, const char*>, 6> kCertFaultNames = {{
    {CertFault::wrong_root, "wrong_root"},
    {CertFault::bad_intermediate_signature, "bad_intermediate_signature"},
    {CertFault::bad_leaf_signature, "bad_leaf_signature"},
    {CertFault::leaf_key_mismatch, "leaf_key_mismatch"},
    {CertFault::expired, "expired"},
    {CertFault::issuer_serial, "issuer_serial"},
}};

// The <failure reason>s a login can be refused with (notes 01 §8.1).
const std::set<int> kLoginFailureReasons = {401, 402, 403, 405, 406, 409, 500, 503};

// "times": N uses (default 1), -1 until cleared.
Result<int> times_of(const nlohmann::json& request) {
  auto it = request.find("times");
  if (it == request.end()) return 1;
  if (!it->is_number_integer() || it->get<int>() == 0 || it->get<int>() < -1)
    return make_error(Errc::invalid_argument, "'times' must be a positive count or -1");
  return it->get<int>();
}

}  // namespace

std::string cert_fault_name(CertFault fault) {
  for (const auto& [value, name] : kCertFaultNames)
    if (value == fault) return name;
  return "?";
}

bool Faults::Armed::take() {
  if (remaining == 0) return false;
  if (remaining > 0) --remaining;
  return true;
}

std::optional<CertFault> Faults::take_cert_fault() {
  if (!cert_ || !cert_uses_.take()) return std::nullopt;
  CertFault fault = *cert_;
  if (cert_uses_.remaining == 0) cert_.reset();
  return fault;
}

std::optional<LoginFailure> Faults::take_login_failure(const std::string& device_jid) {
  if (!login_failure_ || (!login_failure_->jid.empty() && login_failure_->jid != device_jid)) return std::nullopt;
  if (!login_failure_uses_.take()) return std::nullopt;
  LoginFailure failure = *login_failure_;
  if (login_failure_uses_.remaining == 0) login_failure_.reset();
  return failure;
}

Status Faults::arm_login_failure(const nlohmann::json& request) {
  if (!request.is_object()) return make_error(Errc::invalid_argument, "a login failure must be a JSON object");
  LoginFailure failure;
  failure.reason = request.value("reason", 0);
  if (!kLoginFailureReasons.contains(failure.reason))
    return make_error(Errc::invalid_argument, "unknown login failure reason " + std::to_string(failure.reason));
  failure.jid = request.value("jid", "");
  failure.ban_code = request.value("code", 101);
  failure.expire = request.value("expire", std::int64_t{3600});
  if (failure.expire < 0) return make_error(Errc::invalid_argument, "'expire' must not be negative");
  failure.header = request.value("header", "Your account has been locked");
  failure.subtext = request.value("subtext", "Verify your phone number on your phone to use WhatsApp again");
  int times = WACRM_TRY(times_of(request));
  login_failure_ = std::move(failure);
  login_failure_uses_.remaining = times;
  return {};
}

bool Faults::take_bad_account_signature() { return account_signature_.take(); }
bool Faults::take_bad_signed_pre_key_signature() { return signed_pre_key_.take(); }

Status Faults::arm(const nlohmann::json& request) {
  if (!request.is_object()) return make_error(Errc::invalid_argument, "faults must be a JSON object");
  int times = WACRM_TRY(times_of(request));
  std::optional<CertFault> cert;
  if (auto it = request.find("cert_chain"); it != request.end() && !it->is_null()) {
    std::string name = it->is_string() ? it->get<std::string>() : "";
    for (const auto& [value, known] : kCertFaultNames)
      if (name == known) cert = value;
    if (!cert) return make_error(Errc::invalid_argument, "unknown cert_chain fault '" + name + "'");
  }
  auto bad_flag = [&](const char* key, bool& out) -> Status {
    out = false;
    auto it = request.find(key);
    if (it == request.end() || it->is_null()) return {};
    if (*it != "bad") return make_error(Errc::invalid_argument, std::string("'") + key + "' must be \"bad\"");
    out = true;
    return {};
  };
  bool account = false, pre_key = false;
  WACRM_TRY(bad_flag("account_signature", account));
  WACRM_TRY(bad_flag("signed_pre_key_signature", pre_key));
  if (!cert && !account && !pre_key) return make_error(Errc::invalid_argument, "no fault named");
  if (cert) {
    cert_ = cert;
    cert_uses_.remaining = times;
  }
  if (account) account_signature_.remaining = times;
  if (pre_key) signed_pre_key_.remaining = times;
  return {};
}

void Faults::clear() { *this = Faults(); }

nlohmann::json Faults::to_json() const {
  nlohmann::json out = nlohmann::json::object();
  if (cert_ && cert_uses_.remaining != 0)
    out["cert_chain"] = {{"fault", cert_fault_name(*cert_)}, {"remaining", cert_uses_.remaining}};
  if (account_signature_.remaining != 0) out["account_signature"] = {{"fault", "bad"}, {"remaining", account_signature_.remaining}};
  if (signed_pre_key_.remaining != 0)
    out["signed_pre_key_signature"] = {{"fault", "bad"}, {"remaining", signed_pre_key_.remaining}};
  if (login_failure_ && login_failure_uses_.remaining != 0)
    out["login_failure"] = {{"reason", login_failure_->reason},
                            {"jid", login_failure_->jid},
                            {"remaining", login_failure_uses_.remaining}};
  return out;
}

}  // namespace wacrm::wasim
