//! Tree heads of random trees against `tests/oracles/merkle.py`, an independent Python
//! implementation (bottom-up, where ward-log follows the RFC's recursive split).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ward_log::Tree;

const TREES: usize = 200;

#[test]
fn roots_match_the_python_oracle() {
    if !ward_testkit::reference_available(
        "python3",
        ward_testkit::runs("python3", &["--version"]),
        "install Python 3",
    ) {
        return;
    }
    let mut rng = StdRng::seed_from_u64(0x5eed_9162);
    let mut trees = Vec::new();
    let mut input = String::new();
    for t in 0..TREES {
        // Every size up to 70, then random sizes up to 600: the edges and the bulk.
        let size = if t <= 70 {
            t
        } else {
            rng.random_range(0..=600)
        };
        let leaves: Vec<Vec<u8>> = (0..size)
            .map(|_| {
                let len = rng.random_range(0..=40);
                (0..len).map(|_| rng.random()).collect()
            })
            .collect();
        let hex: Vec<String> = leaves
            .iter()
            .map(|leaf| {
                leaf.iter().fold(String::new(), |mut s, b| {
                    let _ = write!(s, "{b:02x}");
                    s
                })
            })
            .collect();
        input.push_str(&serde_json::to_string(&hex).unwrap());
        input.push('\n');
        trees.push(leaves);
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracles/merkle.py");
    let roots = ward_testkit::run_oracle_lines(Command::new("python3").arg(script), &input);
    assert_eq!(roots.len(), TREES);
    for (leaves, want) in trees.iter().zip(&roots) {
        let mut tree = Tree::new();
        for leaf in leaves {
            tree.push(leaf);
        }
        assert_eq!(
            &tree.root().to_string(),
            want,
            "a tree of {} leaves",
            leaves.len()
        );
    }
    eprintln!("python oracle: {TREES} random trees, every root equal");
}
