#!/usr/bin/env bash
# The README's run command: builds everything, starts the reference backend on loopback
# (run/backend-data), provisions and enrols a demo kiosk on first start (run/kiosk-data), and
# runs the kiosk. Without a display it runs the kiosk on a virtual display (Xvfb) in demo mode:
# a sample submission through the real screens, stored, printed to a PNG, synced.
#
#   KIOSK_FULLSCREEN=1  real kiosk mode (fullscreen; only the staff panel exits — PIN 1234)
#   KIOSK_LANDSCAPE=1   1920x1080 instead of 1080x1920
#   KIOSK_DATABASE=postgresql  the same demo with the backend on a private PostgreSQL cluster
#                       (run/pg, started and stopped by scripts/pg-private.sh) instead of SQLite
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${KIOSK_BUILD_DIR:-$root/build}
"$root/scripts/build.sh"
run=${KIOSK_RUN_DIR:-$root/run}
kdata=$run/kiosk-data
bdata=$run/backend-data
port=${KIOSK_BACKEND_PORT:-8470}
kioskctl="$build/kiosk/ctl/kioskctl"
backend="$build/backend/cli/kiosk-backend"
kiosk="$build/kiosk/app/kiosk"
mkdir -p "$run"

# 1. The reference backend, on loopback, for as long as this script runs. SQLite in the data
#    directory by default; KIOSK_DATABASE=postgresql runs it on a private PostgreSQL cluster.
db_args=()
pg_started=""
if [[ "${KIOSK_DATABASE:-sqlite}" == postgresql ]]; then
  pg_url=$("$root/scripts/pg-private.sh" start "$run/pg")
  pg_started=1
  db_args=(--database "$pg_url")
  echo "PostgreSQL: $pg_url"
fi
"$backend" --data-dir "$bdata" "${db_args[@]}" serve --listen "127.0.0.1:$port" >>"$run/backend.log" 2>&1 &
backend_pid=$!
cleanup() {
  kill $backend_pid 2>/dev/null || true
  wait $backend_pid 2>/dev/null || true
  [[ -n "$pg_started" ]] && "$root/scripts/pg-private.sh" stop "$run/pg" >/dev/null 2>&1 || true
}
trap cleanup EXIT
for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && break
  kill -0 $backend_pid 2>/dev/null || { echo "run.sh: the backend did not start (see $run/backend.log)" >&2; exit 1; }
  sleep 0.1
done
echo "Máy chủ tham chiếu / reference backend: http://127.0.0.1:$port  (log: $run/backend.log)"

# 2. First start: a kiosk with embedded defaults, enrolled with the local backend, whose
#    receipts point at the local tracking page.
if [[ ! -f "$kdata/kiosk.toml" ]]; then
  python3 - "$root/assets/config/default-config.json" "$run/local-config.json" "$port" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["version"] = c["version"] + "-local"
c["tracking_base_url"] = "HTTP://127.0.0.1:%s/T/" % sys.argv[3]
json.dump(c, open(sys.argv[2], "w"), ensure_ascii=False, indent=2)
PY
  "$backend" --data-dir "$bdata" "${db_args[@]}" config set "$run/local-config.json" >/dev/null
  "$kioskctl" init --data-dir "$kdata" --kiosk-id 7K3M --centre "Trung tâm phục vụ hành chính công (thử nghiệm)" \
      --backend "http://127.0.0.1:$port" --printer "png://$kdata/receipts" --staff-pin 1234 >/dev/null
  mkdir -p "$kdata/receipts"
  token=$("$backend" --data-dir "$bdata" "${db_args[@]}" issue-token --kiosk-id 7K3M | tail -n 1)
  "$kioskctl" enroll --data-dir "$kdata" --token "$token" >/dev/null
  "$kioskctl" sync --once --data-dir "$kdata" >/dev/null || true   # fetch the local config
  echo "Ki-ốt 7K3M đã được khởi tạo và đăng ký / kiosk provisioned and enrolled (staff PIN 1234)"
fi

# 3. The kiosk.
if [[ -n "${DISPLAY:-}" ]]; then
  size=1080x1920; [[ -n "${KIOSK_LANDSCAPE:-}" ]] && size=1920x1080
  if [[ -n "${KIOSK_FULLSCREEN:-}" ]]; then
    "$kiosk" --data-dir "$kdata"
  else
    "$kiosk" --data-dir "$kdata" --windowed "$size"
  fi
  exit $?
fi

echo "Không có màn hình (DISPLAY): chạy thử trên màn hình ảo / no display: demo on a virtual display"
out=$(xvfb-run -a -s "-screen 0 1920x1920x24" "$kiosk" --data-dir "$kdata" --demo --windowed 1080x1920)
echo "$out"
code=$(echo "$out" | sed -n 's/^Mã số tra cứu \/ tracking code: //p')
"$kioskctl" sync --once --data-dir "$kdata" >/dev/null || true
echo
"$kioskctl" show "$code" --data-dir "$kdata"
echo "Trang tra cứu trên máy chủ tham chiếu / on the local backend: http://127.0.0.1:$port/t/$code"
