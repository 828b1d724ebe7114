#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL server: initdb into a temporary directory (as
# the postgres user when run as root; initdb refuses root), listening on 127.0.0.1 on a free
# port with its socket in that directory, stopped and removed when the command ends. The
# command finds it in FINFUSION_TEST_POSTGRES (a libpq URI for the postgres database; tests
# create a database of their own on it).
#
#   scripts/with-postgres.sh ctest --preset release
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
  echo "with-postgres: PostgreSQL's server binaries are not installed (apt-get install postgresql)" >&2
  exit 2
fi
dir=$(mktemp -d /tmp/finfusion-pg.XXXXXX)
as_owner=()
if [[ $(id -u) == 0 ]]; then
  chown postgres: "$dir"
  as_owner=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 2; }
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null ||
  { cat "$dir/server.log" >&2; exit 2; }
export FINFUSION_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$port/postgres"
"$@"
