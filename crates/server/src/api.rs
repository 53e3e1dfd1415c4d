//! The routes of `/v1` and their OpenAPI description.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, DefaultBodyLimit, Extension, Path, Query, State};
use axum::middleware::from_fn_with_state;
use axum::routing::{MethodRouter, get, post};
use axum::{Json, Router};
use redflag_model::{Assessment, Band, SubjectId};
use redflag_pipeline::{ScanOptions, Source};
use redflag_store::{AssessmentSummary, AuditEntry, Store};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::AppState;
use crate::auth::{self, Access, Caller};
use crate::error::{ApiError, ErrorBody};
use crate::records::{self, Rejected};

/// Subjects listed per page, by default and at most.
const PAGE: usize = 50;
const MAX_PAGE: usize = 500;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "redflag",
        description = "Screening for North Korean IT workers (Canada's July 2025 advisory): send records, read assessments. Records follow the spec in shared/spec/records.md; assessments follow its Output section."
    ),
    paths(
        health,
        post_records,
        list_subjects,
        get_subject,
        subject_history,
        assess_subject
    ),
    components(schemas(IngestResult, Rejected, SubjectRow, SubjectPage, ErrorBody)),
    modifiers(&BearerKeys),
    security(("api_key" = []))
)]
pub struct ApiDoc;

/// The API keys scheme, in the description: `Authorization: Bearer rf_<id>_<secret>`.
struct BearerKeys;

impl utoipa::Modify for BearerKeys {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("rf_<id>_<secret>")
                    .description(Some(
                        "A key from `redflag keys create --role admin|analyst|ingest|viewer`. \
                         ingest may only send records; viewer only reads; analyst and admin \
                         read and change. 401 without a valid key, 403 for the wrong role.",
                    ))
                    .build(),
            ),
        );
    }
}

pub fn router(state: AppState) -> Router {
    let limit = state.body_limit;
    // Each route names what it does; `auth::require` lets in the roles that may.
    let guard = |access: Access, route: MethodRouter<AppState>| {
        route.route_layer(from_fn_with_state((state.clone(), access), auth::require))
    };
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/openapi.json", get(openapi))
        .route("/v1/records", guard(Access::Ingest, post(post_records)))
        .route("/v1/subjects", guard(Access::Read, get(list_subjects)))
        .route("/v1/subjects/{id}", guard(Access::Read, get(get_subject)))
        .route(
            "/v1/subjects/{id}/history",
            guard(Access::Read, get(subject_history)),
        )
        .route(
            "/v1/subjects/{id}/assess",
            guard(Access::Change, post(assess_subject)),
        )
        // The limit is checked here and answered as JSON by `post_records`.
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

#[derive(Serialize, ToSchema)]
struct Health {
    status: &'static str,
}

/// Whether the server is up (no key needed).
#[utoipa::path(get, path = "/v1/health", security(()), responses((status = 200, body = inline(Object))))]
async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// What a batch of records did.
#[derive(Debug, Serialize, ToSchema)]
pub struct IngestResult {
    /// Records stored for the first time.
    pub accepted: u64,
    /// Records the store already held (sending a batch again is safe).
    pub duplicate: u64,
    /// Records not stored; see `errors`.
    pub rejected: u64,
    /// Each rejected record's line (NDJSON) or position (JSON array) and what is wrong.
    pub errors: Vec<Rejected>,
    /// People assessed after the batch (everyone the store holds).
    pub assessed: usize,
}

/// Stores records and assesses everyone again. The body is NDJSON (one record a line) or
/// a JSON array of records; a bad record is reported and the good ones are kept.
/// Roles: ingest, analyst, admin.
#[utoipa::path(
    post,
    path = "/v1/records",
    request_body(content = String, description = "NDJSON or a JSON array of spec records", content_type = "application/x-ndjson"),
    responses(
        (status = 200, body = IngestResult, description = "stored (some records may have been rejected: see errors)"),
        (status = 400, body = ErrorBody, description = "the body is neither NDJSON nor a JSON array"),
        (status = 413, body = ErrorBody, description = "the body is over the size limit"),
        (status = 422, body = ErrorBody, description = "every record was rejected"),
    )
)]
async fn post_records(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<IngestResult>, ApiError> {
    let body = body.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::too_large(state.body_limit)
        } else {
            ApiError::bad_request(format!("the body could not be read: {e}"))
        }
    })?;
    let parsed = records::parse(&body)?;
    if parsed.records.is_empty() {
        let first = parsed
            .rejected
            .first()
            .map_or("the body holds no records".to_owned(), |r| {
                format!("line {}: {}", r.line, r.error)
            });
        return Err(ApiError::unprocessable(format!(
            "no record could be read ({} rejected); the first: {first}",
            parsed.rejected.len()
        )));
    }
    let sent = parsed.records.len() as u64;
    let rejected = parsed.rejected;
    let records = parsed.records;
    let outcome = state
        .with_workspace(move |w| {
            let options = scan_options("POST /v1/records", caller);
            let source = Source::Records(Box::new(records.into_iter().map(Ok)));
            Ok(w.pipeline
                .scan(w.store.as_mut(), source, &options, &mut ())?)
        })
        .await?;
    Ok(Json(IngestResult {
        accepted: outcome.report.records_new,
        duplicate: sent.saturating_sub(outcome.report.records_new),
        rejected: rejected.len() as u64,
        errors: rejected,
        assessed: outcome.assessments.len(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// Only people rated at or above this band (`medium`, `high`, `critical`).
    band: Option<String>,
    /// Only people whose id or name contains this text (any case).
    q: Option<String>,
    /// `score` (highest first, the default), `name` or `id`.
    sort: Option<String>,
    /// Where the previous page ended (its `next_cursor`).
    cursor: Option<usize>,
    /// People per page (50 by default, at most 500).
    limit: Option<usize>,
}

/// One person in a list.
#[derive(Debug, Serialize, ToSchema)]
struct SubjectRow {
    subject: String,
    name: Option<String>,
    score: u8,
    band: String,
    /// When the latest assessment was made (RFC 3339).
    assessed_at: String,
}

/// A page of people.
#[derive(Debug, Serialize, ToSchema)]
struct SubjectPage {
    subjects: Vec<SubjectRow>,
    /// Pass as `cursor` for the next page; absent on the last.
    next_cursor: Option<usize>,
    /// How many match in all.
    total: usize,
}

/// The people assessed, riskiest first, a page at a time. Roles: viewer, analyst, admin.
#[utoipa::path(
    get,
    path = "/v1/subjects",
    params(ListQuery),
    responses((status = 200, body = SubjectPage), (status = 400, body = ErrorBody))
)]
async fn list_subjects(
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Result<Json<SubjectPage>, ApiError> {
    let band = query
        .band
        .as_deref()
        .map(str::parse::<Band>)
        .transpose()
        .map_err(ApiError::bad_request)?;
    let sort = query.sort.clone().unwrap_or_else(|| "score".into());
    if !matches!(sort.as_str(), "score" | "name" | "id") {
        return Err(ApiError::bad_request(format!(
            "sort {sort:?} is not one of score, name, id"
        )));
    }
    let needle = query.q.as_deref().map(str::to_lowercase);
    let mut all = state
        .with_workspace(|w| Ok(w.store.latest_assessments()?))
        .await?;
    all.retain(|a| {
        band.is_none_or(|b| a.band >= b)
            && needle.as_deref().is_none_or(|n| {
                a.subject.as_str().to_lowercase().contains(n)
                    || a.name
                        .as_deref()
                        .is_some_and(|name| name.to_lowercase().contains(n))
            })
    });
    match sort.as_str() {
        "name" => all.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.subject.cmp(&b.subject))),
        "id" => all.sort_by(|a, b| a.subject.cmp(&b.subject)),
        _ => all.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then_with(|| a.subject.cmp(&b.subject))
        }),
    }
    let total = all.len();
    let start = query.cursor.unwrap_or(0).min(total);
    let size = query.limit.unwrap_or(PAGE).clamp(1, MAX_PAGE);
    let end = (start + size).min(total);
    let subjects = all[start..end]
        .iter()
        .map(|a| SubjectRow {
            subject: a.subject.to_string(),
            name: a.name.clone(),
            score: a.score,
            band: a.band.as_str().to_owned(),
            assessed_at: a.assessed_at.to_string(),
        })
        .collect();
    Ok(Json(SubjectPage {
        subjects,
        next_cursor: (end < total).then_some(end),
        total,
    }))
}

/// Notes a view of someone's personal data in the audit log: who, when, what, from where.
fn audit_view(
    store: &mut dyn Store,
    what: &str,
    subject: &SubjectId,
    caller: &Caller,
    from: SocketAddr,
) -> Result<(), ApiError> {
    store.audit(&AuditEntry {
        at: redflag_model::Timestamp::now(),
        actor: caller.actor.clone(),
        action: format!("view.{what}"),
        target: Some(subject.to_string()),
        detail: serde_json::json!({ "from": from.to_string() }),
    })?;
    Ok(())
}

/// A scan on the API's behalf, for the audit log.
fn scan_options(route: &str, caller: Caller) -> ScanOptions {
    ScanOptions {
        actor: caller.actor,
        target: route.into(),
        ..ScanOptions::default()
    }
}

fn subject_id(text: &str) -> Result<SubjectId, ApiError> {
    text.parse()
        .map_err(|e| ApiError::bad_request(format!("{text:?} is not a subject id: {e}")))
}

/// A person's latest assessment: score, band, signals with their evidence, sanctions
/// hits, linked people and next steps (the spec's Output section). Roles: viewer,
/// analyst, admin; every view is audited.
#[utoipa::path(
    get,
    path = "/v1/subjects/{id}",
    params(("id" = String, Path, description = "the subject's id, e.g. c-1042")),
    responses((status = 200, body = inline(Object), description = "the assessment"), (status = 404, body = ErrorBody))
)]
async fn get_subject(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
) -> Result<Json<Assessment>, ApiError> {
    let subject = subject_id(&id)?;
    let found = state
        .with_workspace(move |w| {
            let found = w.store.latest_assessment(&subject)?;
            if found.is_some() {
                audit_view(w.store.as_mut(), "assessment", &subject, &caller, from)?;
            }
            Ok(found)
        })
        .await?;
    found.map(Json).ok_or_else(|| {
        ApiError::not_found(format!("no assessment of {id:?}: send its records first"))
    })
}

/// A person's scores over time, oldest first. Roles: viewer, analyst, admin; every view
/// is audited.
#[utoipa::path(
    get,
    path = "/v1/subjects/{id}/history",
    params(("id" = String, Path, description = "the subject's id")),
    responses((status = 200, body = inline(Object)), (status = 404, body = ErrorBody))
)]
async fn subject_history(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
) -> Result<Json<Vec<AssessmentSummary>>, ApiError> {
    let subject = subject_id(&id)?;
    let history = state
        .with_workspace(move |w| {
            let history = w.store.assessment_history(&subject)?;
            if !history.is_empty() {
                audit_view(w.store.as_mut(), "history", &subject, &caller, from)?;
            }
            Ok(history)
        })
        .await?;
    if history.is_empty() {
        return Err(ApiError::not_found(format!("no assessment of {id:?}")));
    }
    Ok(Json(history))
}

/// Assesses everyone again (after a list update, say) and returns this person's
/// assessment. Roles: analyst, admin.
#[utoipa::path(
    post,
    path = "/v1/subjects/{id}/assess",
    params(("id" = String, Path, description = "the subject's id")),
    responses((status = 200, body = inline(Object), description = "the new assessment"), (status = 404, body = ErrorBody))
)]
async fn assess_subject(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<Assessment>, ApiError> {
    let subject = subject_id(&id)?;
    let outcome = state
        .with_workspace(move |w| {
            let options = scan_options("POST /v1/subjects/{id}/assess", caller);
            Ok(w.pipeline
                .scan(w.store.as_mut(), Source::Nothing, &options, &mut ())?)
        })
        .await?;
    outcome
        .assessments
        .into_iter()
        .find(|a| a.subject == subject)
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no records of {id:?}: send them first")))
}
