//! Fuzzes the RustSec importer: any text either fails with an error or converts to a valid
//! OSV record whose every range event is a SemVer version (or `0.0.0-0`), evaluable without
//! "could not evaluate".
#![no_main]

use ward_advisory::Format;
use ward_version::osv::{self, Verdict};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(record) = ward_advisory::parse(Format::RustSec, "crates/x/RUSTSEC-0000-0000.md", data)
    else {
        return;
    };
    assert!(record.validate().is_ok());
    let ecosystem: ward_version::Ecosystem = "crates.io".parse().expect("known");
    for affected in &record.affected {
        let ranges: Vec<_> = affected.ranges.iter().map(|r| r.to_eval()).collect();
        for event in affected.ranges.iter().flat_map(|r| &r.events) {
            let e = osv::evaluate(&ecosystem, &ranges, &[], event.version());
            assert_ne!(e.verdict, Verdict::Unknown, "{event:?}: {e:?}");
        }
    }
    let json = serde_json::to_vec(&record).expect("serializes");
    ward_advisory::parse(Format::OsvJson, "again.json", &json).expect("valid OSV");
});
