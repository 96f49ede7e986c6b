// The three HandshakeMessage frames (proto/wa/handshake.proto) as plain
// structs, with the size checks the handshake relies on. Parsing never trusts
// the peer: every missing field or wrong length is an Errc::malformed error
// naming the field.
#pragma once

#include "base/bytes.h"
#include "base/error.h"
#include "noise/secret_key.h"

namespace wacrm::noise {

struct ClientHello {
  PublicKey ephemeral{};
};

struct ServerHello {
  PublicKey ephemeral{};
  Bytes encrypted_static;   // 32-byte key + 16-byte tag
  Bytes encrypted_payload;  // CertChain + 16-byte tag
};

struct ClientFinish {
  Bytes encrypted_static;   // 48 bytes
  Bytes encrypted_payload;  // ClientPayload + 16-byte tag
};

Bytes encode_client_hello(const ClientHello& hello);
Result<ClientHello> decode_client_hello(ByteView frame);

Bytes encode_server_hello(const ServerHello& hello);
Result<ServerHello> decode_server_hello(ByteView frame);

Bytes encode_client_finish(const ClientFinish& finish);
Result<ClientFinish> decode_client_finish(ByteView frame);

}  // namespace wacrm::noise
