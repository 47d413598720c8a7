//! crates.io versions and Cargo requirements against the `semver` crate (the parser Cargo and
//! crates.io use), in process; and pre-release membership against node-semver with
//! `includePrerelease`, whose desugaring is the interval model ward implements.
//!
//! Intended difference: for a pre-release version, `semver::VersionReq::matches` applies
//! Cargo's resolver opt-in (a pre-release matches only if a comparator names the same
//! `MAJOR.MINOR.PATCH` with a pre-release); ward answers the vulnerability matcher's
//! question, "does it lie inside the interval?". So for pre-releases the suite asserts only
//! that the `semver` crate's yes is ward's yes, and checks ward's full answer against
//! node-semver with `includePrerelease` instead.

use std::cmp::Ordering;
use std::process::Command;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ward_version::cargo::{Version, parse_range};

use crate::support::{
    assert_agreement, reference_available, reference_dir, run_oracle_lines, runs,
};

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

const NUMBERS: &[&str] = &[
    "0",
    "1",
    "2",
    "3",
    "10",
    "01",
    "00",
    "18446744073709551615",
    "18446744073709551616",
];
const PRE: &[&str] = &[
    "alpha",
    "beta",
    "rc",
    "0",
    "1",
    "2",
    "11",
    "01",
    "a-b",
    "-",
    "",
    "alpha.1",
    "beta.11",
    "rc.1",
    "RC",
    "0a",
    "x.7.z.92",
    "99999999999999999999",
];
const BUILD: &[&str] = &["build", "001", "a.b", "", "x-y", "exp.sha.5114f85"];

/// A string that is usually a valid SemVer version, with the traps around it.
fn version_string(rng: &mut StdRng, valid_bias: bool) -> String {
    let n = |rng: &mut StdRng| {
        if rng.random_bool(if valid_bias { 0.8 } else { 0.7 }) {
            pick(rng, &["0", "1", "2", "3", "10"]).to_owned()
        } else {
            pick(rng, NUMBERS).to_owned()
        }
    };
    let mut s = match rng.random_range(0..20) {
        0 => n(rng),
        1 => format!("{}.{}", n(rng), n(rng)),
        2 => format!("{}.{}.{}.{}", n(rng), n(rng), n(rng), n(rng)),
        _ => format!("{}.{}.{}", n(rng), n(rng), n(rng)),
    };
    if rng.random_bool(0.4) {
        s = format!("{s}-{}", pick(rng, PRE));
    }
    if rng.random_bool(0.15) {
        s = format!("{s}+{}", pick(rng, BUILD));
    }
    if !valid_bias {
        match rng.random_range(0..24) {
            0 => s = format!("v{s}"),
            1 => s = format!(" {s}"),
            2 => s.push(' '),
            3 => s.push_str("+b+c"),
            4 => s.push_str("-ä"),
            5 => s.push('.'),
            _ => {}
        }
    }
    s
}

fn valid_versions(rng: &mut StdRng, count: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let s = version_string(rng, true);
        if semver::Version::parse(&s).is_ok() {
            out.push(s);
        }
    }
    out
}

#[test]
fn ordering_agrees_with_semver_crate_precedence() {
    let mut rng = StdRng::seed_from_u64(0xCA26_0001);
    let pool = valid_versions(&mut rng, 400);
    let mut cases = Vec::new();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..10_000 {
        let a = &pool[rng.random_range(0..pool.len())];
        let b = &pool[rng.random_range(0..pool.len())];
        cases.push(format!("{a} vs {b}"));
        let (va, vb): (Version, Version) = (a.parse().expect(a), b.parse().expect(b));
        ours.push(format!("{:?}", va.cmp(&vb)));
        let (sa, sb) = (
            semver::Version::parse(a).expect(a),
            semver::Version::parse(b).expect(b),
        );
        theirs.push(format!("{:?}", sa.cmp_precedence(&sb)));
        // Eq must agree with that order.
        assert_eq!(va == vb, va.cmp(&vb) == Ordering::Equal, "{a} vs {b}");
    }
    assert_agreement("cargo ordering", &cases, &ours, &theirs);
}

#[test]
fn version_validity_agrees_with_semver_crate() {
    let mut rng = StdRng::seed_from_u64(0xCA26_0002);
    let cases: Vec<String> = (0..3_000)
        .map(|_| version_string(&mut rng, false))
        .collect();
    let ours: Vec<String> = cases
        .iter()
        .map(|s| s.parse::<Version>().is_ok().to_string())
        .collect();
    let theirs: Vec<String> = cases
        .iter()
        .map(|s| semver::Version::parse(s).is_ok().to_string())
        .collect();
    let valid = theirs.iter().filter(|t| *t == "true").count();
    assert!(
        valid > 500 && valid < 2_500,
        "a useful mix of valid ({valid}) and invalid"
    );
    assert_agreement("cargo version validity", &cases, &ours, &theirs);
}

/// A partial version for a comparator: `1`, `1.2`, `1.2.3`, `1.2.3-pre`, wildcards.
fn operand(rng: &mut StdRng, valid_bias: bool) -> String {
    let n = |rng: &mut StdRng| {
        if valid_bias || rng.random_bool(0.9) {
            pick(rng, &["0", "1", "2", "3"]).to_owned()
        } else {
            pick(rng, NUMBERS).to_owned()
        }
    };
    let w = |rng: &mut StdRng| pick(rng, &["*", "x", "X"]).to_owned();
    let mut s = n(rng);
    match rng.random_range(0..10) {
        0 => {}
        1 => s = format!("{s}.{}", n(rng)),
        2 => s = format!("{s}.{}", w(rng)),
        3 => s = format!("{s}.{}.{}", n(rng), w(rng)),
        4 if !valid_bias => s = format!("{s}.{}.{}", w(rng), n(rng)),
        4 => s = format!("{s}.{}.{}", w(rng), w(rng)),
        _ => {
            s = format!("{s}.{}.{}", n(rng), n(rng));
            if rng.random_bool(0.3) {
                s = format!(
                    "{s}-{}",
                    pick(rng, &["alpha", "beta", "rc.1", "0", "alpha.1"])
                );
            }
            if rng.random_bool(0.05) {
                s.push_str("+build");
            }
        }
    }
    s
}

fn requirement_string(rng: &mut StdRng, valid_bias: bool) -> String {
    const OPS: &[&str] = &["", "", "^", "~", "=", ">", ">=", "<", "<=", ">= ", "~ "];
    const BAD_OPS: &[&str] = &["==", "~>", "=>", "!=", "v", "^^"];
    if rng.random_bool(0.03) {
        return pick(
            rng,
            &["*", " * ", "x", "X", "*, 1", "1, *", "x.1", "", " ", "*  "],
        )
        .to_owned();
    }
    let count = if rng.random_bool(0.02) {
        33
    } else {
        rng.random_range(1..4)
    };
    let mut parts = Vec::new();
    for _ in 0..count {
        let op = if !valid_bias && rng.random_bool(0.05) {
            pick(rng, BAD_OPS)
        } else {
            pick(rng, OPS)
        };
        parts.push(format!("{op}{}", operand(rng, valid_bias)));
    }
    let sep = if !valid_bias && rng.random_bool(0.05) {
        pick(rng, &[" ", "\t,", ",,", " || "])
    } else {
        pick(rng, &[", ", ",", " , "])
    };
    let mut s = parts.join(sep);
    if !valid_bias {
        match rng.random_range(0..15) {
            0 => s.push(','),
            1 => s = format!(",{s}"),
            2 => s.push_str("-pre"),
            3 => s = format!("  {s}  "),
            4 => s.push('\t'),
            _ => {}
        }
    }
    s
}

#[test]
fn requirement_validity_agrees_with_semver_crate() {
    let mut rng = StdRng::seed_from_u64(0xCA26_0003);
    let cases: Vec<String> = (0..3_000)
        .map(|_| requirement_string(&mut rng, false))
        .collect();
    let ours: Vec<String> = cases
        .iter()
        .map(|s| parse_range(s).is_ok().to_string())
        .collect();
    let theirs: Vec<String> = cases
        .iter()
        .map(|s| semver::VersionReq::parse(s).is_ok().to_string())
        .collect();
    let valid = theirs.iter().filter(|t| *t == "true").count();
    assert!(
        valid > 500 && valid < 2_500,
        "a useful mix of valid ({valid}) and invalid"
    );
    assert_agreement("cargo requirement validity", &cases, &ours, &theirs);
}

fn membership_cases(rng: &mut StdRng, count: usize) -> Vec<(String, String)> {
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let req = requirement_string(rng, true);
        if semver::VersionReq::parse(&req).is_err() {
            continue;
        }
        let n = |rng: &mut StdRng| pick(rng, &["0", "1", "2", "3", "4"]);
        let mut v = format!("{}.{}.{}", n(rng), n(rng), n(rng));
        let pre = pick(rng, &["0", "alpha", "alpha.1", "beta", "rc.1", "zzz"]);
        // Cargo's opt-in: a pre-release of a release some comparator names with a pre-release.
        let named = req
            .split(',')
            .map(|c| c.trim_start_matches([' ', '^', '~', '=', '<', '>']))
            .find_map(|c| c.split_once('-').map(|(core, _)| core.to_owned()));
        match named {
            Some(core) if rng.random_bool(0.5) => v = format!("{core}-{pre}"),
            _ if rng.random_bool(0.4) => v = format!("{v}-{pre}"),
            _ => {}
        }
        out.push((req, v));
    }
    out
}

#[test]
fn release_membership_agrees_with_semver_crate() {
    let mut rng = StdRng::seed_from_u64(0xCA26_0004);
    let all = membership_cases(&mut rng, 20_000);
    let (mut cases, mut ours, mut theirs) = (Vec::new(), Vec::new(), Vec::new());
    let mut pre_checked = 0;
    for (req, v) in &all {
        let set = parse_range(req).unwrap_or_else(|e| panic!("{req}: {e}"));
        let inside = set.contains(&v.parse().expect(v));
        let crate_says = semver::VersionReq::parse(req)
            .expect(req)
            .matches(&semver::Version::parse(v).expect(v));
        if v.contains('-') {
            // Cargo's opt-in rule only ever narrows the interval: its yes must be ours.
            if crate_says {
                assert!(
                    inside,
                    "{v} in {req}: the semver crate says yes, ward says no"
                );
                pre_checked += 1;
            }
            continue;
        }
        cases.push(format!("{v} in {req:?}"));
        ours.push(inside.to_string());
        theirs.push(crate_says.to_string());
    }
    assert!(cases.len() >= 8_000, "{} release cases", cases.len());
    assert!(
        pre_checked >= 300,
        "only {pre_checked} pre-release matches by the semver crate"
    );
    assert_agreement("cargo release membership", &cases, &ours, &theirs);
}

/// node-semver, `includePrerelease`: reads `range<TAB>version` lines.
const NODE_ORACLE: &str = r#"
const semver = require(process.argv[1]);
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter(l => l.length);
const out = lines.map(l => {
  const [range, version] = l.split('\t');
  return String(semver.satisfies(version, range, { includePrerelease: true }));
});
process.stdout.write(out.join('\n') + '\n');
"#;

/// Cargo's comparator list in node-semver's syntax: a bare version is `^` in Cargo and `=`
/// in npm, comparators are separated by spaces instead of commas, and npm does not allow a
/// space after an operator.
fn to_node(req: &str) -> String {
    let t = req.trim();
    if matches!(t, "*" | "x" | "X") {
        return "*".into();
    }
    t.split(',')
        .map(|c| {
            let c: String = c.chars().filter(|c| *c != ' ').collect();
            let bare = c.starts_with(|ch: char| ch.is_ascii_digit());
            let wild = c.contains(['*', 'x', 'X']);
            if bare && !wild { format!("^{c}") } else { c }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn prerelease_membership_agrees_with_node_semver_include_prerelease() {
    let node_semver = reference_dir().join("npm/node_modules/semver");
    if !reference_available(
        "node-semver",
        runs("node", &["--version"]) && node_semver.join("package.json").is_file(),
        "needs node and semver in $WARD_REFERENCE_DIR/npm",
    ) {
        return;
    }
    let mut rng = StdRng::seed_from_u64(0xCA26_0005);
    let mut all = membership_cases(&mut rng, 30_000);
    all.retain(|(_, v)| v.contains('-'));
    let all = &all[..10_000.min(all.len())];
    assert!(all.len() >= 10_000, "{} pre-release cases", all.len());
    let cases: Vec<String> = all.iter().map(|(r, v)| format!("{v} in {r:?}")).collect();
    let ours: Vec<String> = all
        .iter()
        .map(|(r, v)| {
            parse_range(r)
                .expect(r)
                .contains(&v.parse().expect(v))
                .to_string()
        })
        .collect();
    let input: String = all
        .iter()
        .map(|(r, v)| format!("{}\t{v}\n", to_node(r)))
        .collect();
    let theirs = run_oracle_lines(
        Command::new("node")
            .arg("-e")
            .arg(NODE_ORACLE)
            .arg(&node_semver),
        &input,
    );
    assert_agreement(
        "cargo pre-release membership (node-semver includePrerelease)",
        &cases,
        &ours,
        &theirs,
    );
}
