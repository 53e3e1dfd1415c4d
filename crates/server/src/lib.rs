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
//! Not yet here (issue 18): API keys and roles, users and sessions, cases, screening
//! decisions over HTTP, the audit route, webhooks. Until keys exist the server refuses
//! to listen anywhere but loopback.

#![forbid(unsafe_code)]

mod api;
mod error;
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
}

impl AppState {
    pub fn new(workspace: Workspace, body_limit: usize) -> Self {
        AppState {
            workspace: Arc::new(Mutex::new(workspace)),
            body_limit,
        }
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

/// Whether the server may listen on `addr` without API keys: only on loopback, where
/// nobody but this machine's users can reach it.
pub fn listen_allowed(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
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
