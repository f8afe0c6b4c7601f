#!/usr/bin/env bash
# Fact-check throughput (docs/PERFORMANCE.md "Fact-check"): writes a large report text
# (bench/factcheck/make_text.py: the corpus texts and the paragraphs of tests/data/factcheck,
# repeated with their figures varied; SIZE_MB, 20 by default) and times
# `tiaodu factcheck FILE --json` on it ROUNDS times (5 by default) on one core (taskset -c 0):
# reading the file, extraction, every check, and writing the JSON. Prints the median wall and
# user time and MB/s of text. Needs build/tiaodu (RelWithDebInfo), /usr/bin/python3, GNU time.
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE_MB=${SIZE_MB:-20}
ROUNDS=${ROUNDS:-5}
OUT=${OUT_DIR:-bench/out/factcheck}
mkdir -p "$OUT"
text=$OUT/report-${SIZE_MB}mb.txt
[ -f "$text" ] || /usr/bin/python3 bench/factcheck/make_text.py "$text" "$SIZE_MB" >/dev/null
bytes=$(stat -c %s "$text")
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
: > "$OUT/times.txt"
for i in $(seq 1 "$ROUNDS"); do
  /usr/bin/time -f "%e %U %M" -o "$OUT/time.$i" "${pin[@]}" build/tiaodu factcheck "$text" --json > "$OUT/answer.json"
  cat "$OUT/time.$i" >> "$OUT/times.txt"
done
facts=$(/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(len(d['facts']), len(d['findings']))" "$OUT/answer.json")
sort -n "$OUT/times.txt" | awk -v bytes="$bytes" -v rounds="$ROUNDS" -v facts="$facts" '
  { wall[NR] = $1; user[NR] = $2; rss[NR] = $3 }
  END {
    m = int((NR + 1) / 2)
    mb = bytes / 1048576
    printf "text: %.1f MB (%d bytes); facts and findings: %s\n", mb, bytes, facts
    printf "median of %d: wall %.2f s (%.1f MB/s), user %.2f s (%.1f MB/s), peak RSS %d MB\n",
      rounds, wall[m], mb / wall[m], user[m], mb / user[m], rss[m] / 1024
  }' | tee "$OUT/summary.txt"
