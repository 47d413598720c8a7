//! Fuzzes OSV range evaluation: arbitrary `affected[]` JSON and versions, in every scheme.
#![no_main]

use ward_version::osv::{self, OsvRange, Verdict};
use ward_version::Ecosystem;

#[derive(serde::Deserialize)]
struct Input {
    ecosystem: String,
    #[serde(default)]
    ranges: Vec<OsvRange>,
    #[serde(default)]
    versions: Vec<String>,
    version: String,
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(input) = serde_json::from_slice::<Input>(data) else { return };
    let Ok(ecosystem) = input.ecosystem.parse::<Ecosystem>() else { return };
    let evaluation = osv::evaluate(&ecosystem, &input.ranges, &input.versions, &input.version);
    // "Could not evaluate" always comes with a reason.
    if evaluation.verdict == Verdict::Unknown {
        assert!(evaluation.diagnostics.iter().any(|d| d.is_unevaluable()));
    }
    for d in &evaluation.diagnostics {
        let _ = d.to_string();
    }
});
