#!/usr/bin/env bash
# Key projects (and, once the data set has them, investment leads) at province scale:
# list and battle-map latency under wrk, single-client latency, the daily status refresh.
#
#   bash bench/projects/run.sh                      # projects, then investment if the data set has leads
#   PARTS=projects bash bench/projects/run.sh       # projects only
#   bash bench/investment/run.sh                    # = PARTS=investment OUT_DIR=bench/out/investment
#
# Measures and prints; asserts nothing about timings. Needs what scripts/setup installs:
# wrk, curl, sqlite3 (the data set is SQLite; PostgreSQL is not measured by this script).
#
# What it does (details in bench/README.md):
#   1. `tiaodu init` + `tiaodu demo --scale province` into a fresh SQLite file (200 units, root
#      P000; indicators; 20,000 key projects with 60 months of progress; 100,000 investment leads
#      once the demo generates them). It keeps the tool's output (project_seconds, busiest_unit,
#      the leads line) and the row counts;
#   2. inserts two users with SQL, copying admin's password hash: `bench` (leader, unit P000:
#      project.read and investment.read) and `bench_po` (project_office, unit P000: project.manage,
#      for PUT /projects/settings);
#   3. starts `tiaodu serve`; the server refreshes every project status once at start-up
#      (app::Jobs → ProjectService::RefreshAll); the script waits for that log line and reports
#      the time from the launch to it;
#   4. for each target URL: the first ("cold") request with curl, then `wrk -t1 -c1` (one client,
#      SINGLE_DURATION) and `wrk -t$WRK_THREADS -c$WRK_CONNS` (WRK_DURATION), each with
#      bench/indicators/report.lua (p50/p95/p99/max, req/s, errors) and the CPU of tiaodu, wrk and the
#      rest of the machine during the run;
#   5. projects: times REPEAT × `PUT /api/v1/projects/settings {"version"}` with unchanged settings,
#      which runs RefreshAll (all 20,000 projects) synchronously inside the request;
#   6. writes EXPLAIN QUERY PLAN and sqlite3-shell timings of the SQL behind each target
#      (src/projects/store.cc, src/investment/store.cc) to explain-*.txt;
#   7. prints a summary table and writes it to OUT_DIR/summary.txt.
#
# Environment knobs (all optional):
#   TIAODU_BIN       server binary                               (default: build/tiaodu)
#   PARTS            "projects investment", "projects", "investment" (default: both)
#   WRK_THREADS      wrk -t for the concurrent runs              (default 2)
#   WRK_CONNS        wrk -c for the concurrent runs              (default 16)
#   WRK_DURATION     wrk -d for the concurrent runs              (default 20s)
#   SINGLE_DURATION  wrk -d for the one-client runs              (default 10s)
#   REPEAT           RefreshAll runs through PUT settings        (default 3)
#   CITY             city code for the city filters              (default: parent of busiest_unit)
#   Q                keyword for the q= filter                   (default 风电)
#   DB_FILE          reuse this province database instead of generating one (it must come from
#                    `demo --scale province`; the bench users are added if missing)
#   KEEP_DB          1: keep the generated database (its path is printed)  (default 0)
#   OUT_DIR          raw outputs                                 (default: bench/out/projects)
#
# Outputs: OUT_DIR/summary.txt, OUT_DIR/results.env (every figure as KEY=value), demo.txt,
# serve.log, wrk-<target>-{c1,cN}.txt, body-<target>.json (first response), refresh.txt,
# explain-projects.txt, explain-investment.txt.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LUA="$REPO/bench/indicators/report.lua"
BIN="${TIAODU_BIN:-$REPO/build/tiaodu}"
PARTS="${PARTS:-projects investment}"
WRK_T="${WRK_THREADS:-2}"
WRK_C="${WRK_CONNS:-16}"
WRK_D="${WRK_DURATION:-20s}"
SINGLE_D="${SINGLE_DURATION:-10s}"
REPEAT="${REPEAT:-3}"
Q="${Q:-风电}"
OUT="${OUT_DIR:-$REPO/bench/out/projects}"
KEEP_DB="${KEEP_DB:-0}"

CLK_TCK="$(getconf CLK_TCK)"
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR+1)/2]; else printf "%.1f\n", (v[NR/2]+v[NR/2+1])/2}'; }
child_secs() {   # user+sys seconds of this shell's finished children (wrk); not in a pipe or $(…)
  times >"$TMP/times"
  awk 'NR == 2 {t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } printf "%.3f", t}' "$TMP/times"
}
cpu_ticks() { local s; s="$(cat "/proc/$1/stat")"; s="${s##*) }"; awk '{print $12 + $13}' <<<"$s"; }
sys_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
field() { sed -n "s/.*[ ]$2=\([^ ]*\).*/\1/p" "$1" | tail -1; }   # FILE KEY → value of KEY=… on a RESULT/CPU line
urlenc() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n' | sed 's/../%&/g'; }   # every byte, for query values
db_sql() { sqlite3 -batch "$DBFILE" "$1"; }
put() { echo "$1=$2" >>"$OUT/results.env"; }

for tool in wrk curl sqlite3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (bash scripts/setup)" >&2; exit 1; }
done
[[ -x "$BIN" ]] || { echo "no $BIN: ninja -C build tiaodu" >&2; exit 1; }
STARTED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
TMP="$(mktemp -d /tmp/tiaodu-bench-proj.XXXXXX)"
SERVER_PID=""
stop_server() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  SERVER_PID=""
}
cleanup() {
  stop_server
  if [[ "$KEEP_DB" == 1 && -z "${DB_FILE:-}" && -f "$TMP/province.db" ]]; then
    rm -f "$TMP/times" "$TMP"/jar.* "$TMP/body.json"
    echo "database kept: $TMP/province.db" >&2
  else
    rm -rf "$TMP"
  fi
}
trap cleanup EXIT
rm -rf "$OUT"; mkdir -p "$OUT"
LOADAVG0="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- 1. data set -----------------------------------------------------------------------------
if [[ -n "${DB_FILE:-}" ]]; then
  DBFILE="$DB_FILE"
  [[ -f "$DBFILE" ]] || { echo "DB_FILE $DBFILE does not exist" >&2; exit 1; }
  PASS="${BENCH_PASSWORD:?with DB_FILE, set BENCH_PASSWORD to the admin password the database was made with}"
  echo "1. reusing $DBFILE (no load figures)" >&2
  echo "(reused $DBFILE)" >"$OUT/demo.txt"
else
  DBFILE="$TMP/province.db"
  PASS="Bench-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')-9"
  echo "1. tiaodu init + demo --scale province into $DBFILE ..." >&2
  t0=$(now_ms)
  TIAODU_ADMIN_PASSWORD="$PASS" "$BIN" init --db "sqlite:$DBFILE" >"$OUT/init.txt"
  t1=$(now_ms)
  TIAODU_ADMIN_PASSWORD="$PASS" "$BIN" demo --scale province --db "sqlite:$DBFILE" >"$OUT/demo.txt"
  t2=$(now_ms)
  put LOAD_INIT_S "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", (b-a)/1000}')"
  put LOAD_WALL_S "$(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.2f", (b-a)/1000}')"
  cat "$OUT/demo.txt" >&2
  [[ "$KEEP_DB" == 1 ]] && echo "  (KEEP_DB=1: rerun with DB_FILE=$DBFILE BENCH_PASSWORD=$PASS)" >&2
fi
URL="sqlite:$DBFILE"
num() { grep -oE "$1=[0-9.e+-]+" "$OUT/demo.txt" | tail -1 | cut -d= -f2; }
put LOAD_GEN_S "$(num generate_seconds)"
put LOAD_INDICATORS_S "$(num load_seconds)"
put PROJECT_SECONDS "$(num project_seconds)"
put INVESTMENT_SECONDS "$(num investment_seconds)"
LEADS_LINE="$(grep -iE 'leads|招商' "$OUT/demo.txt" | tail -1 || true)"
put LEADS_LINE "\"${LEADS_LINE//\"/}\""
BUSIEST="$(grep -oE 'busiest_unit=[A-Z0-9]+' "$OUT/demo.txt" | tail -1 | cut -d= -f2 || true)"
if [[ -z "$BUSIEST" ]]; then   # reused database: the unit with the most projects
  BUSIEST="$(db_sql "SELECT u.code FROM projects p JOIN units u ON u.id = p.unit_id GROUP BY u.code ORDER BY count(*) DESC LIMIT 1")"
fi
if [[ -z "${CITY:-}" ]]; then
  CITY="$(db_sql "SELECT pu.code FROM units u JOIN units pu ON pu.id = u.parent_id WHERE u.code = '$BUSIEST'")"
fi
ROOT=P000
put BUSIEST "$BUSIEST"; put CITY "$CITY"; put ROOT "$ROOT"
bytes=0; for x in "$DBFILE" "$DBFILE-wal"; do [[ -f "$x" ]] && bytes=$((bytes + $(stat -c %s "$x"))); done
put DB_MB "$(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1048576}')"
put N_PROJECTS "$(db_sql "SELECT count(*) FROM projects")"
put N_PROGRESS "$(db_sql "SELECT count(*) FROM project_progress")"
put N_MILESTONES "$(db_sql "SELECT count(*) FROM project_milestones")"
put N_BUSIEST "$(db_sql "SELECT count(*) FROM projects p JOIN units u ON u.id = p.unit_id WHERE u.code = '$BUSIEST'")"
put N_CITY_SUBTREE "$(db_sql "SELECT count(*) FROM projects p JOIN units u ON u.id = p.unit_id WHERE u.path LIKE (SELECT path FROM units WHERE code = '$CITY') || '%'")"
N_LEADS="$(db_sql "SELECT count(*) FROM leads" 2>/dev/null || echo 0)"
put N_LEADS "$N_LEADS"
put N_LEADS_CITY "$(db_sql "SELECT count(*) FROM leads l JOIN units u ON u.id = l.unit_id WHERE u.path LIKE (SELECT path FROM units WHERE code = '$CITY') || '%'" 2>/dev/null || echo 0)"
put N_COMPANIES "$(db_sql "SELECT count(*) FROM companies" 2>/dev/null || echo 0)"
echo "  busiest county $BUSIEST, city $CITY; $N_LEADS leads" >&2

# ---- 2. users ----------------------------------------------------------------------------------
add_user() { # USERNAME ROLE
  db_sql "INSERT INTO users (username, display_name, role, unit_id, password_hash, password_changed_at, created_at, updated_at)
          SELECT '$1', '$1', '$2', (SELECT id FROM units WHERE code = '$ROOT'), password_hash,
                 password_changed_at, created_at, updated_at FROM users WHERE username = 'admin'
          AND NOT EXISTS (SELECT 1 FROM users WHERE username = '$1')" >/dev/null
}
add_user bench leader
add_user bench_po project_office
db_sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null

# ---- 3. server --------------------------------------------------------------------------------
LAUNCH_MS=$(now_ms)
"$BIN" serve --db "$URL" --listen 127.0.0.1:0 >"$OUT/serve.log" 2>&1 &
SERVER_PID=$!
port=""
for _ in $(seq 1 300); do
  port="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$OUT/serve.log" | head -1 | sed 's/.*://' || true)"
  [[ -n "$port" ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/serve.log" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$port" ]] || { echo "tiaodu did not start" >&2; cat "$OUT/serve.log" >&2; exit 1; }
LISTEN_MS=$(now_ms)
TURL="http://127.0.0.1:$port"
echo "2. server on $TURL; waiting for the start-up refresh of all project statuses ..." >&2
for _ in $(seq 1 1200); do
  grep -q 'project statuses refreshed' "$OUT/serve.log" && break
  grep -q 'refresh failed' "$OUT/serve.log" && { echo "start-up refresh failed" >&2; break; }
  sleep 0.1
done
SEEN_MS=$(now_ms)
# spdlog prints local time with milliseconds: "[2026-11-24 20:05:11.885] [info] … refreshed: 20000"
ref_line="$(grep 'project statuses refreshed' "$OUT/serve.log" | head -1 || true)"
if [[ -n "$ref_line" ]]; then
  ts="$(sed -n 's/^\[\([0-9-]* [0-9:.]*\)\].*/\1/p' <<<"$ref_line")"
  ref_ms=$(( $(date -d "$ts" +%s%N) / 1000000 ))
  put STARTUP_REFRESH_MS "$(( ref_ms - LAUNCH_MS ))"
  put STARTUP_REFRESH_COUNT "$(grep -oE 'refreshed: [0-9]+' <<<"$ref_line" | grep -oE '[0-9]+')"
fi
put STARTUP_LISTEN_MS "$(( LISTEN_MS - LAUNCH_MS ))"
sleep 1   # the escalation of overdue problems follows the refresh in the same job

login() { # USER → "cookie csrf"
  local jar; jar="$(mktemp "$TMP/jar.XXXX")"
  local body; body="$(curl -sS -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$PASS\"}" "$TURL/api/v1/auth/login")"
  echo "$(awk '$6 == "tiaodu_session" {print $7}' "$jar") $(grep -oE '"csrf_token":"[^"]+"' <<<"$body" | cut -d'"' -f4)"
}
read -r COOKIE _ <<<"$(login bench)"
[[ -n "$COOKIE" ]] || { echo "login as bench failed" >&2; exit 1; }
one_request() { # URL → "http_code bytes ms", body in $TMP/body.json
  curl -sS -o "$TMP/body.json" -w '%{http_code} %{size_download} %{time_total}\n' \
    -H "Cookie: tiaodu_session=$COOKIE" "$1" | awk '{printf "%s %s %.2f\n", $1, $2, $3 * 1000}'
}

# wrk_run NAME THREADS CONNS DURATION URL → OUT/wrk-NAME.txt with RESULT and CPU lines
wrk_run() {
  local name=$1 t=$2 c=$3 d=$4 url=$5 b0 b1 s0 s1 c0 c1 w0 w1 req
  b0="$(cpu_ticks "$SERVER_PID")"; s0="$(sys_busy)"; child_secs >"$TMP/w0"; c0=$(now_ms)
  wrk -t"$t" -c"$c" -d"$d" -s "$LUA" -H "Cookie: tiaodu_session=$COOKIE" "$url" >"$OUT/wrk-$name.txt" 2>&1
  c1=$(now_ms); s1="$(sys_busy)"; child_secs >"$TMP/w1"; b1="$(cpu_ticks "$SERVER_PID")"
  w0="$(cat "$TMP/w0")"; w1="$(cat "$TMP/w1")"
  req="$(field "$OUT/wrk-$name.txt" requests)"
  awk -v b0="$b0" -v b1="$b1" -v s0="$s0" -v s1="$s1" -v hz="$CLK_TCK" -v w="$(( c1 - c0 ))" -v n="${req:-0}" \
      -v w0="$w0" -v w1="$w1" \
    'BEGIN { srv = 100 * (b1 - b0) / hz / (w / 1000); all = 100 * (s1 - s0) / hz / (w / 1000);
             wk = 100 * (w1 - w0) / (w / 1000); o = all - srv - wk; if (o < 0) o = 0;
             printf "CPU srv_pct=%.0f wrk_pct=%.0f other_pct=%.0f machine_pct=%.0f srv_ms_per_req=%.3f\n", srv, wk, o, all,
                    (n > 0 ? 1000 * (b1 - b0) / hz / n : 0) }' >>"$OUT/wrk-$name.txt"
  echo "    $name: $(grep -h '^RESULT\|^CPU' "$OUT/wrk-$name.txt" | sed 's/duration_s=[^ ]* //; s/bytes=[^ ]*//' | tr '\n' ' ')" >&2
}

TARGETS=()   # "name|path?query"
# measure NAME PATH_AND_QUERY: cold request, one client, WRK_CONNS clients
measure() {
  local name=$1 pq=$2 url="$TURL$2" cold
  TARGETS+=("$name|$pq")
  cold="$(one_request "$url")"
  cp "$TMP/body.json" "$OUT/body-$name.json"
  put "${name^^}_STATUS" "$(cut -d' ' -f1 <<<"$cold")"
  put "${name^^}_BYTES" "$(cut -d' ' -f2 <<<"$cold")"
  put "${name^^}_COLD_MS" "$(cut -d' ' -f3 <<<"$cold")"
  put "${name^^}_TOTAL" "$(grep -oE '"total":[0-9]+' "$OUT/body-$name.json" | tail -1 | cut -d: -f2)"
  echo "  $name: first request $cold  ($pq)" >&2
  [[ "${cold%% *}" == 200 ]] || { echo "  $name answered ${cold%% *}: $(head -c 300 "$OUT/body-$name.json")" >&2; return; }
  wrk_run "$name-c1" 1 1 "$SINGLE_D" "$url"
  wrk_run "$name-cN" "$WRK_T" "$WRK_C" "$WRK_D" "$url"
  local k m
  for m in c1 cN; do
    for k in requests rps p50_ms p95_ms p99_ms max_ms non2xx socket_errors srv_pct wrk_pct other_pct machine_pct srv_ms_per_req; do
      put "${name^^}_${m^^}_${k^^}" "$(field "$OUT/wrk-$name-$m.txt" "$k")"
    done
  done
}

# ---- 4./5. projects ----------------------------------------------------------------------------
LAGGING="$(urlenc 滞后)"; QENC="$(urlenc "$Q")"; SIGNED="$(urlenc 签约)"
if [[ " $PARTS " == *" projects "* ]]; then
  echo "3. projects: cold request, wrk -t1 -c1 -d$SINGLE_D, wrk -t$WRK_T -c$WRK_C -d$WRK_D ..." >&2
  measure list_city_lagging "/api/v1/projects?unit=$CITY&status=$LAGGING&page_size=50&sort=-completion"
  measure list_root "/api/v1/projects?page_size=50"
  measure list_county "/api/v1/projects?unit=$BUSIEST&page_size=50"
  measure list_q "/api/v1/projects?q=$QENC&page_size=50"
  measure battle_map "/api/v1/projects/battle-map?unit=$BUSIEST"
  put BATTLE_MAP_PROJECTS "$(grep -oE '"status_reason":' "$OUT/body-battle_map.json" | wc -l)"

  echo "4. RefreshAll via PUT /api/v1/projects/settings (unchanged settings), $REPEAT runs ..." >&2
  read -r PO_COOKIE PO_CSRF <<<"$(login bench_po)"
  runs="" cpus=""
  for i in $(seq 1 "$REPEAT"); do
    ver="$(curl -sS -H "Cookie: tiaodu_session=$PO_COOKIE" "$TURL/api/v1/projects/settings" | grep -oE '"version":[0-9]+' | tail -1 | cut -d: -f2)"
    b0="$(cpu_ticks "$SERVER_PID")"
    res="$(curl -sS -o "$TMP/body.json" -w '%{http_code} %{time_total}' -X PUT -H 'Content-Type: application/json' \
      -H "Cookie: tiaodu_session=$PO_COOKIE" -H "X-CSRF-Token: $PO_CSRF" -d "{\"version\":$ver}" "$TURL/api/v1/projects/settings")"
    b1="$(cpu_ticks "$SERVER_PID")"
    ms="$(awk '{printf "%.0f", $2 * 1000}' <<<"$res")"
    cpu="$(awk -v a="$b0" -v b="$b1" -v hz="$CLK_TCK" 'BEGIN{printf "%.0f", 1000 * (b - a) / hz}')"
    echo "run $i: HTTP ${res%% *}, ${ms} ms wall, ${cpu} ms tiaodu CPU" | tee -a "$OUT/refresh.txt" >&2
    [[ "${res%% *}" == 200 ]] || head -c 300 "$TMP/body.json" >>"$OUT/refresh.txt"
    runs+="$ms "; cpus+="$cpu "
  done
  put REFRESH_PUT_MS "$(median <<<"$runs")"; put REFRESH_PUT_ALL "\"$runs\""
  put REFRESH_PUT_CPU_MS "$(median <<<"$cpus")"
  put REFRESH_STATUSES "\"$(db_sql "SELECT status || ':' || count(*) FROM project_years WHERE year = (SELECT max(year) FROM project_years) GROUP BY status" | tr '\n' ' ')\""
fi

# ---- investment ---------------------------------------------------------------------------------
if [[ " $PARTS " == *" investment "* ]]; then
  if [[ "${N_LEADS:-0}" -gt 0 ]]; then
    echo "5. investment ($N_LEADS leads): cold request, wrk -c1, wrk -c$WRK_C ..." >&2
    measure leads_city_signed "/api/v1/investment/leads?unit=$CITY&stage=$SIGNED&page_size=50"
    measure pipeline_city "/api/v1/investment/pipeline?unit=$CITY"
  else
    echo "5. investment: the data set has no leads (demo --scale province did not generate them); skipped" >&2
    put INVESTMENT_SKIPPED 1
  fi
fi
RSS="$(awk '/^VmRSS:/{print $2}' "/proc/$SERVER_PID/status")"; put SERVER_RSS_KB "$RSS"
stop_server

# ---- 6. plans of the SQL behind the targets -----------------------------------------------------
# The statements as src/projects/store.cc (ListProjects: COUNT, then the page, then LoadPlans per
# row; BattleMap: ListProjects with page_size 5000 sorted by code, then MilestonesOf) and
# src/investment/store.cc (ListLeads: COUNT, then the page; Pipeline) build them, with the binds
# inlined. Each statement's time alone: one sqlite3 process runs it 20 times, minus the same
# process running `SELECT 1` 20 times (start, open, schema), divided by 20; best of 5.
sql_ms() { # SQL → ms per execution in the sqlite3 shell (default page cache, warm OS cache)
  local q=$1 s="" b="" i r t0 t1 t2 best=""
  for i in $(seq 20); do s+="$q;"$'\n'; b+="SELECT 1;"$'\n'; done
  for r in 1 2 3 4 5; do
    t0=$(date +%s%N); sqlite3 -batch "$DBFILE" <<<"$s" >/dev/null; t1=$(date +%s%N)
    sqlite3 -batch "$DBFILE" <<<"$b" >/dev/null; t2=$(date +%s%N)
    best+="$(awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN{printf "%.2f", ((b-a)-(c-b))/20/1e6}') "
  done
  tr ' ' '\n' <<<"$best" | grep . | sort -g | head -1
}
explain() { # FILE SQL...
  local f=$1 q; shift
  for q in "$@"; do
    echo "== $q"
    db_sql "EXPLAIN QUERY PLAN $q"
    echo "time alone in the sqlite3 shell: $(sql_ms "$q") ms (best of 5 × 20 runs)"
  done >"$f" 2>&1
}
YEAR="$(db_sql "SELECT max(year) FROM project_years")"
path_of() { db_sql "SELECT path FROM units WHERE code = '$1'"; }
RP="$(path_of "$ROOT")"; CP="$(path_of "$CITY")"; BP="$(path_of "$BUSIEST")"
if [[ " $PARTS " == *" projects "* ]]; then
  JY="LEFT JOIN project_years y ON y.project_id = p.id AND y.year = $YEAR"
  SEL="SELECT p.id, p.code, p.name, p.level, p.category, p.industry, p.chain, p.unit_id, p.leader_id, p.task_force_id, p.location, p.total_investment, p.start_year, p.end_year, p.committed_completion, p.stage, p.stage_dates, p.archived, p.version, p.created_at, p.updated_at, y.plan, y.ytd, y.cumulative, y.completion, y.status, y.status_reason, y.open_problems, y.overdue_milestones, y.as_of, u.code, u.name, COALESCE(lu.display_name, ''), COALESCE(tf.code, ''), COALESCE(tf.name, '') FROM projects p JOIN units u ON u.id = p.unit_id $JY LEFT JOIN users lu ON lu.id = p.leader_id LEFT JOIN units tf ON tf.id = p.task_force_id"
  W_CITY="WHERE u.path LIKE '$RP%' AND p.archived = 0 AND u.path LIKE '$CP%' AND COALESCE(y.status, '正常') = '滞后'"
  W_ROOT="WHERE u.path LIKE '$RP%' AND p.archived = 0"
  W_CTY="WHERE u.path LIKE '$RP%' AND p.archived = 0 AND u.path LIKE '$BP%'"
  W_Q="WHERE u.path LIKE '$RP%' AND p.archived = 0 AND (LOWER(p.name) LIKE '%$Q%' ESCAPE '\\' OR LOWER(p.code) LIKE '%$Q%' ESCAPE '\\')"
  IDS="$(db_sql "SELECT group_concat(p.id) FROM projects p JOIN units u ON u.id = p.unit_id WHERE u.code = '$BUSIEST'")"
  explain "$OUT/explain-projects.txt" \
    "SELECT COUNT(*) FROM projects p JOIN units u ON u.id = p.unit_id $JY $W_CITY" \
    "$SEL $W_CITY ORDER BY COALESCE(y.completion, 0) DESC, p.code LIMIT 50 OFFSET 0" \
    "SELECT COUNT(*) FROM projects p JOIN units u ON u.id = p.unit_id $JY $W_ROOT" \
    "$SEL $W_ROOT ORDER BY p.code LIMIT 50 OFFSET 0" \
    "SELECT COUNT(*) FROM projects p JOIN units u ON u.id = p.unit_id $JY $W_CTY" \
    "$SEL $W_CTY ORDER BY p.code LIMIT 50 OFFSET 0" \
    "SELECT COUNT(*) FROM projects p JOIN units u ON u.id = p.unit_id $JY $W_Q" \
    "$SEL $W_Q ORDER BY p.code LIMIT 50 OFFSET 0" \
    "SELECT year, amount FROM project_plans WHERE project_id = 1 ORDER BY year" \
    "$SEL $W_CTY ORDER BY p.code LIMIT 5000 OFFSET 0" \
    "SELECT id, project_id, seq, name, planned, actual, version FROM project_milestones WHERE project_id IN ($IDS) ORDER BY project_id, seq"
  # Not what the server runs: the same filters with the unit subtree as a range on units.path
  # (index units_path) feeding projects_unit, and the status compared without COALESCE so that
  # project_years_status (year, status) can drive (every project has a row for the current year
  # once RefreshAll ran). For comparison with the statements above.
  {
    echo; echo "######## ALTERNATIVES (not in src/; for comparison) ########"
    for q in \
      "SELECT COUNT(*) FROM projects p LEFT JOIN project_years y ON y.project_id = p.id AND y.year = $YEAR WHERE p.archived = 0 AND p.unit_id IN (SELECT id FROM units WHERE path >= '$CP' AND path < '${CP%/}0') AND COALESCE(y.status, '正常') = '滞后'" \
      "SELECT COUNT(*) FROM project_years y JOIN projects p ON p.id = y.project_id WHERE y.year = $YEAR AND y.status = '滞后' AND p.archived = 0 AND p.unit_id IN (SELECT id FROM units WHERE path >= '$CP' AND path < '${CP%/}0')" \
      "$SEL WHERE y.year = $YEAR AND y.status = '滞后' AND p.archived = 0 AND p.unit_id IN (SELECT id FROM units WHERE path >= '$CP' AND path < '${CP%/}0') ORDER BY COALESCE(y.completion, 0) DESC, p.code LIMIT 50 OFFSET 0" \
      "SELECT COUNT(*) FROM projects p WHERE p.archived = 0" \
      "SELECT COUNT(*) FROM projects p WHERE p.archived = 0 AND p.unit_id IN (SELECT id FROM units WHERE path >= '$BP' AND path < '${BP%/}0')" \
      "$SEL WHERE p.archived = 0 AND p.unit_id IN (SELECT id FROM units WHERE path >= '$BP' AND path < '${BP%/}0') ORDER BY p.code LIMIT 5000 OFFSET 0" \
      "SELECT project_id, year, amount FROM project_plans WHERE project_id IN ($IDS) ORDER BY project_id, year"
    do
      echo "== $q"; db_sql "EXPLAIN QUERY PLAN $q"
      echo "time alone in the sqlite3 shell: $(sql_ms "$q") ms (best of 5 × 20 runs)"
    done
  } >>"$OUT/explain-projects.txt" 2>&1
fi
if [[ " $PARTS " == *" investment "* && "${N_LEADS:-0}" -gt 0 ]]; then
  LSEL="SELECT l.id, l.company_id, l.project_name, l.amount, l.chain_id, l.segment_id, l.source, l.unit_id, l.officer_id, l.stage, l.stage_dates, l.lost, l.lost_reason, l.lost_date, l.project_id, l.version, l.created_at, l.contract_amount, c.name, c.uscc, u.code, u.name, COALESCE(us.display_name, ''), COALESCE(ch.name, ''), COALESCE(sg.name, ''), COALESCE(sg.position, ''), COALESCE(p.code, ''), COALESCE(p.name, '') FROM leads l JOIN companies c ON c.id = l.company_id JOIN units u ON u.id = l.unit_id LEFT JOIN users us ON us.id = l.officer_id LEFT JOIN chains ch ON ch.id = l.chain_id LEFT JOIN chain_segments sg ON sg.id = l.segment_id LEFT JOIN projects p ON p.id = l.project_id"
  LW="WHERE u.path LIKE '$RP%' AND u.path LIKE '$CP%' AND l.stage = 'signed'"
  explain "$OUT/explain-investment.txt" \
    "SELECT COUNT(*) FROM leads l JOIN companies c ON c.id = l.company_id JOIN units u ON u.id = l.unit_id $LW" \
    "$LSEL $LW ORDER BY l.updated_at DESC, l.id DESC LIMIT 50 OFFSET 0" \
    "SELECT l.stage, COUNT(*), SUM(l.amount) FROM leads l JOIN companies c ON c.id = l.company_id JOIN units u ON u.id = l.unit_id WHERE u.path LIKE '$RP%' AND u.path LIKE '$CP%' AND l.lost = 0 GROUP BY l.stage"
  {
    echo; echo "######## ALTERNATIVES (not in src/; for comparison): the subtree as a range on units.path feeding leads_unit_stage ########"
    SUB="l.unit_id IN (SELECT id FROM units WHERE path >= '$CP' AND path < '${CP%/}0')"
    for q in \
      "SELECT COUNT(*) FROM leads l WHERE $SUB AND l.stage = 'signed'" \
      "$LSEL WHERE $SUB AND l.stage = 'signed' ORDER BY l.updated_at DESC, l.id DESC LIMIT 50 OFFSET 0" \
      "SELECT l.stage, COUNT(*), SUM(l.amount) FROM leads l WHERE $SUB AND l.lost = 0 GROUP BY l.stage"
    do
      echo "== $q"; db_sql "EXPLAIN QUERY PLAN $q"
      echo "time alone in the sqlite3 shell: $(sql_ms "$q") ms (best of 5 × 20 runs)"
    done
  } >>"$OUT/explain-investment.txt" 2>&1
fi

# ---- 7. summary ----------------------------------------------------------------------------------
get() { ( set +u; source "$OUT/results.env"; v="${!1:-}"; echo "${v:--}" ); }
{
  echo "Tiaodu key projects / investment leads at province scale — started $STARTED, finished $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: nproc=$(nproc), RAM $(awk '/^MemTotal:/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)," \
       "CPU: $(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo), kernel $(uname -r), loadavg before: $LOADAVG0"
  echo "tiaodu: $BIN ($(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$REPO" && git diff --quiet HEAD -- src 2>/dev/null || echo ', src/ modified'))"
  echo "data (SQLite $(get DB_MB) MiB): $(get N_PROJECTS) projects, $(get N_PROGRESS) progress rows, $(get N_MILESTONES) milestones;" \
       "busiest county $(get BUSIEST) = $(get N_BUSIEST) projects; city $(get CITY) subtree = $(get N_CITY_SUBTREE) projects;" \
       "$(get N_LEADS) leads ($(get N_LEADS_CITY) in $(get CITY)), $(get N_COMPANIES) companies"
  echo "load: init $(get LOAD_INIT_S) s, demo --scale province $(get LOAD_WALL_S) s wall (indicators load_seconds $(get LOAD_INDICATORS_S)," \
       "project_seconds $(get PROJECT_SECONDS), investment_seconds $(get INVESTMENT_SECONDS)); leads line: $(get LEADS_LINE)"
  echo "measured as 'bench' (leader, unit $ROOT); wrk -t1 -c1 -d$SINGLE_D and wrk -t$WRK_T -c$WRK_C -d$WRK_D (Lua: bench/indicators/report.lua)"
  echo
  for t in "${TARGETS[@]}"; do
    n="${t%%|*}"; N="${n^^}"
    printf '%-22s %s\n' "$n" "${t#*|}"
    printf '    bytes %s, total %s, first request %s ms (HTTP %s)\n' "$(get ${N}_BYTES)" "$(get ${N}_TOTAL)" "$(get ${N}_COLD_MS)" "$(get ${N}_STATUS)"
    printf '    1 client : %8s req/s  p50 %7s  p95 %7s  p99 %7s ms  tiaodu %s ms CPU/req\n' \
      "$(get ${N}_C1_RPS)" "$(get ${N}_C1_P50_MS)" "$(get ${N}_C1_P95_MS)" "$(get ${N}_C1_P99_MS)" "$(get ${N}_C1_SRV_MS_PER_REQ)"
    printf '    %2s clients: %8s req/s  p50 %7s  p95 %7s  p99 %7s ms  tiaodu %s ms CPU/req; CPU %% of a core tiaodu/wrk/other %s/%s/%s; errors %s/%s\n' \
      "$WRK_C" "$(get ${N}_CN_RPS)" "$(get ${N}_CN_P50_MS)" "$(get ${N}_CN_P95_MS)" "$(get ${N}_CN_P99_MS)" "$(get ${N}_CN_SRV_MS_PER_REQ)" \
      "$(get ${N}_CN_SRV_PCT)" "$(get ${N}_CN_WRK_PCT)" "$(get ${N}_CN_OTHER_PCT)" "$(get ${N}_CN_NON2XX)" "$(get ${N}_CN_SOCKET_ERRORS)"
  done
  if [[ " $PARTS " == *" projects "* ]]; then
    echo
    echo "battle map $(get BUSIEST): $(get BATTLE_MAP_PROJECTS) projects in the response"
    echo "RefreshAll (all $(get STARTUP_REFRESH_COUNT) projects): at start-up $(get STARTUP_REFRESH_MS) ms after the launch (process start included; listening after $(get STARTUP_LISTEN_MS) ms);"
    echo "  PUT /projects/settings (synchronous RefreshAll): median $(get REFRESH_PUT_MS) ms wall, $(get REFRESH_PUT_CPU_MS) ms tiaodu CPU; runs [$(get REFRESH_PUT_ALL)]"
    echo "  statuses of the current year after refresh: $(get REFRESH_STATUSES)"
  fi
  [[ "$(get INVESTMENT_SKIPPED)" == 1 ]] && echo "investment: skipped, the data set has no leads"
  echo "targets: lists and leads/pipeline p95 < 50 ms at $WRK_C clients; battle map < 100 ms per request"
  echo "(CPU: % of one core over the wrk run, $(nproc) cores = $(( $(nproc) * 100 ))%; other = the rest of the machine)"
  echo "raw outputs: $OUT/ (explain-*.txt: EXPLAIN QUERY PLAN and sqlite3 timings of the SQL)"
} | tee "$OUT/summary.txt"
