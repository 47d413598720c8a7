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
    pub fn validate(&mut self, attachments: &[Attachment]) -> Result<(), Vec<FieldError>> {
        let _ = attachments;
        todo!()
    }
}
