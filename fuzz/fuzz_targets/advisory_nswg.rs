//! Fuzzes the Node.js security-wg importers (the first byte picks npm or core): any bytes
//! either fail with an error or convert to a valid OSV record whose ranges evaluate, at every
//! event version, without "could not evaluate".
#![no_main]

use ward_advisory::Format;
use ward_version::osv::{self, Verdict};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&pick, data)) = data.split_first() else { return };
    let (format, origin) = if pick % 2 == 0 {
        (Format::NswgNpm, "vuln/npm/1.json")
    } else {
        (Format::NswgCore, "vuln/core/1.json")
    };
    let Ok(record) = ward_advisory::parse(format, origin, data) else { return };
    assert!(record.validate().is_ok());
    let npm: ward_version::Ecosystem = "npm".parse().expect("known");
    for affected in &record.affected {
        let ranges: Vec<_> = affected.ranges.iter().map(|r| r.to_eval()).collect();
        for event in affected.ranges.iter().flat_map(|r| &r.events) {
            let e = osv::evaluate(&npm, &ranges, &[], event.version());
            assert_ne!(e.verdict, Verdict::Unknown, "{event:?}: {e:?}");
        }
    }
    let json = serde_json::to_vec(&record).expect("serializes");
    ward_advisory::parse(Format::OsvJson, "again.json", &json).expect("valid OSV");
});
