// Signal throughput with in-memory stores: what one core spends per message
// before any database or network work. Issue 6 needs >= 2,000 messages/s end
// to end, so these figures must be far above that.
//
//   build-*/tests/bench/bench_signal --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "signal/key_generation.h"
#include "signal/memory_signal_store.h"
#include "signal/padding.h"
#include "signal/protocol.h"
#include "signal/state_transaction.h"

namespace wacrm::signal {
namespace {

template <class T>
T must(Result<T> r) {
  if (!r) throw std::runtime_error(r.error().to_string());
  return std::move(*r);
}
template <class T>
T must(SignalResult<T> r) {
  if (!r) throw std::runtime_error(r.error().to_string());
  return std::move(*r);
}
void must(SignalStatus s) {
  if (!s) throw std::runtime_error(s.error().to_string());
}

// A typical text message: ~100 bytes of Message protobuf, padded.
Bytes message() { return add_padding(Bytes(100, 'x'), 9); }

struct Party {
  Party(Context& context, std::string user)
      : identity(must(generate_local_identity(context))),
        store(identity),
        protocol(context, store),
        address{std::move(user), 0},
        pre_keys(must(generate_pre_keys(context, 1, 1))) {
    if (!store_pre_keys(context, store, pre_keys)) throw std::runtime_error("store pre-keys");
  }
  store::SignalLocalIdentity identity;
  MemorySignalStore store;
  Protocol protocol;
  Address address;
  std::vector<PreKey> pre_keys;
};

// Alice and Bob with an established two-way session (Alice now sends msg).
struct Pair {
  Context context = must(Context::create());
  Party alice{context, "491700000001"};
  Party bob{context, "491700000002"};
  Pair() {
    must(alice.protocol.build_session_from_bundle(bob.address, bundle_for(bob.identity, 0, bob.pre_keys[0])));
    must(bob.protocol.decrypt_pkmsg(alice.address, must(alice.protocol.encrypt(bob.address, message())).bytes));
    must(alice.protocol.decrypt_msg(bob.address, must(bob.protocol.encrypt(alice.address, message())).bytes));
  }
  std::vector<Bytes> alice_sends(int count) {
    std::vector<Bytes> out;
    for (int i = 0; i < count; ++i) out.push_back(must(alice.protocol.encrypt(bob.address, message())).bytes);
    return out;
  }
};

void BM_MsgEncrypt(benchmark::State& state) {
  Pair pair;
  Bytes plain = message();
  for (auto _ : state) benchmark::DoNotOptimize(must(pair.alice.protocol.encrypt(pair.bob.address, plain)));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MsgEncrypt);

// Decrypts pre-made msgs in order; refills (untimed) every 1,000.
template <class Decrypt>
void decrypt_loop(benchmark::State& state, Pair& pair, Decrypt&& decrypt) {
  std::vector<Bytes> batch;
  std::size_t next = 0;
  for (auto _ : state) {
    if (next == batch.size()) {
      state.PauseTiming();
      batch = pair.alice_sends(1000);
      next = 0;
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(decrypt(batch[next++]));
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_MsgDecrypt(benchmark::State& state) {
  Pair pair;
  decrypt_loop(state, pair, [&](const Bytes& c) { return must(pair.bob.protocol.decrypt_msg(pair.alice.address, c)); });
}
BENCHMARK(BM_MsgDecrypt);

// The daemon's shape: a StateTransaction per message, flushed after.
void BM_MsgDecryptThroughTransaction(benchmark::State& state) {
  Pair pair;
  decrypt_loop(state, pair, [&](const Bytes& c) {
    StateTransaction tx(pair.bob.store);
    Protocol protocol(pair.context, tx);
    Bytes plain = must(protocol.decrypt_msg(pair.alice.address, c));
    if (!tx.flush_to(pair.bob.store)) throw std::runtime_error("flush");
    return plain;
  });
}
BENCHMARK(BM_MsgDecryptThroughTransaction);

void BM_SkmsgDecrypt(benchmark::State& state) {
  Pair pair;
  const std::string group = "120363000000000001@g.us";
  must(pair.bob.protocol.process_sender_key_distribution(
      group, pair.alice.address, must(pair.alice.protocol.create_own_sender_key(group, pair.alice.address))));
  std::vector<Bytes> batch;
  std::size_t next = 0;
  for (auto _ : state) {
    if (next == batch.size()) {
      state.PauseTiming();
      batch.clear();
      for (int i = 0; i < 1000; ++i)
        batch.push_back(must(pair.alice.protocol.group_encrypt(group, pair.alice.address, message())));
      next = 0;
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(must(pair.bob.protocol.decrypt_skmsg(group, pair.alice.address, batch[next++])));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SkmsgDecrypt);

// First contact: a pkmsg that sets up the session (new sender each time).
void BM_PkmsgDecrypt(benchmark::State& state) {
  Context context = must(Context::create());
  Party bob(context, "491700000002");
  const int kKeys = 1000;
  auto pre_keys = must(generate_pre_keys(context, 2, kKeys));
  if (!store_pre_keys(context, bob.store, pre_keys)) throw std::runtime_error("store pre-keys");
  int used = 0;
  long sender = 0;
  for (auto _ : state) {
    state.PauseTiming();
    if (used == kKeys) {
      pre_keys = must(generate_pre_keys(context, pre_keys.back().id + 1, kKeys));
      if (!store_pre_keys(context, bob.store, pre_keys)) throw std::runtime_error("store pre-keys");
      used = 0;
    }
    MemorySignalStore alice_store(must(generate_local_identity(context)));
    Protocol alice(context, alice_store);
    Address alice_address{"4917" + std::to_string(++sender), 0};
    must(alice.build_session_from_bundle(bob.address, bundle_for(bob.identity, 0, pre_keys[used++])));
    Bytes pkmsg = must(alice.encrypt(bob.address, message())).bytes;
    state.ResumeTiming();
    benchmark::DoNotOptimize(must(bob.protocol.decrypt_pkmsg(alice_address, pkmsg)));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PkmsgDecrypt);

}  // namespace
}  // namespace wacrm::signal

BENCHMARK_MAIN();
