// rss_floor: the resident memory of a process that links exactly the shared
// libraries wacrmd links (Debian's packages) and uses each of them once, in
// the least way wacrmd does on every start, with none of wacrm's own code.
// bench_link.sh prints it next to wacrmd's idle RSS: it is the floor that no
// change to wacrmd's code can go below (issue 5's 15 MB target is under it).
//
// What each call stands for:
//   OpenSSL     one EVP digest, an X25519 key and an AES-GCM context (Noise,
//               Signal): the first EVP call loads the default provider
//   protobuf    a message serialized and parsed (every stanza payload)
//   libpq       a connection attempt to a socket directory that does not
//               exist (wacrmd connects for real, and touches more)
//   spdlog/fmt  a formatted message to a logger that drops it
//   libsystemd  sd_notify without NOTIFY_SOCKET
//   libsignal-protocol-c  a context created and destroyed
//   Boost.Program_options  an empty command line parsed
//   zlib        an inflate stream opened and closed
//
// usage: rss_floor            prints "rss_floor_kb N", then the resident
//                             kB per mapping (>= 100 kB), largest first
#include <google/protobuf/timestamp.pb.h>
#include <libpq-fe.h>
#include <openssl/evp.h>
#include <signal_protocol.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>
#include <zlib.h>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

void use_openssl() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest("abc", 3, digest, &length, EVP_sha256(), nullptr);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_X25519, nullptr);
  EVP_PKEY* key = nullptr;
  EVP_PKEY_keygen_init(ctx);
  EVP_PKEY_keygen(ctx, &key);
  EVP_PKEY_free(key);
  EVP_PKEY_CTX_free(ctx);
  EVP_CIPHER_CTX* cipher = EVP_CIPHER_CTX_new();
  const unsigned char zeros[32] = {};
  EVP_EncryptInit_ex(cipher, EVP_aes_256_gcm(), nullptr, zeros, zeros);
  EVP_CIPHER_CTX_free(cipher);
}

void use_protobuf() {
  google::protobuf::Timestamp t;
  t.set_seconds(1'700'000'000);
  google::protobuf::Timestamp back;
  back.ParseFromString(t.SerializeAsString());
}

void use_libpq() {
  PGconn* conn = PQconnectdb("host=/nonexistent-rss-floor dbname=none connect_timeout=1");
  PQfinish(conn);
}

void use_logging() {
  auto logger = std::make_shared<spdlog::logger>("floor", std::make_shared<spdlog::sinks::null_sink_mt>());
  logger->info("{} {}", fmt::format("{:>8}", 42), "dropped");
}

void use_signal() {
  signal_context* context = nullptr;
  if (signal_context_create(&context, nullptr) == 0) signal_context_destroy(context);
}

void use_options(int argc, char** argv) {
  namespace po = boost::program_options;
  po::options_description options("floor");
  options.add_options()("help", "help");
  po::variables_map vm;
  po::store(po::parse_command_line(argc, argv, options), vm);
  po::notify(vm);
}

void use_zlib() {
  z_stream zs{};
  if (inflateInit(&zs) == Z_OK) inflateEnd(&zs);
}

// Resident kB per mapping from /proc/self/smaps.
std::map<std::string, long> resident_by_mapping() {
  std::ifstream smaps("/proc/self/smaps");
  std::map<std::string, long> rss;
  std::string line, name;
  while (std::getline(smaps, line)) {
    std::istringstream in(line);
    std::string first;
    in >> first;
    if (first.find('-') != std::string::npos && first.find(':') == std::string::npos) {
      std::string perms, offset, dev, inode, path;
      in >> perms >> offset >> dev >> inode;
      std::getline(in >> std::ws, path);
      name = path.empty() ? "[anon]" : path;
    } else if (first == "Rss:") {
      long kb = 0;
      in >> kb;
      rss[name] += kb;
    }
  }
  return rss;
}

long vm_rss_kb() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      long kb = 0;
      status >> kb;
      return kb;
    }
    status.ignore(1 << 20, '\n');
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  use_openssl();
  use_protobuf();
  use_libpq();
  use_logging();
  sd_notify(0, "STATUS=rss floor");
  use_signal();
  use_options(argc, argv);
  use_zlib();

  std::printf("rss_floor_kb %ld\n", vm_rss_kb());
  std::vector<std::pair<long, std::string>> rows;
  for (const auto& [name, kb] : resident_by_mapping())
    if (kb >= 100) rows.emplace_back(kb, name);
  std::sort(rows.rbegin(), rows.rend());
  for (const auto& [kb, name] : rows) std::printf("%8ld kB  %s\n", kb, name.c_str());
  return 0;
}
