// The client (initiator) side of WhatsApp's Noise XX handshake, free of I/O:
// it turns the peer's frames into our next frame (protocol notes 01 §2.2).
// Frames here are frame payloads; lib/net adds the intro header and lengths.
//
//   InitiatorHandshake hs(3);
//   send(hs.start(ephemeral));
//   auto hello = hs.on_server_hello(frame);         // decrypts static + certificate
//   verify_cert_chain(hello->cert_chain, root, hello->server_static, now);
//   send(hs.client_finish(noise_static, client_payload));
//   auto keys = hs.split();                         // send / receive
//
// Checking the certificate is the caller's step between on_server_hello and
// client_finish (so the pure vector test can use a dummy chain); NoiseSocket's
// client flow in lib/net always does it. Any failure leaves the handshake
// failed: every later call returns an error.
#pragma once

#include <cstdint>
#include <optional>

#include "base/bytes.h"
#include "base/error.h"
#include "noise/handshake_core.h"
#include "noise/key_pair.h"
#include "noise/symmetric_state.h"

namespace wacrm::noise {

struct ServerHelloInfo {
  PublicKey server_static{};
  Bytes cert_chain;  // serialized CertChain, not yet verified
};

class InitiatorHandshake {
 public:
  explicit InitiatorHandshake(std::uint8_t dict_version);

  // Mixes our ephemeral key and returns the ClientHello frame.
  Result<Bytes> start(const KeyPair& ephemeral);
  Result<ServerHelloInfo> on_server_hello(ByteView frame);
  // Returns the ClientFinish frame carrying our static key and payload.
  Result<Bytes> client_finish(const KeyPair& noise_static, ByteView client_payload);
  // The transport keys; only after client_finish.
  Result<TransportKeys> split() const;

  const SymmetricState& state() const { return core_.state; }

 private:
  enum class Step { initial, hello_sent, server_hello_received, finished };
  HandshakeCore<Step> core_;
};

}  // namespace wacrm::noise
