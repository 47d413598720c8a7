//! Fuzzes the yarn.lock (classic and berry) reader: it never panics, and what it returns holds together:
//! at least one package, each with a name, a version and a line inside the input; an error's
//! line is inside the input too.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::lockfile::npm_packages_or_error(ward_lockfile::Kind::YarnLock, data, |text| {
        u32::try_from(text.lines().count()).unwrap_or(u32::MAX).max(1)
    })
});
