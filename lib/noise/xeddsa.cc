#include "noise/xeddsa.h"

#include <openssl/rand.h>

#include <algorithm>
#include <memory>

extern "C" {
#include <curve.h>
#include <signal_protocol.h>
}

namespace wacrm::noise {
namespace {

constexpr std::uint8_t kDjbKeyType = 0x05;  // Signal's prefix for Curve25519 public keys

struct SignalObjectUnref {
  void operator()(void* p) const { signal_type_unref(static_cast<signal_type_base*>(p)); }
};
template <class T>
using SignalPtr = std::unique_ptr<T, SignalObjectUnref>;

struct BufferFree {
  void operator()(signal_buffer* p) const { signal_buffer_free(p); }
};

struct ContextFree {
  void operator()(signal_context* p) const { signal_context_destroy(p); }
};

// XEdDSA signing needs 64 random bytes from the context's crypto provider;
// nothing else of the provider is used here, but the library insists on
// HMAC callbacks being present, so they exist and refuse.
int random_bytes(std::uint8_t* data, std::size_t len, void*) {
  return RAND_bytes(data, static_cast<int>(len)) == 1 ? 0 : SG_ERR_UNKNOWN;
}
int no_hmac_init(void**, const std::uint8_t*, std::size_t, void*) { return SG_ERR_UNKNOWN; }
int no_hmac_update(void*, const std::uint8_t*, std::size_t, void*) { return SG_ERR_UNKNOWN; }
int no_hmac_final(void*, signal_buffer**, void*) { return SG_ERR_UNKNOWN; }
void no_hmac_cleanup(void*, void*) {}

std::unique_ptr<signal_context, ContextFree> signing_context() {
  signal_context* raw = nullptr;
  if (signal_context_create(&raw, nullptr) != 0) return nullptr;
  std::unique_ptr<signal_context, ContextFree> ctx(raw);
  signal_crypto_provider provider{};
  provider.random_func = random_bytes;
  provider.hmac_sha256_init_func = no_hmac_init;
  provider.hmac_sha256_update_func = no_hmac_update;
  provider.hmac_sha256_final_func = no_hmac_final;
  provider.hmac_sha256_cleanup_func = no_hmac_cleanup;
  if (signal_context_set_crypto_provider(ctx.get(), &provider) != 0) return nullptr;
  return ctx;
}

}  // namespace

bool xeddsa_verify(const PublicKey& key, ByteView message, ByteView signature) {
  if (signature.size() != kSignatureSize) return false;
  std::uint8_t prefixed[1 + kKeySize];
  prefixed[0] = kDjbKeyType;
  std::copy(key.begin(), key.end(), prefixed + 1);
  ec_public_key* raw = nullptr;
  if (curve_decode_point(&raw, prefixed, sizeof(prefixed), nullptr) != 0) return false;
  SignalPtr<ec_public_key> public_key(raw);
  return curve_verify_signature(public_key.get(), message.data(), message.size(), signature.data(),
                                signature.size()) == 1;
}

Result<Signature> xeddsa_sign(const SecretKey& private_key, ByteView message) {
  auto ctx = signing_context();
  if (!ctx) return make_error(Errc::internal, "XEdDSA: cannot set up a libsignal context");
  ec_private_key* raw = nullptr;
  if (curve_decode_private_point(&raw, private_key.data(), private_key.size(), ctx.get()) != 0)
    return make_error(Errc::internal, "XEdDSA: libsignal refused the private key");
  SignalPtr<ec_private_key> key(raw);
  signal_buffer* sig_raw = nullptr;
  if (curve_calculate_signature(ctx.get(), &sig_raw, key.get(), message.data(), message.size()) != 0)
    return make_error(Errc::internal, "XEdDSA: signing failed in libsignal");
  std::unique_ptr<signal_buffer, BufferFree> sig(sig_raw);
  if (signal_buffer_len(sig.get()) != kSignatureSize)
    return make_error(Errc::internal, "XEdDSA: libsignal produced a signature of unexpected size");
  Signature out;
  std::copy_n(signal_buffer_data(sig.get()), kSignatureSize, out.begin());
  return out;
}

}  // namespace wacrm::noise
