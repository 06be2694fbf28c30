#!/usr/bin/env bash
# The benchmark suite (issue #7): builds the benchmark programs, runs them, prints a table and
# writes bench/results/latest.json. Numbers only: nothing here passes or fails on time.
#
#   scripts/bench.sh           full run (about 30 minutes on 2 cores; five drains of 10,000 records)
#   scripts/bench.sh --quick   short run (about 7 minutes): fewer records, shorter outage
#   scripts/bench.sh backend [--quick]   only the city backend, SQLite vs PostgreSQL (about 15
#                              minutes; quick about 3): ingest from 8 kiosks, a seeded database
#                              of 1,000,000 records and 3,000,000 status events, read latency.
#                              Writes bench/results/backend.json unless KIOSK_BENCH_OUT is set.
#
# KIOSK_BENCH_BUILD_DIR (default build-bench), KIOSK_JOBS, KIOSK_BENCH_OUT override defaults.
# KIOSK_BENCH_PG_DIR: where the private PostgreSQL cluster lives (default: the run's temporary
# directory, removed at the end); a kept directory keeps its seeded database for the next run.
# Needs Xvfb (from scripts/bootstrap.sh); starts its own server on a free display.
# On a shared machine run it under the team's lock: flock /tmp/kiosk-build.lock scripts/bench.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${KIOSK_BENCH_BUILD_DIR:-$root/build-bench}
mode=full
section=all
for a in "$@"; do
  case $a in
    --quick) mode=quick ;;
    backend) section=backend ;;
    drain) section=drain ;;
    *) echo "usage: $0 [backend|drain] [--quick]" >&2; exit 2 ;;
  esac
done
if [[ $section == backend ]]; then
  out=${KIOSK_BENCH_OUT:-$root/bench/results/backend.json}
elif [[ $section == drain ]]; then
  out=${KIOSK_BENCH_OUT:-$root/bench/results/drain.json}
else
  out=${KIOSK_BENCH_OUT:-$root/bench/results/latest.json}
fi

if [[ $mode == quick ]]; then
  records=2000; drain_records=1000; outage=10; confirm_n=200; idle_s=10; cold_runs=3
  per_kiosk=1000; base_link=10; body_repeats=1
  be_per_kiosk=1000; be_repeats=2; be_seed_records=100000; be_requests=300; be_case_s=5
else
  records=10000; drain_records=10000; outage=60; confirm_n=1000; idle_s=30; cold_runs=7
  per_kiosk=2500; base_link=40; body_repeats=3
  be_per_kiosk=5000; be_repeats=3; be_seed_records=1000000; be_requests=1000; be_case_s=15
fi

# Overrides for partial re-runs: KIOSK_BENCH_DRAIN_RECORDS, KIOSK_BENCH_OUTAGE_S,
# KIOSK_BENCH_LOSS_MODELS ("random,bursty", or "none" to skip the relay drains).
drain_records=${KIOSK_BENCH_DRAIN_RECORDS:-$drain_records}
outage=${KIOSK_BENCH_OUTAGE_S:-$outage}
loss_models=${KIOSK_BENCH_LOSS_MODELS:-random,bursty}

"$root/scripts/bootstrap.sh"
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DKIOSK_BUILD_BENCH=ON >/dev/null
fi
if [[ $section == backend ]]; then
  targets=(kiosk-backend bench_backend bench_seed)
elif [[ $section == drain ]]; then
  targets=(kiosk-backend bench_sync bench_link bench_tunlink)
else
  targets=(kiosk kiosk-backend bench_ui bench_confirm bench_sync bench_ingest bench_link bench_tunlink bench_backend bench_seed)
fi
cmake --build "$build" -j "${KIOSK_JOBS:-$(nproc)}" --target "${targets[@]}" >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-bench.XXXXXX")
chmod 711 "$work"  # the PostgreSQL server (user postgres) must reach its directory inside
pg_dir=${KIOSK_BENCH_PG_DIR:-$work/pg}
pg_started=""
xvfb_pid=""
kiosk_pid=""
allowed_cc=""
cleanup() {
  [[ -n "$kiosk_pid" ]] && kill "$kiosk_pid" 2>/dev/null || true
  for p in $(jobs -p); do kill "$p" 2>/dev/null || true; done
  for ns in "kbk$$" "kbb$$"; do ip netns del "$ns" 2>/dev/null || true; done
  [[ -n "$allowed_cc" ]] && sysctl -qw net.ipv4.tcp_allowed_congestion_control="$allowed_cc" || true
  [[ -n "$xvfb_pid" ]] && kill "$xvfb_pid" 2>/dev/null || true
  [[ -n "$pg_started" ]] && "$root/scripts/pg-private.sh" stop "$pg_dir" || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$(dirname "$out")"
rm -f "$out"
python3 - "$out" "$mode" <<'PY'
import json, os, platform, subprocess, sys, datetime
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next((int(l.split()[1]) // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
mesa = subprocess.run(["sh", "-c", "dpkg-query -W -f='${Version}' libgl1-mesa-dri"], capture_output=True, text=True).stdout
json.dump({"machine": {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                       "mode": sys.argv[2], "cpus": os.cpu_count(), "cpu": cpu, "mem_mib": mem,
                       "kernel": platform.release(), "mesa": mesa,
                       "loadavg_at_start": open("/proc/loadavg").read().split()[:3]}},
          open(sys.argv[1], "w"), indent=2)
PY

# ---- the city backend: SQLite vs PostgreSQL (docs/BENCHMARKS.md, "City backend") ---------------
# A private PostgreSQL 15 cluster (scripts/pg-private.sh: Unix socket only, durability as shipped,
# shared_buffers 1 GB); one data directory (backend.key) for all backend processes.
backend_section() {
  local backend_bin="$build/backend/cli/kiosk-backend" pg_uri city_uri seed_dir="$pg_dir/seed-$be_seed_records"
  export KIOSK_PG_OPTS=${KIOSK_PG_OPTS:--c shared_buffers=1GB -c max_connections=200}
  pg_uri=$("$root/scripts/pg-private.sh" start "$pg_dir")
  pg_started=1  # stopped at exit; a kept KIOSK_BENCH_PG_DIR keeps its data
  # Ingest: 8 kiosks; SQLite 1 process, PostgreSQL 1 and 3 processes, interleaved repeats.
  "$build/bench/bench_backend" ingest --fixtures "$root/tests/fixtures" --work "$work/backend-ingest" \
    --backend-bin "$backend_bin" --pg "$pg_uri" --pg-data "$pg_dir" --configs sqlite,pg1,pg3 --kiosks 8 \
    --records-per-kiosk "$be_per_kiosk" --repeats "$be_repeats" --out "$out"
  # The seeded city database (kept with KIOSK_BENCH_PG_DIR: seeding is the slow part).
  local db="city_$be_seed_records"
  city_uri=$("$root/scripts/pg-private.sh" start "$pg_dir" "$db")
  if [[ ! -f "$seed_dir/manifest.json" ]]; then
    rm -rf "$seed_dir"
    "$backend_bin" --data-dir "$seed_dir/backend" --database "$city_uri" migrate >/dev/null
    "$build/bench/bench_seed" --database "$city_uri" --fixtures "$root/tests/fixtures" --out-dir "$seed_dir" \
      --records "$be_seed_records" --out "$out"
  else
    echo "bench: reusing the seeded database $db in $pg_dir"
    python3 - "$out" "$seed_dir/manifest.json" <<'PY'
import json, sys
out, manifest = sys.argv[1:]
r = json.load(open(out)); m = json.load(open(manifest))
for k in ("kiosk_ids", "keys_dir", "categories", "codes_sample"):
    m.pop(k, None)
m["reused"] = True
r["backend_seed"] = m
json.dump(r, open(out, "w"), indent=2)
PY
  fi
  # Latency: 1 process at concurrency 1 and 8; 3 processes sharing the port at concurrency 8.
  "$build/bench/bench_backend" latency --backend-bin "$backend_bin" --database "$city_uri" \
    --manifest "$seed_dir/manifest.json" --work "$work/backend-latency" --pg-data "$pg_dir" --processes 1 \
    --concurrency 1,8 --requests "$be_requests" --max-seconds "$be_case_s" --label pg1 --out "$out"
  "$build/bench/bench_backend" latency --backend-bin "$backend_bin" --database "$city_uri" \
    --manifest "$seed_dir/manifest.json" --work "$work/backend-latency" --pg-data "$pg_dir" --processes 3 \
    --concurrency 8 --requests "$be_requests" --max-seconds "$be_case_s" --label pg3 --no-proposal --out "$out"
  mkdir -p "$(dirname "$out")"
  for f in "$work"/backend-latency/explain-*.txt; do cp "$f" "$(dirname "$out")/backend-$(basename "$f")"; done
}

if [[ $section == backend ]]; then
  backend_section
  python3 "$root/bench/report.py" "$out"
  echo "results: $out"
  exit 0
fi

fixtures="$root/tests/fixtures"
if [[ $section == all ]]; then
# ---- the kiosk under Xvfb + llvmpipe ----------------------------------------------------------
display=99
while [[ -e /tmp/.X${display}-lock ]]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1920x1920x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY=":$display"
sleep 1
export LIBGL_ALWAYS_SOFTWARE=1

# Provision a data directory the way the product does on first start, with a demo submission.
"$build/kiosk/app/kiosk" --data-dir "$work/ui" --demo --windowed 1080x1920 --speech-wav "$work/demo.wav" >/dev/null 2>&1

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
idle_json="{}"
for size in 1080x1920 1920x1080; do
  "$build/kiosk/app/kiosk" --data-dir "$work/ui" --windowed "$size" --speech-wav "$work/idle.wav" >/dev/null 2>&1 &
  kiosk_pid=$!
  sleep 3
  k0=$(cpu_ticks "$kiosk_pid"); x0=$(cpu_ticks "$xvfb_pid"); t0=$(date +%s.%N)
  sleep "$idle_s"
  k1=$(cpu_ticks "$kiosk_pid"); x1=$(cpu_ticks "$xvfb_pid"); t1=$(date +%s.%N)
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$kiosk_pid/status")
  kill "$kiosk_pid"; wait "$kiosk_pid" 2>/dev/null || true; kiosk_pid=""
  idle_json=$(python3 -c "
import json,sys
d=json.loads(sys.argv[1]); hz=$(getconf CLK_TCK); dt=$t1-$t0
d['$size']={'seconds':dt,'kiosk_cpu_pct':($k1-$k0)/hz/dt*100,'xvfb_cpu_pct':($x1-$x0)/hz/dt*100,'kiosk_peak_rss_kb':$hwm}
print(json.dumps(d))" "$idle_json")
  echo "idle $size: $(python3 -c "import json,sys; print(json.loads(sys.argv[1])['$size'])" "$idle_json")"
done
python3 -c "
import json,sys
f=sys.argv[1]; d=json.load(open(f)); d['idle']=json.loads(sys.argv[2]); json.dump(d,open(f,'w'),indent=2)" "$out" "$idle_json"

"$build/bench/bench_ui" --data-dir "$work/ui" --out "$out" --cold-runs "$cold_runs" --body-repeats "$body_repeats"
kill "$xvfb_pid" 2>/dev/null || true; xvfb_pid=""

# ---- confirm, sync, ingest ----------------------------------------------------------------------
"$build/bench/bench_confirm" --fixtures "$fixtures" --work "$work/confirm" --out "$out" --n "$confirm_n"
"$build/bench/bench_ingest" --fixtures "$fixtures" --work "$work/ingest" --out "$out" \
  --backend-bin "$build/backend/cli/kiosk-backend" --records-per-kiosk "$per_kiosk"
"$build/bench/bench_sync" --fixtures "$fixtures" --work "$work/sync" --out "$out" --records "$records" \
  --seed-dir "$work/seed-$records" --drain-records "$drain_records" --outage-s "$outage" --loss-models "$loss_models" \
  --baseline-link-records "$base_link"
fi

# ---- drain with real TCP: two network namespaces joined by bench_tunlink -------------------------
# Kiosk side (kb-k): the sync worker -> a plain forwarder on 127.0.0.1 (the client speaks plain
# HTTP only to loopback) -> 10.77.0.2 over the emulated link. Backend side (kb-b): kiosk-backend.
# The congestion control is set per namespace, so both senders (forwarder up, backend down) use it.
netns_drain() {  # cc loss label
  local cc=$1 loss=$2 label=$3 nk="kbk$$" nb="kbb$$" d="$work/netns-$3"
  mkdir -p "$d"
  ip netns add "$nk"; ip netns add "$nb"
  "$build/bench/bench_tunlink" --ns-kiosk "$nk" --ns-backend "$nb" --loss "$loss" --outage-s "$outage" \
    --max-seconds 10800 >"$d/tun.out" 2>"$d/tun.err" &
  local tun=$!
  for _ in $(seq 50); do grep -q ready "$d/tun.out" 2>/dev/null && break; sleep 0.1; done
  ip netns exec "$nk" sysctl -qw net.ipv4.tcp_congestion_control="$cc"
  ip netns exec "$nb" sysctl -qw net.ipv4.tcp_congestion_control="$cc"
  ip netns exec "$nb" "$build/backend/cli/kiosk-backend" serve --data-dir "$d/backend" --listen 10.77.0.2:8470 \
    >"$d/backend.out" 2>/dev/null &
  local backend=$!
  for _ in $(seq 50); do grep -q listening "$d/backend.out" 2>/dev/null && break; sleep 0.1; done
  local token; token=$("$build/backend/cli/kiosk-backend" issue-token --kiosk-id 7K3M --data-dir "$d/backend")
  ip netns exec "$nk" "$build/bench/bench_link" --target 8470 --target-host 10.77.0.2 --loss none --rate 0 \
    --rtt-ms 0 --max-seconds 10800 >"$d/fwd.out" 2>/dev/null &
  local fwd=$!
  for _ in $(seq 50); do grep -q listening "$d/fwd.out" 2>/dev/null && break; sleep 0.1; done
  local port; port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$d/fwd.out")
  ip netns exec "$nk" "$build/bench/bench_sync" --fixtures "$fixtures" --work "$d/sync" --seed-dir "$work/seed-$drain_records" \
    --records "$drain_records" --drain-external "http://127.0.0.1:$port" --token "$token" --cut-pid "$tun" \
    --label "netns_$label" --out "$out" || true
  kill "$fwd" "$backend"; wait "$fwd" "$backend" 2>/dev/null || true
  kill "$tun"; wait "$tun" 2>/dev/null || true
  ip netns del "$nk"; ip netns del "$nb"
  python3 - "$out" "netns_$label" "$d/tun.out" "$d/fwd.out" "$cc" "$loss" "$outage" <<'PY'
import json, re, sys
out, label, tun, fwd, cc, loss, outage = sys.argv[1:]
r = json.load(open(out)); key = "drain_" + label
t = json.loads(open(tun).read().splitlines()[-1])
m = re.search(r"up (\d+) B, down (\d+) B", open(fwd).read())
app_up, app_down = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
rate = 256000
run = r.setdefault(key, {})
run.update({"congestion_control": cc, "loss_model": loss, "outage_s": int(outage), "tunlink": t,
            "app_bytes_up": app_up, "app_bytes_down": app_down,
            "physical_limit_s": max(app_up, app_down) * 8 / rate,
            "physical_limit_ip_s": max(t["ip_bytes_up"], t["ip_bytes_down"]) * 8 / rate})
if run.get("seconds"):
    run["ratio_to_physical"] = run["seconds"] / run["physical_limit_s"]
    run["ratio_to_physical_plus_outage"] = run["seconds"] / (run["physical_limit_s"] + int(outage))
json.dump(r, open(out, "w"), indent=2)
print(f"{key}: {run.get('seconds', 0):.0f} s, limit {run['physical_limit_s']:.0f} s, ratio {run.get('ratio_to_physical', 0):.2f}")
PY
}

# ---- the same link, the kiosk's own connection over it: HTTPS straight to nginx ------------------
# As deployed: the sync worker -> TLS -> nginx (backend side, 10.77.0.2:8443, certificate from a
# private CA made here) -> kiosk-backend on the backend side's loopback. No forwarder, so the
# kiosk's socket is the one on the link and its TCP_CONGESTION choice (BBR when the kernel allows
# it) is what drives the upload. Both namespaces keep the default CUBIC; $allowed decides whether
# the kiosk may choose BBR ("reno cubic bbr") or falls back quietly ("reno cubic").
netns_drain_tls() {  # allowed-list loss label
  local allowed=$1 loss=$2 label=$3 nk="kbk$$" nb="kbb$$" d="$work/netns-$3"
  mkdir -p "$d/ca" "$d/nginx/tmp"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/ca/ca.key" \
    -out "$d/ca/ca.pem" -days 2 -subj "/CN=bench private CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/ca/site.key" \
    -out "$d/ca/site.csr" -subj "/CN=10.77.0.2" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:10.77.0.2\n' >"$d/ca/site.ext"
  openssl x509 -req -in "$d/ca/site.csr" -CA "$d/ca/ca.pem" -CAkey "$d/ca/ca.key" -CAcreateserial \
    -days 2 -extfile "$d/ca/site.ext" -out "$d/ca/site.pem" 2>/dev/null
  chown -R nobody "$d/nginx/tmp"
  cat >"$d/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $d/nginx/nginx.pid;
error_log $d/nginx/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $d/nginx/tmp/body;
  proxy_temp_path $d/nginx/tmp/proxy;
  fastcgi_temp_path $d/nginx/tmp/fastcgi;
  uwsgi_temp_path $d/nginx/tmp/uwsgi;
  scgi_temp_path $d/nginx/tmp/scgi;
  upstream kiosk_backend { server 127.0.0.1:8470; keepalive 4; }
  server {
    listen 10.77.0.2:8443 ssl;
    server_name _;
    ssl_certificate $d/ca/site.pem;
    ssl_certificate_key $d/ca/site.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / { include $root/scripts/deploy/nginx/kiosk-backend-proxy.conf; }
  }
}
NGINX
  sysctl -qw net.ipv4.tcp_allowed_congestion_control="$allowed"
  ip netns add "$nk"; ip netns add "$nb"
  "$build/bench/bench_tunlink" --ns-kiosk "$nk" --ns-backend "$nb" --loss "$loss" --outage-s "$outage" \
    --max-seconds 10800 >"$d/tun.out" 2>"$d/tun.err" &
  local tun=$!
  for _ in $(seq 50); do grep -q ready "$d/tun.out" 2>/dev/null && break; sleep 0.1; done
  ip netns exec "$nk" sysctl -qw net.ipv4.tcp_congestion_control=cubic
  ip netns exec "$nb" sysctl -qw net.ipv4.tcp_congestion_control=cubic
  ip netns exec "$nb" "$build/backend/cli/kiosk-backend" serve --data-dir "$d/backend" --listen 127.0.0.1:8470 \
    --trusted-proxy 127.0.0.1 >"$d/backend.out" 2>/dev/null &
  local backend=$!
  for _ in $(seq 50); do grep -q listening "$d/backend.out" 2>/dev/null && break; sleep 0.1; done
  ip netns exec "$nb" /usr/sbin/nginx -p "$d/nginx" -e "$d/nginx/error.log" -c "$d/nginx/nginx.conf" -g "daemon off;" &
  local nginx=$!
  sleep 0.5
  local token; token=$("$build/backend/cli/kiosk-backend" issue-token --kiosk-id 7K3M --data-dir "$d/backend")
  ip netns exec "$nk" "$build/bench/bench_sync" --fixtures "$fixtures" --work "$d/sync" --seed-dir "$work/seed-$drain_records" \
    --records "$drain_records" --drain-external "https://10.77.0.2:8443" --ca-bundle "$d/ca/ca.pem" \
    --token "$token" --cut-pid "$tun" --label "netns_$label" --out "$out" &
  local drain=$!
  # What the kiosk's socket on the link really uses, seen from outside (ss -i names the algorithm).
  for _ in $(seq 100); do
    ip netns exec "$nk" ss -tin dst 10.77.0.2 >"$d/ss.txt" 2>/dev/null
    grep -qE 'bbr|cubic|reno' "$d/ss.txt" && break
    sleep 0.2
  done
  wait "$drain" || true
  kill "$nginx" "$backend"; wait "$nginx" "$backend" 2>/dev/null || true
  kill "$tun"; wait "$tun" 2>/dev/null || true
  ip netns del "$nk"; ip netns del "$nb"
  python3 - "$out" "netns_$label" "$d/tun.out" "$allowed" "$loss" "$outage" "$d/ss.txt" <<'PY'
import json, re, sys
out, label, tun, allowed, loss, outage, ss = sys.argv[1:]
m = re.search(r"\b(bbr|cubic|reno)\b", open(ss).read())
r = json.load(open(out)); key = "drain_" + label
t = json.loads(open(tun).read().splitlines()[-1])
rate = 256000
run = r.setdefault(key, {})
# No forwarder counts application bytes here: the limit is the IP bytes (TLS records, headers and
# retransmissions included) that crossed the link, the stricter reading.
run.update({"congestion_control": m.group(1) if m else "unknown", "allowed": allowed,
            "loss_model": loss, "outage_s": int(outage), "tunlink": t, "transport": "https via nginx",
            "physical_limit_ip_s": max(t["ip_bytes_up"], t["ip_bytes_down"]) * 8 / rate})
run["physical_limit_s"] = run["physical_limit_ip_s"]
if run.get("seconds"):
    run["ratio_to_physical"] = run["seconds"] / run["physical_limit_s"]
    run["ratio_to_physical_plus_outage"] = run["seconds"] / (run["physical_limit_s"] + int(outage))
json.dump(r, open(out, "w"), indent=2)
print(f"{key}: {run.get('seconds', 0):.0f} s, limit {run['physical_limit_s']:.0f} s (IP bytes), "
      f"ratio {run.get('ratio_to_physical', 0):.2f}, with the outage {run.get('ratio_to_physical_plus_outage', 0):.2f}, "
      f"kiosk socket: {run['congestion_control']}")
PY
}
if [[ $mode == full || $section == drain || -n "${KIOSK_BENCH_NETNS:-}" ]] && ip netns add "kbtest$$" 2>/dev/null; then
  ip netns del "kbtest$$"
  # A namespace may only pick an algorithm on the root's allowed list; it is put back afterwards.
  allowed_cc=$(cat /proc/sys/net/ipv4/tcp_allowed_congestion_control)
  sysctl -qw net.ipv4.tcp_allowed_congestion_control="reno cubic bbr"
  netns_drain cubic random cubic_random
  netns_drain bbr random bbr_random
  netns_drain cubic bursty cubic_bursty
  netns_drain_tls "reno cubic bbr" random tls_kiosk_bbr_random
  netns_drain_tls "reno cubic" random tls_kiosk_cubic_random
  sysctl -qw net.ipv4.tcp_allowed_congestion_control="$allowed_cc"; allowed_cc=""
else
  echo "bench: namespace drain skipped (quick run, or ip netns unavailable)"
fi

[[ $section == all ]] && backend_section

python3 "$root/bench/report.py" "$out"
echo "results: $out"
