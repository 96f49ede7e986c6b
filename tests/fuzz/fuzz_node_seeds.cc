// Writes the seed corpus of fuzz_node_decoder: every frame of the Baileys
// node vectors (tests/conformance/vectors/nodes-v*.json) prefixed with the
// dictionary selector byte (3 = v3, 2 = v2), plus a few hand-made frames for
// the tags Baileys never writes.
//   fuzz_node_seeds <repository root> <output directory>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>

#include "seed_corpus.h"

namespace {

// Big vectors only slow the fuzzer down; small ones cover the same code.
constexpr std::size_t kMaxSeedSize = 8192;

}  // namespace

int main(int argc, char** argv) {
  auto args = wacrm::fuzz::parse_seed_command_line(argc, argv);
  if (!args) return 2;
  wacrm::fuzz::SeedWriter seeds(args->out, kMaxSeedSize);
  for (auto [file, selector] : {std::pair{"nodes-v3.json", 3}, std::pair{"nodes-v2.json", 2}}) {
    const auto doc = wacrm::fuzz::read_vector_file(args->root, file);
    if (!doc) return 1;
    const std::uint8_t prefix[] = {static_cast<std::uint8_t>(selector)};
    for (const auto& v : doc->at("vectors"))
      if (!seeds.write_hex("v" + std::to_string(selector) + "-" + v.at("name").get<std::string>(), prefix,
                           v.at("frame_hex").get<std::string>()))
        return 1;
  }
  // FB_JID, INTEROP_JID and AD_JID with hosted domains, LIST_16 content, hex.
  const char* extra[] = {
      "00f8030e0cf6ff061000123456780004cc",
      "00f8030e0cf5ff0610001234567800010005fc07696e7465726f70",
      "00f8030e0cf78163ff8615551234567f",
      "00f80219f90002f80156f80156",
      "00f8031908fb83abcdef",
  };
  const std::uint8_t v3[] = {3};
  int i = 0;
  for (const char* hex : extra)
    if (!seeds.write_hex("extra-" + std::to_string(i++), v3, hex)) return 1;
  std::printf("fuzz_node_seeds: %d seeds in %s\n", seeds.written(), seeds.dir().c_str());
  return 0;
}
