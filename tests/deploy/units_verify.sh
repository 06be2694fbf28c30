#!/usr/bin/env bash
# Every unit file the packages install passes `systemd-analyze verify`, run against a root made
# of the two packages unpacked over the host's own systemd units (targets, getty@, ...). The
# only program a unit starts that no package of ours ships, cage, is copied in from the host.
set -euo pipefail
src=${KIOSK_SOURCE_DIR:?}
command -v systemd-analyze >/dev/null || { echo "SKIP: systemd-analyze not installed"; exit 77; }
[[ -x /usr/bin/cage ]] || { echo "SKIP: cage not installed (scripts/bootstrap.sh)"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$src/scripts/package.sh" --out "$work/debs" >/dev/null
root=$work/root
mkdir -p "$root/lib/systemd/system" "$root/usr/bin"
cp -a /lib/systemd/system/. "$root/lib/systemd/system/"
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$root"; done
cp /usr/bin/cage "$root/usr/bin/cage"
units=()
for deb in "$work"/debs/*.deb; do
  while read -r f; do units+=("$root/${f#./}"); done < <(dpkg-deb -c "$deb" | awk '{print $6}' |
    grep -E '^\./lib/systemd/system/.*\.(service|timer)$')
done
[[ ${#units[@]} -ge 4 ]] || { echo "FAIL: expected 4 units, found ${#units[@]}"; exit 1; }
status=0
log=$(systemd-analyze verify --root="$root" "${units[@]}" 2>&1) || status=$?
echo "$log"
# verify exits 0 on some complaints (unknown keys, bad values): any line about our units fails.
if [[ $status -ne 0 ]] || grep -Eq 'kiosk[-a-z]*\.(service|timer)' <<<"$log"; then
  echo "FAIL: systemd-analyze verify complained about ${units[*]##*/}"
  exit 1
fi
echo "OK: ${units[*]##*/} pass systemd-analyze verify"
