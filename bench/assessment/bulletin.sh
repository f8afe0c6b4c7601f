#!/usr/bin/env bash
# The monthly bulletin (tiaodu bulletin) at province scale, on SQLite: 200 ranked units.
#
#   bash bench/assessment/bulletin.sh           # ~3 min on the 2-core build machine (mostly the demo)
#   DB=/path/province.db bash bench/assessment/bulletin.sh   # reuse a province database (read only)
#
# Measures and prints; asserts nothing about timings. What it does:
#   1. copies the binary (TIAODU_BIN, default build/tiaodu) to a temporary directory and, unless
#      DB is given, `tiaodu init` + `tiaodu demo --scale province` into a fresh SQLite database
#      (200 units under P000 with 40 indicators × 120 months, 20,000 key projects, 100,000
#      leads, 20,000 tasks, and the scheme "全省市县经济工作月度考评" ranking P000's 200 children);
#   2. for PERIOD (2024-06) and each format docx, xlsx, html: RUNS (3) runs of
#      `tiaodu bulletin --period PERIOD --format F -o FILE`, printing the command's own figures
#      (data_ms: BulletinData in one read transaction, league computed when the month is not
#      published; ms: data + rendering) and the wall time of the whole process (start-up,
#      migrations check, writing the file);
#   3. checks that the runs of each format gave identical bytes (determinism) and writes a summary
#      to OUT_DIR/summary.txt (default bench/out/bulletin).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PERIOD="${PERIOD:-2024-06}"
RUNS="${RUNS:-3}"
OUT="${OUT_DIR:-$REPO/bench/out/bulletin}"
export TIAODU_ADMIN_PASSWORD="${TIAODU_ADMIN_PASSWORD:-Admin#2024pass}"
export TIAODU_DEMO_PASSWORD="${TIAODU_DEMO_PASSWORD:-Demo#2024pass}"
mkdir -p "$OUT"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

BIN="$TMP/tiaodu"
cp "${TIAODU_BIN:-$REPO/build/tiaodu}" "$BIN"
if [[ -n "${DB:-}" ]]; then
  URL="sqlite:$DB"
else
  URL="sqlite:$TMP/province.db"
  echo "1. init + demo --scale province ..." >&2
  t0=$(now_ms)
  "$BIN" init --db "$URL" >/dev/null
  "$BIN" demo --db "$URL" --scale province > "$OUT/demo.txt"
  echo "   demo loaded in $(( $(now_ms) - t0 )) ms" >&2
fi

{
  echo "tiaodu bulletin at province scale: period $PERIOD, $RUNS runs per format, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
  printf '%-5s %8s %10s %10s %10s  %s\n' format bytes data_ms ms wall_ms units
  for fmt in docx xlsx html; do
    first=""
    for i in $(seq 1 "$RUNS"); do
      file="$TMP/bulletin-$i.$fmt"
      t0=$(now_ms)
      line="$("$BIN" bulletin --db "$URL" --period "$PERIOD" --format "$fmt" -o "$file")"
      wall=$(( $(now_ms) - t0 ))
      units="$(sed -n 's/.*(\([0-9]*\) units).*/\1/p' <<<"$line")"
      printf '%-5s %8s %10s %10s %10s  %s\n' "$fmt" "$(stat -c %s "$file")" \
        "$(sed -n 's/.*data_ms=\([0-9.]*\).*/\1/p' <<<"$line")" "$(sed -n 's/.* ms=\([0-9.]*\).*/\1/p' <<<"$line")" \
        "$wall" "$units"
      if [[ -z "$first" ]]; then first="$file"; elif ! cmp -s "$first" "$file"; then echo "  $fmt: run $i differs from run 1"; fi
    done
  done
} | tee "$OUT/summary.txt"
