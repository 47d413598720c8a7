//! CVSS scores against the reference Python `cvss` library (Red Hat's, PyPI 3.6), run through
//! `tests/oracles/cvss_score.py` on at least 10,000 random valid vectors per version (a seeded
//! RNG, so a failure reproduces).
//!
//! What is compared (see `ward_desk::severity` for why):
//! - CVSS 3.1: the score ward gives is the reference's environmental score when the vector
//!   sets an environmental metric to something other than `X`, else its temporal score when
//!   it sets a temporal one, else its base score. The generator knows which it set.
//! - CVSS 4.0: the one score (`CVSS4(v).base_score`, CVSS-B/BT/BE/BTE).
//!
//! Every vector is also checked to normalise stably: the normalised vector parses to itself
//! and scores the same.

use std::path::{Path, PathBuf};
use std::process::Command;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use ward_desk::severity::{Cvss, CvssVersion};

const CASES: usize = 10_000;

fn python_path() -> PathBuf {
    ward_testkit::reference_dir().join("python")
}

fn available() -> bool {
    let installed = python_path().join("cvss/cvss4.py").is_file()
        && Command::new("python3")
            .args([
                "-c",
                "import importlib.metadata as m, sys; sys.exit(m.version('cvss') != '3.6')",
            ])
            .env("PYTHONPATH", python_path())
            .status()
            .is_ok_and(|s| s.success());
    ward_testkit::reference_available(
        "the Python cvss library 3.6",
        installed,
        &format!(
            "python3 with cvss==3.6 under $WARD_REFERENCE_DIR/python; {}",
            ward_testkit::INSTALLED_BY_CI
        ),
    )
}

fn oracle(vectors: &[String]) -> Vec<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracles/cvss_score.py");
    let input: String = vectors.iter().map(|v| format!("{v}\n")).collect();
    let answers = ward_testkit::run_oracle_lines(
        Command::new("python3")
            .arg(script)
            .env("PYTHONPATH", python_path()),
        &input,
    );
    assert_eq!(answers.len(), vectors.len(), "one answer per vector");
    answers
}

/// A generated vector and which of the reference's scores ward's must equal.
struct Case {
    vector: String,
    /// Index into the reference's answer: 0 base, 1 temporal, 2 environmental (CVSS 3.1);
    /// always 0 for CVSS 4.0.
    expected: usize,
}

fn pick<'a>(rng: &mut StdRng, values: &[&'a str]) -> &'a str {
    values[rng.random_range(0..values.len())]
}

/// Adds each optional metric with probability `p`; whether one was set to a defined value.
fn optional(rng: &mut StdRng, p: f64, metrics: &[(&str, &[&str])], out: &mut Vec<String>) -> bool {
    let mut defined = false;
    for (key, values) in metrics {
        if rng.random_bool(p) {
            let value = pick(rng, values);
            defined |= value != "X";
            out.push(format!("{key}:{value}"));
        }
    }
    defined
}

fn finish(rng: &mut StdRng, prefix: &str, mut metrics: Vec<String>) -> String {
    // The specification orders metrics; both implementations read any order, and ward
    // writes the canonical one.
    if rng.random_bool(0.2) {
        metrics.shuffle(rng);
    }
    format!("{prefix}/{}", metrics.join("/"))
}

fn v3_case(rng: &mut StdRng) -> Case {
    const BASE: &[(&str, &[&str])] = &[
        ("AV", &["N", "A", "L", "P"]),
        ("AC", &["L", "H"]),
        ("PR", &["N", "L", "H"]),
        ("UI", &["N", "R"]),
        ("S", &["U", "C"]),
        ("C", &["H", "L", "N"]),
        ("I", &["H", "L", "N"]),
        ("A", &["H", "L", "N"]),
    ];
    const TEMPORAL: &[(&str, &[&str])] = &[
        ("E", &["X", "U", "P", "F", "H"]),
        ("RL", &["X", "O", "T", "W", "U"]),
        ("RC", &["X", "U", "R", "C"]),
    ];
    const ENVIRONMENTAL: &[(&str, &[&str])] = &[
        ("CR", &["X", "L", "M", "H"]),
        ("IR", &["X", "L", "M", "H"]),
        ("AR", &["X", "L", "M", "H"]),
        ("MAV", &["X", "N", "A", "L", "P"]),
        ("MAC", &["X", "L", "H"]),
        ("MPR", &["X", "N", "L", "H"]),
        ("MUI", &["X", "N", "R"]),
        ("MS", &["X", "U", "C"]),
        ("MC", &["X", "N", "L", "H"]),
        ("MI", &["X", "N", "L", "H"]),
        ("MA", &["X", "N", "L", "H"]),
    ];
    let mut metrics: Vec<String> = BASE
        .iter()
        .map(|(key, values)| format!("{key}:{}", pick(rng, values)))
        .collect();
    let temporal_p = [0.0, 0.3, 0.8][rng.random_range(0..3)];
    let environmental_p = [0.0, 0.15, 0.6][rng.random_range(0..3)];
    let temporal = optional(rng, temporal_p, TEMPORAL, &mut metrics);
    let environmental = optional(rng, environmental_p, ENVIRONMENTAL, &mut metrics);
    Case {
        vector: finish(rng, "CVSS:3.1", metrics),
        expected: if environmental {
            2
        } else if temporal {
            1
        } else {
            0
        },
    }
}

fn v4_case(rng: &mut StdRng) -> Case {
    const IMPACT: &[&str] = &["H", "L", "N"];
    const BASE: &[(&str, &[&str])] = &[
        ("AV", &["N", "A", "L", "P"]),
        ("AC", &["L", "H"]),
        ("AT", &["N", "P"]),
        ("PR", &["N", "L", "H"]),
        ("UI", &["N", "P", "A"]),
        ("VC", IMPACT),
        ("VI", IMPACT),
        ("VA", IMPACT),
        ("SC", IMPACT),
        ("SI", IMPACT),
        ("SA", IMPACT),
    ];
    const THREAT: &[(&str, &[&str])] = &[("E", &["X", "A", "P", "U"])];
    const MODIFIED_IMPACT: &[&str] = &["X", "H", "L", "N"];
    const SAFETY_IMPACT: &[&str] = &["X", "S", "H", "L", "N"];
    const ENVIRONMENTAL: &[(&str, &[&str])] = &[
        ("CR", &["X", "H", "M", "L"]),
        ("IR", &["X", "H", "M", "L"]),
        ("AR", &["X", "H", "M", "L"]),
        ("MAV", &["X", "N", "A", "L", "P"]),
        ("MAC", &["X", "L", "H"]),
        ("MAT", &["X", "N", "P"]),
        ("MPR", &["X", "N", "L", "H"]),
        ("MUI", &["X", "N", "P", "A"]),
        ("MVC", MODIFIED_IMPACT),
        ("MVI", MODIFIED_IMPACT),
        ("MVA", MODIFIED_IMPACT),
        ("MSC", MODIFIED_IMPACT),
        ("MSI", SAFETY_IMPACT),
        ("MSA", SAFETY_IMPACT),
    ];
    const SUPPLEMENTAL: &[(&str, &[&str])] = &[
        ("S", &["X", "N", "P"]),
        ("AU", &["X", "N", "Y"]),
        ("R", &["X", "A", "U", "I"]),
        ("V", &["X", "D", "C"]),
        ("RE", &["X", "L", "M", "H"]),
        ("U", &["X", "Clear", "Green", "Amber", "Red"]),
    ];
    let mut metrics: Vec<String> = BASE
        .iter()
        .map(|(key, values)| format!("{key}:{}", pick(rng, values)))
        .collect();
    let threat_p = [0.0, 0.7][rng.random_range(0..2)];
    let environmental_p = [0.0, 0.15, 0.6][rng.random_range(0..3)];
    let supplemental_p = [0.0, 0.3][rng.random_range(0..2)];
    optional(rng, threat_p, THREAT, &mut metrics);
    optional(rng, environmental_p, ENVIRONMENTAL, &mut metrics);
    optional(rng, supplemental_p, SUPPLEMENTAL, &mut metrics);
    Case {
        vector: finish(rng, "CVSS:4.0", metrics),
        expected: 0,
    }
}

fn cross_check(version: CvssVersion, seed: u64, generate: fn(&mut StdRng) -> Case) {
    if !available() {
        return;
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let cases: Vec<Case> = (0..CASES).map(|_| generate(&mut rng)).collect();
    let vectors: Vec<String> = cases.iter().map(|c| c.vector.clone()).collect();
    let answers = oracle(&vectors);
    let mut disagreements = Vec::new();
    for (case, answer) in cases.iter().zip(&answers) {
        let theirs: Vec<f64> = answer
            .split(' ')
            .map(|s| {
                s.parse()
                    .unwrap_or_else(|_| panic!("the reference refuses {}: {answer}", case.vector))
            })
            .collect();
        let expected = theirs[case.expected];
        let ours = match Cvss::parse(&case.vector) {
            Ok(ours) => ours,
            Err(e) => {
                disagreements.push(format!("{}: ward refuses it ({e})", case.vector));
                continue;
            }
        };
        assert_eq!(ours.version, version, "{}", case.vector);
        if ours.score != expected {
            disagreements.push(format!(
                "{}: ward {} ≠ reference {expected} (reference scores: {answer})",
                case.vector, ours.score
            ));
        }
        let again = Cvss::parse(&ours.vector).unwrap();
        assert_eq!(again, ours, "{} does not normalise stably", case.vector);
    }
    assert!(
        disagreements.is_empty(),
        "{} of {CASES} {version:?} vectors disagree with the reference, e.g.:\n{}",
        disagreements.len(),
        disagreements
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn cvss_3_1_scores_equal_the_reference() {
    cross_check(CvssVersion::V3, 0x3131_3131, v3_case);
}

#[test]
fn cvss_4_0_scores_equal_the_reference() {
    cross_check(CvssVersion::V4, 0x4040_4040, v4_case);
}

/// The oracle is a real one: it refuses what is not a vector, and this suite would notice a
/// wrong score.
#[test]
fn the_oracle_answers_known_vectors() {
    if !available() {
        return;
    }
    let answers = oracle(&[
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".to_owned(),
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N".to_owned(),
        "CVSS:3.1/AV:N".to_owned(),
    ]);
    assert_eq!(answers, ["9.8 9.8 9.8", "9.3", "invalid"]);
}

mod bad_input {
    use proptest::prelude::*;
    use ward_desk::severity::Cvss;

    /// Pieces of vectors, right and wrong, for soups that come close to valid vectors.
    fn piece() -> impl Strategy<Value = String> {
        let keys = prop::sample::select(vec![
            "AV", "AC", "AT", "PR", "UI", "S", "C", "I", "A", "VC", "VI", "VA", "SC", "SI", "SA",
            "E", "RL", "RC", "CR", "MAV", "MS", "MSI", "U", "av", "", "X", "Au",
        ]);
        let values = prop::sample::select(vec![
            "N", "L", "H", "X", "P", "A", "U", "C", "R", "S", "Red", "n", "", "Z", "NN", "é",
        ]);
        prop_oneof![
            (keys, values).prop_map(|(k, v)| format!("{k}:{v}")),
            ".{0,6}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// Nothing panics, and what is accepted is a score in range, normalised stably.
        #[test]
        fn any_input_is_a_score_or_an_error(
            prefix in prop::sample::select(vec!["CVSS:3.1", "CVSS:3.0", "CVSS:4.0", "cvss:4.0", "CVSS:2.0", "", "CVSS"]),
            pieces in prop::collection::vec(piece(), 0..40),
        ) {
            let input = format!("{prefix}/{}", pieces.join("/"));
            if let Ok(cvss) = Cvss::parse(&input) {
                prop_assert!((0.0..=10.0).contains(&cvss.score), "{} scored {}", input, cvss.score);
                prop_assert_eq!(Cvss::parse(&cvss.vector).unwrap(), cvss);
            }
        }

        #[test]
        fn arbitrary_text_never_panics(input in ".{0,300}") {
            let _ = Cvss::parse(&input);
        }
    }
}
