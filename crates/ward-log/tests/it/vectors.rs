//! transparency-dev/merkle's proof test vectors (`merkle-vectors/testdata/{inclusion,
//! consistency}/*/*.json` in the shared data): one case per file, `wantErr` saying whether
//! the proof must be refused.
//!
//! A hash in a vector that is not 32 bytes long is refused by [`Hash::from_slice`] before any
//! verification, which counts as a refusal. One valid upstream case
//! (`sizes-are-equal-one-and-proof-is-empty`) compares two equal 11-byte "roots": Go's
//! verifier takes any byte string, ward's [`Hash`] only SHA-256 values, so that case is
//! counted apart and must be refused with [`Error::HashLength`].

use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use ward_log::{Error, Hash, verify_consistency, verify_inclusion};

use crate::hex_hash;
use crate::reference::{REFERENCE_ROOTS, reference_tree};

#[derive(Default, Debug)]
struct Counts {
    valid: usize,
    invalid: usize,
    /// Of the invalid ones, those refused already for a hash that is not 32 bytes long.
    invalid_hash_length: usize,
    /// Valid upstream, with hashes that are not 32 bytes: refused by ward's `Hash`.
    not_sha256: usize,
    /// Happy paths whose proof ward also generated from the reference tree, hash for hash.
    generated: usize,
}

fn vector_files(kind: &str) -> Option<(PathBuf, Vec<PathBuf>)> {
    let data = ward_testkit::shared_data()?;
    let dir = data.join("merkle-vectors/testdata").join(kind);
    let files: Vec<PathBuf> = ward_testkit::files_under(&dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    Some((dir, files))
}

fn read(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn hash(value: &Value) -> Result<Hash, Error> {
    let bytes = STANDARD.decode(value.as_str().unwrap()).unwrap();
    Hash::from_slice(&bytes)
}

fn proof(case: &Value) -> Result<Vec<Hash>, Error> {
    match &case["proof"] {
        Value::Null => Ok(Vec::new()),
        Value::Array(nodes) => nodes.iter().map(hash).collect(),
        other => panic!("proof is {other}"),
    }
}

fn size(case: &Value, key: &str) -> u64 {
    case[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} in {case}"))
}

/// Checks one case's outcome against `wantErr`, counting it.
fn check(name: &str, case: &Value, outcome: Result<(), Error>, counts: &mut Counts) {
    let want_err = case["wantErr"].as_bool().unwrap();
    match (want_err, outcome) {
        (false, Ok(())) => counts.valid += 1,
        (false, Err(Error::HashLength { len })) if len != 32 => counts.not_sha256 += 1,
        (false, Err(e)) => panic!("{name} ({}) must verify: {e}", case["desc"]),
        (true, Err(e)) => {
            counts.invalid += 1;
            counts.invalid_hash_length += usize::from(matches!(e, Error::HashLength { .. }));
        }
        (true, Ok(())) => panic!("{name} ({}) must be refused", case["desc"]),
    }
}

fn report(kind: &str, counts: &Counts) {
    eprintln!(
        "merkle-vectors {kind}: {} valid verified, {} invalid refused ({} of them for a hash \
         that is not 32 bytes), {} valid upstream but with non-SHA-256 hashes (refused), {} \
         proofs regenerated identically",
        counts.valid,
        counts.invalid,
        counts.invalid_hash_length,
        counts.not_sha256,
        counts.generated
    );
    assert!(counts.valid > 0, "{kind}: {counts:?}");
    assert!(
        counts.invalid > counts.invalid_hash_length,
        "{kind}: {counts:?}"
    );
    assert!(counts.not_sha256 <= 1, "{kind}: {counts:?}");
}

#[test]
fn inclusion_vectors() {
    let Some((dir, files)) = vector_files("inclusion") else {
        return;
    };
    let tree = reference_tree();
    let mut counts = Counts::default();
    for path in &files {
        let name = ward_testkit::relative(&dir, path);
        let case = read(path);
        let (index, size) = (size(&case, "leafIdx"), size(&case, "treeSize"));
        let outcome = (|| {
            let (leaf, root, proof) = (
                hash(&case["leafHash"])?,
                hash(&case["root"])?,
                proof(&case)?,
            );
            verify_inclusion(index, size, &leaf, &proof, &root)?;
            // A valid proof in the reference tree must be the one ward generates.
            if (1..=8).contains(&size) && root == hex_hash(REFERENCE_ROOTS[size as usize - 1]) {
                assert_eq!(tree.inclusion_proof(index, size).unwrap(), proof, "{name}");
                counts.generated += 1;
            }
            Ok(())
        })();
        check(&name, &case, outcome, &mut counts);
    }
    report("inclusion", &counts);
}

#[test]
fn consistency_vectors() {
    let Some((dir, files)) = vector_files("consistency") else {
        return;
    };
    let tree = reference_tree();
    let mut counts = Counts::default();
    for path in &files {
        let name = ward_testkit::relative(&dir, path);
        let case = read(path);
        let (old, new) = (size(&case, "size1"), size(&case, "size2"));
        let outcome = (|| {
            let (root1, root2, proof) =
                (hash(&case["root1"])?, hash(&case["root2"])?, proof(&case)?);
            verify_consistency(old, new, &root1, &root2, &proof)?;
            if (1..=8).contains(&new) && root2 == hex_hash(REFERENCE_ROOTS[new as usize - 1]) {
                assert_eq!(tree.consistency_proof(old, new).unwrap(), proof, "{name}");
                counts.generated += 1;
            }
            Ok(())
        })();
        check(&name, &case, outcome, &mut counts);
    }
    report("consistency", &counts);
}
