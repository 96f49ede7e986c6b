// RAII for libsignal-protocol-c objects. Internal to lib/signal: only .cc
// files include this (it pulls in the library's C headers).
//
// Reference-counted library types (keys, messages, records) are released
// with SIGNAL_UNREF; the cipher and builder objects, which are not
// reference-counted, with their own free functions.
#pragma once

#include <memory>

#include <group_cipher.h>
#include <group_session_builder.h>
#include <session_builder.h>
#include <session_cipher.h>
#include <signal_protocol.h>

#include "base/bytes.h"

namespace wacrm::signal {

struct SignalUnref {
  template <class T>
  void operator()(T* instance) const {
    if (instance) SIGNAL_UNREF(instance);
  }
};
template <class T>
using SignalPtr = std::unique_ptr<T, SignalUnref>;

// Buffers may hold key material or plaintext: zeroed before they are freed.
struct BufferFree {
  void operator()(signal_buffer* buffer) const { signal_buffer_bzero_free(buffer); }
};
using BufferPtr = std::unique_ptr<signal_buffer, BufferFree>;

struct CipherFree {
  void operator()(session_cipher* c) const { session_cipher_free(c); }
  void operator()(session_builder* b) const { session_builder_free(b); }
  void operator()(group_cipher* c) const { group_cipher_free(c); }
  void operator()(group_session_builder* b) const { group_session_builder_free(b); }
};
using SessionCipherPtr = std::unique_ptr<session_cipher, CipherFree>;
using SessionBuilderPtr = std::unique_ptr<session_builder, CipherFree>;
using GroupCipherPtr = std::unique_ptr<group_cipher, CipherFree>;
using GroupBuilderPtr = std::unique_ptr<group_session_builder, CipherFree>;

inline Bytes to_bytes(const signal_buffer* buffer) {
  if (!buffer) return {};
  const std::uint8_t* data = signal_buffer_const_data(buffer);
  return Bytes(data, data + signal_buffer_len(buffer));
}

// A fresh signal_buffer holding a copy of bytes (nullptr when out of memory).
inline signal_buffer* new_buffer(ByteView bytes) {
  return signal_buffer_create(bytes.data(), bytes.size());
}

}  // namespace wacrm::signal
