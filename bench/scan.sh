#!/usr/bin/env bash
# ward scan and ward db import, measured end to end beside cargo audit, on the real big
# lockfiles of ../shared/data/big-lockfiles and a database the size of OSV.dev.
#
#   bash bench/scan.sh
#
# What it does (work files in $WARD_BENCH_DIR, default /var/tmp/ward-bench; nothing in the
# clone):
#   1. builds ward in release mode;
#   2. times `ward db import` of every dataset of ../shared/data ward reads (the real data);
#   3. adds 200,000 synthetic OSV records (bench/gen_advisories.py) to a copy of that
#      database, so lookups run against an index of OSV.dev's size;
#   4. runs hyperfine on `ward scan` of each big lockfile against that database, and on
#      `cargo audit` of the same Cargo.lock with the same advisory-db (`--no-fetch`);
#   5. reports the peak memory of the largest scan.
# Needs hyperfine (installed from Debian when missing) and cargo-audit (the one
# .ci/install-references installs).
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/tmp/ward-target}
DATA=${WARD_SHARED_DATA:-$(cd .. && pwd)/shared/data}
WORK=${WARD_BENCH_DIR:-/var/tmp/ward-bench}
REFERENCE=${WARD_REFERENCE_DIR:-/var/tmp/ward-reference}
SYNTHETIC=${WARD_BENCH_SYNTHETIC:-200000}
mkdir -p "$WORK"

if ! command -v hyperfine >/dev/null; then
    apt-get install -y -qq hyperfine >/dev/null
fi
AUDIT="$REFERENCE/cargo-audit/bin/cargo-audit"
if [ ! -x "$AUDIT" ]; then
    WARD_REFERENCE_DIR=$REFERENCE bash .ci/install-references
fi

cargo build --release --locked --quiet -p ward-cli
WARD="$CARGO_TARGET_DIR/release/ward"

echo "== ward db import of the shared data"
REAL=(
    "$DATA/rustsec-advisory-db/rustsec-advisory-db-main.tar.zst"
    "$DATA/pypa-advisory-database/pypa-advisory-database.tar.zst"
    "$DATA/golang-vulndb/golang-vulndb-osv-and-reports.tar.zst"
    "$DATA/eef-cna-advisories/osv"
    "$DATA/nodejs-security-wg/vuln"
    "$DATA/loopback-security/advisories"
)
rm -rf "$WORK/db-real"
/usr/bin/time -f "import: %e s wall, %M KB peak RSS" \
    "$WARD" db import --db "$WORK/db-real" "${REAL[@]}" >"$WORK/import.log" 2>&1 \
    || { cat "$WORK/import.log"; exit 1; }
tail -n 3 "$WORK/import.log"

echo "== a database of OSV.dev's size: the real data + $SYNTHETIC synthetic records"
if [ ! -f "$WORK/synthetic-$SYNTHETIC.zip" ]; then
    python3 bench/gen_advisories.py "$SYNTHETIC" "$WORK/synthetic-$SYNTHETIC.zip"
fi
rm -rf "$WORK/db-big"
cp -r "$WORK/db-real" "$WORK/db-big"
/usr/bin/time -f "import of the synthetic records: %e s wall, %M KB peak RSS" \
    "$WARD" db import --db "$WORK/db-big" "$WORK/synthetic-$SYNTHETIC.zip" >/dev/null
"$WARD" db stats --db "$WORK/db-big" | head -n 3

echo "== the advisory-db checkout cargo audit reads"
if [ ! -d "$WORK/advisory-db/.git" ]; then
    rm -rf "$WORK/advisory-db"
    mkdir -p "$WORK/advisory-db"
    zstd -dc "$DATA/rustsec-advisory-db/rustsec-advisory-db-main.tar.zst" | tar -x -C "$WORK/advisory-db"
    inner=$(find "$WORK/advisory-db" -maxdepth 2 -name crates -type d | head -n 1)
    if [ "$(dirname "$inner")" != "$WORK/advisory-db" ]; then
        mv "$(dirname "$inner")"/* "$WORK/advisory-db/"
    fi
    git -C "$WORK/advisory-db" init -q
    git -C "$WORK/advisory-db" add -A
    git -C "$WORK/advisory-db" -c user.name=bench -c user.email=bench@localhost commit -qm snapshot
fi

LOCKS=(
    "uv-cargo/Cargo.lock"
    "create-react-app-npm/package-lock.json"
    "babel-yarn-berry/yarn.lock"
    "excalidraw-yarn-v1/yarn.lock"
    "vite-pnpm/pnpm-lock.yaml"
    "uv-cargo/uv.lock"
)
echo "== scans (exit status 1 = findings; both tools are run with -i)"
commands=()
names=()
for lock in "${LOCKS[@]}"; do
    names+=(-n "ward scan $lock")
    commands+=("$WARD scan --db $WORK/db-big --format json $DATA/big-lockfiles/$lock")
done
names+=(-n "cargo audit uv-cargo/Cargo.lock")
commands+=("$AUDIT audit --db $WORK/advisory-db --no-fetch --file $DATA/big-lockfiles/uv-cargo/Cargo.lock --json")
hyperfine -N -i --warmup 2 --min-runs 10 --export-markdown "$WORK/scan.md" "${names[@]}" "${commands[@]}"

echo "== peak memory"
for lock in "${LOCKS[@]}"; do
    /usr/bin/time -f "ward scan $lock: %M KB peak RSS" \
        "$WARD" scan --db "$WORK/db-big" --format json "$DATA/big-lockfiles/$lock" >/dev/null || true
done
echo
cat "$WORK/scan.md"
