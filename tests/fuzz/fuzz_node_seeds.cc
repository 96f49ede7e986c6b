// Writes the seed corpus of fuzz_node_decoder: every frame of the Baileys
// node vectors (tests/conformance/vectors/nodes-v*.json) prefixed with the
// dictionary selector byte (3 = v3, 2 = v2), plus a few hand-made frames for
// the tags Baileys never writes.
//   fuzz_node_seeds <repository root> <output directory>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "base/bytes.h"

namespace fs = std::filesystem;
using wacrm::Bytes;

namespace {

// Big vectors only slow the fuzzer down; small ones cover the same code.
constexpr std::size_t kMaxSeedSize = 8192;

int written = 0;

void write_seed(const fs::path& dir, const std::string& name, std::uint8_t selector, const Bytes& frame) {
  if (frame.size() + 1 > kMaxSeedSize) return;
  std::ofstream out(dir / name, std::ios::binary);
  out.put(static_cast<char>(selector));
  out.write(reinterpret_cast<const char*>(frame.data()), static_cast<std::streamsize>(frame.size()));
  ++written;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <repository root> <output directory>\n", argv[0]);
    return 2;
  }
  const fs::path root = argv[1];
  const fs::path out = argv[2];
  fs::create_directories(out);
  for (auto [file, selector] : {std::pair{"nodes-v3.json", 3}, std::pair{"nodes-v2.json", 2}}) {
    std::ifstream in(root / "tests/conformance/vectors" / file);
    if (!in) {
      std::fprintf(stderr, "fuzz_node_seeds: cannot open %s\n", file);
      return 1;
    }
    const auto doc = nlohmann::json::parse(in);
    for (const auto& v : doc.at("vectors")) {
      Bytes frame;
      if (!wacrm::from_hex(v.at("frame_hex").get<std::string>(), frame)) return 1;
      write_seed(out, "v" + std::to_string(selector) + "-" + v.at("name").get<std::string>(),
                 static_cast<std::uint8_t>(selector), frame);
    }
  }
  // FB_JID, INTEROP_JID and AD_JID with hosted domains, LIST_16 content, hex.
  const char* extra[] = {
      "00f8030e0cf6ff061000123456780004cc",
      "00f8030e0cf5ff0610001234567800010005fc07696e7465726f70",
      "00f8030e0cf78163ff8615551234567f",
      "00f80219f90002f80156f80156",
      "00f8031908fb83abcdef",
  };
  int i = 0;
  for (const char* hex : extra) {
    Bytes frame;
    wacrm::from_hex(hex, frame);
    write_seed(out, "extra-" + std::to_string(i++), 3, frame);
  }
  std::printf("fuzz_node_seeds: %d seeds in %s\n", written, out.c_str());
  return 0;
}
