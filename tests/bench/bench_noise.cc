// Noise figures: transport frame encryption/decryption throughput (MB/s) at
// 64 B, 1 KiB and 64 KiB, complete handshakes per second (initiator and
// responder in memory) and certificate chain verification. Run a Release
// build:
//   build-release/tests/bench/bench_noise
#include <benchmark/benchmark.h>

#include "noise/cert_chain.h"
#include "noise/initiator_handshake.h"
#include "noise/responder_handshake.h"
#include "noise/transport_cipher.h"

namespace {

using namespace wacrm;

noise::TransportKeys fixed_keys() {
  noise::TransportKeys keys;
  for (std::size_t i = 0; i < noise::kKeySize; ++i) {
    keys.send.data()[i] = static_cast<std::uint8_t>(i);
    keys.receive.data()[i] = static_cast<std::uint8_t>(i);  // same key: decrypt what we encrypt
  }
  return keys;
}

void BM_TransportEncrypt(benchmark::State& state) {
  noise::TransportCipher cipher(fixed_keys());
  Bytes plain(static_cast<std::size_t>(state.range(0)), 0x5a);
  Bytes out;
  out.reserve(plain.size() + noise::kGcmTagSize);
  for (auto _ : state) {
    out.clear();
    if (!cipher.encrypt(plain, out)) state.SkipWithError("encrypt failed");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_TransportEncrypt)->Arg(64)->Arg(1024)->Arg(64 * 1024);

void BM_TransportDecrypt(benchmark::State& state) {
  // Pre-encrypt a batch with consecutive counters; decrypt them in order and
  // start over with a fresh receiver when the batch is used up.
  const auto size = static_cast<std::size_t>(state.range(0));
  constexpr std::size_t kBatch = 256;
  std::vector<Bytes> frames;
  noise::TransportCipher sender(fixed_keys());
  for (std::size_t i = 0; i < kBatch; ++i) frames.push_back(sender.encrypt(Bytes(size, 0x5a)).value());
  auto receiver = std::make_unique<noise::TransportCipher>(fixed_keys());
  Bytes out;
  out.reserve(size);
  std::size_t next = 0;
  for (auto _ : state) {
    if (next == kBatch) {
      state.PauseTiming();
      receiver = std::make_unique<noise::TransportCipher>(fixed_keys());
      next = 0;
      state.ResumeTiming();
    }
    out.clear();
    if (!receiver->decrypt(frames[next++], out)) state.SkipWithError("decrypt failed");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_TransportDecrypt)->Arg(64)->Arg(1024)->Arg(64 * 1024);

struct HandshakeFixture {
  noise::KeyPair root = noise::KeyPair::generate().value();
  noise::KeyPair intermediate = noise::KeyPair::generate().value();
  noise::KeyPair server_static = noise::KeyPair::generate().value();
  noise::KeyPair client_static = noise::KeyPair::generate().value();
  Bytes chain = noise::make_cert_chain(root.private_key(), intermediate, server_static.public_key(),
                                       {.not_before = 0, .not_after = 4'000'000'000})
                    .value();
  Bytes payload = Bytes(80, 0x11);
};

// One complete XX handshake: both sides' key generation, 5 X25519 each, the
// frames, split. With verify = 1 the client also checks the certificate chain
// (two XEdDSA verifications), as our client always does.
void BM_Handshake(benchmark::State& state) {
  HandshakeFixture f;
  const bool verify = state.range(0) != 0;
  for (auto _ : state) {
    noise::InitiatorHandshake client(3);
    noise::ResponderHandshake server(3);
    auto hello = client.start(noise::KeyPair::generate().value()).value();
    (void)server.on_client_hello(hello);
    auto server_hello = server.server_hello(noise::KeyPair::generate().value(), f.server_static, f.chain).value();
    auto info = client.on_server_hello(server_hello).value();
    if (verify && !noise::verify_cert_chain(info.cert_chain, f.root.public_key(), info.server_static, 1'700'000'000))
      state.SkipWithError("certificate check failed");
    auto finish = client.client_finish(f.client_static, f.payload).value();
    benchmark::DoNotOptimize(server.on_client_finish(finish));
    benchmark::DoNotOptimize(client.split());
    benchmark::DoNotOptimize(server.split());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetLabel(verify ? "handshakes, with certificate check" : "handshakes");
}
BENCHMARK(BM_Handshake)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_CertChainVerify(benchmark::State& state) {
  HandshakeFixture f;
  for (auto _ : state)
    benchmark::DoNotOptimize(
        noise::verify_cert_chain(f.chain, f.root.public_key(), f.server_static.public_key(), 1'700'000'000));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_CertChainVerify)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
