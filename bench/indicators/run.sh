#!/usr/bin/env bash
# Indicators at province scale: data load, board latency under wrk, league-table recompute.
#
#   bash bench/indicators/run.sh
#
# Measures and prints; asserts nothing about timings. Needs only what scripts/setup installs:
# wrk, curl, sqlite3, and for the optional PostgreSQL part pg_virtualenv/psql/createdb
# (Debian postgresql, postgresql-common).
#
# What it does (details in bench/README.md):
#   1. `tiaodu init` + `tiaodu demo --scale province` into a fresh SQLite file (200 units ×
#      40 indicators × 120 months); wall clock, the tool's generate_seconds/load_seconds, size;
#   2. `tiaodu serve`, logs in, first ("cold") board request, then wrk against
#      GET /api/v1/indicators/board for the province root P000 and for its first city;
#   3. with the server stopped: `tiaodu recompute --period P --ranks-only` REPEAT times, again
#      REPEAT times each after nulling every rank of the period, and the full
#      `tiaodu recompute --period P` REPEAT times; medians;
#   4. optionally the same load and board runs on PostgreSQL 15 under `pg_virtualenv -v 15`;
#   5. prints a summary table.
#
# Environment knobs (all optional):
#   TIAODU_BIN     server binary                     (default: build/tiaodu)
#   WRK_THREADS    wrk -t                            (default 2)
#   WRK_CONNS      wrk -c                            (default 16)
#   WRK_DURATION   wrk -d                            (default 20s)
#   PERIOD         board and recompute period        (default 2024-06)
#   REPEAT         recompute repetitions (median)    (default 5)
#   PG             1: also PostgreSQL, 0: skip, auto: if pg_virtualenv exists (default auto)
#   PG_VERSION     pg_virtualenv -v                  (default 15)
#   OUT_DIR        raw outputs                       (default: bench/out/indicators)
#
# Outputs: OUT_DIR/summary.txt, OUT_DIR/<db>/{demo.txt, serve.log, wrk-*.txt, recompute.txt, results.env}.
#
# Login: `tiaodu init` creates `admin` (sys_admin). That role has no indicator.read and its unit
# (411300) is not an ancestor of the synthetic province P000, so admin cannot read this board
# (the script records the status it gets). The script therefore adds one business user,
# `bench` (role leader, unit P000), by copying admin's password hash in SQL, and logs in as it.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SELF="$REPO/bench/indicators/run.sh"
LUA="$REPO/bench/indicators/report.lua"
export BIN="${TIAODU_BIN:-$REPO/build/tiaodu}"
export WRK_T="${WRK_THREADS:-2}"
export WRK_C="${WRK_CONNS:-16}"
export WRK_D="${WRK_DURATION:-20s}"
export PERIOD="${PERIOD:-2024-06}"
export REPEAT="${REPEAT:-5}"
export OUT="${OUT_DIR:-$REPO/bench/out/indicators}"
PG="${PG:-auto}"
PG_VERSION="${PG_VERSION:-15}"

CLK_TCK="$(getconf CLK_TCK)"
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR+1)/2]; else printf "%.1f\n", (v[NR/2]+v[NR/2+1])/2}'; }
# user+sys seconds of this shell's finished children (wrk), from `times`
child_secs() {   # not in a pipe or $(…): `times` would report the subshell
  times >"$TMP/times"
  awk 'NR == 2 {t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } printf "%.3f", t}' "$TMP/times"
}
cpu_ticks() { local s; s="$(cat "/proc/$1/stat")"; s="${s##*) }"; awk '{print $12 + $13}' <<<"$s"; }
sys_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
field() { sed -n "s/.*[ ]$2=\([^ ]*\).*/\1/p" "$1" | tail -1; }   # FILE KEY → value of KEY=… on a RESULT line

# ---- database access (sqlite3 file or psql), set by the caller -------------------------
# KIND=sqlite: DBFILE; KIND=postgresql: PG* variables from pg_virtualenv, PGDATABASE_NAME.
db_sql() {
  if [[ "$KIND" == sqlite ]]; then sqlite3 -batch "$DBFILE" "$1"
  else psql -X -q -At -v ON_ERROR_STOP=1 -d "$PGDATABASE_NAME" -c "$1"; fi
}

# ---- 1. load -----------------------------------------------------------------------------
# load_db URL DIR → DIR/demo.txt; sets LOAD_* variables
load_db() {
  local url=$1 dir=$2 t0 t1 t2
  t0=$(now_ms)
  TIAODU_ADMIN_PASSWORD="$PASS" "$BIN" init --db "$url" >"$dir/init.txt"
  t1=$(now_ms)
  TIAODU_ADMIN_PASSWORD="$PASS" "$BIN" demo --scale province --db "$url" >"$dir/demo.txt"
  t2=$(now_ms)
  LOAD_INIT_S="$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", (b-a)/1000}')"
  LOAD_WALL_S="$(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.2f", (b-a)/1000}')"
  LOAD_GEN_S="$(sed -n 's/.*generate_seconds=\([0-9.e+-]*\).*/\1/p' "$dir/demo.txt" | awk '{printf "%.3f", $1}')"
  LOAD_LOAD_S="$(sed -n 's/.*load_seconds=\([0-9.e+-]*\).*/\1/p' "$dir/demo.txt" | awk '{printf "%.2f", $1}')"
  LOAD_VALUES="$(db_sql "SELECT count(*) FROM indicator_values")"
  LOAD_FIGURES="$(db_sql "SELECT count(*) FROM indicator_figures")"
  LOAD_UNITS="$(db_sql "SELECT count(*) FROM units WHERE path LIKE (SELECT path FROM units WHERE code = 'P000') || '%'")"
  if [[ "$KIND" == sqlite ]]; then
    local f=$((0)) x
    for x in "$DBFILE" "$DBFILE-wal" "$DBFILE-shm"; do [[ -f "$x" ]] && f=$((f + $(stat -c %s "$x"))); done
    LOAD_BYTES=$f
  else
    LOAD_BYTES="$(db_sql "SELECT pg_database_size(current_database())")"
  fi
  LOAD_MB="$(awk -v b="$LOAD_BYTES" 'BEGIN{printf "%.1f", b/1048576}')"
  echo "  loaded: init ${LOAD_INIT_S}s, demo wall ${LOAD_WALL_S}s (generate ${LOAD_GEN_S}s, load ${LOAD_LOAD_S}s)," \
       "$LOAD_VALUES values, $LOAD_FIGURES figures, ${LOAD_MB} MiB" >&2
}

# ---- 2. server, login, board -------------------------------------------------------------
SERVER_PID=""
start_server() { # URL DIR → TURL
  "$BIN" serve --db "$1" --listen 127.0.0.1:0 >"$2/serve.log" 2>&1 &
  SERVER_PID=$!
  local port=""
  for _ in $(seq 1 200); do
    port="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$2/serve.log" | head -1 | sed 's/.*://' || true)"
    [[ -n "$port" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$2/serve.log" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n "$port" ]] || { echo "tiaodu did not start" >&2; cat "$2/serve.log" >&2; exit 1; }
  TURL="http://127.0.0.1:$port"
  curl -fsS "$TURL/api/v1/health" >/dev/null
}
stop_server() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  SERVER_PID=""
}
login() { # USER → prints the tiaodu_session cookie value
  local jar; jar="$(mktemp "$TMP/jar.XXXX")"
  curl -sS -o /dev/null -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$PASS\"}" "$TURL/api/v1/auth/login"
  awk '$6 == "tiaodu_session" {print $7}' "$jar"
}
add_bench_user() {
  db_sql "INSERT INTO users (username, display_name, role, unit_id, password_hash, password_changed_at, created_at, updated_at)
          SELECT 'bench', 'bench', 'leader', (SELECT id FROM units WHERE code = 'P000'), password_hash,
                 password_changed_at, created_at, updated_at FROM users WHERE username = 'admin'" >/dev/null
}
# id of the unit with code CODE from GET /api/v1/units?q=CODE
unit_id_of() {
  curl -fsS -H "Cookie: tiaodu_session=$COOKIE" "$TURL/api/v1/units?q=$1" | tr '{}' '\n\n' |
    grep "\"code\":\"$1\"" | grep -oE '"id":[0-9]+' | head -1 | cut -d: -f2
}
# the smallest code among the children of unit id ID (the API lists them by path: /2/10/ before /2/3/)
first_child_code() {
  curl -fsS -H "Cookie: tiaodu_session=$COOKIE" "$TURL/api/v1/units?parent_id=$1&page_size=500" | tr '{}' '\n\n' |
    grep -oE '"code":"[^"]+"' | cut -d'"' -f4 | sort | head -1
}
board_url() { echo "$TURL/api/v1/indicators/board?parent=$1&period=$PERIOD"; }
# one request: prints "http_code bytes ms"
one_request() {
  curl -sS -o "$TMP/body.json" -w '%{http_code} %{size_download} %{time_total}\n' \
    -H "Cookie: tiaodu_session=$COOKIE" "$1" | awk '{printf "%s %s %.2f\n", $1, $2, $3 * 1000}'
}
# wrk_board NAME CODE DIR → DIR/wrk-NAME.txt with a RESULT line plus srv/other CPU
wrk_board() {
  local name=$1 code=$2 dir=$3 b0 b1 s0 s1 c0 c1
  local w0 w1
  b0="$(cpu_ticks "$SERVER_PID")"; s0="$(sys_busy)"; child_secs >"$TMP/w0"; c0=$(now_ms)
  wrk -t"$WRK_T" -c"$WRK_C" -d"$WRK_D" -s "$LUA" -H "Cookie: tiaodu_session=$COOKIE" "$(board_url "$code")" \
    >"$dir/wrk-$name.txt" 2>&1
  c1=$(now_ms); s1="$(sys_busy)"; child_secs >"$TMP/w1"; b1="$(cpu_ticks "$SERVER_PID")"
  w0="$(cat "$TMP/w0")"; w1="$(cat "$TMP/w1")"   # `times` must run in this shell, not in $(…)
  local req; req="$(field "$dir/wrk-$name.txt" requests)"
  # srv = tiaodu's CPU as % of one core; all = whole-machine busy % of one core (wrk, tiaodu and others)
  # wrk = CPU of the load generator (children times of this shell); other = machine - srv - wrk
  # (the database server's processes on PostgreSQL, and unrelated processes on a shared machine)
  awk -v b0="$b0" -v b1="$b1" -v s0="$s0" -v s1="$s1" -v hz="$CLK_TCK" -v w="$(( c1 - c0 ))" -v n="${req:-0}" \
      -v w0="$w0" -v w1="$w1" \
    'BEGIN { srv = 100 * (b1 - b0) / hz / (w / 1000); all = 100 * (s1 - s0) / hz / (w / 1000);
             wk = 100 * (w1 - w0) / (w / 1000); o = all - srv - wk; if (o < 0) o = 0;
             printf "CPU srv_pct=%.0f wrk_pct=%.0f other_pct=%.0f machine_pct=%.0f srv_ms_per_req=%.3f machine_ms_per_req=%.3f\n", srv, wk, o, all,
                    (n > 0 ? 1000 * (b1 - b0) / hz / n : 0), (n > 0 ? 1000 * (s1 - s0) / hz / n : 0) }' \
    >>"$dir/wrk-$name.txt"
  echo "  wrk $name: $(grep -h '^RESULT\|^CPU' "$dir/wrk-$name.txt" | tr '\n' ' ')" >&2
}
# board_phase URL DIR → results for root and city into DIR/results.env
board_phase() {
  local url=$1 dir=$2
  start_server "$url" "$dir"
  COOKIE="$(login admin)"
  local admin_board; admin_board="$(one_request "$(board_url P000)" | cut -d' ' -f1)"
  add_bench_user
  COOKIE="$(login bench)"
  [[ -n "$COOKIE" ]] || { echo "login as bench failed" >&2; exit 1; }
  local root_id city
  root_id="$(unit_id_of P000)"
  city="$(first_child_code "$root_id")"
  [[ -n "$city" ]] || { echo "no child of P000 (id '$root_id') found" >&2; exit 1; }
  # cold: the first board request of this server process (page cache warm: the data was just written)
  local cold_root cold_city
  cold_root="$(one_request "$(board_url P000)")"
  cp "$TMP/body.json" "$dir/board-root.json"
  cold_city="$(one_request "$(board_url "$city")")"
  cp "$TMP/body.json" "$dir/board-city.json"
  [[ "${cold_root%% *}" == 200 && "${cold_city%% *}" == 200 ]] || {
    echo "board request failed: root '$cold_root', city '$cold_city':" >&2
    head -c 400 "$dir/board-root.json" >&2; echo >&2; exit 1; }
  # warm, one request at a time (no concurrency): median of 20
  local seq_root="" seq_city="" i
  for i in $(seq 1 20); do seq_root+="$(one_request "$(board_url P000)" | cut -d' ' -f3) "; done
  for i in $(seq 1 20); do seq_city+="$(one_request "$(board_url "$city")" | cut -d' ' -f3) "; done
  wrk_board root P000 "$dir"
  wrk_board city "$city" "$dir"
  local rss; rss="$(awk '/^VmRSS:/{print $2}' "/proc/$SERVER_PID/status")"
  stop_server
  {
    echo "ADMIN_BOARD_STATUS=$admin_board"
    echo "CITY=$city"
    echo "COLD_ROOT_MS=$(cut -d' ' -f3 <<<"$cold_root")"; echo "ROOT_BYTES=$(cut -d' ' -f2 <<<"$cold_root")"
    echo "COLD_CITY_MS=$(cut -d' ' -f3 <<<"$cold_city")"; echo "CITY_BYTES=$(cut -d' ' -f2 <<<"$cold_city")"
    echo "SEQ_ROOT_MS=$(median <<<"$seq_root")"; echo "SEQ_CITY_MS=$(median <<<"$seq_city")"
    echo "ROOT_CELLS=$(grep -o '"rank_value"' "$dir/board-root.json" | wc -l)"
    echo "CITY_CELLS=$(grep -o '"rank_value"' "$dir/board-city.json" | wc -l)"
    for t in root city; do
      for k in rps p50_ms p95_ms p99_ms max_ms non2xx socket_errors srv_pct wrk_pct other_pct machine_pct srv_ms_per_req machine_ms_per_req; do
        echo "WRK_${t^^}_${k^^}=$(field "$dir/wrk-$t.txt" "$k")"
      done
    done
    echo "SERVER_RSS_KB=$rss"
  } >>"$dir/results.env"
}

# explain_board DIR: plans of the board's queries (src/indicators/store.cc) for P000 and the city
explain_board() {
  local dir=$1 city; city="$(grep '^CITY=' "$dir/results.env" | cut -d= -f2)"
  local p c; p="$(db_sql "SELECT id FROM units WHERE code = 'P000'")"; c="$(db_sql "SELECT id FROM units WHERE code = '$city'")"
  local qs=(
    "SELECT * FROM units WHERE parent_id = $p AND archived = 0 AND kind NOT IN ('department', 'task_force') ORDER BY sort_order, code"
    "SELECT * FROM indicator_targets t WHERE t.year = ${PERIOD:0:4} AND t.unit_id IN ($p, $c)"
    "SELECT * FROM indicator_figures f WHERE f.parent_id = $p AND f.period = '$PERIOD'"
    "SELECT * FROM indicator_figures f WHERE f.unit_id = $p AND f.period = '$PERIOD'"
    "SELECT * FROM indicator_figures f WHERE f.parent_id = $c AND f.period = '$PERIOD'"
    "SELECT * FROM indicator_figures f WHERE f.unit_id = $c AND f.period = '$PERIOD'"
    "SELECT * FROM indicator_figures f WHERE f.period = '$PERIOD'"
  )
  local q
  for q in "${qs[@]}"; do
    echo "== $q"
    if [[ "$KIND" == sqlite ]]; then db_sql "EXPLAIN QUERY PLAN $q"
    else db_sql "EXPLAIN (ANALYZE, BUFFERS) $q"; fi
  done >"$dir/explain.txt" 2>&1
}

# ---- 3. recompute -------------------------------------------------------------------------
# recompute_runs LABEL URL DIR [PRE_SQL] [--ranks-only] → "tool_ms wall_ms" per run in DIR/recompute.txt
recompute_runs() {
  local label=$1 url=$2 dir=$3 pre=$4; shift 4
  local tools="" walls="" i t0 t1 out ms
  for i in $(seq 1 "$REPEAT"); do
    [[ -n "$pre" ]] && db_sql "$pre" >/dev/null
    t0=$(now_ms)
    out="$("$BIN" recompute --db "$url" --period "$PERIOD" "$@")"
    t1=$(now_ms)
    ms="$(grep -oE '[0-9.]+ ms' <<<"$out" | awk '{printf "%.1f", $1}')"
    echo "$label run $i: tool ${ms} ms, wall $((t1 - t0)) ms" >>"$dir/recompute.txt"
    tools+="$ms "; walls+="$((t1 - t0)) "
  done
  echo "  recompute $label: tool ms [$tools] wall ms [$walls]" >&2
  echo "RC_${label^^}_MS=$(median <<<"$tools")" >>"$dir/results.env"
  echo "RC_${label^^}_WALL_MS=$(median <<<"$walls")" >>"$dir/results.env"
  echo "RC_${label^^}_ALL=\"$tools\"" >>"$dir/results.env"
}
rank_counts() { # → "figures rank_value_set rank_growth_set" for PERIOD
  db_sql "SELECT count(*), count(rank_value), count(rank_growth) FROM indicator_figures WHERE period = '$PERIOD'" | tr '|' ' '
}
recompute_phase() {
  local url=$1 dir=$2 before after
  before="$(rank_counts)"
  recompute_runs ranks "$url" "$dir" "" --ranks-only
  recompute_runs ranks_nulled "$url" "$dir" \
    "UPDATE indicator_figures SET rank_value = NULL, rank_growth = NULL WHERE period = '$PERIOD'" --ranks-only
  after="$(rank_counts)"
  recompute_runs full "$url" "$dir" ""
  {
    echo "RANKS_BEFORE=\"$before\""
    echo "RANKS_AFTER_NULLED=\"$after\""
    echo "LEAGUES=$(db_sql "SELECT count(DISTINCT parent_id) FROM indicator_figures WHERE period = '$PERIOD'")"
  } >>"$dir/results.env"
}

save_load() { # DIR
  {
    echo "LOAD_INIT_S=$LOAD_INIT_S"; echo "LOAD_WALL_S=$LOAD_WALL_S"; echo "LOAD_GEN_S=$LOAD_GEN_S"
    echo "LOAD_LOAD_S=$LOAD_LOAD_S"; echo "LOAD_VALUES=$LOAD_VALUES"; echo "LOAD_FIGURES=$LOAD_FIGURES"
    echo "LOAD_UNITS=$LOAD_UNITS"; echo "LOAD_MB=$LOAD_MB"
  } >>"$1/results.env"
}

# ---- PostgreSQL, inside pg_virtualenv (the script calls itself) ----------------------------
if [[ "${1:-}" == __pg_inner ]]; then
  TMP="$(mktemp -d /tmp/tiaodu-bench-ind-pg.XXXXXX)"
  trap 'stop_server; rm -rf "$TMP"' EXIT
  PASS="$2"; KIND=postgresql; PGDATABASE_NAME=tiaodu_bench
  dir="$OUT/postgresql"; mkdir -p "$dir"
  createdb "$PGDATABASE_NAME"
  host="${PGHOST:-localhost}"; [[ "$host" == /* ]] && host=localhost
  url="postgresql://${PGUSER:-postgres}:${PGPASSWORD:-}@$host:${PGPORT:-5432}/$PGDATABASE_NAME"
  echo "PG_SERVER=\"$(psql -X -At -d "$PGDATABASE_NAME" -c 'SHOW server_version')\"" >>"$dir/results.env"
  load_db "$url" "$dir"; save_load "$dir"
  board_phase "$url" "$dir"
  explain_board "$dir"
  recompute_phase "$url" "$dir"
  exit 0
fi

# ---- main: SQLite ---------------------------------------------------------------------------
for tool in wrk curl sqlite3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (bash scripts/setup)" >&2; exit 1; }
done
[[ -x "$BIN" ]] || { echo "no $BIN: ninja -C build tiaodu" >&2; exit 1; }
STARTED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
TMP="$(mktemp -d /tmp/tiaodu-bench-ind.XXXXXX)"
trap 'stop_server; rm -rf "$TMP"' EXIT
rm -rf "$OUT"; mkdir -p "$OUT/sqlite"
export PASS="Bench-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')-9"
KIND=sqlite; DBFILE="$TMP/province.db"; URL="sqlite:$DBFILE"; D="$OUT/sqlite"
LOADAVG0="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "1. loading the province data set into $DBFILE ..." >&2
load_db "$URL" "$D"; save_load "$D"
echo "2. board under wrk -t$WRK_T -c$WRK_C -d$WRK_D ..." >&2
board_phase "$URL" "$D"
explain_board "$D"
echo "3. recompute of $PERIOD, $REPEAT runs each ..." >&2
recompute_phase "$URL" "$D"

if [[ "$PG" == auto ]]; then command -v pg_virtualenv >/dev/null && PG=1 || PG=0; fi
if [[ "$PG" == 1 ]]; then
  echo "4. PostgreSQL $PG_VERSION under pg_virtualenv ..." >&2
  pg_virtualenv -v "$PG_VERSION" bash "$SELF" __pg_inner "$PASS" >"$OUT/pg_virtualenv.log" 2>&1 ||
    { echo "  PostgreSQL part failed, see $OUT/pg_virtualenv.log" >&2; tail -5 "$OUT/pg_virtualenv.log" >&2; }
fi

# ---- 5. summary --------------------------------------------------------------------------------
get() { # DB KEY
  local f="$OUT/$1/results.env"
  [[ -f "$f" ]] || { echo "-"; return; }
  ( set +u; source "$f"; v="${!2:-}"; echo "${v:--}" )
}
row() { printf '%-44s %16s %16s  %s\n' "$1" "$2" "$3" "${4:-}"; }
{
  echo "Tiaodu indicators at province scale — started $STARTED, finished $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: nproc=$(nproc), RAM $(awk '/^MemTotal:/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)," \
       "CPU: $(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo), kernel $(uname -r), loadavg before: $LOADAVG0"
  echo "tiaodu: $BIN ($(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$REPO" && git diff --quiet HEAD -- src 2>/dev/null || echo ', src/ modified'))"
  echo "data: $(get sqlite LOAD_UNITS) units under P000, $(get sqlite LOAD_VALUES) values, $(get sqlite LOAD_FIGURES) figures;" \
       "period $PERIOD: $(get sqlite LEAGUES) leagues; city board = $(get sqlite CITY)"
  echo "wrk -t$WRK_T -c$WRK_C -d$WRK_D (Lua: bench/indicators/report.lua); recompute: median of $REPEAT runs"
  echo "admin's own GET board?parent=P000 → HTTP $(get sqlite ADMIN_BOARD_STATUS); measured as user 'bench' (leader, unit P000)"
  echo
  row "measure" "SQLite" "PostgreSQL" "target"
  row "init (wall s)" "$(get sqlite LOAD_INIT_S)" "$(get postgresql LOAD_INIT_S)"
  row "demo --scale province (wall s)" "$(get sqlite LOAD_WALL_S)" "$(get postgresql LOAD_WALL_S)"
  row "  generate_seconds (tool)" "$(get sqlite LOAD_GEN_S)" "$(get postgresql LOAD_GEN_S)"
  row "  load_seconds (tool)" "$(get sqlite LOAD_LOAD_S)" "$(get postgresql LOAD_LOAD_S)"
  row "database size (MiB)" "$(get sqlite LOAD_MB)" "$(get postgresql LOAD_MB)"
  for t in root city; do
    T=${t^^}
    lbl="board $t"; [[ $t == root ]] && lbl+=" P000" || lbl+=" $(get sqlite CITY)"
    row "$lbl: response bytes / cells" "$(get sqlite ${T}_BYTES)/$(get sqlite ${T}_CELLS)" "$(get postgresql ${T}_BYTES)/$(get postgresql ${T}_CELLS)"
    row "  cold first request (ms)" "$(get sqlite COLD_${T}_MS)" "$(get postgresql COLD_${T}_MS)"
    row "  one at a time, median of 20 (ms)" "$(get sqlite SEQ_${T}_MS)" "$(get postgresql SEQ_${T}_MS)"
    row "  wrk req/s" "$(get sqlite WRK_${T}_RPS)" "$(get postgresql WRK_${T}_RPS)"
    row "  wrk p50 (ms)" "$(get sqlite WRK_${T}_P50_MS)" "$(get postgresql WRK_${T}_P50_MS)"
    row "  wrk p95 (ms)" "$(get sqlite WRK_${T}_P95_MS)" "$(get postgresql WRK_${T}_P95_MS)" "< 50 ms at $WRK_C clients"
    row "  wrk p99 (ms)" "$(get sqlite WRK_${T}_P99_MS)" "$(get postgresql WRK_${T}_P99_MS)"
    row "  errors (non-2xx / socket)" "$(get sqlite WRK_${T}_NON2XX)/$(get sqlite WRK_${T}_SOCKET_ERRORS)" \
        "$(get postgresql WRK_${T}_NON2XX)/$(get postgresql WRK_${T}_SOCKET_ERRORS)"
    row "  server CPU ms/request" "$(get sqlite WRK_${T}_SRV_MS_PER_REQ)" "$(get postgresql WRK_${T}_SRV_MS_PER_REQ)"
    row "  machine CPU ms/request (all processes)" "$(get sqlite WRK_${T}_MACHINE_MS_PER_REQ)" "$(get postgresql WRK_${T}_MACHINE_MS_PER_REQ)"
    row "  CPU % of 1 core: tiaodu/wrk/other" "$(get sqlite WRK_${T}_SRV_PCT)/$(get sqlite WRK_${T}_WRK_PCT)/$(get sqlite WRK_${T}_OTHER_PCT)" \
        "$(get postgresql WRK_${T}_SRV_PCT)/$(get postgresql WRK_${T}_WRK_PCT)/$(get postgresql WRK_${T}_OTHER_PCT)"
  done
  row "recompute --ranks-only (tool ms)" "$(get sqlite RC_RANKS_MS)" "$(get postgresql RC_RANKS_MS)" "< 200 ms"
  row "  same, wall incl. process start (ms)" "$(get sqlite RC_RANKS_WALL_MS)" "$(get postgresql RC_RANKS_WALL_MS)"
  row "recompute --ranks-only, ranks nulled (ms)" "$(get sqlite RC_RANKS_NULLED_MS)" "$(get postgresql RC_RANKS_NULLED_MS)" "< 200 ms"
  row "  same, wall (ms)" "$(get sqlite RC_RANKS_NULLED_WALL_MS)" "$(get postgresql RC_RANKS_NULLED_WALL_MS)"
  row "recompute --period, full (tool ms)" "$(get sqlite RC_FULL_MS)" "$(get postgresql RC_FULL_MS)"
  row "  same, wall (ms)" "$(get sqlite RC_FULL_WALL_MS)" "$(get postgresql RC_FULL_WALL_MS)"
  echo
  echo "figures of $PERIOD (count, rank_value set, rank_growth set): before $(get sqlite RANKS_BEFORE);" \
       "after nulling + --ranks-only $(get sqlite RANKS_AFTER_NULLED) (SQLite)"
  echo "recompute runs (tool ms), SQLite: ranks [$(get sqlite RC_RANKS_ALL)] nulled [$(get sqlite RC_RANKS_NULLED_ALL)] full [$(get sqlite RC_FULL_ALL)]"
  [[ -f "$OUT/postgresql/results.env" ]] &&
    echo "PostgreSQL $(get postgresql PG_SERVER): ranks [$(get postgresql RC_RANKS_ALL)] nulled [$(get postgresql RC_RANKS_NULLED_ALL)] full [$(get postgresql RC_FULL_ALL)]"
  echo "(CPU: % of one core over the wrk run, $(nproc) cores = $(( $(nproc) * 100 ))%; other = the rest of the machine:"
  echo " postgres backends in the PostgreSQL column, plus unrelated processes on a shared machine)"
  echo "raw outputs: $OUT/"
} | tee "$OUT/summary.txt"
