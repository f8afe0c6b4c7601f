#!/usr/bin/env bash
# Investment leads at province scale: the leads board of one city and its pipeline under wrk.
#
#   bash bench/investment/run.sh
#
# The measurement lives in bench/projects/run.sh (one data set, one server, shared helpers);
# this runs only its investment part: `tiaodu demo --scale province` into a fresh SQLite file,
# then for GET /api/v1/investment/leads?unit=<city>&stage=签约&page_size=50 and
# GET /api/v1/investment/pipeline?unit=<city>: the first request, wrk -t1 -c1 and wrk -t2 -c16
# (p50/p95/p99, req/s, server CPU per request), and EXPLAIN QUERY PLAN of the SQL in
# src/investment/store.cc. If the data set has no leads, it says so and measures nothing.
# Knobs as in bench/projects/run.sh (WRK_*, SINGLE_DURATION, CITY, DB_FILE, KEEP_DB);
# OUT_DIR defaults to bench/out/investment.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PARTS=investment OUT_DIR="${OUT_DIR:-$REPO/bench/out/investment}" exec bash "$REPO/bench/projects/run.sh" "$@"
