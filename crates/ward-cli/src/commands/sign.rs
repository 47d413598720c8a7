//! `ward sign`: one signature file per file, next to it or at --output.

use std::fs::{self, File};
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use ward_sign::{Format, KeyError, SecretKey, SignOptions};

use crate::cli::SignArgs;
use crate::commands::key::{existing_passphrase, with_suffix};

pub(crate) fn run(args: SignArgs) -> anyhow::Result<ExitCode> {
    if args.output.is_some() && args.files.len() > 1 {
        bail!("--output names one signature file: give one FILE with it");
    }
    let bytes = zeroize::Zeroizing::new(
        read_capped(&args.key, ward_sign::MAX_KEY_BYTES)
            .with_context(|| format!("reading the secret key {}", args.key.display()))?,
    );
    let mut asked = None;
    let key = SecretKey::parse(&bytes, || {
        existing_passphrase(&args.passphrase, &args.key)
            .map_err(|e| asked = Some(e))
            .ok()
            .flatten()
    });
    if let Some(error) = asked {
        return Err(error);
    }
    let key = key
        .map_err(|e| match e {
            KeyError::PassphraseRequired => anyhow::anyhow!(
                "{e} (asked on a terminal, or read from --passphrase-file / $WARD_PASSPHRASE_FILE)"
            ),
            e => anyhow::Error::new(e),
        })
        .with_context(|| format!("reading the secret key {}", args.key.display()))?;
    let format = key.format();
    if args.trusted_comment.is_some() && format != Format::Minisign {
        bail!(
            "--trusted-comment is for minisign keys; {} is a {format} key",
            args.key.display()
        );
    }
    if args.namespace.is_some() && format != Format::Ssh {
        bail!(
            "--namespace is for ssh keys; {} is a {format} key",
            args.key.display()
        );
    }

    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut out = io::stdout().lock();
    for file in &args.files {
        let trusted_comment = (format == Format::Minisign).then(|| {
            args.trusted_comment.clone().unwrap_or_else(|| {
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                ward_sign::default_trusted_comment(&name, now)
            })
        });
        let options = SignOptions {
            trusted_comment,
            namespace: args.namespace.clone(),
        };
        let content = File::open(file).with_context(|| format!("opening {}", file.display()))?;
        let signature = ward_sign::sign(&key, BufReader::new(content), &options)
            .with_context(|| format!("signing {}", file.display()))?;
        let target = args
            .output
            .clone()
            .unwrap_or_else(|| signature_path(file, format));
        fs::write(&target, signature).with_context(|| format!("writing {}", target.display()))?;
        writeln!(out, "{}", target.display())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Where a file's signature goes by default: FILE.minisig, FILE.sig, FILE.asc.
pub(crate) fn signature_path(file: &Path, format: Format) -> PathBuf {
    with_suffix(file, format.signature_extension())
}

/// A file's bytes, refused when larger than `limit` (a key or signature file is small; a large
/// one is a mistake or hostile).
pub(crate) fn read_capped(path: &Path, limit: usize) -> anyhow::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    File::open(path)?
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() > limit {
        bail!("larger than {limit} bytes: not a key or signature file");
    }
    Ok(bytes)
}
