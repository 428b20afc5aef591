#!/usr/bin/env bash
# Batch scoring benchmark: builds the release binary, generates a JSON Lines
# archive of English news paragraphs (1 GB by default), scores it with
# `unspun batch` on all cores under /usr/bin/time -v, and prints MB/s,
# documents/s and peak memory. Then scores a slice of the same archive with one
# worker, to show how close the full run comes to linear scaling.
#
# Scaling needs idle cores: on a machine busy with other sessions, Linux's
# autogroup scheduler gives each session an equal share of the CPU whatever its
# thread count, so the "cores busy" figure says how many cores the run got.
#
# Usage: bench/batch.sh [BYTES]
# Environment (all optional):
#   UNSPUN_BENCH_CORPUS  folder of .txt articles (default ../shared/corpora/bbc-news;
#                        without it, text is sampled from dictionaries/model/bigrams.tsv)
#   UNSPUN_BENCH_DIR     where the archive and results go (default target/bench-batch)
#   UNSPUN_BENCH_JOBS    worker threads (default: all cores)
#   UNSPUN_BENCH_SLICE   bytes of archive for the one-worker run (default 1/20, at least 20 MB)
set -euo pipefail
cd "$(dirname "$0")/.."

bytes=${1:-1000000000}
corpus=${UNSPUN_BENCH_CORPUS:-../shared/corpora/bbc-news}
work=${UNSPUN_BENCH_DIR:-target/bench-batch}
cores=$(nproc)
jobs=${UNSPUN_BENCH_JOBS:-$cores}
slice=${UNSPUN_BENCH_SLICE:-$(( bytes / 20 > 20000000 ? bytes / 20 : 20000000 ))}
target=${CARGO_TARGET_DIR:-target}
mkdir -p "$work"

echo "== building (release)"
cargo build --release --quiet --bin unspun --example make_archive
unspun="$target/release/unspun"

archive="$work/archive-$bytes.jsonl"
if [ ! -s "$archive" ]; then
  echo "== generating $archive"
  "$target/release/examples/make_archive" --bytes "$bytes" --corpus "$corpus" --out "$archive.tmp"
  mv "$archive.tmp" "$archive"
fi

# Runs unspun batch on $1 with $2 jobs; leaves the summary in $work/summary-$2.json
# and the /usr/bin/time report in $work/time-$2.txt.
score() {
  /usr/bin/time -v -o "$work/time-$2.txt" \
    "$unspun" batch "$1" --jobs "$2" --output "$work/scores-$2.jsonl" --overwrite \
    --summary "$work/summary-$2.json" --progress never --exit-zero 2>"$work/stderr-$2.txt"
}

# Field of a pretty-printed summary (numbers only).
field() { sed -n "s/^  \"$2\": \([0-9.e+-]*\),\{0,1\}$/\1/p" "$1"; }

report() {
  local summary=$work/summary-$1.json time=$work/time-$1.txt
  local seconds input docs rss cpu user
  seconds=$(field "$summary" seconds)
  input=$(field "$summary" input_bytes)
  docs=$(field "$summary" documents)
  rss=$(sed -n 's/^\s*Maximum resident set size (kbytes): \([0-9]*\)$/\1/p' "$time")
  cpu=$(sed -n 's/^\s*Percent of CPU this job got: \([0-9]*\)%$/\1/p' "$time")
  user=$(sed -n 's/^\s*User time (seconds): \([0-9.]*\)$/\1/p' "$time")
  awk -v s="$seconds" -v b="$input" -v d="$docs" -v r="$rss" -v j="$1" -v c="$cpu" -v u="$user" 'BEGIN {
    printf "  %d job(s): %.0f MB, %d documents in %.1f s: %.2f MB/s, %.0f documents/s, peak RSS %.0f MB\n",
      j, b / 1e6, d, s, b / 1e6 / s, d / s, r / 1024
    printf "           CPU %d%% (%.2f cores busy on average), %.2f MB per CPU-second\n", c, c / 100, b / 1e6 / u }'
}

mb_per_s() { awk -v s="$(field "$1" seconds)" -v b="$(field "$1" input_bytes)" 'BEGIN { printf "%.4f", b / 1e6 / s }'; }

echo "== scoring $archive with $jobs job(s) on $cores core(s)"
score "$archive" "$jobs"
report "$jobs"
head -n 3 "$work/stderr-$jobs.txt" | sed 's/^/  /'

echo "== one job on the first $slice bytes (single-thread baseline)"
head -c "$slice" "$archive" | sed '$d' >"$work/slice.jsonl"
score "$work/slice.jsonl" 1
report 1

awk -v all="$(mb_per_s "$work/summary-$jobs.json")" -v one="$(mb_per_s "$work/summary-1.json")" -v j="$jobs" 'BEGIN {
  printf "== scaling: %.2f MB/s with %d jobs = %.0f%% of %d x %.2f MB/s (one job)\n", all, j, 100 * all / (j * one), j, one }'
echo "   (on a machine shared with other work, compare the CPU figures: scaling needs idle cores)"
