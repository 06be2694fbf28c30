#!/usr/bin/env bash
# The PostgreSQL backup that docs/DEPLOY.md documents, done for real: a backend on a private
# cluster takes records from a real kiosk and a staff update; `pg_dump -Fc` of its database;
# `createdb` + `pg_restore` into an empty one; `kiosk-backend migrate` on it; then the backend
# served from the restored database (same data directory, so the same backend.key) answers the
# same statuses, audits the same chains, and the kiosk keeps syncing against it (its enrolment,
# nonces and cursors came back with the dump).
set -euo pipefail
src=${KIOSK_SOURCE_DIR:?}
build=${KIOSK_BUILD_DIR:?}
kioskctl=$build/kiosk/ctl/kioskctl
backend=$build/backend/cli/kiosk-backend
for b in "$kioskctl" "$backend"; do [[ -x $b ]] || { echo "FAIL: $b not built"; exit 1; }; done
bin=${KIOSK_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[[ -x "$bin/pg_dump" && -x "$bin/pg_restore" ]] ||
  { echo "SKIP: PostgreSQL client tools not installed"; exit 77; }

work=$(mktemp -d /tmp/kiosk-pgdump-XXXXXX)
chmod 711 "$work"  # the server (user postgres when run as root) must reach its directory
pid=""
cleanup() {
  [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
  "$src/scripts/pg-private.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [[ -f $work/backend.log ]] && tail -5 "$work/backend.log"; exit 1; }

uri=$("$src/scripts/pg-private.sh" start "$work/pg" kiosk)
restored=$("$src/scripts/pg-private.sh" uri "$work/pg" kiosk_restored)
host=$(sed -n 's/.*host=\([^&]*\).*/\1/p' <<<"$uri")
[[ -n $host ]] || host=$(python3 -c 'import sys,urllib.parse as u; q=u.parse_qs(u.urlparse(sys.argv[1]).query); print(q.get("host",[""])[0])' "$uri")
[[ -n $host ]] || fail "no socket directory in $uri"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$work/backend
serve() {  # database
  : >"$work/backend.log"
  "$backend" --data-dir "$data" --database "$1" serve --listen "127.0.0.1:$port" >"$work/backend.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    grep -q "listening on" "$work/backend.log" && return 0
    sleep 0.1
  done
  fail "the backend did not start on $1"
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }
status() {  # code -> the public status JSON, its volatile parts dropped
  curl -sf "http://127.0.0.1:$port/api/v1/public/status/$1" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("server_time",None); print(json.dumps(d,sort_keys=True))'
}

# A backend on PostgreSQL with three records from a real kiosk and one staff update.
"$backend" --data-dir "$data" --database "$uri" migrate >/dev/null
serve "$uri"
k=$work/kiosk
"$kioskctl" --data-dir "$k" init --kiosk-id 7K3M --backend "http://127.0.0.1:$port" >/dev/null
token=$("$backend" --data-dir "$data" --database "$uri" issue-token --kiosk-id 7K3M | head -n1)
"$kioskctl" --data-dir "$k" enroll --token "$token" >/dev/null || fail "enrol"
codes=()
for body in "Cống thoát nước trước nhà số 12 bị tắc nhiều ngày." \
            "Đèn đường đầu hẻm 45 bị hỏng, buổi tối rất tối." \
            "Rác thải đổ trộm ở bờ kênh gần chợ chưa được thu gom."; do
  codes+=("$("$kioskctl" --data-dir "$k" submit --category MOI_TRUONG --body "$body" | head -n1)")
done
"$kioskctl" --data-dir "$k" sync --once >/dev/null || fail "sync before the dump"
"$backend" --data-dir "$data" --database "$uri" update "${codes[0]}" --status forwarded \
  --agency "UBND phường Sài Gòn" --officer "Nguyễn Văn An" --note "Đã chuyển tổ dân phố 3" >/dev/null ||
  fail "staff update"
before=()
for c in "${codes[@]}"; do before+=("$(status "$c")"); done
[[ ${before[0]} == *forwarded* ]] || fail "the update is not visible before the dump: ${before[0]}"
stop

# The documented backup and restore (docs/DEPLOY.md, "Backups of a PostgreSQL backend").
"$bin/pg_dump" -Fc -d "$uri" -f "$work/kiosk.dump" || fail "pg_dump"
"$bin/createdb" -h "$host" -U kiosk kiosk_restored || fail "createdb"
"$bin/pg_restore" -d "$restored" "$work/kiosk.dump" || fail "pg_restore"
"$backend" --data-dir "$data" --database "$restored" migrate >/dev/null || fail "migrate on the restored database"

# Served from the restored database: the same answers, the same chains, and the kiosk goes on.
serve "$restored"
for i in "${!codes[@]}"; do
  after=$(status "${codes[$i]}")
  [[ $after == "${before[$i]}" ]] || fail "status of ${codes[$i]} changed: ${before[$i]} -> $after"
done
"$backend" --data-dir "$data" --database "$restored" audit >/dev/null || fail "chain audit on the restored database"
code4=$("$kioskctl" --data-dir "$k" submit --category MOI_TRUONG --body "Nước sinh hoạt bị đục từ sáng nay." | head -n1)
"$kioskctl" --data-dir "$k" sync --once >/dev/null || fail "sync after the restore"
[[ $(status "$code4") == *received* ]] || fail "the record after the restore did not arrive: $(status "$code4")"
"$kioskctl" --data-dir "$k" status --json | grep -q '"uploaded": 4' || fail "kiosk counts: $("$kioskctl" --data-dir "$k" status --json)"
stop
echo "OK: pg_dump -Fc, createdb, pg_restore, migrate: 3 statuses identical, audit clean, kiosk synced a 4th record"
