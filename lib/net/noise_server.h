// The server end of the Noise handshake over a MessageStream (wasim, tests):
// reads the intro header and ClientHello, answers with a ServerHello carrying
// the server static key and certificate chain, reads ClientFinish, and yields
// a NoiseSocket plus what the client presented (its static key, its
// ClientPayload, the dictionary byte of its intro).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "base/bytes.h"
#include "base/error.h"
#include "net/message_stream.h"
#include "net/noise_socket.h"
#include "noise/key_pair.h"

namespace boost::asio {
class io_context;
}

namespace wacrm::net {

struct NoiseServerIdentity {
  noise::KeyPair static_key;
  Bytes cert_chain;  // serialized CertChain (noise::make_cert_chain)
};

struct NoiseServerOptions {
  // From accepting the stream until ClientFinish has arrived.
  std::chrono::milliseconds handshake_timeout{std::chrono::seconds(20)};
  NoiseSocketOptions socket;
};

struct AcceptedNoiseConnection {
  std::shared_ptr<NoiseSocket> socket;  // not started yet: call start()
  std::uint8_t dict_version = 0;        // from the client's intro header
  std::optional<Bytes> routing_info;    // Baileys' "ED" prefix, if sent
  noise::PublicKey client_static{};
  Bytes client_payload;  // serialized ClientPayload, not interpreted here
};

using NoiseAcceptHandler = std::function<void(Result<AcceptedNoiseConnection>)>;

void async_noise_accept(boost::asio::io_context& io, std::shared_ptr<MessageStream> stream,
                        NoiseServerIdentity identity, NoiseServerOptions options, NoiseAcceptHandler handler);

}  // namespace wacrm::net
