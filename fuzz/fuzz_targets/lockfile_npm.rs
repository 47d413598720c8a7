//! Fuzzes the npm lockfile reader: any text either fails with an error or gives packages
//! with a name, a version and a line inside the text.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::lockfile::parses_or_fails(ward_lockfile::Kind::PackageLockJson, data)
});
