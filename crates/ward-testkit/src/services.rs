//! Outside programs a test starts and owns: a free loopback port, a child process killed (with
//! its process group) when dropped, and the launchers built on them: `chromedriver`
//! ([`chromedriver`]), an SMTP server that captures every message as a file ([`smtp`]), and
//! the PostgreSQL the suites use ([`postgres`]).
//!
//! Each returns `None` (with the reason printed) when its program is missing, or fails when
//! the matching `WARD_REQUIRE_*` variable is `1`: see [`require_or_skip`].

pub(crate) mod chromedriver;
pub(crate) mod postgres;
pub(crate) mod smtp;

use std::ffi::OsStr;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::prerequisites::skip_or_fail;

/// Whether a prerequisite is there. When it is not, prints `SKIPPED: <reason>`, or fails with
/// the reason when `variable` (`WARD_REQUIRE_BROWSER`, `WARD_REQUIRE_POSTGRES`, ...) is `1`.
pub fn require_or_skip(variable: &str, available: bool, reason: &str) -> bool {
    if !available {
        skip_or_fail(variable, reason);
    }
    available
}

/// A signing tool the interoperability suites of ward-sign run (`minisign`, `ssh-keygen`,
/// `gpg`), found in `PATH`; `None` (with the reason printed) when missing, a failure when
/// `WARD_REQUIRE_SIGNING_TOOLS=1`.
pub fn signing_tool(name: &str) -> Option<PathBuf> {
    let found = find_program(&[name]);
    require_or_skip(
        "WARD_REQUIRE_SIGNING_TOOLS",
        found.is_some(),
        &format!(
            "{name} is not installed (`.ci/run` installs it: apt-get install minisign openssh-client gnupg)"
        ),
    );
    found
}

/// Whether `variable` is `1`, i.e. a suite that needs something must not skip.
pub fn required(variable: &str) -> bool {
    std::env::var(variable).is_ok_and(|v| v == "1")
}

/// A loopback port nobody listens on right now (the OS picks it; another process could take
/// it before the caller binds it, which the launchers below answer by retrying).
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("the OS gives out a loopback port")
}

/// Waits until something accepts TCP connections on `127.0.0.1:port`, or `child` exits, or
/// `timeout` passes.
pub fn wait_for_port(child: &mut Child, port: u16, timeout: Duration) -> io::Result<()> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let start = Instant::now();
    loop {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        if let Some(status) = child.try_wait()? {
            return Err(io::Error::other(format!(
                "exited with {status} before listening on port {port}"
            )));
        }
        if start.elapsed() > timeout {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("not listening on port {port} after {timeout:?}"),
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The first of `candidates` that names an executable file (absolute paths as they are, bare
/// names looked up in `PATH`).
pub fn find_program(candidates: &[&str]) -> Option<PathBuf> {
    candidates.iter().find_map(|candidate| {
        let path = Path::new(candidate);
        if path.is_absolute() {
            return is_executable(path).then(|| path.to_path_buf());
        }
        let paths = std::env::var_os("PATH")?;
        std::env::split_paths(&paths)
            .map(|dir| dir.join(candidate))
            .find(|p| is_executable(p))
    })
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// A child process in its own process group; dropping it kills the whole group (so the
/// browsers a `chromedriver` started go with it) and reaps the child.
#[derive(Debug)]
pub struct OwnedProcess {
    child: Child,
    what: String,
}

impl OwnedProcess {
    /// Starts `command` in a new process group, its standard input closed.
    pub fn spawn(what: &str, command: &mut Command) -> io::Result<Self> {
        let child = command
            .stdin(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| io::Error::new(e.kind(), format!("starting {what}: {e}")))?;
        Ok(OwnedProcess {
            child,
            what: what.to_owned(),
        })
    }

    /// The process id (also the process group's id).
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// The child, to wait on or poll.
    pub fn child(&mut self) -> &mut Child {
        &mut self.child
    }

    /// What this process is, for messages.
    pub fn what(&self) -> &str {
        &self.what
    }
}

impl Drop for OwnedProcess {
    fn drop(&mut self) {
        // The group first (our child is its leader, so the id is ours to signal), then the
        // child itself in case the group signal could not be sent.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts a server that listens on a port it is told: `make(port)` builds the command; the
/// port is chosen free, and the start is retried on another port when the process exits
/// before listening (the port was taken in between).
pub(crate) fn start_listening(
    what: &str,
    timeout: Duration,
    mut make: impl FnMut(u16) -> Command,
) -> io::Result<(OwnedProcess, u16)> {
    let mut last = None;
    for _ in 0..3 {
        let port = free_port();
        let mut process = OwnedProcess::spawn(what, &mut make(port))?;
        match wait_for_port(process.child(), port, timeout) {
            Ok(()) => return Ok((process, port)),
            Err(e) => last = Some(io::Error::new(e.kind(), format!("{what}: {e}"))),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other(format!("{what} did not start"))))
}

/// Runs `program` with `args` and returns its standard output when it succeeds.
pub fn output_of(program: impl AsRef<OsStr>, args: &[&str]) -> Option<String> {
    let output = Command::new(program)
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_free_port_can_be_bound() {
        let port = free_port();
        assert!(TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok());
    }
}
