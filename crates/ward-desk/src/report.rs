//! What a reporter submits, its validation, and the limits on it.

use serde::{Deserialize, Serialize};

/// Limits on a submission (a request's body is limited separately, before parsing).
pub mod limits {
    /// Characters in a title.
    pub const TITLE: usize = 200;
    /// Bytes in the description, impact or reproduction steps, each.
    pub const TEXT: usize = 64 * 1024;
    /// Affected packages listed.
    pub const PACKAGES: usize = 50;
    /// Attachments per submission.
    pub const ATTACHMENTS: usize = 5;
    /// Bytes per attachment.
    pub const ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;
    /// Bytes of all attachments of a submission.
    pub const ATTACHMENTS_TOTAL: usize = 10 * 1024 * 1024;
    /// Characters in any other one-line field: a package's ecosystem, name and versions, a
    /// credit name or handle, an attachment's name and media type.
    pub const FIELD: usize = 200;
    /// Characters in a contact address (RFC 5321's limit on a path).
    pub const CONTACT: usize = 254;
}

/// A vulnerability report as submitted (form, JSON API, or decrypted OpenPGP message).
/// Only `title` and `description` are required.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// One line.
    pub title: String,
    /// What is wrong.
    pub description: String,
    /// What an attacker gains.
    #[serde(default)]
    pub impact: Option<String>,
    /// How to reproduce it.
    #[serde(default)]
    pub reproduction: Option<String>,
    /// The affected packages and versions.
    #[serde(default)]
    pub packages: Vec<AffectedPackage>,
    /// How the reporter wants to be credited.
    #[serde(default)]
    pub credit: Credit,
    /// An email address for updates (anonymous reporters may leave it out; registered reporters
    /// are written to at their account's address).
    #[serde(default)]
    pub contact: Option<String>,
}

/// A package the reporter names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AffectedPackage {
    /// OSV ecosystem name, if given (`npm`, `crates.io`, ...).
    #[serde(default)]
    pub ecosystem: Option<String>,
    /// The package name.
    pub name: String,
    /// Affected versions, in the reporter's words (`<= 4.17.1`).
    #[serde(default)]
    pub versions: Option<String>,
}

/// How a reporter wants to be credited.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum Credit {
    /// By name.
    Name(String),
    /// By handle (`@someone`).
    Handle(String),
    /// Not at all.
    #[default]
    Anonymous,
}

/// An attached file.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The file name as given (shown, never used as a path).
    pub name: String,
    /// Its media type as given.
    pub media_type: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("bytes", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// A field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field (`title`, `packages[2].name`, `attachments[0]`).
    pub field: String,
    /// What was expected.
    pub message: String,
}

impl Submission {
    /// Checks required fields, lengths and counts; trims whitespace first. Every problem is
    /// listed, not just the first.
    ///
    /// Optional fields that are empty after trimming become `None`. Messages never repeat the
    /// input (it is report content).
    pub fn validate(&mut self, attachments: &[Attachment]) -> Result<(), Vec<FieldError>> {
        let mut errors = Errors::default();

        trim(&mut self.title);
        if self.title.is_empty() {
            errors.add("title", "a title is required");
        } else {
            errors.line("title", &self.title, limits::TITLE);
        }

        trim(&mut self.description);
        if self.description.is_empty() {
            errors.add("description", "a description is required");
        } else {
            errors.text("description", &self.description);
        }
        for (field, value) in [
            ("impact", &mut self.impact),
            ("reproduction", &mut self.reproduction),
        ] {
            trim_option(value);
            if let Some(value) = value {
                errors.text(field, value);
            }
        }

        if self.packages.len() > limits::PACKAGES {
            errors.add("packages", format!("at most {} packages", limits::PACKAGES));
        }
        for (i, package) in self.packages.iter_mut().enumerate() {
            trim(&mut package.name);
            trim_option(&mut package.ecosystem);
            trim_option(&mut package.versions);
            let field = |name: &str| format!("packages[{i}].{name}");
            if package.name.is_empty() {
                errors.add(field("name"), "a package name is required");
            } else {
                errors.line(&field("name"), &package.name, limits::FIELD);
            }
            if let Some(ecosystem) = &package.ecosystem {
                errors.line(&field("ecosystem"), ecosystem, limits::FIELD);
            }
            if let Some(versions) = &package.versions {
                errors.line(&field("versions"), versions, limits::FIELD);
            }
        }

        match &mut self.credit {
            Credit::Name(value) | Credit::Handle(value) => {
                trim(value);
                if value.is_empty() {
                    errors.add(
                        "credit_value",
                        "a name or handle to credit is required (or choose anonymous)",
                    );
                } else {
                    errors.line("credit_value", value, limits::FIELD);
                }
            }
            Credit::Anonymous => {}
        }

        trim_option(&mut self.contact);
        if let Some(contact) = &self.contact
            && !looks_like_email(contact)
        {
            errors.add("contact", "an email address (name@example.org) is expected");
        }

        if attachments.len() > limits::ATTACHMENTS {
            errors.add(
                "attachments",
                format!("at most {} attachments", limits::ATTACHMENTS),
            );
        }
        let mut total: usize = 0;
        for (i, attachment) in attachments.iter().enumerate() {
            let name = attachment.name.trim();
            if name.is_empty() {
                errors.add(format!("attachments[{i}].name"), "a file name is required");
            } else {
                errors.line(&format!("attachments[{i}].name"), name, limits::FIELD);
            }
            errors.line(
                &format!("attachments[{i}].media_type"),
                &attachment.media_type,
                limits::FIELD,
            );
            if attachment.bytes.len() > limits::ATTACHMENT_BYTES {
                errors.add(
                    format!("attachments[{i}]"),
                    format!("at most {} MiB per file", limits::ATTACHMENT_BYTES >> 20),
                );
            }
            total = total.saturating_add(attachment.bytes.len());
        }
        if total > limits::ATTACHMENTS_TOTAL {
            errors.add(
                "attachments",
                format!(
                    "at most {} MiB of attachments in all",
                    limits::ATTACHMENTS_TOTAL >> 20
                ),
            );
        }

        errors.finish()
    }
}

/// Whether `s` has the shape of an email address: one `@`, a non-empty local part, a domain
/// with a dot and no empty label, no spaces, controls or characters that would let it
/// smuggle a second address or header (`<>,;:"()[]\`). Deliverability is the mail server's
/// business.
pub fn looks_like_email(s: &str) -> bool {
    if s.chars().count() > limits::CONTACT
        || s.chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;:\"()[]\\".contains(c))
    {
        return false;
    }
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    /// A one-line field of at most `max` characters, without control characters.
    fn line(&mut self, field: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.add(field, format!("at most {max} characters"));
        }
        if value.chars().any(char::is_control) {
            self.add(field, "one line, without control characters");
        }
    }

    /// A free-text field of at most [`limits::TEXT`] bytes, without NUL.
    fn text(&mut self, field: &str, value: &str) {
        if value.len() > limits::TEXT {
            self.add(field, format!("at most {} KiB", limits::TEXT >> 10));
        }
        if value.contains('\0') {
            self.add(field, "must not contain NUL characters");
        }
    }

    fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

fn trim(s: &mut String) {
    let trimmed = s.trim();
    if trimmed.len() != s.len() {
        *s = trimmed.to_owned();
    }
}

fn trim_option(s: &mut Option<String>) {
    if let Some(value) = s {
        trim(value);
        if value.is_empty() {
            *s = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(result: Result<(), Vec<FieldError>>) -> Vec<String> {
        result.unwrap_err().into_iter().map(|e| e.field).collect()
    }

    fn minimal() -> Submission {
        Submission {
            title: "  XSS in the admin page \n".into(),
            description: " The name field is not escaped. ".into(),
            ..Submission::default()
        }
    }

    #[test]
    fn title_and_description_suffice_and_are_trimmed() {
        let mut s = minimal();
        s.impact = Some("   ".into());
        s.contact = Some(" someone@example.org ".into());
        assert_eq!(s.validate(&[]), Ok(()));
        assert_eq!(s.title, "XSS in the admin page");
        assert_eq!(s.description, "The name field is not escaped.");
        assert_eq!(s.impact, None);
        assert_eq!(s.contact.as_deref(), Some("someone@example.org"));
    }

    #[test]
    fn every_problem_is_listed() {
        let mut s = Submission {
            title: "a\nb".into(),
            description: " ".into(),
            impact: None,
            reproduction: Some("x".repeat(limits::TEXT + 1)),
            packages: vec![
                AffectedPackage {
                    ecosystem: Some("npm".into()),
                    name: " ".into(),
                    versions: None,
                };
                limits::PACKAGES + 1
            ],
            credit: Credit::Handle("  ".into()),
            contact: Some("not an address".into()),
        };
        let attachments = vec![
            Attachment {
                name: " ".into(),
                media_type: "text/plain".into(),
                bytes: vec![0; limits::ATTACHMENT_BYTES + 1],
            },
            Attachment {
                name: "b.txt".into(),
                media_type: "text/plain".into(),
                bytes: vec![0; limits::ATTACHMENT_BYTES],
            },
        ];
        let got = fields(s.validate(&attachments));
        for field in [
            "title",
            "description",
            "reproduction",
            "packages",
            "packages[0].name",
            "packages[50].name",
            "credit_value",
            "contact",
            "attachments[0].name",
            "attachments[0]",
            "attachments",
        ] {
            assert!(
                got.iter().any(|f| f == field),
                "{field} missing from {got:?}"
            );
        }
    }

    #[test]
    fn limits_are_limits() {
        let mut s = minimal();
        s.title = "é".repeat(limits::TITLE);
        assert_eq!(s.validate(&[]), Ok(()));
        s.title.push('é');
        assert_eq!(fields(s.validate(&[])), ["title"]);
        let mut s = minimal();
        s.credit = Credit::Name("Ada\u{7}".into());
        assert_eq!(fields(s.validate(&[])), ["credit_value"]);
        let messages = minimal()
            .validate(&[Attachment {
                name: "secret-name.txt".into(),
                media_type: "x".repeat(limits::FIELD + 1),
                bytes: Vec::new(),
            }])
            .unwrap_err();
        assert!(messages.iter().all(|e| !e.message.contains("secret-name")));
    }

    #[test]
    fn email_shapes() {
        for good in [
            "a@example.org",
            "first.last+tag@sub.example.co.uk",
            "ü@bücher.de",
        ] {
            assert!(looks_like_email(good), "{good}");
        }
        for bad in [
            "",
            "a",
            "a@",
            "@example.org",
            "a@localhost",
            "a@@example.org",
            "a@b@example.org",
            "a b@example.org",
            "a@example..org",
            "a@-example.org",
            "a@example.org\r\nBcc: x@y.z",
            "A <a@example.org>",
            "a@example.org, b@example.org",
        ] {
            assert!(!looks_like_email(bad), "{bad:?}");
        }
        assert!(!looks_like_email(&format!(
            "{}@example.org",
            "a".repeat(250)
        )));
    }

    #[test]
    fn submissions_read_from_json() {
        let s: Submission = serde_json::from_str(r#"{"title":"t","description":"d"}"#).unwrap();
        assert_eq!(s.credit, Credit::Anonymous);
        let s: Submission = serde_json::from_str(
            r#"{"title":"t","description":"d","credit":{"type":"handle","value":"@x"},"packages":[{"name":"express","ecosystem":"npm"}]}"#,
        )
        .unwrap();
        assert_eq!(s.credit, Credit::Handle("@x".into()));
        assert!(
            serde_json::from_str::<Submission>(r#"{"title":"t","description":"d","x":1}"#).is_err()
        );
    }
}
