#!/usr/bin/env bash
# Property-based contract test of the HTTP API with schemathesis (from PyPI).
#
# Starts `unspun serve` on loopback with an API key file, as an exposed server
# runs, lets schemathesis generate requests from the served /openapi.yaml
# (valid and invalid ones, every endpoint, all its checks: no 5xx, statuses,
# headers and bodies as documented, invalid input refused, valid input
# accepted) with the key, then stops the server. Exits non-zero on any finding.
#
# Settings (environment variables):
#   VENV          virtualenv for schemathesis (default: target/schemathesis-venv;
#                 created and filled on first use)
#   SCHEMATHESIS_VERSION  version installed into it (default 4.32.5)
#   MAX_EXAMPLES  cases per operation and phase (default 100)
#   SEED          random seed (default fixed, so runs are reproducible)
#   PORT          loopback port (default 18097)
#   UNSPUN_BIN    server binary (default: build the debug binary with cargo)
set -euo pipefail

cd "$(dirname "$0")/../.."
target=${CARGO_TARGET_DIR:-target}
VENV=${VENV:-$target/schemathesis-venv}
SCHEMATHESIS_VERSION=${SCHEMATHESIS_VERSION:-4.32.5}
MAX_EXAMPLES=${MAX_EXAMPLES:-100}
SEED=${SEED:-20240611}
PORT=${PORT:-18097}

if [[ ! -x "$VENV/bin/schemathesis" ]]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
fi
schemathesis="$(cd "$VENV" && pwd)/bin/schemathesis"

if [[ -z "${UNSPUN_BIN:-}" ]]; then
  cargo build --quiet --bin unspun
  UNSPUN_BIN="$target/debug/unspun"
fi

log=$(mktemp)
keys=$(mktemp)
key="contract-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf 'contract %s\n' "$key" >"$keys"
"$UNSPUN_BIN" serve --addr "127.0.0.1:$PORT" --api-key-file "$keys" 2>"$log" &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -f "$log" "$keys"
}
trap cleanup EXIT

for _ in $(seq 200); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 0.05
done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "server did not start:" >&2; cat "$log" >&2; exit 1; }

# Run from a scratch directory so schemathesis leaves no cache in the checkout.
hooks="$PWD/tests/contract/hooks.py"
scratch=$(mktemp -d)
status=0
(cd "$scratch" && UNSPUN_URL="http://127.0.0.1:$PORT" UNSPUN_API_KEY="$key" SCHEMATHESIS_HOOKS="$hooks" \
  "$schemathesis" run "http://127.0.0.1:$PORT/openapi.yaml" \
    --header "Authorization: Bearer $key" \
    --checks all \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" \
    --request-timeout 30 \
    --no-color) || status=$?
rm -rf "$scratch"

if grep -qF "$key" "$log"; then
  echo "the server's log holds the API key" >&2
  status=1
fi
if grep -q ' status=5' "$log"; then
  echo "the server answered 5xx:" >&2
  grep ' status=5' "$log" >&2
  status=1
fi
exit "$status"
