// Writes the seed corpus of fuzz_handshake from the Baileys Noise transcripts
// (tests/conformance/vectors/noise-handshake.json): WS message streams for the
// two frame-codec modes, the handshake frames for the initiator/responder
// modes (the notes §2.7 transcript is the one whose keys the fuzzer uses, so
// its frames get past decryption), and the certificate chains.
//   fuzz_handshake_seeds <repository root> <output directory>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "base/bytes.h"

namespace fs = std::filesystem;
using wacrm::Bytes;

namespace {

int written = 0;

// Mode bytes, as in fuzz_handshake.cc.
enum : std::uint8_t { kServerStream = 0, kClientStream = 1, kServerHello = 2, kClientFinish = 3, kCertChain = 4,
                      kMessages = 5 };

void write_seed(const fs::path& dir, const std::string& name, std::uint8_t mode, const Bytes& prefix,
                const std::string& hex) {
  Bytes data;
  if (!wacrm::from_hex(hex, data)) {
    std::fprintf(stderr, "fuzz_handshake_seeds: bad hex in %s\n", name.c_str());
    std::exit(1);
  }
  std::ofstream out(dir / name, std::ios::binary);
  out.put(static_cast<char>(mode));
  out.write(reinterpret_cast<const char*>(prefix.data()), static_cast<std::streamsize>(prefix.size()));
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  ++written;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <repository root> <output directory>\n", argv[0]);
    return 2;
  }
  const fs::path out = argv[2];
  fs::create_directories(out);
  std::ifstream in(fs::path(argv[1]) / "tests/conformance/vectors/noise-handshake.json");
  if (!in) {
    std::fprintf(stderr, "fuzz_handshake_seeds: cannot open noise-handshake.json\n");
    return 1;
  }
  const auto doc = nlohmann::json::parse(in);
  for (const auto& h : doc.at("handshakes")) {
    const std::string name = h.at("name").get<std::string>();
    auto hex = [&](const char* step, const char* field) { return h.at(step).at(field).get<std::string>(); };
    // The client's byte stream as the server sees it (chunk byte 5), and the
    // server's as the client sees it, transport frames included.
    std::string client_stream = hex("client_hello", "ws_hex") + hex("client_finish", "ws_hex");
    std::string server_stream = hex("server_hello", "ws_hex");
    for (const auto& frame : h.at("frames")) {
      if (frame.at("direction") == "client_to_server") client_stream += frame.at("ws_hex").get<std::string>();
      else server_stream += frame.at("ws_hex").get<std::string>();
    }
    write_seed(out, name + "-server-stream", kServerStream, Bytes{5}, client_stream);
    write_seed(out, name + "-client-stream", kClientStream, Bytes{7}, server_stream);
    write_seed(out, name + "-server-hello", kServerHello, {}, hex("server_hello", "handshake_message_hex"));
    write_seed(out, name + "-client-finish", kClientFinish, {}, hex("client_finish", "handshake_message_hex"));
    write_seed(out, name + "-cert-chain", kCertChain, {}, h.at("cert_chain_hex").get<std::string>());
    write_seed(out, name + "-messages", kMessages, {}, hex("client_finish", "handshake_message_hex"));
  }
  std::printf("fuzz_handshake_seeds: %d seeds in %s\n", written, out.c_str());
  return 0;
}
