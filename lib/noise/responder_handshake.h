// The server (responder) side of WhatsApp's Noise XX handshake, for wasim and
// tests (protocol notes 01 §2.6). Mirror image of InitiatorHandshake.
//
//   ResponderHandshake hs(dict_version_from_intro);
//   hs.on_client_hello(frame);
//   send(hs.server_hello(ephemeral, server_static, cert_chain_bytes));
//   auto finish = hs.on_client_finish(frame);    // client static key + payload
//   auto keys = hs.split();                      // send / receive, halves swapped
#pragma once

#include <cstdint>
#include <optional>

#include "base/bytes.h"
#include "base/error.h"
#include "noise/handshake_core.h"
#include "noise/key_pair.h"
#include "noise/symmetric_state.h"

namespace wacrm::noise {

struct ClientFinishInfo {
  PublicKey client_static{};
  Bytes client_payload;  // serialized ClientPayload
};

class ResponderHandshake {
 public:
  explicit ResponderHandshake(std::uint8_t dict_version);

  Status on_client_hello(ByteView frame);
  // Returns the ServerHello frame.
  Result<Bytes> server_hello(const KeyPair& ephemeral, const KeyPair& server_static, ByteView cert_chain);
  Result<ClientFinishInfo> on_client_finish(ByteView frame);
  Result<TransportKeys> split() const;

  const SymmetricState& state() const { return core_.state; }

 private:
  enum class Step { initial, client_hello_received, server_hello_sent, finished };
  HandshakeCore<Step> core_;
};

}  // namespace wacrm::noise
