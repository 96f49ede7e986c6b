// Our client's way into a Noise connection: WebSocket connect, then the XX
// handshake as initiator (ClientHello with the intro header, ServerHello,
// certificate chain check against the pinned root, ClientFinish), then a
// NoiseSocket with the split keys. The ClientPayload (registration or login)
// is built by the caller (lib/wa) and passed in serialized.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "base/bytes.h"
#include "base/error.h"
#include "net/noise_socket.h"
#include "net/ws_client.h"
#include "noise/cert_chain.h"
#include "noise/key_pair.h"
#include "noise/protocol_constants.h"

namespace boost::asio {
class io_context;
}

namespace wacrm::net {

struct NoiseClientOptions {
  WsClientOptions ws;
  // Token dictionary announced in the intro header (3 = current clients).
  std::uint8_t dict_version = 3;
  // Root key the server's certificate chain must lead to.
  noise::PublicKey root_key = noise::kWhatsAppRootKey;
  // From the ClientHello until the ServerHello has arrived (whatsmeow: 20 s).
  std::chrono::milliseconds handshake_timeout{std::chrono::seconds(20)};
  // Unix time for the certificate validity check; the system clock if unset.
  std::function<std::uint64_t()> clock;
  NoiseSocketOptions socket;
};

struct NoiseConnection {
  std::shared_ptr<NoiseSocket> socket;  // not started yet: call start()
  noise::VerifiedCertChain server_certificate;
};

using NoiseConnectHandler = std::function<void(Result<NoiseConnection>)>;

// WebSocket connect + handshake. Errors name the step: WebSocket errors as
// async_ws_connect reports them, Errc::timeout when no ServerHello came in
// time, Errc::crypto / malformed / protocol for a bad ServerHello or a
// certificate chain that fails a check.
void async_noise_connect(boost::asio::io_context& io, NoiseClientOptions options, noise::KeyPair noise_static,
                         Bytes client_payload, NoiseConnectHandler handler);

// The handshake alone, over an already open stream.
void async_noise_client_handshake(boost::asio::io_context& io, std::shared_ptr<MessageStream> stream,
                                  NoiseClientOptions options, noise::KeyPair noise_static, Bytes client_payload,
                                  NoiseConnectHandler handler);

}  // namespace wacrm::net
