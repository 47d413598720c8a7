//! The default output: one block per lockfile, readable at a glance.

use std::fmt::Write as _;

use super::{findings_in, line_in, plural, severity_label, verdict_sentence};
use crate::Report;

const SUMMARY_WIDTH: usize = 60;

/// The report as plain-text tables grouped by lockfile, then what could not be read, the
/// warnings, and one closing sentence.
pub fn table(report: &Report) -> String {
    let mut out = String::new();
    for lockfile in &report.lockfiles {
        let mut findings: Vec<_> = findings_in(report, &lockfile.path).collect();
        // Most severe first; what does not fail the scan (ignored, informational) last.
        findings.sort_by_key(|f| {
            let rank = match f.severity.as_ref().map(|s| s.level) {
                Some("critical") => 0,
                Some("high") => 1,
                Some("medium") => 2,
                Some("low") => 3,
                None => 4,
                Some(_) => 5,
            };
            (!f.counted, rank, f.package.name.as_str(), f.id.as_str())
        });
        let _ = writeln!(
            out,
            "{} ({}, {} {}): {}",
            lockfile.path,
            lockfile.ecosystem,
            lockfile.packages,
            plural(lockfile.packages, "package", "packages"),
            match findings.len() {
                0 => "no known vulnerabilities".to_owned(),
                n => format!("{n} {}", plural(n, "finding", "findings")),
            }
        );
        if !findings.is_empty() {
            let rows: Vec<[String; 6]> = findings
                .iter()
                .map(|f| {
                    let mut summary = truncate(f.summary.as_deref().unwrap_or(""), SUMMARY_WIDTH);
                    if let Some(ignored) = &f.ignored {
                        summary = format!("[ignored: {}] {summary}", ignored.reason);
                    } else if f.verdict == "unknown" {
                        summary = format!("[may be affected: range not evaluable] {summary}");
                    }
                    [
                        severity_label(f),
                        f.id.clone(),
                        format!("{}@{}", f.package.name, f.package.version),
                        line_in(f, &lockfile.path).to_string(),
                        fix_label(f),
                        summary,
                    ]
                })
                .collect();
            // Aliases go on a line of their own under the id, so the table stays narrow.
            let notes: Vec<Option<String>> = findings
                .iter()
                .map(|f| (!f.aliases.is_empty()).then(|| format!("aka {}", f.aliases.join(", "))))
                .collect();
            write_rows(
                &mut out,
                ["SEVERITY", "ID", "PACKAGE", "LINE", "FIX", "SUMMARY"],
                &rows,
                &notes,
            );
        }
        for unpinned in &lockfile.unpinned {
            let _ = writeln!(
                out,
                "  not checked: {}:{}: {} is not pinned to one version",
                lockfile.path, unpinned.line, unpinned.requirement
            );
        }
        out.push('\n');
    }
    if !report.errors.is_empty() {
        out.push_str("Could not read:\n");
        for error in &report.errors {
            let line = error.line.map(|l| format!(":{l}")).unwrap_or_default();
            let _ = writeln!(out, "  {}{line}: {}", error.path, error.message);
        }
        out.push('\n');
    }
    for warning in &report.warnings {
        let _ = writeln!(out, "warning: {warning}");
    }
    let _ = writeln!(
        out,
        "Scanned {} {} ({} {}) against {} advisories{}: {}.",
        report.summary.lockfiles,
        plural(report.summary.lockfiles, "lockfile", "lockfiles"),
        report.summary.packages,
        plural(report.summary.packages, "package", "packages"),
        report.database.records,
        report
            .database
            .newest_modified
            .as_deref()
            .map(|m| format!(" (newest {})", m.get(..10).unwrap_or(m)))
            .unwrap_or_default(),
        verdict_sentence(report)
    );
    out
}

fn fix_label(finding: &crate::Finding) -> String {
    match (&finding.fixed, &finding.last_known_affected) {
        (Some(fixed), _) => fixed.clone(),
        (None, Some(last)) => format!("none (last affected {last})"),
        (None, None) => "none".to_owned(),
    }
}

fn truncate(text: &str, width: usize) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    if line.chars().count() <= width {
        return line.to_owned();
    }
    let mut cut: String = line.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Aligned columns, each row followed by its note (if any) starting under the second column.
fn write_rows<const N: usize>(
    out: &mut String,
    header: [&str; N],
    rows: &[[String; N]],
    notes: &[Option<String>],
) {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut text = String::from(" ");
        for (i, cell) in cells.enumerate() {
            text.push(' ');
            text.push_str(cell);
            if let Some(width) = widths.get(i).filter(|_| i + 1 < N) {
                let pad = width.saturating_sub(cell.chars().count());
                text.extend(std::iter::repeat_n(' ', pad + 1));
            }
        }
        text.truncate(text.trim_end().len());
        text
    };
    let _ = writeln!(out, "{}", line(&mut header.iter().copied()));
    let indent = 2 + widths.first().map_or(0, |w| w + 2);
    for (i, row) in rows.iter().enumerate() {
        let _ = writeln!(out, "{}", line(&mut row.iter().map(String::as_str)));
        if let Some(Some(note)) = notes.get(i) {
            let _ = writeln!(out, "{}{note}", " ".repeat(indent));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::truncate;

    #[test]
    fn truncates_on_characters_not_bytes() {
        assert_eq!(truncate("ééééé", 3), "éé…");
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("first\nsecond", 10), "first");
    }
}
