//! The reference tree of certificate-transparency's `merkle_tree_test.cc` (RFC 6962, whose
//! hashing RFC 9162 keeps): eight leaves and the published tree head of every prefix.

use ward_log::{Tree, leaf_hash, verify_consistency, verify_inclusion};

use crate::hex_hash;

/// The leaves `""`, `00`, `10`, `2021`, `3031`, `40414243`, `5051525354555657`,
/// `606162636465666768696a6b6c6d6e6f`.
pub(crate) fn reference_leaves() -> Vec<Vec<u8>> {
    vec![
        vec![],
        vec![0x00],
        vec![0x10],
        vec![0x20, 0x21],
        vec![0x30, 0x31],
        vec![0x40, 0x41, 0x42, 0x43],
        (0x50..=0x57).collect(),
        (0x60..=0x6f).collect(),
    ]
}

/// The published tree heads of sizes 1 to 8.
pub(crate) const REFERENCE_ROOTS: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

pub(crate) fn reference_tree() -> Tree {
    let mut tree = Tree::new();
    for leaf in reference_leaves() {
        tree.push(&leaf);
    }
    tree
}

#[test]
fn roots_of_every_prefix_are_the_published_ones() {
    let tree = reference_tree();
    for (size, want) in (1..).zip(REFERENCE_ROOTS) {
        assert_eq!(tree.root_at(size).unwrap(), hex_hash(want), "size {size}");
    }
    assert_eq!(
        tree.root_at(0).unwrap().to_string(),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn every_proof_of_the_reference_tree_verifies() {
    let tree = reference_tree();
    let leaves = reference_leaves();
    for n in 1..=8u64 {
        let root = hex_hash(REFERENCE_ROOTS[n as usize - 1]);
        for i in 0..n {
            let proof = tree.inclusion_proof(i, n).unwrap();
            verify_inclusion(i, n, &leaf_hash(&leaves[i as usize]), &proof, &root).unwrap();
        }
        for m in 1..=n {
            let old = hex_hash(REFERENCE_ROOTS[m as usize - 1]);
            let proof = tree.consistency_proof(m, n).unwrap();
            verify_consistency(m, n, &old, &root, &proof).unwrap();
        }
    }
}
