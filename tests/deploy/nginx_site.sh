#!/usr/bin/env bash
# The backend package's nginx site passes `nginx -t`: unpacked into a temp root, its paths
# (certificate, key, proxy snippet, logs) moved into that root, with a throwaway certificate.
set -euo pipefail
src=${KIOSK_SOURCE_DIR:?}
[[ -x /usr/sbin/nginx ]] || { echo "SKIP: nginx not installed (scripts/bootstrap.sh)"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$src/scripts/package.sh" --out "$work/debs" >/dev/null
root=$work/root
dpkg-deb -x "$work"/debs/kiosk-backend_*.deb "$root"
mkdir -p "$root/etc/kiosk-backend/tls" "$root/log" "$root/tmp"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -keyout "$root/etc/kiosk-backend/tls/privkey.pem" -out "$root/etc/kiosk-backend/tls/fullchain.pem" 2>/dev/null
site=$root/etc/nginx/sites-available/kiosk-backend
sed -i -e "s|/etc/kiosk-backend/|$root/etc/kiosk-backend/|g" -e "s|/var/log/nginx/|$root/log/|g" \
  -e 's/listen 443 ssl;/listen 127.0.0.1:44300 ssl;/' -e 's/listen 80;/listen 127.0.0.1:44380;/' \
  -e '/listen \[::\]/d' "$site"
cat >"$root/nginx.conf" <<CONF
pid $root/nginx.pid;
error_log $root/log/error.log;
events { worker_connections 16; }
http {
  client_body_temp_path $root/tmp/body; proxy_temp_path $root/tmp/proxy;
  fastcgi_temp_path $root/tmp/fastcgi; uwsgi_temp_path $root/tmp/uwsgi; scgi_temp_path $root/tmp/scgi;
  include $site;
}
CONF
/usr/sbin/nginx -t -q -p "$root" -e "$root/log/error.log" -c "$root/nginx.conf"
echo "OK: the kiosk-backend nginx site passes nginx -t"
