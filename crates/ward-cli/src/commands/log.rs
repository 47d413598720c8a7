//! `ward log verify` and `ward log add`: a client of a server's transparency log.

use std::io::{IsTerminal as _, Read as _, Write as _};
use std::process::ExitCode;

use anyhow::Context as _;
use sha2::{Digest as _, Sha256};

use crate::cli::{LogAddArgs, LogCommand, LogVerifyArgs};
use crate::log_client::{LogClient, LogFailure};

pub(crate) fn run(command: LogCommand) -> anyhow::Result<ExitCode> {
    let outcome = match command {
        LogCommand::Verify(args) => verify(args),
        LogCommand::Add(args) => add(args),
    };
    match outcome {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(err) => match err.downcast_ref::<LogFailure>() {
            Some(failure) => {
                writeln!(
                    std::io::stderr().lock(),
                    "log verification FAILED: {failure}"
                )?;
                Ok(ExitCode::from(1))
            }
            None => Err(err),
        },
    }
}

fn verify(args: LogVerifyArgs) -> anyhow::Result<()> {
    let client = LogClient::new(
        &args.client.url,
        args.client.key.as_deref(),
        args.client.state_dir.as_deref(),
    )?;
    let mut err = std::io::stderr().lock();
    if client.pinned_now {
        writeln!(
            err,
            "note: first use of this log; pinned its key {}\n      compare it with the key the \
             instance's owners publish; later runs check against it",
            client.key()
        )?;
    }
    let checked = client.checkpoint()?;
    if !args.quick {
        let show = std::io::stderr().is_terminal();
        let mut last = 0;
        client.audit(&checked, &mut |done, total| {
            if show && (done - last >= 65_536 || done == total) {
                last = done;
                let _ = write!(std::io::stderr(), "\raudited {done}/{total} entries");
            }
        })?;
        if show && checked.checkpoint.size > 0 {
            writeln!(err)?;
        }
    }
    client.save(&checked)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "log {} verified: size {}, root {}",
        checked.checkpoint.origin, checked.checkpoint.size, checked.checkpoint.root
    )?;
    match &checked.previous {
        Some(old) => writeln!(
            out,
            "consistent with the size {} seen before{}",
            old.size,
            if old.size == checked.checkpoint.size {
                " (unchanged)"
            } else {
                ""
            }
        )?,
        None => writeln!(out, "first checkpoint seen from this server; saved")?,
    }
    if !args.quick {
        writeln!(out, "every entry and tile matches the signed root")?;
    }
    Ok(())
}

fn add(args: LogAddArgs) -> anyhow::Result<()> {
    let token = std::env::var(&args.token_env).with_context(|| {
        format!(
            "no API token: set {} to a coordinator's or admin's token with the write scope",
            args.token_env
        )
    })?;
    let signature = std::fs::read(&args.signature)
        .with_context(|| format!("reading {}", args.signature.display()))?;
    let signature = String::from_utf8(signature).with_context(|| {
        format!(
            "{} is not text: binary OpenPGP signatures must be ASCII-armored (gpg --armor)",
            args.signature.display()
        )
    })?;
    let sha256 = sha256_file(&args.file)?;
    let client = LogClient::new(
        &args.client.url,
        args.client.key.as_deref(),
        args.client.state_dir.as_deref(),
    )?;
    let logged = client.add_signature(&token, &sha256, &signature)?;
    // Check what the server answered against its key, and the entry's inclusion, before
    // saying it is logged.
    let checked = client.checkpoint()?;
    let leaf = ward_log::leaf_hash(
        &ward_desk::ledger::signature_entry(&sha256, signature.as_bytes())
            .context("the signature is too long for the log")?,
    );
    let index = client.prove_inclusion(&leaf, &checked)?;
    client.save(&checked)?;
    writeln!(
        std::io::stdout().lock(),
        "logged {} as entry {index} of {} (tree size {}, leaf {})",
        args.signature.display(),
        checked.checkpoint.origin,
        checked.checkpoint.size,
        logged.leaf_hash
    )?;
    Ok(())
}

/// SHA-256 of a file, read in chunks.
pub(crate) fn sha256_file(path: &std::path::Path) -> anyhow::Result<[u8; 32]> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = file
            .read(&mut buffer)
            .with_context(|| format!("reading {}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher.finalize().into())
}
