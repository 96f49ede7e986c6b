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

class Faults {
 public:
  // Consume one use, if armed.
  std::optional<CertFault> take_cert_fault();
  bool take_bad_account_signature();
  bool take_bad_signed_pre_key_signature();

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
};

std::string cert_fault_name(CertFault fault);

}  // namespace wacrm::wasim
