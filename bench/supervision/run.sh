#!/usr/bin/env bash
# Supervision (督查督办) at province scale: the scheduler's tick over every open task, and the
# task lists, board and on-time rate of a city-level supervisor under wrk.
#
#   bash bench/supervision/run.sh                    # SQLite (~5 min)
#   DB=postgresql bash bench/supervision/run.sh      # PostgreSQL 15 under pg_virtualenv (~10 min)
#   DB=both bash bench/supervision/run.sh            # SQLite, then PostgreSQL
#
# Measures and prints; asserts nothing about timings. Needs what scripts/setup installs: wrk,
# curl, sqlite3, and for PostgreSQL pg_virtualenv/psql/createdb (Debian postgresql,
# postgresql-common). Do not run two of these with DB=postgresql at the same time.
#
# What it does (details in bench/README.md):
#   1. copies the binary (TIAODU_BIN, default build/tiaodu) to a temporary directory, so that a
#      relink by another session cannot change it during the run;
#   2. `tiaodu init` + `tiaodu demo --scale province` into a fresh database: 200 units under P000,
#      indicators, projects, leads, and 20,000 supervision tasks assigned by `supervisor_p000`
#      (unit P000) over the last ~60 working days, with ~145,000 events; it keeps the tool's
#      supervision line (tasks, events, lights, states, supervision_seconds = LoadBulk with its
#      first tick) and the row counts; on PostgreSQL it then runs VACUUM (ANALYZE) (timed), so
#      that autovacuum does not process the new tables during the measurements and the planner
#      has statistics, as in a running installation;
#   3. adds one user with SQL, copying admin's password hash: `bench_sup` (supervisor, unit CITY,
#      default the parent of the busiest county = P001), and measures everything as that user;
#   4. `tiaodu tick` twice at the real now: the first tick after the load (LoadBulk has already
#      ticked once at nearly the same instant, so nothing should change) and a second one; each
#      prints evaluated/changed/reminders/notifications and its own ms; the script adds the wall
#      clock, tiaodu's CPU (/usr/bin/time), the PostgreSQL cluster's CPU and the whole machine's
#      CPU during it;
#   5. `tiaodu serve` (scheduler at its default 60 s), waits for the start-up jobs (the supervision
#      tick, then the refresh of all 20,000 project statuses), logs in as bench_sup, and for each
#      target: the first request (curl), wrk -t1 -c1 (SINGLE_DURATION) and wrk -t$WRK_THREADS
#      -c$WRK_CONNS (WRK_DURATION), with bench/indicators/report.lua (p50/p95/p99/max, req/s,
#      errors) and the CPU of tiaodu, of the PostgreSQL cluster (its postmaster's processes), of wrk
#      and of the rest of the machine:
#        red        GET /api/v1/tasks?light=red&page_size=50
#        county     GET /api/v1/tasks?unit=<COUNTY>&state=open
#        board      GET /api/v1/tasks/board
#        on_time    GET /api/v1/tasks/on-time?period=<PERIOD>
#   6. with the server stopped: `tiaodu tick --now <next working day>T09:00` twice: the first tick
#      of a new day (lights move, the day's reminders and overdue notices go out) and a second at
#      the same instant (nothing new);
#   7. EXPLAIN QUERY PLAN and sqlite3-shell timings (SQLite) or EXPLAIN (ANALYZE, BUFFERS)
#      (PostgreSQL) of the SQL behind each target, as src/supervision/store.cc builds it, to
#      explain.txt;
#   8. prints a summary (SQLite and PostgreSQL side by side) and writes it to OUT_DIR/summary.txt.
#
# Environment knobs (all optional):
#   TIAODU_BIN       binary to copy and run                      (default: build/tiaodu)
#   DB               sqlite | postgresql | both                  (default: sqlite)
#   PG_VERSION       pg_virtualenv -v                            (default 15)
#   WRK_THREADS      wrk -t for the concurrent runs              (default 2)
#   WRK_CONNS        wrk -c for the concurrent runs              (default 16)
#   WRK_DURATION     wrk -d for the concurrent runs              (default 30s)
#   SINGLE_DURATION  wrk -d for the one-client runs              (default 10s)
#   COUNTY           county for unit=…                           (default: busiest_unit, P018)
#   CITY             the supervisor's unit                       (default: the county's parent)
#   PERIOD           on-time period                              (default: this month, Beijing time)
#   TICK_DAY         day of the new-day ticks, ISO               (default: next Monday–Friday)
#   OUT_DIR          raw outputs                                 (default: bench/out/supervision)
#
# Each run replaces the outputs of the database(s) it measures and keeps the other's, so that
# DB=sqlite then DB=postgresql gives one summary of both (each with its own date and binary).
# Outputs: OUT_DIR/summary.txt; OUT_DIR/<db>/{results.env (every figure as KEY=value), demo.txt,
# ticks.txt, serve.log, wrk-<target>-{c1,cN}.txt, body-<target>.json, explain.txt}.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SELF="$REPO/bench/supervision/run.sh"
export LUA="$REPO/bench/indicators/report.lua"
export WRK_T="${WRK_THREADS:-2}"
export WRK_C="${WRK_CONNS:-16}"
export WRK_D="${WRK_DURATION:-30s}"
export SINGLE_D="${SINGLE_DURATION:-10s}"
export OUT="${OUT_DIR:-$REPO/bench/out/supervision}"
export PERIOD="${PERIOD:-$(TZ=Asia/Shanghai date +%Y-%m)}"
DB_KIND="${DB:-sqlite}"
PG_VERSION="${PG_VERSION:-15}"

CLK_TCK="$(getconf CLK_TCK)"
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
child_secs() {   # user+sys seconds of this shell's finished children (wrk); not in a pipe or $(…)
  times >"$TMP/times"
  awk 'NR == 2 {t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } printf "%.3f", t}' "$TMP/times"
}
cpu_ticks() { local s; s="$(cat "/proc/$1/stat")"; s="${s##*) }"; awk '{print $12 + $13}' <<<"$s"; }
sys_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
# CPU ticks of this PostgreSQL cluster: its postmaster, every live child (backends, autovacuum,
# writers) and the children it has reaped (cutime/cstime: the backends of `tiaodu tick`, which
# end with it); 0 on SQLite. PG_POSTMASTER is set after the load.
pg_ticks() {
  [[ -n "${PG_POSTMASTER:-}" ]] || { echo 0; return; }
  local p t=0 s
  s="$(cat "/proc/$PG_POSTMASTER/stat")"; s="${s##*) }"
  t=$(awk '{print $12 + $13 + $14 + $15}' <<<"$s")
  for p in $(ps -o pid= --ppid "$PG_POSTMASTER"); do
    s="$(cat "/proc/$p/stat" 2>/dev/null)" || continue
    s="${s##*) }"; t=$(( t + $(awk '{print $12 + $13}' <<<"$s") ))
  done
  echo "$t"
}
field() { sed -n "s/.*[ ]$2=\([^ ]*\).*/\1/p" "$1" | tail -1; }   # FILE KEY → value of KEY=…
put() { echo "$1=$2" >>"$DIR/results.env"; }

# KIND=sqlite: DBFILE; KIND=postgresql: PG* from pg_virtualenv and PGDATABASE_NAME.
db_sql() {
  if [[ "$KIND" == sqlite ]]; then sqlite3 -batch "$DBFILE" "$1"
  else psql -X -q -At -v ON_ERROR_STOP=1 -d "$PGDATABASE_NAME" -c "$1"; fi
}

SERVER_PID=""
stop_server() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  SERVER_PID=""
}

# tick LABEL [--now …]: one `tiaodu tick`, figures as TICK_<LABEL>_* in results.env
tick() {
  local label=$1 out s0 s1 w0 w1 p0 p1; shift
  s0="$(sys_busy)"; p0="$(pg_ticks)"; w0=$(now_ms)
  out="$(/usr/bin/time -f 'TIME wall_s=%e user_s=%U sys_s=%S' "$BIN" tick --db "$URL" "$@" 2>&1)" || true
  w1=$(now_ms); p1="$(pg_ticks)"; s1="$(sys_busy)"
  echo "[$label] $*: $out" | tr '\n' ' ' >>"$DIR/ticks.txt"; echo >>"$DIR/ticks.txt"
  local L="TICK_${label^^}" k
  for k in evaluated changed reminders notifications ms; do put "${L}_${k^^}" "$(grep -oE "$k=[0-9.]+" <<<"$out" | head -1 | cut -d= -f2)"; done
  put "${L}_WALL_MS" "$(( w1 - w0 ))"
  put "${L}_CPU_MS" "$(awk '/^TIME/ {split($3, u, "="); split($4, s, "="); printf "%.0f", 1000 * (u[2] + s[2])}' <<<"$out")"
  put "${L}_MACHINE_CPU_MS" "$(awk -v a="$s0" -v b="$s1" -v hz="$CLK_TCK" 'BEGIN{printf "%.0f", 1000 * (b - a) / hz}')"
  put "${L}_PG_CPU_MS" "$(awk -v a="$p0" -v b="$p1" -v hz="$CLK_TCK" 'BEGIN{printf "%.0f", 1000 * (b - a) / hz}')"
  echo "  tick $label $*: $(grep -oE 'evaluated=.*' <<<"$out" | head -1)" >&2
}

login() { # USER → cookie
  local jar; jar="$(mktemp "$TMP/jar.XXXX")"
  curl -sS -o /dev/null -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$PASS\"}" "$TURL/api/v1/auth/login"
  awk '$6 == "tiaodu_session" {print $7}' "$jar"
}
one_request() { # URL → "http_code bytes ms", body in $TMP/body.json
  curl -sS -o "$TMP/body.json" -w '%{http_code} %{size_download} %{time_total}\n' \
    -H "Cookie: tiaodu_session=$COOKIE" "$1" | awk '{printf "%s %s %.2f\n", $1, $2, $3 * 1000}'
}
# wrk_run NAME THREADS CONNS DURATION URL → DIR/wrk-NAME.txt with RESULT and CPU lines
wrk_run() {
  local name=$1 t=$2 c=$3 d=$4 url=$5 b0 b1 s0 s1 c0 c1 w0 w1 req p0 p1
  b0="$(cpu_ticks "$SERVER_PID")"; s0="$(sys_busy)"; p0="$(pg_ticks)"; child_secs >"$TMP/w0"; c0=$(now_ms)
  wrk -t"$t" -c"$c" -d"$d" -s "$LUA" -H "Cookie: tiaodu_session=$COOKIE" "$url" >"$DIR/wrk-$name.txt" 2>&1
  c1=$(now_ms); p1="$(pg_ticks)"; s1="$(sys_busy)"; child_secs >"$TMP/w1"; b1="$(cpu_ticks "$SERVER_PID")"
  w0="$(cat "$TMP/w0")"; w1="$(cat "$TMP/w1")"
  req="$(field "$DIR/wrk-$name.txt" requests)"
  # srv: tiaodu; pg: this PostgreSQL cluster (0 on SQLite); wrk: the load generator; other: the
  # rest of the machine (unrelated processes); all as % of one core over the run.
  awk -v b0="$b0" -v b1="$b1" -v s0="$s0" -v s1="$s1" -v hz="$CLK_TCK" -v w="$(( c1 - c0 ))" -v n="${req:-0}" \
      -v w0="$w0" -v w1="$w1" -v p0="$p0" -v p1="$p1" \
    'BEGIN { srv = 100 * (b1 - b0) / hz / (w / 1000); all = 100 * (s1 - s0) / hz / (w / 1000);
             pg = 100 * (p1 - p0) / hz / (w / 1000);
             wk = 100 * (w1 - w0) / (w / 1000); o = all - srv - wk - pg; if (o < 0) o = 0;
             printf "CPU srv_pct=%.0f pg_pct=%.0f wrk_pct=%.0f other_pct=%.0f machine_pct=%.0f srv_ms_per_req=%.3f pg_ms_per_req=%.3f\n",
                    srv, pg, wk, o, all, (n > 0 ? 1000 * (b1 - b0) / hz / n : 0), (n > 0 ? 1000 * (p1 - p0) / hz / n : 0) }' \
    >>"$DIR/wrk-$name.txt"
  echo "    $name: $(grep -h '^RESULT\|^CPU' "$DIR/wrk-$name.txt" | sed 's/duration_s=[^ ]* //; s/bytes=[^ ]*//' | tr '\n' ' ')" >&2
}
# measure NAME PATH_AND_QUERY: first request, one client, WRK_CONNS clients
measure() {
  local name=$1 pq=$2 url="$TURL$2" cold N k m
  N="${name^^}"
  put "${N}_PATH" "\"$pq\""
  cold="$(one_request "$url")"
  cp "$TMP/body.json" "$DIR/body-$name.json"
  put "${N}_STATUS" "$(cut -d' ' -f1 <<<"$cold")"
  put "${N}_BYTES" "$(cut -d' ' -f2 <<<"$cold")"
  put "${N}_COLD_MS" "$(cut -d' ' -f3 <<<"$cold")"
  put "${N}_TOTAL" "$(grep -oE '"total":[0-9]+' "$DIR/body-$name.json" | tail -1 | cut -d: -f2)"
  echo "  $name: first request $cold  ($pq)" >&2
  [[ "${cold%% *}" == 200 ]] || { echo "  $name answered ${cold%% *}: $(head -c 300 "$DIR/body-$name.json")" >&2; return; }
  wrk_run "$name-c1" 1 1 "$SINGLE_D" "$url"
  wrk_run "$name-cN" "$WRK_T" "$WRK_C" "$WRK_D" "$url"
  for m in c1 cN; do
    for k in requests rps p50_ms p95_ms p99_ms max_ms non2xx socket_errors srv_pct pg_pct wrk_pct other_pct machine_pct srv_ms_per_req pg_ms_per_req; do
      put "${N}_${m^^}_${k^^}" "$(field "$DIR/wrk-$name-$m.txt" "$k")"
    done
  done
}

# ---- everything for one database -----------------------------------------------------------------
run_kind() {
  mkdir -p "$DIR"; : >"$DIR/results.env"; : >"$DIR/ticks.txt"
  put LOADAVG_BEFORE "\"$(cut -d' ' -f1-3 /proc/loadavg)\""
  put STARTED "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  put TIAODU_DESC "\"$BIN_DESC\""
  # 1. load
  echo "[$KIND] 1. tiaodu init + demo --scale province ..." >&2
  local t0 t1 t2
  t0=$(now_ms)
  TIAODU_ADMIN_PASSWORD="$PASS" "$BIN" init --db "$URL" >"$DIR/init.txt"
  t1=$(now_ms)
  TIAODU_ADMIN_PASSWORD="$PASS" "$BIN" demo --scale province --db "$URL" >"$DIR/demo.txt"
  t2=$(now_ms)
  cat "$DIR/demo.txt" >&2
  put LOAD_INIT_S "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", (b-a)/1000}')"
  put LOAD_WALL_S "$(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.2f", (b-a)/1000}')"
  local sup_line; sup_line="$(grep -E '督查督办|supervision:' "$DIR/demo.txt" | tail -1)"
  put SUP_LINE "\"${sup_line//\"/}\""
  put SUPERVISION_SECONDS "$(grep -oE 'supervision_seconds=[0-9.e+-]+' "$DIR/demo.txt" | cut -d= -f2)"
  local busiest; busiest="$(grep -oE 'busiest_unit=[A-Z0-9]+' "$DIR/demo.txt" | tail -1 | cut -d= -f2)"
  COUNTY="${COUNTY_IN:-$busiest}"
  CITY="${CITY_IN:-$(db_sql "SELECT pu.code FROM units u JOIN units pu ON pu.id = u.parent_id WHERE u.code = '$COUNTY'")}"
  put COUNTY "$COUNTY"; put CITY "$CITY"; put PERIOD "$PERIOD"
  CP="$(db_sql "SELECT path FROM units WHERE code = '$CITY'")"
  KP="$(db_sql "SELECT path FROM units WHERE code = '$COUNTY'")"
  put N_TASKS "$(db_sql "SELECT count(*) FROM tasks")"
  put N_OPEN "$(db_sql "SELECT count(*) FROM tasks WHERE state NOT IN ('closed', 'cancelled')")"
  put N_RED "$(db_sql "SELECT count(*) FROM tasks WHERE light = 'red' AND state NOT IN ('closed', 'cancelled')")"
  put N_EVENTS "$(db_sql "SELECT count(*) FROM task_events")"
  put N_FEEDBACK "$(db_sql "SELECT count(*) FROM task_events WHERE kind = 'feedback'")"
  put N_CO_UNITS "$(db_sql "SELECT count(*) FROM task_co_units")"
  put N_REMINDERS "$(db_sql "SELECT count(*) FROM task_reminders")"
  put N_NOTIFICATIONS "$(db_sql "SELECT count(*) FROM notifications")"
  put N_CITY_TASKS "$(db_sql "SELECT count(*) FROM tasks t JOIN units u ON u.id = t.owner_unit_id WHERE u.path LIKE '$CP%'")"
  put N_CITY_RED "$(db_sql "SELECT count(*) FROM tasks t JOIN units u ON u.id = t.owner_unit_id WHERE u.path LIKE '$CP%' AND t.light = 'red' AND t.state NOT IN ('closed', 'cancelled')")"
  put N_COUNTY_OPEN "$(db_sql "SELECT count(*) FROM tasks t JOIN units u ON u.id = t.owner_unit_id WHERE u.path LIKE '$KP%' AND t.state NOT IN ('closed', 'cancelled')")"
  if [[ "$KIND" == sqlite ]]; then
    db_sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    put DB_MB "$(awk -v b="$(stat -c %s "$DBFILE")" 'BEGIN{printf "%.1f", b/1048576}')"
  else
    put DB_MB "$(awk -v b="$(db_sql "SELECT pg_database_size(current_database())")" 'BEGIN{printf "%.1f", b/1048576}')"
    put PG_SERVER "\"$(db_sql 'SHOW server_version')\""
    put PG_TASKS_ANALYZED "\"$(db_sql "SELECT coalesce(last_analyze::text, '') || '/' || coalesce(last_autoanalyze::text, '') FROM pg_stat_user_tables WHERE relname = 'tasks'")\""
    # Nothing in tiaodu runs ANALYZE after the bulk load, and autovacuum would otherwise vacuum
    # and analyze the new tables (~730 MiB) during the measurements below: do it now, as the
    # steady state a running installation reaches.
    echo "[$KIND]    VACUUM (ANALYZE) after the load ..." >&2
    t0=$(now_ms); db_sql "VACUUM (ANALYZE)" >/dev/null; t1=$(now_ms)
    put PG_VACUUM_ANALYZE_S "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", (b-a)/1000}')"
    PG_POSTMASTER="$(head -1 "$(db_sql 'SHOW data_directory')/postmaster.pid")"
  fi

  # 2. the city supervisor
  db_sql "INSERT INTO users (username, display_name, role, unit_id, password_hash, password_changed_at, created_at, updated_at)
          SELECT 'bench_sup', 'bench_sup', 'supervisor', (SELECT id FROM units WHERE code = '$CITY'), password_hash,
                 password_changed_at, created_at, updated_at FROM users WHERE username = 'admin'
          AND NOT EXISTS (SELECT 1 FROM users WHERE username = 'bench_sup')" >/dev/null

  # 3. ticks after the load
  echo "[$KIND] 2. tiaodu tick (first after the load, then a second) ..." >&2
  tick after_load_1
  tick after_load_2

  # 4. server and wrk
  local launch; launch=$(now_ms)
  "$BIN" serve --db "$URL" --listen 127.0.0.1:0 >"$DIR/serve.log" 2>&1 &
  SERVER_PID=$!
  local port=""
  for _ in $(seq 1 300); do
    port="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$DIR/serve.log" | head -1 | sed 's/.*://' || true)"
    [[ -n "$port" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$DIR/serve.log" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n "$port" ]] || { echo "tiaodu did not start" >&2; cat "$DIR/serve.log" >&2; exit 1; }
  TURL="http://127.0.0.1:$port"
  echo "[$KIND] 3. server on $TURL; waiting for the start-up jobs (tick, project refresh) ..." >&2
  for _ in $(seq 1 3000); do
    grep -q 'project statuses refreshed\|refresh failed' "$DIR/serve.log" && break
    sleep 0.1
  done
  put STARTUP_JOBS_MS "$(( $(now_ms) - launch ))"
  sleep 2   # the escalation of overdue problems follows the refresh in the same job
  COOKIE="$(login bench_sup)"
  [[ -n "$COOKIE" ]] || { echo "login as bench_sup failed" >&2; exit 1; }
  echo "[$KIND] 4. as bench_sup (supervisor, $CITY): first request, wrk -t1 -c1 -d$SINGLE_D, wrk -t$WRK_T -c$WRK_C -d$WRK_D ..." >&2
  measure red "/api/v1/tasks?light=red&page_size=50"
  measure county "/api/v1/tasks?unit=$COUNTY&state=open"
  measure board "/api/v1/tasks/board"
  measure on_time "/api/v1/tasks/on-time?period=$PERIOD"
  put SERVER_RSS_KB "$(awk '/^VmRSS:/{print $2}' "/proc/$SERVER_PID/status")"
  put SERVER_TICKS_LOGGED "$(grep -c 'supervision reminders sent' "$DIR/serve.log" || true)"
  stop_server

  # 5. the first tick of a new day, then again at the same instant
  local day="${TICK_DAY:-}"
  if [[ -z "$day" ]]; then
    day="$(TZ=Asia/Shanghai date -d tomorrow +%F)"
    while [[ "$(date -d "$day" +%u)" -gt 5 ]]; do day="$(date -d "$day + 1 day" +%F)"; done
  fi
  put TICK_DAY "$day"
  echo "[$KIND] 5. tiaodu tick --now ${day}T09:00 (a new day), twice ..." >&2
  tick new_day_1 --now "${day}T09:00"
  tick new_day_2 --now "${day}T09:00"

  # 6. plans
  explain_all
  put FINISHED "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  put LOADAVG_AFTER "\"$(cut -d' ' -f1-3 /proc/loadavg)\""
}

# ---- 6. the SQL behind the targets (src/supervision/store.cc), binds inlined ------------------------
sql_ms() { # SQL → ms per execution in the sqlite3 shell: 20 runs minus 20 × SELECT 1, best of 5
  local q=$1 s="" b="" i r t0 t1 t2 best=""
  for i in $(seq 20); do s+="$q;"$'\n'; b+="SELECT 1;"$'\n'; done
  for r in 1 2 3 4 5; do
    t0=$(date +%s%N); sqlite3 -batch "$DBFILE" <<<"$s" >/dev/null; t1=$(date +%s%N)
    sqlite3 -batch "$DBFILE" <<<"$b" >/dev/null; t2=$(date +%s%N)
    best+="$(awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN{printf "%.2f", ((b-a)-(c-b))/20/1e6}') "
  done
  tr ' ' '\n' <<<"$best" | grep . | sort -g | head -1
}
explain_one() { # SQL
  echo "== $1"
  if [[ "$KIND" == sqlite ]]; then
    db_sql "EXPLAIN QUERY PLAN $1"
    echo "time alone in the sqlite3 shell: $(sql_ms "$1") ms (best of 5 × 20 runs)"
  else
    db_sql "EXPLAIN (ANALYZE, BUFFERS) $1"
  fi
  echo
}
explain_all() {
  local cols="t.id, t.code, t.title, t.description, t.source, t.source_ref, t.meeting_id, t.decision_id, t.unit_id, t.owner_unit_id, t.assigned_by, t.assigned_at, t.profile, t.completion_class, t.deadline, t.deadline_reason, t.state, t.plan, t.result, t.received_at, t.planned_at, t.reported_at, t.closed_at, t.cancel_reason, t.light, t.light_reason, t.escalation, t.escalated_to, t.completion_due, t.next_step, t.next_due, t.overdue_steps, t.version, t.created_at, t.updated_at"
  local extra=", au.id, au.code, au.name, au.path, au.parent_id, ou.id, ou.code, ou.name, ou.path, ou.parent_id, eu.id, eu.code, eu.name, eu.path, eu.parent_id, COALESCE(us.display_name, ''), COALESCE(m.title, '')"
  local from=" FROM tasks t JOIN units au ON au.id = t.unit_id JOIN units ou ON ou.id = t.owner_unit_id LEFT JOIN units eu ON eu.id = t.escalated_to LEFT JOIN users us ON us.id = t.assigned_by LEFT JOIN meetings m ON m.id = t.meeting_id"
  local cjoin=" FROM tasks t JOIN units au ON au.id = t.unit_id JOIN units ou ON ou.id = t.owner_unit_id"
  local scope="(ou.path LIKE '$CP%' OR au.path LIKE '$CP%' OR EXISTS (SELECT 1 FROM task_co_units c JOIN units cu ON cu.id = c.unit_id WHERE c.task_id = t.id AND cu.path LIKE '$CP%'))"
  local order=" ORDER BY CASE t.state WHEN 'closed' THEN 2 WHEN 'cancelled' THEN 3 ELSE 1 END, CASE t.light WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END, t.completion_due, t.id DESC LIMIT 50 OFFSET 0"
  local w_red=" WHERE 1 = 1 AND $scope AND t.light = 'red'"
  local w_cty=" WHERE 1 = 1 AND $scope AND ou.path LIKE '$KP%' AND t.state NOT IN ('closed', 'cancelled')"
  local ids; ids="$(grep -oE '"id":[0-9]+,"code":"DB' "$DIR/body-red.json" 2>/dev/null | grep -oE '[0-9]+' | paste -sd, -)"
  [[ -n "$ids" ]] || ids=0
  local y1 y2; y1="$(date -d "$PERIOD-01" +%F 2>/dev/null || echo "$PERIOD-01")"
  y2="$(date -d "$PERIOD-01 + 1 month - 1 day" +%F 2>/dev/null || echo "$PERIOD-31")"
  local due_ids; due_ids="$(db_sql "SELECT t.id FROM tasks t JOIN units ou ON ou.id = t.owner_unit_id WHERE ou.path LIKE '$CP%' AND t.state <> 'cancelled' AND t.completion_due >= '$y1' AND t.completion_due <= '$y2' ORDER BY t.id LIMIT 500" | paste -sd, -)"
  [[ -n "$due_ids" ]] || due_ids=0
  {
    echo "# city $CITY path $CP, county $COUNTY path $KP, period $PERIOD ($y1 … $y2); $(date -u +%FT%TZ)"
    echo "######## red: GET /api/v1/tasks?light=red&page_size=50 (store::ListTasks: COUNT, page, LoadCoUnits)"
    explain_one "SELECT COUNT(*)$cjoin$w_red"
    explain_one "SELECT $cols$extra$from$w_red$order"
    explain_one "SELECT c.task_id, u.id, u.code, u.name, u.path, u.parent_id FROM task_co_units c JOIN units u ON u.id = c.unit_id WHERE c.task_id IN ($ids) ORDER BY u.path"
    echo "######## county: GET /api/v1/tasks?unit=$COUNTY&state=open (page_size 50)"
    explain_one "SELECT COUNT(*)$cjoin$w_cty"
    explain_one "SELECT $cols$extra$from$w_cty$order"
    echo "######## board: GET /api/v1/tasks/board (store::CountTasks)"
    explain_one "SELECT ou.path, t.light, t.state, COUNT(*) FROM tasks t JOIN units ou ON ou.id = t.owner_unit_id WHERE ou.path LIKE '$CP%' GROUP BY ou.path, t.light, t.state"
    echo "######## on_time: GET /api/v1/tasks/on-time?period=$PERIOD (store::TasksDueBetween, FeedbackTimes per 500 ids)"
    explain_one "SELECT $cols, ou.path FROM tasks t JOIN units ou ON ou.id = t.owner_unit_id WHERE ou.path LIKE '$CP%' AND t.state <> 'cancelled' AND t.completion_due >= '$y1' AND t.completion_due <= '$y2' ORDER BY t.id"
    explain_one "SELECT task_id, at FROM task_events WHERE kind = 'feedback' AND task_id IN ($due_ids) ORDER BY task_id, at"
    echo "######## tick: store::OpenTasks, FeedbackTimes (per 500 ids), MarkReminder"
    explain_one "SELECT $cols FROM tasks t WHERE t.state NOT IN ('closed', 'cancelled') ORDER BY t.id"
    echo
    echo "######## ALTERNATIVES (not in src/; for comparison): the scope and unit as sets of unit ids"
    local sub_c="(SELECT id FROM units WHERE path LIKE '$CP%')" sub_k="(SELECT id FROM units WHERE path LIKE '$KP%')"
    local ascope="(t.owner_unit_id IN $sub_c OR t.unit_id IN $sub_c OR t.id IN (SELECT c.task_id FROM task_co_units c WHERE c.unit_id IN $sub_c))"
    explain_one "SELECT COUNT(*) FROM tasks t WHERE $ascope AND t.light = 'red'"
    explain_one "SELECT $cols$extra$from WHERE $ascope AND t.light = 'red'$order"
    explain_one "SELECT COUNT(*) FROM tasks t WHERE t.owner_unit_id IN $sub_k AND t.state NOT IN ('closed', 'cancelled')"
    explain_one "SELECT $cols$extra$from WHERE t.owner_unit_id IN $sub_k AND t.state NOT IN ('closed', 'cancelled')$order"
    explain_one "SELECT ou.path, t.light, t.state, COUNT(*) FROM tasks t JOIN units ou ON ou.id = t.owner_unit_id WHERE t.owner_unit_id IN $sub_c GROUP BY ou.path, t.light, t.state"
    explain_one "SELECT $cols, ou.path FROM tasks t JOIN units ou ON ou.id = t.owner_unit_id WHERE t.owner_unit_id IN $sub_c AND t.state <> 'cancelled' AND t.completion_due >= '$y1' AND t.completion_due <= '$y2' ORDER BY t.id"
  } >"$DIR/explain.txt" 2>&1
}

# ---- PostgreSQL, inside pg_virtualenv (the script calls itself) ------------------------------------
if [[ "${1:-}" == __pg_inner ]]; then
  PASS="$2"; TMP="$3"; KIND=postgresql; PGDATABASE_NAME=tiaodu_bench
  trap 'stop_server' EXIT
  DIR="$OUT/postgresql"
  createdb "$PGDATABASE_NAME"
  host="${PGHOST:-localhost}"; [[ "$host" == /* ]] && host=localhost
  URL="postgresql://${PGUSER:-postgres}:${PGPASSWORD:-}@$host:${PGPORT:-5432}/$PGDATABASE_NAME"
  run_kind
  exit 0
fi

# ---- main ------------------------------------------------------------------------------------------
for tool in wrk curl sqlite3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (bash scripts/setup)" >&2; exit 1; }
done
[[ -x /usr/bin/time ]] || { echo "missing: /usr/bin/time (Debian time)" >&2; exit 1; }
SRC_BIN="${TIAODU_BIN:-$REPO/build/tiaodu}"
[[ -x "$SRC_BIN" ]] || { echo "no $SRC_BIN: cmake --build build --target tiaodu" >&2; exit 1; }
export COUNTY_IN="${COUNTY:-}" CITY_IN="${CITY:-}" TICK_DAY="${TICK_DAY:-}"
TMP="$(mktemp -d /tmp/tiaodu-bench-sup.XXXXXX)"
trap 'stop_server; rm -rf "$TMP"' EXIT
export BIN="$TMP/tiaodu"
cp "$SRC_BIN" "$BIN"
export BIN_DESC="$SRC_BIN, copied at $(date -u +%H:%M:%SZ), built $(date -u -r "$SRC_BIN" +%H:%M:%SZ); the repository then: HEAD $(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$REPO" && git diff --quiet HEAD -- src 2>/dev/null || echo ', src/ modified')"
mkdir -p "$OUT"
PASS="Bench-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')-9"
STARTED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

if [[ "$DB_KIND" == sqlite || "$DB_KIND" == both ]]; then
  KIND=sqlite; DBFILE="$TMP/province.db"; URL="sqlite:$DBFILE"; DIR="$OUT/sqlite"
  rm -rf "$DIR"
  run_kind
fi
if [[ "$DB_KIND" == postgresql || "$DB_KIND" == both ]]; then
  command -v pg_virtualenv >/dev/null || { echo "missing: pg_virtualenv (Debian postgresql-common)" >&2; exit 1; }
  rm -rf "$OUT/postgresql" "$OUT/pg_virtualenv.log"
  echo "[postgresql] under pg_virtualenv -v $PG_VERSION (log: $OUT/pg_virtualenv.log) ..." >&2
  pg_virtualenv -v "$PG_VERSION" bash "$SELF" __pg_inner "$PASS" "$TMP" 2>&1 | tee "$OUT/pg_virtualenv.log" >&2 ||
    echo "  PostgreSQL part failed, see $OUT/pg_virtualenv.log" >&2
fi

# ---- 7. summary ------------------------------------------------------------------------------------
get() { # DB KEY
  local f="$OUT/$1/results.env"
  [[ -f "$f" ]] || { echo "-"; return; }
  ( set +u; source "$f"; v="${!2:-}"; echo "${v:--}" )
}
row() { printf '%-46s %18s %18s\n' "$1" "$2" "$3"; }
both() { row "$1" "$(get sqlite "$2")" "$(get postgresql "$2")"; }
{
  echo "Tiaodu supervision at province scale — started $STARTED, finished $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: nproc=$(nproc), RAM $(awk '/^MemTotal:/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)," \
       "CPU: $(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo), kernel $(uname -r)"
  for k in sqlite postgresql; do
    [[ -f "$OUT/$k/results.env" ]] || continue
    echo "$k: $(get $k STARTED) … $(get $k FINISHED), loadavg before $(get $k LOADAVG_BEFORE), after $(get $k LOADAVG_AFTER)"
    echo "  tiaodu: $(get $k TIAODU_DESC)$([[ $k == postgresql ]] && echo "; PostgreSQL $(get $k PG_SERVER)")"
    echo "  $(get $k SUP_LINE)"
    echo "  $(get $k N_TASKS) tasks, $(get $k N_OPEN) open, $(get $k N_RED) red; $(get $k N_EVENTS) events ($(get $k N_FEEDBACK) feedback);" \
         "city $(get $k CITY): $(get $k N_CITY_TASKS) tasks, $(get $k N_CITY_RED) red; county $(get $k COUNTY): $(get $k N_COUNTY_OPEN) open"
  done
  echo "measured as bench_sup (supervisor, unit CITY); wrk -t1 -c1 -d$SINGLE_D and wrk -t$WRK_T -c$WRK_C -d$WRK_D (Lua: bench/indicators/report.lua)"
  echo
  row "measure" "SQLite" "PostgreSQL"
  both "init (wall s)" LOAD_INIT_S
  both "demo --scale province (wall s)" LOAD_WALL_S
  both "  supervision LoadBulk incl. its tick (s)" SUPERVISION_SECONDS
  both "database size (MiB)" DB_MB
  both "VACUUM (ANALYZE) after the load (s)" PG_VACUUM_ANALYZE_S
  for t in after_load_1 after_load_2 new_day_1 new_day_2; do
    T="TICK_${t^^}"
    row "tick $t: evaluated/changed/reminders" "$(get sqlite ${T}_EVALUATED)/$(get sqlite ${T}_CHANGED)/$(get sqlite ${T}_REMINDERS)" \
        "$(get postgresql ${T}_EVALUATED)/$(get postgresql ${T}_CHANGED)/$(get postgresql ${T}_REMINDERS)"
    both "  Tick() ms (tool)" "${T}_MS"
    both "  wall incl. process start (ms)" "${T}_WALL_MS"
    both "  tiaodu CPU (ms)" "${T}_CPU_MS"
    both "  PostgreSQL CPU during it (ms)" "${T}_PG_CPU_MS"
    both "  machine CPU during it (ms, all processes)" "${T}_MACHINE_CPU_MS"
  done
  for t in red county board on_time; do
    N="${t^^}"
    echo
    echo "$t: $(get sqlite ${N}_PATH)"
    row "  bytes / total (first response)" "$(get sqlite ${N}_BYTES)/$(get sqlite ${N}_TOTAL)" "$(get postgresql ${N}_BYTES)/$(get postgresql ${N}_TOTAL)"
    both "  first request (ms)" "${N}_COLD_MS"
    row "  1 client p50/p95/p99 (ms)" "$(get sqlite ${N}_C1_P50_MS)/$(get sqlite ${N}_C1_P95_MS)/$(get sqlite ${N}_C1_P99_MS)" \
        "$(get postgresql ${N}_C1_P50_MS)/$(get postgresql ${N}_C1_P95_MS)/$(get postgresql ${N}_C1_P99_MS)"
    both "  $WRK_C clients req/s" "${N}_CN_RPS"
    row "  $WRK_C clients p50/p95/p99 (ms)" "$(get sqlite ${N}_CN_P50_MS)/$(get sqlite ${N}_CN_P95_MS)/$(get sqlite ${N}_CN_P99_MS)" \
        "$(get postgresql ${N}_CN_P50_MS)/$(get postgresql ${N}_CN_P95_MS)/$(get postgresql ${N}_CN_P99_MS)"
    both "  tiaodu CPU ms/request" "${N}_CN_SRV_MS_PER_REQ"
    both "  PostgreSQL CPU ms/request" "${N}_CN_PG_MS_PER_REQ"
    row "  1 client: tiaodu / PostgreSQL CPU ms/request" "$(get sqlite ${N}_C1_SRV_MS_PER_REQ)/$(get sqlite ${N}_C1_PG_MS_PER_REQ)" \
        "$(get postgresql ${N}_C1_SRV_MS_PER_REQ)/$(get postgresql ${N}_C1_PG_MS_PER_REQ)"
    row "  CPU % of a core tiaodu/pg/wrk/other" "$(get sqlite ${N}_CN_SRV_PCT)/$(get sqlite ${N}_CN_PG_PCT)/$(get sqlite ${N}_CN_WRK_PCT)/$(get sqlite ${N}_CN_OTHER_PCT)" \
        "$(get postgresql ${N}_CN_SRV_PCT)/$(get postgresql ${N}_CN_PG_PCT)/$(get postgresql ${N}_CN_WRK_PCT)/$(get postgresql ${N}_CN_OTHER_PCT)"
    row "  errors non-2xx/socket" "$(get sqlite ${N}_CN_NON2XX)/$(get sqlite ${N}_CN_SOCKET_ERRORS)" "$(get postgresql ${N}_CN_NON2XX)/$(get postgresql ${N}_CN_SOCKET_ERRORS)"
  done
  echo
  echo "yardstick: lists p95 < 50 ms at $WRK_C clients. CPU: % of one core over the wrk run ($(nproc) cores = $(( $(nproc) * 100 ))%);"
  echo "pg = this PostgreSQL cluster's processes; other = the rest of the machine (unrelated processes on a shared machine)"
  echo "raw outputs: $OUT/<db>/ (explain.txt: plans of the SQL; ticks.txt; wrk-*.txt; body-*.json)"
} | tee "$OUT/summary.txt"
