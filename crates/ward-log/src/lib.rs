//! The Merkle tree of ward's transparency log, exactly as RFC 9162 §2.1 defines it.
//!
//! - [`leaf_hash`] and [`node_hash`]: SHA-256 with the `0x00` (leaf) and `0x01` (node)
//!   prefixes; [`Hash`](struct@Hash) is a 32-byte value.
//! - [`root`] and [`Tree::root_at`]: the tree head of the first `n` leaves, for any `n`.
//! - [`inclusion_proof`] / [`Tree::inclusion_proof`] and [`verify_inclusion`]: that a leaf is
//!   in a tree (§2.1.3).
//! - [`consistency_proof`] / [`Tree::consistency_proof`] and [`verify_consistency`]: that a
//!   tree extends an older one, nothing rewritten (§2.1.4).
//! - [`tile`]: the log as C2SP tlog tiles: tile paths, tree heads and proofs read from any
//!   [`tile::TileSource`] (equal to [`Tree`]'s), and [`tile::Edge`], the right edge an appender
//!   holds to know which tiles a batch of leaves changes; entry bundles.
//! - [`note`] and [`Checkpoint`]: C2SP signed notes with Ed25519 keys (byte-compatible with
//!   Go's `sumdb/note`) and the tlog-checkpoint tree heads they carry.
//! - [`audit`]: a full audit of a tiled log against its checkpoint, naming the first
//!   inconsistent entry.
//!
//! Pure: no I/O, no async, no panics on any input; every refusal is an [`Error`]. Where tiles
//! are kept (a database, files, HTTP) is the caller's [`tile::TileSource`]; the only outside
//! input is the operating system's randomness in [`note::NoteSigner::generate`].
//!
//! ```
//! use ward_log::{Tree, leaf_hash, verify_consistency, verify_inclusion};
//!
//! let mut tree = Tree::new();
//! for entry in ["advisory v1", "advisory v2", "release 1.0 signature"] {
//!     tree.push(entry.as_bytes());
//! }
//! let old_root = tree.root_at(2)?;
//! tree.push(b"advisory v3");
//! let root = tree.root();
//!
//! // A client holding the size-2 head checks that the log only grew...
//! let proof = tree.consistency_proof(2, 4)?;
//! verify_consistency(2, 4, &old_root, &root, &proof)?;
//!
//! // ...and that its entry is in it.
//! let proof = tree.inclusion_proof(2, 4)?;
//! verify_inclusion(2, 4, &leaf_hash(b"release 1.0 signature"), &proof, &root)?;
//!
//! // A proof cut short is refused with a typed error, not a panic.
//! assert!(matches!(
//!     verify_inclusion(2, 4, &leaf_hash(b"release 1.0 signature"), &proof[1..], &root),
//!     Err(ward_log::Error::ProofLength { expected: 2, actual: 1 })
//! ));
//! # Ok::<(), ward_log::Error>(())
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod audit;
mod checkpoint;
mod error;
mod hash;
pub mod note;
pub mod tile;
mod tree;
mod verify;

pub use checkpoint::Checkpoint;
pub use error::Error;
pub use hash::{Hash, empty_root, leaf_hash, node_hash};
pub use tree::{Tree, consistency_proof, inclusion_proof, root};
pub use verify::{verify_consistency, verify_inclusion};
