//! Fuzzes the yarn.lock (classic and berry) reader: it never panics, and what it returns holds together:
//! at least one package, each with a name, a version and a line inside the input; an error's
//! line is inside the input too.
#![no_main]

use ward_lockfile::{Kind, parse};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = u32::try_from(text.lines().count())
        .unwrap_or(u32::MAX)
        .max(1);
    match parse(Kind::YarnLock, "fuzz", text) {
        Ok(lockfile) => {
            assert_eq!(lockfile.kind, Kind::YarnLock);
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
