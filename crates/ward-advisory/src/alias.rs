//! Grouping the ids one vulnerability is known by (skeleton).

/// Groups ids that name the same vulnerability.
pub fn group_aliases<'a>(
    records: impl IntoIterator<Item = (&'a str, &'a [String])>,
) -> Vec<Vec<String>> {
    records
        .into_iter()
        .map(|(id, _)| vec![id.to_owned()])
        .collect()
}
