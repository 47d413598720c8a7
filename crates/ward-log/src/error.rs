//! Why a tree operation or a proof was refused.

use crate::Hash;

/// A refused operation or a proof that does not verify. Every malformed input ends here:
/// nothing in this crate panics on what a caller or a remote log hands it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Bytes meant as a hash are not 32 bytes long.
    #[error("a hash must be 32 bytes long, not {len}")]
    HashLength {
        /// The length received.
        len: usize,
    },
    /// An inclusion proof was asked or given for a leaf that is not in the tree.
    #[error("leaf index {index} is not below the tree size {size}")]
    IndexOutOfRange {
        /// The leaf index.
        index: u64,
        /// The tree size.
        size: u64,
    },
    /// A tree head or proof was asked for more leaves than the tree holds.
    #[error("tree size {size} is larger than the {len} leaves the tree holds")]
    SizeBeyondTree {
        /// The size asked for.
        size: u64,
        /// The number of leaves held.
        len: u64,
    },
    /// A consistency proof between an older size larger than the newer one.
    #[error("the old tree size {old} is larger than the new tree size {new}")]
    SizesReversed {
        /// The old (first) size.
        old: u64,
        /// The new (second) size.
        new: u64,
    },
    /// A proof with more or fewer hashes than its sizes call for.
    #[error("the proof has {actual} hashes where {expected} are expected")]
    ProofLength {
        /// The number the leaf index and tree sizes call for.
        expected: usize,
        /// The number given.
        actual: usize,
    },
    /// An inclusion proof that, applied to the leaf hash, does not lead to the tree head.
    #[error("the inclusion proof leads to the root {computed}, not to {expected}")]
    InclusionMismatch {
        /// The root the proof leads to.
        computed: Hash,
        /// The root given.
        expected: Hash,
    },
    /// A consistency proof that does not lead to the old tree head.
    #[error("the consistency proof leads to the old root {computed}, not to {expected}")]
    OldRootMismatch {
        /// The old root the proof leads to.
        computed: Hash,
        /// The old root given.
        expected: Hash,
    },
    /// A consistency proof that does not lead to the new tree head.
    #[error("the consistency proof leads to the new root {computed}, not to {expected}")]
    NewRootMismatch {
        /// The new root the proof leads to.
        computed: Hash,
        /// The new root given.
        expected: Hash,
    },
    /// A tile path that is not one C2SP tlog-tiles defines.
    #[error("not a tile path: {reason}")]
    TilePath {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A tile the tree needs is not in the source.
    #[error("tile {path} is missing")]
    TileMissing {
        /// The tile's path.
        path: String,
    },
    /// A tile of the wrong length, or unreadable.
    #[error("tile {path} is malformed: {reason}")]
    TileMalformed {
        /// The tile's path.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An entry too long for an entry bundle (more than 65,535 bytes).
    #[error("a log entry is {len} bytes long; at most 65535 fit an entry bundle")]
    EntryTooLong {
        /// Its length.
        len: usize,
    },
    /// A malformed entry bundle.
    #[error("malformed entry bundle: {reason}")]
    EntryBundle {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A malformed key, note or checkpoint.
    #[error("malformed {what}: {reason}")]
    Malformed {
        /// `verifier key`, `signer key`, `note`, `checkpoint`.
        what: &'static str,
        /// What is wrong with it, never quoting the input.
        reason: String,
    },
    /// A note or checkpoint without a valid signature by the expected key.
    #[error("{0}")]
    Signature(String),
    /// A checkpoint whose origin is not the name of the key that signs or opens it.
    #[error("the checkpoint's origin is not the key name {expected}")]
    Origin {
        /// The key's name, which the origin must be.
        expected: String,
    },
    /// A stored hash asked for at a level and index the tree of `size` leaves does not reach.
    #[error("no stored hash {index} at level {level} in a tree of {size} leaves")]
    StoredHashOutOfRange {
        /// The tile level.
        level: u8,
        /// The index of the hash at that level.
        index: u64,
        /// The tree size.
        size: u64,
    },
}
