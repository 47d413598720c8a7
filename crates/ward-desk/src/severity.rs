//! CVSS 3.1 and 4.0: vectors, scores (the `cvss` crate's, cross-checked in CI against the
//! reference Python `cvss` library), and ward's bands.
//!
//! Bands follow the CVSS qualitative scale (Critical ≥ 9.0, High ≥ 7.0, Medium ≥ 4.0, Low > 0);
//! the desk shows what each typically means: Critical — remote code execution, data breach;
//! High — authentication bypass, privilege escalation; Medium — information disclosure, denial
//! of service; Low — hardening.
//!
//! What [`Cvss::score`] is, and the traps:
//! - **CVSS 3.1**: the environmental score when the vector sets an environmental metric
//!   (`CR`, `IR`, `AR`, `MAV` ... `MA`, to anything but `X`), else the temporal score when it
//!   sets a temporal one (`E`, `RL`, `RC`), else the base score: the most specific score the
//!   vector has, as the specification recommends. These are the three numbers of the
//!   reference library's `CVSS3.scores()`.
//! - **CVSS 3.0** vectors are read, scored and written as 3.1 (3.1 only changed the rounding
//!   and the environmental formula under a changed scope, both fixes).
//! - **CVSS 4.0**: the one score of the vector (CVSS-B, -BT, -BE or -BTE, by the metrics it sets).
//! - **Vectors are untrusted**: anything but a complete, well-formed vector is a
//!   [`CvssError`] naming what is wrong, never a panic and never a default score. The `cvss`
//!   crate accepts 3.x vectors without their base metrics; this module refuses them.
//! - **Normalised form**: the prefix `CVSS:3.1/` or `CVSS:4.0/`, metrics in the
//!   specification's order, metrics set to `X` (not defined) left out, names and values in
//!   their canonical case (they are read case-insensitively).

use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A CVSS version ward scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CvssVersion {
    /// CVSS v3.1 (`CVSS:3.1/...`; `CVSS:3.0/` vectors are read as 3.1).
    V3,
    /// CVSS v4.0 (`CVSS:4.0/...`).
    V4,
}

/// A parsed, scored vector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cvss {
    /// Which version.
    pub version: CvssVersion,
    /// The vector, normalised (canonical metric order).
    pub vector: String,
    /// The score, 0.0–10.0, one decimal.
    pub score: f64,
}

/// The band a score falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// 0.0.
    None,
    /// 0.1–3.9: hardening.
    Low,
    /// 4.0–6.9: information disclosure, denial of service.
    Medium,
    /// 7.0–8.9: authentication bypass, privilege escalation.
    High,
    /// 9.0–10.0: remote code execution, data breach.
    Critical,
}

/// A vector that is not valid CVSS 3.1 or 4.0.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid CVSS vector {vector:?}: {reason}")]
pub struct CvssError {
    /// The input.
    pub vector: String,
    /// What is wrong with it.
    pub reason: String,
}

impl Cvss {
    /// Parses and scores a vector (version from its prefix).
    pub fn parse(vector: &str) -> Result<Cvss, CvssError> {
        let input = vector.trim();
        let fail = |reason: String| CvssError {
            vector: shorten(input),
            reason,
        };
        if input.len() > MAX_VECTOR_LEN {
            return Err(fail(format!("longer than {MAX_VECTOR_LEN} characters")));
        }
        let (prefix, metrics) = input
            .split_once('/')
            .ok_or_else(|| fail("expected CVSS:3.1/... or CVSS:4.0/...".to_owned()))?;
        let version = match prefix.to_ascii_uppercase().as_str() {
            "CVSS:3.1" | "CVSS:3.0" => CvssVersion::V3,
            "CVSS:4.0" => CvssVersion::V4,
            _ => {
                return Err(fail(
                    "only CVSS 3.1 (or 3.0) and 4.0 vectors are scored; they start with \
                     CVSS:3.1/ or CVSS:4.0/"
                        .to_owned(),
                ));
            }
        };
        if metrics.split('/').any(str::is_empty) {
            return Err(fail("empty metric (a doubled or trailing /)".to_owned()));
        }
        let scored = match version {
            CvssVersion::V3 => v3::score(metrics),
            CvssVersion::V4 => v4::score(metrics),
        }
        .map_err(fail)?;
        Ok(Cvss {
            version,
            vector: scored.vector,
            score: scored.score,
        })
    }

    /// The band of the score.
    pub fn band(&self) -> Band {
        Band::from_score(self.score)
    }
}

impl Band {
    /// The band of a score.
    /// The band of a score (`None` for 0.0 and for anything that is not a score at all).
    pub fn from_score(score: f64) -> Band {
        if score >= 9.0 {
            Band::Critical
        } else if score >= 7.0 {
            Band::High
        } else if score >= 4.0 {
            Band::Medium
        } else if score > 0.0 {
            Band::Low
        } else {
            Band::None
        }
    }

    /// The stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Band::None => "none",
            Band::Low => "low",
            Band::Medium => "medium",
            Band::High => "high",
            Band::Critical => "critical",
        }
    }

    /// The name shown to people (`Critical`).
    pub fn label(self) -> &'static str {
        match self {
            Band::None => "None",
            Band::Low => "Low",
            Band::Medium => "Medium",
            Band::High => "High",
            Band::Critical => "Critical",
        }
    }

    /// What reports in this band typically are.
    pub fn examples(self) -> &'static str {
        match self {
            Band::None => "no security impact",
            Band::Low => "hardening",
            Band::Medium => "information disclosure, denial of service",
            Band::High => "authentication bypass, privilege escalation",
            Band::Critical => "remote code execution, data breach",
        }
    }
}

/// One base metric of the vector editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metric {
    /// Its abbreviation in the vector (`AV`).
    pub key: &'static str,
    /// Its name (`Attack Vector`).
    pub name: &'static str,
    /// Its values: (abbreviation, name), e.g. `("N", "Network")`.
    pub values: &'static [(&'static str, &'static str)],
}

/// The base metrics of a version, in vector order, for the editor.
pub fn base_metrics(version: CvssVersion) -> &'static [Metric] {
    match version {
        CvssVersion::V3 => tables::V3_BASE,
        CvssVersion::V4 => tables::V4_BASE,
    }
}

/// Builds and scores a vector from the editor's choices (metric key → value abbreviation).
/// Every base metric must be chosen, once, with one of its values; nothing else.
pub fn from_choices(version: CvssVersion, choices: &[(&str, &str)]) -> Result<Cvss, CvssError> {
    let metrics = base_metrics(version);
    let mut vector = version.prefix().to_owned();
    let mut problems = Vec::new();
    for metric in metrics {
        let mut chosen = choices.iter().filter(|(key, _)| *key == metric.key);
        match (chosen.next(), chosen.next()) {
            (Some((_, value)), None) => {
                if metric.values.iter().any(|(v, _)| v == value) {
                    vector.push_str(&format!("/{}:{}", metric.key, value));
                } else {
                    problems.push(format!(
                        "{} is not a value of {}",
                        value.escape_debug(),
                        metric.key
                    ));
                }
            }
            (None, _) => problems.push(format!("choose a value for {}", metric.name)),
            (Some(_), Some(_)) => problems.push(format!("{} is chosen twice", metric.key)),
        }
    }
    for (key, _) in choices {
        if !metrics.iter().any(|m| m.key == *key) {
            problems.push(format!("{} is not a base metric", key.escape_debug()));
        }
    }
    if !problems.is_empty() {
        return Err(CvssError {
            vector: shorten(&vector),
            reason: problems.join("; "),
        });
    }
    Cvss::parse(&vector)
}

impl CvssVersion {
    /// The vector prefix ward writes (`CVSS:3.1`).
    pub fn prefix(self) -> &'static str {
        match self {
            CvssVersion::V3 => "CVSS:3.1",
            CvssVersion::V4 => "CVSS:4.0",
        }
    }
}

/// The longest vector read: a complete CVSS 4.0 vector with every optional metric is about
/// 190 characters.
const MAX_VECTOR_LEN: usize = 512;

/// The input as an error repeats it: at most 100 characters.
fn shorten(input: &str) -> String {
    match input.char_indices().nth(100) {
        Some((end, _)) => format!("{}...", &input[..end]),
        None => input.to_owned(),
    }
}

/// A vector's normalised form and score.
struct Scored {
    vector: String,
    score: f64,
}

/// The normalised form of what the `cvss` crate parsed: its canonical `Display`, without the
/// metrics set to `X`. Returns the normalised vector and the names of the metrics it sets.
fn normalise(display: &str) -> (String, Vec<String>) {
    let mut parts = display.split('/');
    let mut vector = parts.next().unwrap_or_default().to_owned();
    let mut keys = Vec::new();
    for part in parts {
        let Some((key, value)) = part.split_once(':') else {
            continue;
        };
        if value == "X" {
            continue;
        }
        vector.push('/');
        vector.push_str(part);
        keys.push(key.to_owned());
    }
    (vector, keys)
}

fn crate_error(error: cvss::Error) -> String {
    error.to_string()
}

mod tables;

mod v3 {
    use super::*;

    const TEMPORAL: [&str; 3] = ["E", "RL", "RC"];
    const ENVIRONMENTAL: [&str; 11] = [
        "CR", "IR", "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA",
    ];

    pub(super) fn score(metrics: &str) -> Result<Scored, String> {
        let mut parsed =
            cvss::v3::Vector::from_str(&format!("CVSS:3.1/{metrics}")).map_err(crate_error)?;
        parsed.minor_version = 1;
        let missing: Vec<&str> = [
            ("AV", parsed.av.is_none()),
            ("AC", parsed.ac.is_none()),
            ("PR", parsed.pr.is_none()),
            ("UI", parsed.ui.is_none()),
            ("S", parsed.s.is_none()),
            ("C", parsed.c.is_none()),
            ("I", parsed.i.is_none()),
            ("A", parsed.a.is_none()),
        ]
        .into_iter()
        .filter_map(|(key, missing)| missing.then_some(key))
        .collect();
        if !missing.is_empty() {
            return Err(format!("missing base metric(s) {}", missing.join(", ")));
        }
        let (vector, keys) = normalise(&parsed.to_string());
        let sets = |group: &[&str]| keys.iter().any(|k| group.contains(&k.as_str()));
        let score = if sets(&ENVIRONMENTAL) {
            parsed.environmental_score()
        } else if sets(&TEMPORAL) {
            parsed.temporal_score()
        } else {
            parsed.base_score()
        }
        .value();
        Ok(Scored { vector, score })
    }
}

mod v4 {
    use super::*;

    pub(super) fn score(metrics: &str) -> Result<Scored, String> {
        let parsed =
            cvss::v4::Vector::from_str(&format!("CVSS:4.0/{metrics}")).map_err(crate_error)?;
        let (vector, _) = normalise(&parsed.to_string());
        Ok(Scored {
            vector,
            score: parsed.score().value(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_follow_the_qualitative_scale() {
        let cases = [
            (0.0, Band::None),
            (0.1, Band::Low),
            (3.9, Band::Low),
            (4.0, Band::Medium),
            (6.9, Band::Medium),
            (7.0, Band::High),
            (8.9, Band::High),
            (9.0, Band::Critical),
            (10.0, Band::Critical),
            (f64::NAN, Band::None),
            (-1.0, Band::None),
        ];
        for (score, band) in cases {
            assert_eq!(Band::from_score(score), band, "{score}");
        }
        assert_eq!(
            Band::Critical.examples(),
            "remote code execution, data breach"
        );
        assert!(Band::High > Band::Medium);
    }

    #[test]
    fn scores_and_normalises() {
        let v3 = Cvss::parse(" cvss:3.0/a:h/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N/E:X ").unwrap();
        assert_eq!(v3.version, CvssVersion::V3);
        assert_eq!(v3.vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        assert_eq!(v3.score, 9.8);
        assert_eq!(v3.band(), Band::Critical);
        // Temporal, then environmental metrics make the score more specific (the numbers are
        // the reference library's `CVSS3(v).scores()`).
        let temporal =
            Cvss::parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O").unwrap();
        assert_eq!(temporal.score, 8.5);
        let environmental =
            Cvss::parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/MAV:P").unwrap();
        assert_eq!(environmental.score, 6.2);
        let v4 =
            Cvss::parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:green")
                .unwrap();
        assert_eq!(v4.version, CvssVersion::V4);
        assert_eq!(
            v4.vector,
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:Green"
        );
        assert_eq!(v4.score, 9.3);
    }

    #[test]
    fn refuses_what_is_not_a_complete_vector() {
        for bad in [
            "",
            "garbage",
            "AV:N/AC:L/Au:N/C:P/I:P/A:P",
            "CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P",
            "CVSS:5.0/AV:N",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H//E:U",
            "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:3.1/AV:Z/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSC:S",
        ] {
            assert!(Cvss::parse(bad).is_err(), "{bad:?} was accepted");
        }
        let err = Cvss::parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H").unwrap_err();
        assert!(err.reason.contains("I, A"), "{err}");
        let long = format!("CVSS:3.1/{}", "AV:N/".repeat(200));
        let err = Cvss::parse(&long).unwrap_err();
        assert!(
            err.vector.len() < 110 && err.reason.contains("longer"),
            "{err}"
        );
    }

    #[test]
    fn the_editor_tables_are_the_base_metrics_in_order() {
        let keys = |v| base_metrics(v).iter().map(|m| m.key).collect::<Vec<_>>();
        assert_eq!(
            keys(CvssVersion::V3),
            ["AV", "AC", "PR", "UI", "S", "C", "I", "A"]
        );
        assert_eq!(
            keys(CvssVersion::V4),
            [
                "AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA"
            ]
        );
        // Every combination the editor offers first is a valid vector.
        for version in [CvssVersion::V3, CvssVersion::V4] {
            for pick in [0, 1] {
                let choices: Vec<(&str, &str)> = base_metrics(version)
                    .iter()
                    .map(|m| (m.key, m.values[pick.min(m.values.len() - 1)].0))
                    .collect();
                assert!(from_choices(version, &choices).is_ok());
            }
        }
    }

    #[test]
    fn from_choices_builds_and_checks() {
        let choices = [
            ("AV", "N"),
            ("AC", "L"),
            ("PR", "N"),
            ("UI", "N"),
            ("S", "U"),
            ("C", "H"),
            ("I", "H"),
            ("A", "H"),
        ];
        let cvss = from_choices(CvssVersion::V3, &choices).unwrap();
        assert_eq!(cvss.vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        let mut missing = choices.to_vec();
        missing.pop();
        let err = from_choices(CvssVersion::V3, &missing).unwrap_err();
        assert!(err.reason.contains("Availability"), "{err}");
        let mut wrong = choices.to_vec();
        wrong[0] = ("AV", "Q");
        wrong.push(("E", "U"));
        let err = from_choices(CvssVersion::V3, &wrong).unwrap_err();
        assert!(
            err.reason.contains("\"Q\"") || err.reason.contains("Q is not"),
            "{err}"
        );
        assert!(err.reason.contains("E is not a base metric"), "{err}");
        let mut twice = choices.to_vec();
        twice.push(("AV", "L"));
        assert!(from_choices(CvssVersion::V3, &twice).is_err());
    }
}
