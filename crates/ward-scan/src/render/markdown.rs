//! Markdown, for a pull-request comment or a job summary.

use std::fmt::Write as _;

use super::{findings_in, line_in, severity_label, verdict_sentence};
use crate::Report;

/// The report as Markdown: a table per lockfile with findings, then errors and warnings.
/// Text from advisories is escaped so that it cannot break the table or inject markup.
pub fn markdown(report: &Report) -> String {
    let mut out = String::from("## ward scan\n\n");
    let _ = writeln!(out, "{}.\n", capitalise(&verdict_sentence(report)));
    for lockfile in &report.lockfiles {
        let findings: Vec<_> = findings_in(report, &lockfile.path).collect();
        if findings.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "### `{}` ({})\n\n| Severity | ID | Package | Version | Fixed in | Summary |\n|---|---|---|---|---|---|",
            escape(&lockfile.path),
            escape(&lockfile.ecosystem)
        );
        for f in findings {
            let mut summary = escape(f.summary.as_deref().unwrap_or(""));
            if let Some(ignored) = &f.ignored {
                summary = format!("*ignored: {}* {summary}", escape(&ignored.reason));
            }
            let _ = writeln!(
                out,
                "| {} | {} | `{}` | {} (line {}) | {} | {} |",
                escape(&severity_label(f)),
                if f.aliases.is_empty() {
                    escape(&f.id)
                } else {
                    format!("{} ({})", escape(&f.id), escape(&f.aliases.join(", ")))
                },
                escape(&f.package.name),
                escape(&f.package.version),
                line_in(f, &lockfile.path),
                f.fixed.as_deref().map_or_else(|| "—".to_owned(), escape),
                summary
            );
        }
        out.push('\n');
    }
    if !report.errors.is_empty() {
        out.push_str("### Could not read\n\n");
        for e in &report.errors {
            let line = e.line.map(|l| format!(":{l}")).unwrap_or_default();
            let _ = writeln!(out, "- `{}{line}`: {}", escape(&e.path), escape(&e.message));
        }
        out.push('\n');
    }
    if !report.warnings.is_empty() {
        out.push_str("### Warnings\n\n");
        for w in &report.warnings {
            let _ = writeln!(out, "- {}", escape(w));
        }
        out.push('\n');
    }
    out
}

/// Escapes what would break a table cell or be read as Markdown or HTML.
fn escape(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn cells_cannot_break_out() {
        assert_eq!(escape("a | b <script>"), "a \\| b \\<script\\>");
        assert_eq!(escape("first\n| second"), "first");
    }
}
