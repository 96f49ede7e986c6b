#include "signal/xeddsa.h"

#include <curve.h>

#include "signal/context.h"
#include "signal/ec_key_codec.h"
#include "signal/keys.h"
#include "signal/signal_ptr.h"

namespace wacrm::signal {

Result<Bytes> xeddsa_sign(Context& context, ByteView private_key, ByteView message) {
  auto key = decode_private(private_key, context.get());
  if (!key) return make_error(Errc::invalid_argument, key.error().error.message);
  signal_buffer* raw = nullptr;
  int rc = curve_calculate_signature(context.get(), &raw, key->get(), message.data(), message.size());
  if (rc < 0) return std::unexpected(Error(signal_error_from_code(rc, "XEdDSA sign")));
  BufferPtr signature(raw);
  return to_bytes(signature.get());
}

bool xeddsa_verify(ByteView public_key, ByteView message, ByteView signature) {
  if (signature.size() != kSignatureSize) return false;
  // curve_decode_point only uses the context for logging; none is needed.
  auto key = decode_wire_public(public_key, nullptr);
  if (!key) return false;
  return curve_verify_signature(key->get(), message.data(), message.size(), signature.data(),
                                signature.size()) == 1;
}

}  // namespace wacrm::signal
