#!/usr/bin/env bash
# The long-line attack, on the release binary: ATTACKERS clients keep posting
# 1.9 MB of spun text on one line to POST /v1/check while one editor checks a
# 2 KB article after another. Prints the editor's p50/p99/max latency, how
# many long lines were checked and refused, and the server's peak RSS.
#
# Server and clients share the machine. The attacking clients run under the
# idle scheduling policy (chrt --idle) so that their own work, which would be
# on their machines, is not what the editor waits for: they get the CPU the
# server and the editor leave. ATTACKER_IDLE=0 shares the CPU equally instead. Needs curl and python3.
#
# Settings (environment variables):
#   DURATION     seconds of attack (default 10)
#   ATTACKERS    concurrent attacking clients (default 64)
#   PORT         loopback port (default 18091)
#   ATTACKER_IDLE  1 (default): attackers run under the idle policy; 0: not
#   UNSPUN_BIN   server binary (default: build target/release/unspun)
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
ATTACKERS=${ATTACKERS:-64}
PORT=${PORT:-18091}
ATTACKER_IDLE=${ATTACKER_IDLE:-1}
for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "bench/attack.sh: $tool is not installed" >&2; exit 2; }
done
if [ -z "${UNSPUN_BIN:-}" ]; then
  cargo build --release --quiet --bin unspun
  UNSPUN_BIN=target/release/unspun
fi

work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  jobs -p | xargs -r kill 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

python3 - "$work" <<'EOF'
import json, sys
spun = ("The travel comes arsenic Mexico has worked to negociate with the Trump medication. "
        "Noem will travel to Mexico connected Friday to conscionable with Sheinbaum.")
def one_line(n):
    return " ".join([spun] * (n // (len(spun) + 1)))
for name, size in (("long.json", 1_900_000), ("article.json", 2_000)):
    with open(f"{sys.argv[1]}/{name}", "w") as f:
        json.dump({"text": one_line(size)}, f)
EOF

"$UNSPUN_BIN" serve --addr "127.0.0.1:$PORT" >"$work/server.log" 2>&1 &
server=$!
url="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -fs "$url/healthz" >/dev/null && break; sleep 0.05; done
post() { curl -s -o /dev/null -w "$2" -H 'content-type: application/json' --data-binary "@$1" "$url/v1/check"; }
post "$work/article.json" '%{http_code}\n' >/dev/null

end=$((SECONDS + DURATION))
attackers=()
for i in $(seq "$ATTACKERS"); do
  ([ "$ATTACKER_IDLE" = 0 ] || chrt --idle -p 0 "$BASHPID" >/dev/null
   while [ $SECONDS -lt $end ]; do post "$work/long.json" '%{http_code}\n'; done >"$work/attack.$i") &
  attackers+=($!)
done
sleep 0.5
while [ $SECONDS -lt $end ]; do
  post "$work/article.json" '%{http_code} %{time_total}\n' >>"$work/editor"
done
[ ${#attackers[@]} -eq 0 ] || wait "${attackers[@]}" 2>/dev/null || true
peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")

python3 - "$work" "$peak_kb" <<'EOF'
import glob, sys
work, peak_kb = sys.argv[1], int(sys.argv[2])
times, statuses = [], {}
for line in open(f"{work}/editor"):
    code, t = line.split()
    statuses[code] = statuses.get(code, 0) + 1
    times.append(float(t) * 1000)
times.sort()
at = lambda q: times[round((len(times) - 1) * q)]
attack = {}
for name in glob.glob(f"{work}/attack.*"):
    for code in open(name).read().split():
        attack[code] = attack.get(code, 0) + 1
print(f"2 KB checks during the attack: {len(times)} ({statuses}), "
      f"p50 {at(0.5):.1f} ms, p99 {at(0.99):.1f} ms, max {times[-1]:.1f} ms")
print(f"long lines: {attack.get('200', 0)} checked, {attack.get('503', 0)} refused, "
      f"other {sum(v for k, v in attack.items() if k not in ('200', '503'))}")
print(f"server peak RSS: {peak_kb // 1024} MB")
EOF
