#!/usr/bin/env bash
# The monthly bulletin (tiaodu bulletin) at province scale, on SQLite: 200 ranked units.
#
#   bash bench/assessment/bulletin.sh           # ~3 min on the 2-core build machine (mostly the demo)
#   KEEP_DB=/tmp/province.db bash bench/assessment/bulletin.sh   # keep the database it made
#   DB=/tmp/province.db bash bench/assessment/bulletin.sh        # reuse it (read only)
#
# Measures and prints; asserts nothing about timings. What it does:
#   1. copies the binary (TIAODU_BIN, default build/tiaodu) to a temporary directory and, unless
#      DB is given, `tiaodu init` + `tiaodu demo --scale province` into a fresh SQLite database
#      (200 units under P000 with 40 indicators × 120 months, 20,000 key projects, 100,000
#      leads, 20,000 tasks, and the scheme "全省市县经济工作月度考评" ranking P000's 200 children);
#   2. for PERIOD (2024-06) and each format docx, xlsx, html: RUNS (3) runs of
#      `tiaodu bulletin --period PERIOD --scheme ID --format F -o FILE` (ID: the scheme ranking
#      P000's children, or SCHEME), printing the command's own figures
#      (data_ms: BulletinData in one read transaction, league computed when the month is not
#      published; ms: data + rendering) and the wall time of the whole process (start-up,
#      migrations check, writing the file);
#      Twice: on the demo's tree ("nested": P000's 17 cities ranked, every table aggregating the
#      whole province) and on a copy where all 199 cities and counties hang directly under P000
#      ("flat": 199 ranked units, every table ~200 rows; figures re-derived by `tiaodu recompute`);
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
command -v sqlite3 >/dev/null || { echo "needs sqlite3" >&2; exit 1; }
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
  [[ -n "${KEEP_DB:-}" ]] && cp "$TMP/province.db" "$KEEP_DB"
fi

# The province's scheme (the one ranking P000's children); SCHEME overrides.
SCHEME="${SCHEME:-$(sqlite3 "${URL#sqlite:}" "SELECT s.id FROM assessment_schemes s JOIN units u ON u.id = s.parent_id WHERE u.code = 'P000' ORDER BY s.id LIMIT 1")}"
[[ -n "$SCHEME" ]] || { echo "no scheme ranking P000's children" >&2; exit 1; }

# A second database where every unit hangs directly under P000 (199 ranked units: the 17
# cities and their 182 counties), its 2024 figures re-derived (`tiaodu recompute`), so that
# every table of the bulletin has ~200 rows.
FLAT="$TMP/flat.db"
cp "${URL#sqlite:}" "$FLAT"
sqlite3 "$FLAT" "UPDATE units SET parent_id = (SELECT id FROM units WHERE code = 'P000'), path = (SELECT path FROM units WHERE code = 'P000') || id || '/' WHERE parent_id IN (SELECT u.id FROM units u JOIN units p ON p.id = u.parent_id WHERE p.code = 'P000')"
"$BIN" recompute --db "sqlite:$FLAT" --period "$PERIOD" >/dev/null

run() {  # $1 = label, $2 = database URL
  for fmt in docx xlsx html; do
    first=""
    for i in $(seq 1 "$RUNS"); do
      file="$TMP/bulletin-$i.$fmt"
      t0=$(now_ms)
      line="$("$BIN" bulletin --db "$2" --period "$PERIOD" --scheme "$SCHEME" --format "$fmt" -o "$file")"
      wall=$(( $(now_ms) - t0 ))
      units="$(sed -n 's/.*(\([0-9]*\) units).*/\1/p' <<<"$line")"
      printf '%-7s %-5s %6s %8s %10s %10s %10s\n' "$1" "$fmt" "$units" "$(stat -c %s "$file")" \
        "$(sed -n 's/.*data_ms=\([0-9.]*\).*/\1/p' <<<"$line")" "$(sed -n 's/.* ms=\([0-9.]*\).*/\1/p' <<<"$line")" \
        "$wall"
      if [[ -z "$first" ]]; then first="$TMP/first.$fmt"; cp "$file" "$first"; elif ! cmp -s "$first" "$file"; then echo "  $fmt: run $i differs from run 1"; fi
    done
  done
}

{
  echo "tiaodu bulletin at province scale: period $PERIOD, scheme $SCHEME, $RUNS runs per format, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
  printf '%-7s %-5s %6s %8s %10s %10s %10s\n' tree format units bytes data_ms ms wall_ms
  run nested "$URL"
  run flat "sqlite:$FLAT"
} | tee "$OUT/summary.txt"
