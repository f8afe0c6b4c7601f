#!/usr/bin/env bash
# HTTP benchmark: tiaodu vs nginx serving bodies of the same size, side by side in one run.
#
#   bash bench/http/run.sh
#
# Measures and prints; asserts nothing about timings. Needs only Debian packages:
# wrk, nginx-light (or any nginx), curl, procps (pgrep), coreutils, gawk/mawk.
#
# Environment knobs (all optional):
#   TIAODU_BIN       server binary              (default: build/tiaodu, built if missing)
#   TIAODU_THREADS   `tiaodu serve --threads N` (default: unset → the server's own default)
#   WRK_THREADS      wrk -t                     (default 2)
#   WRK_CONNS        wrk -c                     (default 64)
#   WRK_DURATION     wrk -d                     (default 10s)
#   ROUNDS           repeat the 4 runs N times, interleaved; medians reported (default 1)
#   QUIET_MAX        with ROUNDS>1, also report medians of rounds where other processes
#                    used ≤ this % of a core (default 20) — the machine may be shared
#   OUT_DIR          raw outputs                (default: bench/out/http)
#
# Outputs: OUT_DIR/{health-tiaodu,health-nginx,me-tiaodu,me-nginx}[.rN].txt (raw wrk --latency),
# OUT_DIR/summary.txt (the table below), OUT_DIR/env.txt, OUT_DIR/serve.log.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${TIAODU_BIN:-$REPO/build/tiaodu}"
WRK_T="${WRK_THREADS:-2}"
WRK_C="${WRK_CONNS:-64}"
WRK_D="${WRK_DURATION:-10s}"
OUT="${OUT_DIR:-$REPO/bench/out/http}"
STARTED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

for tool in wrk nginx curl pgrep; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install wrk nginx-light curl procps)" >&2; exit 1; }
done
if [[ ! -x "$BIN" ]]; then
  echo "building $BIN ..." >&2
  cmake --build "$REPO/build" >&2
fi

TMP="$(mktemp -d /tmp/tiaodu-bench.XXXXXX)"
chmod 755 "$TMP"   # nginx workers drop privileges when started as root
SERVER_PID=""
NGINX_PID=""
cleanup() {
  [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [[ -n "$NGINX_PID" ]] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

mkdir -p "$OUT"
rm -f "$OUT"/*.txt "$OUT"/serve.log

# ---- fresh database with demo data ------------------------------------------------------
DB="sqlite:$TMP/t.db"
PASS="Bench-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')-9"
TIAODU_ADMIN_PASSWORD="$PASS" "$BIN" init --db "$DB" >/dev/null
TIAODU_DEMO_PASSWORD="$PASS" "$BIN" demo --db "$DB" >/dev/null

# ---- tiaodu on a free loopback port (port 0: the kernel picks, the server prints it) ------
SERVE_ARGS=(serve --db "$DB" --listen 127.0.0.1:0)
[[ -n "${TIAODU_THREADS:-}" ]] && SERVE_ARGS+=(--threads "$TIAODU_THREADS")
"$BIN" "${SERVE_ARGS[@]}" >"$TMP/serve.log" 2>&1 &
SERVER_PID=$!
TPORT=""
for _ in $(seq 1 100); do
  TPORT="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$TMP/serve.log" | head -1 | sed 's/.*://' || true)"
  [[ -n "$TPORT" ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/serve.log" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$TPORT" ]] || { echo "tiaodu did not start" >&2; cat "$TMP/serve.log" >&2; exit 1; }
TURL="http://127.0.0.1:$TPORT"
curl -fsS "$TURL/api/v1/health" >/dev/null

rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM:/{print $2}' "/proc/$1/status"; }
nthreads() { awk '/^Threads:/{print $2}' "/proc/$1/status"; }
# utime+stime of a process (all its threads), in clock ticks
cpu_ticks() { local s; s="$(cat "/proc/$1/stat")"; s="${s##*) }"; awk '{print $12 + $13}' <<<"$s"; }
CLK_TCK="$(getconf CLK_TCK)"

sleep 1
RSS_IDLE="$(rss_kb "$SERVER_PID")"
SERVER_THREADS="$(nthreads "$SERVER_PID")"

# ---- log in as leader -------------------------------------------------------------------
curl -fsS -c "$TMP/jar" -H 'Content-Type: application/json' \
  -d "{\"username\":\"leader\",\"password\":\"$PASS\"}" "$TURL/api/v1/auth/login" >/dev/null
COOKIE="$(awk '$6 == "tiaodu_session" {print $7}' "$TMP/jar")"
[[ -n "$COOKIE" ]] || { echo "login failed: no tiaodu_session cookie" >&2; exit 1; }
RSS_LOGIN="$(rss_kb "$SERVER_PID")"

AUTH_PATH=/api/v1/auth/me
curl -fsS "$TURL/api/v1/health" -o "$TMP/health.json"
curl -fsS -H "Cookie: tiaodu_session=$COOKIE" "$TURL$AUTH_PATH" -o "$TMP/me.json"
HEALTH_BYTES="$(stat -c %s "$TMP/health.json")"
ME_BYTES="$(stat -c %s "$TMP/me.json")"

# keep-alive check: two requests in one curl call → the second must reuse the connection
KA_CONNECTS="$(curl -s -o /dev/null -o /dev/null -w '%{num_connects} ' "$TURL/api/v1/health" "$TURL/api/v1/health")"

# ---- nginx with its own config, serving files of the same sizes ------------------------
mkdir -p "$TMP/www" "$TMP/nginx"
cp "$TMP/health.json" "$TMP/www/health.json"
cp "$TMP/me.json" "$TMP/www/me.json"
chmod 755 "$TMP/www"; chmod 644 "$TMP/www"/*.json
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
start_nginx() {
  local port=$1
  cat >"$TMP/nginx/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $TMP/nginx/client_body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  server {
    listen 127.0.0.1:$port;
    root $TMP/www;
  }
}
EOF
  nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" >"$TMP/nginx/stdout.log" 2>&1 &
  NGINX_PID=$!
  for _ in $(seq 1 50); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/health.json" 2>/dev/null && return 0
    kill -0 "$NGINX_PID" 2>/dev/null || { NGINX_PID=""; return 1; }
    sleep 0.1
  done
  return 1
}
NPORT=""
for _ in $(seq 1 20); do
  p=$((20000 + RANDOM % 30000))
  [[ "$p" == "$TPORT" ]] && continue
  port_free "$p" || continue
  if start_nginx "$p"; then NPORT=$p; break; fi
done
[[ -n "$NPORT" ]] || { echo "nginx did not start" >&2; cat "$TMP/nginx/"*.log >&2 || true; exit 1; }
NURL="http://127.0.0.1:$NPORT"
NGINX_WORKERS="$(pgrep -P "$NGINX_PID" | tr '\n' ' ')"
[[ "$(curl -fsS "$NURL/health.json" | wc -c)" == "$HEALTH_BYTES" ]]
[[ "$(curl -fsS "$NURL/me.json" | wc -c)" == "$ME_BYTES" ]]

# ---- the four wrk runs ------------------------------------------------------------------
sum_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(cpu_ticks "$p"))); done; echo "$t"; }
# CPU accounting per run, as % of one core over the wall time of the run:
#   srv   = utime+stime of the measured server (tiaodu process, or the nginx workers)
#   wrk   = utime+stime of wrk (from the shell's children times)
#   other = whole-machine busy time (/proc/stat) minus srv and wrk: other processes on the box
sys_busy_idle() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat; }
child_secs() { # prints children user+sys seconds from `times` (2nd line: "0m1.23s 0m0.45s")
  times >"$TMP/times"
  awk 'NR == 2 {t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } printf "%.3f", t}' "$TMP/times"
}
declare -A CPU WRKCPU OTHER LOADAVG USPERREQ
run() {
  local name=$1 url=$2; shift 2
  local before after b_busy b_idle a_busy a_idle c0 c1
  LOADAVG[$name]="$(cut -d' ' -f1 /proc/loadavg)"
  before="$(sum_ticks "${PIDS[@]}")"
  read -r b_busy b_idle < <(sys_busy_idle)
  child_secs >"$TMP/c0"
  wrk -t"$WRK_T" -c"$WRK_C" -d"$WRK_D" --latency "$@" "$url" >"$OUT/$name.txt" 2>&1
  child_secs >"$TMP/c1"
  read -r a_busy a_idle < <(sys_busy_idle)
  after="$(sum_ticks "${PIDS[@]}")"
  local wall; wall="$(awk '/requests in/{v=$4; sub(/s,?$/, "", v); print v}' "$OUT/$name.txt")"
  [[ -n "$wall" ]] || wall="${WRK_D%s}"
  read -r CPU[$name] WRKCPU[$name] OTHER[$name] < <(awk -v a="$after" -v b="$before" -v hz="$CLK_TCK" \
      -v w="$wall" -v c0="$(cat "$TMP/c0")" -v c1="$(cat "$TMP/c1")" -v sb="$((a_busy - b_busy))" \
      'BEGIN { srv = 100 * (a - b) / hz / w; wk = 100 * (c1 - c0) / w; all = 100 * sb / hz / w;
               o = all - srv - wk; if (o < 0) o = 0; printf "%.0f%% %.0f%% %.0f%%\n", srv, wk, o }')
  USPERREQ[$name]="$(awk -v a="$after" -v b="$before" -v hz="$CLK_TCK" \
      '/requests in/ { if ($1 > 0) printf "%.1f", 1e6 * (a - b) / hz / $1 }' "$OUT/$name.txt")"
  echo "  done: $name" >&2
}
ROUNDS="${ROUNDS:-1}"
TARGETS=(health-tiaodu health-nginx me-tiaodu me-nginx)
sfx() { [[ "$ROUNDS" == 1 ]] || echo ".r$1"; }
echo "running wrk -t$WRK_T -c$WRK_C -d$WRK_D --latency: 4 targets x $ROUNDS round(s) ..." >&2
for r in $(seq 1 "$ROUNDS"); do
  x="$(sfx "$r")"
  PIDS=("$SERVER_PID"); run "health-tiaodu$x" "$TURL/api/v1/health"
  PIDS=($NGINX_WORKERS); run "health-nginx$x" "$NURL/health.json"
  PIDS=("$SERVER_PID"); run "me-tiaodu$x" "$TURL$AUTH_PATH" -H "Cookie: tiaodu_session=$COOKIE"
  PIDS=($NGINX_WORKERS); run "me-nginx$x" "$NURL/me.json"
done

sleep 1
RSS_AFTER="$(rss_kb "$SERVER_PID")"
HWM="$(hwm_kb "$SERVER_PID")"
cp "$TMP/serve.log" "$OUT/serve.log"

# ---- parse and print ----------------------------------------------------------------------
rps() { awk '/^Requests\/sec:/{print $2}' "$OUT/$1.txt"; }
# wrk prints latency as 123.00us / 1.23ms / 1.23s → milliseconds
lat() {
  awk -v q="$2" '$1 == q {v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
    if (u == "us") v /= 1000; else if (u == "s") v *= 1000; else if (u == "m") v *= 60000;
    printf "%.2f", v}' "$OUT/$1.txt"
}
errs() {
  awk '/Socket errors|Non-2xx/{sub(/^ +/, ""); printf "%s; ", $0}' "$OUT/$1.txt"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else printf "%.2f\n", (v[NR/2]+v[NR/2+1])/2}'; }
# METRIC TARGET → median over rounds (metric: rps | p50 | p99)
# With QUIET=1 only rounds whose 'other' CPU was ≤ QUIET_MAX % count.
QUIET_MAX="${QUIET_MAX:-20}"
agg() {
  local vals="" r
  for r in $(seq 1 "$ROUNDS"); do
    if [[ "${QUIET:-0}" == 1 ]] && (( ${OTHER[$2$(sfx "$r")]%\%} > QUIET_MAX )); then continue; fi
    case $1 in
      rps) vals+="$(rps "$2$(sfx "$r")") " ;;
      p50) vals+="$(lat "$2$(sfx "$r")" 50%) " ;;
      p99) vals+="$(lat "$2$(sfx "$r")" 99%) " ;;
    esac
  done
  if [[ -z "$vals" ]]; then echo "n/a"; else median <<<"$vals"; fi
}
quiet_count() { local r c=0; for r in $(seq 1 "$ROUNDS"); do (( ${OTHER[$1$(sfx "$r")]%\%} > QUIET_MAX )) || c=$((c + 1)); done; echo "$c"; }

{
  echo "Tiaodu HTTP benchmark — started $STARTED, finished $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: nproc=$(nproc), CPU: $(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo), kernel $(uname -r)"
  echo "tiaodu: $BIN $(printf '%q ' "${SERVE_ARGS[@]}")(threads in process: $SERVER_THREADS)"
  echo "nginx:  $(nginx -v 2>&1 | sed 's/^nginx version: //'), worker_processes auto (workers: $(wc -w <<<"$NGINX_WORKERS")), access_log off"
  echo "wrk:    -t$WRK_T -c$WRK_C -d$WRK_D --latency, $ROUNDS round(s); wrk, tiaodu and nginx share the same $(nproc) CPUs"
  echo "bodies: health $HEALTH_BYTES B, $AUTH_PATH $ME_BYTES B; keep-alive: num_connects for 2 requests on one curl = $KA_CONNECTS"
  echo
  printf '%-19s %11s %8s %8s %8s %9s %8s %8s %6s  %s\n' "target" "req/s" "p50 ms" "p99 ms" \
    "srv CPU" "srv µs/req" "wrk CPU" "other" "load" "errors"
  for r in $(seq 1 "$ROUNDS"); do
    for t in "${TARGETS[@]}"; do
      n="$t$(sfx "$r")"
      printf '%-19s %11s %8s %8s %8s %10s %8s %8s %6s  %s\n' "$n" "$(rps "$n")" "$(lat "$n" 50%)" "$(lat "$n" 99%)" \
        "${CPU[$n]}" "${USPERREQ[$n]}" "${WRKCPU[$n]}" "${OTHER[$n]}" "${LOADAVG[$n]}" "$(errs "$n")"
    done
  done
  if [[ "$ROUNDS" != 1 ]]; then
    echo
    echo "median over $ROUNDS rounds"
    for t in "${TARGETS[@]}"; do
      printf '%-19s %11s %8s %8s\n' "$t" "$(agg rps "$t")" "$(agg p50 "$t")" "$(agg p99 "$t")"
    done
    echo
    echo "median over quiet rounds only (other ≤ $QUIET_MAX%)                 rounds"
    for t in "${TARGETS[@]}"; do
      printf '%-19s %11s %8s %8s %16s\n' "$t" "$(QUIET=1 agg rps "$t")" "$(QUIET=1 agg p50 "$t")" \
        "$(QUIET=1 agg p99 "$t")" "$(quiet_count "$t")/$ROUNDS"
    done
  fi
  echo
  echo "ratios tiaodu/nginx$([[ "$ROUNDS" != 1 ]] && echo " (of the medians)")   req/s     p50      p99"
  for q in 0 $([[ "$ROUNDS" != 1 ]] && echo 1); do
    for k in health me; do
      printf '  %-32s %7s %7s %8s\n' "$k ($([[ $k == health ]] && echo "$HEALTH_BYTES" || echo "$ME_BYTES") B)$([[ $q == 1 ]] && echo ", quiet rounds")" \
        "$(ratio "$(QUIET=$q agg rps $k-tiaodu)" "$(QUIET=$q agg rps $k-nginx)")" \
        "$(ratio "$(QUIET=$q agg p50 $k-tiaodu)" "$(QUIET=$q agg p50 $k-nginx)")" \
        "$(ratio "$(QUIET=$q agg p99 $k-tiaodu)" "$(QUIET=$q agg p99 $k-nginx)")"
    done
  done
  echo
  echo "tiaodu resident memory (VmRSS): idle after start $((RSS_IDLE / 1024)) MiB ($RSS_IDLE kB);" \
       "after login $((RSS_LOGIN / 1024)) MiB; after load $((RSS_AFTER / 1024)) MiB ($RSS_AFTER kB); peak VmHWM $((HWM / 1024)) MiB"
  echo "(CPU columns: % of one core over the run, $(nproc) cores = $(( $(nproc) * 100 ))%. srv = tiaodu process or nginx workers;"
  echo " srv µs/req = server CPU time per request served (independent of how the cores were shared);"
  echo " wrk = the load generator; other = rest of the machine (/proc/stat busy minus srv and wrk) — a run with"
  echo " large 'other' competed with unrelated processes and is not representative; load = 1-min loadavg before it)"
  echo "raw wrk outputs: $OUT/"
} | tee "$OUT/summary.txt"
