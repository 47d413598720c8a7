//! The ignore list: `[[scan.ignore]]` entries of `ward.toml`.
//!
//! ```toml
//! [[scan.ignore]]
//! id = "RUSTSEC-2020-0071"          # the finding's id or any of its aliases
//! reason = "time is only used for formatting, never with a local offset"
//! until = "2027-01-31"               # optional: the entry stops applying after this day
//! paths = ["services/legacy/**"]     # optional: only findings in these lockfiles
//! ```
//!
//! Traps: an entry that outlives its reason is the usual way a vulnerability hides, so an
//! expired entry no longer applies and says so, and an entry that matched nothing is
//! reported as unused (the advisory was fixed, or the id has a typo). A reason is required.

use globset::{Glob, GlobMatcher};
use jiff::civil::Date;

/// One accepted finding.
#[derive(Debug, Clone)]
pub struct IgnoreRule {
    /// The advisory id or alias.
    pub id: String,
    /// Why it is accepted.
    pub reason: String,
    /// The last day the entry applies.
    pub until: Option<Date>,
    /// The lockfile paths it applies to (globs, relative to where the scan runs); empty:
    /// everywhere.
    pub paths: Vec<String>,
    matchers: Vec<GlobMatcher>,
}

/// An ignore entry that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IgnoreError {
    /// The id is empty.
    #[error("ignore entry has an empty id")]
    EmptyId,
    /// No reason given.
    #[error("ignore entry {id} has no reason; say why the finding is accepted")]
    NoReason {
        /// The entry's id.
        id: String,
    },
    /// A path glob does not parse.
    #[error("ignore entry {id}: invalid path glob {glob:?}: {source}")]
    Glob {
        /// The entry's id.
        id: String,
        /// The glob.
        glob: String,
        /// Why.
        #[source]
        source: globset::Error,
    },
}

impl IgnoreRule {
    /// A validated entry.
    ///
    /// # Errors
    ///
    /// When the id or reason is empty or a path glob is invalid.
    pub fn new(
        id: String,
        reason: String,
        until: Option<Date>,
        paths: Vec<String>,
    ) -> Result<Self, IgnoreError> {
        if id.trim().is_empty() {
            return Err(IgnoreError::EmptyId);
        }
        if reason.trim().is_empty() {
            return Err(IgnoreError::NoReason { id });
        }
        let mut matchers = Vec::with_capacity(paths.len());
        for glob in &paths {
            let matcher = Glob::new(glob)
                .map_err(|source| IgnoreError::Glob {
                    id: id.clone(),
                    glob: glob.clone(),
                    source,
                })?
                .compile_matcher();
            matchers.push(matcher);
        }
        Ok(IgnoreRule {
            id,
            reason,
            until,
            paths,
            matchers,
        })
    }

    /// Whether the entry has expired on `today` (it applies through `until` inclusive).
    pub fn is_expired(&self, today: Date) -> bool {
        self.until.is_some_and(|until| today > until)
    }

    /// Whether the entry covers a finding known by `ids`, located in `path`.
    pub(crate) fn covers<'a>(&self, mut ids: impl Iterator<Item = &'a str>, path: &str) -> bool {
        let id_matches = ids.any(|id| id.eq_ignore_ascii_case(&self.id));
        let path_matches =
            self.matchers.is_empty() || self.matchers.iter().any(|m| m.is_match(path));
        id_matches && path_matches
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(until: Option<Date>, paths: &[&str]) -> IgnoreRule {
        IgnoreRule::new(
            "RUSTSEC-2020-0071".into(),
            "only formats UTC".into(),
            until,
            paths.iter().map(|p| (*p).to_owned()).collect(),
        )
        .expect("valid rule")
    }

    #[test]
    fn covers_by_id_or_alias_case_insensitively() {
        let r = rule(None, &[]);
        assert!(r.covers(
            ["CVE-2020-26235", "rustsec-2020-0071"].into_iter(),
            "Cargo.lock"
        ));
        assert!(!r.covers(["RUSTSEC-2020-0159"].into_iter(), "Cargo.lock"));
    }

    #[test]
    fn paths_restrict_where_it_applies() {
        let r = rule(None, &["legacy/**"]);
        assert!(r.covers(["RUSTSEC-2020-0071"].into_iter(), "legacy/app/Cargo.lock"));
        assert!(!r.covers(["RUSTSEC-2020-0071"].into_iter(), "Cargo.lock"));
    }

    #[test]
    fn until_is_inclusive() {
        let r = rule(Some(jiff::civil::date(2026, 11, 23)), &[]);
        assert!(!r.is_expired(jiff::civil::date(2026, 11, 23)));
        assert!(r.is_expired(jiff::civil::date(2026, 11, 24)));
    }

    #[test]
    fn a_reason_is_required() {
        let err = IgnoreRule::new("X-1".into(), " ".into(), None, vec![]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "ignore entry X-1 has no reason; say why the finding is accepted"
        );
    }

    #[test]
    fn a_bad_glob_is_an_error() {
        let err = IgnoreRule::new("X-1".into(), "r".into(), None, vec!["a/[".into()]).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("ignore entry X-1: invalid path glob \"a/[\"")
        );
    }
}
