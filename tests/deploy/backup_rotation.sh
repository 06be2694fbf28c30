#!/usr/bin/env bash
# The daily backup (kiosk-backup.service runs scripts/deploy/kiosk-backup): each run writes a
# consistent copy of the real database with kioskctl backup; only the newest 7 are kept.
set -euo pipefail
src=${KIOSK_SOURCE_DIR:?}
build=${KIOSK_BUILD_DIR:?}
kioskctl=$build/kiosk/ctl/kioskctl
[[ -x $kioskctl ]] || { echo "FAIL: $kioskctl not built"; exit 1; }
command -v sqlite3 >/dev/null || { echo "SKIP: sqlite3 not installed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data=$work/data
"$kioskctl" --data-dir "$data" init --kiosk-id 7K3M >/dev/null
"$kioskctl" --data-dir "$data" submit --category MOI_TRUONG \
  --body "Rác thải đổ trộm ở đầu hẻm 45 nhiều ngày chưa được thu gom." >/dev/null
# Older copies, as earlier days left them (the newest 7 of all must stay).
mkdir -p "$data/backups"
for d in 01 02 03 04 05 06 07 08; do
  cp "$data/kiosk.db" "$data/backups/kiosk-202611${d}T020000Z.db"
done
touch "$data/backups/unrelated.txt"
for _ in 1 2 3; do KIOSK_DATA_DIR=$data KIOSKCTL=$kioskctl "$src/scripts/deploy/kiosk-backup"; done
mapfile -t kept < <(ls -1 "$data/backups" | grep -E '^kiosk-.*\.db$' | sort)
if [[ ${#kept[@]} -ne 7 ]]; then echo "FAIL: ${#kept[@]} copies kept: ${kept[*]}"; exit 1; fi
# The three new ones and the four newest old ones.
[[ ${kept[0]} == kiosk-20261105T020000Z.db ]] || { echo "FAIL: oldest kept is ${kept[0]}"; exit 1; }
[[ -e "$data/backups/unrelated.txt" ]] || { echo "FAIL: a file not a backup was deleted"; exit 1; }
new=$(ls -1 "$data/backups" | grep -v '^kiosk-202611' | grep -c '^kiosk-')
[[ $new -eq 3 ]] || { echo "FAIL: $new new copies"; exit 1; }
for f in "${kept[@]}"; do
  [[ $(sqlite3 "$data/backups/$f" 'PRAGMA integrity_check') == ok ]] || { echo "FAIL: $f corrupt"; exit 1; }
done
latest=$(ls -1 "$data/backups" | grep -v '^kiosk-202611' | grep '^kiosk-' | sort | tail -1)
[[ $(sqlite3 "$data/backups/$latest" 'SELECT count(*) FROM records') -eq 1 ]] ||
  { echo "FAIL: the copy lacks the record"; exit 1; }
echo "OK: 7 copies kept, each a sound database"
