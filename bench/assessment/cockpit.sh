#!/usr/bin/env bash
# The leaders' cockpit (GET /api/v1/cockpit) at province scale under wrk, on SQLite.
#
#   bash bench/assessment/cockpit.sh            # ~4 min on the 2-core build machine
#
# Measures and prints; asserts nothing about timings. Needs wrk, curl and sqlite3.
#
# What it does:
#   1. copies the binary (TIAODU_BIN, default build/tiaodu) to a temporary directory, `tiaodu init`
#      and `tiaodu demo --scale province` into a fresh SQLite database (200 units under P000, 40
#      indicators × 120 months of figures, 20,000 key projects, 100,000 leads, 20,000 tasks);
#   2. adds three users with SQL, copying admin's password hash: bench_leader (leader, P000: the
#      whole province, the worst case), bench_county (leader, COUNTY) and bench_asm (supervisor,
#      P000), and starts `tiaodu serve`, waiting for its start-up jobs (13710 tick, the refresh of
#      all project statuses);
#   3. as bench_asm, creates a scoring scheme ranking P000's children (key-project completion,
#      investment target, 13710 on-time rate) and publishes last month (timed), so that the
#      cockpit's flags section has a league to read;
#   4. for each target: the first request (curl), wrk -t1 -c1 -d$SINGLE_DURATION and
#      wrk -t$WRK_THREADS -c$WRK_CONNS -d$WRK_DURATION with bench/indicators/report.lua
#      (p50/p95/p99/max, req/s, errors), and the server's CPU over the concurrent run:
#        province  GET /api/v1/cockpit                        (bench_leader: the province, this month)
#        month     GET /api/v1/cockpit?period=2024-06         (bench_leader: a month with indicator figures)
#        county    GET /api/v1/cockpit                        (bench_county: one county's subtree)
#   5. prints a summary and writes it to OUT_DIR/summary.txt (raw outputs beside it).
#
# Knobs: TIAODU_BIN, WRK_THREADS (2), WRK_CONNS (16), WRK_DURATION (20s), SINGLE_DURATION (5s),
# COUNTY (P018), OUT_DIR (bench/out/cockpit).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LUA="$REPO/bench/indicators/report.lua"
WRK_T="${WRK_THREADS:-2}"
WRK_C="${WRK_CONNS:-16}"
WRK_D="${WRK_DURATION:-20s}"
SINGLE_D="${SINGLE_DURATION:-5s}"
COUNTY="${COUNTY:-P018}"
OUT="${OUT_DIR:-$REPO/bench/out/cockpit}"
export TIAODU_ADMIN_PASSWORD="${TIAODU_ADMIN_PASSWORD:-Admin#2024pass}"
export TIAODU_DEMO_PASSWORD="${TIAODU_DEMO_PASSWORD:-Demo#2024pass}"
PASS="$TIAODU_ADMIN_PASSWORD"

for tool in wrk curl sqlite3; do command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }; done
mkdir -p "$OUT"
TMP="$(mktemp -d)"
SERVER_PID=""
cleanup() { [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
cpu_ticks() { local s; s="$(cat "/proc/$1/stat")"; s="${s##*) }"; awk '{print $12 + $13}' <<<"$s"; }
field() { sed -n "s/.*[ ]$2=\([^ ]*\).*/\1/p" "$1" | tail -1; }

BIN="$TMP/tiaodu"
cp "${TIAODU_BIN:-$REPO/build/tiaodu}" "$BIN"
DBFILE="$TMP/province.db"
URL="sqlite:$DBFILE"

echo "1. init + demo --scale province ..." >&2
"$BIN" init --db "$URL" >/dev/null
t0=$(now_ms)
"$BIN" demo --db "$URL" --scale province >"$OUT/demo.txt" 2>&1
LOAD_S=$(awk -v a="$t0" -v b="$(now_ms)" 'BEGIN{printf "%.0f", (b-a)/1000}')

for u in "bench_leader leader P000" "bench_county leader $COUNTY" "bench_asm supervisor P000"; do
  set -- $u
  sqlite3 -batch "$DBFILE" "INSERT INTO users (username, display_name, role, unit_id, password_hash, password_changed_at, created_at, updated_at)
    SELECT '$1', '$1', '$2', (SELECT id FROM units WHERE code = '$3'), password_hash, password_changed_at, created_at, updated_at
    FROM users WHERE username = 'admin'" >/dev/null
done

echo "2. serve, waiting for the start-up jobs ..." >&2
"$BIN" serve --db "$URL" --listen 127.0.0.1:0 >"$OUT/serve.log" 2>&1 &
SERVER_PID=$!
port=""
for _ in $(seq 1 300); do
  port="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$OUT/serve.log" | head -1 | sed 's/.*://' || true)"
  [[ -n "$port" ]] && break
  sleep 0.1
done
[[ -n "$port" ]] || { echo "tiaodu did not start" >&2; cat "$OUT/serve.log" >&2; exit 1; }
TURL="http://127.0.0.1:$port"
for _ in $(seq 1 3000); do grep -q 'project statuses refreshed\|refresh failed' "$OUT/serve.log" && break; sleep 0.1; done
sleep 2

login() { # USER → "cookie csrf"
  local body jar; jar="$TMP/jar.$1"
  body="$(curl -sS -c "$jar" -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$PASS\"}" "$TURL/api/v1/auth/login")"
  echo "$(awk '$6 == "tiaodu_session" {print $7}' "$jar") $(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' <<<"$body")"
}

echo "3. a scheme for P000's children, last month published ..." >&2
read -r ASM_COOKIE ASM_CSRF <<<"$(login bench_asm)"
PREV="$(TZ=Asia/Shanghai date -d "$(TZ=Asia/Shanghai date +%Y-%m-15) -1 month" +%Y-%m)"
post() { curl -sS -o "$OUT/$1.json" -w '%{http_code} %{time_total}' -H "Cookie: tiaodu_session=$ASM_COOKIE" \
  -H "X-CSRF-Token: $ASM_CSRF" -H 'Content-Type: application/json' -d "$3" "$TURL$2"; }
read -r code _ <<<"$(post scheme /api/v1/assessment/schemes '{"name":"省辖市县区考评（基准测试）","parent":"P000","red_flags":3,"black_flags":3,"items":[{"kind":"project_completion","name":"重点项目投资完成率","weight":40},{"kind":"investment_target","name":"招商引资合同额完成率","weight":30},{"kind":"on_time_rate","name":"督办事项按时办结率","weight":30}]}')"
[[ "$code" == 201 ]] || { echo "scheme: $code $(cat "$OUT/scheme.json")" >&2; exit 1; }
read -r code PUBLISH_S <<<"$(post publish /api/v1/assessment/league/publish "{\"period\":\"$PREV\"}")"
[[ "$code" == 200 ]] || { echo "publish: $code $(cat "$OUT/publish.json")" >&2; exit 1; }

declare -A RES
measure() { # NAME USER PATH
  local name=$1 cookie b0 b1 c0 c1
  read -r cookie _ <<<"$(login "$2")"
  curl -sS -o "$OUT/body-$name.json" -w '%{http_code} %{size_download} %{time_total}\n' \
    -H "Cookie: tiaodu_session=$cookie" "$TURL$3" >"$OUT/first-$name.txt"
  wrk -t1 -c1 -d"$SINGLE_D" -s "$LUA" -H "Cookie: tiaodu_session=$cookie" "$TURL$3" >"$OUT/wrk-$name-c1.txt" 2>&1
  b0="$(cpu_ticks "$SERVER_PID")"; c0=$(now_ms)
  wrk -t"$WRK_T" -c"$WRK_C" -d"$WRK_D" -s "$LUA" -H "Cookie: tiaodu_session=$cookie" "$TURL$3" >"$OUT/wrk-$name-cN.txt" 2>&1
  c1=$(now_ms); b1="$(cpu_ticks "$SERVER_PID")"
  RES[$name]="$(awk -v f="$(cat "$OUT/first-$name.txt")" -v p1="$(field "$OUT/wrk-$name-c1.txt" p50_ms)" \
    -v q1="$(field "$OUT/wrk-$name-c1.txt" p95_ms)" -v p="$(field "$OUT/wrk-$name-cN.txt" p50_ms)" \
    -v q="$(field "$OUT/wrk-$name-cN.txt" p95_ms)" -v r="$(field "$OUT/wrk-$name-cN.txt" p99_ms)" \
    -v s="$(field "$OUT/wrk-$name-cN.txt" rps)" -v e="$(field "$OUT/wrk-$name-cN.txt" non2xx)" \
    -v cpu="$(awk -v a="$b0" -v b="$b1" -v t="$(getconf CLK_TCK)" -v ms=$((c1 - c0)) 'BEGIN{printf "%.0f", (b-a)/t/(ms/1000)*100}')" \
    'BEGIN{split(f, x, " "); printf "%-9s %4s %7s %8.1f | %7s %7s | %7s %7s %7s %7s %6s %5s%%", "", x[1], x[2], x[3]*1000, p1, q1, p, q, r, s, e, cpu}')"
  echo "   $name: ${RES[$name]}" >&2
}

echo "4. wrk: -t1 -c1 -d$SINGLE_D, then -t$WRK_T -c$WRK_C -d$WRK_D ..." >&2
measure province bench_leader "/api/v1/cockpit"
measure month bench_leader "/api/v1/cockpit?period=2024-06"
measure county bench_county "/api/v1/cockpit"

{
  echo "Cockpit API at province scale — $(date -u +%Y-%m-%dT%H:%MZ), SQLite, $(nproc) cores, binary $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)"
  echo "load: demo --scale province ${LOAD_S}s; publish of $PREV (200 units, live league) ${PUBLISH_S}s"
  echo "target     what                                            | status  bytes  first ms | c1 p50  c1 p95 | c$WRK_C p50 c$WRK_C p95 c$WRK_C p99   req/s non2xx  CPU"
  printf "%-10s %-48s%s\n" province "bench_leader (P000), this month" "${RES[province]}"
  printf "%-10s %-48s%s\n" month "bench_leader (P000), period=2024-06" "${RES[month]}"
  printf "%-10s %-48s%s\n" county "bench_county ($COUNTY), this month" "${RES[county]}"
  echo "yardstick: p95 < 100 ms at $WRK_C concurrent clients. CPU: % of one core used by tiaodu during the c$WRK_C run."
} | tee "$OUT/summary.txt"
