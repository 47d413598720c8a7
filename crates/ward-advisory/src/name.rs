//! Package names as each ecosystem compares them.

/// The key a package is looked up by: `name` normalised the way `ecosystem` compares names
/// (PEP 503 for PyPI: lower case, runs of `-`, `_`, `.` become `-`; lower case where the
/// registry is case-insensitive). (Skeleton: the advisory helper fills in every ecosystem.)
pub fn normalize(ecosystem: &str, name: &str) -> String {
    let _ = ecosystem;
    name.to_owned()
}
