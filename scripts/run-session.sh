#!/usr/bin/env bash
# `make run`: the main job on the embedded default. A short session of real finfusion-keys
# commands against a SQLite registry (build/run/finfusion-keys.db, peppers beside it): the
# seed's key is created, used, rotated with a 48-hour grace window, and audited. Given a
# Python (the second argument), it then serves the admin API and the browser console on
# that registry until stopped.
set -euo pipefail
cli=${1:-build/release/bindings/cli/finfusion-keys}
mkdir -p build/run
export FINFUSION_REGISTRY=sqlite:build/run/finfusion-keys.db
say() { printf '\n$ finfusion-keys %s\n' "$*"; }
run() { say "$@"; "$cli" "$@"; }

run --version
say create --request '{"name": "Production API Key", "type": "production", "permissions": ["payments", "kyc", "reporting"], "owner": "team-payments"}'
created=$("$cli" create --json --request '{"name": "Production API Key", "type": "production",
  "permissions": ["payments", "kyc", "reporting"], "owner": "team-payments"}')
key=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])' <<<"$created")
id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["record"]["id"])' <<<"$created")
echo "created $id (the key was shown once, to its owner; it is kept here only for this demo)"

say verify '<the key>' --required payments:charge --environment production
"$cli" verify "$key" --required payments:charge --environment production
say verify '<the key>' --required admin
"$cli" verify "$key" --required admin || echo "(exit $?: refused)"
say rotate "$id" --grace 48h --notify security@yourcompany.com
"$cli" rotate "$id" --grace 48h --notify security@yourcompany.com | sed -E 's/(key \(shown once, store it now\): .{22}).*/\1.../'
say verify '<the old key>'
"$cli" verify "$key"
run list
run logs --limit 10
run policy
run audit verify-chain
echo
echo "The registry is in build/run/finfusion-keys.db; run again and it grows (one chain, still verifiable)."

# Then the admin API and the browser console over the same registry, until Ctrl-C, with a
# fresh admin token for this run (the previous run's is revoked).
python=${2:-}
if [[ -n "$python" ]]; then
  export PYTHONPATH=services/admin
  "$python" -m finfusion_admin token revoke make-run 2>/dev/null || true
  token=$("$python" -m finfusion_admin token issue make-run --role admin)
  port=${FINFUSION_PORT:-8080}
  echo
  echo "Console: http://127.0.0.1:$port/console/  (sign in with the admin token below; Ctrl-C stops the service)"
  echo "admin token for this run (shown once): $token"
  exec "$python" -m finfusion_admin serve --port "$port"
fi
