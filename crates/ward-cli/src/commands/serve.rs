//! `ward serve`: settings from flags, `WARD_*` and ward.toml, then the server until Ctrl-C or
//! SIGTERM.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::cli::{InstanceArgs, ServeArgs};
use crate::config::ServeFlags;

pub(crate) fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let flags = ServeFlags {
        listen: args.listen,
        public_url: args.public_url,
        tls_cert: args.tls_cert,
        tls_key: args.tls_key,
        ..ServeFlags::default()
    };
    let config = instance_config(args.instance, flags)?;
    init_logging();
    runtime()?.block_on(async move {
        let server = ward_server::Server::start(config.clone()).await?;
        let scheme = if config.tls.is_some() {
            "https"
        } else {
            "http"
        };
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "ward serve: listening on {scheme}://{}",
            server.local_addr()
        )?;
        match &config.database_url {
            Some(_) => writeln!(
                out,
                "  store: PostgreSQL; keys in {}",
                config.data_dir.join("keys").display()
            )?,
            None => writeln!(out, "  data: {}", config.data_dir.display())?,
        }
        if let Some(link) = server.setup_link() {
            writeln!(out, "  first start: create the admin account at {link}")?;
            writeln!(out, "  (the link works once, for 24 hours)")?;
        }
        out.flush()?;
        drop(out);
        server.run(shutdown_signal()).await
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The `ward_server::Config` of an instance, for `serve`, `audit` and `admin`.
pub(crate) fn instance_config(
    instance: InstanceArgs,
    mut flags: ServeFlags,
) -> anyhow::Result<ward_server::Config> {
    let loaded = crate::config::load(instance.config.as_deref())?;
    flags.data_dir = instance.data_dir;
    flags.database_url = instance.database_url;
    loaded.serve_config(flags)
}

/// Refuses to go on when the data directory holds no instance (commands other than `serve`
/// must not create one by accident).
pub(crate) fn require_instance(config: &ward_server::Config) -> anyhow::Result<()> {
    let keys = config.data_dir.join("keys");
    if !keys.is_dir() {
        anyhow::bail!(
            "no ward instance at {}: there is no keys directory (start one with `ward serve \
             --data-dir {}`, or give its directory with --data-dir)",
            config.data_dir.display(),
            config.data_dir.display()
        );
    }
    Ok(())
}

/// A multi-threaded runtime for the server and the commands that open its store.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// Logs to stderr, filtered by `WARD_LOG` (default `info`). The server never logs report
/// content, whatever the level.
fn init_logging() {
    let mut filter = tracing_subscriber::EnvFilter::try_from_env("WARD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Below INFO, the PostgreSQL client logs query parameters (account emails at login) and
    // rpgp logs packet details: never, whatever WARD_LOG asks.
    for quiet in ["tokio_postgres=info", "postgres=info", "pgp=info"] {
        if let Ok(directive) = quiet.parse() {
            filter = filter.add_directive(directive);
        }
    }
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
