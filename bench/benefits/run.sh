#!/usr/bin/env bash
# Benefits (免申即享, issue 10) through the database: 100 policies × 100,000 enterprises.
#
#   bash bench/benefits/run.sh                          # SQLite
#   DBS="sqlite postgresql" bash bench/benefits/run.sh  # and PostgreSQL 15 (pg_virtualenv)
#
# Measures and prints; asserts nothing about timings (it checks that every run stored 100 runs).
# What it does, on each database:
#   1. `tiaodu init` + `tiaodu demo --scale benefits`: the city demo, then the register filled up
#      to 100,000 generated Nanyang enterprises with three years of figures (LoadRegister, the
#      demo's path) and 100 policies in the six shapes of the demo's with varied thresholds
#      (80 % the city's, the rest a district's);
#   2. RUNS times on a fresh copy of that database (SQLite: the checkpointed file copied;
#      PostgreSQL: the database recreated from a template): `/usr/bin/time tiaodu benefits-run
#      --year Y` — every policy in one transaction: register read once per scope, evaluation,
#      results, runs and audit records stored — wall and CPU seconds, results stored, bytes added;
#   3. the editor's live count (POST /api/v1/benefits/policies/check as `invest`, a city officer
#      over all 100,000 enterprises) through a running server: the first request (the register
#      read) and CHECKS more (the register kept in memory), then one after a register change;
#   4. on the last run's database: reading the run with the most results (first page, again, a
#      page far in, the workbook, the public notice) and its review, approval and publication
#      (the rows written).
# Knobs: TIAODU_BIN (default build/tiaodu; use a Release build), RUNS (3), CHECKS (20), DBS,
#        OUT_DIR (bench/out/benefits), KEEP=1 keeps the temp dir.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${TIAODU_BIN:-$REPO/build/tiaodu}"
RUNS="${RUNS:-3}"
CHECKS="${CHECKS:-20}"
DBS="${DBS:-sqlite}"
OUT="${OUT_DIR:-$REPO/bench/out/benefits}"
KEEP="${KEEP:-0}"

if [[ " $DBS " == *" postgresql "* && -z "${PGHOST:-}" ]]; then
  while [[ -e /etc/postgresql/15/regress ]]; do
    echo "waiting for another pg_virtualenv cluster (/etc/postgresql/15/regress) to finish…" >&2
    sleep 10
  done
  exec pg_virtualenv -v 15 bash "${BASH_SOURCE[0]}"
fi
for tool in sqlite3 curl; do command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }; done
[[ -x "$BIN" ]] || { echo "no binary at $BIN" >&2; exit 1; }

TMP="$(mktemp -d /tmp/tiaodu-bench-benefits.XXXXXX)"
SERVER_PID=""
cleanup() {
  [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null || true
  if [[ "$KEEP" == 1 ]]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
mkdir -p "$OUT"
: >"$OUT/summary.txt"
say() { echo "$*" | tee -a "$OUT/summary.txt"; }
export TIAODU_ADMIN_PASSWORD='Bench#Admin2024' TIAODU_DEMO_PASSWORD='Bench#Demo2024'
YEAR="$(( $(date +%Y) - 1 ))"
say "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), binary $BIN, year $YEAR"

pg_url() {  # DBNAME → URL (a socket directory in PGHOST means localhost)
  local host="${PGHOST:-localhost}"; [[ "$host" == /* ]] && host=localhost
  echo "postgresql://${PGUSER}:${PGPASSWORD:-}@${host}:${PGPORT:-5432}/$1"
}
size_of() {  # URL → bytes of the database
  if [[ "$1" == sqlite:* ]]; then
    local f="${1#sqlite:}"; echo $(( $(stat -c %s "$f") + $( [[ -e "$f-wal" ]] && stat -c %s "$f-wal" || echo 0) ))
  else psql -tAc "SELECT pg_database_size(current_database())" -d "$1"; fi
}

serve() {  # URL: starts tiaodu serve on a free port; sets SERVER_PID and TURL
  "$BIN" serve --db "$1" --listen 127.0.0.1:0 >"$OUT/$DB-serve.log" 2>&1 &
  SERVER_PID=$!
  local port=""
  for _ in $(seq 1 300); do
    port="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$OUT/$DB-serve.log" | head -1 | sed 's/.*://' || true)"
    [[ -n "$port" ]] && break; sleep 0.1
  done
  [[ -n "$port" ]] || { echo "tiaodu did not start" >&2; cat "$OUT/$DB-serve.log" >&2; exit 1; }
  TURL="http://127.0.0.1:$port"
}
login() {  # USER: sets cookie and csrf
  local body
  body="$(curl -sS -c "$TMP/jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$TIAODU_DEMO_PASSWORD\"}" "$TURL/api/v1/auth/login")"
  cookie="$(awk '$6 == "tiaodu_session" {print $7}' "$TMP/jar")"
  csrf="$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' <<<"$body")"
}

for DB in $DBS; do
  say "== $DB"
  if [[ "$DB" == sqlite ]]; then
    BASE="sqlite:$TMP/base.db"
  else
    psql -q -c "DROP DATABASE IF EXISTS bench_benefits_base" postgres
    psql -q -c "CREATE DATABASE bench_benefits_base" postgres
    BASE="$(pg_url bench_benefits_base)"
  fi
  t0=$(date +%s.%N)
  "$BIN" init --db "$BASE" >"$OUT/$DB-init.txt"
  "$BIN" demo --db "$BASE" --scale benefits >"$OUT/$DB-demo.txt"
  say "data: $(grep -o 'enterprises=.*' "$OUT/$DB-demo.txt") in $(echo "$(date +%s.%N) - $t0" | bc -l | cut -c1-5) s"
  [[ "$DB" == sqlite ]] && sqlite3 "$TMP/base.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
  for i in $(seq "$RUNS"); do
    if [[ "$DB" == sqlite ]]; then
      rm -f "$TMP/run.db"*; cp "$TMP/base.db" "$TMP/run.db"; URL="sqlite:$TMP/run.db"
    else
      psql -q -c "DROP DATABASE IF EXISTS bench_benefits_run" postgres
      psql -q -c "CREATE DATABASE bench_benefits_run TEMPLATE bench_benefits_base" postgres
      URL="$(pg_url bench_benefits_run)"
    fi
    before="$(size_of "$URL")"
    /usr/bin/time -f "%e %U %S" -o "$TMP/time" "$BIN" benefits-run --db "$URL" --year "$YEAR" >"$OUT/$DB-run-$i.txt"
    read -r wall user sys <"$TMP/time"
    grep -q 'runs=100 ' "$OUT/$DB-run-$i.txt" || { echo "not 100 runs:" >&2; tail -2 "$OUT/$DB-run-$i.txt" >&2; exit 1; }
    say "benefits-run $i: wall ${wall}s cpu $(echo "$user + $sys" | bc -l)s — $(tail -1 "$OUT/$DB-run-$i.txt" | grep -o 'pairs=.*'); +$(( ($(size_of "$URL") - before) / 1048576 )) MB"
  done

  # The editor's live count through a server (on the base data).
  serve "$BASE"
  login invest
  check() {  # → "http_code seconds"
    curl -sS -o "$TMP/check.json" -w '%{http_code} %{time_total}' -H "Cookie: tiaodu_session=$cookie" \
      -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
      -d "{\"eligibility\":\"scale = \\\"规上\\\" and rd_spending >= 300万 and growth(rd_spending) > 0\",\"amount\":\"min(rd_spending * 0.1, 100万)\",\"base_year\":$YEAR}" \
      "$TURL/api/v1/benefits/policies/check"
  }
  read -r code first <<<"$(check)"
  [[ "$code" == 200 ]] || { echo "check: $code $(cat "$TMP/check.json")" >&2; exit 1; }
  say "check, first (reads the register): ${first}s — $(grep -o '"enterprises":[0-9]*' "$TMP/check.json")"
  : >"$TMP/checks"
  for i in $(seq "$CHECKS"); do read -r code t <<<"$(check)"; echo "$t" >>"$TMP/checks"; done
  say "check, $CHECKS more (register in memory): median $(sort -g "$TMP/checks" | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')s, max $(sort -g "$TMP/checks" | tail -1)s"
  # A register change (one enterprise's attributes): the next check reads the register again.
  if [[ "$DB" == sqlite ]]; then sqlite3 "$TMP/base.db" "UPDATE enterprise_attributes SET version = version + 1 WHERE company_id = (SELECT MIN(company_id) FROM enterprise_attributes)"
  else psql -q -c "UPDATE enterprise_attributes SET version = version + 1 WHERE company_id = (SELECT MIN(company_id) FROM enterprise_attributes)" bench_benefits_base; fi
  read -r code t <<<"$(check)"
  say "check after a register change (reads again): ${t}s"
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""

  # Reading and publishing a run (the last run's database): the run with the most results, its
  # first page right after a start (the register snapshot decoded), again, a page far in, the
  # workbook, then review (invest), approve (leader) and publish (invest: the rows written).
  serve "$URL"
  login invest; mcookie="$cookie"; mcsrf="$csrf"
  login leader; acookie="$cookie"; acsrf="$csrf"
  if [[ "$DB" == sqlite ]]; then
    big="$(sqlite3 "$TMP/run.db" "SELECT id FROM benefit_runs ORDER BY matched + near_miss + data_missing + data_error DESC, id LIMIT 1")"
  else
    big="$(psql -tA -c "SELECT id FROM benefit_runs ORDER BY matched + near_miss + data_missing + data_error DESC, id LIMIT 1" bench_benefits_run)"
  fi
  get() { curl -sS -o "$TMP/get.out" -w '%{http_code} %{time_total}' -H "Cookie: tiaodu_session=$mcookie" "$TURL$1"; }
  step() {  # PATH COOKIE CSRF VERSION → "http_code seconds"
    curl -sS -o "$TMP/step.json" -w '%{http_code} %{time_total}' -H "Cookie: tiaodu_session=$2" \
      -H "X-CSRF-Token: $3" -H 'Content-Type: application/json' -d "{\"version\":$4}" "$TURL$1"
  }
  read -r code t1 <<<"$(get "/api/v1/benefits/runs/$big")"
  [[ "$code" == 200 ]] || { echo "run $big: $code" >&2; exit 1; }
  n="$(grep -o '"total":[0-9]*' "$TMP/get.out" | tail -1)"
  m="$(grep -o '"matched":[0-9]*' "$TMP/get.out" | head -1)"
  read -r code t2 <<<"$(get "/api/v1/benefits/runs/$big")"
  read -r code t3 <<<"$(get "/api/v1/benefits/runs/$big?outcome=near_miss&page=40&page_size=500")"
  read -r code t4 <<<"$(get "/api/v1/benefits/runs/$big?format=xlsx")"
  say "run $big ($n results): first page ${t1}s (snapshot decoded), again ${t2}s, page 40 of near misses ${t3}s, workbook ${t4}s"
  read -r code t5 <<<"$(get "/api/v1/benefits/runs/$big?format=docx")"
  [[ "$code" == 200 ]] || { echo "notice: $code" >&2; exit 1; }
  say "notice of run $big (.docx, $m): ${t5}s, $(stat -c %s "$TMP/get.out") bytes"
  read -r code t <<<"$(step "/api/v1/benefits/runs/$big/review" "$mcookie" "$mcsrf" 1)"
  v="$(grep -o '"version":[0-9]*' "$TMP/step.json" | tail -1 | cut -d: -f2)"
  read -r code t <<<"$(step "/api/v1/benefits/runs/$big/approve" "$acookie" "$acsrf" "$v")"
  v="$(grep -o '"version":[0-9]*' "$TMP/step.json" | tail -1 | cut -d: -f2)"
  read -r code t <<<"$(step "/api/v1/benefits/runs/$big/publish" "$mcookie" "$mcsrf" "$v")"
  [[ "$code" == 200 ]] || { echo "publish: $code $(cat "$TMP/step.json")" >&2; exit 1; }
  say "publish of run $big (its results written as rows): ${t}s"
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
done
echo "summary: $OUT/summary.txt"
