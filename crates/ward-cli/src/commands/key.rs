//! `ward key generate`, and the passphrase input `ward sign` shares: asked on the terminal
//! (without echo) or read from a file, never from an argument (it would show in `ps`).

use std::fs::{self, OpenOptions};
use std::io::{self, IsTerminal, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use ward_sign::{Format, Passphrase};

use crate::cli::{KeyCommand, KeyGenerateArgs, PassphraseArgs, SigningFormat};

/// The largest passphrase file read.
const MAX_PASSPHRASE_FILE: u64 = 64 << 10;

pub(crate) fn run(command: KeyCommand) -> anyhow::Result<ExitCode> {
    match command {
        KeyCommand::Generate(args) => generate(args),
    }
}

fn generate(args: KeyGenerateArgs) -> anyhow::Result<ExitCode> {
    let format = match args.format {
        SigningFormat::Minisign => Format::Minisign,
        SigningFormat::Ssh => Format::Ssh,
        SigningFormat::Openpgp => Format::OpenPgp,
    };
    let secret_path = args.output.unwrap_or_else(|| default_path(format).into());
    let public_path = with_suffix(&secret_path, "pub");
    if !args.force {
        for path in [&secret_path, &public_path] {
            if path.exists() {
                bail!(
                    "{} exists: ward never replaces a key unless --force is given",
                    path.display()
                );
            }
        }
    }
    let passphrase = if args.unencrypted {
        None
    } else {
        let passphrase = new_passphrase(&args.passphrase)?;
        if passphrase.is_empty() {
            bail!("an empty passphrase is refused; use --unencrypted for an unprotected key");
        }
        Some(passphrase)
    };
    let generated = ward_sign::generate(format, passphrase.as_ref(), &args.comment)
        .with_context(|| format!("generating a {format} key"))?;

    write_new(&secret_path, &generated.secret, 0o600, args.force)?;
    write_new(&public_path, generated.public.as_bytes(), 0o644, args.force)?;
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "Secret key: {} (keep it private)",
        secret_path.display()
    )?;
    writeln!(out, "Public key: {}", public_path.display())?;
    writeln!(out, "Key id: {}", generated.key_id)?;
    Ok(ExitCode::SUCCESS)
}

/// The secret key file's default name for `format`.
fn default_path(format: Format) -> &'static str {
    match format {
        Format::Minisign => "ward.key",
        Format::Ssh => "ward_ed25519",
        Format::OpenPgp => "ward.pgp",
    }
}

/// `path` with `.suffix` appended to its file name (`ward.key` → `ward.key.pub`).
pub(crate) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Writes a new file with `mode`, created exclusively (O_EXCL): an existing file, or one
/// another process creates meanwhile, is never written through. With `force`, an existing
/// file is removed first.
fn write_new(path: &Path, bytes: &[u8], mode: u32, force: bool) -> anyhow::Result<()> {
    if force {
        match fs::remove_file(path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("removing {}", path.display()));
            }
            _ => {}
        }
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing {}", path.display()))
}

/// A new key's passphrase: from the file, or asked twice on the terminal.
fn new_passphrase(args: &PassphraseArgs) -> anyhow::Result<Passphrase> {
    if let Some(path) = &args.passphrase_file {
        return read_passphrase_file(path);
    }
    if !io::stdin().is_terminal() {
        bail!(
            "no terminal to ask for a passphrase: give --passphrase-file (or $WARD_PASSPHRASE_FILE), or --unencrypted"
        );
    }
    let first = Passphrase::new(
        rpassword::prompt_password("Passphrase for the new key: ")
            .context("reading the passphrase")?,
    );
    let second = Passphrase::new(
        rpassword::prompt_password("The same passphrase again: ")
            .context("reading the passphrase")?,
    );
    if first.as_bytes() != second.as_bytes() {
        bail!("the two passphrases differ");
    }
    Ok(first)
}

/// An existing key's passphrase: from the file, or asked once on the terminal; `None` when
/// neither is possible (the library then says a passphrase is needed).
pub(crate) fn existing_passphrase(
    args: &PassphraseArgs,
    key: &Path,
) -> anyhow::Result<Option<Passphrase>> {
    if let Some(path) = &args.passphrase_file {
        return read_passphrase_file(path).map(Some);
    }
    if !io::stdin().is_terminal() {
        return Ok(None);
    }
    let typed = rpassword::prompt_password(format!("Passphrase for {}: ", key.display()))
        .context("reading the passphrase")?;
    Ok(Some(Passphrase::new(typed)))
}

/// The first line of a passphrase file, without its line end.
fn read_passphrase_file(path: &Path) -> anyhow::Result<Passphrase> {
    let context = || format!("reading the passphrase file {}", path.display());
    let length = fs::metadata(path).with_context(context)?.len();
    if length > MAX_PASSPHRASE_FILE {
        bail!(
            "the passphrase file {} is larger than {MAX_PASSPHRASE_FILE} bytes",
            path.display()
        );
    }
    let bytes = zeroize::Zeroizing::new(fs::read(path).with_context(context)?);
    let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    Ok(Passphrase::new(line))
}
