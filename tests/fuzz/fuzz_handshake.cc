// libFuzzer target for everything that parses the peer's bytes before the
// transport phase: the frame stream (FrameCodec, both roles), the three
// HandshakeMessage frames fed to the initiator and the responder, and the
// certificate chain verifier.
// Input: byte 0 picks the mode (below), the rest is the data. Seeds come from
// the Baileys Noise transcripts (fuzz_handshake_seeds).
// Every failure must be an error value with a message; nothing may crash,
// hang or allocate without bound.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "net/frame_codec.h"
#include "noise/cert_chain.h"
#include "noise/handshake_messages.h"
#include "noise/initiator_handshake.h"
#include "noise/responder_handshake.h"

using namespace wacrm;

namespace {

enum Mode : std::uint8_t {
  kServerStream = 0,   // server-role FrameCodec: intro, routing prefix, frames; chunking from the data
  kClientStream = 1,   // client-role FrameCodec with a small frame limit
  kServerHello = 2,    // initiator (notes §2.7 keys, DV 3) fed a ServerHello frame, then the cert check
  kClientFinish = 3,   // responder (notes §2.7 keys) after a valid ClientHello, fed a ClientFinish frame
  kCertChain = 4,      // verify_cert_chain on raw bytes
  kMessages = 5,       // the three frame decoders directly
  kModes = 6,
};

noise::KeyPair key(std::uint8_t fill, std::uint8_t last) {
  Bytes priv(32, fill);
  priv[0] = 0;
  priv[31] = last;
  return noise::KeyPair::from_private(priv).value();
}
const noise::KeyPair& client_ephemeral() { static const auto k = key(1, 0x41); return k; }
const noise::KeyPair& server_ephemeral() { static const auto k = key(3, 0x43); return k; }
const noise::KeyPair& server_static() { static const auto k = key(4, 0x44); return k; }

void require_message(const Error& error) {
  if (error.message.empty()) {
    std::fprintf(stderr, "fuzz_handshake: error without a message (%s)\n", std::string(errc_name(error.code)).c_str());
    std::abort();
  }
}

template <class T>
void check(const Result<T>& r) {
  if (!r) require_message(r.error());
}

void run_stream(net::FrameCodec codec, ByteView data) {
  // The first byte of data sets a chunk length, so splits vary.
  std::size_t chunk = data.empty() ? 1 : (data[0] % 17) + 1;
  if (!data.empty()) data = data.subspan(1);
  while (!data.empty()) {
    auto part = data.first(std::min(chunk, data.size()));
    data = data.subspan(part.size());
    auto fed = codec.feed(part);
    if (!fed) return require_message(fed.error());
    for (;;) {
      auto frame = codec.next_frame();
      if (!frame) return require_message(frame.error());
      if (!*frame) break;
    }
  }
}

void run_server_hello(ByteView data) {
  noise::InitiatorHandshake hs(3);
  if (!hs.start(client_ephemeral())) std::abort();
  auto info = hs.on_server_hello(data);
  check(info);
  if (!info) return;
  auto cert = noise::verify_cert_chain(info->cert_chain, server_static().public_key(), info->server_static, 0);
  check(cert);
  check(hs.client_finish(client_ephemeral(), data));
}

void run_client_finish(ByteView data) {
  noise::ResponderHandshake hs(3);
  if (!hs.on_client_hello(noise::encode_client_hello({client_ephemeral().public_key()}))) std::abort();
  if (!hs.server_hello(server_ephemeral(), server_static(), Bytes{0x12, 0x04, 0x0a, 0x02, 0x10, 0x00})) std::abort();
  auto finish = hs.on_client_finish(data);
  check(finish);
  if (finish) check(hs.split());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* raw, std::size_t size) {
  if (size < 1) return 0;
  const auto mode = static_cast<Mode>(raw[0] % kModes);
  ByteView data(raw + 1, size - 1);
  switch (mode) {
    case kServerStream: run_stream(net::FrameCodec::server(), data); break;
    case kClientStream: run_stream(net::FrameCodec::client(3, 4096), data); break;
    case kServerHello: run_server_hello(data); break;
    case kClientFinish: run_client_finish(data); break;
    case kCertChain: {
      noise::PublicKey static_key{};
      check(noise::verify_cert_chain(data, server_static().public_key(), static_key, 1'700'000'000));
      break;
    }
    case kMessages:
      check(noise::decode_client_hello(data));
      check(noise::decode_server_hello(data));
      check(noise::decode_client_finish(data));
      break;
    default: break;
  }
  return 0;
}
