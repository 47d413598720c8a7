//! Debian: ward against dpkg itself (`dpkg --compare-versions`), on generated versions full
//! of dpkg's traps — epochs, `~`, `+`, letters against symbols, revisions after hyphens,
//! leading and trailing zeros — and on validity (what dpkg errors or warns about).

use std::cmp::Ordering;
use std::process::Command;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ward_version::debian::Version;

use crate::support::{
    assert_agreement, oracle_script, reference_available, run_oracle_lines, runs,
};

const CASES: usize = 10_000;

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

/// A run of upstream-version characters: digit runs with leading zeros, letters of both
/// cases, and every symbol dpkg allows.
fn run(rng: &mut StdRng, alphabet: &[&str], max: usize) -> String {
    (0..rng.random_range(0..=max))
        .map(|_| pick(rng, alphabet))
        .collect()
}

const UPSTREAM: &[&str] = &[
    "0",
    "1",
    "2",
    "9",
    "10",
    "00",
    "01",
    "010",
    "99999999999999999999999",
    ".",
    ".",
    "+",
    "~",
    "~",
    "a",
    "b",
    "z",
    "A",
    "Z",
    "rc",
    "-",
    ":",
];
const REVISION: &[&str] = &[
    "0", "1", "2", "00", "01", ".", "+", "~", "a", "b", "deb", "u", "Z",
];

/// A valid Debian version.
fn version(rng: &mut StdRng) -> String {
    let mut s = String::new();
    let epoch = rng.random_bool(0.3);
    if epoch {
        s.push_str(pick(rng, &["0", "1", "2", "00", "01", "10"]));
        s.push(':');
    }
    s.push_str(pick(rng, &["0", "1", "2", "10", "01"]));
    let mut upstream = run(rng, UPSTREAM, 5);
    if !epoch {
        // Without an epoch, a colon would be read as one.
        upstream = upstream.replace(':', ".");
    }
    if rng.random_bool(0.6) {
        s.push_str(&upstream);
        s.push('-');
        s.push_str(pick(rng, &["0", "1", "a", "+", "~", "0ubuntu"]));
        s.push_str(&run(rng, REVISION, 4));
    } else {
        // Without a revision, a hyphen would start one.
        s.push_str(&upstream.replace('-', "+"));
    }
    s
}

/// A version that is often almost valid: what dpkg errors or warns about.
fn candidate(rng: &mut StdRng) -> String {
    const PIECES: &[&str] = &[
        "0", "1", "9", "a", "Z", ".", "+", "~", "-", ":", "_", "!", "%", "00", "1:", "a:",
    ];
    if rng.random_bool(0.5) {
        let mut s = version(rng);
        let at = rng.random_range(0..=s.len());
        // All generated characters are ASCII, so every index is a boundary.
        s.insert_str(at, pick(rng, PIECES));
        s
    } else {
        run(rng, PIECES, 6)
    }
}

fn dpkg() -> Option<Command> {
    if !reference_available("dpkg", runs("dpkg", &["--version"]), "apt-get install dpkg") {
        return None;
    }
    Some(Command::new(oracle_script("debian-dpkg.sh")))
}

fn ours(a: &str, b: &str) -> String {
    match (a.parse::<Version>(), b.parse::<Version>()) {
        (Ok(x), Ok(y)) => match x.cmp(&y) {
            Ordering::Less => "<",
            Ordering::Equal => "=",
            Ordering::Greater => ">",
        }
        .to_owned(),
        (Err(e), _) | (_, Err(e)) => format!("rejected: {e}"),
    }
}

#[test]
fn ordering_agrees_with_dpkg() {
    let Some(mut oracle) = dpkg() else { return };
    let mut rng = StdRng::seed_from_u64(0xdeb1a);
    let cases: Vec<String> = (0..CASES)
        .map(|i| {
            let a = version(&mut rng);
            // Some pairs share a prefix, so that the traps meet each other.
            let b = if i % 3 == 0 {
                format!(
                    "{a}{}",
                    pick(&mut rng, &["~", "+", "a", "0", ".0", "~~", "-1"])
                )
            } else {
                version(&mut rng)
            };
            format!("{a} {b}")
        })
        .filter(|case| {
            // An appended "-1" can leave an invalid revision behind; keep the pairs ward
            // accepts (validity has its own suite, where dpkg decides).
            let (a, b) = case.split_once(' ').unwrap_or_default();
            a.parse::<Version>().is_ok() && b.parse::<Version>().is_ok()
        })
        .collect();
    assert!(
        cases.len() >= CASES * 9 / 10,
        "too few valid pairs: {}",
        cases.len()
    );
    let input: String = cases.iter().map(|c| format!("cmp {c}\n")).collect();
    let theirs = run_oracle_lines(&mut oracle, &input);
    let ours: Vec<String> = cases
        .iter()
        .map(|c| {
            let (a, b) = c.split_once(' ').unwrap_or_default();
            ours(a, b)
        })
        .collect();
    assert_agreement("Debian ordering vs dpkg", &cases, &ours, &theirs);
}

#[test]
fn validity_agrees_with_dpkg() {
    let Some(mut oracle) = dpkg() else { return };
    let mut rng = StdRng::seed_from_u64(0xdeb1b);
    let cases: Vec<String> = std::iter::repeat_with(|| candidate(&mut rng))
        .filter(|c| !c.is_empty())
        .take(CASES)
        .collect();
    // dpkg trims surrounding blanks and reads an empty argument as "no version"; the
    // generator makes neither.
    let input: String = cases.iter().map(|c| format!("valid {c}\n")).collect();
    let theirs = run_oracle_lines(&mut oracle, &input);
    let ours: Vec<String> = cases
        .iter()
        .map(|c| {
            if c.parse::<Version>().is_ok() {
                "valid"
            } else {
                "invalid"
            }
            .to_owned()
        })
        .collect();
    assert_agreement("Debian validity vs dpkg", &cases, &ours, &theirs);
}
