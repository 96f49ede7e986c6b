// Writes the seed corpus of fuzz_handshake from the Baileys Noise transcripts
// (tests/conformance/vectors/noise-handshake.json): WS message streams for the
// two frame-codec modes, the handshake frames for the initiator/responder
// modes (the notes §2.7 transcript is the one whose keys the fuzzer uses, so
// its frames get past decryption), and the certificate chains.
//   fuzz_handshake_seeds <repository root> <output directory>
#include <cstdint>
#include <cstdio>
#include <string>

#include "seed_corpus.h"

namespace {

// Mode bytes, as in fuzz_handshake.cc.
enum : std::uint8_t { kServerStream = 0, kClientStream = 1, kServerHello = 2, kClientFinish = 3, kCertChain = 4,
                      kMessages = 5 };

}  // namespace

int main(int argc, char** argv) {
  auto args = wacrm::fuzz::parse_seed_command_line(argc, argv);
  if (!args) return 2;
  const auto doc = wacrm::fuzz::read_vector_file(args->root, "noise-handshake.json");
  if (!doc) return 1;
  wacrm::fuzz::SeedWriter seeds(args->out);
  bool ok = true;
  auto write = [&](const std::string& name, std::initializer_list<std::uint8_t> selector, const std::string& hex) {
    const wacrm::Bytes prefix(selector);
    ok = seeds.write_hex(name, prefix, hex) && ok;
  };
  for (const auto& h : doc->at("handshakes")) {
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
    write(name + "-server-stream", {kServerStream, 5}, client_stream);
    write(name + "-client-stream", {kClientStream, 7}, server_stream);
    write(name + "-server-hello", {kServerHello}, hex("server_hello", "handshake_message_hex"));
    write(name + "-client-finish", {kClientFinish}, hex("client_finish", "handshake_message_hex"));
    write(name + "-cert-chain", {kCertChain}, h.at("cert_chain_hex").get<std::string>());
    write(name + "-messages", {kMessages}, hex("client_finish", "handshake_message_hex"));
  }
  if (!ok) return 1;
  std::printf("fuzz_handshake_seeds: %d seeds in %s\n", seeds.written(), seeds.dir().c_str());
  return 0;
}
