//! Severity: a level and, where a CVSS vector gives one, a base score. (Skeleton.)

use crate::osv::{Affected, Vulnerability};

/// A severity level, in the bands CVSS defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// 0.0.
    None,
    /// 0.1-3.9.
    Low,
    /// 4.0-6.9 (GHSA's "MODERATE").
    Medium,
    /// 7.0-8.9.
    High,
    /// 9.0-10.0.
    Critical,
}

/// How severe a record (or one affected package of it) is, and from what.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    /// The band.
    pub level: Level,
    /// The CVSS base score, when computed from a vector.
    pub score: Option<f64>,
    /// The vector or rating it came from (`CVSS:3.1/...`, `GHSA: HIGH`).
    pub source: String,
}

/// The rating of `record`, preferring the affected entry's own severity, then the record's
/// CVSS vectors (newest CVSS version first), then a database's own rating.
pub fn rating(record: &Vulnerability, affected: Option<&Affected>) -> Option<Rating> {
    let _ = (record, affected);
    None
}
