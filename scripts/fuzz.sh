#!/usr/bin/env bash
# Builds the fuzz targets (tests/fuzz) in a sanitizer build directory of their
# own and runs each for a short time on its seed corpus (ctest label "fuzz").
# scripts/test.sh calls this after the main tests.
#   scripts/fuzz.sh [extra ctest arguments]    build dir: $WACRM_FUZZ_BUILD_DIR or build-fuzz
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${WACRM_FUZZ_BUILD_DIR:-build-fuzz}

# libFuzzer needs a clang that compiles our C++23; clang 14 cannot build
# libstdc++ 12's std::expected, and then tests/fuzz uses its GCC driver.
compiler=()
probe='#include <expected>
#include <string>
std::expected<int, std::string> f() { return 1; }
int main() { return f().value() - 1; }'
if command -v clang++ >/dev/null 2>&1 &&
   printf '%s\n' "$probe" | clang++ -std=c++2b -x c++ - -c -o /dev/null 2>/dev/null; then
  compiler=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++)
fi

if [[ ! -f "$build_dir/build.ninja" ]]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DWACRM_BUILD_FUZZERS=ON -DWACRM_BUILD_BENCH=OFF "${compiler[@]}" >/dev/null
fi
cmake --build "$build_dir" -j "$(nproc)" --target wacrm_fuzzers
cd "$build_dir"
ctest -L fuzz --output-on-failure "$@"
