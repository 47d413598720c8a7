//! SARIF 2.1.0, for code-scanning dashboards (GitHub, GitLab, Azure DevOps).
//!
//! One rule per advisory, one result per (finding, lockfile) at the line the package is
//! locked. Levels: critical and high are `error`, medium `warning`, the rest `note`; a
//! finding that does not count (informational, under the threshold) is at most a `note`.
//! Ignored findings carry a `suppressions` entry with the reason, so dashboards show them as
//! accepted rather than losing them. `properties.security-severity` is the CVSS score, the
//! property GitHub ranks alerts by.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::{Finding, Report};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The report as a SARIF 2.1.0 log.
pub fn sarif(report: &Report) -> String {
    let mut rules: BTreeMap<&str, Value> = BTreeMap::new();
    let mut results = Vec::new();
    for finding in &report.findings {
        rules.entry(&finding.id).or_insert_with(|| rule(finding));
        let mut per_file: BTreeMap<&str, u32> = BTreeMap::new();
        for location in &finding.locations {
            let line = per_file.entry(&location.path).or_insert(location.line);
            *line = (*line).min(location.line);
        }
        for (path, line) in per_file {
            results.push(result(finding, path, line));
        }
    }
    let rule_index: BTreeMap<&str, usize> =
        rules.keys().enumerate().map(|(i, id)| (*id, i)).collect();
    for result in &mut results {
        let index = result["ruleId"]
            .as_str()
            .and_then(|id| rule_index.get(id))
            .copied();
        if let (Some(index), Some(object)) = (index, result.as_object_mut()) {
            object.insert("ruleIndex".into(), json!(index));
        }
    }
    let invocation_ok = report.errors.is_empty();
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| {
            json!({
                "level": "error",
                "message": { "text": e.message },
                "locations": [physical_location(&e.path, e.line.unwrap_or(1))],
            })
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "ward",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules.into_values().collect::<Vec<_>>(),
            }},
            "invocations": [{
                "executionSuccessful": invocation_ok,
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

fn rule(finding: &Finding) -> Value {
    let summary = finding
        .summary
        .clone()
        .unwrap_or_else(|| format!("{} in {}", finding.id, finding.package.name));
    let mut properties =
        json!({ "tags": ["security", "vulnerability", finding.package.ecosystem] });
    if let Some(score) = finding.severity.as_ref().and_then(|s| s.score) {
        properties["security-severity"] = json!(format!("{score:.1}"));
    }
    if let Some(kind) = &finding.informational {
        properties["tags"] = json!(["security", kind, finding.package.ecosystem]);
    }
    let mut aliases = finding.aliases.join(", ");
    if !aliases.is_empty() {
        aliases = format!(" Also known as {aliases}.");
    }
    json!({
        "id": finding.id,
        "name": finding.id,
        "shortDescription": { "text": summary },
        "fullDescription": { "text": format!("{summary}.{aliases}") },
        "helpUri": help_uri(&finding.id),
        "help": { "text": format!("Run `ward db show {}` for the full advisory.", finding.id) },
        "properties": properties,
    })
}

fn result(finding: &Finding, path: &str, line: u32) -> Value {
    let fix = match (&finding.fixed, &finding.last_known_affected) {
        (Some(fixed), _) => format!("; upgrade to {fixed} or later"),
        (None, Some(last)) => format!("; no fix released (last known affected {last})"),
        (None, None) => "; no fix released".to_owned(),
    };
    let mut result = json!({
        "ruleId": finding.id,
        "level": level(finding),
        "message": { "text": format!(
            "{} {} is affected by {}{}",
            finding.package.name, finding.package.version, finding.id, fix
        )},
        "locations": [physical_location(path, line)],
        "partialFingerprints": {
            "ward/v1": format!("{}:{}:{}@{}", finding.id, path, finding.package.name, finding.package.version),
        },
    });
    if let (Some(ignored), Some(object)) = (&finding.ignored, result.as_object_mut()) {
        object.insert(
            "suppressions".into(),
            json!([{ "kind": "external", "justification": ignored.reason }]),
        );
    }
    result
}

fn physical_location(path: &str, line: u32) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": path.replace('\\', "/") },
            "region": { "startLine": line.max(1) },
        }
    })
}

fn level(finding: &Finding) -> &'static str {
    let by_severity = match finding.severity.as_ref().map(|s| s.level) {
        Some("critical" | "high") | None => "error",
        Some("medium") => "warning",
        Some(_) => "note",
    };
    if finding.counted || finding.ignored.is_some() {
        by_severity
    } else {
        "note"
    }
}

/// Where a person reads the advisory, by its id's prefix.
fn help_uri(id: &str) -> String {
    match id.split('-').next().unwrap_or("") {
        "RUSTSEC" => format!("https://rustsec.org/advisories/{id}.html"),
        "GHSA" => format!("https://github.com/advisories/{id}"),
        "CVE" => format!("https://www.cve.org/CVERecord?id={id}"),
        _ => format!("https://osv.dev/vulnerability/{id}"),
    }
}
