#!/usr/bin/env bash
# Builds the two Debian packages from a built tree (scripts/build.sh), with dpkg-deb:
#   kiosk_<version>_<arch>.deb          kiosk, kioskctl, assets, units, sysctl, udev
#   kiosk-backend_<version>_<arch>.deb  kiosk-backend, hardened unit, nginx site
# Usage: scripts/package.sh [--out DIR] [--version VERSION] [--lintian]
#   VERSION defaults to the CMake project version + "+git<commit count>" (grows with every
#   commit, so a later build upgrades an earlier one). --lintian runs lintian on both and fails
#   on any error. Dependencies come from the real linked libraries (dpkg-shlibdeps).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${KIOSK_BUILD_DIR:-$root/build}
out=$root/build/packages
version=""
run_lintian=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --lintian) run_lintian=1; shift ;;
    *) echo "package.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ -z "$version" ]]; then
  upstream=$(sed -n 's/^project(kiosk VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
  count=$(git -C "$root" rev-list --count HEAD 2>/dev/null || echo 0)
  version="$upstream+git$count"
fi
for bin in kiosk/app/kiosk kiosk/ctl/kioskctl backend/cli/kiosk-backend; do
  [[ -x "$build/$bin" ]] || { echo "package.sh: $build/$bin missing: run scripts/build.sh first" >&2; exit 1; }
done
arch=$(dpkg --print-architecture)
maintainer="Ward Kiosk Project <kiosk-ops@phananh.danang.gov.vn>"
deploy=$root/scripts/deploy
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# install MODE SRC DEST (inside the staging root)
put() { install -D -m "$1" "$2" "$3"; }
strip_into() {  # SRC DEST: a stripped copy, as Debian ships binaries
  install -D -m 0755 "$1" "$2"
  strip --strip-unneeded --remove-section=.comment --remove-section=.note "$2"
}

# shlibs:Depends of the binaries given, from the libraries they really link.
shlibdeps() {
  local d=$work/shlibs
  mkdir -p "$d/debian"
  printf 'Source: kiosk\n\nPackage: kiosk\nArchitecture: any\n' >"$d/debian/control"
  (cd "$d" && dpkg-shlibdeps -O "$@" 2>/dev/null) | sed -n 's/^shlibs:Depends=//p'
}

docs() {  # PKG ROOT: copyright and changelog, as policy wants them
  local pkg=$1 r=$2
  put 0644 "$root/scripts/deploy/copyright" "$r/usr/share/doc/$pkg/copyright"
  printf '%s (%s) stable; urgency=medium\n\n  * Build %s of the ward feedback kiosk project.\n\n -- %s  %s\n' \
    "$pkg" "$version" "$version" "$maintainer" "$(date -R -u -d @"${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}")" |
    gzip -9n >"$work/changelog.gz"
  put 0644 "$work/changelog.gz" "$r/usr/share/doc/$pkg/changelog.gz"
}

control() {  # ROOT PKG DEPENDS DESCRIPTION...
  local r=$1 pkg=$2 depends=$3
  shift 3
  local size
  size=$(du -k -s --exclude=DEBIAN "$r" | cut -f1)
  mkdir -p "$r/DEBIAN"
  {
    echo "Package: $pkg"
    echo "Version: $version"
    echo "Architecture: $arch"
    echo "Maintainer: $maintainer"
    echo "Installed-Size: $size"
    echo "Depends: $depends"
    [[ -n "${RECOMMENDS:-}" ]] && echo "Recommends: $RECOMMENDS"
    [[ -n "${SUGGESTS:-}" ]] && echo "Suggests: $SUGGESTS"
    echo "Section: misc"
    echo "Priority: optional"
    echo "Homepage: https://phananh.danang.gov.vn/kiosk"
    printf '%s\n' "$@"
  } >"$r/DEBIAN/control"
  (cd "$r" && find etc -type f 2>/dev/null | sed 's|^|/|' | sort) >"$r/DEBIAN/conffiles"
  [[ -s "$r/DEBIAN/conffiles" ]] || rm -f "$r/DEBIAN/conffiles"
}

# ---- kiosk ------------------------------------------------------------------------------------
k=$work/kiosk
strip_into "$build/kiosk/app/kiosk" "$k/usr/bin/kiosk"
strip_into "$build/kiosk/ctl/kioskctl" "$k/usr/bin/kioskctl"
(cd "$root/assets" && find . -type f | while read -r f; do put 0644 "$f" "$k/usr/share/kiosk/assets/$f"; done)
put 0755 "$deploy/kiosk-backup" "$k/usr/lib/kiosk/kiosk-backup"
put 0755 "$deploy/kiosk-session" "$k/usr/lib/kiosk/kiosk-session"
for u in kiosk.service kiosk-backup.service kiosk-backup.timer; do put 0644 "$deploy/$u" "$k/lib/systemd/system/$u"; done
put 0644 "$deploy/60-kiosk-bbr.conf" "$k/usr/lib/sysctl.d/60-kiosk-bbr.conf"
put 0644 "$deploy/kiosk-bbr.modules" "$k/usr/lib/modules-load.d/kiosk-bbr.conf"
put 0644 "$deploy/60-kiosk.rules" "$k/lib/udev/rules.d/60-kiosk.rules"
put 0644 "$deploy/kiosk.env" "$k/etc/kiosk/kiosk.env"
docs kiosk "$k"
for s in postinst prerm postrm; do put 0755 "$deploy/debian/kiosk.$s" "$k/DEBIAN/$s"; done
RECOMMENDS="cage, xwayland, fonts-noto-core" SUGGESTS="cups" \
  control "$k" kiosk "adduser, fonts-noto-core, fonts-fork-awesome, $(shlibdeps -e"$k/usr/bin/kiosk" -e"$k/usr/bin/kioskctl")" \
  "Description: touchscreen kiosk for ward feedback (phản ánh, kiến nghị)" \
  " The kiosk residents use at a ward service centre to file feedback and track" \
  " it: Vietnamese first, offline first (records wait in SQLite until the city" \
  " backend acknowledges them), receipts with a tracking code. Runs locked down" \
  " under cage at boot (kiosk.service), backs its database up daily" \
  " (kiosk-backup.timer) and lets its sync connection use BBR."
dpkg-deb --root-owner-group -Zxz --build "$k" "$out/kiosk_${version}_${arch}.deb" >/dev/null

# ---- kiosk-backend ----------------------------------------------------------------------------
b=$work/kiosk-backend
strip_into "$build/backend/cli/kiosk-backend" "$b/usr/bin/kiosk-backend"
put 0644 "$deploy/kiosk-backend.service" "$b/lib/systemd/system/kiosk-backend.service"
put 0644 "$deploy/kiosk-backend.env" "$b/etc/kiosk-backend/kiosk-backend.env"
put 0644 "$deploy/nginx/kiosk-backend-proxy.conf" "$b/etc/kiosk-backend/nginx/kiosk-backend-proxy.conf"
put 0644 "$deploy/nginx/kiosk-backend.site" "$b/etc/nginx/sites-available/kiosk-backend"
docs kiosk-backend "$b"
for s in postinst prerm postrm; do put 0755 "$deploy/debian/kiosk-backend.$s" "$b/DEBIAN/$s"; done
RECOMMENDS="nginx-light | nginx" SUGGESTS="postgresql" \
  control "$b" kiosk-backend "adduser, $(shlibdeps -e"$b/usr/bin/kiosk-backend")" \
  "Description: city backend for the ward feedback kiosks" \
  " Receives the kiosks' signed, sealed records, serves status updates, the public" \
  " tracking page, Open311 and the officers' console. SQLite or PostgreSQL. Listens" \
  " on loopback behind nginx, which terminates TLS (site in" \
  " /etc/nginx/sites-available/kiosk-backend); runs as a hardened systemd service."
dpkg-deb --root-owner-group -Zxz --build "$b" "$out/kiosk-backend_${version}_${arch}.deb" >/dev/null

echo "$out/kiosk_${version}_${arch}.deb"
echo "$out/kiosk-backend_${version}_${arch}.deb"
if [[ $run_lintian -eq 1 ]]; then
  status=0
  for p in "$out/kiosk_${version}_${arch}.deb" "$out/kiosk-backend_${version}_${arch}.deb"; do
    report=$(lintian --tag-display-limit 0 "$p" 2>&1 | grep -v "^running with root privileges" || true)
    [[ -n "$report" ]] && echo "$report"
    if grep -q '^E: ' <<<"$report"; then status=1; fi
  done
  [[ $status -eq 0 ]] || { echo "package.sh: lintian reports errors" >&2; exit 1; }
fi
