//! An SMTP server on loopback that keeps every message it receives: Python's `aiosmtpd`.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{OwnedProcess, find_program, require_or_skip, start_listening};

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

#[cfg(test)]
mod tests {
    use std::net::TcpStream;

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
}
