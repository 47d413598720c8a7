//! npm against node-semver 7: ordering (`semver.compare`), version validity and normal form
//! (`semver.valid`), range membership (`semver.satisfies` with `includePrerelease: true`) and
//! range validity (`semver.validRange`). Go versions are ordered against node-semver too,
//! after dropping the `v` and expanding `vMAJOR[.MINOR]` (SemVer precedence is the same).
//!
//! Excluded by construction, because ward differs on purpose (see `ward_version::npm`'s
//! Traps): numeric pre-release identifiers of 2^53 or more that are distinct but equal as
//! JavaScript doubles. Every big identifier generated here is an exact double.

use std::cmp::Ordering;
use std::path::PathBuf;
use std::process::Command;
use std::str::FromStr;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ward_version::{go, npm};

use crate::support::{
    assert_agreement, oracle_script, reference_available, reference_dir, run_oracle_lines, runs,
};

fn semver_module() -> Option<PathBuf> {
    let path = reference_dir().join("npm/node_modules/semver");
    let ok = runs("node", &["--version"]) && path.join("package.json").is_file();
    reference_available(
        "node-semver",
        ok,
        &format!("needs `node` and node-semver at {}", path.display()),
    )
    .then_some(path)
}

/// Runs node-semver in `mode` over `cases` (each a list of strings, sent as JSON).
fn node(module: &PathBuf, mode: &str, cases: &[Vec<String>]) -> Vec<String> {
    let input: String = cases
        .iter()
        .map(|c| serde_json::to_string(c).expect("strings serialize") + "\n")
        .collect();
    run_oracle_lines(
        Command::new("node")
            .arg(oracle_script("npm-semver.js"))
            .arg(module)
            .arg(mode),
        &input,
    )
}

fn describe(cases: &[Vec<String>]) -> Vec<String> {
    cases
        .iter()
        .map(|c| serde_json::to_string(c).expect("strings serialize"))
        .collect()
}

fn ordering(o: Ordering) -> String {
    match o {
        Ordering::Less => "-1",
        Ordering::Equal => "0",
        Ordering::Greater => "1",
    }
    .to_owned()
}

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

/// A number as version components are written: mostly small (so generated versions collide
/// and bounds are hit), sometimes large, up to `Number.MAX_SAFE_INTEGER`.
fn number(rng: &mut StdRng) -> String {
    match rng.random_range(0..20) {
        0 => "9007199254740991".to_owned(),
        1 => "9007199254740990".to_owned(),
        2 => rng.random_range(10..100_000u64).to_string(),
        _ => rng.random_range(0..4u32).to_string(),
    }
}

/// Pre-release identifiers that catch comparison bugs: numeric vs alphanumeric, `2 < 11`
/// numerically but `r100 < r2`, case, hyphens, and huge numbers (exact doubles only).
const PRE_IDS: &[&str] = &[
    "alpha",
    "beta",
    "rc",
    "0",
    "1",
    "2",
    "11",
    "100",
    "r2",
    "r100",
    "R2",
    "a-b",
    "-",
    "--",
    "0a",
    "1a",
    "x",
    "X",
    "beta-2",
    "Alpha",
    "9007199254740990",
    "9007199254740991",
    "9007199254740992",
    "18014398509481984",
    "100000000000000000000",
    "00a",
    "pre",
];

fn prerelease(rng: &mut StdRng) -> String {
    let n = match rng.random_range(0..10) {
        0 => rng.random_range(5..12),
        _ => rng.random_range(1..4),
    };
    (0..n)
        .map(|_| pick(rng, PRE_IDS).to_owned())
        .collect::<Vec<_>>()
        .join(".")
}

fn build(rng: &mut StdRng) -> String {
    let ids = [
        "001",
        "build",
        "sha.5114f85",
        "20130313144700",
        "exp.sha.5114f85",
        "a-b",
        "0",
    ];
    pick(rng, &ids).to_owned()
}

/// A valid npm version, with the spellings node-semver accepts.
fn version(rng: &mut StdRng) -> String {
    let mut s = format!("{}.{}.{}", number(rng), number(rng), number(rng));
    if rng.random_range(0..3) > 0 {
        s = format!("{s}-{}", prerelease(rng));
    }
    if rng.random_range(0..5) == 0 {
        s = format!("{s}+{}", build(rng));
    }
    match rng.random_range(0..12) {
        0 => format!("v{s}"),
        1 => format!(" {s}\t"),
        2 => format!("\u{3000}v{s}\u{feff}"),
        _ => s,
    }
}

/// A second version close to `a`: same core with another pre-release, or a small change.
fn neighbour(rng: &mut StdRng, a: &str) -> String {
    let core = a.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let core = core.trim_start_matches('v');
    let release = core.split(['-', '+']).next().unwrap_or(core);
    match rng.random_range(0..4) {
        0 => release.to_owned(),
        1 | 2 => format!("{release}-{}", prerelease(rng)),
        _ => {
            let pre = core.split_once('-').map(|(_, p)| p).unwrap_or("0");
            let pre = pre.split('+').next().unwrap_or(pre);
            format!("{release}-{pre}.{}", pick(rng, PRE_IDS))
        }
    }
}

#[test]
fn npm_ordering_matches_node_semver() {
    let Some(module) = semver_module() else {
        return;
    };
    let mut rng = StdRng::seed_from_u64(0x6e70_6d01);
    let mut cases = Vec::new();
    while cases.len() < 12_000 {
        let a = version(&mut rng);
        let b = if rng.random_range(0..3) == 0 {
            version(&mut rng)
        } else {
            neighbour(&mut rng, &a)
        };
        if a.len() > 256 || b.len() > 256 {
            continue;
        }
        cases.push(vec![a, b]);
    }
    let ours: Vec<String> = cases
        .iter()
        .map(|c| {
            let a = npm::Version::from_str(&c[0]).unwrap_or_else(|e| panic!("{e}"));
            let b = npm::Version::from_str(&c[1]).unwrap_or_else(|e| panic!("{e}"));
            ordering(a.cmp(&b))
        })
        .collect();
    let theirs = node(&module, "compare", &cases);
    assert_agreement("npm ordering", &describe(&cases), &ours, &theirs);
}

/// Turns a valid version into a string that is often invalid, in the ways people and tools
/// get versions wrong.
fn mutate(rng: &mut StdRng, s: &str) -> String {
    const INSERTS: &[&str] = &[
        "0",
        "01",
        "=",
        "v",
        "V",
        " ",
        "\u{a0}",
        "\u{85}",
        "\u{feff}",
        "+",
        "-",
        ".",
        "..",
        "x",
        "*",
        "_",
        "é",
        "9007199254740992",
        "~",
        "^",
        ">",
        "a",
        "\n",
    ];
    let mut chars: Vec<char> = s.chars().collect();
    match rng.random_range(0..6) {
        0 => {
            chars.truncate(rng.random_range(0..=chars.len()));
            chars.into_iter().collect()
        }
        1 if !chars.is_empty() => {
            chars.remove(rng.random_range(0..chars.len()));
            chars.into_iter().collect()
        }
        2 => format!("{s}{}", "1".repeat(rng.random_range(200..260))),
        3 => format!("{}{s}", " ".repeat(rng.random_range(240..260))),
        _ => {
            let at = rng.random_range(0..=chars.len());
            let head: String = chars[..at].iter().collect();
            let tail: String = chars[at..].iter().collect();
            format!("{head}{}{tail}", pick(rng, INSERTS))
        }
    }
}

#[test]
fn npm_validity_matches_node_semver() {
    let Some(module) = semver_module() else {
        return;
    };
    let mut rng = StdRng::seed_from_u64(0x6e70_6d02);
    let mut cases = Vec::new();
    for i in 0..6_000 {
        let v = version(&mut rng);
        cases.push(vec![if i % 3 == 0 { v } else { mutate(&mut rng, &v) }]);
    }
    for fixed in [
        "", "v", "=1.2.3", "1.2", "1.2.3.4", "01.2.3", "1.2.3-", "1.2.3+", "vv1.2.3",
    ] {
        cases.push(vec![fixed.to_owned()]);
    }
    let ours: Vec<String> = cases
        .iter()
        .map(|c| {
            npm::Version::from_str(&c[0]).map_or_else(|_| "null".to_owned(), |v| v.to_string())
        })
        .collect();
    let theirs = node(&module, "valid", &cases);
    assert_agreement("npm validity", &describe(&cases), &ours, &theirs);
}

/// A partial version for ranges: 1 to 3 components, some of them X, sometimes a
/// pre-release, a prefix or build metadata.
fn partial(rng: &mut StdRng) -> String {
    let component = |rng: &mut StdRng| match rng.random_range(0..12) {
        0 => pick(rng, &["x", "X", "*"]).to_owned(),
        1 => "9007199254740991".to_owned(),
        _ => rng.random_range(0..4u32).to_string(),
    };
    let n = pick(rng, &["1", "2", "3", "3", "3"])
        .parse::<usize>()
        .unwrap_or(3);
    let mut s = (0..n).map(|_| component(rng)).collect::<Vec<_>>().join(".");
    if n == 3 && rng.random_range(0..3) == 0 {
        s = format!(
            "{s}-{}",
            pick(rng, &["0", "alpha", "alpha.1", "beta.2", "rc.1", "1"])
        );
    }
    if rng.random_range(0..15) == 0 {
        s = format!("{s}+build.1");
    }
    match rng.random_range(0..25) {
        0 => format!("v{s}"),
        1 => format!("={s}"),
        2 => format!("v={s}"),
        _ => s,
    }
}

fn atom(rng: &mut StdRng) -> String {
    const OPS: &[&str] = &["", "", "=", "<", "<=", ">", ">=", "~", "~>", "^", "^", "~"];
    match rng.random_range(0..20) {
        0 => format!("{} - {}", partial(rng), partial(rng)),
        1 => pick(
            rng,
            &[
                "*",
                "x",
                "",
                ">=0.0.0-0",
                ">=0.0.0",
                "<0.0.0-0",
                ">=*",
                "<*",
            ],
        )
        .to_owned(),
        _ => {
            let op = pick(rng, OPS);
            let space = if !op.is_empty() && rng.random_range(0..8) == 0 {
                " "
            } else {
                ""
            };
            format!("{op}{space}{}", partial(rng))
        }
    }
}

/// A range over every form node-semver knows, sometimes mangled.
fn range(rng: &mut StdRng) -> String {
    let sets = pick(rng, &["1", "1", "1", "2", "3"])
        .parse::<usize>()
        .unwrap_or(1);
    let mut alternatives = Vec::new();
    for _ in 0..sets {
        // A hyphen range must be alone in its set to be one.
        let atoms = if rng.random_range(0..6) == 0 {
            vec![format!("{} - {}", partial(rng), partial(rng))]
        } else {
            (0..rng.random_range(1..4)).map(|_| atom(rng)).collect()
        };
        alternatives.push(atoms.join(pick(rng, &[" ", " ", " ", "  ", "\t"])));
    }
    let r = alternatives.join(pick(rng, &[" || ", "||", " ||"]));
    if rng.random_range(0..10) == 0 {
        mutate(rng, &r)
    } else {
        r
    }
}

/// Random text over the characters ranges are made of, to reach the corners of node-semver's
/// rewriting that no well-formed generator thinks of (`~>=1`, `^v=1.x-0`, `1.2.3-a*`, ...).
fn soup(rng: &mut StdRng) -> String {
    const PIECES: &[&str] = &[
        "<", ">", "=", "~", "^", "*", "x", "X", "|", "||", "-", " - ", ".", "+", " ", "v", "0",
        "1", "2", "01", "1.2", "1.2.3", "1.2.3-", "-rc.1", "a", "0.0.0", "-0",
    ];
    (0..rng.random_range(1..10))
        .map(|_| pick(rng, PIECES))
        .collect()
}

/// Versions near where generated ranges put their bounds.
fn probe(rng: &mut StdRng) -> String {
    let n = |rng: &mut StdRng| rng.random_range(0..5u32);
    let pre = pick(
        rng,
        &[
            "", "", "", "-0", "-alpha", "-alpha.1", "-beta.2", "-rc.1", "-1",
        ],
    );
    format!("{}.{}.{}{pre}", n(rng), n(rng), n(rng))
}

#[test]
fn npm_range_membership_matches_node_semver() {
    let Some(module) = semver_module() else {
        return;
    };
    let mut rng = StdRng::seed_from_u64(0x6e70_6d03);
    let mut cases = Vec::new();
    let mut valid = 0;
    while valid < 20_000 {
        let r = if cases.len() % 5 == 0 {
            soup(&mut rng)
        } else {
            range(&mut rng)
        };
        let parsed = npm::parse_range(&r);
        for _ in 0..8 {
            let v = probe(&mut rng);
            valid += usize::from(parsed.is_ok());
            cases.push(vec![r.clone(), v]);
        }
    }
    let ours: Vec<String> = cases
        .iter()
        .map(|c| {
            let v = npm::Version::from_str(&c[1]).unwrap_or_else(|e| panic!("{e}"));
            npm::parse_range(&c[0])
                .is_ok_and(|r| r.contains(&v))
                .to_string()
        })
        .collect();
    let theirs = node(&module, "satisfies", &cases);
    assert_agreement("npm range membership", &describe(&cases), &ours, &theirs);
}

#[test]
fn npm_range_validity_matches_node_semver() {
    let Some(module) = semver_module() else {
        return;
    };
    let mut rng = StdRng::seed_from_u64(0x6e70_6d04);
    let mut cases: Vec<Vec<String>> = Vec::new();
    for i in 0..15_000 {
        let r = range(&mut rng);
        cases.push(vec![match i % 3 {
            0 => mutate(&mut rng, &r),
            1 => soup(&mut rng),
            _ => r,
        }]);
    }
    let ours: Vec<String> = cases
        .iter()
        .map(|c| {
            if npm::parse_range(&c[0]).is_ok() {
                "ok"
            } else {
                "null"
            }
            .to_owned()
        })
        .collect();
    let theirs = node(&module, "validRange", &cases);
    let valid = theirs.iter().filter(|a| *a == "ok").count();
    // Both sides must be exercised: the generator is not allowed to drift to all-invalid.
    assert!(
        valid > 4_000 && valid < 11_000,
        "{valid} of {} ranges are valid",
        cases.len()
    );
    assert_agreement("npm range validity", &describe(&cases), &ours, &theirs);
}

/// A Go module version as go.mod and OSV write them, and the same version as node-semver
/// reads it (no `v`, shorthands expanded).
fn go_version(rng: &mut StdRng) -> (String, String) {
    let n = |rng: &mut StdRng| rng.random_range(0..4u32).to_string();
    let (major, minor, patch) = (n(rng), n(rng), n(rng));
    let time = format!(
        "2019{:02}{:02}021931",
        rng.random_range(1..13),
        rng.random_range(10..29)
    );
    let rev = pick(
        rng,
        &[
            "daa7c04131f5",
            "000000000000",
            "abcdefabcdef",
            "9f3a0c1e6bd6",
        ],
    );
    let (core, pre) = match rng.random_range(0..10) {
        0 => (major.clone(), String::new()),
        1 => (format!("{major}.{minor}"), String::new()),
        2 => (
            format!("{major}.{minor}.{patch}"),
            format!("-0.{time}-{rev}"),
        ),
        3 => (format!("{major}.{minor}.{patch}"), format!("-{time}-{rev}")),
        4 => (
            format!("{major}.{minor}.{patch}"),
            format!("-{}.0.{time}-{rev}", pick(rng, &["pre", "rc.1", "beta.2"])),
        ),
        5 => ("0.0.0".to_owned(), format!("-{time}-{rev}")),
        6 | 7 => (
            format!("{major}.{minor}.{patch}"),
            format!("-{}", prerelease(rng)),
        ),
        _ => (format!("{major}.{minor}.{patch}"), String::new()),
    };
    let full_core = match core.matches('.').count() {
        0 => format!("{core}.0.0"),
        1 => format!("{core}.0"),
        _ => core.clone(),
    };
    let shorthand = core != full_core;
    let build = if !shorthand && rng.random_range(0..5) == 0 {
        "+incompatible"
    } else {
        ""
    };
    let v = if shorthand || rng.random_range(0..2) == 0 {
        "v"
    } else {
        ""
    };
    (
        format!("{v}{core}{pre}{build}"),
        format!("{full_core}{pre}{build}"),
    )
}

#[test]
fn go_ordering_matches_semver_precedence() {
    let Some(module) = semver_module() else {
        return;
    };
    let mut rng = StdRng::seed_from_u64(0x676f_0001);
    let mut cases = Vec::new();
    let mut theirs_cases = Vec::new();
    while cases.len() < 12_000 {
        let (a, na) = go_version(&mut rng);
        let (b, nb) = go_version(&mut rng);
        if na.len() > 256 || nb.len() > 256 {
            continue;
        }
        cases.push(vec![a, b]);
        theirs_cases.push(vec![na, nb]);
    }
    let ours: Vec<String> = cases
        .iter()
        .map(|c| {
            let a = go::Version::from_str(&c[0]).unwrap_or_else(|e| panic!("{e}"));
            let b = go::Version::from_str(&c[1]).unwrap_or_else(|e| panic!("{e}"));
            ordering(a.cmp(&b))
        })
        .collect();
    let theirs = node(&module, "compare", &theirs_cases);
    assert_agreement("Go ordering", &describe(&cases), &ours, &theirs);
}
