#!/usr/bin/env bash
# PgBouncer in transaction mode in front of a PostgreSQL server, for the tests and .ci/run: its own ini and
# userlist in a temporary directory, listening on a free loopback port, every database name passed through
# (a `*` fallback, so the tests' scratch databases work), auth_type trust. Installs Debian's pgbouncer when
# run as root and it is missing.
#
#   bash scripts/pgbouncer.sh start [postgresql://user@host:port/db]   prints PGBOUNCER_DIR=… and PGBOUNCER_URL=…
#   bash scripts/pgbouncer.sh stop <PGBOUNCER_DIR>                      stops it and removes the directory
#   bash scripts/pgbouncer.sh run [url] -- command …                    start; DATABASE_URL=<through PgBouncer>
#                                                                       command; stop (exit status: the command's)
#   bash scripts/pgbouncer.sh install                                   only make sure pgbouncer is there
#
# The URL it prints carries ?pgbouncer=true, the gateway's setting for a transaction-mode pooler (README,
# "Running several gateways"). POOL_SIZE (default 4) caps the server connections per database and user.
set -euo pipefail
cd "$(dirname "$0")/.."

ensure_installed() {
  command -v pgbouncer >/dev/null 2>&1 && return 0
  [ -x /usr/sbin/pgbouncer ] && export PATH="$PATH:/usr/sbin" && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "pgbouncer.sh: installing Debian's pgbouncer (apt-get install -y pgbouncer)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null ||
      { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null; }
    # The package starts a system-wide instance on port 6432; ours does not need it.
    if command -v systemctl >/dev/null 2>&1; then systemctl stop pgbouncer >/dev/null 2>&1 || true; fi
    [ -x /usr/sbin/pgbouncer ] && export PATH="$PATH:/usr/sbin"
  fi
  command -v pgbouncer >/dev/null 2>&1 || {
    echo "pgbouncer.sh: pgbouncer is not installed: sudo apt-get install -y pgbouncer" >&2
    exit 1
  }
}

free_port() { node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close() })"; }

start() {
  local upstream=${1:-${PGURL:-postgresql://postgres@127.0.0.1:5432/test}}
  ensure_installed
  # host, port, user and database of the upstream URL (no password: the server trusts loopback here).
  local parts
  parts=$(node -e "const u = new URL(process.argv[1]); console.log([u.hostname || '127.0.0.1', u.port || 5432, decodeURIComponent(u.username) || 'postgres', u.pathname.slice(1) || 'postgres'].join(' '))" "$upstream")
  local host port user db
  read -r host port user db <<<"$parts"
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/gw-pgbouncer-XXXXXX")
  chmod 755 "$dir"
  local listen
  listen=$(free_port)
  printf '"%s" ""\n' "$user" >"$dir/userlist.txt"
  cat >"$dir/pgbouncer.ini" <<EOF
[databases]
* = host=$host port=$port

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $listen
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
admin_users = $user
pool_mode = transaction
default_pool_size = ${POOL_SIZE:-4}
max_client_conn = 200
ignore_startup_parameters = extra_float_digits
server_reset_query =
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
EOF
  # pgbouncer refuses to run as root: as root, it runs as nobody (who must read the ini and write the log).
  local as_user=()
  if [ "$(id -u)" = 0 ]; then
    chown -R nobody "$dir"
    as_user=(-u nobody)
  fi
  pgbouncer -d "${as_user[@]}" "$dir/pgbouncer.ini" >/dev/null
  local tries=0
  until node -e "require('net').connect($listen, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))" 2>/dev/null; do
    tries=$((tries + 1))
    if [ "$tries" -gt 50 ]; then
      echo "pgbouncer.sh: pgbouncer did not start; its log:" >&2
      cat "$dir/pgbouncer.log" >&2 || true
      exit 1
    fi
    sleep 0.1
  done
  echo "PGBOUNCER_DIR=$dir"
  echo "PGBOUNCER_URL=postgresql://$user@127.0.0.1:$listen/$db?pgbouncer=true"
}

stop() {
  local dir=$1
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  if [ -f "$dir/pgbouncer.pid" ]; then
    local pid
    pid=$(cat "$dir/pgbouncer.pid")
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  install)
    ensure_installed >&2
    ;;
  start)
    start "${2:-}"
    ;;
  stop)
    stop "${2:-}"
    ;;
  run)
    shift
    upstream=''
    if [ "${1:-}" != '--' ]; then upstream=${1:-}; shift || true; fi
    [ "${1:-}" = '--' ] && shift
    [ $# -gt 0 ] || { echo "usage: bash scripts/pgbouncer.sh run [url] -- command …" >&2; exit 2; }
    out=$(start "$upstream")
    dir=$(sed -n 's/^PGBOUNCER_DIR=//p' <<<"$out")
    url=$(sed -n 's/^PGBOUNCER_URL=//p' <<<"$out")
    trap 'stop "$dir"' EXIT
    echo "== through PgBouncer $(pgbouncer --version 2>/dev/null | head -1) (transaction mode): $url"
    set +e
    DATABASE_URL=$url PGBOUNCER_URL=$url "$@"
    rc=$?
    set -e
    exit $rc
    ;;
  *)
    echo "usage: bash scripts/pgbouncer.sh install | start [url] | stop <dir> | run [url] -- command …" >&2
    exit 2
    ;;
esac
