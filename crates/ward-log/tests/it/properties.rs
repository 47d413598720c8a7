//! Properties of random trees of up to 300 leaves: every proof verifies, any single flipped
//! bit (leaf, proof node, root) is detected, a proof of the wrong length is a typed error,
//! and no input makes a verifier panic.

use proptest::prelude::*;
use ward_log::{Error, Hash, Tree, verify_consistency, verify_inclusion};

fn tree(max: usize) -> impl Strategy<Value = Tree> {
    proptest::collection::vec(any::<[u8; 32]>(), 0..=max)
        .prop_map(|leaves| Tree::from_leaf_hashes(leaves.into_iter().map(Hash::new).collect()))
}

/// A tree of at least one leaf, a leaf index and a tree size with `index < size <= leaves`.
fn tree_with_leaf() -> impl Strategy<Value = (Tree, u64, u64)> {
    tree(300)
        .prop_filter("at least one leaf", |t| !t.is_empty())
        .prop_flat_map(|t| {
            let n = t.size();
            (Just(t), 1..=n).prop_flat_map(|(t, size)| (Just(t), 0..size, Just(size)))
        })
}

/// A tree and two sizes `1 <= old <= new <= leaves`.
fn tree_with_sizes() -> impl Strategy<Value = (Tree, u64, u64)> {
    tree(300)
        .prop_filter("at least one leaf", |t| !t.is_empty())
        .prop_flat_map(|t| {
            let n = t.size();
            (Just(t), 1..=n).prop_flat_map(|(t, new)| (Just(t), 1..=new, Just(new)))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn every_inclusion_proof_verifies(tree in tree(300)) {
        let root = tree.root();
        for (index, leaf) in (0..).zip(tree.leaf_hashes()) {
            let proof = tree.inclusion_proof(index, tree.size()).unwrap();
            prop_assert_eq!(verify_inclusion(index, tree.size(), leaf, &proof, &root), Ok(()));
        }
    }

    #[test]
    fn every_consistency_proof_to_the_head_verifies(tree in tree(300)) {
        let n = tree.size();
        let root = tree.root();
        for m in 0..=n {
            let old = tree.root_at(m).unwrap();
            let proof = tree.consistency_proof(m, n).unwrap();
            prop_assert_eq!(verify_consistency(m, n, &old, &root, &proof), Ok(()));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn consistency_between_any_two_sizes_verifies((tree, old, new) in tree_with_sizes()) {
        let (old_root, new_root) = (tree.root_at(old).unwrap(), tree.root_at(new).unwrap());
        let proof = tree.consistency_proof(old, new).unwrap();
        prop_assert_eq!(verify_consistency(old, new, &old_root, &new_root, &proof), Ok(()));
    }

    #[test]
    fn a_flipped_bit_breaks_an_inclusion_proof((tree, index, size) in tree_with_leaf()) {
        let leaf = tree.leaf_hashes()[index as usize];
        let root = tree.root_at(size).unwrap();
        let proof = tree.inclusion_proof(index, size).unwrap();
        for bit in 0..256 {
            let flipped = leaf.with_bit_flipped(bit);
            prop_assert!(verify_inclusion(index, size, &flipped, &proof, &root).is_err());
            let flipped = root.with_bit_flipped(bit);
            prop_assert!(verify_inclusion(index, size, &leaf, &proof, &flipped).is_err());
            for node in 0..proof.len() {
                let mut bad = proof.clone();
                bad[node] = bad[node].with_bit_flipped(bit);
                prop_assert!(verify_inclusion(index, size, &leaf, &bad, &root).is_err());
            }
        }
    }

    #[test]
    fn a_flipped_bit_breaks_a_consistency_proof((tree, old, new) in tree_with_sizes()) {
        let (old_root, new_root) = (tree.root_at(old).unwrap(), tree.root_at(new).unwrap());
        let proof = tree.consistency_proof(old, new).unwrap();
        for bit in 0..256 {
            let flipped = old_root.with_bit_flipped(bit);
            prop_assert!(verify_consistency(old, new, &flipped, &new_root, &proof).is_err());
            let flipped = new_root.with_bit_flipped(bit);
            prop_assert!(verify_consistency(old, new, &old_root, &flipped, &proof).is_err());
            for node in 0..proof.len() {
                let mut bad = proof.clone();
                bad[node] = bad[node].with_bit_flipped(bit);
                prop_assert!(verify_consistency(old, new, &old_root, &new_root, &bad).is_err());
            }
        }
    }

    #[test]
    fn proofs_of_the_wrong_length_are_typed_errors(
        (tree, index, size) in tree_with_leaf(),
        extra in any::<[u8; 32]>(),
    ) {
        let leaf = tree.leaf_hashes()[index as usize];
        let root = tree.root_at(size).unwrap();
        let proof = tree.inclusion_proof(index, size).unwrap();
        let expected = proof.len();
        let mut longer = proof.clone();
        longer.push(Hash::new(extra));
        prop_assert_eq!(
            verify_inclusion(index, size, &leaf, &longer, &root),
            Err(Error::ProofLength { expected, actual: expected + 1 })
        );
        if let Some((_, shorter)) = proof.split_last() {
            prop_assert_eq!(
                verify_inclusion(index, size, &leaf, shorter, &root),
                Err(Error::ProofLength { expected, actual: expected - 1 })
            );
        }
        // The same for the consistency proof from `index + 1` leaves to `size`.
        let old = index + 1;
        let old_root = tree.root_at(old).unwrap();
        let proof = tree.consistency_proof(old, size).unwrap();
        let expected = proof.len();
        let mut longer = proof.clone();
        longer.insert(0, Hash::new(extra));
        prop_assert_eq!(
            verify_consistency(old, size, &old_root, &root, &longer),
            Err(Error::ProofLength { expected, actual: expected + 1 })
        );
        if let Some((_, shorter)) = proof.split_first() {
            prop_assert_eq!(
                verify_consistency(old, size, &old_root, &root, shorter),
                Err(Error::ProofLength { expected, actual: expected - 1 })
            );
        }
    }

    #[test]
    fn verifiers_never_panic(
        index in any::<u64>(),
        size in any::<u64>(),
        small in 0u64..1024,
        hashes in proptest::collection::vec(any::<[u8; 32]>(), 0..80),
    ) {
        let hashes: Vec<Hash> = hashes.into_iter().map(Hash::new).collect();
        let (a, b) = (Hash::new([1; 32]), Hash::new([2; 32]));
        for (i, s) in [(index, size), (small, size), (index, small), (small / 2, small)] {
            let _ = verify_inclusion(i, s, &a, &hashes, &b);
            let _ = verify_consistency(i, s, &a, &b, &hashes);
        }
    }
}

#[test]
fn every_consistency_proof_between_any_two_sizes_up_to_64_verifies() {
    let tree = Tree::from_leaf_hashes((0..64u8).map(|i| ward_log::leaf_hash(&[i])).collect());
    let roots: Vec<Hash> = (0..=64).map(|n| tree.root_at(n).unwrap()).collect();
    for new in 0..=64u64 {
        for old in 0..=new {
            let proof = tree.consistency_proof(old, new).unwrap();
            assert_eq!(
                verify_consistency(old, new, &roots[old as usize], &roots[new as usize], &proof),
                Ok(()),
                "{old} to {new}"
            );
        }
        for index in 0..new {
            let proof = tree.inclusion_proof(index, new).unwrap();
            let leaf = &tree.leaf_hashes()[index as usize];
            assert_eq!(
                verify_inclusion(index, new, leaf, &proof, &roots[new as usize]),
                Ok(())
            );
        }
    }
}
