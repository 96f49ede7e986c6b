// Binary node decode/encode throughput on small stanzas of the kinds a
// session handles most (a read receipt, a ping iq, a message with one <enc>),
// under the v3 dictionary. Target (issue #3): ≥ 1,000,000 small stanzas
// decoded per second per core. Prints items/s (stanzas) and bytes/s.
//   bench_wire [--benchmark_filter=Decode]
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "wire/jid.h"
#include "wire/node_decoder.h"
#include "wire/node_encoder.h"
#include "wire/zlib_inflate.h"

namespace {

using namespace wacrm;
using namespace wacrm::wire;

constexpr auto kVersion = DictVersion::v3;

Node receipt() {
  return Node("receipt", {{"id", "3EB0C5A9F1D2E3A4B5C6"},
                          {"from", "120363012345678901@g.us"},
                          {"participant", "123456789012345:7@lid"},
                          {"t", "1700000000"},
                          {"type", "read"}});
}

Node ping_iq() {
  return Node("iq", {{"id", "1234.5678-1"}, {"to", "@s.whatsapp.net"}, {"type", "get"}, {"xmlns", "w:p"}},
              Node::Children{Node("ping")});
}

Node message_with_enc() {
  Bytes ciphertext(160);
  for (std::size_t i = 0; i < ciphertext.size(); ++i) ciphertext[i] = static_cast<std::uint8_t>(i * 37 + 11);
  return Node("message",
              {{"from", "15551234567@s.whatsapp.net"},
               {"type", "text"},
               {"id", "3EB0A1B2C3D4E5F60718"},
               {"notify", "Alice"},
               {"t", "1700000123"}},
              Node::Children{Node("enc", {{"v", "2"}, {"type", "msg"}}, std::move(ciphertext))});
}

Node stanza(int which) {
  switch (which) {
    case 0: return receipt();
    case 1: return ping_iq();
    default: return message_with_enc();
  }
}

const char* stanza_name(int which) {
  static const char* names[] = {"receipt", "iq", "message_enc"};
  return names[which];
}

void BM_Decode(benchmark::State& state) {
  const Bytes frame = encode_frame_payload(stanza(static_cast<int>(state.range(0))), kVersion);
  for (auto _ : state) {
    auto node = decode_frame_payload(frame, kVersion);
    benchmark::DoNotOptimize(node);
  }
  state.SetLabel(stanza_name(static_cast<int>(state.range(0))) + std::string(", ") +
                 std::to_string(frame.size()) + " bytes");
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(frame.size()));
}
BENCHMARK(BM_Decode)->DenseRange(0, 2);

void BM_Encode(benchmark::State& state) {
  const Node node = stanza(static_cast<int>(state.range(0)));
  std::size_t size = 0;
  for (auto _ : state) {
    Bytes frame = encode_frame_payload(node, kVersion);
    size = frame.size();
    benchmark::DoNotOptimize(frame);
  }
  state.SetLabel(stanza_name(static_cast<int>(state.range(0))) + std::string(", ") + std::to_string(size) +
                 " bytes");
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
}
BENCHMARK(BM_Encode)->DenseRange(0, 2);

// A mixed stream (receipt, iq, message, …), as a connection sees it.
void BM_DecodeMix(benchmark::State& state) {
  std::vector<Bytes> frames;
  std::int64_t bytes = 0;
  for (int i = 0; i < 3; ++i) {
    frames.push_back(encode_frame_payload(stanza(i), kVersion));
    bytes += static_cast<std::int64_t>(frames.back().size());
  }
  for (auto _ : state) {
    for (const auto& f : frames) {
      auto node = decode_frame_payload(f, kVersion);
      benchmark::DoNotOptimize(node);
    }
  }
  state.SetItemsProcessed(state.iterations() * 3);
  state.SetBytesProcessed(state.iterations() * bytes);
}
BENCHMARK(BM_DecodeMix);

// A compressed frame (the server compresses large stanzas such as history).
void BM_DecodeCompressed(benchmark::State& state) {
  Node::Children items;
  for (int i = 0; i < 200; ++i)
    items.push_back(Node("item", {{"jid", std::to_string(15550000000LL + i) + "@s.whatsapp.net"}, {"type", "read"}}));
  Bytes plain;
  encode_node(Node("list", {}, std::move(items)), kVersion, plain);
  Bytes frame{0x02};
  Bytes packed = zlib_deflate(plain);
  frame.insert(frame.end(), packed.begin(), packed.end());
  for (auto _ : state) {
    auto node = decode_frame_payload(frame, kVersion);
    benchmark::DoNotOptimize(node);
  }
  state.SetLabel(std::to_string(frame.size()) + " bytes -> " + std::to_string(plain.size()) + " inflated");
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(plain.size()));
}
BENCHMARK(BM_DecodeCompressed);

void BM_JidParse(benchmark::State& state) {
  for (auto _ : state) {
    auto jid = Jid::parse("123456789012345:7@lid");
    benchmark::DoNotOptimize(jid);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JidParse);

}  // namespace

BENCHMARK_MAIN();
