#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL for the test suite, on a private port
# and data directory under var/. Prints the DATABASE_URL on start.
set -euo pipefail
cd "$(dirname "$0")/.."
PGPORT="${TEST_PGPORT:-54329}"
DATA="${TMPDIR:-/tmp}/shop-accounts-pg-$PGPORT"
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_owner() {
  # PostgreSQL refuses to run as root: run it as the postgres user then.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-}" in
  start)
    rm -rf "$DATA"
    mkdir -p "$DATA"
    [ "$(id -u)" -eq 0 ] && chown postgres "$DATA"
    as_owner "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
      -o "-p $PGPORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$PGPORT/shop_accounts"
    ;;
  stop)
    if [ -d "$DATA" ]; then as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$DATA"; fi
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
