//! A plain micro benchmark of the tiled log in memory: appends per second through
//! `tile::Edge` (batched, tiles kept in `tile::MemoryTiles`), then the mean and 99th percentile
//! time of an inclusion and of a consistency proof read from the tiles at 1,000,000 leaves.
//!
//! ```sh
//! cargo run --release -p ward-log --example bench_tiles
//! ```
//!
//! Durable storage is measured elsewhere (the store's benchmark); this is the pure part.

#![allow(clippy::print_stdout)] // a benchmark reports on stdout

use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ward_log::tile::{self, Edge, MemoryTiles};
use ward_log::{Hash, leaf_hash, verify_consistency, verify_inclusion};

const LEAVES: u64 = 1_000_000;
const BATCH: usize = 1_000;
const PROOFS: usize = 2_000;

fn main() {
    let leaves: Vec<Hash> = (0..LEAVES).map(|i| leaf_hash(&i.to_be_bytes())).collect();

    let mut edge = Edge::new();
    let mut tiles = MemoryTiles::new();
    let start = Instant::now();
    for batch in leaves.chunks(BATCH) {
        for (id, data) in edge.append(batch) {
            tiles.insert(id, data);
        }
    }
    let append = start.elapsed();
    let root = edge.root();
    println!(
        "append: {LEAVES} leaf hashes in batches of {BATCH}: {:.2} s, {:.0} appends/s \
         (Edge::append + MemoryTiles::insert; {} tiles)",
        append.as_secs_f64(),
        LEAVES as f64 / append.as_secs_f64(),
        tiles.len()
    );
    assert_eq!(
        tile::tree_hash(LEAVES, &tiles).expect("the tiles of 1M leaves"),
        root
    );

    let mut rng = StdRng::seed_from_u64(1_000_000);
    let mut times = Vec::with_capacity(PROOFS);
    for _ in 0..PROOFS {
        let index = rng.random_range(0..LEAVES);
        let start = Instant::now();
        let proof = tile::prove_inclusion(index, LEAVES, &tiles).expect("an index below the size");
        times.push(start.elapsed());
        verify_inclusion(index, LEAVES, &leaves[index as usize], &proof, &root)
            .expect("a proof from tiles verifies");
    }
    report("inclusion proof at 1M leaves", &mut times);

    times.clear();
    for _ in 0..PROOFS {
        let old = rng.random_range(1..LEAVES);
        let start = Instant::now();
        let proof = tile::prove_consistency(old, LEAVES, &tiles).expect("sizes in order");
        times.push(start.elapsed());
        let old_root = tile::tree_hash(old, &tiles).expect("an older size");
        verify_consistency(old, LEAVES, &old_root, &root, &proof)
            .expect("a proof from tiles verifies");
    }
    report("consistency proof to 1M leaves", &mut times);
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    let at = |q: usize| times[times.len() * q / 100].as_secs_f64() * 1e6;
    println!(
        "{what}: {} runs, mean {:.1} µs, p50 {:.1} µs, p99 {:.1} µs",
        times.len(),
        mean.as_secs_f64() * 1e6,
        at(50),
        at(99)
    );
}
