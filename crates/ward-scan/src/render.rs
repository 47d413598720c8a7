//! Writing a [`Report`]: a table for people, JSON for programs (`docs/scan-json.md`), SARIF
//! 2.1.0 for code-scanning dashboards, Markdown for pull-request comments.

mod markdown;
mod sarif;
mod table;

pub use markdown::markdown;
pub use sarif::sarif;
pub use table::table;

use crate::Report;

/// The report as pretty JSON, in the documented shape.
pub fn json(report: &Report) -> String {
    // Serialising plain structs of strings and numbers cannot fail.
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// The findings of `report` locked in `path`, in report order.
fn findings_in<'a>(report: &'a Report, path: &'a str) -> impl Iterator<Item = &'a crate::Finding> {
    report
        .findings
        .iter()
        .filter(move |f| f.locations.iter().any(|l| l.path == path))
}

/// The first line at which `finding` is locked in `path`.
fn line_in(finding: &crate::Finding, path: &str) -> u32 {
    finding
        .locations
        .iter()
        .filter(|l| l.path == path)
        .map(|l| l.line)
        .min()
        .unwrap_or(0)
}

/// A one-line severity label: `high 7.5`, `medium`, `unmaintained`, `?` when unrated.
fn severity_label(finding: &crate::Finding) -> String {
    if let Some(kind) = &finding.informational {
        return kind.clone();
    }
    match &finding.severity {
        Some(s) => match s.score {
            Some(score) => format!("{} {score:.1}", s.level),
            None => s.level.to_owned(),
        },
        None => "unrated".to_owned(),
    }
}

/// The sentence that ends every human-readable report.
fn verdict_sentence(report: &Report) -> String {
    let s = &report.summary;
    let counted: Vec<&crate::Finding> = report.findings.iter().filter(|f| f.counted).collect();
    let mut parts = Vec::new();
    if counted.is_empty() {
        parts.push("no known vulnerability that fails the scan".to_owned());
    } else {
        let levels = crate::run::by_level(&counted)
            .into_iter()
            .map(|(level, n)| format!("{n} {level}"))
            .collect::<Vec<_>>()
            .join(", ");
        parts.push(format!(
            "{} {} ({levels})",
            counted.len(),
            plural(counted.len(), "vulnerability", "vulnerabilities")
        ));
    }
    if s.ignored > 0 {
        parts.push(format!("{} ignored by ward.toml", s.ignored));
    }
    if s.below_threshold > 0 {
        parts.push(format!(
            "{} below the severity threshold",
            s.below_threshold
        ));
    }
    if s.informational > 0 {
        parts.push(format!("{} informational", s.informational));
    }
    if s.errors > 0 {
        parts.push(format!(
            "{} {} could not be read",
            s.errors,
            plural(s.errors, "lockfile", "lockfiles")
        ));
    }
    parts.join("; ")
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
