#!/usr/bin/env bash
# Side-by-side benchmark: unspun against typos (a fast spell checker for code,
# https://github.com/crate-ci/typos) on the same files, whole-process, the way
# users run both. Prints, for each command, the median wall time, CPU time
# (user + system) and peak memory over several runs, the bytes checked per
# CPU-second, and the ratios unspun / typos measured in the same run; then the
# same for start-up (one sentence).
#
# Usage: bench/peers.sh [DIR]
#   DIR  folder of .txt files to check (default ../shared/corpora/bbc-news);
#        the corpus is COPIES copies of its .txt files.
# Environment (all optional):
#   COPIES            copies of DIR in the corpus (default 4: 8,900 files for the BBC corpus)
#   RUNS              runs per command for the throughput medians (default 5)
#   STARTUP_RUNS      runs for the start-up medians (default 20)
#   UNSPUN_PEERS_DIR  scratch folder: corpus, typos install, results (default target/bench-peers)
#   TYPOS_VERSION     typos-cli version to install (default 1.52.0)
#   UNSPUN_BIN        unspun binary (default: build target/release/unspun)
#
# typos is installed once with `cargo install --root` into the scratch folder
# and reused on later runs. Needs cargo and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."

source_dir=${1:-../shared/corpora/bbc-news}
copies=${COPIES:-4}
runs=${RUNS:-5}
startup_runs=${STARTUP_RUNS:-20}
work=${UNSPUN_PEERS_DIR:-target/bench-peers}
typos_version=${TYPOS_VERSION:-1.52.0}

[ -d "$source_dir" ] || { echo "bench/peers.sh: $source_dir is not a directory (give a folder of .txt files)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/peers.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }
mkdir -p "$work"
work=$(cd "$work" && pwd)

if [[ -z "${UNSPUN_BIN:-}" ]]; then
  echo "== building unspun (release)"
  cargo build --release --quiet --bin unspun
  UNSPUN_BIN="${CARGO_TARGET_DIR:-target}/release/unspun"
fi
typos="$work/typos-$typos_version/bin/typos"
if [ ! -x "$typos" ]; then
  echo "== installing typos-cli $typos_version into $work/typos-$typos_version (once)"
  cargo install --quiet --locked --root "$work/typos-$typos_version" --version "$typos_version" typos-cli
fi

# The corpus: COPIES copies of the .txt files of DIR, rebuilt when the source or count changes.
corpus="$work/corpus"
stamp="$(cd "$source_dir" && pwd) x$copies"
if [ "$(cat "$corpus/.source" 2>/dev/null)" != "$stamp" ]; then
  echo "== building the corpus: $copies copies of $source_dir"
  rm -rf "$corpus"
  for i in $(seq "$copies"); do
    mkdir -p "$corpus/copy-$i"
    (cd "$source_dir" && find . -name '*.txt' -type f -print0) |
      (cd "$source_dir" && xargs -0 cp --parents -t "$corpus/copy-$i")
  done
  echo "$stamp" >"$corpus/.source"
fi
mapfile -d '' files < <(find "$corpus" -name '*.txt' -type f -print0 | sort -z)
bytes=$(cat "${files[@]}" | wc -c)
awk -v f="${#files[@]}" -v b="$bytes" -v r="$runs" -v c="$(nproc)" 'BEGIN {
  printf "corpus: %d files, %.1f MB; %d runs each, medians; %d cores\n", f, b / 1e6, r, c }'
sentence="$work/sentence.txt"
echo "The minister will visit Lisbon on Tuesday." >"$sentence"

# Runs a command $2 times under GNU time; prints the medians "wall cpu peak_kb".
measure() {
  local n=$1
  shift
  local log="$work/time.log"
  : >"$log"
  for _ in $(seq "$n"); do
    /usr/bin/time -a -o "$log" -f '%e %U %S %M' "$@" >/dev/null 2>&1 || true
  done
  # GNU time writes "Command exited with non-zero status N" before the
  # figures of a run that fails (unspun exits 2 on a file it refuses): read
  # only the lines of four numbers.
  awk '$1 ~ /^[0-9.]+$/ && NF == 4 { n++; wall[n] = $1; cpu[n] = $2 + $3; rss[n] = $4 }
    function median(a, n,   i, j, t) {
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    END { printf "%.3f %.3f %d\n", median(wall, n), median(cpu, n), median(rss, n) }' "$log"
}

declare -A wall cpu rss
row() {
  # The arrays' keys have no spaces (read takes "wall[a b]" for two names).
  local name=$1 key=${1// /_}
  shift
  local w c r
  read -r w c r < <(measure "$runs" "$@")
  wall[$key]=$w cpu[$key]=$c rss[$key]=$r
  awk -v n="$name" -v w="${wall[$key]}" -v c="${cpu[$key]}" -v r="${rss[$key]}" -v b="$bytes" 'BEGIN {
    printf "  %-20s %8.3f s wall %8.3f s CPU %8.1f MB/CPU-s %7.1f MB/s wall %6.0f MB peak\n",
      n, w, c, b / 1e6 / (c > 0 ? c : 0.001), b / 1e6 / (w > 0 ? w : 0.001), r / 1024 }'
}

echo "== throughput over the corpus"
row "unspun check" "$UNSPUN_BIN" check --color never "${files[@]}"
row "unspun check json" "$UNSPUN_BIN" check --format json "${files[@]}"
row "unspun batch" "$UNSPUN_BIN" batch "$corpus" --progress never --exit-zero
row "typos" "$typos" "${files[@]}"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo "== ratios (unspun per CPU-second over typos per CPU-second; > 1: unspun checks more per CPU-second)"
for name in "unspun check" "unspun check json" "unspun batch"; do
  printf '  %-20s %sx typos\n' "$name" "$(ratio "${cpu[typos]}" "${cpu[${name// /_}]}")"
done

# Start-up: milliseconds, below GNU time's resolution of 10 ms per run, so
# wall time is read from bash's microsecond clock around each run (no fork).
startup() {
  local n=$1
  shift
  local log="$work/startup.log"
  : >"$log"
  for _ in $(seq "$n"); do
    local t0 t1
    t0=${EPOCHREALTIME/[.,]/}
    "$@" >/dev/null 2>&1 || true
    t1=${EPOCHREALTIME/[.,]/}
    echo $(( t1 - t0 )) >>"$log"
  done
  sort -n "$log" | awk '{ a[NR] = $1 } END { printf "%.1f\n", (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) / 1000 }'
}
echo "== start-up: one sentence ($startup_runs runs, median wall; peak memory of one run)"
u_ms=$(startup "$startup_runs" "$UNSPUN_BIN" check "$sentence")
t_ms=$(startup "$startup_runs" "$typos" "$sentence")
read -r _ _ u_rss < <(measure 1 "$UNSPUN_BIN" check "$sentence")
read -r _ _ t_rss < <(measure 1 "$typos" "$sentence")
awk -v n="unspun check" -v t="$u_ms" -v r="$u_rss" 'BEGIN { printf "  %-20s %8.1f ms %6.0f MB peak\n", n, t, r / 1024 }'
awk -v n="typos" -v t="$t_ms" -v r="$t_rss" 'BEGIN { printf "  %-20s %8.1f ms %6.0f MB peak\n", n, t, r / 1024 }'
printf '  start-up ratio: unspun takes %sx the wall time of typos\n' "$(ratio "$u_ms" "$t_ms")"
