#!/usr/bin/env bash
# Installs the Debian packages wacrm needs to build, test and run the demo.
# Idempotent and quiet when everything is already there. Needs root for apt-get.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config clang
  libboost-dev libboost-program-options-dev
  libssl-dev libpq-dev zlib1g-dev
  libprotobuf-dev protobuf-compiler
  libsignal-protocol-c-dev libsystemd-dev
  nlohmann-json3-dev libqrencode-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  postgresql postgresql-contrib
  dbus procps
)
# Node runs the Baileys conformance peers; use the machine's if it has one.
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "wacrm: missing Debian packages: ${missing[*]}" >&2
  echo "wacrm: run this script as root (it uses apt-get) or install them yourself" >&2
  exit 1
fi
echo "wacrm: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
