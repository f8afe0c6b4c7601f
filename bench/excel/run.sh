#!/usr/bin/env bash
# Excel import benchmark (issue 7): `tiaodu import projects` of a 20,000-row key-project sheet
# — full validation and database writes — timed side by side with openpyxl only reading the same
# file (`openpyxl.load_workbook(path, read_only=True)` and iterating its rows). The goal: the
# import takes at most 0.1 of openpyxl's time.
#
#   bash bench/excel/run.sh                          # SQLite
#   DBS="sqlite postgresql" bash bench/excel/run.sh  # and PostgreSQL (in a pg_virtualenv cluster)
#
# Measures and prints; asserts nothing about timings (it does check that every import inserted
# every row). Needs python3-openpyxl (/usr/bin/python3) and sqlite3; PostgreSQL needs
# pg_virtualenv (postgresql-15). Never run two pg_virtualenv at once: when PostgreSQL is asked
# for and no cluster is set up (no PGHOST), the script waits until /etc/postgresql/15/regress
# is gone, then runs itself inside `pg_virtualenv -v 15`.
#
# What it does:
#   1. `tiaodu init` + `tiaodu demo` (the city demo: 南阳市's units, users, ~250 projects) into
#      a SQLite file, and `tiaodu export projects` of it: the import layout with real unit codes,
#      leaders and task forces;
#   2. bench/excel/make_sheet.py (openpyxl, write-only) deals those rows out again as ROWS new
#      projects (BX-000001 …) with varied names, amounts, years, dates and plans, every row valid;
#   3. RUNS times: a fresh copy of the demo database (SQLite: the checkpointed file copied;
#      PostgreSQL: a new database with init + demo), then `/usr/bin/time tiaodu import projects
#      FILE --db URL`: wall and CPU seconds, and the tool's own split (read_ms: the xlsx reader;
#      check_ms: reading units, leaders and existing codes and checking every row; write_ms:
#      inserts, plans, yearly figures, audit records and the commit);
#   4. RUNS times: the same file through openpyxl (read_only, every row iterated);
#   5. once each: a re-import of the same file into the imported database (every row
#      unchanged: no writes) and `tiaodu export projects` of the 20,000+ projects;
#   6. medians, the ratio import / openpyxl (wall, and CPU), to OUT_DIR/summary.txt and
#      OUT_DIR/results.env.
#
# Environment knobs (all optional):
#   TIAODU_BIN  the binary (default build/tiaodu)      ROWS    rows of the sheet (default 20000)
#   RUNS        runs of each timing (default 3)        DBS     "sqlite", "postgresql" or both
#   OUT_DIR     outputs (default bench/out/excel)      KEEP    1: keep the temp dir (path printed)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${TIAODU_BIN:-$REPO/build/tiaodu}"
ROWS="${ROWS:-20000}"
RUNS="${RUNS:-3}"
DBS="${DBS:-sqlite}"
OUT="${OUT_DIR:-$REPO/bench/out/excel}"
KEEP="${KEEP:-0}"
PY=/usr/bin/python3

# PostgreSQL wanted but no cluster: wait for any other pg_virtualenv to finish, then re-run
# this script inside one (the cluster is dropped when it exits).
if [[ " $DBS " == *" postgresql "* && -z "${PGHOST:-}" ]]; then
  while [[ -e /etc/postgresql/15/regress ]]; do
    echo "waiting for another pg_virtualenv cluster (/etc/postgresql/15/regress) to finish…" >&2
    sleep 10
  done
  exec pg_virtualenv -v 15 bash "${BASH_SOURCE[0]}"
fi

for tool in sqlite3 "$PY"; do command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }; done
"$PY" -c 'import openpyxl' || { echo "python3-openpyxl is missing" >&2; exit 1; }
[[ -x "$BIN" ]] || { echo "no binary at $BIN (cmake --build build)" >&2; exit 1; }

TMP="$(mktemp -d /tmp/tiaodu-bench-excel.XXXXXX)"
cleanup() { if [[ "$KEEP" == 1 ]]; then echo "kept $TMP"; else rm -rf "$TMP"; fi; }
trap cleanup EXIT
mkdir -p "$OUT"
: >"$OUT/results.env"
put() { echo "$1=$2" >>"$OUT/results.env"; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }
field() { sed -n "s/.*[ ]$2=\([^ ]*\).*/\1/p" "$1" | tail -1; }   # FILE KEY → value of KEY=… in the tool's line
export TIAODU_ADMIN_PASSWORD='Bench#Admin2024' TIAODU_DEMO_PASSWORD='Bench#Demo2024'

echo "== 1. demo database and its projects' export"
DEMO="$TMP/demo.db"
"$BIN" init --db "sqlite:$DEMO" >"$OUT/init.txt"
"$BIN" demo --db "sqlite:$DEMO" >"$OUT/demo.txt"
sqlite3 "$DEMO" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
"$BIN" export projects --db "sqlite:$DEMO" -o "$TMP/demo-projects.xlsx" | tee "$OUT/export-demo.txt"

echo "== 2. a sheet of $ROWS new projects (openpyxl, write-only)"
SHEET="$TMP/projects-$ROWS.xlsx"
"$PY" "$REPO/bench/excel/make_sheet.py" "$TMP/demo-projects.xlsx" "$SHEET" "$ROWS"
SHEET_BYTES="$(stat -c %s "$SHEET")"
echo "$SHEET: $SHEET_BYTES bytes"
put rows "$ROWS"
put sheet_bytes "$SHEET_BYTES"
put machine "\"$(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)\""
put load_before "$(cut -d' ' -f1 /proc/loadavg)"

# One timed import: FILE, DB URL, label, run → appends "wall cpu read check write" to
# $TMP/<label>.times. The import must insert $ROWS rows.
timed_import() {
  local file="$1" url="$2" label="$3" log="$TMP/$3-$4.txt"
  /usr/bin/time -f "TIME %e %U %S" -o "$log.time" "$BIN" import projects "$file" --db "$url" >"$log" 2>&1 || {
    cat "$log" >&2; exit 1; }
  grep -q "inserted=$ROWS " "$log" || { echo "import did not insert $ROWS rows:" >&2; cat "$log" >&2; exit 1; }
  read -r _ wall user sys <"$log.time"
  echo "$wall $(echo "$user + $sys" | bc -l) $(field "$log" read_ms) $(field "$log" check_ms) $(field "$log" write_ms)" >>"$TMP/$label.times"
  echo "  $label run $4: wall ${wall}s cpu $(echo "$user + $sys" | bc -l)s — $(grep -o 'ms=.*' "$log")"
}
summarize() {   # label → sets med_wall med_cpu med_read med_check med_write
  local f="$TMP/$1.times"
  med_wall="$(awk '{print $1}' "$f" | median)"; med_cpu="$(awk '{print $2}' "$f" | median)"
  med_read="$(awk '{print $3}' "$f" | median)"; med_check="$(awk '{print $4}' "$f" | median)"
  med_write="$(awk '{print $5}' "$f" | median)"
}
# openpyxl reading FILE RUNS times: sets opx_wall opx_cpu (medians).
openpyxl_times() {
  local file="$1" label="$2"
  : >"$TMP/$label.times"
  for i in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S" -o "$TMP/openpyxl.time" "$PY" -c '
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
n = 0
for row in wb.worksheets[0].iter_rows(values_only=True):
    n += 1
print(n)' "$file" >"$TMP/openpyxl.out"
    read -r wall user sys <"$TMP/openpyxl.time"
    echo "$wall $(echo "$user + $sys" | bc -l)" >>"$TMP/$label.times"
    echo "  $label run $i: wall ${wall}s cpu $(echo "$user + $sys" | bc -l)s, $(cat "$TMP/openpyxl.out") rows"
  done
  opx_wall="$(awk '{print $1}' "$TMP/$label.times" | median)"
  opx_cpu="$(awk '{print $2}' "$TMP/$label.times" | median)"
}
# A fresh database with the demo: "sqlite" → a copy of the demo file; "postgresql" → a new
# database with init + demo. Prints its URL.
fresh_db() {
  local kind="$1" tag="$2"
  if [[ "$kind" == sqlite ]]; then
    cp "$DEMO" "$TMP/run-$tag.db"
    echo "sqlite:$TMP/run-$tag.db"
  else
    local name="tiaodu_bench_excel_$$_$tag" host="${PGHOST:-localhost}"
    [[ "$host" == /* ]] && host=localhost
    createdb "$name"
    local url="postgresql://${PGUSER}:${PGPASSWORD:-}@${host}:${PGPORT:-5432}/$name"
    "$BIN" init --db "$url" >/dev/null
    "$BIN" demo --db "$url" >/dev/null
    echo "$url"
  fi
}
row() { printf '%-44s %8s %8s %8s %9s %9s %8s %8s\n' "$@" >>"$SUMMARY"; }

echo "== 3. openpyxl: load_workbook(read_only=True) and every row, $RUNS runs"
openpyxl_times "$SHEET" openpyxl
put openpyxl_wall_s "$opx_wall"
put openpyxl_cpu_s "$opx_cpu"
OPX_WALL="$opx_wall"; OPX_CPU="$opx_cpu"

SUMMARY="$TMP/summary.txt"
{
  echo "Excel import benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load before $(cut -d' ' -f1 /proc/loadavg)"
  echo "(a) sheet: $ROWS new projects written by openpyxl (inline strings), $SHEET_BYTES bytes; medians of $RUNS runs"
  echo
} >"$SUMMARY"
row "" "wall s" "cpu s" "read ms" "check ms" "write ms" "wall/opx" "cpu/opx"
row "openpyxl read_only, every row" "$OPX_WALL" "$OPX_CPU" "" "" "" "1" "1"

for kind in $DBS; do
  echo "== 4. tiaodu import projects ($kind), $RUNS runs on a fresh demo database each"
  for i in $(seq "$RUNS"); do
    url="$(fresh_db "$kind" "$i")"
    timed_import "$SHEET" "$url" "import-$kind" "$i"
    last_url="$url"
  done
  summarize "import-$kind"
  put "${kind}_import_wall_s" "$med_wall"; put "${kind}_import_cpu_s" "$med_cpu"
  put "${kind}_read_ms" "$med_read"; put "${kind}_check_ms" "$med_check"; put "${kind}_write_ms" "$med_write"
  ratio_wall="$(echo "scale=3; $med_wall / $OPX_WALL" | bc -l)"
  ratio_cpu="$(echo "scale=3; $med_cpu / $OPX_CPU" | bc -l)"
  put "${kind}_ratio_wall" "$ratio_wall"; put "${kind}_ratio_cpu" "$ratio_cpu"
  row "tiaodu import projects ($kind)" "$med_wall" "$med_cpu" "$med_read" "$med_check" "$med_write" "$ratio_wall" "$ratio_cpu"

  echo "== 5. ($kind) the same file again (every row unchanged), and the export of all projects"
  /usr/bin/time -f "%e" -o "$TMP/again.time" "$BIN" import projects "$SHEET" --db "$last_url" >"$TMP/again-$kind.txt" 2>&1
  grep -q "unchanged=$ROWS " "$TMP/again-$kind.txt" || { cat "$TMP/again-$kind.txt" >&2; exit 1; }
  /usr/bin/time -f "%e" -o "$TMP/export.time" "$BIN" export projects --db "$last_url" -o "$TMP/all-$kind.xlsx" >"$TMP/export-$kind.txt"
  again_wall="$(cat "$TMP/again.time")"; export_wall="$(cat "$TMP/export.time")"
  put "${kind}_reimport_unchanged_wall_s" "$again_wall"; put "${kind}_export_wall_s" "$export_wall"
  echo "  re-import: $(cat "$TMP/again-$kind.txt")"
  echo "  export: $export_wall s, $(cat "$TMP/export-$kind.txt")"
  row "  re-import, every row unchanged ($kind)" "$again_wall" "" "$(field "$TMP/again-$kind.txt" read_ms)" \
    "$(field "$TMP/again-$kind.txt" check_ms)" "$(field "$TMP/again-$kind.txt" write_ms)" "" ""
  row "  tiaodu export projects, all ($kind)" "$export_wall" "" "" "" "" "" ""
  EXPORT_FILE="$TMP/all-$kind.xlsx"
done

# (b) The same projects as tiaodu's export writes them (libxlsxwriter: shared strings, UTF-8 —
# the form Excel and WPS save), imported into a fresh demo database: $ROWS new, the demo's
# own projects unchanged.
B_BYTES="$(stat -c %s "$EXPORT_FILE")"
echo "== 6. (b) the export ($B_BYTES bytes, shared strings): openpyxl, and the import on $(echo $DBS | cut -d' ' -f1)"
openpyxl_times "$EXPORT_FILE" openpyxl-b
put b_bytes "$B_BYTES"; put b_openpyxl_wall_s "$opx_wall"; put b_openpyxl_cpu_s "$opx_cpu"
kind="$(echo $DBS | cut -d' ' -f1)"
for i in $(seq "$RUNS"); do
  timed_import "$EXPORT_FILE" "$(fresh_db "$kind" "b$i")" "import-b-$kind" "$i"
done
summarize "import-b-$kind"
b_ratio_wall="$(echo "scale=3; $med_wall / $opx_wall" | bc -l)"; b_ratio_cpu="$(echo "scale=3; $med_cpu / $opx_cpu" | bc -l)"
put "b_${kind}_import_wall_s" "$med_wall"; put "b_${kind}_ratio_wall" "$b_ratio_wall"; put "b_${kind}_ratio_cpu" "$b_ratio_cpu"
{
  echo
  echo "(b) the same projects as tiaodu's export writes them (shared strings), $B_BYTES bytes, $((ROWS + $(grep -o 'exported: [0-9]*' "$OUT/export-demo.txt" | grep -o '[0-9]*'))) rows ($ROWS new)"
} >>"$SUMMARY"
row "openpyxl read_only, every row" "$opx_wall" "$opx_cpu" "" "" "" "1" "1"
row "tiaodu import projects ($kind)" "$med_wall" "$med_cpu" "$med_read" "$med_check" "$med_write" "$b_ratio_wall" "$b_ratio_cpu"

cp "$TMP"/*.times "$OUT/" 2>/dev/null || true
cp "$SUMMARY" "$OUT/summary.txt"
echo
cat "$OUT/summary.txt"
