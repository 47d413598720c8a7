//! Fuzzes the pnpm-lock.yaml reader: it never panics, and what it returns holds together:
//! at least one package, each with a name, a version and a line inside the input; an error's
//! line is inside the input too.
#![no_main]

use ward_lockfile::{Kind, parse};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // YAML ends a line at `\r\n`, `\n` or a lone `\r`.
    let breaks = text.replace("\r\n", "\n").matches(['\n', '\r']).count();
    let lines = u32::try_from(breaks + 1).unwrap_or(u32::MAX);
    match parse(Kind::PnpmLock, "fuzz", text) {
        Ok(lockfile) => {
            assert_eq!(lockfile.kind, Kind::PnpmLock);
            assert!(
                !lockfile.packages.is_empty(),
                "an empty list instead of an error"
            );
            for package in &lockfile.packages {
                assert_eq!(package.ecosystem, "npm");
                assert!(
                    !package.name.is_empty() && !package.version.is_empty(),
                    "{package:?}"
                );
                assert!(
                    (1..=lines).contains(&package.line),
                    "{package:?} outside {lines} lines"
                );
            }
        }
        Err(error) => {
            if let Some(line) = error.line {
                assert!(
                    (1..=lines + 1).contains(&line),
                    "{error} outside {lines} lines"
                );
            }
        }
    }
});
