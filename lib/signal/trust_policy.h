// What to do when a remote device shows an identity key other than the one
// we stored for it (a reinstall, or an attack we cannot tell apart).
#pragma once

namespace wacrm::signal {

enum class TrustPolicy {
  // Accept the new key and overwrite the stored one, as whatsmeow's default
  // and Baileys do (notes §2.8); Protocol::identity_changes() lists the
  // addresses so the CRM can show "security code changed".
  accept_changes,
  // Trust on first use only: a changed key fails with untrusted_identity.
  strict,
};

}  // namespace wacrm::signal
