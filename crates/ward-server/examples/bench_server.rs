//! The server side of `bench/serve.sh`: `ward serve`'s server (the same `ward_server::Server`
//! the CLI runs) on a loopback port with a fresh data directory, rate limits lifted, a
//! coordinator logged in (password and TOTP, over HTTP), and N reports seeded through the
//! JSON API (`POST /api/v1/reports`, the real path: validation, sealing, the audit chain, one
//! transaction each). Once ready it writes `WARD_URL` and `WARD_COOKIE` (the coordinator's
//! session) to the file given by `--ready`, and serves until SIGINT or SIGTERM.
//!
//! ```text
//! bench_server --data-dir DIR --ready FILE [--seed N] [--concurrency C]
//! ```
//!
//! It logs at INFO to standard error, as `ward serve` does.
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
use ward_desk::access::Role;
use ward_server::{Config, RateLimits, Server};

struct Args {
    data_dir: PathBuf,
    ready: PathBuf,
    seed: usize,
    concurrency: usize,
}

fn args() -> anyhow::Result<Args> {
    let mut data_dir = None;
    let mut ready = None;
    let mut seed = 10_000;
    let mut concurrency = 16;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--data-dir" => data_dir = Some(PathBuf::from(value()?)),
            "--ready" => ready = Some(PathBuf::from(value()?)),
            "--seed" => seed = value()?.parse().context("--seed takes a number")?,
            "--concurrency" => {
                concurrency = value()?.parse().context("--concurrency takes a number")?;
            }
            other => bail!("unknown argument {other}"),
        }
    }
    Ok(Args {
        data_dir: data_dir.context("--data-dir is required")?,
        ready: ready.context("--ready is required")?,
        seed,
        concurrency: concurrency.max(1),
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = args()?;
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .with_writer(std::io::stderr)
        .init();
    let config = Config {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        data_dir: args.data_dir.clone(),
        // One client address sends everything: the per-IP limits would measure themselves.
        limits: RateLimits::unlimited(),
        ..Config::default()
    };
    let server = Server::start(config).await?;
    let addr = server.local_addr();
    let state = server.state().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.run(async move {
        let _ = stopped.await;
    }));

    // The coordinator the inbox is measured as.
    let password = "bench-coordinator-password".to_owned();
    let (id, secret) = {
        let (state, password) = (state.clone(), password.clone());
        tokio::task::spawn_blocking(move || {
            let id = ward_server::admin::create_user(
                &state,
                "coordinator@bench.test",
                "Coordinator",
                Role::Coordinator,
                &password,
            )?;
            let secret = ward_server::admin::enroll_totp(&state, id)?;
            anyhow::Ok((id, secret))
        })
        .await??
    };
    let mut desk = http::Client::socket(addr);
    login(&mut desk, &password, &secret).await?;
    let cookie = desk
        .cookie("ward_session")
        .context("the login set no session cookie")?
        .to_owned();
    eprintln!("bench: coordinator {id} logged in");

    // The seed, through the API.
    let start = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..args.concurrency {
        let mut client = http::Client::socket(addr);
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

    // The inbox answers the coordinator with rows.
    let inbox = desk.get("/inbox").await;
    if inbox.status.as_u16() != 200 || html::inbox_cases(&inbox.text()).is_empty() {
        bail!(
            "GET /inbox as the coordinator: {} with {} rows",
            inbox.status,
            html::inbox_cases(&inbox.text()).len()
        );
    }

    std::fs::write(
        &args.ready,
        format!("WARD_URL=http://{addr}\nWARD_COOKIE=ward_session={cookie}\n"),
    )
    .with_context(|| format!("writing {}", args.ready.display()))?;
    eprintln!("bench: ready at http://{addr}");

    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    let _ = stop.send(());
    serving.await??;
    Ok(())
}

async fn login(client: &mut http::Client, password: &str, secret: &str) -> anyhow::Result<()> {
    let response = client
        .submit(
            "/login",
            "/login",
            &[("email", "coordinator@bench.test"), ("password", password)],
        )
        .await;
    if !response.location().unwrap_or("").starts_with("/login/totp") {
        bail!("POST /login: {} {:?}", response.status, response.location());
    }
    let (code, _) = totp::Authenticator::new(secret).fresh_code(None).await;
    let response = client
        .submit("/login/totp", "/login/totp", &[("code", &code)])
        .await;
    if response.status.as_u16() != 303 {
        bail!("POST /login/totp: {}", response.status);
    }
    Ok(())
}
