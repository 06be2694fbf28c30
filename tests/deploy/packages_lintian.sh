#!/usr/bin/env bash
# Both packages build, carry a version and real dependencies, and lintian reports no errors.
set -euo pipefail
src=${KIOSK_SOURCE_DIR:?}
command -v lintian >/dev/null || { echo "SKIP: lintian not installed (scripts/bootstrap.sh)"; exit 77; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$src/scripts/package.sh" --out "$out" --lintian
for p in kiosk kiosk-backend; do
  deb=$(ls "$out"/"${p}"_*.deb)
  [[ $(dpkg-deb -f "$deb" Package) == "$p" ]]
  [[ $(dpkg-deb -f "$deb" Version) =~ ^[0-9]+\.[0-9]+\.[0-9]+\+git[0-9]+$ ]]
  deps=$(dpkg-deb -f "$deb" Depends)
  for lib in libc6 libsodium23 libsqlite3-0 adduser; do
    grep -q "$lib" <<<"$deps" || { echo "FAIL: $p does not depend on $lib: $deps"; exit 1; }
  done
  ctrl=$(dpkg-deb --ctrl-tarfile "$deb" | tar -t)
  for s in postinst prerm postrm; do
    grep -qx "./$s" <<<"$ctrl" || { echo "FAIL: $p has no $s"; exit 1; }
  done
done
kdeb=$(ls "$out"/kiosk_*.deb)
bdeb=$(ls "$out"/kiosk-backend_*.deb)
grep -q libcurl4 <<<"$(dpkg-deb -f "$kdeb" Depends)"
grep -q libpq5 <<<"$(dpkg-deb -f "$bdeb" Depends)"
# The backend links no GL, CUPS or speech.
if grep -Eq 'libglfw|libcups|libespeak|libopengl' <<<"$(dpkg-deb -f "$bdeb" Depends)"; then
  echo "FAIL: kiosk-backend depends on kiosk-side libraries"; exit 1
fi
files=$(dpkg-deb -c "$kdeb" | awk '{print $6}')
for f in ./usr/bin/kiosk ./usr/bin/kioskctl ./lib/systemd/system/kiosk.service \
  ./lib/systemd/system/kiosk-backup.timer ./usr/lib/sysctl.d/60-kiosk-bbr.conf \
  ./lib/udev/rules.d/60-kiosk.rules ./usr/share/kiosk/assets/strings/vi.json ./etc/kiosk/kiosk.env; do
  grep -qx "$f" <<<"$files" || { echo "FAIL: kiosk lacks $f"; exit 1; }
done
files=$(dpkg-deb -c "$bdeb" | awk '{print $6}')
for f in ./usr/bin/kiosk-backend ./lib/systemd/system/kiosk-backend.service \
  ./etc/nginx/sites-available/kiosk-backend ./etc/kiosk-backend/nginx/kiosk-backend-proxy.conf; do
  grep -qx "$f" <<<"$files" || { echo "FAIL: kiosk-backend lacks $f"; exit 1; }
done
echo "OK: both packages built, lintian reports no errors"
