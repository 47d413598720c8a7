//! Severity: a level and, where a CVSS vector gives one, a base score.
//!
//! Sources, in order of preference: the `affected[]` entry's own `severity` (when the record
//! rates packages separately), else the record's; within those, CVSS v4, then v3.x, then v2
//! (the newest scoring system first), then Ubuntu's rating; else a database's own word in
//! `database_specific.severity` (GitHub's `LOW`/`MODERATE`/`HIGH`/`CRITICAL`, the Node.js
//! security-wg's `low`...`critical`).
//!
//! Traps:
//! - **Vectors are untrusted.** One that the `cvss` crate does not parse, or whose score is not
//!   a number in 0-10, is skipped, never a panic and never "critical by default".
//! - **Bands** are CVSS v3.1's qualitative scale (section 5): 0.0 none, 0.1-3.9 low,
//!   4.0-6.9 medium, 7.0-8.9 high, 9.0-10.0 critical; applied to v2 and v4 scores too, as
//!   OSV.dev and GitHub do.
//! - **GitHub's `MODERATE`** is medium.

use std::str::FromStr;

use serde_json::Value;

use crate::osv::{Affected, Severity, Vulnerability};

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

impl Level {
    /// The band of a CVSS base score; `None` for a score outside 0-10 (or not a number).
    pub fn from_score(score: f64) -> Option<Level> {
        if !(0.0..=10.0).contains(&score) {
            return None;
        }
        Some(if score == 0.0 {
            Level::None
        } else if score < 4.0 {
            Level::Low
        } else if score < 7.0 {
            Level::Medium
        } else if score < 9.0 {
            Level::High
        } else {
            Level::Critical
        })
    }

    /// A rating word: `low`, `moderate`/`medium`, `high`, `critical` (any case), and Ubuntu's
    /// `negligible` (low).
    pub fn from_word(word: &str) -> Option<Level> {
        match word.to_ascii_lowercase().as_str() {
            "none" => Some(Level::None),
            "negligible" | "low" => Some(Level::Low),
            "moderate" | "medium" => Some(Level::Medium),
            "high" => Some(Level::High),
            "critical" => Some(Level::Critical),
            _ => None,
        }
    }
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
    let own = affected.map(|a| a.severity.as_slice()).unwrap_or_default();
    let scores = if own.is_empty() {
        &record.severity
    } else {
        own
    };
    from_scores(scores)
        .or_else(|| affected.and_then(|a| from_database(a.database_specific.as_ref())))
        .or_else(|| from_database(record.database_specific.as_ref()))
}

fn from_scores(scores: &[Severity]) -> Option<Rating> {
    ["CVSS_V4", "CVSS_V3", "CVSS_V2", "Ubuntu"]
        .iter()
        .flat_map(|kind| scores.iter().filter(move |s| s.kind == *kind))
        .find_map(|s| {
            if s.kind == "Ubuntu" {
                return Level::from_word(&s.score).map(|level| Rating {
                    level,
                    score: None,
                    source: format!("Ubuntu: {}", s.score),
                });
            }
            let score = cvss::Cvss::from_str(&s.score).ok()?.score();
            Level::from_score(score).map(|level| Rating {
                level,
                score: Some(score),
                source: s.score.clone(),
            })
        })
}

fn from_database(database_specific: Option<&Value>) -> Option<Rating> {
    let word = database_specific?.get("severity")?.as_str()?;
    Level::from_word(word).map(|level| Rating {
        level,
        score: None,
        source: format!("database_specific.severity: {word}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str) -> Vulnerability {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"))
    }

    fn score(vector: &str) -> Option<f64> {
        let kind = if vector.starts_with("CVSS:4") {
            "CVSS_V4"
        } else if vector.starts_with("CVSS:3") {
            "CVSS_V3"
        } else {
            "CVSS_V2"
        };
        from_scores(&[Severity {
            kind: kind.into(),
            score: vector.into(),
        }])
        .and_then(|r| r.score)
    }

    #[test]
    fn scores_match_first_published_examples() {
        // FIRST's CVSS v3.1 calculator / NVD scores for these vectors.
        assert_eq!(
            score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            Some(9.8)
        );
        assert_eq!(
            score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"),
            Some(10.0)
        );
        // CVSS v3.1 specification, section 7.4 example: CVE-2013-1937 (phpMyAdmin XSS) is
        // AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N, 6.1.
        assert_eq!(
            score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"),
            Some(6.1)
        );
        assert_eq!(
            score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"),
            Some(0.0)
        );
        // CVSS v2 guide, section 3.3.1: CVE-2002-0392 (Apache chunked encoding),
        // AV:N/AC:L/Au:N/C:N/I:N/A:C, base score 7.8.
        assert_eq!(score("AV:N/AC:L/Au:N/C:N/I:N/A:C"), Some(7.8));
        // CVSS v4.0 calculator: everything high, no subsequent impact: 9.3.
        assert_eq!(
            score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
            Some(9.3)
        );
    }

    #[test]
    fn bands() {
        for (s, level) in [
            (0.0, Level::None),
            (0.1, Level::Low),
            (3.9, Level::Low),
            (4.0, Level::Medium),
            (6.9, Level::Medium),
            (7.0, Level::High),
            (8.9, Level::High),
            (9.0, Level::Critical),
            (10.0, Level::Critical),
        ] {
            assert_eq!(Level::from_score(s), Some(level), "{s}");
        }
        assert_eq!(Level::from_score(f64::NAN), None);
        assert_eq!(Level::from_score(10.1), None);
    }

    #[test]
    fn newest_cvss_first_and_invalid_vectors_skipped() {
        let r = record(
            r#"{"id": "GHSA-1", "modified": "2024-01-01T00:00:00Z", "severity": [
                {"type": "CVSS_V2", "score": "AV:N/AC:L/Au:N/C:N/I:N/A:C"},
                {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/garbage"},
                {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"}]}"#,
        );
        let rating = rating(&r, None).expect("rated");
        assert_eq!(rating.level, Level::Medium);
        assert_eq!(rating.score, Some(6.1));
    }

    #[test]
    fn affected_severity_wins_then_database_words() {
        let r = record(
            r#"{"id": "GHSA-1", "modified": "2024-01-01T00:00:00Z",
               "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
               "affected": [{"severity": [{"type": "Ubuntu", "score": "negligible"}]}, {}],
               "database_specific": {"severity": "MODERATE"}}"#,
        );
        assert_eq!(
            rating(&r, r.affected.first()).map(|r| r.level),
            Some(Level::Low)
        );
        assert_eq!(
            rating(&r, r.affected.get(1)).map(|r| r.level),
            Some(Level::Critical)
        );
        let ghsa = record(
            r#"{"id": "GHSA-1", "modified": "2024-01-01T00:00:00Z",
               "severity": [{"type": "CVSS_V3", "score": "not a vector"}],
               "database_specific": {"severity": "MODERATE"}}"#,
        );
        let rating_ = rating(&ghsa, None).expect("rated");
        assert_eq!((rating_.level, rating_.score), (Level::Medium, None));
        let none = record(r#"{"id": "GHSA-1", "modified": "2024-01-01T00:00:00Z"}"#);
        assert_eq!(rating(&none, None), None);
    }
}
