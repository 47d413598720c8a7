//! `ward db import`, `sync`, `stats` and `show`.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use ward_advisory::Vulnerability;
use ward_vulndb::{Database, Progress, SourceReport, Stats, SyncAction};

use crate::cli::{
    DbArgs, DbCommand, DbImportArgs, DbShowArgs, DbStatsArgs, TableOrJson, TextOrJson,
};
use crate::config;

/// Rejected records listed one by one; the rest are counted.
const MAX_WARNINGS: usize = 20;

pub(crate) fn run(args: DbArgs) -> anyhow::Result<ExitCode> {
    let loaded = config::load(args.location.config.as_deref())?;
    let dir = loaded.db_dir(args.location.db.as_deref())?;
    match args.command {
        DbCommand::Import(import) => run_import(&dir, import),
        DbCommand::Sync => {
            let sources = loaded.sources()?;
            if sources.is_empty() {
                let file = loaded.file.as_deref().map_or_else(
                    || format!("no {} in the current directory", config::FILE_NAME),
                    |f| format!("none in {}", f.display()),
                );
                bail!("no [[db.source]] to sync ({file}); see `ward db sync --help`");
            }
            let mut db = open(&dir)?;
            let report = db.sync(&sources, &mut Bar::new())?;
            let mut failed = false;
            let mut out = io::stdout().lock();
            for outcome in &report.sources {
                match &outcome.result {
                    Ok(action) => {
                        let what = match action {
                            SyncAction::NotModified => "not modified".to_owned(),
                            SyncAction::UnchangedCommit(commit) => {
                                format!("commit {} unchanged", short(commit))
                            }
                            SyncAction::Downloaded { bytes } => format!("downloaded {bytes} bytes"),
                            SyncAction::Incremental { fetched } => {
                                format!("fetched {fetched} new or modified records")
                            }
                            SyncAction::Read {
                                revision: Some(commit),
                            } => {
                                format!("read commit {}", short(commit))
                            }
                            _ => "read".to_owned(),
                        };
                        writeln!(out, "{}: {what}", outcome.source)?;
                        if outcome.report != SourceReport::default()
                            && !matches!(
                                action,
                                SyncAction::NotModified | SyncAction::UnchangedCommit(_)
                            )
                        {
                            summary(&mut out, &outcome.report)?;
                        }
                    }
                    Err(e) => {
                        failed = true;
                        let _ = writeln!(io::stderr().lock(), "error: {}: {e}", outcome.source);
                        let mut source = std::error::Error::source(e);
                        while let Some(cause) = source {
                            let _ = writeln!(io::stderr().lock(), "  caused by: {cause}");
                            source = cause.source();
                        }
                    }
                }
            }
            Ok(if failed {
                super::exit_usage()
            } else {
                ExitCode::SUCCESS
            })
        }
        DbCommand::Stats(stats) => run_stats(&dir, &stats),
        DbCommand::Show(show) => run_show(&dir, &show),
    }
}

fn open(dir: &std::path::Path) -> anyhow::Result<Database> {
    Database::open(dir)
        .with_context(|| format!("opening the vulnerability database in {}", dir.display()))
}

fn open_existing(dir: &std::path::Path) -> anyhow::Result<Database> {
    Ok(Database::open_existing(dir)?)
}

fn run_import(dir: &std::path::Path, args: DbImportArgs) -> anyhow::Result<ExitCode> {
    let mut db = open(dir)?;
    let report = db.import(&args.paths, &mut Bar::new())?;
    let mut out = io::stdout().lock();
    for source in &report.sources {
        writeln!(out, "{}:", source.source)?;
        summary(&mut out, source)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// One line of counts, then the rejected records as warnings on standard error.
fn summary(out: &mut dyn Write, report: &SourceReport) -> io::Result<()> {
    let mut parts = vec![
        format!("{} added", report.added),
        format!("{} replaced", report.replaced),
        format!("{} unchanged", report.unchanged),
    ];
    if report.kept_newer > 0 {
        parts.push(format!(
            "{} older than the stored record",
            report.kept_newer
        ));
    }
    if report.filtered > 0 {
        parts.push(format!(
            "{} outside the source's ecosystems",
            report.filtered
        ));
    }
    if report.not_advisories > 0 {
        parts.push(format!("{} not advisories", report.not_advisories));
    }
    if !report.left_out.is_empty() {
        parts.push(format!("{} left out", report.left_out.len()));
    }
    parts.push(format!("{} rejected", report.rejected.len()));
    writeln!(out, "  {}", parts.join(", "))?;
    let mut err = io::stderr().lock();
    if let Some(first) = report.left_out.first() {
        // On purpose and all alike: one note, not one warning per record.
        writeln!(
            err,
            "note: {} left out on purpose, such as {}: {}",
            plural(report.left_out.len(), "record"),
            first.origin,
            first.reason
        )?;
    }
    for rejected in report.rejected.iter().take(MAX_WARNINGS) {
        writeln!(err, "warning: {}: {}", rejected.origin, rejected.reason)?;
    }
    if report.rejected.len() > MAX_WARNINGS {
        writeln!(
            err,
            "warning: ... and {} more",
            report.rejected.len() - MAX_WARNINGS
        )?;
    }
    Ok(())
}

fn run_stats(dir: &std::path::Path, args: &DbStatsArgs) -> anyhow::Result<ExitCode> {
    let stats = open_existing(dir)?.stats()?;
    let mut out = io::stdout().lock();
    match args.format {
        TableOrJson::Json => {
            serde_json::to_writer_pretty(&mut out, &stats)?;
            writeln!(out)?;
        }
        TableOrJson::Table => stats_table(&mut out, &stats)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn stats_table(out: &mut dyn Write, stats: &Stats) -> io::Result<()> {
    writeln!(out, "database  {}", stats.path)?;
    writeln!(
        out,
        "records   {} ({} withdrawn)",
        stats.records, stats.withdrawn
    )?;
    if let Some(newest) = &stats.newest_modified {
        writeln!(out, "newest    {newest} (modified)")?;
    }
    if !stats.ecosystems.is_empty() {
        writeln!(out)?;
        let rows: Vec<[String; 3]> = stats
            .ecosystems
            .iter()
            .map(|e| {
                [
                    e.ecosystem.clone(),
                    e.records.to_string(),
                    e.packages.to_string(),
                ]
            })
            .collect();
        table(out, ["ECOSYSTEM", "RECORDS", "PACKAGES"], &rows)?;
    }
    if !stats.sources.is_empty() {
        writeln!(out)?;
        let now = jiff::Timestamp::now();
        let rows: Vec<[String; 4]> = stats
            .sources
            .iter()
            .map(|s| {
                let age = s.imported_at.parse::<jiff::Timestamp>().map_or_else(
                    |_| s.imported_at.clone(),
                    |t| age(now.as_second() - t.as_second()),
                );
                [s.name.clone(), s.kind.clone(), s.records.to_string(), age]
            })
            .collect();
        table(out, ["SOURCE", "KIND", "RECORDS", "UPDATED"], &rows)?;
    }
    Ok(())
}

/// Left-aligned columns, numbers right-aligned.
fn table<const N: usize>(
    out: &mut dyn Write,
    header: [&str; N],
    rows: &[[String; N]],
) -> io::Result<()> {
    let mut widths = header.map(str::len);
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut text = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            let numeric = !cell.is_empty() && cell.bytes().all(|b| b.is_ascii_digit());
            if i > 0 {
                text.push_str("  ");
            }
            if numeric {
                text.push_str(&format!("{cell:>width$}"));
            } else {
                text.push_str(&format!("{cell:<width$}"));
            }
        }
        text.trim_end().to_owned()
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for row in rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

fn age(seconds: i64) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" });
    match seconds.max(0) {
        s if s < 60 => "just now".to_owned(),
        s if s < 3600 => plural(s / 60, "minute"),
        s if s < 86_400 => plural(s / 3600, "hour"),
        s => plural(s / 86_400, "day"),
    }
}

fn run_show(dir: &std::path::Path, args: &DbShowArgs) -> anyhow::Result<ExitCode> {
    let records = open_existing(dir)?.show(&args.id)?;
    if records.is_empty() {
        writeln!(
            io::stderr().lock(),
            "no record has the id or alias {}",
            args.id
        )?;
        return Ok(ExitCode::FAILURE);
    }
    let mut out = io::stdout().lock();
    match args.format {
        TextOrJson::Json => {
            serde_json::to_writer_pretty(&mut out, &records)?;
            writeln!(out)?;
        }
        TextOrJson::Text => {
            for (i, record) in records.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                describe(&mut out, record)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn describe(out: &mut dyn Write, r: &Vulnerability) -> io::Result<()> {
    writeln!(out, "{}  {}", r.id, r.summary.as_deref().unwrap_or(""))?;
    if !r.aliases.is_empty() {
        writeln!(out, "  aliases    {}", r.aliases.join(", "))?;
    }
    if let Some(published) = &r.published {
        writeln!(out, "  published  {published}")?;
    }
    writeln!(out, "  modified   {}", r.modified)?;
    if let Some(withdrawn) = &r.withdrawn {
        writeln!(out, "  WITHDRAWN  {withdrawn}")?;
    }
    if let Some(rating) = ward_advisory::severity::rating(r, None) {
        writeln!(out, "  severity   {:?} ({})", rating.level, rating.source)?;
    }
    for affected in &r.affected {
        match &affected.package {
            Some(package) => writeln!(out, "  affects    {} {}", package.ecosystem, package.name)?,
            None => writeln!(out, "  affects    (no package)")?,
        }
        for range in &affected.ranges {
            let events: Vec<String> = range
                .events
                .iter()
                .map(|e| {
                    let json = serde_json::to_value(e).unwrap_or_default();
                    json.as_object()
                        .and_then(|o| o.iter().next())
                        .map(|(k, v)| format!("{k} {}", v.as_str().unwrap_or_default()))
                        .unwrap_or_default()
                })
                .collect();
            writeln!(
                out,
                "             {}{}: {}",
                range.kind.as_str(),
                range
                    .repo
                    .as_deref()
                    .map(|r| format!(" {r}"))
                    .unwrap_or_default(),
                events.join(", ")
            )?;
        }
        if !affected.versions.is_empty() {
            writeln!(
                out,
                "             {} versions listed",
                affected.versions.len()
            )?;
        }
    }
    for reference in r.references.iter().take(5) {
        writeln!(
            out,
            "  {:<10} {}",
            reference.kind.to_ascii_lowercase(),
            reference.url
        )?;
    }
    if r.references.len() > 5 {
        writeln!(
            out,
            "             ... and {} more references",
            r.references.len() - 5
        )?;
    }
    Ok(())
}

fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}

/// A progress bar on standard error, drawn only when it is a terminal; a new bar per stage.
struct Bar {
    visible: bool,
    message: String,
    bar: Option<ProgressBar>,
}

impl Bar {
    fn new() -> Bar {
        Bar {
            visible: io::stderr().is_terminal(),
            message: String::new(),
            bar: None,
        }
    }
}

impl Progress for Bar {
    fn start(&mut self, total: Option<u64>) {
        if !self.visible {
            return;
        }
        let (bar, template) = match total {
            Some(total) => (
                ProgressBar::new(total),
                "{msg} [{bar:30}] {binary_bytes}/{binary_total_bytes} ({eta})",
            ),
            None => (ProgressBar::new_spinner(), "{msg} {spinner} {binary_bytes}"),
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(self.message.clone());
        self.bar = Some(bar);
    }

    fn advance(&mut self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }

    fn stage(&mut self, what: &str) {
        what.clone_into(&mut self.message);
        if let Some(bar) = &self.bar {
            bar.set_message(what.to_owned());
        }
    }
}
