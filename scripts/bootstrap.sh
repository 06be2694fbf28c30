#!/usr/bin/env bash
# Installs the Debian 12 packages this project needs. Idempotent: prints nothing and
# touches nothing when every package is already installed. Runs as root, or through sudo.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake ninja-build pkg-config git curl python3
  # libraries
  libsqlite3-dev sqlite3 libcurl4-openssl-dev ca-certificates nlohmann-json3-dev libsodium-dev
  libutf8proc-dev libzstd-dev libtomlplusplus-dev libcli11-dev libcpp-httplib-dev
  libqrencode-dev libstb-dev libespeak-ng-dev espeak-ng-data libcups2-dev libpcaudio-dev
  libimgui-dev libglfw3 libglfw3-dev libgl-dev
  # the officers' console: HTML templates, and its browser tests (headless Chromium)
  libkainjow-mustache-dev chromium chromium-driver python3-selenium
  # the city backend on PostgreSQL (tests start a private cluster)
  postgresql-15 libpq-dev
  # tests and the demo on a machine without a display
  catch2 xvfb xauth libgl1-mesa-dri fonts-noto-core fonts-fork-awesome zbar-tools poppler-utils xdotool clang-format
  cups cups-bsd printer-driver-cups-pdf
  # HTTPS tests (nginx terminating TLS on loopback, a private CA) and the packages (scripts/package.sh)
  nginx-light openssl lintian dpkg-dev fakeroot debootstrap
  # the kiosk session at boot (kiosk.service: cage, GLFW through Xwayland)
  cage xwayland
  # fuzzing (scripts/fuzz.sh): clang 16 with libFuzzer; clang 14 cannot compile libstdc++'s <expected>
  clang-16 libclang-rt-16-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "bootstrap: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "bootstrap: installing ${#missing[@]} Debian package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
  # The package lists may be missing or stale on a fresh machine.
  $SUDO apt-get update -q >>"$log" 2>&1 || true
  if ! $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "bootstrap: apt-get install failed (log: $log)" >&2
    exit 1
  fi
fi
rm -f "$log"
echo "bootstrap: done"
