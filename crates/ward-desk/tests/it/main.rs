//! The integration tests of `ward-desk`: properties of the workflow and of the permission
//! check, the envelope encryption and the audit chain on real files, SLA examples, CVSS
//! scores against the reference Python library, and the intake key against real gpg.
#![allow(clippy::unwrap_used, reason = "tests fail loudly")]

mod access;
mod audit;
mod cvss;
mod intake;
mod seal;
mod sla;
mod workflow;
