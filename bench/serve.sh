#!/usr/bin/env bash
# ward serve under load, on loopback: report submissions per second, and the p99 latency of
# the coordinator's inbox page with 10,000 reports stored.
#
#   bash bench/serve.sh
#
# What it does (work files in $WARD_BENCH_DIR/serve, default /var/tmp/ward-bench/serve; nothing
# in the clone):
#   1. builds `ward` and crates/ward-server/examples/bench_client.rs in release mode;
#   2. starts `ward serve` (SQLite in a fresh data directory, logging at its default, INFO) with
#      a ward.toml that lifts the per-IP rate limits ([serve.rate_limit] at their maximum:
#      every request of the benchmark comes from 127.0.0.1, and the default of 10 submissions a
#      minute per address would measure the limiter); the coordinator is made with
#      `ward admin create-user`;
#   3. bench_client logs the coordinator in over HTTP (password, TOTP enrollment) and seeds
#      $WARD_BENCH_REPORTS (10,000) reports through POST /api/v1/reports, 16 at a time (the
#      real path: validation, sealing, audit chain, one transaction each);
#   4. wrk, $WARD_BENCH_DURATION (20 s) with 8 connections: GET /inbox with the
#      coordinator's session cookie; reports p50/p90/p99;
#   5. wrk, the same duration with 16 connections: POST /api/v1/reports, a new JSON report each
#      (bench/serve-submit.lua); reports submissions per second;
#   6. the inbox again, now with every report the submission run added;
#   7. stops `ward serve` with SIGTERM and checks it exits cleanly.
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

cargo build --release --locked --quiet -p ward-cli
cargo build --release --locked --quiet -p ward-server --example bench_client
WARD="$CARGO_TARGET_DIR/release/ward"
CLIENT="$CARGO_TARGET_DIR/release/examples/bench_client"

rm -rf "$WORK"
mkdir -p "$WORK"
cat >"$WORK/ward.toml" <<'TOML'
[serve.rate_limit]
requests_per_minute = 4294967295
requests_burst = 4294967295
submissions_per_minute = 4294967295
submissions_burst = 4294967295
TOML
instance=(--config "$WORK/ward.toml" --data-dir "$WORK/data")
password="bench coordinator password"
echo "$password" | "$WARD" admin create-user "${instance[@]}" \
    --email coordinator@bench.test --role coordinator >/dev/null

"$WARD" serve "${instance[@]}" --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/server.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
WARD_URL=
for _ in $(seq 100); do
    WARD_URL=$(sed -n 's/^ward serve: listening on \(http:[^ ]*\).*/\1/p' "$WORK/serve.out")
    [ -n "$WARD_URL" ] && break
    if ! kill -0 "$server" 2>/dev/null; then
        echo "ward serve exited:" >&2
        tail -n 20 "$WORK/server.log" >&2
        exit 1
    fi
    sleep 0.2
done
[ -n "$WARD_URL" ] || { echo "ward serve did not say where it listens" >&2; exit 1; }

echo "== seeding $REPORTS reports through POST /api/v1/reports"
"$CLIENT" --url "$WARD_URL" --email coordinator@bench.test --password "$password" \
    --seed "$REPORTS" --ready "$WORK/ready.env"
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

kill -TERM "$server"
status=0
wait "$server" || status=$?
trap - EXIT
if [ "$status" != 0 ]; then
    echo "ward serve exited with status $status after SIGTERM:" >&2
    tail -n 20 "$WORK/server.log" >&2
    exit 1
fi
