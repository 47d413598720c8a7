//! ward-log's integration tests: one binary, one module per concern.
//!
//! - `reference`: the RFC 6962 reference tree of certificate-transparency (eight leaves,
//!   the published roots of sizes 1 to 8).
//! - `vectors`: transparency-dev/merkle's inclusion and consistency test vectors, from
//!   `../shared/data/merkle-vectors` (or `$WARD_SHARED_DATA`): every valid proof verifies,
//!   every invalid one is refused.
//! - `properties`: proptest over random trees of up to 300 leaves: every proof verifies, a
//!   flipped bit anywhere is detected, a proof of the wrong length is a typed error.
//! - `note`, `checkpoint`: signed notes and checkpoints against Go's sumdb/note and
//!   transparency-dev/formats test keys, signatures and malformed cases; flipped bits refused.
//! - `tiles`: logs appended through `tile::Edge` in random batches into memory: tree heads and
//!   proofs read from tiles equal `Tree`'s, tiles equal C2SP's formula, flipped bits caught,
//!   paths and entry bundles round-trip.
//! - `oracle`: roots of random trees against an independent Python implementation
//!   (`tests/oracles/merkle.py`, hashlib only).
//!
//! Suites that need something outside the repository skip with a printed reason when it is
//! missing, unless `WARD_REQUIRE_SHARED_DATA=1` / `WARD_REQUIRE_REFERENCE=1` make them
//! required.

#![allow(clippy::unwrap_used)]
#![allow(clippy::print_stderr)] // suites report how many cases they ran

mod checkpoint;
mod note;
mod oracle;
mod properties;
mod reference;
mod tiles;
mod vectors;

use ward_log::Hash;

/// A hash from 64 hex digits.
pub(crate) fn hex_hash(hex: &str) -> Hash {
    assert_eq!(hex.len(), 64, "{hex}");
    let mut bytes = [0u8; 32];
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    Hash::new(bytes)
}
