//! Tree heads and proofs made from the leaf hashes, by the recursive definitions of RFC 9162
//! §2.1.1 (`MTH`), §2.1.3.1 (`PATH`) and §2.1.4.1 (`SUBPROOF`).
//!
//! The functions take the leaf hashes `D[0:n]` as a slice, so any prefix of a longer log is a
//! tree of its own; [`Tree`] holds the leaf hashes of a growing log and answers for any size
//! it has reached. Proof generation hashes each subtree once per call: O(n) per proof, which
//! is what a pure, storage-free tree can do (the tiled store of the log will cache inner
//! nodes).

use crate::hash::{empty_root, leaf_hash, node_hash};
use crate::{Error, Hash};

/// The leaf hashes of an append-only log, from which tree heads and proofs are made for any
/// size the log has reached.
///
/// ```
/// use ward_log::{Tree, verify_inclusion};
///
/// let mut tree = Tree::new();
/// for entry in [&b"a"[..], b"b", b"c"] {
///     tree.push(entry);
/// }
/// let proof = tree.inclusion_proof(1, 3)?;
/// verify_inclusion(1, 3, &ward_log::leaf_hash(b"b"), &proof, &tree.root())?;
/// # Ok::<(), ward_log::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tree {
    leaves: Vec<Hash>,
}

impl Tree {
    /// The empty tree.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A tree of these leaf hashes, in order.
    #[must_use]
    pub fn from_leaf_hashes(leaves: Vec<Hash>) -> Self {
        Self { leaves }
    }

    /// Appends an entry (hashed as a leaf, `SHA-256(0x00 || entry)`); returns its index.
    pub fn push(&mut self, entry: &[u8]) -> u64 {
        self.push_leaf_hash(leaf_hash(entry))
    }

    /// Appends an already hashed leaf; returns its index.
    pub fn push_leaf_hash(&mut self, leaf: Hash) -> u64 {
        self.leaves.push(leaf);
        self.size() - 1
    }

    /// The number of leaves.
    #[must_use]
    pub fn size(&self) -> u64 {
        // A usize always fits in a u64 on the platforms Rust supports.
        self.leaves.len() as u64
    }

    /// Whether the tree has no leaves.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.leaves.is_empty()
    }

    /// The leaf hashes, in order.
    #[must_use]
    pub fn leaf_hashes(&self) -> &[Hash] {
        &self.leaves
    }

    /// The tree head of all the leaves.
    #[must_use]
    pub fn root(&self) -> Hash {
        root(&self.leaves)
    }

    /// The tree head of the first `size` leaves.
    ///
    /// # Errors
    ///
    /// [`Error::SizeBeyondTree`] when the tree has fewer than `size` leaves.
    pub fn root_at(&self, size: u64) -> Result<Hash, Error> {
        Ok(root(self.prefix(size)?))
    }

    /// The inclusion proof of leaf `index` in the tree of the first `size` leaves.
    ///
    /// # Errors
    ///
    /// [`Error::SizeBeyondTree`] when the tree has fewer than `size` leaves,
    /// [`Error::IndexOutOfRange`] when `index >= size`.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, Error> {
        inclusion_proof(self.prefix(size)?, index)
    }

    /// The consistency proof from the tree of the first `old_size` leaves to the tree of the
    /// first `new_size`.
    ///
    /// # Errors
    ///
    /// [`Error::SizeBeyondTree`] when the tree has fewer than `new_size` leaves,
    /// [`Error::SizesReversed`] when `old_size > new_size`.
    pub fn consistency_proof(&self, old_size: u64, new_size: u64) -> Result<Vec<Hash>, Error> {
        consistency_proof(self.prefix(new_size)?, old_size)
    }

    fn prefix(&self, size: u64) -> Result<&[Hash], Error> {
        usize::try_from(size)
            .ok()
            .and_then(|n| self.leaves.get(..n))
            .ok_or(Error::SizeBeyondTree {
                size,
                len: self.size(),
            })
    }
}

/// The Merkle tree hash `MTH(D[n])` of these leaf hashes (RFC 9162 §2.1.1); of none, the
/// hash of the empty string.
#[must_use]
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves {
        [] => empty_root(),
        leaves => subtree_root(leaves),
    }
}

/// The inclusion proof `PATH(index, D[n])` of leaf `index` in the tree of these leaf hashes
/// (RFC 9162 §2.1.3.1), ordered from the leaf's sibling up to the root's child.
///
/// # Errors
///
/// [`Error::IndexOutOfRange`] when `index` is not below the number of leaves.
pub fn inclusion_proof(leaves: &[Hash], index: u64) -> Result<Vec<Hash>, Error> {
    let m = usize::try_from(index)
        .ok()
        .filter(|&m| m < leaves.len())
        .ok_or(Error::IndexOutOfRange {
            index,
            size: leaves.len() as u64,
        })?;
    let mut proof = Vec::new();
    path(m, leaves, &mut proof);
    Ok(proof)
}

/// The consistency proof `PROOF(old_size, D[n])` between the tree of the first `old_size`
/// leaf hashes and the tree of all of them (RFC 9162 §2.1.4.1). Empty when `old_size` is 0 or
/// the number of leaves, where the RFC defines no proof and none is needed.
///
/// # Errors
///
/// [`Error::SizesReversed`] when `old_size` is larger than the number of leaves.
pub fn consistency_proof(leaves: &[Hash], old_size: u64) -> Result<Vec<Hash>, Error> {
    let m = usize::try_from(old_size)
        .ok()
        .filter(|&m| m <= leaves.len())
        .ok_or(Error::SizesReversed {
            old: old_size,
            new: leaves.len() as u64,
        })?;
    let mut proof = Vec::new();
    if m > 0 {
        subproof(m, leaves, true, &mut proof);
    }
    Ok(proof)
}

/// `MTH` of a non-empty slice.
fn subtree_root(leaves: &[Hash]) -> Hash {
    match leaves {
        [] => empty_root(),
        [leaf] => *leaf,
        leaves => {
            let (left, right) = leaves.split_at(split_point(leaves.len()));
            node_hash(&subtree_root(left), &subtree_root(right))
        }
    }
}

/// `PATH(m, D[n])`, appended to `proof`; `m < leaves.len()`.
fn path(m: usize, leaves: &[Hash], proof: &mut Vec<Hash>) {
    if leaves.len() <= 1 {
        return;
    }
    let (left, right) = leaves.split_at(split_point(leaves.len()));
    if m < left.len() {
        path(m, left, proof);
        proof.push(subtree_root(right));
    } else {
        path(m - left.len(), right, proof);
        proof.push(subtree_root(left));
    }
}

/// `SUBPROOF(m, D[n], b)`, appended to `proof`; `0 < m <= leaves.len()`.
fn subproof(m: usize, leaves: &[Hash], complete: bool, proof: &mut Vec<Hash>) {
    if m == leaves.len() {
        if !complete {
            proof.push(subtree_root(leaves));
        }
        return;
    }
    let (left, right) = leaves.split_at(split_point(leaves.len()));
    if m <= left.len() {
        subproof(m, left, complete, proof);
        proof.push(subtree_root(right));
    } else {
        subproof(m - left.len(), right, false, proof);
        proof.push(subtree_root(left));
    }
}

/// `k`, the largest power of two smaller than `n`, for `n >= 2` (RFC 9162 §2.1.1).
fn split_point(n: usize) -> usize {
    debug_assert!(n >= 2, "only trees of two leaves or more are split");
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_point_is_the_largest_power_of_two_below() {
        let got: Vec<usize> = (2..=9).map(split_point).collect();
        assert_eq!(got, [1, 2, 2, 4, 4, 4, 4, 8]);
    }

    #[test]
    fn sizes_beyond_the_tree_are_refused() {
        let tree = Tree::from_leaf_hashes(vec![leaf_hash(b"a")]);
        assert_eq!(
            tree.root_at(2),
            Err(Error::SizeBeyondTree { size: 2, len: 1 })
        );
        assert_eq!(
            tree.inclusion_proof(1, 1),
            Err(Error::IndexOutOfRange { index: 1, size: 1 })
        );
        assert_eq!(
            tree.consistency_proof(1, u64::MAX),
            Err(Error::SizeBeyondTree {
                size: u64::MAX,
                len: 1
            })
        );
        assert_eq!(
            consistency_proof(tree.leaf_hashes(), 2),
            Err(Error::SizesReversed { old: 2, new: 1 })
        );
    }
}
