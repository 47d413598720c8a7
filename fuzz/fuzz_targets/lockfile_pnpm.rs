//! Fuzzes the pnpm-lock.yaml reader: it never panics, and what it returns holds together:
//! at least one package, each with a name, a version and a line inside the input; an error's
//! line is inside the input too.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::lockfile::npm_packages_or_error(ward_lockfile::Kind::PnpmLock, data, |text| {
        // YAML ends a line at `\r\n`, `\n` or a lone `\r`.
        let breaks = text.replace("\r\n", "\n").matches(['\n', '\r']).count();
        u32::try_from(breaks + 1).unwrap_or(u32::MAX)
    })
});
