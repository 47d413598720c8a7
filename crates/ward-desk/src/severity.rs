//! CVSS 3.1 and 4.0: vectors, scores (the `cvss` crate's, cross-checked in CI against the
//! reference Python `cvss` library), and ward's bands.
//!
//! Bands follow the CVSS qualitative scale (Critical ≥ 9.0, High ≥ 7.0, Medium ≥ 4.0, Low > 0);
//! the desk shows what each typically means: Critical — remote code execution, data breach;
//! High — authentication bypass, privilege escalation; Medium — information disclosure, denial
//! of service; Low — hardening.

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
        let _ = vector;
        todo!()
    }

    /// The band of the score.
    pub fn band(&self) -> Band {
        Band::from_score(self.score)
    }
}

impl Band {
    /// The band of a score.
    pub fn from_score(score: f64) -> Band {
        let _ = score;
        todo!()
    }

    /// The stable lower-case name.
    pub fn as_str(self) -> &'static str {
        todo!()
    }

    /// What reports in this band typically are.
    pub fn examples(self) -> &'static str {
        todo!()
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
    let _ = version;
    todo!()
}

/// Builds and scores a vector from the editor's choices (metric key → value abbreviation).
pub fn from_choices(version: CvssVersion, choices: &[(&str, &str)]) -> Result<Cvss, CvssError> {
    let _ = (version, choices);
    todo!()
}
