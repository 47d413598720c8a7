//! Fuzzes the RustSec importer: any text either fails with an error or converts to a valid
//! OSV record whose every range event is a SemVer version (or `0.0.0-0`), evaluable without
//! "could not evaluate".
#![no_main]

mod common;

use ward_advisory::Format;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let origin = "crates/x/RUSTSEC-0000-0000.md";
    let Ok(record) = ward_advisory::parse(Format::RustSec, origin, data) else { return };
    common::advisory::converted(&record, "crates.io");
});
