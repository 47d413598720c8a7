//! Differential tests against reference implementations: generated cases that hit each
//! scheme's traps, answered by ward and by the reference, disagreement = failure.
//!
//! Each module generates at least 10,000 cases per scheme from a fixed seed (so a failure
//! reproduces), runs the reference once over all of them through a script in
//! `tests/oracles/`, and compares answers line by line.

mod alpine;
mod cargo;
mod debian;
mod hex;
mod maven;
mod npm;
mod nuget;
mod packagist;
mod pep440;
mod rpm;
mod rubygems;
