//! Who is calling, and may they: every `/v1` route but health and the API description
//! takes `Authorization: Bearer rf_<id>_<secret>` and a role that allows it.
//!
//! The key's row is read on every request, so a revoked key stops working at once. Its
//! secret is checked with argon2id, which is slow on purpose (it is what makes a stolen
//! hash expensive to attack): a key that passed once is remembered as a BLAKE3 digest of
//! its secret, so a busy ingest client pays argon2 once per server, not per request.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::Response;
use redflag_store::Role;

use crate::AppState;
use crate::error::ApiError;
use crate::keys::PresentedKey;

/// What a route does, and so which roles may call it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// Sends records in (`POST /v1/records`).
    Ingest,
    /// Reads people.
    Read,
    /// Changes what is known of people (re-assessing).
    Change,
}

impl Access {
    /// The roles allowed, most powerful first.
    fn roles(self) -> &'static [Role] {
        match self {
            Access::Ingest => &[Role::Admin, Role::Analyst, Role::Ingest],
            Access::Read => &[Role::Admin, Role::Analyst, Role::Viewer],
            Access::Change => &[Role::Admin, Role::Analyst],
        }
    }
}

/// The caller of a request that passed [`require`], for handlers (as an extension).
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    /// Who, for the audit log: `api:<key id>`.
    pub actor: String,
}

/// The actor named when `--insecure-loopback` lets a request in without a key.
const ANONYMOUS: &str = "api:insecure-loopback";

/// Keys whose secret passed argon2: key id → digest of that secret.
#[derive(Debug, Default)]
pub(crate) struct Verified(Mutex<HashMap<String, blake3::Hash>>);

impl Verified {
    fn knows(&self, key: &PresentedKey) -> bool {
        let known = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // blake3::Hash compares in constant time.
        known.get(key.id()) == Some(&key.digest())
    }

    fn remember(&self, key: &PresentedKey) {
        let mut known = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        known.insert(key.id().to_owned(), key.digest());
    }
}

/// Middleware: lets the request through when its key's role allows `access`, and hands
/// the handler a [`Caller`].
pub(crate) async fn require(
    State((state, access)): State<(AppState, Access)>,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let route = format!(
        "{} {}",
        request.method(),
        request
            .extensions()
            .get::<MatchedPath>()
            .map_or(request.uri().path(), MatchedPath::as_str)
    );
    let header = request.headers().get(AUTHORIZATION);
    let caller = match header {
        None if state.anonymous_admin => Caller {
            actor: ANONYMOUS.into(),
        },
        None => {
            return Err(ApiError::unauthorized(format!(
                "{route} needs an API key: send Authorization: Bearer <key>; create one with `redflag keys create`"
            )));
        }
        Some(value) => {
            let key = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or_else(|| {
                    ApiError::unauthorized(
                        "the Authorization header is not `Bearer <key>`: send Authorization: Bearer <key>; create one with `redflag keys create`",
                    )
                })?
                .trim()
                .parse::<PresentedKey>()
                .map_err(|e| {
                    ApiError::unauthorized(format!(
                        "{e}: send Authorization: Bearer <key>; create one with `redflag keys create`"
                    ))
                })?;
            let role = authenticate(&state, &key).await?;
            if !access.roles().contains(&role) {
                let allowed: Vec<&str> = access.roles().iter().map(|r| r.as_str()).collect();
                return Err(ApiError::forbidden(format!(
                    "{route} needs the role {}; the key {} has the role {role}: ask an admin for a key with one of those roles",
                    allowed.join(" or "),
                    key.id(),
                )));
            }
            Caller {
                actor: format!("api:{}", key.id()),
            }
        }
    };
    request.extensions_mut().insert(caller);
    Ok(next.run(request).await)
}

/// The role of a presented key that exists, is active and whose secret is right.
async fn authenticate(state: &AppState, key: &PresentedKey) -> Result<Role, ApiError> {
    let id = key.id().to_owned();
    let stored = state
        .with_workspace(move |w| Ok(w.store.api_key(&id)?))
        .await?;
    let refused = || {
        ApiError::unauthorized(
            "the API key is not valid: send Authorization: Bearer <key> with a key from `redflag keys create`",
        )
    };
    let stored = stored.ok_or_else(refused)?;
    if !state.verified.knows(key) {
        // Off the async threads, a few at a time: argon2 takes tens of milliseconds of
        // CPU, and wrong keys are never remembered, so a flood of them must queue.
        let _slot = state
            .key_checks
            .acquire()
            .await
            .map_err(|e| ApiError::internal(format!("checking the key stopped: {e}")))?;
        let (presented, hash) = (key.clone(), stored.hash.clone());
        let matches = tokio::task::spawn_blocking(move || presented.matches(&hash))
            .await
            .map_err(|e| ApiError::internal(format!("checking the key stopped: {e}")))?;
        if !matches {
            return Err(refused());
        }
        state.verified.remember(key);
    }
    if let Some(at) = stored.key.revoked_at {
        return Err(ApiError::unauthorized(format!(
            "the API key {} was revoked at {at}: send Authorization: Bearer <key> with an active key; create one with `redflag keys create`",
            stored.key.id
        )));
    }
    Ok(stored.key.role)
}
