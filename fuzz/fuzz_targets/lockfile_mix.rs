//! Fuzzes the mix lockfile reader: any text either fails with an error or gives packages
//! with a name, a version and a line inside the text.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(lockfile) = ward_lockfile::parse(ward_lockfile::Kind::MixLock, "fuzz", text) else {
        return;
    };
    let lines = u32::try_from(text.split('\n').count()).unwrap_or(u32::MAX);
    for p in &lockfile.packages {
        assert!(!p.name.is_empty(), "empty name: {p:?}");
        assert!(!p.version.is_empty(), "empty version: {p:?}");
        assert!((1..=lines).contains(&p.line), "line {} outside 1..={lines}: {p:?}", p.line);
    }
    for u in &lockfile.unpinned {
        assert!((1..=lines).contains(&u.line), "line {} outside 1..={lines}: {u:?}", u.line);
    }
});
