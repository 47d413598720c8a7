//! OSV range evaluation, exactly as the OSV schema's "Evaluation" pseudocode defines it.
//!
//! A version is affected by an `affected[]` entry when it is listed in `versions` or lies in
//! one of `ranges`. Within a range, events are sorted by version (`"0"` first) and walked:
//! `introduced` at or below the version turns "affected" on, `fixed` at or below it turns it
//! off, a `last_affected` below it turns it off; `limit` events cap the range (`"*"` is
//! infinity, no limit means no cap).
//!
//! Traps, and what ward does about them:
//! - **`GIT` ranges** need the repository's commit graph. They are skipped with a note, and the
//!   other ranges are still evaluated.
//! - **A version that does not parse** (in an event, or the one asked about) makes that range
//!   *not evaluable*. The answer is then [`Verdict::Unknown`] ("could not evaluate") unless
//!   another range or the `versions` list says affected; never a silent "not affected".
//! - **A range without `introduced`** is invalid per the schema and would never match; it is
//!   reported as not evaluable instead of quietly hiding a vulnerability.
//! - **`"0"`** in `introduced` sorts before every version, including pre-releases of `0.0.0`
//!   and ecosystems where `0` is itself a version.
//! - **Events in any order**: they are sorted first; events whose versions are equal keep
//!   their order in the record.
//! - **`ECOSYSTEM` ranges of an ecosystem ward cannot order** (`Linux`, `Android`, a name that
//!   is newer than ward) are not evaluable; the `versions` list still is.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ecosystem::Ecosystem;
use crate::error::VersionError;
use crate::scheme::{Scheme, Version};
use crate::set::{RangeVersion, Ranges, VersionSet};

/// One `affected[].ranges[]` object of an OSV record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsvRange {
    /// `SEMVER`, `ECOSYSTEM` or `GIT`.
    #[serde(rename = "type")]
    pub kind: RangeType,
    /// The repository of a `GIT` range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    /// The events, in any order.
    pub events: Vec<Event>,
}

/// The `type` of an OSV range.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RangeType {
    /// SemVer 2.0.0 precedence.
    Semver,
    /// The ecosystem's own ordering.
    Ecosystem,
    /// Git commits.
    Git,
    /// A type this version of the schema does not define.
    Other(String),
}

impl RangeType {
    /// The name OSV uses.
    pub fn as_str(&self) -> &str {
        match self {
            RangeType::Semver => "SEMVER",
            RangeType::Ecosystem => "ECOSYSTEM",
            RangeType::Git => "GIT",
            RangeType::Other(s) => s,
        }
    }
}

impl Serialize for RangeType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RangeType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Ok(match s.as_str() {
            "SEMVER" => RangeType::Semver,
            "ECOSYSTEM" => RangeType::Ecosystem,
            "GIT" => RangeType::Git,
            _ => RangeType::Other(s),
        })
    }
}

/// One event of an OSV range: exactly one of the four kinds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawEvent", into = "RawEvent")]
pub enum Event {
    /// The vulnerability was introduced in this version (`"0"`: before every version).
    Introduced(String),
    /// The vulnerability was fixed in this version.
    Fixed(String),
    /// The last version known to be affected.
    LastAffected(String),
    /// Versions from this one on are outside the range (`"*"`: no limit).
    Limit(String),
}

impl Event {
    /// The event's version string.
    pub fn version(&self) -> &str {
        match self {
            Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v,
        }
    }

    fn kind(&self) -> EventKind {
        match self {
            Event::Introduced(_) => EventKind::Introduced,
            Event::Fixed(_) => EventKind::Fixed,
            Event::LastAffected(_) => EventKind::LastAffected,
            Event::Limit(_) => EventKind::Limit,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct RawEvent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    introduced: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fixed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_affected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    limit: Option<String>,
}

impl TryFrom<RawEvent> for Event {
    type Error = String;

    fn try_from(raw: RawEvent) -> Result<Self, Self::Error> {
        match (raw.introduced, raw.fixed, raw.last_affected, raw.limit) {
            (Some(v), None, None, None) => Ok(Event::Introduced(v)),
            (None, Some(v), None, None) => Ok(Event::Fixed(v)),
            (None, None, Some(v), None) => Ok(Event::LastAffected(v)),
            (None, None, None, Some(v)) => Ok(Event::Limit(v)),
            (None, None, None, None) => {
                Err("an event needs one of introduced, fixed, last_affected or limit".into())
            }
            _ => Err(
                "an event holds exactly one of introduced, fixed, last_affected or limit".into(),
            ),
        }
    }
}

impl From<Event> for RawEvent {
    fn from(event: Event) -> Self {
        let mut raw = RawEvent {
            introduced: None,
            fixed: None,
            last_affected: None,
            limit: None,
        };
        match event {
            Event::Introduced(v) => raw.introduced = Some(v),
            Event::Fixed(v) => raw.fixed = Some(v),
            Event::LastAffected(v) => raw.last_affected = Some(v),
            Event::Limit(v) => raw.limit = Some(v),
        }
        raw
    }
}

/// The answer to "is this version affected?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// In a range or in the `versions` list.
    Affected,
    /// Every range was evaluated and none holds the version.
    NotAffected,
    /// Some range could not be evaluated and none that could holds the version.
    Unknown,
}

/// The result of [`evaluate`]: the verdict, the fix to upgrade to, and what got in the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// Affected, not affected, or could not evaluate.
    pub verdict: Verdict,
    /// When affected through a range: the lowest `fixed` version above the version in that
    /// range, the upgrade that leaves the range.
    pub fixed: Option<String>,
    /// Ranges skipped or not evaluable, and why.
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a range was skipped or could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Diagnostic {
    /// A `GIT` range: needs the repository, skipped.
    GitRangeSkipped {
        /// Index of the range in `ranges`.
        range: usize,
    },
    /// A range type the schema does not define.
    UnknownRangeType {
        /// Index of the range in `ranges`.
        range: usize,
        /// The type as written.
        kind: String,
    },
    /// An `ECOSYSTEM` range of an ecosystem whose ordering ward does not have.
    NoOrdering {
        /// Index of the range in `ranges`.
        range: usize,
        /// The ecosystem.
        ecosystem: String,
    },
    /// A version in an event, or the version asked about, does not parse.
    InvalidVersion {
        /// Index of the range in `ranges`.
        range: usize,
        /// The parse error.
        error: VersionError,
    },
    /// A range with no `introduced` event, which the schema forbids.
    NoIntroduced {
        /// Index of the range in `ranges`.
        range: usize,
    },
}

impl Diagnostic {
    /// Whether the range could not be evaluated (as opposed to skipped by design).
    pub fn is_unevaluable(&self) -> bool {
        !matches!(self, Diagnostic::GitRangeSkipped { .. })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Diagnostic::GitRangeSkipped { range } => {
                write!(
                    f,
                    "range {range}: GIT range skipped (needs the repository's commit graph)"
                )
            }
            Diagnostic::UnknownRangeType { range, kind } => {
                write!(
                    f,
                    "range {range}: could not evaluate: unknown range type {kind:?}; expected SEMVER, ECOSYSTEM or GIT"
                )
            }
            Diagnostic::NoOrdering { range, ecosystem } => {
                write!(
                    f,
                    "range {range}: could not evaluate: ward has no version ordering for ecosystem {ecosystem:?}"
                )
            }
            Diagnostic::InvalidVersion { range, error } => {
                write!(f, "range {range}: could not evaluate: {error}")
            }
            Diagnostic::NoIntroduced { range } => {
                write!(
                    f,
                    "range {range}: could not evaluate: no \"introduced\" event (the OSV schema requires one)"
                )
            }
        }
    }
}

/// Evaluates whether `version` of a package in `ecosystem` is affected by one `affected[]`
/// entry with these `ranges` and `versions`.
pub fn evaluate(
    ecosystem: &Ecosystem,
    ranges: &[OsvRange],
    versions: &[String],
    version: &str,
) -> Evaluation {
    let mut diagnostics = Vec::new();
    let scheme = ecosystem.scheme();

    if in_versions(scheme, versions, version) {
        return Evaluation {
            verdict: Verdict::Affected,
            fixed: None,
            diagnostics,
        };
    }

    let mut unknown = false;
    for (index, range) in ranges.iter().enumerate() {
        let scheme = match &range.kind {
            RangeType::Git => {
                diagnostics.push(Diagnostic::GitRangeSkipped { range: index });
                continue;
            }
            RangeType::Other(kind) => {
                diagnostics.push(Diagnostic::UnknownRangeType {
                    range: index,
                    kind: kind.clone(),
                });
                unknown = true;
                continue;
            }
            RangeType::Semver => Scheme::SemVer,
            RangeType::Ecosystem => match scheme {
                Some(scheme) => scheme,
                None => {
                    diagnostics.push(Diagnostic::NoOrdering {
                        range: index,
                        ecosystem: ecosystem.to_string(),
                    });
                    unknown = true;
                    continue;
                }
            },
        };
        match evaluate_range(scheme, &range.events, version) {
            Ok(RangeResult {
                affected: true,
                fixed,
            }) => {
                return Evaluation {
                    verdict: Verdict::Affected,
                    fixed,
                    diagnostics,
                };
            }
            Ok(_) => {}
            Err(problem) => {
                diagnostics.push(problem.at(index));
                unknown = true;
            }
        }
    }
    let verdict = if unknown {
        Verdict::Unknown
    } else {
        Verdict::NotAffected
    };
    Evaluation {
        verdict,
        fixed: None,
        diagnostics,
    }
}

fn in_versions(scheme: Option<Scheme>, versions: &[String], version: &str) -> bool {
    if versions.iter().any(|v| v == version) {
        return true;
    }
    // `1.0` and `1.0.0` are one PyPI version: compare in the scheme when both parse.
    let Some(scheme) = scheme else { return false };
    let Ok(parsed) = scheme.parse_version(version) else {
        return false;
    };
    versions.iter().any(|v| {
        scheme
            .parse_version(v)
            .is_ok_and(|listed| listed.compare(&parsed) == Some(Ordering::Equal))
    })
}

struct RangeResult {
    affected: bool,
    fixed: Option<String>,
}

enum Problem {
    NoIntroduced,
    Invalid(VersionError),
}

impl Problem {
    fn at(self, range: usize) -> Diagnostic {
        match self {
            Problem::NoIntroduced => Diagnostic::NoIntroduced { range },
            Problem::Invalid(error) => Diagnostic::InvalidVersion { range, error },
        }
    }
}

/// A point on a scheme's version line, extended with the two ends OSV names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Point<V> {
    /// `introduced: "0"`: before every version.
    Start,
    /// A version.
    At(V),
    /// `limit: "*"`: after every version.
    End,
}

/// The kind of an event, without its version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// `introduced`
    Introduced,
    /// `fixed`
    Fixed,
    /// `last_affected`
    LastAffected,
    /// `limit`
    Limit,
}

fn evaluate_range(scheme: Scheme, events: &[Event], version: &str) -> Result<RangeResult, Problem> {
    if !events.iter().any(|e| matches!(e, Event::Introduced(_))) {
        return Err(Problem::NoIntroduced);
    }
    let v = scheme.parse_version(version).map_err(Problem::Invalid)?;
    let mut parsed = Vec::with_capacity(events.len());
    for event in events {
        let point = match (event, event.version()) {
            (Event::Introduced(_), "0") => Point::Start,
            (Event::Limit(_), "*") => Point::End,
            (_, text) => Point::At(scheme.parse_version(text).map_err(Problem::Invalid)?),
        };
        parsed.push((point, event.kind(), event.version()));
    }
    let cmp = |a: &Point<Version>, b: &Point<Version>| match (a, b) {
        (Point::At(a), Point::At(b)) => a.compare(b).expect("one scheme within a range"),
        _ => point_rank(a).cmp(&point_rank(b)),
    };
    // Stable: equal versions keep the record's order.
    stable_sort(&mut parsed, |a, b| cmp(&a.0, &b.0));
    let at = Point::At(v);
    let affected = walk(parsed.iter().map(|(p, k, _)| (p, *k)), |p| cmp(&at, p));
    let fixed = affected
        .then(|| {
            parsed
                .iter()
                .find(|(p, k, _)| *k == EventKind::Fixed && cmp(p, &at) == Ordering::Greater)
                .map(|(_, _, text)| (*text).to_owned())
        })
        .flatten();
    Ok(RangeResult { affected, fixed })
}

/// A stable insertion sort that never panics, whatever `cmp` answers.
///
/// Not every ecosystem's order is a total order (Maven's `ComparableVersion` has cycles such
/// as `1-alpha < 1 < 1.foo < 1-alpha`, Packagist's `#` equals every number), and the standard
/// library's sorts may panic when they notice. Event lists come from untrusted records, so
/// they are sorted with this instead: with a consistent `cmp` it is an ordinary stable sort;
/// with an inconsistent one it still terminates with some order. Event lists are short.
fn stable_sort<T>(items: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && cmp(&items[j - 1], &items[j]) == Ordering::Greater {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

fn point_rank<V>(p: &Point<V>) -> u8 {
    match p {
        Point::Start => 0,
        Point::At(_) => 1,
        Point::End => 2,
    }
}

/// The schema's pseudocode, over sorted events: `BeforeLimits` and the walk. `order_of(p)`
/// is how the version asked about compares with the event point `p`.
fn walk<'a, V: 'a>(
    sorted: impl Iterator<Item = (&'a Point<V>, EventKind)> + Clone,
    order_of: impl Fn(&Point<V>) -> Ordering,
) -> bool {
    let mut limits = sorted
        .clone()
        .filter(|(_, k)| *k == EventKind::Limit)
        .peekable();
    if limits.peek().is_some() && !limits.any(|(limit, _)| order_of(limit) == Ordering::Less) {
        return false;
    }
    let mut vulnerable = false;
    for (point, kind) in sorted {
        let order = order_of(point);
        match kind {
            EventKind::Introduced if order != Ordering::Less => vulnerable = true,
            EventKind::Fixed if order != Ordering::Less => vulnerable = false,
            EventKind::LastAffected if order == Ordering::Greater => vulnerable = false,
            _ => {}
        }
    }
    vulnerable
}

/// The versions an OSV range's events cover, as intervals: the same answer as the
/// evaluation pseudocode for every version, in the form the vulnerability index and the
/// advisory editor use. Events need not be sorted.
///
/// The pseudocode's answer can only change at an event's version, so it is evaluated once
/// below the lowest event, once at each event version, and once in each gap between two
/// event versions; the set is the union of the pieces where it says affected. Deriving the
/// intervals from the pseudocode itself, rather than re-stating its rules, keeps the two in
/// agreement for every order and mix of events.
pub fn events_to_set<V: RangeVersion>(events: &[(Point<V>, EventKind)]) -> VersionSet<V> {
    let mut sorted: Vec<&(Point<V>, EventKind)> = events.iter().collect();
    stable_sort(&mut sorted, |a, b| a.0.cmp(&b.0));
    let pairs = || sorted.iter().map(|(p, k)| (p, *k));
    let mut versions: Vec<&V> = sorted
        .iter()
        .filter_map(|(p, _)| match p {
            Point::At(v) => Some(v),
            _ => None,
        })
        .collect();
    versions.dedup();

    let mut set = Ranges::empty();
    let Some(lowest) = versions.first() else {
        // No version to compare with: every version sits between `Start` and `End`.
        let everywhere = walk(pairs(), |p| {
            if *p == Point::Start {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        });
        return VersionSet::new(if everywhere {
            Ranges::full()
        } else {
            Ranges::empty()
        });
    };
    // Below the lowest event version.
    if walk(pairs(), |p| match p {
        Point::Start => Ordering::Greater,
        _ => Ordering::Less,
    }) {
        set = set.union(&Ranges::strictly_lower_than((*lowest).clone()));
    }
    for (i, v) in versions.iter().enumerate() {
        // At the event version itself.
        if walk(pairs(), |p| Point::At(*v).cmp(&p.as_ref())) {
            set = set.union(&Ranges::singleton((*v).clone()));
        }
        // Strictly between it and the next event version (or above it, for the last).
        let above = walk(pairs(), |p| match p {
            Point::Start => Ordering::Greater,
            Point::End => Ordering::Less,
            Point::At(w) if w <= *v => Ordering::Greater,
            Point::At(_) => Ordering::Less,
        });
        if above {
            let gap = match versions.get(i + 1) {
                Some(next) => Ranges::strictly_higher_than((*v).clone())
                    .intersection(&Ranges::strictly_lower_than((*next).clone())),
                None => Ranges::strictly_higher_than((*v).clone()),
            };
            set = set.union(&gap);
        }
    }
    VersionSet::new(set)
}

impl<V> Point<V> {
    fn as_ref(&self) -> Point<&V> {
        match self {
            Point::Start => Point::Start,
            Point::At(v) => Point::At(v),
            Point::End => Point::End,
        }
    }
}

/// The pseudocode over already-parsed events, for checking [`events_to_set`] against.
#[doc(hidden)]
pub fn walk_parsed<V: Ord>(events: &[(Point<V>, EventKind)], v: &V) -> bool {
    let mut sorted: Vec<&(Point<V>, EventKind)> = events.iter().collect();
    stable_sort(&mut sorted, |a, b| a.0.cmp(&b.0));
    walk(sorted.iter().map(|(p, k)| (p, *k)), |p| {
        Point::At(v).cmp(&p.as_ref())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn range(kind: &str, events: &str) -> OsvRange {
        serde_json::from_str(&format!(r#"{{"type": "{kind}", "events": {events}}}"#))
            .expect("valid range JSON")
    }

    fn verdict(eco: &str, ranges: &[OsvRange], versions: &[&str], v: &str) -> Evaluation {
        let versions: Vec<String> = versions.iter().map(|s| (*s).to_owned()).collect();
        evaluate(&eco.parse().expect("ecosystem"), ranges, &versions, v)
    }

    #[test]
    fn introduced_fixed_in_any_order() {
        let r = range(
            "SEMVER",
            r#"[{"fixed": "1.0.2"}, {"introduced": "0"}, {"introduced": "3.0.0"}, {"fixed": "3.2.5"}]"#,
        );
        for (v, expected, fix) in [
            ("0.0.0-alpha", Verdict::Affected, Some("1.0.2")),
            ("1.0.1", Verdict::Affected, Some("1.0.2")),
            ("1.0.2", Verdict::NotAffected, None),
            ("2.9.9", Verdict::NotAffected, None),
            ("3.2.5-rc.1", Verdict::Affected, Some("3.2.5")),
            ("3.2.5", Verdict::NotAffected, None),
        ] {
            let e = verdict("npm", std::slice::from_ref(&r), &[], v);
            assert_eq!(e.verdict, expected, "{v}");
            assert_eq!(e.fixed.as_deref(), fix, "{v}");
        }
    }

    #[test]
    fn last_affected_is_inclusive_and_limit_caps() {
        let r = range(
            "SEMVER",
            r#"[{"introduced": "1.0.0"}, {"last_affected": "1.4.0"}]"#,
        );
        assert_eq!(
            verdict("Go", std::slice::from_ref(&r), &[], "1.4.0").verdict,
            Verdict::Affected
        );
        assert_eq!(
            verdict("Go", std::slice::from_ref(&r), &[], "1.4.1").verdict,
            Verdict::NotAffected
        );
        let r = range("SEMVER", r#"[{"introduced": "0"}, {"limit": "2.0.0"}]"#);
        assert_eq!(
            verdict("Go", std::slice::from_ref(&r), &[], "1.9.0").verdict,
            Verdict::Affected
        );
        assert_eq!(
            verdict("Go", std::slice::from_ref(&r), &[], "2.0.0").verdict,
            Verdict::NotAffected
        );
        let r = range("SEMVER", r#"[{"introduced": "0"}, {"limit": "*"}]"#);
        assert_eq!(
            verdict("Go", std::slice::from_ref(&r), &[], "99.0.0").verdict,
            Verdict::Affected
        );
    }

    #[test]
    fn git_ranges_are_skipped_and_the_rest_evaluated() {
        let git = range(
            "GIT",
            r#"[{"introduced": "0"}, {"fixed": "9f3a0c1e6bd63ab4a02b1d6dc7a39de1d1d0f5b2"}]"#,
        );
        let semver = range("SEMVER", r#"[{"introduced": "0"}, {"fixed": "1.0.0"}]"#);
        let e = verdict("npm", &[git.clone(), semver], &[], "0.5.0");
        assert_eq!(e.verdict, Verdict::Affected);
        assert_eq!(
            e.diagnostics,
            vec![Diagnostic::GitRangeSkipped { range: 0 }]
        );
        let e = verdict("npm", &[git], &[], "0.5.0");
        assert_eq!(
            e.verdict,
            Verdict::NotAffected,
            "a skipped GIT range is not a failure to evaluate"
        );
    }

    #[test]
    fn unparseable_versions_are_never_a_silent_answer() {
        let r = range(
            "SEMVER",
            r#"[{"introduced": "0"}, {"fixed": "not-a-version"}]"#,
        );
        let e = verdict("npm", std::slice::from_ref(&r), &[], "1.0.0");
        assert_eq!(e.verdict, Verdict::Unknown);
        assert!(
            e.diagnostics[0]
                .to_string()
                .starts_with("range 0: could not evaluate: invalid SEMVER version"),
            "{}",
            e.diagnostics[0]
        );
        let ok = range("SEMVER", r#"[{"introduced": "0"}, {"fixed": "2.0.0"}]"#);
        let e = verdict("npm", &[r.clone(), ok], &[], "1.0.0");
        assert_eq!(e.verdict, Verdict::Affected, "another range still answers");
        let e = verdict("npm", std::slice::from_ref(&r), &["1.0.0"], "1.0.0");
        assert_eq!(
            e.verdict,
            Verdict::Affected,
            "the versions list still answers"
        );
    }

    #[test]
    fn no_introduced_and_unknown_ecosystems_are_reported() {
        let r = range("SEMVER", r#"[{"fixed": "1.0.0"}]"#);
        let e = verdict("npm", std::slice::from_ref(&r), &[], "0.1.0");
        assert_eq!(e.verdict, Verdict::Unknown);
        assert_eq!(e.diagnostics, vec![Diagnostic::NoIntroduced { range: 0 }]);
        let r = range("ECOSYSTEM", r#"[{"introduced": "0"}, {"fixed": "5.10"}]"#);
        let e = verdict("Linux", std::slice::from_ref(&r), &[], "5.9");
        assert_eq!(e.verdict, Verdict::Unknown);
        assert!(matches!(e.diagnostics[0], Diagnostic::NoOrdering { .. }));
    }

    #[test]
    fn events_hold_exactly_one_kind() {
        let err = serde_json::from_str::<Event>(r#"{"introduced": "1.0.0", "fixed": "1.0.2"}"#)
            .unwrap_err();
        assert!(err.to_string().contains("exactly one"), "{err}");
        assert!(serde_json::from_str::<Event>("{}").is_err());
        let round = serde_json::to_string(&Event::LastAffected("1.2".into())).expect("serializes");
        assert_eq!(round, r#"{"last_affected":"1.2"}"#);
    }

    fn point() -> impl Strategy<Value = Point<u8>> {
        prop_oneof![1 => Just(Point::Start), 8 => (0u8..12).prop_map(Point::At), 1 => Just(Point::End)]
    }

    fn kind() -> impl Strategy<Value = EventKind> {
        prop_oneof![
            Just(EventKind::Introduced),
            Just(EventKind::Fixed),
            Just(EventKind::LastAffected),
            Just(EventKind::Limit)
        ]
    }

    #[test]
    fn sorting_events_survives_an_inconsistent_order() {
        // A comparison that says every pair is "greater": no total order at all.
        let mut items = vec![3, 1, 2, 5, 4];
        stable_sort(&mut items, |_, _| Ordering::Greater);
        assert_eq!(items.len(), 5);
        let mut items = vec![(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd')];
        stable_sort(&mut items, |a, b| a.0.cmp(&b.0));
        assert_eq!(
            items,
            vec![(1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')],
            "stable"
        );
    }

    #[test]
    fn maven_cycles_in_events_do_not_panic() {
        // `1-alpha < 1 < 1.foo < 1-alpha` in Maven's own ComparableVersion.
        let r = range(
            "ECOSYSTEM",
            r#"[{"introduced": "1.foo"}, {"fixed": "1"}, {"introduced": "1-alpha"}, {"fixed": "1.foo"}]"#,
        );
        for v in ["1", "1-alpha", "1.foo", "2"] {
            let _ = verdict("Maven", std::slice::from_ref(&r), &[], v);
        }
    }

    impl RangeVersion for u8 {
        type Exclusion = crate::set::NoExclusion;
        fn is_excluded_by(&self, e: &Self::Exclusion) -> bool {
            match *e {}
        }
    }

    proptest! {
        /// The interval form agrees with the schema's pseudocode for every version, whatever
        /// the events and their order.
        #[test]
        fn intervals_agree_with_the_pseudocode(events in proptest::collection::vec((point(), kind()), 0..8)) {
            // `Start` is only meaningful for introduced and `End` only for limit, as in OSV.
            let events: Vec<_> = events.into_iter().filter(|(p, k)| match p {
                Point::Start => *k == EventKind::Introduced,
                Point::End => *k == EventKind::Limit,
                Point::At(_) => true,
            }).collect();
            let set = events_to_set(&events);
            for v in 0u8..13 {
                prop_assert_eq!(set.contains(&v), walk_parsed(&events, &v), "version {} events {:?} set {}", v, events, set);
            }
        }
    }
}
