#include "noise/symmetric_state.h"

#include <algorithm>
#include <limits>

#include "noise/protocol_constants.h"

namespace wacrm::noise {

SymmetricState::SymmetricState(ByteView prologue) {
  std::copy(kProtocolName.begin(), kProtocolName.end(), h_.begin());
  ck_ = SecretKey(kProtocolName);
  mix_hash(prologue);
}

void SymmetricState::mix_hash(ByteView data) { h_ = sha256({ByteView(h_), data}); }

Status SymmetricState::mix_key(ByteView ikm) {
  auto halves = WACRM_TRY(hkdf_sha256_pair(ck_.view(), ikm));
  ck_ = halves.first;
  k_ = halves.second;
  cipher_.emplace(*k_);
  n_ = 0;
  n_exhausted_ = false;
  return {};
}

Result<std::uint32_t> SymmetricState::next_counter() {
  if (!cipher_) return make_error(Errc::internal, "Noise: encrypt/decrypt before the first MixKey");
  if (n_exhausted_) return make_error(Errc::protocol, "Noise handshake nonce counter exhausted");
  std::uint32_t n = n_;
  if (n_ == std::numeric_limits<std::uint32_t>::max()) n_exhausted_ = true;
  else ++n_;
  return n;
}

Result<Bytes> SymmetricState::encrypt_and_hash(ByteView plaintext) {
  std::uint32_t n = WACRM_TRY(next_counter());
  Bytes ciphertext;
  ciphertext.reserve(plaintext.size() + kGcmTagSize);
  WACRM_TRY(cipher_->seal(n, ByteView(h_), plaintext, ciphertext));
  mix_hash(ciphertext);
  return ciphertext;
}

Result<Bytes> SymmetricState::decrypt_and_hash(ByteView ciphertext) {
  std::uint32_t n = WACRM_TRY(next_counter());
  Bytes plaintext;
  WACRM_TRY(cipher_->open(n, ByteView(h_), ciphertext, plaintext));
  mix_hash(ciphertext);
  return plaintext;
}

Result<KeyHalves> SymmetricState::split() const { return hkdf_sha256_pair(ck_.view(), ByteView()); }

}  // namespace wacrm::noise
