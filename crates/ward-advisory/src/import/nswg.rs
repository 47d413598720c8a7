//! The Node.js security working group's legacy database (`nodejs/security-wg`, `vuln/npm/<n>.json`
//! and `vuln/core/<n>.json`; format in `processes/vuln_db.md`), converted to OSV.
//!
//! **npm records** (`NSWG-ECO-<id>`, the name osv-scanner and the WG's own viewer use):
//! `module_name` is an `npm` package; the affected versions are those in
//! `vulnerable_versions` and not in `patched_versions` (either may be missing), both read
//! with node-semver's grammar (`ward_version::npm`, which evaluates
//! as `satisfies(v, range, {includePrerelease: true})`) and its intervals become `SEMVER`
//! events (`events.rs`: unbounded start → `introduced: "0"`, `<=v` → `last_affected`, `>v` →
//! the next version `v'-0`). `cves` are aliases, `title` the summary, `overview` and
//! `recommendation` the details, `author` a credit, `cvss_vector` the severity,
//! `publish_date`/`updated_at` the timestamps.
//!
//! **Core records** (`NSWG-CORE-<n>`, numbered by file name: the files have no id) are about
//! the Node.js runtime, which is not a package of any OSV ecosystem: `npm` would be wrong (the
//! npm package called `node` is a different thing, and a lockfile depending on it would match
//! runtime advisories). So the `affected` entry has **no `package`**: its `SEMVER` ranges are
//! over Node.js release versions, and `database_specific.product` is `"Node.js"`, for a scan
//! that knows the runtime version (`.nvmrc`, `engines`) to match on.
//!
//! Traps:
//! - **Dates**: npm records have `YYYY-MM-DD` dates (some `1970-01-01`, kept), written as
//!   midnight UTC. Most core records have no date at all; `modified` is then
//!   `1970-01-01T00:00:00Z`, meaning "unknown" (OSV requires the field), and there is no
//!   `published`.
//! - **Odd ranges are real**: `<=99.999.99999` and `*` (every version), `<0.0.0` and
//!   `<=0.0.0` as `patched_versions` (no fix; `<0.0.0` still holds `0.0.0`'s pre-releases under
//!   `includePrerelease`), `null` patched versions. A range node-semver would not accept makes
//!   the record an error naming the field.
//! - **CVSS**: npm's `cvss_vector` is `CVSS:3.0/...`; core's `cvss` lacks the `CVSS:` prefix
//!   (`3.0/AV:N/...`), which is added back.
//! - **Empty strings** in `cves` are dropped.

use serde::Deserialize;
use serde_json::json;
use ward_version::{Ranges, npm};

use crate::ErrorKind;
use crate::events::{Closed, semver_ranges};
use crate::import::json_error;
use crate::osv::{Affected, Credit, Package, Range, Reference, Severity, Vulnerability};

const REPO: &str = "https://github.com/nodejs/security-wg/blob/main/vuln";
const EPOCH: &str = "1970-01-01T00:00:00Z";

#[derive(Deserialize)]
struct NpmRecord {
    id: u64,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    updated_at: Option<String>,
    #[serde(default)]
    publish_date: Option<String>,
    title: String,
    #[serde(default)]
    author: Option<Author>,
    module_name: String,
    #[serde(default)]
    cves: Vec<String>,
    #[serde(default)]
    vulnerable_versions: Option<String>,
    #[serde(default)]
    patched_versions: Option<String>,
    #[serde(default)]
    overview: Option<String>,
    #[serde(default)]
    recommendation: Option<String>,
    #[serde(default)]
    references: Option<Vec<String>>,
    #[serde(default)]
    cvss_vector: Option<String>,
    #[serde(default)]
    cvss_score: Option<f64>,
    #[serde(default)]
    coordinating_vendor: Option<String>,
}

#[derive(Deserialize)]
struct Author {
    name: Option<String>,
    website: Option<String>,
}

#[derive(Deserialize)]
struct CoreRecord {
    #[serde(default)]
    cve: Vec<String>,
    #[serde(default, rename = "ref")]
    reference: Option<String>,
    #[serde(default)]
    vulnerable: Option<String>,
    #[serde(default)]
    patched: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    overview: Option<String>,
    #[serde(default, rename = "affectedEnvironments")]
    affected_environments: Vec<String>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    reported_by: Option<String>,
    #[serde(default)]
    publish_date: Option<String>,
    #[serde(default, rename = "type")]
    cwe: Option<String>,
    #[serde(default)]
    cvss: Option<String>,
    #[serde(default)]
    cvss_score: Option<f64>,
}

pub(super) fn parse_npm(bytes: &[u8]) -> Result<Vulnerability, ErrorKind> {
    let r: NpmRecord = serde_json::from_slice(bytes).map_err(|e| json_error(&e))?;
    let ranges = ranges(
        r.vulnerable_versions.as_deref(),
        r.patched_versions.as_deref(),
        ("vulnerable_versions", "patched_versions"),
    )?;
    let published = r
        .publish_date
        .as_deref()
        .map(|d| midnight("publish_date", d))
        .transpose()?;
    let modified = match (r.updated_at.as_deref(), r.created_at.as_deref()) {
        (Some(d), _) => midnight("updated_at", d)?,
        (None, Some(d)) => midnight("created_at", d)?,
        (None, None) => published.clone().unwrap_or_else(|| EPOCH.into()),
    };
    let details = match (&r.overview, &r.recommendation) {
        (Some(o), Some(rec)) if !rec.trim().is_empty() => Some(format!(
            "{}\n\n## Recommendation\n\n{}",
            o.trim_end(),
            rec.trim()
        )),
        (Some(o), _) => Some(o.clone()),
        (None, rec) => rec.clone(),
    };
    let mut references = vec![Reference {
        kind: "ADVISORY".into(),
        url: format!("{REPO}/npm/{}.json", r.id),
    }];
    references.extend(r.references.unwrap_or_default().into_iter().map(web));
    let credits = r
        .author
        .and_then(|a| {
            a.name.filter(|n| !n.trim().is_empty()).map(|name| Credit {
                name,
                contact: a.website.into_iter().collect(),
                kind: Some("FINDER".into()),
            })
        })
        .into_iter()
        .collect();
    Ok(Vulnerability {
        schema_version: None,
        id: format!("NSWG-ECO-{}", r.id),
        modified,
        published,
        withdrawn: None,
        aliases: nonempty(r.cves),
        upstream: Vec::new(),
        related: Vec::new(),
        summary: Some(r.title),
        details,
        severity: r.cvss_vector.and_then(cvss).into_iter().collect(),
        affected: vec![Affected {
            package: Some(Package {
                ecosystem: "npm".into(),
                purl: Some(purl(&r.module_name)),
                name: r.module_name,
            }),
            severity: Vec::new(),
            ranges,
            versions: Vec::new(),
            ecosystem_specific: None,
            database_specific: Some(json!({
                "vulnerable_versions": r.vulnerable_versions,
                "patched_versions": r.patched_versions,
            })),
        }],
        references,
        credits,
        database_specific: Some(json!({
            "cvss_score": r.cvss_score,
            "coordinating_vendor": r.coordinating_vendor,
        })),
    })
}

/// `origin` names the file; its number is the record's id.
pub(super) fn parse_core(origin: &str, bytes: &[u8]) -> Result<Vulnerability, ErrorKind> {
    let number = origin
        .rsplit(['/', '\\', '!'])
        .next()
        .and_then(|file| file.strip_suffix(".json"))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| ErrorKind::Invalid {
            field: "file name".into(),
            reason: format!(
                "{origin:?}: a core record is named <number>.json; the number is its id"
            ),
        })?;
    let r: CoreRecord = serde_json::from_slice(bytes).map_err(|e| json_error(&e))?;
    let ranges = ranges(
        r.vulnerable.as_deref(),
        r.patched.as_deref(),
        ("vulnerable", "patched"),
    )?;
    let published = r
        .publish_date
        .as_deref()
        .map(|d| midnight("publish_date", d))
        .transpose()?;
    let mut references = vec![Reference {
        kind: "ADVISORY".into(),
        url: format!("{REPO}/core/{number}.json"),
    }];
    references.extend(r.reference.into_iter().map(web));
    let credits = [(r.reported_by, "REPORTER"), (r.author, "OTHER")]
        .into_iter()
        .filter_map(|(name, kind)| {
            name.filter(|n| !n.trim().is_empty()).map(|name| Credit {
                name,
                contact: Vec::new(),
                kind: Some(kind.into()),
            })
        })
        .collect();
    Ok(Vulnerability {
        schema_version: None,
        id: format!("NSWG-CORE-{number}"),
        modified: published.clone().unwrap_or_else(|| EPOCH.into()),
        published,
        withdrawn: None,
        aliases: nonempty(r.cve),
        upstream: Vec::new(),
        related: Vec::new(),
        summary: r.description,
        details: r.overview,
        severity: r
            .cvss
            .map(|c| {
                if c.starts_with("CVSS:") {
                    c
                } else {
                    format!("CVSS:{c}")
                }
            })
            .and_then(cvss)
            .into_iter()
            .collect(),
        affected: vec![Affected {
            package: None,
            severity: Vec::new(),
            ranges,
            versions: Vec::new(),
            ecosystem_specific: None,
            database_specific: Some(json!({
                "product": "Node.js",
                "vulnerable": r.vulnerable,
                "patched": r.patched,
                "affectedEnvironments": r.affected_environments,
            })),
        }],
        references,
        credits,
        database_specific: Some(json!({
            "severity": r.severity,
            "cwe": r.cwe,
            "cvss_score": r.cvss_score,
        })),
    })
}

/// The OSV ranges of the versions in `vulnerable` and not in `patched` (either may be
/// absent, not both): `satisfies(v, vulnerable) && !satisfies(v, patched)`, as the WG's own
/// tools read a record. Core records need both: `vulnerable: "^7.1.0"` names the release
/// line, `patched: "^7.2.0"` the fixed part of it.
fn ranges(
    vulnerable: Option<&str>,
    patched: Option<&str>,
    (vulnerable_field, patched_field): (&str, &str),
) -> Result<Vec<Range>, ErrorKind> {
    let parse = |field: &str, range: &str| {
        npm::parse_range(range)
            .map(|set| set.intervals().clone())
            .map_err(|e| ErrorKind::Invalid {
                field: field.into(),
                reason: e.to_string(),
            })
    };
    let (vulnerable, patched) = (given(vulnerable), given(patched));
    if vulnerable.is_none() && patched.is_none() {
        return Err(ErrorKind::Invalid {
            field: vulnerable_field.into(),
            reason: format!("neither {vulnerable_field} nor {patched_field} is given"),
        });
    }
    let mut set = match vulnerable {
        Some(range) => parse(vulnerable_field, range)?,
        None => Ranges::full(),
    };
    if let Some(range) = patched {
        set = set.intersection(&parse(patched_field, range)?.complement());
    }
    Ok(semver_ranges(&set, "0", Closed::LastAffected, |v| {
        v.as_semver()
    }))
}

/// `YYYY-MM-DD` as midnight UTC.
fn midnight(field: &str, date: &str) -> Result<String, ErrorKind> {
    date.parse::<jiff::civil::Date>()
        .ok()
        .filter(|_| date.len() == 10)
        .map(|_| format!("{date}T00:00:00Z"))
        .ok_or_else(|| ErrorKind::Invalid {
            field: field.into(),
            reason: format!("{date:?} is not a date; expected YYYY-MM-DD"),
        })
}

fn cvss(vector: String) -> Option<Severity> {
    let kind = if vector.starts_with("CVSS:3.") {
        "CVSS_V3"
    } else if vector.starts_with("CVSS:4.") {
        "CVSS_V4"
    } else if vector.starts_with("AV:") {
        "CVSS_V2"
    } else {
        return None;
    };
    Some(Severity {
        kind: kind.into(),
        score: vector,
    })
}

fn web(url: String) -> Reference {
    let kind = if url.contains("/advisories/") {
        "ADVISORY"
    } else {
        "WEB"
    };
    Reference {
        kind: kind.into(),
        url,
    }
}

/// `pkg:npm/name`, with a scope's `@` percent-encoded as the purl spec requires.
fn purl(name: &str) -> String {
    format!("pkg:npm/{}", name.replacen('@', "%40", 1))
}

fn nonempty(ids: Vec<String>) -> Vec<String> {
    ids.into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

fn given(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.trim().is_empty())
}
