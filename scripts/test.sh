#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, runs every test.
# ctest starts a private PostgreSQL (see scripts/test-pg.sh) and stops it after.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
build_dir=${WACRM_BUILD_DIR:-build}
cd "$build_dir"
# Every test has its own timeout (tests/CMakeLists.txt); this is the backstop.
ctest --output-on-failure --timeout 600 -j 2 "$@"
# The fuzz targets, a short run each, from a sanitizer build of their own.
# Skipped when arguments select particular tests.
if [[ $# -eq 0 ]]; then
  cd - >/dev/null
  scripts/fuzz.sh
fi
