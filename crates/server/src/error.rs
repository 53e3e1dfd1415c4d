//! Errors as the API answers them: a status and a JSON body a person can act on.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// An error answer: `{"error": "not_found", "message": "…"}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable code for programs: `bad_request`, `unauthorized`, `forbidden`,
    /// `not_found`, `too_large`, `unprocessable`, `busy`, `internal`.
    pub error: &'static str,
    /// What went wrong and what to do, for people.
    pub message: String,
}

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
}

impl ApiError {
    fn new(status: StatusCode, error: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: ErrorBody {
                error,
                message: message.into(),
            },
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// No key, or one that opens nothing: answered with `WWW-Authenticate: Bearer`.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// A valid key whose role does not allow the route.
    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn too_large(limit: usize) -> Self {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!(
                "the request body is over the limit of {} MiB: send the records in smaller batches",
                limit / (1024 * 1024)
            ),
        )
    }

    pub fn unprocessable(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }
}

impl From<redflag_store::StoreError> for ApiError {
    fn from(e: redflag_store::StoreError) -> Self {
        tracing::error!(error = %e, "store");
        ApiError::internal(format!("the database failed: {e}"))
    }
}

impl From<redflag_pipeline::PipelineError> for ApiError {
    fn from(e: redflag_pipeline::PipelineError) -> Self {
        if e.is_record_error() {
            return ApiError::unprocessable(e.to_string());
        }
        tracing::error!(error = %e, "pipeline");
        ApiError::internal(e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status == StatusCode::UNAUTHORIZED {
            // RFC 6750: a 401 names the scheme it wants.
            return (
                self.status,
                [(axum::http::header::WWW_AUTHENTICATE, "Bearer")],
                Json(self.body),
            )
                .into_response();
        }
        (self.status, Json(self.body)).into_response()
    }
}
