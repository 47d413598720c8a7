//! Looking for a secret in bytes: a random marker and the encodings a leak could take (hex,
//! base64 at every alignment, UTF-16), searched in every file under a directory or in any
//! buffer.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};

/// A random marker: letters and digits only, so that it survives every field unchanged.
pub(crate) fn marker() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let tail: String = (0..24)
        .map(|_| char::from(ALPHABET[rand::random_range(0..ALPHABET.len())]))
        .collect();
    format!("wardmark{tail}")
}

/// A form the marker could take in a leak.
#[derive(Debug, Clone)]
pub(crate) struct Needle {
    /// What it is a form of (set by [`labelled`]).
    pub(crate) what: String,
    pub(crate) encoding: String,
    pub(crate) bytes: Vec<u8>,
}

/// [`needles`] of `secret`, each saying it is a form of `what`.
pub(crate) fn labelled(what: &str, secret: &str) -> Vec<Needle> {
    needles(secret)
        .into_iter()
        .map(|n| Needle {
            what: what.to_owned(),
            ..n
        })
        .collect()
}

/// The marker as written, upper-cased, hex, base64 (standard and URL-safe, each of the three
/// alignments a marker can have inside a longer base64 text, trimmed to the characters that
/// do not depend on its neighbours), and UTF-16 LE/BE.
pub(crate) fn needles(marker: &str) -> Vec<Needle> {
    let raw = marker.as_bytes();
    let mut out = vec![
        needle("as written", raw.to_vec()),
        needle("upper-case", marker.to_ascii_uppercase().into_bytes()),
        needle("hex", hex(raw, false).into_bytes()),
        needle("HEX", hex(raw, true).into_bytes()),
        needle(
            "UTF-16LE",
            marker.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        ),
        needle(
            "UTF-16BE",
            marker.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        ),
    ];
    for (name, engine) in [("base64", STANDARD_NO_PAD), ("base64url", URL_SAFE_NO_PAD)] {
        for shift in 0..3 {
            // Encode behind `shift` filler bytes, then keep only the characters made of the
            // marker's bytes alone: the first whole group after the filler, up to the last
            // whole group.
            let mut shifted = vec![0u8; shift];
            shifted.extend_from_slice(raw);
            let encoded = engine.encode(&shifted);
            let skip = if shift == 0 { 0 } else { 4 };
            let whole = (shifted.len() / 3) * 4;
            let text = &encoded[skip..whole];
            out.push(needle(&format!("{name} (offset {shift})"), text.into()));
        }
    }
    out
}

fn needle(encoding: &str, bytes: Vec<u8>) -> Needle {
    Needle {
        what: "the marker".to_owned(),
        encoding: encoding.to_owned(),
        bytes,
    }
}

fn hex(bytes: &[u8], upper: bool) -> String {
    bytes
        .iter()
        .map(|b| {
            if upper {
                format!("{b:02X}")
            } else {
                format!("{b:02x}")
            }
        })
        .collect()
}

/// Where a needle was found.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub(crate) place: String,
    pub(crate) what: String,
    pub(crate) encoding: String,
    pub(crate) offset: usize,
    /// The bytes around it, as text.
    pub(crate) context: String,
}

impl std::fmt::Display for Hit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} in {} at byte {} ({}): …{}…",
            self.what, self.place, self.offset, self.encoding, self.context
        )
    }
}

/// Every occurrence of every needle in `haystack`, named `place`.
pub(crate) fn find_in(place: &str, haystack: &[u8], needles: &[Needle]) -> Vec<Hit> {
    let mut hits = Vec::new();
    for needle in needles {
        let n = &needle.bytes;
        if n.is_empty() || n.len() > haystack.len() {
            continue;
        }
        for (offset, window) in haystack.windows(n.len()).enumerate() {
            if window == n.as_slice() {
                let from = offset.saturating_sub(100);
                let to = (offset + n.len() + 60).min(haystack.len());
                hits.push(Hit {
                    place: place.to_owned(),
                    what: needle.what.clone(),
                    encoding: needle.encoding.clone(),
                    offset,
                    context: String::from_utf8_lossy(&haystack[from..to])
                        .replace(['\n', '\r'], " "),
                });
            }
        }
    }
    hits
}

/// Every file under `dir` (hidden ones included; symbolic links not followed), with its bytes.
pub(crate) fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file() {
                let bytes = std::fs::read(entry.path()).unwrap();
                out.push((entry.path(), bytes));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn every_encoding_of_a_marker_is_found() {
    let marker = marker();
    let needles = needles(&marker);
    let base64_texts = [
        STANDARD_NO_PAD.encode(format!("{marker}!")),
        STANDARD_NO_PAD.encode(format!("a{marker}")),
        URL_SAFE_NO_PAD.encode(format!("ab{marker}cd")),
    ];
    for text in &base64_texts {
        assert!(
            !find_in("base64", text.as_bytes(), &needles).is_empty(),
            "{text}"
        );
    }
    let embedded = format!("xx{}yy", hex(marker.as_bytes(), false));
    assert!(!find_in("hex", embedded.as_bytes(), &needles).is_empty());
    assert!(find_in("other", b"nothing to see here", &needles).is_empty());
}
