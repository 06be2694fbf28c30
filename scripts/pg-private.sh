#!/usr/bin/env bash
# A private PostgreSQL 15 cluster in a directory of its own: no TCP port (a Unix socket in DIR),
# trust authentication for the role "kiosk". For benchmarks and demos, not for production.
#
#   scripts/pg-private.sh start DIR [DB]   initdb on first use, start, create DB if given;
#                                          prints the --database URI (libpq socket form)
#   scripts/pg-private.sh stop DIR         fast shutdown (nothing to do when not running)
#   scripts/pg-private.sh uri DIR [DB]     prints the URI only
#
# Idempotent: start on a running cluster only prints the URI; stop on a stopped one does
# nothing. Several callers at once take turns (flock on DIR/.pg-private.lock).
# PostgreSQL refuses to run as root: as root, the server runs as "postgres" (runuser) and DIR is
# given to that user; every directory above DIR must be searchable by it (not a mode-700 mktemp
# directory). Otherwise the server runs as the calling user.
#
# KIOSK_PG_BIN (default: the newest /usr/lib/postgresql/*/bin) and KIOSK_PG_OPTS (extra server
# options, e.g. "-c shared_buffers=1GB") override defaults. Durability stays as PostgreSQL
# ships it (fsync, synchronous_commit on): benchmarks measure what a deployment would see.
set -euo pipefail

usage() { echo "usage: $0 start|stop|uri DIR [DB]" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
cmd=$1
dir=$(realpath -m "$2")
db=${3:-postgres}
[[ "$dir" =~ ^[A-Za-z0-9_./-]+$ ]] || { echo "pg-private: DIR must be a plain path (no spaces or quotes): $dir" >&2; exit 2; }
[[ "$db" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "pg-private: DB must be a lower-case SQL name: $db" >&2; exit 2; }

bin=${KIOSK_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[[ -x "$bin/pg_ctl" ]] || { echo "pg-private: no PostgreSQL server found (apt-get install postgresql-15)" >&2; exit 1; }

uri() { echo "postgresql:///$db?host=$dir&user=kiosk"; }

if [[ $(id -u) -eq 0 ]]; then
  as_pg() { runuser -u postgres -- "$@"; }
  owner=postgres
else
  as_pg() { "$@"; }
  owner=$(id -un)
fi

running() { [[ -f "$dir/data/PG_VERSION" ]] && as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; }

case $cmd in
  uri) uri ;;
  start)
    mkdir -p "$dir"
    chown "$owner" "$dir"
    chmod 700 "$dir"
    exec 9>"$dir/.pg-private.lock"
    flock 9
    if ! as_pg test -x "$dir"; then
      echo "pg-private: $owner cannot reach $dir (a parent directory is not searchable)" >&2
      exit 1
    fi
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
      as_pg "$bin/initdb" -D "$dir/data" -A trust -U kiosk --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! running; then
      # The options go through pg_ctl's shell: the single quotes are for it. 9>&-: the server
    # must not inherit the lock, or the next start would wait for the server to exit.
      as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
        -o "-k $dir -c listen_addresses='' ${KIOSK_PG_OPTS:-}" start >/dev/null 9>&- ||
        { tail -n 20 "$dir/log" >&2; exit 1; }
    fi
    if [[ "$db" != postgres ]]; then
      exists=$(psql "postgresql:///postgres?host=$dir&user=kiosk" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$db'")
      [[ "$exists" == 1 ]] || psql "postgresql:///postgres?host=$dir&user=kiosk" -qc "CREATE DATABASE $db" >/dev/null
    fi
    uri
    ;;
  stop)
    [[ -d "$dir" ]] || exit 0
    exec 9>"$dir/.pg-private.lock"
    flock 9
    if running; then as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null; fi
    ;;
  *) usage ;;
esac
