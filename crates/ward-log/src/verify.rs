//! Proof verification, step by step as RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2
//! (consistency) write it.
//!
//! Before running the RFC's loop, each verifier checks the proof's length against the one the
//! index and sizes call for, so that a truncated or padded proof gets
//! [`Error::ProofLength`] rather than a hash mismatch; the RFC's own shape checks stay in the
//! loop as a second line. Consistency between equal sizes, or from the empty tree, is outside
//! §2.1.4 (which defines proofs for `0 < m < n`): there the proof must be empty and the roots
//! must be equal, or the old root must be the empty tree's, as transparency-dev/merkle does.

use crate::hash::{empty_root, node_hash};
use crate::{Error, Hash};

/// Verifies that `leaf` is the leaf hash at `index` in the tree of `size` leaves whose head
/// is `root`, given the inclusion proof `proof` (RFC 9162 §2.1.3.2).
///
/// # Errors
///
/// [`Error::IndexOutOfRange`] when `index >= size`, [`Error::ProofLength`] when the proof
/// does not have the length `index` and `size` call for, [`Error::InclusionMismatch`] when
/// it does not lead to `root`.
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), Error> {
    // Step 1.
    if index >= size {
        return Err(Error::IndexOutOfRange { index, size });
    }
    let expected = inclusion_proof_len(index, size);
    let wrong_length = Error::ProofLength {
        expected,
        actual: proof.len(),
    };
    if proof.len() != expected {
        return Err(wrong_length);
    }
    // Steps 2 and 3.
    let (mut f_n, mut s_n) = (index, size - 1);
    let mut r = *leaf;
    // Step 4.
    for p in proof {
        if s_n == 0 {
            return Err(wrong_length);
        }
        if f_n & 1 == 1 || f_n == s_n {
            r = node_hash(p, &r);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    // Step 5.
    if s_n != 0 {
        return Err(wrong_length);
    }
    if r != *root {
        return Err(Error::InclusionMismatch {
            computed: r,
            expected: *root,
        });
    }
    Ok(())
}

/// Verifies that the tree of `new_size` leaves with head `new_root` extends the tree of
/// `old_size` leaves with head `old_root`, given the consistency proof `proof`
/// (RFC 9162 §2.1.4.2).
///
/// # Errors
///
/// [`Error::SizesReversed`] when `old_size > new_size`, [`Error::ProofLength`] when the proof
/// does not have the length the sizes call for, [`Error::OldRootMismatch`] or
/// [`Error::NewRootMismatch`] when it does not lead to the roots given.
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), Error> {
    if old_size > new_size {
        return Err(Error::SizesReversed {
            old: old_size,
            new: new_size,
        });
    }
    let expected = consistency_proof_len(old_size, new_size);
    let wrong_length = Error::ProofLength {
        expected,
        actual: proof.len(),
    };
    if proof.len() != expected {
        return Err(wrong_length);
    }
    if old_size == 0 && *old_root != empty_root() {
        return Err(Error::OldRootMismatch {
            computed: empty_root(),
            expected: *old_root,
        });
    }
    if old_size == new_size {
        return match old_root == new_root {
            true => Ok(()),
            false => Err(Error::NewRootMismatch {
                computed: *old_root,
                expected: *new_root,
            }),
        };
    }
    if old_size == 0 {
        // Every tree extends the empty one.
        return Ok(());
    }
    // Step 1: the proof is not empty (its length was checked: at least one hash for
    // 0 < old_size < new_size). Step 2: when the old size is a power of two, the old root
    // is the first node of the path.
    let seed = old_size.is_power_of_two().then_some(*old_root);
    let mut path = seed.iter().chain(proof);
    let Some(first) = path.next() else {
        return Err(wrong_length);
    };
    // Steps 3 and 4.
    let (mut f_n, mut s_n) = (old_size - 1, new_size - 1);
    while f_n & 1 == 1 {
        f_n >>= 1;
        s_n >>= 1;
    }
    // Step 5.
    let (mut f_r, mut s_r) = (*first, *first);
    // Step 6.
    for c in path {
        if s_n == 0 {
            return Err(wrong_length);
        }
        if f_n & 1 == 1 || f_n == s_n {
            f_r = node_hash(c, &f_r);
            s_r = node_hash(c, &s_r);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            s_r = node_hash(&s_r, c);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    // Step 7.
    if s_n != 0 {
        return Err(wrong_length);
    }
    if f_r != *old_root {
        return Err(Error::OldRootMismatch {
            computed: f_r,
            expected: *old_root,
        });
    }
    if s_r != *new_root {
        return Err(Error::NewRootMismatch {
            computed: s_r,
            expected: *new_root,
        });
    }
    Ok(())
}

/// The number of hashes in the inclusion proof of leaf `index < size`: the levels where the
/// leaf's path and the last leaf's path part (`inner`), then one per complete left subtree
/// above them (`border`).
fn inclusion_proof_len(index: u64, size: u64) -> usize {
    let inner = u64::BITS - (index ^ (size - 1)).leading_zeros();
    let border = index.checked_shr(inner).unwrap_or(0).count_ones();
    (inner + border) as usize
}

/// The number of hashes in the consistency proof from `old_size` to `new_size`: the inclusion
/// proof of the largest complete subtree ending at `old_size`, in the tree counted in such
/// subtrees, plus that subtree's own hash unless it is the whole old tree.
fn consistency_proof_len(old_size: u64, new_size: u64) -> usize {
    if old_size == 0 || old_size == new_size {
        return 0;
    }
    let level = old_size.trailing_zeros();
    let index = (old_size - 1) >> level;
    let size = ((new_size - 1) >> level) + 1;
    inclusion_proof_len(index, size) + usize::from(index != 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Tree, leaf_hash};

    #[test]
    fn proof_lengths_match_the_generated_proofs() {
        let tree = Tree::from_leaf_hashes((0..40u8).map(|i| leaf_hash(&[i])).collect());
        for n in 1..=tree.size() {
            for i in 0..n {
                let proof = tree.inclusion_proof(i, n).expect("in range");
                assert_eq!(inclusion_proof_len(i, n), proof.len(), "index {i} size {n}");
            }
            for m in 0..=n {
                let proof = tree.consistency_proof(m, n).expect("in range");
                assert_eq!(consistency_proof_len(m, n), proof.len(), "{m} to {n}");
            }
        }
    }

    #[test]
    fn extreme_sizes_do_not_overflow() {
        let h = leaf_hash(b"");
        assert!(verify_inclusion(u64::MAX - 1, u64::MAX, &h, &[], &h).is_err());
        assert!(verify_inclusion(0, u64::MAX, &h, &[h; 64], &h).is_err());
        assert!(verify_consistency(u64::MAX - 1, u64::MAX, &h, &h, &[h; 3]).is_err());
        assert!(verify_consistency(1 << 63, u64::MAX, &h, &h, &[h; 63]).is_err());
    }
}
