// The ClientPayload our companion sends inside the Noise ClientFinish
// (protocol notes 01 §3): a registration payload while the device is not
// linked, a login payload afterwards. Pure: credentials + config in, bytes out.
#pragma once

#include "base/bytes.h"
#include "base/error.h"
#include "store/credentials_store.h"
#include "wa/client_config.h"

namespace wacrm::wa {

// Registration (§3.3): common fields, passive = pull = false, and
// DevicePairingRegistrationData with our identity, signed pre-key,
// registration id, build hash and DeviceProps. No username, no device.
Result<Bytes> registration_payload(const store::DeviceCredentials& credentials, const ClientConfig& config);

// Login (§3.1, §3.4): username and device from our own JID, passive = pull =
// true. Errc::not_found when the credentials are not linked.
Result<Bytes> login_payload(const store::DeviceCredentials& credentials, const ClientConfig& config);

// The payload the credentials call for: login when linked, else registration.
Result<Bytes> client_payload(const store::DeviceCredentials& credentials, const ClientConfig& config);

// MD5 of "primary.secondary.tertiary" (DevicePairingRegistrationData.buildHash).
Bytes build_hash(const AppVersion& version);

// The big-endian bytes of the low `width` bytes of value (registration id: 4,
// key ids: 3).
Bytes big_endian(std::uint32_t value, std::size_t width);

}  // namespace wacrm::wa
