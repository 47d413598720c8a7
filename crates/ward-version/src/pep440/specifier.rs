//! PEP 440 specifier sets (`>=1.0, !=1.3.*, <2`), with the membership of `packaging` 26.3's
//! `SpecifierSet(spec).contains(v, prereleases=True)`.
//!
//! Every operator but two becomes intervals. `packaging` 26 defines its operators by bounds
//! that sit between versions ("after every local version of V"); each such bound that has a
//! least version above it becomes an interval ending there:
//!
//! | specifier | versions |
//! |---|---|
//! | `>=V` | `[V, ∞)` |
//! | `<=V`, `==V` | up to, not including, V's successor: `V.post0.dev0` (or `V.postN+1.dev0` / `V.devN+1`) — so `1.0+local` is in `<=1.0` and `==1.0` |
//! | `!=V` | the complement of `==V` |
//! | `==V+local` / `!=V+local` | exactly that version / all but it |
//! | `<V` | below `V.dev0` (V's first pre-release) unless V is a pre-release: `<1.0` excludes `1.0a1` |
//! | `>V.devN` / `>V.postN` / `>VaN` | from `V.devN+1` / `V.postN+1.dev0` / `VaN+1.dev0` |
//! | `>V` (V final) | above V, minus [`Exclusion::PostReleasesOf`]`(V)`: `1.0.post1` and `1.0+local` are not in `>1.0`, yet `1.0.0.1` is |
//! | `~=V` | `[V, P.dev0)` where P is V's release without its last number, incremented |
//! | `==V.*` / `!=V.*` | `[V.dev0, P.dev0)` where P is V incremented / the complement |
//! | `===S` | every version written `S`, ignoring case: [`Exclusion::NotExactly`] |
//!
//! Ranges of ordered operators start at `0.dev0`, the lowest PEP 440 version, so that legacy
//! versions, which `packaging` 26 cannot even parse, are never in them. The empty specifier
//! set is every version, legacy ones included, as in `packaging`.

use std::borrow::Cow;
use std::fmt;

use super::parse::{is_py_space, parse_exact, trim};
use super::{Parts, Version};
use crate::error::RangeError;
use crate::number::Number;
use crate::set::{Ranges, VersionSet};

const SYNTAX: &str = "PEP 440 specifier set";

/// What a PEP 440 specifier removes beyond intervals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exclusion {
    /// From `>V` with V a final release: V, V's local versions (`V+ubuntu1`) and V's
    /// post-releases with their dev and local versions (`V.post1.dev0+x`). They are above V,
    /// and other versions (`V.0.1`) are above all of them, so no interval removes them.
    PostReleasesOf(Version),
    /// From `===S`: every version not written `S` (compared as strings, ignoring case). Held
    /// lowercased.
    NotExactly(Box<str>),
}

impl Exclusion {
    pub(super) fn excludes(&self, version: &Version) -> bool {
        match self {
            Exclusion::PostReleasesOf(base) => match (base.parts(), version.parts()) {
                (Some(b), Some(v)) => {
                    v.epoch == b.epoch
                        && v.trimmed_release() == b.trimmed_release()
                        && v.pre == b.pre
                        && (v.post.is_some() || v.dev == b.dev)
                }
                _ => false,
            },
            Exclusion::NotExactly(s) => version.original.to_lowercase() != **s,
        }
    }
}

impl fmt::Display for Exclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Exclusion::PostReleasesOf(v) => write!(f, "post-releases and local versions of {v}"),
            Exclusion::NotExactly(s) => write!(f, "versions not written {s:?}"),
        }
    }
}

/// Parses a PEP 440 specifier set: comma-separated specifiers that must all hold.
///
/// Errors locate the offending specifier (a 1-based column in the message). Invalid where
/// `packaging` raises `InvalidSpecifier`: `~=1` (one release number), `<1.0.*` (a wildcard
/// with an operator other than `==`/`!=`), `>=1.0+local` (a local version with an operator
/// other than `==`/`!=`), and any operand that is not a PEP 440 version.
pub fn parse_range(input: &str) -> Result<VersionSet<Version>, RangeError> {
    RangeError::check_len(SYNTAX, input)?;
    let mut set: Option<VersionSet<Version>> = None;
    let mut offset = 0;
    for piece in input.split(',') {
        let start = offset + (piece.len() - piece.trim_start_matches(is_py_space).len());
        offset += piece.len() + 1;
        let spec = trim(piece);
        if spec.is_empty() {
            continue;
        }
        let one = specifier(spec)
            .map_err(|(at, reason)| RangeError::new(SYNTAX, input, reason).at(start + at))?;
        set = Some(match set {
            Some(set) => set.intersection(&one),
            None => one,
        });
    }
    Ok(set.unwrap_or_else(VersionSet::full))
}

type SpecError = (usize, Cow<'static, str>);

const OPERATORS: [&str; 8] = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"];

/// One specifier, without surrounding whitespace.
fn specifier(spec: &str) -> Result<VersionSet<Version>, SpecError> {
    let Some(op) = OPERATORS.iter().copied().find(|op| spec.starts_with(op)) else {
        return Err((
            0,
            format!(
                "specifier {spec:?} has no operator; expected one of ~=, ==, !=, <=, >=, <, >, ==="
            )
            .into(),
        ));
    };
    let rest = spec.get(op.len()..).unwrap_or_default();
    let at = op.len() + (rest.len() - rest.trim_start_matches(is_py_space).len());
    let text = spec.get(at..).unwrap_or_default();
    if op == "===" {
        if let Some(bad) = text.find(|c: char| is_py_space(c) || c == ';' || c == ')') {
            return Err((
                at + bad,
                "an arbitrary (===) version contains whitespace, ';' or ')'; expected one word"
                    .into(),
            ));
        }
        return Ok(VersionSet::with_exclusions(
            Ranges::full(),
            vec![Exclusion::NotExactly(text.to_lowercase().into())],
        ));
    }
    let wildcard = text.ends_with(".*");
    let version_text = if wildcard {
        text.get(..text.len() - 2).unwrap_or_default()
    } else {
        text
    };
    let parts = parse_exact(version_text)
        .map_err(|(i, reason)| (at + i, format!("version {text:?}: {reason}").into()))?;
    if wildcard {
        if op != "==" && op != "!=" {
            return Err((
                at + version_text.len(),
                format!("{op}{text}: a wildcard (.*) only follows == or !=").into(),
            ));
        }
        if parts.pre.is_some() || parts.post.is_some() || parts.dev.is_some() {
            return Err((
                at,
                format!("{op}{text}: expected only a release before .*, such as 1.2.*").into(),
            ));
        }
    }
    if parts.local.is_some() && op != "==" && op != "!=" {
        let plus = version_text.find('+').unwrap_or_default();
        return Err((
            at + plus,
            format!("{op}{text}: a local version (+...) only follows == or !=").into(),
        ));
    }
    if wildcard && parts.local.is_some() {
        return Err((
            at,
            format!("{op}{text}: a wildcard version has no local part").into(),
        ));
    }
    if op == "~=" && parts.release.len() < 2 {
        return Err((
            at,
            format!("{op}{text}: expected at least two release numbers after ~=, such as ~=1.0")
                .into(),
        ));
    }
    Ok(match (op, wildcard) {
        ("==", true) => VersionSet::new(between(
            dev0_of_release(&parts),
            next_prefix_dev0(&parts, &parts.release),
        )),
        ("!=", true) => VersionSet::new(between(min_version(), dev0_of_release(&parts)).union(
            &Ranges::higher_than(next_prefix_dev0(&parts, &parts.release)),
        )),
        _ => ordered(op, parts),
    })
}

/// The set of an ordered operator (everything but `===` and wildcards).
fn ordered(op: &str, v: Parts) -> VersionSet<Version> {
    let has_local = v.local.is_some();
    let intervals = match op {
        ">=" => Ranges::higher_than(Version::from_parts(v)),
        "<=" => between(min_version(), after_locals(&v)),
        "<" => {
            let bound = if v.pre.is_some() || v.dev.is_some() {
                v
            } else {
                Parts {
                    dev: Some(Number::ZERO),
                    ..v
                }
            };
            between(min_version(), Version::from_parts(bound))
        }
        ">" => {
            if let Some(dev) = &v.dev {
                let next = Parts {
                    dev: Some(dev.increment()),
                    ..v.clone()
                };
                Ranges::higher_than(Version::from_parts(next))
            } else if let Some(post) = &v.post {
                let next = Parts {
                    post: Some(post.increment()),
                    dev: Some(Number::ZERO),
                    ..v.clone()
                };
                Ranges::higher_than(Version::from_parts(next))
            } else if let Some((kind, n)) = &v.pre {
                let next = Parts {
                    pre: Some((*kind, n.increment())),
                    dev: Some(Number::ZERO),
                    ..v.clone()
                };
                Ranges::higher_than(Version::from_parts(next))
            } else {
                let base = Version::from_parts(v);
                return VersionSet::with_exclusions(
                    Ranges::strictly_higher_than(base.clone()),
                    vec![Exclusion::PostReleasesOf(base)],
                );
            }
        }
        "==" if has_local => Ranges::singleton(Version::from_parts(v)),
        "==" => between(Version::from_parts(v.clone()), after_locals(&v)),
        "!=" if has_local => Ranges::singleton(Version::from_parts(v))
            .complement()
            .intersection(&Ranges::higher_than(min_version())),
        "!=" => between(min_version(), Version::from_parts(v.clone()))
            .union(&Ranges::higher_than(after_locals(&v))),
        // "~="
        _ => {
            let prefix = v.release.get(..v.release.len().saturating_sub(1));
            let upper = next_prefix_dev0(&v, prefix.unwrap_or_default());
            between(Version::from_parts(v), upper)
        }
    };
    VersionSet::new(intervals)
}

/// `[lo, hi)`, empty when `hi <= lo` (which `Ranges::between` does not check).
fn between(lo: Version, hi: Version) -> Ranges<Version> {
    if lo < hi {
        Ranges::between(lo, hi)
    } else {
        Ranges::empty()
    }
}

fn release_parts(epoch: &Number, release: Vec<Number>, dev: Option<Number>) -> Parts {
    Parts {
        epoch: epoch.clone(),
        release,
        pre: None,
        post: None,
        dev,
        local: None,
    }
}

/// `0.dev0`, the lowest PEP 440 version.
fn min_version() -> Version {
    Version::from_parts(release_parts(
        &Number::ZERO,
        vec![Number::ZERO],
        Some(Number::ZERO),
    ))
}

/// `E!R.dev0`: the lowest version of a release.
fn dev0_of_release(v: &Parts) -> Version {
    Version::from_parts(release_parts(
        &v.epoch,
        v.release.clone(),
        Some(Number::ZERO),
    ))
}

/// `prefix` with its last number incremented, `.dev0`: the first version after the prefix.
fn next_prefix_dev0(v: &Parts, prefix: &[Number]) -> Version {
    let mut release = prefix.to_vec();
    if let Some(last) = release.last_mut() {
        *last = last.increment();
    }
    Version::from_parts(release_parts(&v.epoch, release, Some(Number::ZERO)))
}

/// The least version above V and all of V's local versions: `V.devN+1` for a dev release,
/// else the first dev release of the next post-release.
fn after_locals(v: &Parts) -> Version {
    let mut next = v.public();
    if let Some(dev) = &v.dev {
        next.dev = Some(dev.increment());
    } else {
        next.post = Some(v.post.as_ref().map_or(Number::ZERO, Number::increment));
        next.dev = Some(Number::ZERO);
    }
    Version::from_parts(next)
}
