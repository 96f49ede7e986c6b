// Deliberate mistakes wasim makes on request, so our client's tests can show
// it refusing each (issue 4: Baileys ignores these signatures, ours must not).
// Each fault is armed for a number of uses (-1: until cleared) and consumed
// by the code path that makes the mistake.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/error.h"

namespace wacrm::wasim {

enum class CertFault {
  wrong_root,                  // the intermediate is signed by a root nobody trusts
  bad_intermediate_signature,  // a flipped bit in the intermediate's signature
  bad_leaf_signature,          // a flipped bit in the leaf's signature
  leaf_key_mismatch,           // the leaf certifies a key other than the server static
  expired,                     // both certificates ended yesterday
  issuer_serial,               // the intermediate's issuerSerial is 1, not 0
};

// A <failure> the next login(s) of a companion get instead of <success>
// (protocol notes 01 §8.1), for the client's failure handling to be tested.
struct LoginFailure {
  int reason = 0;            // 401, 402, 403, 405, 406, 409, 500, 503
  std::string jid;           // the companion ("N:D@s.whatsapp.net"); empty: any login
  int ban_code = 101;        // 402: why banned (101 too many messages to non-contacts, …)
  std::int64_t expire = 0;   // 402: seconds until the ban ends
  std::string header;        // 403: logout_message_header
  std::string subtext;       // 403: logout_message_subtext
};

class Faults {
 public:
  // Consume one use, if armed.
  std::optional<CertFault> take_cert_fault();
  bool take_bad_account_signature();
  bool take_bad_signed_pre_key_signature();
  // The failure armed for a login of `device_jid`, consuming one use.
  std::optional<LoginFailure> take_login_failure(const std::string& device_jid);

  // {"reason": N, "jid"?: DEVICE_JID, "code"?: BAN_CODE, "expire"?: SECONDS,
  //  "header"?: TEXT, "subtext"?: TEXT, "times"?: N}
  Status arm_login_failure(const nlohmann::json& request);

  // {"cert_chain": NAME, "account_signature": "bad", "signed_pre_key_signature": "bad", "times": N}
  Status arm(const nlohmann::json& request);
  void clear();
  nlohmann::json to_json() const;

 private:
  struct Armed {
    int remaining = 0;  // -1: unlimited
    bool take();
  };
  std::optional<CertFault> cert_;
  Armed cert_uses_;
  Armed account_signature_;
  Armed signed_pre_key_;
  std::optional<LoginFailure> login_failure_;
  Armed login_failure_uses_;
};

std::string cert_fault_name(CertFault fault);

}  // namespace wacrm::wasim
