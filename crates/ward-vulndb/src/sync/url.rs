//! Sources at an HTTP(S) URL: OSV.dev's layout, conditional downloads, incremental fetches.
//!
//! Traps:
//! - **Incremental, OSV.dev style.** Next to `<base>/all.zip`, OSV.dev publishes
//!   `<base>/modified_id.csv` (`<RFC 3339 modified>,<id>` lines, newest first; at the root
//!   `<ecosystem>/<id>`) and each record as `<base>/<id>.json`. After a first full download
//!   ward remembers the newest `modified` it has seen; the next sync reads the CSV and
//!   fetches only records modified *after* it (a record rewritten within the same instant as
//!   that mark is caught by the next full download). Every line is read, so the order does
//!   not matter. With no CSV, an unusable one, or more than
//!   [`crate::Limits::max_incremental`] new records, ward downloads the dump instead, sending
//!   the stored `ETag` / `Last-Modified` so that an unchanged dump costs one `304`.
//! - **CSV ids become URL paths**: only ASCII letters, digits, `-_.:` and (for the root
//!   file's `<ecosystem>/<id>`) one level of `/` and spaces are accepted, never `..`.
//! - **The dump is downloaded to a temporary file** next to the database (zip needs to
//!   seek) and removed afterwards, whatever happens; errors name the URL, not that file.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use ward_advisory::import::Format;

use super::{Source, SourceState, SyncAction, ecosystem_filter, record_source};
use crate::http::{Client, Fetched};
use crate::import::{Progress, Sink, SourceReport};
use crate::{Database, Error, archive};

impl Database {
    pub(super) fn sync_url(
        &mut self,
        source: &Source,
        url: &str,
        state: Option<SourceState>,
        progress: &mut dyn Progress,
        records: &mut SourceReport,
    ) -> Result<SyncAction, Error> {
        let client = Client::new(url, source.allow_http, self.limits)?;
        let filter = ecosystem_filter(&source.ecosystems)?;
        let mut next = SourceState {
            name: source.name.clone(),
            kind: "url".into(),
            location: url.to_owned(),
            ..state.clone().unwrap_or_default()
        };
        let base = url.strip_suffix("/all.zip");
        if let (Some(base), Some(cursor)) = (base, state.as_ref().and_then(|s| s.cursor_us)) {
            let csv_url = format!("{base}/modified_id.csv");
            progress.stage(&format!("checking {csv_url}"));
            // Any trouble with the CSV (none, unreadable, too many changes) means the dump.
            if let Some((newest, ids)) = modified_since(&client, &csv_url, cursor)
                .filter(|(_, ids)| ids.len() <= self.limits.max_incremental)
            {
                if ids.is_empty() {
                    self.touch(&next)?;
                    return Ok(SyncAction::NotModified);
                }
                let mut fetched = Vec::with_capacity(ids.len());
                progress.stage(&format!("fetching {} records from {base}", ids.len()));
                progress.start(Some(ids.len() as u64));
                for id in &ids {
                    let record_url = format!("{base}/{}.json", id.replace(' ', "%20"));
                    let Fetched::Body { response, .. } = client.get(&record_url, None, None)?
                    else {
                        return Err(Error::HttpStatus {
                            url: record_url,
                            status: 404,
                        });
                    };
                    fetched.push((client.read(&record_url, response)?, record_url));
                    progress.advance(1);
                }
                progress.finish();
                next.cursor_us = Some(newest.max(cursor));
                let limits = self.limits;
                let tx = self.transaction()?;
                let mut sink = Sink::new(&tx, &source.name, limits, filter);
                for (bytes, origin) in &fetched {
                    sink.record(Format::OsvJson, origin, bytes)?;
                }
                record_source(&tx, &next)?;
                *records = sink.report;
                tx.commit().map_err(Error::sql("committing the sync"))?;
                return Ok(SyncAction::Incremental {
                    fetched: fetched.len(),
                });
            }
        }
        // The whole dump, conditionally.
        let (etag, modified) = match &state {
            Some(s) => (s.etag.as_deref(), s.last_modified.as_deref()),
            None => (None, None),
        };
        progress.stage(&format!("downloading {url}"));
        let (response, etag, last_modified) = match client.get(url, etag, modified)? {
            Fetched::NotModified => {
                self.touch(&next)?;
                return Ok(SyncAction::NotModified);
            }
            Fetched::NotFound => {
                return Err(Error::HttpStatus {
                    url: url.to_owned(),
                    status: 404,
                });
            }
            Fetched::Body {
                response,
                etag,
                last_modified,
            } => (response, etag, last_modified),
        };
        let download = Download::create(self.path.parent().unwrap_or(Path::new(".")), url)?;
        progress.start(response.body().content_length());
        let mut writer = BufWriter::new(&download.file);
        let bytes = client.copy(url, response, &mut writer, progress)?;
        writer
            .flush()
            .map_err(Error::io(&download.path, "writing"))?;
        drop(writer);
        progress.finish();
        next.etag = etag;
        next.last_modified = last_modified;
        let limits = self.limits;
        let tx = self.transaction()?;
        let mut sink = Sink::new(&tx, &source.name, limits, filter);
        progress.stage(&format!("importing {url}"));
        progress.start(Some(bytes));
        let read = if url.ends_with(".tar.zst") {
            archive::read_tar_zst(&download.path, &mut sink, progress)
        } else {
            archive::read_zip(&download.path, &mut sink, progress)
        };
        progress.finish();
        read.map_err(|e| rename_origin(e, &download.path, url))?;
        next.cursor_us = sink.newest_us.or(next.cursor_us);
        record_source(&tx, &next)?;
        *records = sink.report;
        tx.commit().map_err(Error::sql("committing the sync"))?;
        Ok(SyncAction::Downloaded { bytes })
    }
}

/// The newest time `csv_url` lists and the ids modified after `cursor`; `None` when the CSV
/// cannot be had or read.
fn modified_since(client: &Client, csv_url: &str, cursor: i64) -> Option<(i64, Vec<String>)> {
    let Ok(Fetched::Body { response, .. }) = client.get(csv_url, None, None) else {
        return None;
    };
    let csv = client.read(csv_url, response).ok()?;
    newer_ids(csv_url, &csv, cursor).ok()
}

/// The ids `modified_id.csv` lists as modified after `cursor` (microseconds), and the newest
/// time it lists.
pub(crate) fn newer_ids(url: &str, csv: &[u8], cursor: i64) -> Result<(i64, Vec<String>), Error> {
    let malformed = |line: usize, reason: &str| Error::Malformed {
        origin: format!("{url} line {line}"),
        reason: reason.to_owned(),
    };
    let text = std::str::from_utf8(csv).map_err(|_| malformed(1, "not UTF-8"))?;
    let mut newest = i64::MIN;
    let mut ids = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (time, id) = line
            .split_once(',')
            .ok_or_else(|| malformed(index + 1, "expected `<RFC 3339 time>,<id>`"))?;
        let time = jiff::Timestamp::from_str(time.trim())
            .map_err(|_| malformed(index + 1, "expected an RFC 3339 time before the comma"))?
            .as_microsecond();
        let id = id.trim();
        let safe = !id.is_empty()
            && !id.starts_with('/')
            && !id.split('/').any(|p| p.is_empty() || p == "." || p == "..")
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.:/ ".contains(c));
        if !safe {
            return Err(malformed(
                index + 1,
                "expected an advisory id after the comma",
            ));
        }
        newest = newest.max(time);
        if time > cursor {
            ids.push(id.to_owned());
        }
    }
    Ok((newest, ids))
}

/// Errors about the temporary download name the URL instead.
fn rename_origin(error: Error, path: &Path, url: &str) -> Error {
    let shown = path.display().to_string();
    match error {
        Error::Archive {
            origin,
            format,
            source,
        } => Error::Archive {
            origin: origin.replace(&shown, url),
            format,
            source,
        },
        Error::TooLarge {
            origin,
            what,
            size,
            limit,
        } => Error::TooLarge {
            origin: origin.replace(&shown, url),
            what,
            size,
            limit,
        },
        other => other,
    }
}

/// A temporary file next to the database, removed when dropped.
struct Download {
    path: PathBuf,
    file: File,
}

impl Download {
    fn create(dir: &Path, url: &str) -> Result<Download, Error> {
        let extension = if url.ends_with(".tar.zst") {
            "tar.zst"
        } else {
            "zip"
        };
        for attempt in 0..100u32 {
            let path = dir.join(format!(
                ".download-{}-{attempt}.{extension}",
                std::process::id()
            ));
            match OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(file) => return Ok(Download { path, file }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(Error::io(path, "creating")(e)),
            }
        }
        Err(Error::Io {
            path: dir.to_owned(),
            action: "creating a temporary file in",
            source: std::io::Error::other("100 temporary download files already exist"),
        })
    }
}

impl Drop for Download {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::newer_ids;

    fn us(time: &str) -> i64 {
        time.parse::<jiff::Timestamp>()
            .expect("RFC 3339")
            .as_microsecond()
    }

    #[test]
    fn csv_lines_newer_than_the_mark_in_any_order() {
        let csv = b"2024-03-01T00:00:00Z,PYSEC-2024-3\n\n2024-01-01T00:00:00Z,PYSEC-2024-1\n2024-02-01T00:00:00.5Z,PyPI/PYSEC-2024-2\n";
        let (newest, ids) = newer_ids("u", csv, us("2024-01-01T00:00:00Z")).expect("a valid CSV");
        assert_eq!(newest, us("2024-03-01T00:00:00Z"));
        assert_eq!(ids, ["PYSEC-2024-3", "PyPI/PYSEC-2024-2"]);
    }

    #[test]
    fn csv_ids_cannot_leave_the_base_url() {
        for line in [
            "2024-01-01T00:00:00Z,../secret",
            "2024-01-01T00:00:00Z,/etc/passwd",
            "2024-01-01T00:00:00Z,a//b",
            "2024-01-01T00:00:00Z,a?b=c",
            "2024-01-01T00:00:00Z,",
            "yesterday,PYSEC-1",
            "PYSEC-1",
        ] {
            let err = newer_ids("https://x/modified_id.csv", line.as_bytes(), 0).expect_err(line);
            assert!(
                err.to_string()
                    .starts_with("https://x/modified_id.csv line 1: "),
                "{err}"
            );
        }
    }
}
