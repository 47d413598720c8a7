//! The `[scan]` section of `ward.toml`.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Deserialize;
use toml::Spanned;
use ward_scan::IgnoreRule;

#[derive(Debug, Default, Deserialize)]
struct File {
    // Other sections ([db], [policy]...) belong to other commands.
    #[serde(default)]
    scan: Scan,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Scan {
    #[serde(default)]
    ignore: Vec<Spanned<Ignore>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Ignore {
    id: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    until: Option<Until>,
    #[serde(default)]
    paths: Vec<String>,
}

/// `until = 2027-01-31` (a TOML date) or `until = "2027-01-31"`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Until {
    Date(toml::value::Datetime),
    Text(String),
}

/// The ignore list from `path`, or from `./ward.toml` when `path` is `None` and that file
/// exists; empty when there is no configuration.
pub(super) fn scan_ignores(path: Option<&Path>) -> anyhow::Result<Vec<IgnoreRule>> {
    let path: PathBuf = match path {
        Some(path) => path.to_owned(),
        None => {
            let default = PathBuf::from("ward.toml");
            if !default.exists() {
                return Ok(Vec::new());
            }
            default
        }
    };
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let file: File =
        toml::from_str(&text).with_context(|| format!("{} is not valid", path.display()))?;
    let mut rules = Vec::with_capacity(file.scan.ignore.len());
    for entry in file.scan.ignore {
        let line = text
            .get(..entry.span().start)
            .map_or(0, |before| before.matches('\n').count() + 1);
        let where_ = || format!("{}:{line}", path.display());
        let ignore = entry.into_inner();
        let until = match ignore.until {
            None => None,
            Some(until) => {
                let text = match until {
                    Until::Date(date) => date.to_string(),
                    Until::Text(text) => text,
                };
                Some(text.parse::<jiff::civil::Date>().with_context(|| {
                    format!(
                        "{}: until {text:?} is not a date; expected YYYY-MM-DD",
                        where_()
                    )
                })?)
            }
        };
        let rule =
            IgnoreRule::new(ignore.id, ignore.reason, until, ignore.paths).with_context(where_)?;
        rules.push(rule);
    }
    Ok(rules)
}
