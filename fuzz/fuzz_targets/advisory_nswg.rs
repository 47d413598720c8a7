//! Fuzzes the Node.js security-wg importers (the first byte picks npm or core): any bytes
//! either fail with an error or convert to a valid OSV record whose ranges evaluate, at every
//! event version, without "could not evaluate".
#![no_main]

mod common;

use ward_advisory::Format;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&pick, data)) = data.split_first() else { return };
    let (format, origin) = if pick % 2 == 0 {
        (Format::NswgNpm, "vuln/npm/1.json")
    } else {
        (Format::NswgCore, "vuln/core/1.json")
    };
    let Ok(record) = ward_advisory::parse(format, origin, data) else { return };
    common::advisory::converted(&record, "npm");
});
