//! `redflag serve`: the HTTP API (see the server crate), on the same database `scan`
//! writes. It starts only when the database holds an active API key (`redflag keys
//! create`), or on loopback with `--insecure-loopback`, for trying it out.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};
use clap::Args;
use redflag_pipeline::{DataDir, Pipeline, ReferenceData};
use redflag_server::{AppState, DEFAULT_BODY_LIMIT, Workspace};

use crate::ui;

#[derive(Args)]
pub struct ServeArgs {
    /// Where to listen: an address and port (another machine's callers need an API key
    /// like everyone else)
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// For a local trial only: start without API keys and let requests without a key in
    /// as an admin. Refused on any address but loopback (127.0.0.1 or ::1)
    #[arg(long)]
    pub insecure_loopback: bool,
    #[command(flatten)]
    pub database: super::DbArg,
    /// A policy file, when not the default
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// The largest request body accepted, in MiB (bigger batches are answered 413)
    #[arg(long, default_value_t = DEFAULT_BODY_LIMIT / (1024 * 1024), value_name = "MIB")]
    pub body_limit: usize,
}

pub fn run(global: &crate::Global, args: ServeArgs) -> Result<ui::Outcome> {
    if args.insecure_loopback && !args.listen.ip().is_loopback() {
        bail!(
            "--insecure-loopback is for this machine only (127.0.0.1 or ::1), not {}: anyone who can reach it would read personal data without a key; drop the flag and create keys with `redflag keys create`",
            args.listen
        );
    }
    let policy = redflag_pipeline::load_policy(args.policy.as_deref())?;
    let reference = ReferenceData::load(&DataDir::resolve(global.data_dir.as_deref()))?;
    let db = args.database.db;
    let store = redflag_store::open(&db).with_context(|| format!("cannot open {db}"))?;
    if !args.insecure_loopback && !store.api_keys()?.iter().any(|k| k.is_active()) {
        bail!(
            "{db} holds no active API key, so nobody could call the server: create one with `redflag keys create --name NAME --role admin --db {db}` (it is printed once), or for a trial on this machine only pass --insecure-loopback"
        );
    }
    let mut state = AppState::new(
        Workspace {
            pipeline: Pipeline::new(policy, reference),
            store,
        },
        args.body_limit.saturating_mul(1024 * 1024),
    );
    if args.insecure_loopback {
        ui::note("--insecure-loopback: requests without an API key are let in as an admin");
        state = state.allow_anonymous_admin();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        let local = listener.local_addr().unwrap_or(args.listen);
        ui::note(&format!(
            "redflag serve: http://{local}/v1 (API description at /v1/openapi.json), database {db}; Ctrl-C stops it"
        ));
        redflag_server::serve(listener, state, shutdown_signal())
            .await
            .context("the server stopped")
    })?;
    ui::note("stopped: requests in flight were finished");
    Ok(ui::Outcome::Done)
}

/// Ctrl-C or SIGTERM (what service managers send).
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
