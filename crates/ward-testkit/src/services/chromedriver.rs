//! `chromedriver` on a loopback port, for the browser suites.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::{OwnedProcess, find_program, require_or_skip, start_listening};

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
