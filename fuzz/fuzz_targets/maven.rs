//! Fuzzes the Maven scheme: version parser, range parser, ordering and display.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::scheme(ward_version::Scheme::Maven, data));
