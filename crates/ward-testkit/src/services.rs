//! Outside programs a test starts and owns: a free loopback port, a child process killed (with
//! its process group) when dropped, `chromedriver`, and an SMTP server that captures every
//! message it receives as a file (Python's `aiosmtpd`, Debian's `python3-aiosmtpd`).
//!
//! Each launcher returns `None` (with the reason printed) when its program is missing, or
//! fails when the matching `WARD_REQUIRE_*` variable is `1`: see [`require_or_skip`].

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
fn start_listening(
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

/// A running `chromedriver` on a loopback port.
#[derive(Debug)]
pub struct Chromedriver {
    process: OwnedProcess,
    port: u16,
}

impl Chromedriver {
    /// Where Chromium and its driver are: `$WARD_CHROMIUM` / `$WARD_CHROMEDRIVER`, else
    /// Debian's `/usr/bin/chromium` and `/usr/bin/chromedriver`, else `PATH`. `None` with the
    /// reason printed (or a failure under `WARD_REQUIRE_BROWSER=1`) when either is missing.
    pub fn programs() -> Option<(PathBuf, PathBuf)> {
        let chromium = program_from_env("WARD_CHROMIUM", &["/usr/bin/chromium", "chromium"]);
        let driver = program_from_env(
            "WARD_CHROMEDRIVER",
            &["/usr/bin/chromedriver", "chromedriver"],
        );
        match (chromium, driver) {
            (Some(c), Some(d)) => Some((c, d)),
            (c, d) => {
                let missing: Vec<&str> = [(c.is_none(), "chromium"), (d.is_none(), "chromedriver")]
                    .into_iter()
                    .filter_map(|(m, name)| m.then_some(name))
                    .collect();
                require_or_skip(
                    "WARD_REQUIRE_BROWSER",
                    false,
                    &format!(
                        "{} not installed (Debian: apt-get install chromium chromium-driver)",
                        missing.join(" and ")
                    ),
                );
                None
            }
        }
    }

    /// Starts `driver` on a free port and waits until it answers. Its log goes to `log` when
    /// given (read it when a browser test fails), else nowhere.
    pub fn start(driver: &Path, log: Option<&Path>) -> io::Result<Self> {
        let (process, port) = start_listening("chromedriver", Duration::from_secs(20), |port| {
            let mut command = Command::new(driver);
            command.arg(format!("--port={port}"));
            if let Some(log) = log {
                command.arg(format!("--log-path={}", log.display()));
            }
            command.stdout(Stdio::null()).stderr(Stdio::null());
            command
        })?;
        Ok(Chromedriver { process, port })
    }

    /// The WebDriver URL (`http://127.0.0.1:<port>`).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The driver's process id.
    pub fn pid(&self) -> u32 {
        self.process.id()
    }
}

fn program_from_env(variable: &str, defaults: &[&str]) -> Option<PathBuf> {
    match std::env::var_os(variable) {
        Some(path) => find_program(&[&*path.to_string_lossy()]),
        None => find_program(defaults),
    }
}

/// An SMTP server on a loopback port that writes every message it accepts, as received plus
/// `X-MailFrom` and `X-RcptTo` headers (the envelope), to a Maildir: Python's `aiosmtpd`
/// with its `Mailbox` handler.
#[derive(Debug)]
pub struct SmtpCapture {
    process: OwnedProcess,
    port: u16,
    maildir: PathBuf,
}

/// A message the capture server received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapturedMail {
    /// The envelope sender.
    pub mail_from: String,
    /// The envelope recipients.
    pub rcpt_to: Vec<String>,
    /// The message as received (headers and body), with the capture's `X-` headers.
    pub raw: String,
}

impl SmtpCapture {
    /// A Python 3 that can import `aiosmtpd`: `$WARD_TEST_PYTHON`, else `python3` in `PATH`,
    /// else Debian's `/usr/bin/python3` (the one `python3-aiosmtpd` installs for, when `PATH`
    /// leads to another). `None` with the reason printed (or a failure under
    /// `WARD_REQUIRE_BROWSER=1`) when there is none.
    pub fn python() -> Option<PathBuf> {
        let found = Self::find_python();
        require_or_skip(
            "WARD_REQUIRE_BROWSER",
            found.is_some(),
            "no python3 with aiosmtpd (Debian: apt-get install python3-aiosmtpd; or set WARD_TEST_PYTHON)",
        );
        found
    }

    /// [`Self::python`] without the skip message, for suites that use a capture server only
    /// when there is one.
    pub fn find_python() -> Option<PathBuf> {
        let candidates: Vec<String> = match std::env::var("WARD_TEST_PYTHON") {
            Ok(python) => vec![python],
            Err(_) => vec!["python3".into(), "/usr/bin/python3".into()],
        };
        candidates.iter().find_map(|candidate| {
            let path = find_program(&[candidate])?;
            let imports = Command::new(&path)
                .args(["-c", "import aiosmtpd"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            imports.then_some(path)
        })
    }

    /// Starts the server with `python`, capturing into `<dir>/maildir` (its own messages go
    /// to `<dir>/aiosmtpd.log`). `dir` is created when missing.
    pub fn start(python: &Path, dir: &Path) -> io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let maildir = dir.join("maildir");
        let log = dir.join("aiosmtpd.log");
        let (process, port) = start_listening("aiosmtpd", Duration::from_secs(20), |port| {
            let mut command = Command::new(python);
            command
                .args(["-m", "aiosmtpd", "-n", "-l"])
                .arg(format!("127.0.0.1:{port}"))
                .args(["-c", "aiosmtpd.handlers.Mailbox"])
                .arg(&maildir)
                .stdout(Stdio::null());
            match std::fs::File::create(&log) {
                Ok(file) => command.stderr(file),
                Err(_) => command.stderr(Stdio::null()),
            };
            command
        })
        .map_err(|e| {
            let said = std::fs::read_to_string(&log).unwrap_or_default();
            io::Error::new(e.kind(), format!("{e}\n{said}"))
        })?;
        Ok(SmtpCapture {
            process,
            port,
            maildir,
        })
    }

    /// The port it listens on (host `127.0.0.1`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.process.id()
    }

    /// Every message received so far, oldest first. (Each is written to `tmp/` and renamed
    /// into `new/`, so a message listed here is complete.)
    pub fn messages(&self) -> io::Result<Vec<CapturedMail>> {
        let new = self.maildir.join("new");
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = match std::fs::read_dir(&new) {
            Ok(entries) => entries
                .map(|e| {
                    let e = e?;
                    Ok((e.metadata()?.modified()?, e.path()))
                })
                .collect::<io::Result<_>>()?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e),
        };
        files.sort();
        files
            .into_iter()
            .map(|(_, path)| {
                let raw = String::from_utf8_lossy(&std::fs::read(&path)?).into_owned();
                Ok(parse_captured(raw))
            })
            .collect()
    }

    /// Polls [`messages`](Self::messages) until one satisfies `want` or `timeout` passes.
    pub fn wait_for(
        &self,
        timeout: Duration,
        want: impl Fn(&CapturedMail) -> bool,
    ) -> io::Result<Option<CapturedMail>> {
        let start = Instant::now();
        loop {
            if let Some(found) = self.messages()?.into_iter().find(|m| want(m)) {
                return Ok(Some(found));
            }
            if start.elapsed() > timeout {
                return Ok(None);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn parse_captured(raw: String) -> CapturedMail {
    let header = |name: &str| -> Option<String> {
        raw.lines().take_while(|l| !l.is_empty()).find_map(|l| {
            let (key, value) = l.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    };
    let mail_from = header("X-MailFrom").unwrap_or_default();
    let rcpt_to = header("X-RcptTo")
        .map(|v| v.split(',').map(|r| r.trim().to_owned()).collect())
        .unwrap_or_default();
    CapturedMail {
        mail_from,
        rcpt_to,
        raw,
    }
}

/// The PostgreSQL the suites use: `$WARD_TEST_POSTGRES_URL`, by default
/// `postgres://postgres@127.0.0.1:5432/test`, when something answers at its host and port.
/// `None` with the reason printed (or a failure under `WARD_REQUIRE_POSTGRES=1`) otherwise.
pub fn postgres_url() -> Option<String> {
    let url = std::env::var("WARD_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let answers = postgres_host_port(&url).is_some_and(|(host, port)| {
        use std::net::ToSocketAddrs;
        (host.as_str(), port)
            .to_socket_addrs()
            .is_ok_and(|mut addrs| {
                addrs.any(|a| TcpStream::connect_timeout(&a, Duration::from_secs(2)).is_ok())
            })
    });
    require_or_skip(
        "WARD_REQUIRE_POSTGRES",
        answers,
        &format!(
            "no PostgreSQL answers at {} (set WARD_TEST_POSTGRES_URL)",
            redact_password(&url)
        ),
    )
    .then_some(url)
}

/// `host` and `port` of a `postgres://[user[:password]@]host[:port][/db][?...]` URL.
fn postgres_host_port(url: &str) -> Option<(String, u16)> {
    let rest = url
        .strip_prefix("postgres://")
        .or_else(|| url.strip_prefix("postgresql://"))?;
    let authority = rest.split(['/', '?']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    match host_port.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || host.starts_with('[') => {
            Some((host.trim_matches(['[', ']']).to_owned(), port.parse().ok()?))
        }
        _ => Some((host_port.trim_matches(['[', ']']).to_owned(), 5432)),
    }
}

fn redact_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if url[scheme + 3..at].contains(':') => {
            let user_end = scheme + 3 + url[scheme + 3..at].find(':').unwrap_or(0);
            format!("{}:***{}", &url[..user_end], &url[at..])
        }
        _ => url.to_owned(),
    }
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
    fn captured_headers_are_the_envelope() {
        let mail = parse_captured(
            "Subject: hi\nX-Peer: ('127.0.0.1', 1)\nX-MailFrom: a@x.org\nX-RcptTo: b@y.org, c@z.org\n\nX-RcptTo: body@not.header\n"
                .to_owned(),
        );
        assert_eq!(mail.mail_from, "a@x.org");
        assert_eq!(mail.rcpt_to, ["b@y.org", "c@z.org"]);
    }

    #[test]
    fn postgres_urls_name_host_and_port() {
        let hp = |u: &str| postgres_host_port(u);
        assert_eq!(
            hp("postgres://postgres@127.0.0.1:5432/test"),
            Some(("127.0.0.1".into(), 5432))
        );
        assert_eq!(
            hp("postgresql://u:p@db.example:6543"),
            Some(("db.example".into(), 6543))
        );
        assert_eq!(
            hp("postgres://localhost/x"),
            Some(("localhost".into(), 5432))
        );
        assert_eq!(hp("mysql://localhost/x"), None);
        assert_eq!(
            redact_password("postgres://u:secret@h:1/d"),
            "postgres://u:***@h:1/d"
        );
    }

    /// Speaks SMTP to a real capture server, when one can be started, and reads the message
    /// back with its envelope.
    #[test]
    fn the_capture_server_keeps_what_it_receives() {
        use std::io::{BufRead, BufReader, Write};
        let Some(python) = SmtpCapture::python() else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let smtp = SmtpCapture::start(&python, dir.path()).unwrap();
        let stream = TcpStream::connect(("127.0.0.1", smtp.port())).unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut writer = stream;
        let mut expect = |code: &str| {
            // Multi-line replies continue with `NNN-`; the last line is `NNN `.
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                assert!(line.starts_with(code), "expected {code}, got {line:?}");
                if line.as_bytes().get(3) == Some(&b' ') {
                    break;
                }
            }
        };
        expect("220");
        for (command, code) in [
            ("EHLO test\r\n", "250"),
            ("MAIL FROM:<ward@example.org>\r\n", "250"),
            ("RCPT TO:<reporter@example.net>\r\n", "250"),
            ("DATA\r\n", "354"),
            ("Subject: test\r\n\r\nhello\r\n.\r\n", "250"),
            ("QUIT\r\n", "221"),
        ] {
            writer.write_all(command.as_bytes()).unwrap();
            expect(code);
        }
        let mail = smtp
            .wait_for(Duration::from_secs(10), |m| m.raw.contains("hello"))
            .unwrap()
            .expect("the message was captured");
        assert_eq!(mail.mail_from, "ward@example.org");
        assert_eq!(mail.rcpt_to, ["reporter@example.net"]);
    }

    #[test]
    fn a_free_port_can_be_bound() {
        let port = free_port();
        assert!(TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok());
    }
}
