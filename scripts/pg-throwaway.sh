#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL cluster with pgvector on 127.0.0.1, for
# trying SCIA against a real server (scia rag bench, scia render):
#   scripts/pg-throwaway.sh start DIR [PORT]   # prints the SCIA_DATABASE_URL
#   scripts/pg-throwaway.sh stop DIR
# Runs the server as the postgres user when started as root. Trust auth: for
# local use only. Run scripts/setup-postgres.sh first. SCIA_PG_OPTIONS adds
# server options (e.g. "-c shared_buffers=4GB -c max_wal_size=8GB" for the
# RAG bench at 1M rows).
set -euo pipefail
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "$0: no PostgreSQL server binaries; run scripts/setup-postgres.sh" >&2; exit 1; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$cmd" in
  start)
    port=${3:-55432}
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    [ -f "$dir/data/PG_VERSION" ] || as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c shared_buffers=512MB -c maintenance_work_mem=1GB ${SCIA_PG_OPTIONS:-}" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop) as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null ;;
  *) echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2 ;;
esac
