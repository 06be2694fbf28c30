#!/usr/bin/env bash
# Builds the product and runs it on a local data directory (./run/kiosk-data, created on first
# start with embedded defaults). This is the README's run command.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${KIOSK_BUILD_DIR:-$root/build}
"$root/scripts/build.sh"
data=${KIOSK_DATA_DIR:-$root/run/kiosk-data}
kioskctl="$build/kiosk/ctl/kioskctl"
if [[ ! -f "$data/kiosk.toml" ]]; then
  "$kioskctl" init --data-dir "$data" --kiosk-id 7K3M --centre "Trung tâm phục vụ hành chính công (thử nghiệm)"
fi
exec "$kioskctl" status --data-dir "$data"
