//! Submitting a report, whichever way it came (form, JSON, OpenPGP): validate, seal under a
//! new data key, match the packages in scope, start the clocks, store it with its audit event
//! in one transaction, then queue the team's notification.

use serde_json::Value;
use ward_desk::access::Principal;
use ward_desk::audit::NewEvent;
use ward_desk::notice::Notice;
use ward_desk::report::{AffectedPackage, Attachment, FieldError, Submission, limits};
use ward_desk::sla::{self, Clock};
use ward_desk::state::State;
use ward_store::{NewReport, ScopeEntry};

use crate::AppState;
use crate::auth::{self, Caller};
use crate::content::{self, ReportContent, Via};
use crate::error::WebError;
use crate::outbox;

/// What the reporter gets back.
#[derive(Debug, Clone)]
pub(crate) struct Receipt {
    /// The follow-up token (shown once, in the link).
    pub(crate) token: String,
}

impl Receipt {
    /// `/r/<token>`, relative.
    pub(crate) fn path(&self) -> String {
        format!("/r/{}", self.token)
    }
}

/// Validates and stores a submission. `submission` is validated here (every problem listed).
pub(crate) async fn submit(
    state: &AppState,
    caller: &Caller,
    mut submission: Submission,
    attachments: Vec<Attachment>,
    via: Via,
) -> Result<Receipt, WebError> {
    submission
        .validate(&attachments)
        .map_err(|fields| WebError::Unprocessable { fields })?;
    let token = auth::new_token();
    let followup_hash = auth::hash_token(&token);
    let (key, wrapped_key) = state.keyring.new_data_key();
    let packages = submission.packages.clone();
    let content = ReportContent {
        submission,
        via,
        followup: token.clone(),
        purged: false,
    };
    let sealed = content::seal_content(&key, &content)?;
    drop(content);
    let sealed_attachments = attachments
        .iter()
        .map(|a| content::seal_attachment(&key, a))
        .collect::<Result<Vec<_>, _>>()?;
    drop(attachments);
    let received_at = state.now();
    let clock = Clock {
        received_at,
        ..Clock::default()
    };
    let next_due_at = sla::sort_key(&state.config.sla, &clock, State::Received, None);
    let reporter = match &caller.principal {
        Principal::User(account) => Some(account.id),
        _ => None,
    };
    let event = NewEvent {
        actor: caller.actor(),
        action: "report.submit".to_owned(),
        report: None,
        detail: serde_json::json!({
            "via": via,
            "attachments": sealed_attachments.len(),
        })
        .to_string(),
    };
    let state2 = state.clone();
    let report = state
        .db(move |store| {
            let scope = matching_scope(&store.scope()?, &packages);
            let new = NewReport {
                received_at,
                reporter,
                followup_hash,
                wrapped_key,
                content: sealed,
                next_due_at,
                scope,
            };
            let id = store.create_report(&new, &sealed_attachments, &event)?;
            // The report is stored; a failure to queue its notification is logged, not
            // reported to the submitter (the desk shows the report either way).
            let notice = Notice::NewReport { report: id };
            let queued = outbox::to_team(&state2, store, id, &notice)
                .map_err(|e| anyhow::anyhow!("{e}"))
                .and_then(|out| outbox::enqueue(store, &key, id, &out, received_at));
            if let Err(error) = queued {
                tracing::error!(report = %id, error = format!("{error:#}"), "queueing the new-report notification");
            }
            Ok(id)
        })
        .await?;
    tracing::info!(report = %report, via = ?via, "report received");
    Ok(Receipt { token })
}

/// The scope rows a submission's packages name: same name, case-insensitively, and the same
/// ecosystem when the reporter gave one.
pub(crate) fn matching_scope(scope: &[ScopeEntry], packages: &[AffectedPackage]) -> Vec<i64> {
    let mut rows: Vec<i64> = scope
        .iter()
        .filter(|entry| {
            packages.iter().any(|p| {
                p.name.trim().eq_ignore_ascii_case(entry.package.trim())
                    && p.ecosystem
                        .as_deref()
                        .is_none_or(|e| e.trim().eq_ignore_ascii_case(entry.ecosystem.trim()))
            })
        })
        .map(|entry| entry.id)
        .collect();
    rows.sort_unstable();
    rows.dedup();
    rows
}

/// OSV ecosystem names recognised at the start of a package line.
const ECOSYSTEMS: &[&str] = &[
    "npm",
    "PyPI",
    "crates.io",
    "Go",
    "Maven",
    "NuGet",
    "RubyGems",
    "Packagist",
    "Hex",
    "Pub",
    "CRAN",
    "SwiftURL",
    "Hackage",
    "GitHub Actions",
    "Debian",
    "Alpine",
    "Ubuntu",
];

/// Parses the form's package lines: `<ecosystem> <name> [versions...]`, or `<name>
/// [versions...]` when the first word is not an ecosystem.
pub(crate) fn parse_packages(text: &str) -> Vec<AffectedPackage> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| {
            let mut words = line.split_whitespace();
            let first = words.next().unwrap_or_default();
            let known = ECOSYSTEMS.iter().find(|e| e.eq_ignore_ascii_case(first));
            let (ecosystem, name) = match known {
                Some(ecosystem) => match words.next() {
                    Some(name) => (Some((*ecosystem).to_owned()), name.to_owned()),
                    None => (None, first.to_owned()),
                },
                None => (None, first.to_owned()),
            };
            let versions = words.collect::<Vec<_>>().join(" ");
            AffectedPackage {
                ecosystem,
                name,
                versions: (!versions.is_empty()).then_some(versions),
            }
        })
        .collect()
}

/// A decrypted OpenPGP message as a submission: a JSON submission when it is one, otherwise
/// plain text (the first line, less any `Subject:`, is the title; the whole is the description).
pub(crate) fn from_plaintext(plaintext: &[u8]) -> Result<Submission, WebError> {
    let text = std::str::from_utf8(plaintext)
        .map_err(|_| WebError::field("message", "the decrypted message must be UTF-8 text"))?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        return from_json(trimmed.as_bytes());
    }
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let first = first
        .strip_prefix("Subject:")
        .or_else(|| first.strip_prefix("subject:"))
        .unwrap_or(first)
        .trim();
    let title: String = first.chars().take(limits::TITLE).collect();
    Ok(Submission {
        title,
        description: text.trim().to_owned(),
        ..Submission::default()
    })
}

/// Parses a JSON submission. Syntax errors are 400 with their position; a body that is JSON
/// but not a submission is 422 naming every field that is wrong. Messages never quote the
/// input's values.
pub(crate) fn from_json(body: &[u8]) -> Result<Submission, WebError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        WebError::BadRequest(format!(
            "The body is not valid JSON ({} at line {}, column {}); expected an object like \
             {{\"title\": \"...\", \"description\": \"...\"}}.",
            syntax_problem(&e),
            e.line(),
            e.column()
        ))
    })?;
    let Value::Object(object) = &value else {
        return Err(WebError::field(
            "(body)",
            "expected a JSON object like {\"title\": \"...\", \"description\": \"...\"}",
        ));
    };
    let mut fields = Vec::new();
    for required in ["title", "description"] {
        match object.get(required) {
            None | Some(Value::Null) => fields.push(FieldError {
                field: required.to_owned(),
                message: "required: a string".to_owned(),
            }),
            Some(Value::String(_)) => {}
            Some(_) => fields.push(FieldError {
                field: required.to_owned(),
                message: "expected a string".to_owned(),
            }),
        }
    }
    if !fields.is_empty() {
        return Err(WebError::Unprocessable { fields });
    }
    serde_json::from_value::<Submission>(value).map_err(|e| WebError::Unprocessable {
        fields: vec![data_problem(&e.to_string())],
    })
}

fn syntax_problem(error: &serde_json::Error) -> &'static str {
    match error.classify() {
        serde_json::error::Category::Eof => "it ends too early",
        serde_json::error::Category::Syntax => "a syntax error",
        serde_json::error::Category::Io | serde_json::error::Category::Data => "unreadable",
    }
}

/// A serde data error as a field error, without anything of the input: serde quotes values
/// after "invalid type:"/"invalid value:" (`string "..."`) and the sender's own keys in
/// "unknown field", so only what was expected is kept. Names of fields ward knows (a missing
/// one) are ward's, not the sender's, and are kept.
fn data_problem(message: &str) -> FieldError {
    let message = message.split(" at line ").next().unwrap_or(message);
    let name_in_backticks = |m: &str| {
        m.split('`').nth(1).map(|n| {
            n.chars()
                .filter(|c| !c.is_control())
                .take(64)
                .collect::<String>()
        })
    };
    if message.starts_with("unknown field ") {
        return FieldError {
            field: "(body)".to_owned(),
            message: "an unknown field; expected only title, description, impact, \
                      reproduction, packages, credit, contact"
                .to_owned(),
        };
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let name = name_in_backticks(rest).unwrap_or_default();
        return FieldError {
            field: name,
            message: "required".to_owned(),
        };
    }
    let expected = message
        .split_once(", expected ")
        .map(|(_, e)| format!("expected {e}"))
        .unwrap_or_else(|| "does not match the submission format".to_owned());
    let expected: String = expected.chars().take(200).collect();
    FieldError {
        field: "(body)".to_owned(),
        message: expected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_lines_take_an_optional_ecosystem() {
        let parsed = parse_packages("npm express <4.19.2\n\n  lodash 4.17.20 4.17.21\ncrates.io\n");
        assert_eq!(parsed.len(), 3);
        assert_eq!(parsed[0].ecosystem.as_deref(), Some("npm"));
        assert_eq!(parsed[0].name, "express");
        assert_eq!(parsed[0].versions.as_deref(), Some("<4.19.2"));
        assert_eq!(parsed[1].ecosystem, None);
        assert_eq!(parsed[1].name, "lodash");
        assert_eq!(parsed[1].versions.as_deref(), Some("4.17.20 4.17.21"));
        assert_eq!(parsed[2].name, "crates.io");
    }

    #[test]
    fn scope_matches_case_insensitively_and_by_ecosystem_when_given() {
        let entry = |id, ecosystem: &str, package: &str| ScopeEntry {
            id,
            ecosystem: ecosystem.to_owned(),
            package: package.to_owned(),
            maintainer: ward_desk::UserId(1),
        };
        let scope = [
            entry(1, "npm", "Express"),
            entry(2, "PyPI", "express"),
            entry(3, "npm", "koa"),
        ];
        let named = |ecosystem: Option<&str>, name: &str| AffectedPackage {
            ecosystem: ecosystem.map(str::to_owned),
            name: name.to_owned(),
            versions: None,
        };
        assert_eq!(
            matching_scope(&scope, &[named(Some("NPM"), "express")]),
            vec![1]
        );
        assert_eq!(
            matching_scope(&scope, &[named(None, "EXPRESS")]),
            vec![1, 2]
        );
        assert_eq!(
            matching_scope(&scope, &[named(Some("npm"), "hapi")]),
            Vec::<i64>::new()
        );
    }

    #[test]
    fn json_errors_name_fields_and_never_quote_values() {
        let Err(WebError::BadRequest(message)) = from_json(b"{\"title\": \"secret") else {
            panic!("a syntax error is a 400");
        };
        assert!(
            message.contains("line 1") && !message.contains("secret"),
            "{message}"
        );
        let Err(WebError::Unprocessable { fields }) = from_json(b"{\"impact\": 5}") else {
            panic!("missing fields are a 422");
        };
        let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["title", "description"]);
        let Err(WebError::Unprocessable { fields }) = from_json(
            b"{\"title\": \"t\", \"description\": \"d\", \"impact\": [\"secret value\"]}",
        ) else {
            panic!("a wrong type is a 422");
        };
        assert!(fields[0].message.starts_with("expected"), "{:?}", fields);
        assert!(!format!("{fields:?}").contains("secret value"));
        let Err(WebError::Unprocessable { fields }) = from_json(b"[1, 2]") else {
            panic!("an array is a 422");
        };
        assert!(fields[0].message.contains("JSON object"));
    }

    #[test]
    fn plain_text_messages_become_submissions() {
        let submission = from_plaintext(b"Subject: XSS in the admin page\n\nDetails here.\n")
            .unwrap_or_default();
        assert_eq!(submission.title, "XSS in the admin page");
        assert!(submission.description.contains("Details here."));
        assert!(from_plaintext(&[0xff, 0xfe]).is_err());
    }
}
