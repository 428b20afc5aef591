#!/usr/bin/env bash
# Load benchmark of the HTTP API: how many 2 KB English documents per second
# `unspun serve` checks, and at what latency.
#
# Builds the release binary, starts the server on loopback, runs wrk against
# POST /v1/check for a bounded time, prints requests/s and p50/p99 latency, and
# stops the server. Server and load generator share the machine, so the figures
# are a floor for a machine that only serves.
#
# Needs wrk (Debian/Ubuntu: apt-get install wrk) and curl.
#
# Settings (environment variables):
#   DURATION     seconds of load (default 10)
#   CONNECTIONS  concurrent connections (default 32)
#   THREADS      wrk threads (default 1: leaves the cores to the server)
#   PORT         loopback port (default 18089)
#   UNSPUN_BIN   server binary (default: build target/release/unspun)
#   UNSPUN_BENCH_DOC  document to send (default bench/article.txt, 2 KB)
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
PORT=${PORT:-18089}
export UNSPUN_BENCH_DOC=${UNSPUN_BENCH_DOC:-bench/article.txt}

for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "bench/load.sh: $tool is not installed (apt-get install $tool)" >&2; exit 2; }
done

if [[ -z "${UNSPUN_BIN:-}" ]]; then
  cargo build --release --quiet --bin unspun
  UNSPUN_BIN="${CARGO_TARGET_DIR:-target}/release/unspun"
fi

log=$(mktemp)
RUST_LOG=${RUST_LOG:-warn} "$UNSPUN_BIN" serve --addr "127.0.0.1:$PORT" 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT

for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 0.05
done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "server did not start:" >&2; cat "$log" >&2; exit 1; }

echo "document: $UNSPUN_BENCH_DOC ($(wc -c <"$UNSPUN_BENCH_DOC") bytes); ${DURATION}s, $CONNECTIONS connections, $THREADS wrk thread(s), $(nproc) cores"
out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s --latency -s bench/check.lua "http://127.0.0.1:$PORT/v1/check")
echo "$out" | grep -v '^RESULT' | sed 's/^/  /'
result=$(echo "$out" | grep '^RESULT')
eval "${result#RESULT }"
echo
printf 'requests/s: %s   p50: %s ms   p99: %s ms   errors: %s non-2xx, %s socket\n' \
  "$rps" "$p50_ms" "$p99_ms" "$non2xx" "$socket_errors"
if (( non2xx > 0 || socket_errors > 0 )); then
  exit 1
fi
