#!/usr/bin/env bash
# ward serve under load, on loopback: report submissions per second, and the p99 latency of
# the coordinator's inbox page with 10,000 reports stored.
#
#   bash bench/serve.sh
#
# What it does (work files in $WARD_BENCH_DIR/serve, default /var/tmp/ward-bench/serve; nothing
# in the clone):
#   1. builds, in release mode, crates/ward-server/examples/bench_server.rs: the server `ward
#      serve` runs (ward_server::Server, SQLite in a fresh data directory, logging at INFO),
#      with the per-IP rate limits lifted through its configuration (RateLimits::unlimited:
#      every request comes from 127.0.0.1, so the defaults of 10 submissions a minute would
#      measure the limiter); it creates a coordinator, logs in with password and TOTP over
#      HTTP, and seeds $WARD_BENCH_REPORTS (10,000) reports through POST /api/v1/reports (the
#      real path: validation, sealing, audit chain, one transaction each);
#   2. wrk, $WARD_BENCH_DURATION (20 s) with 8 connections: GET /inbox with the
#      coordinator's session cookie; reports p50/p90/p99;
#   3. wrk, the same duration with 16 connections: POST /api/v1/reports, a new JSON report each
#      (bench/serve-submit.lua); reports submissions per second;
#   4. the inbox again, now with every report the submission run added.
# Any answer other than 200 (inbox) or 201 (submissions) fails the run. Needs wrk (Debian).
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/tmp/ward-target}
WORK=${WARD_BENCH_DIR:-/var/tmp/ward-bench}/serve
REPORTS=${WARD_BENCH_REPORTS:-10000}
DURATION=${WARD_BENCH_DURATION:-20s}

if ! command -v wrk >/dev/null; then
    echo "bench/serve.sh needs wrk (Debian: apt-get install wrk)" >&2
    exit 2
fi

cargo build --release --locked --quiet -p ward-server --example bench_server
SERVER="$CARGO_TARGET_DIR/release/examples/bench_server"

rm -rf "$WORK"
mkdir -p "$WORK"
"$SERVER" --data-dir "$WORK/data" --ready "$WORK/ready.env" --seed "$REPORTS" \
    2>"$WORK/server.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT

echo "== seeding $REPORTS reports through POST /api/v1/reports"
for _ in $(seq 1200); do
    [ -s "$WORK/ready.env" ] && break
    if ! kill -0 "$server" 2>/dev/null; then
        echo "the server exited:" >&2
        tail -n 20 "$WORK/server.log" >&2
        exit 1
    fi
    sleep 0.5
done
if [ ! -s "$WORK/ready.env" ]; then
    echo "the server was not ready after 10 minutes" >&2
    exit 1
fi
grep '^bench:' "$WORK/server.log" || true
# shellcheck disable=SC1091
. "$WORK/ready.env"

# wrk counts 3xx as success: make sure the cookie opens the inbox itself, not the login page.
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $WARD_COOKIE" "$WARD_URL/inbox")
if [ "$status" != 200 ]; then
    echo "GET /inbox with the coordinator's session answered $status" >&2
    exit 1
fi

fail_on_errors() { # $1: wrk output file
    if grep -q -E 'Non-2xx or 3xx responses|Socket errors' "$1"; then
        echo "errors during the run:" >&2
        grep -E 'Non-2xx or 3xx responses|Socket errors' "$1" >&2
        exit 1
    fi
}

echo
echo "== GET /inbox as the coordinator, $REPORTS reports stored ($DURATION, 8 connections)"
wrk -t2 -c8 -d"$DURATION" --latency -H "Cookie: $WARD_COOKIE" "$WARD_URL/inbox" \
    | tee "$WORK/inbox.txt"
fail_on_errors "$WORK/inbox.txt"
p99=$(awk '$1 == "99%" { print $2 }' "$WORK/inbox.txt")
p50=$(awk '$1 == "50%" { print $2 }' "$WORK/inbox.txt")
inbox_rps=$(awk '$1 == "Requests/sec:" { print $2 }' "$WORK/inbox.txt")

echo
echo "== POST /api/v1/reports ($DURATION, 16 connections)"
wrk -t2 -c16 -d"$DURATION" --latency -s bench/serve-submit.lua "$WARD_URL" \
    | tee "$WORK/submit.txt"
fail_on_errors "$WORK/submit.txt"
submit_rps=$(awk '$1 == "Requests/sec:" { print $2 }' "$WORK/submit.txt")
submit_p99=$(awk '$1 == "99%" { print $2 }' "$WORK/submit.txt")

stored=$((REPORTS + $(awk '/requests in/ { print $1 }' "$WORK/submit.txt")))
echo
echo "== GET /inbox again, $stored reports stored ($DURATION, 8 connections)"
wrk -t2 -c8 -d"$DURATION" --latency -H "Cookie: $WARD_COOKIE" "$WARD_URL/inbox" \
    | tee "$WORK/inbox-after.txt"
fail_on_errors "$WORK/inbox-after.txt"
p99_after=$(awk '$1 == "99%" { print $2 }' "$WORK/inbox-after.txt")

echo
echo "== figures (targets: >= 500 submissions/s, inbox p99 < 50 ms)"
printf 'report submissions:  %s/s (p99 %s)\n' "$submit_rps" "$submit_p99"
printf 'inbox page:          p50 %s, p99 %s (%s requests/s), %s reports stored\n' \
    "$p50" "$p99" "$inbox_rps" "$REPORTS"
printf 'inbox page:          p99 %s, %s reports stored\n' "$p99_after" "$stored"
