//! RustSec advisories (`crates/<crate>/RUSTSEC-*.md`): a ```` ```toml ```` front matter block,
//! then `# Title` and a Markdown description, converted to OSV exactly as RustSec's official
//! export (`rustsec` crate, `osv` module; the `osv` branch of advisory-db) does.
//!
//! The conversion, field by field:
//! - `id`, `aliases`, `related` as they are; `summary` is the title, `details` the text after
//!   it, trimmed.
//! - `published` is `date` at `T12:00:00Z`, `withdrawn` likewise. **`modified`**: the export
//!   takes the file's last commit time from git, which a file alone does not have; ward uses
//!   the later of `date` and `withdrawn`, at noon UTC. An importer reading a git checkout may
//!   replace it.
//! - One `affected` entry: `crates.io` / `package` with purl `pkg:cargo/<package>`;
//!   `ecosystem_specific.affects` holds `arch`, `os` and the function paths (the keys of
//!   `[affected.functions]`), `affected_functions: null`; `database_specific` holds
//!   `categories`, `cvss` and **`informational`** (`unmaintained`, `unsound`, `notice`), which a
//!   scan shows as such rather than as a vulnerability.
//! - Ranges: every `patched` and `unaffected` requirement is parsed as a Cargo requirement
//!   (`ward_version::cargo`), their union is complemented, and the intervals left become one
//!   `SEMVER` range (see `events.rs`): an unbounded start is `introduced: "0.0.0-0"` and an
//!   exclusive lower bound `>1.2.3` is `introduced: "1.2.4-0"`, as in the export.
//! - `severity`: `cvss` as `CVSS_V3` or `CVSS_V4`. `references`: the crates.io page, the
//!   rustsec.org page, `url`, then `references`, each typed as the export guesses (`REPORT` for
//!   GitHub/GitLab issues, `ADVISORY` for `/advisories/` and cve.mitre.org, `PACKAGE` for
//!   crates.io, else `WEB`). `database_specific.license` defaults to `CC0-1.0`.
//!
//! Traps:
//! - **Partial versions.** `ward_version::cargo` reads `>= 1.2` as `>= 1.2.0-0` (a
//!   pre-release of 1.2.0 is inside the interval), but the export and `cargo audit` read it
//!   as `>= 1.2.0`, so that `1.2.0-alpha.1` is *not* patched by `>= 1.2`. Bounds that came out
//!   as `X.Y.Z-0` from a requirement that does not itself say `-0` are read as `X.Y.Z`, as
//!   they do: otherwise a pre-release of the first patched version would be called patched
//!   and a vulnerability missed (found by the cross-check against cargo audit).
//! - **Toolchain advisories** (`rust/std/CVE-*.md`, ids that are not `RUSTSEC-`) are about
//!   the compiler and standard library, not crates.io packages; the export leaves them out and
//!   so does ward ([`ErrorKind::Unsupported`]).
//! - **Old front matter** may omit the `[advisory]` header; it is added, as the `rustsec`
//!   crate does. `title` or `description` inside the TOML are refused, as there.
//! - **`[versions]` is strict**: an unknown key there (`patchd`) would silently widen the
//!   affected range, so it is an error; elsewhere unknown keys are ignored.

use std::collections::BTreeMap;
use std::ops::Bound;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::ErrorKind;
use crate::events::{Closed, semver_ranges};
use crate::osv::{Affected, Package, Reference, Severity, Vulnerability};
use ward_version::{Ranges, cargo};

pub(super) fn parse(text: &str) -> Result<Vulnerability, ErrorKind> {
    let parts = Parts::split(text)?;
    let front_matter = if parts.front_matter.starts_with("[advisory]") {
        parts.front_matter.to_owned()
    } else {
        format!("[advisory]\n{}", parts.front_matter)
    };
    let doc: Document = toml::from_str(&front_matter).map_err(|e| ErrorKind::Syntax {
        // The front matter starts on line 2, after the fence; the added header shifts by one.
        line: e.span().map(|span| {
            let before = front_matter.get(..span.start).unwrap_or_default();
            let added = usize::from(!parts.front_matter.starts_with("[advisory]"));
            before.matches('\n').count() + 2 - added
        }),
        message: e.message().to_owned(),
    })?;
    convert(doc, parts.title, parts.description)
}

struct Parts<'a> {
    front_matter: &'a str,
    title: &'a str,
    description: &'a str,
}

impl<'a> Parts<'a> {
    /// The `rustsec` crate's split: a leading ```` ```toml ```` fence, the front matter up to
    /// the next line starting with ```` ``` ````, then a `# ` title line and the rest.
    fn split(text: &'a str) -> Result<Self, ErrorKind> {
        let syntax = |line: usize, message: &str| ErrorKind::Syntax {
            line: Some(line),
            message: message.into(),
        };
        let body = text
            .strip_prefix("```toml")
            .ok_or_else(|| syntax(1, "expected the advisory to start with ```toml"))?;
        let end = body
            .find("\n```")
            .ok_or_else(|| syntax(1, "the ```toml block is not closed"))?;
        let front_matter = body.get(..end).unwrap_or_default().trim_start();
        let markdown = body.get(end + 4..).unwrap_or_default().trim();
        let title_line = text.get(..text.len() - markdown.len()).unwrap_or_default();
        let line = title_line.matches('\n').count() + 1;
        let rest = markdown
            .strip_prefix("# ")
            .ok_or_else(|| syntax(line, "expected a \"# Title\" line after the front matter"))?;
        let (title, description) = rest.split_once('\n').unwrap_or((rest, ""));
        Ok(Parts {
            front_matter,
            // As the `rustsec` crate: `#  Title` keeps its second space.
            title: title.trim_end(),
            description: description.trim(),
        })
    }
}

#[derive(Deserialize)]
struct Document {
    advisory: Metadata,
    #[serde(default)]
    affected: Option<AffectedToml>,
    versions: Versions,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Metadata {
    id: String,
    package: String,
    date: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    cvss: Option<String>,
    #[serde(default)]
    informational: Option<String>,
    #[serde(default)]
    withdrawn: Option<String>,
    #[serde(default)]
    license: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Deserialize, Default)]
struct AffectedToml {
    #[serde(default)]
    arch: Vec<String>,
    #[serde(default)]
    os: Vec<String>,
    #[serde(default)]
    functions: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Versions {
    patched: Vec<String>,
    #[serde(default)]
    unaffected: Vec<String>,
}

fn invalid(field: &str, reason: String) -> ErrorKind {
    ErrorKind::Invalid {
        field: field.into(),
        reason,
    }
}

fn convert(doc: Document, title: &str, description: &str) -> Result<Vulnerability, ErrorKind> {
    let m = doc.advisory;
    if !m.id.starts_with("RUSTSEC-") {
        return Err(ErrorKind::Unsupported {
            reason: format!(
                "{} is a Rust toolchain advisory (package {:?}), not about a crates.io crate; \
                 RustSec's OSV export leaves these out",
                m.id, m.package
            ),
        });
    }
    if m.title.is_some() || m.description.is_some() {
        return Err(invalid(
            "advisory.title",
            "title and description belong in the Markdown, not the front matter".into(),
        ));
    }
    let published = noon("advisory.date", &m.date)?;
    let withdrawn = m
        .withdrawn
        .as_deref()
        .map(|d| noon("advisory.withdrawn", d))
        .transpose()?;
    // Dates are `YYYY-MM-DD`, so the later one is the larger string.
    let modified = withdrawn
        .clone()
        .filter(|w| *w > published)
        .unwrap_or_else(|| published.clone());

    let mut unaffected = Ranges::empty();
    for (field, reqs) in [
        ("versions.patched", &doc.versions.patched),
        ("versions.unaffected", &doc.versions.unaffected),
    ] {
        for req in reqs {
            let set = cargo::parse_range(req).map_err(|e| invalid(field, e.to_string()))?;
            unaffected = unaffected.union(&release_bounds(set.intervals(), req));
        }
    }
    let ranges = semver_ranges(
        &unaffected.complement(),
        "0.0.0-0",
        Closed::FixedAtSuccessor,
        |v| v.as_semver(),
    );

    let affected_toml = doc.affected.unwrap_or_default();
    let severity = m.cvss.as_ref().map(|cvss| Severity {
        kind: if cvss.starts_with("CVSS:4") {
            "CVSS_V4"
        } else {
            "CVSS_V3"
        }
        .into(),
        score: cvss.clone(),
    });
    let mut references = vec![
        Reference {
            kind: "PACKAGE".into(),
            url: format!("https://crates.io/crates/{}", m.package),
        },
        Reference {
            kind: "ADVISORY".into(),
            url: format!("https://rustsec.org/advisories/{}.html", m.id),
        },
    ];
    references.extend(m.url.iter().chain(&m.references).map(|url| Reference {
        kind: guess_kind(url).into(),
        url: url.clone(),
    }));

    Ok(Vulnerability {
        schema_version: None,
        id: m.id,
        modified,
        published: Some(published),
        withdrawn,
        aliases: m.aliases,
        upstream: Vec::new(),
        related: m.related,
        summary: Some(title.to_owned()),
        details: Some(description.to_owned()),
        severity: severity.into_iter().collect(),
        affected: vec![Affected {
            package: Some(Package {
                ecosystem: "crates.io".into(),
                purl: Some(format!("pkg:cargo/{}", m.package)),
                name: m.package,
            }),
            severity: Vec::new(),
            ranges,
            versions: Vec::new(),
            ecosystem_specific: Some(json!({
                "affects": {
                    "arch": affected_toml.arch,
                    "os": affected_toml.os,
                    "functions": affected_toml.functions.keys().collect::<Vec<_>>(),
                },
                "affected_functions": Value::Null,
            })),
            database_specific: Some(json!({
                "categories": m.categories,
                "cvss": m.cvss,
                "informational": m.informational,
            })),
        }],
        references,
        credits: Vec::new(),
        database_specific: Some(json!({
            "license": m.license.unwrap_or_else(|| "CC0-1.0".into()),
        })),
    })
}

/// `YYYY-MM-DD` to the export's `YYYY-MM-DDT12:00:00Z`.
/// `set` with every `X.Y.Z-0` bound that stands for a partial version written in `req`
/// (`>= 1.2` → `1.2.0-0`) read as `X.Y.Z`, as the export and cargo audit do (see the module's
/// traps). The implicit upper bound of `^`/`~` (`^0.9.3` → `< 0.10.0-0`) keeps its `-0`, as
/// there.
fn release_bounds(set: &Ranges<cargo::Version>, req: &str) -> Ranges<cargo::Version> {
    let partials: Vec<String> = req
        .split(',')
        .filter_map(|comparator| {
            let version = comparator
                .trim()
                .trim_start_matches(['>', '<', '=', '~', '^', ' ']);
            let parts: Vec<&str> = version.trim().split('.').collect();
            let numeric = parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
            (numeric && parts.len() < 3).then(|| {
                let mut full = parts.clone();
                full.resize(3, "0");
                full.join(".")
            })
        })
        .collect();
    if partials.is_empty() {
        return set.clone();
    }
    let release = |bound: &Bound<cargo::Version>| -> Bound<cargo::Version> {
        let strip = |v: &cargo::Version| {
            let s = v.as_semver();
            let is_dash_zero = matches!(
                s.pre.as_slice(),
                [ward_version::semver::Identifier::Numeric(n)] if n.to_string() == "0"
            );
            let release = format!("{}.{}.{}", s.major, s.minor, s.patch);
            (is_dash_zero && partials.contains(&release))
                .then(|| release.parse().ok())
                .flatten()
                .unwrap_or_else(|| v.clone())
        };
        match bound {
            Bound::Included(v) => Bound::Included(strip(v)),
            Bound::Excluded(v) => Bound::Excluded(strip(v)),
            Bound::Unbounded => Bound::Unbounded,
        }
    };
    set.iter().fold(Ranges::empty(), |acc, (low, high)| {
        acc.union(&Ranges::from_range_bounds((release(low), release(high))))
    })
}

fn noon(field: &str, date: &str) -> Result<String, ErrorKind> {
    date.parse::<jiff::civil::Date>()
        .ok()
        .filter(|_| date.len() == 10)
        .map(|_| format!("{date}T12:00:00Z"))
        .ok_or_else(|| {
            invalid(
                field,
                format!("{date:?} is not a date; expected YYYY-MM-DD"),
            )
        })
}

/// The export's `guess_url_kind`.
fn guess_kind(url: &str) -> &'static str {
    if (url.contains("://github.com/") || url.contains("://gitlab.")) && url.contains("/issues/") {
        "REPORT"
    } else if url.contains("/advisories/") || url.contains("://cve.mitre.org/") {
        "ADVISORY"
    } else if url.contains("://crates.io/crates/") {
        "PACKAGE"
    } else {
        "WEB"
    }
}

#[cfg(test)]
mod tests;
