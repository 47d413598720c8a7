//! Benchmarks only: see `benches/versions.rs`.
