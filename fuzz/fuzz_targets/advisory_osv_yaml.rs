//! Fuzzes the OSV YAML importer: any bytes either fail with an error or give a record that
//! validates and that, written as JSON, imports again as a valid record with the same id.
#![no_main]

use ward_advisory::Format;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(record) = ward_advisory::parse(Format::OsvYaml, "fuzz.yaml", data) else { return };
    assert!(record.validate().is_ok());
    let _ = record.warnings();
    let _ = ward_advisory::severity::rating(&record, None);
    // YAML may hold values JSON cannot (NaN in database_specific); those need not round-trip.
    let Ok(json) = serde_json::to_vec(&record) else { return };
    let again = ward_advisory::parse(Format::OsvJson, "again.json", &json).expect("valid as JSON");
    assert_eq!(again.id, record.id);
    assert_eq!(again.affected.len(), record.affected.len());
});
