#include "signal/bundle.h"

namespace wacrm::signal {

PreKeyBundle bundle_for(const store::SignalLocalIdentity& identity, int device_id,
                        const std::optional<PreKey>& pre_key) {
  PreKeyBundle bundle;
  bundle.registration_id = identity.registration_id;
  bundle.device_id = device_id;
  if (pre_key) bundle.pre_key = PreKeyPublic{pre_key->id, pre_key->key.public_key};
  bundle.signed_pre_key = SignedPreKeyPublic{identity.signed_pre_key_id, identity.signed_pre_key_public,
                                             identity.signed_pre_key_signature};
  bundle.identity_key = identity.identity_public;
  return bundle;
}

}  // namespace wacrm::signal
