//! A client of a ward server's transparency log: fetches and checks checkpoints against the
//! key and the last checkpoint this machine saw, audits tiles and entries, proves inclusion.
//!
//! What it keeps, per server, under the state directory (`$XDG_STATE_HOME/ward/logs/` or
//! `~/.local/state/ward/logs/`, or `--state-dir`): `key` (the verifier key, pinned on first
//! use) and `checkpoint` (the last one that verified). A checkpoint that fails is never
//! saved, so a fork stays reported until someone looks.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, bail};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ward_log::note::NoteVerifier;
use ward_log::tile::{TileId, TileKind, TileSource};
use ward_log::{Checkpoint, Hash};

/// The largest checkpoint or key read from a server.
const MAX_NOTE: u64 = 64 * 1024;
/// The largest tile or entry bundle (256 entries of at most 64 KiB each, with their lengths).
const MAX_TILE: u64 = 256 * (65_535 + 2);

/// A log check that failed: the log is not what it must be. Anything else (the network, a
/// server answering nonsense) is a plain error.
#[derive(Debug)]
pub(crate) struct LogFailure(pub(crate) String);

impl fmt::Display for LogFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LogFailure {}

fn failure(message: impl Into<String>) -> anyhow::Error {
    LogFailure(message.into()).into()
}

/// HTTP to one server.
struct Http {
    base: String,
    agent: ureq::Agent,
}

/// One server's log, as this machine knows it.
pub(crate) struct LogClient {
    http: Http,
    base: String,
    state: PathBuf,
    verifier: NoteVerifier,
    /// Whether the key was pinned just now (first use).
    pub(crate) pinned_now: bool,
}

/// A checkpoint that verified, with the one seen before it.
pub(crate) struct Checked {
    pub(crate) checkpoint: Checkpoint,
    pub(crate) previous: Option<Checkpoint>,
    note: String,
}

impl LogClient {
    /// A client for the server at `url`: its key is `key`, or the pinned one, or (first use)
    /// the one the server serves, pinned from now on.
    pub(crate) fn new(
        url: &str,
        key: Option<&str>,
        state_dir: Option<&Path>,
    ) -> anyhow::Result<Self> {
        let base = url.trim_end_matches('/').to_owned();
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            bail!("--url must start with https:// or http://");
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_connect(Some(Duration::from_secs(30)))
            .timeout_recv_response(Some(Duration::from_secs(60)))
            .timeout_per_read(Some(Duration::from_secs(60)))
            .user_agent(concat!("ward/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        let root = match state_dir {
            Some(dir) => dir.to_owned(),
            None => dirs::state_dir()
                .or_else(|| dirs::home_dir().map(|h| h.join(".local/state")))
                .context("no state directory: give --state-dir")?
                .join("ward"),
        };
        let state = root.join("logs").join(dir_name(&base));
        std::fs::create_dir_all(&state).with_context(|| format!("creating {}", state.display()))?;
        let pinned_file = state.join("key");
        let pinned = match std::fs::read_to_string(&pinned_file) {
            Ok(text) => Some(text.trim().to_owned()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("reading {}", pinned_file.display())),
        };
        let http = Http {
            base: base.clone(),
            agent,
        };
        let mut pinned_now = false;
        let vkey = match (key, pinned) {
            (Some(given), Some(pinned)) if given.trim() != pinned => {
                return Err(failure(format!(
                    "the key given with --key is not the one pinned for this server in {} \
                     ({pinned}); if the server's key really changed, delete that file",
                    pinned_file.display()
                )));
            }
            (Some(given), _) => given.trim().to_owned(),
            (None, Some(pinned)) => pinned,
            (None, None) => {
                pinned_now = true;
                http.get_text("/log/key")?.trim().to_owned()
            }
        };
        let verifier = NoteVerifier::parse(&vkey)
            .map_err(|e| anyhow::anyhow!("the log key is not a verifier key: {e}"))?;
        if !pinned_file.exists() {
            write_atomic(&pinned_file, format!("{vkey}\n").as_bytes())?;
        }
        Ok(LogClient {
            http,
            base,
            state,
            verifier,
            pinned_now,
        })
    }

    /// The verifier key in use.
    pub(crate) fn key(&self) -> String {
        self.verifier.to_vkey()
    }

    /// Fetches the checkpoint, checks its signature, and that it extends the last one seen
    /// (by the server's consistency proof). Does not save it: call [`Self::save`] once
    /// everything else the caller checks holds.
    pub(crate) fn checkpoint(&self) -> anyhow::Result<Checked> {
        let note = self.http.get_text("/log/checkpoint")?;
        let checkpoint = Checkpoint::open(&note, &self.verifier).map_err(|e| {
            failure(format!(
                "the checkpoint of {} does not verify with the key {}: {e}",
                self.base,
                self.verifier.to_vkey()
            ))
        })?;
        let previous = self.previous()?;
        if let Some(old) = &previous {
            if checkpoint.size < old.size {
                return Err(failure(format!(
                    "ROLLBACK: the log now says size {} but was size {} when last seen; \
                     entries were removed",
                    checkpoint.size, old.size
                )));
            }
            if checkpoint.size == old.size && checkpoint.root != old.root {
                return Err(failure(format!(
                    "FORK: the log at size {} now has root {}, but had root {} when last seen; \
                     its history was rewritten",
                    old.size, checkpoint.root, old.root
                )));
            }
            if checkpoint.size > old.size && old.size > 0 {
                let proof = self.consistency_proof(old.size, checkpoint.size)?;
                ward_log::verify_consistency(
                    old.size,
                    checkpoint.size,
                    &old.root,
                    &checkpoint.root,
                    &proof,
                )
                .map_err(|e| {
                    failure(format!(
                        "FORK: the log at size {} does not extend the size {} seen before: {e}",
                        checkpoint.size, old.size
                    ))
                })?;
            }
        }
        Ok(Checked {
            checkpoint,
            previous,
            note,
        })
    }

    /// Remembers a checkpoint that verified.
    pub(crate) fn save(&self, checked: &Checked) -> anyhow::Result<()> {
        write_atomic(&self.state.join("checkpoint"), checked.note.as_bytes())
    }

    /// The last checkpoint seen, if any (verified again: the file may have been edited).
    fn previous(&self) -> anyhow::Result<Option<Checkpoint>> {
        let path = self.state.join("checkpoint");
        let note = match std::fs::read_to_string(&path) {
            Ok(note) => note,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        Checkpoint::open(&note, &self.verifier)
            .map(Some)
            .map_err(|e| {
                anyhow::anyhow!(
                    "the saved checkpoint {} does not verify: {e}",
                    path.display()
                )
            })
    }

    fn consistency_proof(&self, old: u64, new: u64) -> anyhow::Result<Vec<Hash>> {
        let body = self
            .http
            .get(&format!("/log/proof/consistency/{old}/{new}"), MAX_TILE)?;
        let proof: ward_server::log::ConsistencyProof = serde_json::from_slice(&body)
            .context("the consistency proof is not the JSON expected")?;
        decode_hashes(&proof.hashes)
    }

    /// Proves that the entry with `leaf` is in the tree of `checked`: its index.
    pub(crate) fn prove_inclusion(&self, leaf: &Hash, checked: &Checked) -> anyhow::Result<u64> {
        let size = checked.checkpoint.size;
        let path = format!("/log/proof/leaf/{}?size={size}", leaf);
        let body = match self.http.get_opt(&path, MAX_TILE)? {
            Some(body) => body,
            None => {
                return Err(failure(format!(
                    "the log of {} (size {size}) has no entry for this signature: it was never \
                     registered with `ward log add`",
                    self.base
                )));
            }
        };
        let proof: ward_server::log::InclusionProof = serde_json::from_slice(&body)
            .context("the inclusion proof is not the JSON expected")?;
        let hashes = decode_hashes(&proof.hashes)?;
        ward_log::verify_inclusion(proof.index, size, leaf, &hashes, &checked.checkpoint.root)
            .map_err(|e| {
                failure(format!(
                    "the server's inclusion proof for entry {} does not verify against the \
                     signed checkpoint: {e}",
                    proof.index
                ))
            })?;
        Ok(proof.index)
    }

    /// Reads every entry and tile of the checkpoint's tree and checks them all
    /// ([`ward_log::audit::audit`]); and, when a checkpoint was seen before, that the tiles
    /// also lead to its root.
    pub(crate) fn audit(
        &self,
        checked: &Checked,
        progress: &mut dyn FnMut(u64, u64),
    ) -> anyhow::Result<()> {
        let tiles = HttpTiles {
            client: self,
            cache: RefCell::default(),
        };
        let size = checked.checkpoint.size;
        let result = ward_log::audit::audit(
            &checked.checkpoint,
            &tiles,
            &mut |index, width| {
                let id = TileId {
                    kind: TileKind::Entries,
                    index,
                    width,
                };
                let bundle = tiles.fetch(id)?;
                progress((index * 256 + u64::from(width)).min(size), size);
                ward_log::tile::parse_entry_bundle(&bundle)
                    .map(|entries| entries.into_iter().map(<[u8]>::to_vec).collect())
            },
            &mut |_, _| Ok(()),
        );
        result.map_err(|e| match e {
            ward_log::audit::AuditError::Read(e) => {
                failure(format!("the log's tiles cannot be read in full: {e}"))
            }
            e => failure(format!("the log of {} is inconsistent: {e}", self.base)),
        })?;
        if let Some(old) = &checked.previous {
            let root = ward_log::tile::tree_hash(old.size, &tiles)
                .map_err(|e| failure(format!("the log's tiles cannot be read in full: {e}")))?;
            if root != old.root {
                return Err(failure(format!(
                    "FORK: the tiles lead to root {root} at size {}, where the checkpoint seen \
                     before had {}",
                    old.size, old.root
                )));
            }
        }
        Ok(())
    }

    /// POSTs a release signature; returns the server's answer.
    pub(crate) fn add_signature(
        &self,
        token: &str,
        sha256: &[u8; 32],
        signature: &str,
    ) -> anyhow::Result<ward_server::log::SignatureLogged> {
        let body = serde_json::to_vec(&ward_server::log::SignatureSubmission {
            sha256: sha256.iter().map(|b| format!("{b:02x}")).collect(),
            signature: signature.to_owned(),
        })?;
        let url = format!("{}/api/v1/log/signatures", self.base);
        let mut response = self
            .http
            .agent
            .post(&url)
            .header("Authorization", &format!("Bearer {token}"))
            .header("Content-Type", "application/json")
            .send(&body[..])
            .with_context(|| format!("POST {url}"))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_NOTE)
            .read_to_string()
            .with_context(|| format!("reading the answer of {url}"))?;
        match status {
            201 => {
                serde_json::from_str(&text).context("the server's answer is not the JSON expected")
            }
            401 => bail!("the server refused the token (401): is {url} the right server?"),
            403 => bail!(
                "the token may not record signatures (403): it needs a coordinator's or admin's \
                 token with the write scope"
            ),
            _ => bail!("{url} answered {status}: {}", first_line(&text)),
        }
    }
}

impl Http {
    fn get_text(&self, path: &str) -> anyhow::Result<String> {
        let body = self.get(path, MAX_NOTE)?;
        String::from_utf8(body).with_context(|| format!("{}{path} is not UTF-8 text", self.base))
    }

    fn get(&self, path: &str, limit: u64) -> anyhow::Result<Vec<u8>> {
        self.get_opt(path, limit)?
            .with_context(|| format!("{}{path} is not there (404)", self.base))
    }

    fn get_opt(&self, path: &str, limit: u64) -> anyhow::Result<Option<Vec<u8>>> {
        let url = format!("{}{path}", self.base);
        let mut response = self
            .agent
            .get(&url)
            .call()
            .with_context(|| format!("GET {url}"))?;
        match response.status().as_u16() {
            200 => {}
            404 => return Ok(None),
            status => bail!("GET {url} answered {status}"),
        }
        let mut body = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(limit + 1)
            .read_to_end(&mut body)
            .with_context(|| format!("reading {url}"))?;
        if body.len() as u64 > limit {
            bail!("{url} is larger than {limit} bytes");
        }
        Ok(Some(body))
    }
}

/// Tiles over HTTP, each fetched once.
struct HttpTiles<'a> {
    client: &'a LogClient,
    cache: RefCell<HashMap<TileId, std::rc::Rc<Vec<u8>>>>,
}

impl HttpTiles<'_> {
    fn fetch(&self, id: TileId) -> Result<std::rc::Rc<Vec<u8>>, ward_log::Error> {
        if let Some(data) = self.cache.borrow().get(&id) {
            return Ok(data.clone());
        }
        let path = format!("/log/{}", id.path());
        let data = match self.client.http.get_opt(&path, MAX_TILE) {
            Ok(Some(data)) => std::rc::Rc::new(data),
            Ok(None) => return Err(ward_log::Error::TileMissing { path: id.path() }),
            Err(e) => {
                return Err(ward_log::Error::TileMalformed {
                    path: id.path(),
                    reason: format!("{e:#}"),
                });
            }
        };
        if matches!(id.kind, TileKind::Hashes { .. }) {
            self.cache.borrow_mut().insert(id, data.clone());
        }
        Ok(data)
    }
}

impl TileSource for HttpTiles<'_> {
    fn read_tile(&self, tile: TileId) -> Result<Cow<'_, [u8]>, ward_log::Error> {
        let data = self.fetch(tile)?;
        let len = usize::from(tile.width) * Hash::LEN;
        if data.len() != len {
            return Err(ward_log::Error::TileMalformed {
                path: tile.path(),
                reason: format!("{} bytes where {len} are expected", data.len()),
            });
        }
        Ok(Cow::Owned(data.to_vec()))
    }
}

fn decode_hashes(hashes: &[String]) -> anyhow::Result<Vec<Hash>> {
    hashes
        .iter()
        .map(|h| {
            let bytes = STANDARD.decode(h).context("a proof hash is not base64")?;
            Hash::from_slice(&bytes).context("a proof hash is not 32 bytes")
        })
        .collect()
}

/// A directory name for a server URL: its scheme-less form with anything but letters, digits,
/// dots and dashes replaced.
fn dir_name(base: &str) -> String {
    let rest = base.split_once("://").map_or(base, |(_, r)| r);
    rest.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn write_atomic(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    let temp = path.with_extension("tmp");
    std::fs::write(&temp, contents).with_context(|| format!("writing {}", temp.display()))?;
    std::fs::rename(&temp, path).with_context(|| format!("writing {}", path.display()))
}

fn first_line(text: &str) -> String {
    text.lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect()
}
