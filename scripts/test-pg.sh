#!/usr/bin/env bash
# Starts or stops the throw-away PostgreSQL server the tests use:
#   test-pg.sh start DIR   initdb (once) and start, listening only on a Unix socket in DIR
#   test-pg.sh stop DIR    stop and remove DIR
# PostgreSQL refuses to run as root, so as root it runs as the 'postgres' user.
set -euo pipefail
action=${1:?usage: test-pg.sh start|stop DIR}
dir=${2:?usage: test-pg.sh start|stop DIR}

bindir=$(pg_config --bindir 2>/dev/null || true)
if [[ ! -x "$bindir/initdb" ]]; then
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
fi
[[ -x "$bindir/initdb" ]] || { echo "test-pg: no PostgreSQL server binaries found" >&2; exit 1; }

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
    if as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      exit 0
    fi
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
      as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
        --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    # Durability settings off: this cluster lives for one test run.
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "test PostgreSQL running: host=$dir user=postgres"
    ;;
  stop)
    if [[ -d "$dir/data" ]]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: test-pg.sh start|stop DIR" >&2; exit 2 ;;
esac
