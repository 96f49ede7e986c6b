// What the seed-corpus programs (fuzz_*_seeds.cc) share: their command line
// (<repository root> <output directory>), reading a conformance vector file,
// and writing one seed file per input.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"

namespace wacrm::fuzz {

struct SeedCommandLine {
  std::filesystem::path root;  // the repository
  std::filesystem::path out;   // the corpus directory, created here
};

// Parses "<program> <repository root> <output directory>"; prints the usage
// and returns nullopt otherwise.
inline std::optional<SeedCommandLine> parse_seed_command_line(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <repository root> <output directory>\n", argv[0]);
    return std::nullopt;
  }
  SeedCommandLine line{argv[1], argv[2]};
  std::filesystem::create_directories(line.out);
  return line;
}

// tests/conformance/vectors/<file>, parsed; nullopt (with a message) when it
// cannot be opened.
inline std::optional<nlohmann::json> read_vector_file(const std::filesystem::path& root, std::string_view file) {
  std::ifstream in(root / "tests" / "conformance" / "vectors" / file);
  if (!in) {
    std::fprintf(stderr, "cannot open tests/conformance/vectors/%.*s\n", static_cast<int>(file.size()), file.data());
    return std::nullopt;
  }
  return nlohmann::json::parse(in);
}

// Writes seed files into one directory: each is a few selector bytes (which
// mode of the fuzz target the input is for) followed by the data.
class SeedWriter {
 public:
  explicit SeedWriter(std::filesystem::path dir, std::size_t max_size = std::numeric_limits<std::size_t>::max())
      : dir_(std::move(dir)), max_size_(max_size) {}

  // Skips (returns false) a seed larger than max_size.
  bool write(const std::string& name, ByteView selector, ByteView data) {
    if (selector.size() + data.size() > max_size_) return false;
    std::ofstream out(dir_ / name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(selector.data()), static_cast<std::streamsize>(selector.size()));
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    ++written_;
    return true;
  }

  // The data as hex; false (nothing written) when it is not hex.
  bool write_hex(const std::string& name, ByteView selector, std::string_view hex) {
    Bytes data;
    if (!from_hex(hex, data)) {
      std::fprintf(stderr, "bad hex in seed %s\n", name.c_str());
      return false;
    }
    write(name, selector, data);
    return true;
  }

  int written() const { return written_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::size_t max_size_;
  int written_ = 0;
};

}  // namespace wacrm::fuzz
