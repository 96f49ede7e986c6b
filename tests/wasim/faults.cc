#include "wasim/faults.h"

#include <array>
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

bool Faults::take_bad_account_signature() { return account_signature_.take(); }
bool Faults::take_bad_signed_pre_key_signature() { return signed_pre_key_.take(); }

Status Faults::arm(const nlohmann::json& request) {
  if (!request.is_object()) return make_error(Errc::invalid_argument, "faults must be a JSON object");
  int times = 1;
  if (auto it = request.find("times"); it != request.end()) {
    if (!it->is_number_integer() || it->get<int>() == 0 || it->get<int>() < -1)
      return make_error(Errc::invalid_argument, "'times' must be a positive count or -1");
    times = it->get<int>();
  }
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
  return out;
}

}  // namespace wacrm::wasim
