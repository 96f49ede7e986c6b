// A small coverage-guided fuzzing driver for LLVMFuzzerTestOneInput targets,
// for compilers without libFuzzer support for our code (GCC; clang 14 cannot
// compile libstdc++ 12's <expected>). Same command line as libFuzzer for what
// we use:
//   fuzz_x [-max_total_time=S] [-runs=N] [-seed=N] [-max_len=N]
//          [-artifact_prefix=P] CORPUS_DIR_OR_FILE...
// It runs every corpus input, then mutates corpus entries (bit/byte flips,
// interesting bytes, inserts, erases, copies, splices) until the time or run
// budget is spent. Code compiled with -fsanitize-coverage=trace-pc reports
// each basic block to __sanitizer_cov_trace_pc below; an input that reaches a
// new (edge, hit-count bucket) joins the corpus. Crashes are the sanitizers':
// the input being run is written to <artifact_prefix>crash-<hash> first.
//
// This file must NOT be compiled with -fsanitize-coverage.
#include <sanitizer/common_interface_defs.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

constexpr std::size_t kMapSize = 1 << 16;
std::array<std::uint8_t, kMapSize> g_hits;  // edge hit counters of the current run
std::array<std::uint8_t, kMapSize> g_seen;  // hit-count buckets ever seen, per edge
std::uintptr_t g_prev_location = 0;

const std::vector<std::uint8_t>* g_current = nullptr;
std::string g_artifact_prefix;

using Input = std::vector<std::uint8_t>;

std::uint8_t bucket(std::uint8_t hits) {
  if (hits == 0) return 0;
  if (hits <= 3) return static_cast<std::uint8_t>(1u << (hits - 1));  // 1, 2, 4
  if (hits <= 7) return 8;
  if (hits <= 15) return 16;
  if (hits <= 31) return 32;
  if (hits <= 127) return 64;
  return 128;
}

std::uint64_t fnv1a64(const Input& in) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (auto b : in) h = (h ^ b) * 0x100000001b3ULL;
  return h;
}

void write_artifact() {
  if (!g_current) return;
  char name[32];
  std::snprintf(name, sizeof name, "crash-%016llx", static_cast<unsigned long long>(fnv1a64(*g_current)));
  const std::string path = g_artifact_prefix + name;
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(g_current->data(), 1, g_current->size(), f);
    std::fclose(f);
    std::fprintf(stderr, "standalone fuzz driver: input written to %s\n", path.c_str());
  }
}

// Runs one input; true if it reached new coverage.
bool run(const Input& in) {
  g_hits.fill(0);
  g_prev_location = 0;
  g_current = &in;
  // Own copy, exactly sized, so ASan catches reads past the end.
  std::unique_ptr<std::uint8_t[]> copy(new std::uint8_t[in.size() ? in.size() : 1]);
  if (!in.empty()) std::memcpy(copy.get(), in.data(), in.size());
  LLVMFuzzerTestOneInput(copy.get(), in.size());
  g_current = nullptr;
  bool fresh = false;
  for (std::size_t i = 0; i < kMapSize; ++i) {
    if (!g_hits[i]) continue;
    const std::uint8_t b = bucket(g_hits[i]);
    if (b & ~g_seen[i]) {
      g_seen[i] |= b;
      fresh = true;
    }
  }
  return fresh;
}

std::size_t features() {
  std::size_t n = 0;
  for (auto s : g_seen) n += static_cast<std::size_t>(__builtin_popcount(s));
  return n;
}

class Mutator {
 public:
  Mutator(std::uint64_t seed, std::size_t max_len) : rng_(seed), max_len_(max_len) {}

  Input mutate(const std::vector<Input>& corpus) {
    Input in = corpus[pick(corpus.size())];
    if (in.size() > max_len_) in.resize(max_len_);
    const int rounds = 1 + static_cast<int>(pick(4));
    for (int r = 0; r < rounds; ++r) step(in, corpus);
    if (in.size() > max_len_) in.resize(max_len_);
    return in;
  }

 private:
  std::size_t pick(std::size_t n) { return n ? std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_) : 0; }
  std::uint8_t random_byte() { return static_cast<std::uint8_t>(pick(256)); }

  void step(Input& in, const std::vector<Input>& corpus) {
    // Bytes that mean something to binary-format parsers.
    static constexpr std::uint8_t kInteresting[] = {0x00, 0x01, 0x02, 0x03, 0x7f, 0x80, 0x81, 0xec, 0xef, 0xf5,
                                                    0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff};
    switch (pick(9)) {
      case 0:  // flip a bit
        if (!in.empty()) in[pick(in.size())] ^= static_cast<std::uint8_t>(1u << pick(8));
        break;
      case 1:  // random byte
        if (!in.empty()) in[pick(in.size())] = random_byte();
        break;
      case 2:  // interesting byte
        if (!in.empty()) in[pick(in.size())] = kInteresting[pick(std::size(kInteresting))];
        break;
      case 3: {  // insert a few bytes
        const std::size_t n = 1 + pick(4);
        const std::size_t at = pick(in.size() + 1);
        for (std::size_t i = 0; i < n; ++i)
          in.insert(in.begin() + static_cast<std::ptrdiff_t>(at),
                    pick(2) ? random_byte() : kInteresting[pick(std::size(kInteresting))]);
        break;
      }
      case 4: {  // erase a range
        if (in.size() < 2) break;
        const std::size_t at = pick(in.size());
        const std::size_t n = 1 + pick(std::min<std::size_t>(16, in.size() - at));
        in.erase(in.begin() + static_cast<std::ptrdiff_t>(at), in.begin() + static_cast<std::ptrdiff_t>(at + n));
        break;
      }
      case 5: {  // duplicate a range elsewhere
        if (in.empty()) break;
        const std::size_t from = pick(in.size());
        const std::size_t n = 1 + pick(std::min<std::size_t>(32, in.size() - from));
        Input piece(in.begin() + static_cast<std::ptrdiff_t>(from),
                    in.begin() + static_cast<std::ptrdiff_t>(from + n));
        in.insert(in.begin() + static_cast<std::ptrdiff_t>(pick(in.size() + 1)), piece.begin(), piece.end());
        break;
      }
      case 6: {  // splice: our head, another input's tail
        const Input& other = corpus[pick(corpus.size())];
        if (other.empty()) break;
        const std::size_t cut = pick(in.size() + 1);
        const std::size_t from = pick(other.size());
        in.resize(cut);
        in.insert(in.end(), other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
        break;
      }
      case 7:  // small add/subtract (lengths, counts)
        if (!in.empty()) {
          auto& b = in[pick(in.size())];
          b = static_cast<std::uint8_t>(b + static_cast<int>(pick(17)) - 8);
        }
        break;
      case 8:  // truncate
        if (!in.empty()) in.resize(pick(in.size()));
        break;
    }
  }

  std::mt19937_64 rng_;
  std::size_t max_len_;
};

bool read_file(const std::filesystem::path& path, Input& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  out.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  return true;
}

bool flag(std::string_view arg, std::string_view name, long long& value) {
  if (arg.size() <= name.size() + 2 || arg.substr(0, name.size() + 2) != "-" + std::string(name) + "=")
    return false;
  value = std::atoll(std::string(arg.substr(name.size() + 2)).c_str());
  return true;
}

}  // namespace

// Called by GCC's -fsanitize-coverage=trace-pc at every basic block. An edge
// is (previous block, this block), AFL style.
extern "C" __attribute__((no_sanitize_coverage)) void __sanitizer_cov_trace_pc() {
  const auto location = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0));
  const std::uintptr_t mixed = (location ^ (location >> 16)) * 0x9E3779B1u;
  const std::size_t index = (mixed ^ g_prev_location) & (kMapSize - 1);
  if (g_hits[index] != 0xff) ++g_hits[index];
  g_prev_location = mixed >> 1;
}

int main(int argc, char** argv) {
  long long max_time = 0, max_runs = -1, seed = 1, max_len = 4096;
  std::vector<std::filesystem::path> inputs;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    long long v = 0;
    if (flag(arg, "max_total_time", v)) max_time = v;
    else if (flag(arg, "runs", v)) max_runs = v;
    else if (flag(arg, "seed", v)) seed = v;
    else if (flag(arg, "max_len", v)) max_len = v;
    else if (arg.rfind("-artifact_prefix=", 0) == 0) g_artifact_prefix = std::string(arg.substr(17));
    else if (arg.rfind("-", 0) == 0) std::fprintf(stderr, "standalone fuzz driver: ignoring %s\n", argv[i]);
    else inputs.emplace_back(arg);
  }
  __sanitizer_set_death_callback(write_artifact);

  std::vector<Input> corpus;
  for (const auto& path : inputs) {
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(path)) {
      for (const auto& e : std::filesystem::directory_iterator(path))
        if (e.is_regular_file()) files.push_back(e.path());
      std::sort(files.begin(), files.end());
    } else {
      files.push_back(path);
    }
    for (const auto& file : files) {
      Input in;
      if (!read_file(file, in)) {
        std::fprintf(stderr, "standalone fuzz driver: cannot read %s\n", file.c_str());
        return 1;
      }
      run(in);
      corpus.push_back(std::move(in));
    }
  }
  if (corpus.empty()) corpus.push_back({});
  std::fprintf(stderr, "standalone fuzz driver: %zu seed inputs, %zu coverage features\n", corpus.size(), features());

  if (max_time <= 0 && max_runs < 0) return 0;  // replay only (like libFuzzer given files)
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::seconds(max_time > 0 ? max_time : 1LL << 30);
  Mutator mutator(static_cast<std::uint64_t>(seed), static_cast<std::size_t>(max_len));
  long long runs = 0;
  const std::size_t seeds = corpus.size();
  while ((max_runs < 0 || runs < max_runs) && ((runs & 63) != 0 || std::chrono::steady_clock::now() < deadline)) {
    Input in = mutator.mutate(corpus);
    if (run(in)) corpus.push_back(std::move(in));
    ++runs;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr,
               "standalone fuzz driver: %lld runs in %.1f s (%.0f/s), corpus %zu -> %zu inputs, %zu coverage "
               "features, no crash\n",
               runs, secs, secs > 0 ? static_cast<double>(runs) / secs : 0.0, seeds, corpus.size(), features());
  return 0;
}
