//! The client side of `bench/serve.sh`, against a running `ward serve`: logs a coordinator
//! in over HTTP (password, then TOTP, enrolling it on the first login as the server asks),
//! seeds N reports through the JSON API (`POST /api/v1/reports`, the real path: validation,
//! sealing, the audit chain, one transaction each), checks that the session opens the inbox,
//! and writes `WARD_COOKIE` (the coordinator's session) to the file given by `--ready`.
//!
//! ```text
//! bench_client --url http://127.0.0.1:PORT --email E --password P --ready FILE
//!              [--seed N] [--concurrency C]
//! ```
#![allow(
    clippy::print_stderr,
    reason = "a benchmark driver reports its progress on standard error"
)]

#[allow(dead_code, unreachable_pub, reason = "shared with the test suites")]
#[path = "../tests/it/harness/html.rs"]
mod html;
#[allow(dead_code, unreachable_pub, reason = "shared with the test suites")]
#[path = "../tests/it/harness/http.rs"]
mod http;
#[allow(dead_code, unreachable_pub, reason = "shared with the test suites")]
#[path = "../tests/it/harness/totp.rs"]
mod totp;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, bail};
use serde_json::json;

struct Args {
    addr: SocketAddr,
    email: String,
    password: String,
    ready: PathBuf,
    seed: usize,
    concurrency: usize,
}

fn args() -> anyhow::Result<Args> {
    let (mut url, mut email, mut password, mut ready) = (None, None, None, None);
    let mut seed = 10_000;
    let mut concurrency = 16;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--url" => url = Some(value()?),
            "--email" => email = Some(value()?),
            "--password" => password = Some(value()?),
            "--ready" => ready = Some(PathBuf::from(value()?)),
            "--seed" => seed = value()?.parse().context("--seed takes a number")?,
            "--concurrency" => {
                concurrency = value()?.parse().context("--concurrency takes a number")?;
            }
            other => bail!("unknown argument {other}"),
        }
    }
    let url = url.context("--url is required")?;
    let addr = url
        .strip_prefix("http://")
        .context("--url is http://ADDR:PORT")?
        .trim_end_matches('/')
        .parse()
        .context("--url is http://ADDR:PORT")?;
    Ok(Args {
        addr,
        email: email.context("--email is required")?,
        password: password.context("--password is required")?,
        ready: ready.context("--ready is required")?,
        seed,
        concurrency: concurrency.max(1),
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = args()?;
    let mut desk = http::Client::socket(args.addr);
    login(&mut desk, &args.email, &args.password).await?;
    let cookie = desk
        .cookie("ward_session")
        .context("the login set no session cookie")?
        .to_owned();
    eprintln!("bench: {} logged in with password and TOTP", args.email);

    let start = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..args.concurrency {
        let mut client = http::Client::socket(args.addr);
        let (seed, concurrency) = (args.seed, args.concurrency);
        tasks.push(tokio::spawn(async move {
            let mut n = worker;
            while n < seed {
                let response = client
                    .post_json(
                        "/api/v1/reports",
                        &json!({
                            "title": format!("Seeded report {n}"),
                            "description": format!("Report {n} of the benchmark's seed: a path traversal in the static handler."),
                            "packages": [{"ecosystem": "npm", "name": "express", "versions": "<4.19.2"}],
                        }),
                    )
                    .await;
                if response.status.as_u16() != 201 {
                    bail!("seeding report {n}: {} {}", response.status, response.text());
                }
                n += concurrency;
            }
            anyhow::Ok(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    let seconds = start.elapsed().as_secs_f64();
    eprintln!(
        "bench: seeded {} reports through POST /api/v1/reports in {seconds:.1} s ({:.0}/s)",
        args.seed,
        args.seed as f64 / seconds.max(f64::EPSILON)
    );

    let inbox = desk.get("/inbox").await;
    let rows = html::inbox_cases(&inbox.text()).len();
    if inbox.status.as_u16() != 200 || rows == 0 {
        bail!(
            "GET /inbox as the coordinator: {} with {rows} rows",
            inbox.status
        );
    }
    std::fs::write(&args.ready, format!("WARD_COOKIE=ward_session={cookie}\n"))
        .with_context(|| format!("writing {}", args.ready.display()))?;
    Ok(())
}

/// Password, then TOTP: the enrollment form on a first login (the secret read from the page,
/// as a person reads it into an app), the code form afterwards.
async fn login(client: &mut http::Client, email: &str, password: &str) -> anyhow::Result<()> {
    let response = client
        .submit(
            "/login",
            "/login",
            &[("email", email), ("password", password)],
        )
        .await;
    match response.location().unwrap_or("") {
        "/account/totp" => {
            let page = client.get("/account/totp").await.text();
            let base32 = html::text_of_id(&page, "totp-secret")
                .context("the enrollment page shows no secret")?;
            let pending = html::input_value(&page, "secret")
                .context("the enrollment form has no secret field")?;
            let (code, _) = totp::Authenticator::new(&base32).fresh_code(None).await;
            let response = client
                .submit(
                    "/account/totp",
                    "/account/totp",
                    &[("secret", &pending), ("code", &code)],
                )
                .await;
            if response.status.as_u16() != 303 {
                bail!("POST /account/totp: {}", response.status);
            }
            Ok(())
        }
        other => bail!(
            "POST /login: {} to {other:?}; the bench needs an account not enrolled in TOTP yet",
            response.status
        ),
    }
}
