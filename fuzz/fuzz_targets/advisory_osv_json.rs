//! Fuzzes the OSV JSON importer: any bytes either fail with an error or give a record that
//! validates, whose warnings, rating and lookup names can be computed, and that survives a
//! JSON round trip unchanged.
#![no_main]

use ward_advisory::{severity, Format};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(record) = ward_advisory::parse(Format::OsvJson, "fuzz.json", data) else { return };
    assert!(record.validate().is_ok());
    let _ = record.warnings();
    let _ = severity::rating(&record, None);
    for affected in &record.affected {
        let _ = severity::rating(&record, Some(affected));
        if let Some(package) = &affected.package {
            let _ = ward_advisory::name::normalize(&package.ecosystem, &package.name);
        }
    }
    let json = serde_json::to_vec(&record).expect("a record serializes");
    let again = ward_advisory::parse(Format::OsvJson, "again.json", &json).expect("round trip");
    assert_eq!(again, record, "JSON round trip");
});
