//! The transparency log's storage under load: durable appends per second, and inclusion and
//! consistency proof times read from the stored tiles at 1,000,000 leaves.
//!
//! ```sh
//! cargo run --release -p ward-store --example bench_log              # SQLite
//! WARD_BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432/test \
//!     cargo run --release -p ward-store --example bench_log          # and PostgreSQL
//! ```
//!
//! Each append is one transaction: the entries, the changed tiles, the new head and its
//! Ed25519-signed checkpoint, committed (SQLite: WAL with `synchronous=NORMAL`, as ward serve
//! runs; PostgreSQL: `synchronous_commit=on`, an fsync per commit). Proofs are generated the
//! way `GET /log/proof/...` does, through `StoreTiles` and one store read per tile. Set
//! `WARD_BENCH_LEAVES` to change the size (default 1,000,000) and `WARD_BENCH_BATCH` the
//! append batch (default 1,000).
#![allow(clippy::print_stdout, clippy::unwrap_used, reason = "a benchmark")]

use std::time::{Duration, Instant};

use ward_desk::seal::Secret;
use ward_log::note::NoteSigner;
use ward_log::{Checkpoint, Hash};
use ward_store::{Location, Store, StoreTiles};

fn main() {
    let leaves: u64 = env_or("WARD_BENCH_LEAVES", 1_000_000);
    let batch: u64 = env_or("WARD_BENCH_BATCH", 1_000);
    let dir = tempfile::tempdir().unwrap();
    let mut backends = vec![(
        "SQLite (WAL, synchronous=NORMAL)".to_owned(),
        Location::Sqlite(dir.path().join("bench.db")),
    )];
    if let Ok(url) = std::env::var("WARD_BENCH_POSTGRES") {
        let schema = format!("ward_bench_log_{}", std::process::id());
        let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        admin
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .unwrap();
        let sep = if url.contains('?') { '&' } else { '?' };
        backends.push((
            "PostgreSQL (synchronous_commit=on)".to_owned(),
            Location::Postgres(format!("{url}{sep}options=-csearch_path%3D{schema}")),
        ));
    }
    println!("log bench: {leaves} leaves, appended {batch} per transaction\n");
    for (name, location) in backends {
        let store = ward_store::open(&location, Secret::random()).unwrap();
        run(&name, &*store, leaves, batch);
    }
}

fn run(name: &str, store: &dyn Store, leaves: u64, batch: u64) {
    let signer = NoteSigner::from_seed("bench.example/log", &[9; 32]).unwrap();
    let sign = |size: u64, root: &Hash| {
        Checkpoint {
            origin: signer.name().to_owned(),
            size,
            root: *root,
            extensions: vec![],
        }
        .sign(&signer)
    };
    let started = Instant::now();
    let mut appended = 0;
    while appended < leaves {
        let n = batch.min(leaves - appended);
        let entries: Vec<Vec<u8>> = (appended..appended + n)
            .map(|i| {
                format!("ward-signature/v1\nsha256 {i:064x}\n\nbench entry {i}\n").into_bytes()
            })
            .collect();
        store.log_append(&entries, &sign).unwrap();
        appended += n;
    }
    let elapsed = started.elapsed();
    println!("{name}");
    println!(
        "  appends: {leaves} in {:.1} s = {:.0} entries/s ({} per commit)",
        elapsed.as_secs_f64(),
        leaves as f64 / elapsed.as_secs_f64(),
        batch
    );

    let single = 200;
    let started = Instant::now();
    for i in 0..single {
        store
            .log_append(&[format!("single {i}").into_bytes()], &sign)
            .unwrap();
    }
    let per = started.elapsed() / single;
    println!(
        "  single-entry appends: {:.0}/s ({:?} per commit)",
        1.0 / per.as_secs_f64(),
        per
    );

    let size = store.log_head().unwrap().unwrap().size;
    let read = |level: u8, index: u64| store.log_tile(level, index);
    let mut inclusion = Vec::new();
    let mut consistency = Vec::new();
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for _ in 0..1_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let index = state % size;
        // A fresh source per proof: nothing cached between requests, as the server does.
        let tiles = StoreTiles::new(&read);
        let t = Instant::now();
        let proof = ward_log::tile::prove_inclusion(index, size, &tiles).unwrap();
        inclusion.push(t.elapsed());
        assert!(!proof.is_empty());
        let tiles = StoreTiles::new(&read);
        let old = 1 + state % (size - 1);
        let t = Instant::now();
        ward_log::tile::prove_consistency(old, size, &tiles).unwrap();
        consistency.push(t.elapsed());
    }
    println!(
        "  inclusion proofs at {size} leaves: {}",
        summary(&mut inclusion)
    );
    println!(
        "  consistency proofs to {size} leaves: {}\n",
        summary(&mut consistency)
    );
}

fn summary(times: &mut [Duration]) -> String {
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    let p99 = times[times.len() * 99 / 100];
    format!(
        "mean {mean:?}, p99 {p99:?}, max {:?}",
        times[times.len() - 1]
    )
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}
