#include "wa/credentials.h"

#include <openssl/rand.h>

#include "signal/key_generation.h"

namespace wacrm::wa {

namespace {

// WhatsApp clients use signed pre-key id 1 (notes 02 §2.2).
constexpr std::uint32_t kSignedPreKeyId = 1;
constexpr std::size_t kAdvSecretSize = 32;

}  // namespace

Result<store::DeviceCredentials> generate_credentials(signal::Context& context) {
  store::DeviceCredentials c;
  noise::KeyPair noise = WACRM_TRY(noise::KeyPair::generate());
  c.noise_private.assign(noise.private_key().view().begin(), noise.private_key().view().end());
  c.noise_public.assign(noise.public_key().begin(), noise.public_key().end());
  c.identity = WACRM_TRY(signal::generate_local_identity(context, kSignedPreKeyId));
  c.adv_secret.resize(kAdvSecretSize);
  if (RAND_bytes(c.adv_secret.data(), static_cast<int>(c.adv_secret.size())) != 1)
    return make_error(Errc::internal, "the system random generator failed making the adv secret");
  return c;
}

Result<noise::KeyPair> noise_key_pair(const store::DeviceCredentials& credentials) {
  return noise::KeyPair::from_private(credentials.noise_private);
}

Result<wire::Jid> own_device_jid(const store::DeviceCredentials& credentials) {
  if (!credentials.linked) return make_error(Errc::not_found, "this device is not linked yet");
  auto jid = wire::Jid::parse(credentials.linked->jid);
  if (!jid || !jid->is_pn() || jid->user().empty())
    return make_error(Errc::malformed, "stored own JID '" + credentials.linked->jid + "' is not a device JID");
  return *jid;
}

}  // namespace wacrm::wa
