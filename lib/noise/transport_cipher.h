// The post-handshake frame cipher (protocol notes 01 §2.4): AES-256-GCM, empty
// AAD, one key and one counter per direction, both counters starting at 0 and
// advancing by one per frame. After 2^32 frames in one direction the counter
// would repeat a nonce; the cipher refuses instead (Errc::protocol) and the
// connection must be re-established.
//
// A failed decryption is fatal for the connection: the receive counter has
// advanced and the stream cannot be resynchronized.
#pragma once

#include <cstdint>

#include "base/bytes.h"
#include "base/error.h"
#include "noise/aes_gcm.h"
#include "noise/symmetric_state.h"

namespace wacrm::noise {

class TransportCipher {
 public:
  explicit TransportCipher(const TransportKeys& keys);

  // Appends ciphertext || tag to out.
  Status encrypt(ByteView plaintext, Bytes& out);
  // Appends the plaintext to out.
  Status decrypt(ByteView ciphertext, Bytes& out);

  Result<Bytes> encrypt(ByteView plaintext);
  Result<Bytes> decrypt(ByteView ciphertext);

  // Number of frames sent / received so far (= the next counter value).
  std::uint64_t frames_sent() const { return send_counter_; }
  std::uint64_t frames_received() const { return receive_counter_; }

  // For tests: start counters elsewhere (e.g. just below 2^32).
  void set_counters_for_testing(std::uint64_t send, std::uint64_t receive);

 private:
  AesGcm send_;
  AesGcm receive_;
  // 64-bit so that "2^32 frames used" is representable.
  std::uint64_t send_counter_ = 0;
  std::uint64_t receive_counter_ = 0;
};

}  // namespace wacrm::noise
