//! The triage desk through HTTP.

mod cvss;
mod data;
mod jobs;
mod metrics;
mod notify;
mod support;
mod workflow;
