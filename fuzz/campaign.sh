#!/usr/bin/env bash
# The fuzzing campaign of the lockfile readers and advisory importers: every target for
# SECONDS (default 600) seconds, two at a time, each seeded from the real files of
# ../shared/data. Corpora are kept in $WARD_FUZZ_CORPUS (default /var/tmp/ward-fuzz-corpus)
# so a second campaign starts where the first stopped; logs go to $WARD_FUZZ_LOGS.
#
#   bash fuzz/campaign.sh                 # the 12 targets, 10 minutes each
#   SECONDS_PER_TARGET=60 bash fuzz/campaign.sh lockfile_pnpm advisory_rustsec
#
# Exit status 1 if any target found a crash (its log and artifact are named at the end).
set -euo pipefail
cd "$(dirname "$0")"

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/tmp/ward-fuzz-target}
DATA=${WARD_SHARED_DATA:-$(cd ../.. && pwd)/shared/data}
CORPUS=${WARD_FUZZ_CORPUS:-/var/tmp/ward-fuzz-corpus}
LOGS=${WARD_FUZZ_LOGS:-/var/tmp/ward-fuzz-logs}
TIME=${SECONDS_PER_TARGET:-600}
targets=("$@")
if ((${#targets[@]} == 0)); then
    targets=(lockfile_cargo lockfile_npm lockfile_yarn lockfile_pnpm lockfile_mix
        lockfile_requirements lockfile_poetry lockfile_uv
        advisory_osv_json advisory_osv_yaml advisory_rustsec advisory_nswg)
fi
mkdir -p "$CORPUS" "$LOGS"

seed() {
    local target=$1
    shift
    mkdir -p "$CORPUS/$target"
    for f in "$@"; do
        if [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 200000 ]; then
            cp "$f" "$CORPUS/$target/"
        fi
    done
}
F=$DATA/lockfile-fixtures/osv-scalibr
seed lockfile_cargo "$F"/rust/cargolock/*
seed lockfile_npm "$F"/javascript/packagelockjson/*
seed lockfile_yarn "$F"/javascript/yarnlock/*
seed lockfile_pnpm "$F"/javascript/pnpmlock/*
seed lockfile_mix "$F"/elixir/mixlock/* "$F"/erlang/mixlock/*
seed lockfile_requirements "$F"/python/requirements/*
seed lockfile_poetry "$F"/python/poetrylock/*
seed lockfile_uv "$F"/python/uvlock/*
seed advisory_osv_json "$DATA"/eef-cna-advisories/osv/*.json "$DATA"/osv-schema/examples/osv-linter-testdata/*
seed advisory_nswg "$DATA"/nodejs-security-wg/vuln/npm/1*.json "$DATA"/nodejs-security-wg/vuln/core/1*.json
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
zstd -dc "$DATA/rustsec-advisory-db/rustsec-advisory-db-main.tar.zst" | tar -x -C "$unpacked"
zstd -dc "$DATA/pypa-advisory-database/pypa-advisory-database.tar.zst" | tar -x -C "$unpacked"
mapfile -t rustsec < <(find "$unpacked" -name 'RUSTSEC-*.md' | head -n 100)
mapfile -t pysec < <(find "$unpacked" -name 'PYSEC-*.yaml' | head -n 100)
seed advisory_rustsec "${rustsec[@]}"
seed advisory_osv_yaml "${pysec[@]}"

cargo +nightly fuzz build -O
for ((i = 0; i < ${#targets[@]}; i += 2)); do
    for t in "${targets[@]:i:2}"; do
        echo "fuzzing $t for $TIME s (log: $LOGS/$t.log)"
        cargo +nightly fuzz run -O "$t" "$CORPUS/$t" -- -max_total_time="$TIME" -rss_limit_mb=2048 \
            >"$LOGS/$t.log" 2>&1 &
    done
    wait || true
done

failed=0
for t in "${targets[@]}"; do
    if grep -q "^Done [0-9]* runs\|DONE" "$LOGS/$t.log" && ! grep -q "SUMMARY:\|panicked" "$LOGS/$t.log"; then
        echo "$t: $(grep -E '^#[0-9]+.*DONE' "$LOGS/$t.log" | tail -n 1 | awk '{print substr($1, 2)}') runs, no crash"
    else
        echo "$t: CRASH or failure, see $LOGS/$t.log and fuzz/artifacts/$t/"
        failed=1
    fi
done
exit "$failed"
