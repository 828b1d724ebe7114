#!/usr/bin/env bash
# `make run`: the main job on the embedded default. A short session of real finfusion-keys
# commands against a SQLite registry (build/run/finfusion-keys.db, peppers beside it): the
# seed's key is created, used, rotated with a 48-hour grace window, and audited.
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
