#!/usr/bin/env bash
# Installs both packages into a clean Debian 12 root (debootstrap, minbase) and runs them there:
# provision and enrol a kiosk, submit and sync a record; upgrade both to a newer build (their
# postinsts run the migrations) and check nothing was lost; remove (data stays), purge (gone).
#
# Usage (as root; downloads from deb.debian.org): scripts/package-test.sh [--root DIR] [--keep]
#   --root DIR  where the Debian root goes (default: a temp dir; a DIR that already holds a
#               debootstrapped root is reused, which saves the download)
#   --keep      leave the root in place afterwards
#   --from REV  build version 1 from an older commit (a temporary git worktree, built with
#               scripts/build.sh there), so the upgrade really migrates both databases; e.g.
#               --from 8048eff (kiosk schema 3, backend migrations up to 5)
# There is no systemd in a chroot: the services are started by hand as their users, with the
# units' command lines; the units themselves are checked by the deploy_units_verify CTest.
set -euo pipefail
root_src=$(cd "$(dirname "$0")/.." && pwd)
chroot_dir=""
keep=0
from_rev=""
old_src=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --root) chroot_dir=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --from) from_rev=$2; shift 2 ;;
    *) echo "package-test.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $(id -u) -eq 0 ]] || { echo "package-test.sh: needs root (debootstrap, chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "package-test.sh: apt-get install debootstrap" >&2; exit 1; }
[[ -n "$chroot_dir" ]] || chroot_dir=$(mktemp -d /tmp/kiosk-pkgtest-XXXXXX)
work=$(mktemp -d)
R=$chroot_dir
backend_pid=""
step() { printf '\n== %s\n' "$*"; }
fail() { echo "PACKAGE TEST FAILED: $*" >&2; exit 1; }
in_root() { chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root "$@"; }
cleanup() {
  [[ -n "$backend_pid" ]] && kill "$backend_pid" 2>/dev/null || true
  for m in dev/pts dev proc; do mountpoint -q "$R/$m" && umount -l "$R/$m" || true; done
  [[ -n "$old_src" ]] && git -C "$root_src" worktree remove --force "$old_src" 2>/dev/null || true
  rm -rf "$work"
  if [[ $keep -eq 0 ]]; then rm -rf "$R"; else echo "root kept in $R"; fi
}
trap cleanup EXIT

step "packages: two builds, the second one newer"
base=$(sed -n 's/^project(kiosk VERSION \([0-9.]*\).*/\1/p' "$root_src/CMakeLists.txt")
if [[ -n $from_rev ]]; then
  old_src=$work/old-src
  git -C "$root_src" worktree add -q --detach "$old_src" "$from_rev" || fail "no commit $from_rev"
  echo "version 1 from $(git -C "$old_src" log --oneline -1 | cut -c1-72)"
  flock /tmp/kiosk-build.lock "$old_src/scripts/build.sh" >"$work/old-build.log" 2>&1 ||
    { tail -20 "$work/old-build.log"; fail "building $from_rev"; }
  KIOSK_BUILD_DIR=$old_src/build "$old_src/scripts/package.sh" --out "$work/v1" --version "$base+pkgtest1" >/dev/null
else
  "$root_src/scripts/package.sh" --out "$work/v1" --version "$base+pkgtest1" >/dev/null
fi
"$root_src/scripts/package.sh" --out "$work/v2" --version "$base+pkgtest2" >/dev/null

step "a clean Debian 12 root in $R"
if [[ ! -x "$R/usr/bin/apt-get" ]]; then
  debootstrap --variant=minbase bookworm "$R" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log"; fail "debootstrap"; }
fi
cp /etc/resolv.conf "$R/etc/resolv.conf"
mount -t proc proc "$R/proc"
mount --bind /dev "$R/dev"
mount --bind /dev/pts "$R/dev/pts"
mkdir -p "$R/pkgs"
cp "$work"/v1/*.deb "$work"/v2/*.deb "$R/pkgs/"
export DEBIAN_FRONTEND=noninteractive
in_root apt-get update -q >"$work/apt.log" 2>&1 || { tail "$work/apt.log"; fail "apt-get update"; }

# A kept root from a run that failed half-way may still hold the packages and their data.
in_root apt-get purge -y -q kiosk kiosk-backend >>"$work/apt.log" 2>&1 || true
rm -rf "$R/var/lib/kiosk" "$R/var/lib/kiosk-backend" "$R/etc/kiosk" "$R/etc/kiosk-backend"

step "install version 1 (dependencies from the archive)"
in_root apt-get install -y -q --no-install-recommends "/pkgs/kiosk-backend_${base}+pkgtest1_amd64.deb" \
  "/pkgs/kiosk_${base}+pkgtest1_amd64.deb" >>"$work/apt.log" 2>&1 || { tail -30 "$work/apt.log"; fail "install"; }
in_root getent passwd kiosk >/dev/null || fail "no kiosk user"
in_root getent passwd kiosk-backend >/dev/null || fail "no kiosk-backend user"
[[ -d "$R/var/lib/kiosk" && -d "$R/var/lib/kiosk-backend" ]] || fail "no data directories"
[[ -L "$R/etc/kiosk/kiosk.toml" ]] || fail "no /etc/kiosk/kiosk.toml link"
[[ -L "$R/etc/systemd/system/timers.target.wants/kiosk-backup.timer" ]] || fail "backup timer not enabled"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The backend runs with its installed unit's command line and environment (what systemd would
# run, journald taking stderr): ExecStart from the unit, variables from its Environment= lines and
# the env file, only the listening port changed.
start_backend() {
  local unit="$R/lib/systemd/system/kiosk-backend.service"
  local exec; exec=$(sed -n 's/^ExecStart=//p' "$unit")
  [[ -n $exec ]] || fail "no ExecStart in the installed kiosk-backend.service"
  local started; started=$(grep -c "listening on" "$work/backend.log" 2>/dev/null || true)
  chroot "$R" runuser -u kiosk-backend -- /bin/bash -c "
    set -a; $(sed -n 's/^Environment=//p' "$unit"); . /etc/kiosk-backend/kiosk-backend.env; set +a
    KIOSK_BACKEND_LISTEN=127.0.0.1:$port
    exec $exec" >>"$work/backend.log" 2>&1 &
  backend_pid=$!
  for _ in $(seq 1 100); do
    [[ $(grep -c "listening on" "$work/backend.log" 2>/dev/null) -gt ${started:-0} ]] && return 0
    sleep 0.1
  done
  cat "$work/backend.log"; fail "the backend did not start"
}
# The log is kept across restarts (the privacy check reads all of it).
stop_backend() { kill "$backend_pid"; wait "$backend_pid" 2>/dev/null || true; backend_pid=""; }
kctl() { in_root runuser -u kiosk -- /usr/bin/kioskctl --data-dir /var/lib/kiosk "$@"; }
bctl() { in_root runuser -u kiosk-backend -- /usr/bin/kiosk-backend --data-dir /var/lib/kiosk-backend "$@"; }

step "provision, enrol, submit, sync"
start_backend
kctl init --kiosk-id 7K3M --backend "http://127.0.0.1:$port" --staff-pin 2468 >/dev/null
token=$(bctl issue-token --kiosk-id 7K3M | head -n1)
kctl enroll --token "$token" >/dev/null
code1=$(kctl submit --category MOI_TRUONG --body "Cống thoát nước trước nhà số 12 bị tắc nhiều ngày." | head -n1)
kctl sync --once >/dev/null
kctl status --json | grep -q '"uploaded": 1' || fail "record 1 not uploaded: $(kctl status --json)"
# Personal data through the installed programs: none of it may reach a log (the backend's stderr
# is what journald keeps; the kiosk's own log directory).
p_name="Trần Thị Bích Ngọc"; p_phone="0912345678"; p_email="bichngoc.tran@example.vn"
p_addr="Số 27 hẻm 118 đường Lê Văn Sỹ"; p_body="Nhà tôi ở cuối hẻm bị ngập sâu mỗi khi triều cường lên"
codep=$(kctl submit --category MOI_TRUONG --name "$p_name" --phone "$p_phone" --email "$p_email" \
  --address "$p_addr" --consent --body "$p_body, xin phường nạo vét cống." | head -n1)
kctl sync --once >/dev/null
kctl status --json | grep -q '"uploaded": 2' || fail "the record with contact details was not uploaded"
stop_backend

# The backend's schema (PRAGMA user_version), read from the host: minbase has no sqlite3 or python3.
schema_of() { /usr/bin/python3 -c "import sqlite3,sys; print(sqlite3.connect('file:'+sys.argv[1]+'?mode=ro', uri=True).execute('PRAGMA user_version').fetchone()[0])" "$R$1"; }
kiosk_schema1=$(kctl status --json | sed -n 's/.*"schema": \([0-9]*\).*/\1/p')
backend_schema1=$(schema_of /var/lib/kiosk-backend/backend.db)

step "upgrade both to version 2: migrations run, nothing lost"
in_root apt-get install -y -q --no-install-recommends "/pkgs/kiosk-backend_${base}+pkgtest2_amd64.deb" \
  "/pkgs/kiosk_${base}+pkgtest2_amd64.deb" >>"$work/apt.log" 2>&1 || { tail -30 "$work/apt.log"; fail "upgrade"; }
[[ $(in_root dpkg-query -W -f='${Version}' kiosk) == "${base}+pkgtest2" ]] || fail "kiosk not upgraded"
kctl verify >/dev/null || fail "kioskctl verify after the upgrade"
kiosk_schema2=$(kctl status --json | sed -n 's/.*"schema": \([0-9]*\).*/\1/p')
backend_schema2=$(schema_of /var/lib/kiosk-backend/backend.db)
echo "schemas: kiosk $kiosk_schema1 -> $kiosk_schema2, backend $backend_schema1 -> $backend_schema2"
if [[ -n $from_rev ]] && ! [[ $kiosk_schema2 -gt $kiosk_schema1 && $backend_schema2 -gt $backend_schema1 ]]; then
  fail "the upgrade from $from_rev migrated nothing (kiosk $kiosk_schema1 -> $kiosk_schema2, backend $backend_schema1 -> $backend_schema2)"
fi
kctl show "$code1" | grep -q "đã gửi, máy chủ đã xác nhận" || fail "record 1 lost its state"
start_backend
code2=$(kctl submit --category MOI_TRUONG --body "Đèn đường đầu hẻm 45 bị hỏng, buổi tối rất tối." | head -n1)
kctl sync --once >/dev/null
kctl status --json | grep -q '"uploaded": 3' || fail "record 3 not uploaded after the upgrade"
bctl audit >/dev/null || fail "the backend's chain audit after the upgrade"
stop_backend
step "logs of the installed units hold no personal data"
grep -q "listening on" "$work/backend.log" || fail "the backend log is empty (nothing was checked)"
for needle in "$p_name" "$p_phone" "${p_phone:1}" "$p_email" "$p_addr" "$p_body" "Cống thoát nước trước nhà"; do
  if grep -rqF -- "$needle" "$work/backend.log" "$R/var/lib/kiosk/log" "$R/var/log" 2>/dev/null; then
    fail "personal data in a log: ${needle:0:12}…"
  fi
done

step "remove: the data stays"
in_root apt-get remove -y -q kiosk kiosk-backend >>"$work/apt.log" 2>&1 || fail "remove"
[[ -f "$R/var/lib/kiosk/kiosk.db" && -f "$R/var/lib/kiosk-backend/backend.db" ]] || fail "remove deleted data"
[[ ! -e "$R/usr/bin/kiosk" ]] || fail "remove left the program"

step "purge: the data goes"
in_root apt-get purge -y -q kiosk kiosk-backend >>"$work/apt.log" 2>&1 || fail "purge"
[[ ! -e "$R/var/lib/kiosk" && ! -e "$R/var/lib/kiosk-backend" ]] || fail "purge left data"
echo
echo "OK: installed, provisioned, enrolled, synced ($code1, $codep, $code2), logs clean, upgraded, removed, purged"
