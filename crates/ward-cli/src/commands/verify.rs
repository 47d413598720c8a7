//! `ward verify`: exit 0 for a valid signature, 1 with the reason for an invalid one, 2 for
//! missing or malformed input.
//!
//! [`verify_file`] is the whole check of one file; what is checked after it (a transparency
//! log's inclusion, `--log`) calls it first.

use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use ward_sign::{Format, PublicKey, Verified, VerifyError, VerifyOptions};

use crate::cli::VerifyArgs;
use crate::commands::exit_usage;
use crate::commands::sign::{read_capped, signature_path};
use crate::log_client::{LogClient, LogFailure};

pub(crate) fn run(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let key_bytes = read_capped(&args.key, ward_sign::MAX_KEY_BYTES)
        .with_context(|| format!("reading the public key {}", args.key.display()))?;
    let key = PublicKey::parse(&key_bytes)
        .with_context(|| format!("reading the public key {}", args.key.display()))?;
    let signature = args
        .signature
        .clone()
        .unwrap_or_else(|| signature_path(&args.file, key.format()));
    let options = VerifyOptions {
        namespace: args.namespace.clone(),
    };
    match verify_file(&key, &args.file, &signature, &options) {
        Ok(verified) => {
            let mut out = io::stdout().lock();
            match verified.format {
                Format::Minisign => {
                    writeln!(out, "Signature and comment signature verified")?;
                    writeln!(
                        out,
                        "Trusted comment: {}",
                        verified.trusted_comment.unwrap_or_default()
                    )?;
                }
                Format::Ssh => writeln!(
                    out,
                    "Good SSH signature by {} (namespace {})",
                    verified.key_id,
                    args.namespace
                        .as_deref()
                        .unwrap_or(ward_sign::DEFAULT_SSH_NAMESPACE)
                )?,
                Format::OpenPgp => {
                    writeln!(out, "Good OpenPGP signature by {}", verified.key_id)?;
                }
            }
            drop(out);
            match &args.log {
                Some(url) => prove_logged(&args, url, &signature),
                None => Ok(ExitCode::SUCCESS),
            }
        }
        Err(FileError::Input(error)) => Err(error),
        Err(FileError::Verify(error)) => {
            writeln!(
                io::stderr().lock(),
                "error: {}: {error}",
                args.file.display()
            )?;
            Ok(if error.is_malformed_input() {
                exit_usage()
            } else {
                ExitCode::FAILURE
            })
        }
    }
}

/// `--log`: the signature's entry is in the server's log, proven against a checkpoint that
/// verifies and extends the last one seen.
fn prove_logged(args: &VerifyArgs, url: &str, signature: &Path) -> anyhow::Result<ExitCode> {
    let outcome = (|| {
        let signature_bytes = read_capped(signature, ward_sign::MAX_SIGNATURE_BYTES)
            .with_context(|| format!("reading the signature {}", signature.display()))?;
        let entry = ward_desk::ledger::signature_entry(
            &crate::commands::log::sha256_file(&args.file)?,
            &signature_bytes,
        )
        .context("the signature is too long to be in a log")?;
        let client = LogClient::new(url, args.log_key.as_deref(), args.log_state.as_deref())?;
        if client.pinned_now {
            writeln!(
                io::stderr().lock(),
                "note: first use of this log; pinned its key {}",
                client.key()
            )?;
        }
        let checked = client.checkpoint()?;
        let index = client.prove_inclusion(&ward_log::leaf_hash(&entry), &checked)?;
        client.save(&checked)?;
        Ok::<_, anyhow::Error>((index, checked))
    })();
    match outcome {
        Ok((index, checked)) => {
            writeln!(
                io::stdout().lock(),
                "Logged: entry {index} of {} (checkpoint size {})",
                checked.checkpoint.origin,
                checked.checkpoint.size
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => match err.downcast_ref::<LogFailure>() {
            Some(failure) => {
                writeln!(
                    io::stderr().lock(),
                    "error: {}: {failure}",
                    args.file.display()
                )?;
                Ok(ExitCode::FAILURE)
            }
            None => Err(err),
        },
    }
}

/// Why [`verify_file`] did not verify.
#[derive(Debug)]
pub(crate) enum FileError {
    /// The file or the signature could not be read (exit 2).
    Input(anyhow::Error),
    /// The signature was read and does not verify, or is malformed.
    Verify(VerifyError),
}

/// Verifies `signature_file` over `file` with `key`.
pub(crate) fn verify_file(
    key: &PublicKey,
    file: &Path,
    signature_file: &Path,
    options: &VerifyOptions,
) -> Result<Verified, FileError> {
    let signature = read_capped(signature_file, ward_sign::MAX_SIGNATURE_BYTES)
        .with_context(|| format!("reading the signature {}", signature_file.display()))
        .map_err(FileError::Input)?;
    let content = File::open(file)
        .with_context(|| format!("opening {}", file.display()))
        .map_err(FileError::Input)?;
    ward_sign::verify(key, BufReader::new(content), &signature, options).map_err(FileError::Verify)
}
