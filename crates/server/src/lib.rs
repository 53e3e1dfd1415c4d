//! `redflag serve`: the HTTP API over the one pipeline (issue 18, part 1).
//!
//! Platforms stream records in (`POST /v1/records`), analysts and their tools read
//! assessments out (`GET /v1/subjects…`). Every request that changes or assesses goes
//! through the same [`Pipeline`] as `redflag scan`, on the same [`Store`], so a record sent
//! here and a file scanned from the command line are the same record.
//!
//! The pipeline and its store are synchronous and hold the store's write lock while they
//! work, so one workspace (pipeline and store) is shared behind a mutex and every handler
//! runs it on tokio's blocking pool: the async side only moves bytes.
//!
//! Every route but health and the API description needs an API key whose role allows it
//! (`auth.rs`; keys are made by `keys.rs` and kept in the store).
//!
//! Not yet here (issue 18): users and sessions, cases, screening decisions over HTTP,
//! the audit route, webhooks.

#![forbid(unsafe_code)]

mod api;
mod auth;
mod error;
pub mod keys;
mod records;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use redflag_pipeline::Pipeline;
use redflag_store::Store;

pub use api::{ApiDoc, router};
pub use error::ApiError;

/// The largest request body accepted, by default: 64 MiB of NDJSON is about 100,000
/// records, a comfortable batch; bigger uploads should be split.
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024 * 1024;

/// argon2 checks of unknown secrets that may run at once (each takes tens of
/// milliseconds of one core).
const KEY_CHECKS: usize = 2;

/// The pipeline and the store it works on: one per server.
pub struct Workspace {
    pub pipeline: Pipeline,
    pub store: Box<dyn Store>,
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    workspace: Arc<Mutex<Workspace>>,
    body_limit: usize,
    verified: Arc<auth::Verified>,
    /// argon2 checks that may run at once: a flood of wrong keys queues here instead of
    /// taking every core.
    key_checks: Arc<tokio::sync::Semaphore>,
    /// Whether a request without a key is let in as an admin (`--insecure-loopback`).
    anonymous_admin: bool,
}

impl AppState {
    pub fn new(workspace: Workspace, body_limit: usize) -> Self {
        AppState {
            workspace: Arc::new(Mutex::new(workspace)),
            body_limit,
            verified: Arc::default(),
            key_checks: Arc::new(tokio::sync::Semaphore::new(KEY_CHECKS)),
            anonymous_admin: false,
        }
    }

    /// Lets requests without a key in, as an admin named `api:insecure-loopback`: for
    /// trying the API out on one's own machine, never for a server others can reach.
    /// A request that does send a key is still checked and held to its role.
    pub fn allow_anonymous_admin(mut self) -> Self {
        self.anonymous_admin = true;
        self
    }

    /// Runs `work` on the blocking pool with the workspace to itself.
    async fn with_workspace<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Workspace) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let workspace = Arc::clone(&self.workspace);
        tokio::task::spawn_blocking(move || {
            // A handler that panicked left the workspace as the store's transaction
            // left it: rolled back. Carry on with it.
            let mut guard = workspace
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            work(&mut guard)
        })
        .await
        .map_err(|e| ApiError::internal(format!("the request's worker stopped: {e}")))?
    }
}

/// Serves until `shutdown` resolves; requests in flight finish first, so nothing is
/// left half-written.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The peer's address goes into the audit log of every view of personal data.
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
