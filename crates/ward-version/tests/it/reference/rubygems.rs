//! RubyGems against Ruby 3.1's own RubyGems (`tests/oracles/rubygems-oracle.rb`):
//! `Gem::Version#<=>`, `Gem::Version.correct?` and `Gem::Requirement#satisfied_by?`.
//!
//! No case is excluded: OSV's RubyGems ordering is RubyGems' own.

use std::process::Command;
use std::str::FromStr;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ward_version::rubygems::{self, Version};

use crate::support::{
    assert_agreement, oracle_script, reference_available, run_oracle_lines, runs,
};

const CASES: usize = 12_000;

fn available() -> bool {
    reference_available(
        "ruby (RubyGems)",
        runs("ruby", &["--version"]),
        "install Debian's ruby",
    )
}

fn oracle(mode: &str, lines: &[String]) -> Vec<String> {
    let mut input = lines.join("\n");
    input.push('\n');
    run_oracle_lines(
        Command::new("ruby")
            .arg(oracle_script("rubygems-oracle.rb"))
            .arg(mode),
        &input,
    )
}

fn json(values: &serde_json::Value) -> String {
    values.to_string()
}

/// One segment after a dot: numbers (with zeros, leading zeros and huge ones), letters of
/// both cases, and letter/digit runs such as `a10` that split into two segments.
fn segment(rng: &mut StdRng) -> String {
    match rng.random_range(0..12) {
        0..=2 => rng.random_range(0..4).to_string(),
        3 => "0".to_owned(),
        4 => rng.random_range(5..12).to_string(),
        5 => [
            "00",
            "010",
            "99999999999999999999999991",
            "99999999999999999999999999",
        ][rng.random_range(0..4)]
        .to_owned(),
        6 => ["a", "b", "A", "Z", "pre", "rc", "beta", "alpha", "z"][rng.random_range(0..9)]
            .to_owned(),
        7 | 8 => format!(
            "{}{}",
            ["a", "b", "rc", "B", "pre"][rng.random_range(0..5)],
            rng.random_range(0..12)
        ),
        9 => format!("{}a", rng.random_range(0..3)),
        10 => "pre".to_owned(),
        _ => format!(
            "{}{}",
            rng.random_range(1..3),
            ["b", "rc1", "x2y"][rng.random_range(0..3)]
        ),
    }
}

/// A valid version that hits RubyGems' traps: trailing zeros, letters, `-` (read as
/// `.pre.`), `.pre`, digit/letter runs.
fn version(rng: &mut StdRng) -> String {
    let mut s = rng.random_range(0..4).to_string();
    if rng.random_bool(0.1) {
        s = "1".to_owned();
    }
    for _ in 0..rng.random_range(0..5) {
        s.push('.');
        s.push_str(&segment(rng));
    }
    if rng.random_bool(0.2) {
        s.push('-');
        let parts = rng.random_range(1..3);
        let tail: Vec<String> = (0..parts)
            .map(|_| {
                if rng.random_bool(0.15) {
                    "a-b".to_owned()
                } else {
                    segment(rng)
                }
            })
            .collect();
        s.push_str(&tail.join("."));
    }
    s
}

/// A version near another one, so that pairs are often equal or adjacent.
fn neighbour(rng: &mut StdRng, base: &str) -> String {
    match rng.random_range(0..6) {
        0 => format!("{base}.0"),
        1 => format!("{base}.a"),
        2 => base.replacen('.', "-", 1),
        3 => format!("{base}{}", segment(rng)).replace("..", "."),
        4 => base.replace(".0", ""),
        _ => version(rng),
    }
}

fn ours_compare(a: &str, b: &str) -> String {
    match (Version::from_str(a), Version::from_str(b)) {
        (Ok(a), Ok(b)) => (a.cmp(&b) as i8).to_string(),
        _ => "invalid".to_owned(),
    }
}

#[test]
fn ordering_matches_gem_version() {
    if !available() {
        return;
    }
    let mut rng = StdRng::seed_from_u64(0x6e6d_0001);
    let fixed = [
        ("1.0.a10", "1.0.a.9"),
        ("1.0.a9", "1.0.a.10"),
        ("1.0", "1"),
        ("1.0.a", "1.a"),
        ("1.a.0.b", "1.a.b"),
        ("1.0-rc1", "1.0.pre.rc1"),
        ("1.0-rc1", "1.0.a"),
        ("1.B", "1.a"),
        ("", "0"),
        ("1.0.b1", "1.0"),
    ];
    let mut cases = Vec::new();
    let mut lines = Vec::new();
    for (a, b) in fixed {
        cases.push(format!("{a:?} <=> {b:?}"));
        lines.push(json(&serde_json::json!([a, b])));
    }
    while cases.len() < CASES {
        let a = version(&mut rng);
        let b = if rng.random_bool(0.5) {
            neighbour(&mut rng, &a)
        } else {
            version(&mut rng)
        };
        cases.push(format!("{a:?} <=> {b:?}"));
        lines.push(json(&serde_json::json!([a, b])));
    }
    let ours: Vec<String> = lines
        .iter()
        .map(|line| {
            let pair: (String, String) = serde_json::from_str(line).expect("our own JSON");
            ours_compare(&pair.0, &pair.1)
        })
        .collect();
    let theirs = oracle("compare", &lines);
    assert_agreement("RubyGems ordering", &cases, &ours, &theirs);
    let invalid = ours.iter().filter(|a| *a == "invalid").count();
    assert!(
        invalid < CASES / 10,
        "{invalid} generated versions were invalid"
    );
}

#[test]
fn validity_matches_gem_version_correct() {
    if !available() {
        return;
    }
    let mut rng = StdRng::seed_from_u64(0x6e6d_0002);
    let alphabet = [
        "1", "0", "2", "a", "Z", ".", "-", "_", "+", " ", "\t", "\n", "v", "é", "..", "pre", "\0",
    ];
    let mut inputs: Vec<String> = vec![
        String::new(),
        " ".to_owned(),
        "\n1.0\n".to_owned(),
        "1.0 ".to_owned(),
        "1-".to_owned(),
        "1--a".to_owned(),
        "1.0-a.-b".to_owned(),
        "1.0-.a".to_owned(),
    ];
    while inputs.len() < CASES {
        let s = if rng.random_bool(0.5) {
            // Random strings over the characters that matter.
            (0..rng.random_range(0..7))
                .map(|_| alphabet[rng.random_range(0..alphabet.len())])
                .collect()
        } else {
            // A valid version with one character inserted, removed or replaced.
            let mut chars: Vec<String> = version(&mut rng).chars().map(String::from).collect();
            let at = rng.random_range(0..=chars.len());
            let c = alphabet[rng.random_range(0..alphabet.len())].to_owned();
            match rng.random_range(0..3) {
                0 => chars.insert(at, c),
                1 if at < chars.len() => {
                    chars.remove(at);
                }
                _ if at < chars.len() => chars[at] = c,
                _ => {}
            }
            chars.concat()
        };
        inputs.push(s);
    }
    let cases: Vec<String> = inputs.iter().map(|s| format!("{s:?}")).collect();
    let lines: Vec<String> = inputs
        .iter()
        .map(|s| json(&serde_json::json!([s])))
        .collect();
    let ours: Vec<String> = inputs
        .iter()
        .map(|s| {
            if Version::from_str(s).is_ok() {
                "valid".to_owned()
            } else {
                "invalid".to_owned()
            }
        })
        .collect();
    let theirs = oracle("valid", &lines);
    assert_agreement("RubyGems validity", &cases, &ours, &theirs);
}

/// A requirement: an operator (or none) and a version, with the spacing varied.
fn requirement(rng: &mut StdRng, near: &str) -> String {
    let op = ["~>", "~>", ">=", ">", "<=", "<", "=", "!=", ""][rng.random_range(0..9)];
    let version = if rng.random_bool(0.5) {
        neighbour(rng, near)
    } else {
        version(rng)
    };
    let space = [" ", "", "  "][rng.random_range(0..3)];
    format!("{op}{space}{version}")
}

#[test]
fn membership_matches_requirement_satisfied_by() {
    if !available() {
        return;
    }
    let mut rng = StdRng::seed_from_u64(0x6e6d_0003);
    let mut cases = Vec::new();
    let mut lines = Vec::new();
    let mut ours = Vec::new();
    while cases.len() < CASES {
        let candidate = version(&mut rng);
        let parts: Vec<String> = (0..rng.random_range(1..4))
            .map(|_| requirement(&mut rng, &candidate))
            .collect();
        let joined = parts.join(", ");
        let answer = match rubygems::parse_range(&joined) {
            Ok(set) => match Version::from_str(&candidate) {
                Ok(v) => set.contains(&v).to_string(),
                Err(_) => "invalid".to_owned(),
            },
            Err(_) => "invalid".to_owned(),
        };
        cases.push(format!("{candidate:?} in {joined:?}"));
        lines.push(json(&serde_json::json!([parts, candidate])));
        ours.push(answer);
    }
    let theirs = oracle("satisfies", &lines);
    assert_agreement("RubyGems requirements", &cases, &ours, &theirs);
    let inside = ours.iter().filter(|a| *a == "true").count();
    assert!(
        inside > CASES / 5 && inside < CASES * 4 / 5,
        "{inside} of {CASES} cases are inside their range: the generator is lopsided"
    );
    let invalid = ours.iter().filter(|a| *a == "invalid").count();
    assert!(
        invalid < CASES / 20,
        "{invalid} generated requirements were invalid"
    );
}
