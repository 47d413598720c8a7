//! What the fuzz targets of the importers that convert to OSV (RustSec, Node.js security-wg)
//! check, beyond "does not panic".

use ward_advisory::{Format, Vulnerability};
use ward_version::osv::{self, Verdict};

/// A converted record validates; in `ecosystem`, each of its ranges evaluates at every event
/// version of the entry without "could not evaluate"; and written as JSON it imports again
/// as valid OSV.
pub fn converted(record: &Vulnerability, ecosystem: &str) {
    assert!(record.validate().is_ok());
    let ecosystem: ward_version::Ecosystem = ecosystem.parse().expect("known");
    for affected in &record.affected {
        let ranges: Vec<_> = affected.ranges.iter().map(|r| r.to_eval()).collect();
        for event in affected.ranges.iter().flat_map(|r| &r.events) {
            let e = osv::evaluate(&ecosystem, &ranges, &[], event.version());
            assert_ne!(e.verdict, Verdict::Unknown, "{event:?}: {e:?}");
        }
    }
    let json = serde_json::to_vec(record).expect("serializes");
    ward_advisory::parse(Format::OsvJson, "again.json", &json).expect("valid OSV");
}
