// Our companion device's keys: made once before the first registration
// (protocol notes 01 §3.5) and the views of them the handshake and pairing
// need. Persisting is the credentials store's job (store/credentials_store.h).
#pragma once

#include "base/error.h"
#include "noise/key_pair.h"
#include "store/credentials_store.h"
#include "wire/jid.h"

namespace wacrm::signal {
class Context;
}

namespace wacrm::wa {

// Noise static key, identity key, signed pre-key (id 1), registration id and
// a 32-byte adv secret, all fresh; not linked yet.
Result<store::DeviceCredentials> generate_credentials(signal::Context& context);

// The Noise static key pair of the credentials.
Result<noise::KeyPair> noise_key_pair(const store::DeviceCredentials& credentials);

// Our own device JID ("15551234567:12@s.whatsapp.net"); Errc::not_found
// while the credentials are not linked, Errc::malformed for a stored value
// that is no device JID.
Result<wire::Jid> own_device_jid(const store::DeviceCredentials& credentials);

}  // namespace wacrm::wa
