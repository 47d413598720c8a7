//! RPM: ward against rpm 4.18 itself, through its Lua interface (`rpm.vercmp` for
//! `rpmvercmp` on version strings, `rpm.ver` objects for whole EVRs), on generated strings
//! full of rpm's traps: `~`, `^`, letter runs against digit runs, leading zeros, separators,
//! non-ASCII characters, epochs and colons that are not epochs.
//!
//! Excluded by design (see `src/rpm.rs`, Traps): strings with more than one hyphen, where
//! OSV's tools start the release at the first hyphen and rpm at the last.

use std::cmp::Ordering;
use std::process::Command;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ward_version::rpm::{Version, vercmp};

use crate::support::{
    assert_agreement, oracle_script, reference_available, run_oracle_lines, runs,
};

const CASES: usize = 10_000;

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

/// A non-empty version or release string without hyphens or colons.
fn part(rng: &mut StdRng) -> String {
    const PIECES: &[&str] = &[
        "0",
        "1",
        "2",
        "9",
        "10",
        "00",
        "01",
        "0010",
        "123456789012345678901234",
        "a",
        "b",
        "z",
        "A",
        "Z",
        "rc",
        "git",
        "el",
        ".",
        ".",
        "_",
        "+",
        "~",
        "~",
        "^",
        "^",
        "α",
        "β",
    ];
    let mut s = String::new();
    while s.is_empty() || rng.random_bool(0.7) {
        s.push_str(pick(rng, PIECES));
        if s.len() > 20 {
            break;
        }
    }
    s
}

/// An EVR: optional epoch (or a colon that is not one), version, optional release.
fn evr(rng: &mut StdRng) -> String {
    let mut s = String::new();
    match rng.random_range(0..6) {
        0 | 1 => s.push_str(&format!("{}:", pick(rng, &["0", "1", "2", "10", "007"]))),
        2 => s.push_str(&format!("{}:", pick(rng, &["a", "1a", "x1"]))),
        _ => {}
    }
    s.push_str(&part(rng));
    if rng.random_bool(0.7) {
        s.push('-');
        if rng.random_bool(0.9) {
            s.push_str(&part(rng));
        }
    }
    s
}

fn rpm() -> Option<Command> {
    if !reference_available("rpm", runs("rpm", &["--version"]), "apt-get install rpm") {
        return None;
    }
    let script = oracle_script("rpm-lua.lua");
    let mut command = Command::new("rpm");
    command
        .arg("--eval")
        .arg(format!("%{{lua: dofile(\"{}\")}}", script.display()));
    Some(command)
}

fn symbol(o: Ordering) -> String {
    match o {
        Ordering::Less => "<",
        Ordering::Equal => "=",
        Ordering::Greater => ">",
    }
    .to_owned()
}

/// Runs rpm over `lines`; `rpm --eval` ends its output with the (empty) expansion's newline.
fn ask_rpm(oracle: &mut Command, lines: &str) -> Vec<String> {
    let mut answers = run_oracle_lines(oracle, lines);
    while answers.last().is_some_and(String::is_empty) {
        answers.pop();
    }
    answers
}

#[test]
fn rpmvercmp_agrees_with_rpm() {
    let Some(mut oracle) = rpm() else { return };
    let mut rng = StdRng::seed_from_u64(0x4e0);
    let cases: Vec<String> = (0..CASES)
        .map(|i| {
            let a = part(&mut rng);
            let b = if i % 3 == 0 {
                format!(
                    "{a}{}",
                    pick(&mut rng, &["~", "^", "a", "0", ".0", ".", "^1", "~~"])
                )
            } else {
                part(&mut rng)
            };
            format!("{a} {b}")
        })
        .collect();
    let input: String = cases.iter().map(|c| format!("vercmp {c}\n")).collect();
    let theirs = ask_rpm(&mut oracle, &input);
    let ours: Vec<String> = cases
        .iter()
        .map(|c| {
            let (a, b) = c.split_once(' ').unwrap_or_default();
            symbol(vercmp(a, b))
        })
        .collect();
    assert_agreement("rpmvercmp vs rpm.vercmp", &cases, &ours, &theirs);
}

#[test]
fn evr_ordering_agrees_with_rpm() {
    let Some(mut oracle) = rpm() else { return };
    let mut rng = StdRng::seed_from_u64(0x4e1);
    let cases: Vec<String> = (0..CASES)
        .map(|i| {
            let a = evr(&mut rng);
            let b = if i % 3 == 0 {
                // Same epoch and version, so that releases (and missing ones) decide.
                let base = a.split_once('-').map_or(a.as_str(), |(v, _)| v);
                format!(
                    "{base}{}",
                    pick(&mut rng, &["", "-1", "-", "-~1", "-^", "-0"])
                )
            } else {
                evr(&mut rng)
            };
            format!("{a} {b}")
        })
        .collect();
    let input: String = cases.iter().map(|c| format!("evr {c}\n")).collect();
    let theirs = ask_rpm(&mut oracle, &input);
    let ours: Vec<String> = cases
        .iter()
        .map(|c| {
            let (a, b) = c.split_once(' ').unwrap_or_default();
            match (a.parse::<Version>(), b.parse::<Version>()) {
                (Ok(x), Ok(y)) => symbol(x.cmp(&y)),
                (Err(e), _) | (_, Err(e)) => format!("rejected: {e}"),
            }
        })
        .collect();
    assert_agreement("RPM EVR ordering vs rpm.ver", &cases, &ours, &theirs);
}
