//! What the database backends share: reading their columns back into the model, and a
//! write of its own when no unit of work is open.

use std::path::Path;

use redflag_model::{Assessment, Band, Decision, SubjectId, Timestamp};

use crate::{ApiKey, AssessmentSummary, Role, Store, StoreError};

/// A row that cannot be read back (a damaged or hand-edited database).
pub(crate) fn bad_row(
    path: &Path,
    table: &'static str,
    row: i64,
    reason: impl ToString,
) -> StoreError {
    StoreError::BadRow {
        path: path.to_owned(),
        table,
        row,
        reason: reason.to_string(),
    }
}

/// A stored time (microseconds since the epoch).
pub(crate) fn timestamp(
    path: &Path,
    table: &'static str,
    row: i64,
    us: i64,
) -> Result<Timestamp, StoreError> {
    Timestamp::from_microsecond(us).map_err(|e| {
        bad_row(
            path,
            table,
            row,
            format!("time {us} µs is out of range: {e}"),
        )
    })
}

/// A stored assessment's JSON.
pub(crate) fn assessment(
    path: &Path,
    row: i64,
    subject: String,
    body: &str,
) -> Result<Assessment, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::BadAssessment {
        path: path.to_owned(),
        row,
        subject,
        reason: e.to_string(),
    })
}

/// The columns of a row of `assessments`, as one point of `subject`'s history.
pub(crate) struct SummaryColumns<'a> {
    pub row: i64,
    pub stored_subject: &'a str,
    pub assessed_at: i64,
    pub score: i64,
    pub band: &'a str,
}

pub(crate) fn summary(
    path: &Path,
    subject: &SubjectId,
    c: SummaryColumns<'_>,
) -> Result<AssessmentSummary, StoreError> {
    let bad = |reason: String| StoreError::BadAssessment {
        path: path.to_owned(),
        row: c.row,
        subject: c.stored_subject.to_owned(),
        reason,
    };
    let at = c.assessed_at;
    let assessed_at = Timestamp::from_microsecond(at)
        .map_err(|e| bad(format!("time {at} µs is out of range: {e}")))?;
    let score =
        u8::try_from(c.score).map_err(|_| bad(format!("score {} is not 0–255", c.score)))?;
    let band = match c.band {
        "low" => Band::Low,
        "medium" => Band::Medium,
        "high" => Band::High,
        "critical" => Band::Critical,
        other => return Err(bad(format!("unknown band {other:?}"))),
    };
    Ok(AssessmentSummary {
        subject: subject.clone(),
        assessed_at,
        score,
        band,
    })
}

/// A stored decision's subject and verdict.
pub(crate) fn decision(
    path: &Path,
    row: i64,
    subject: &str,
    decision: &str,
) -> Result<(SubjectId, Decision), StoreError> {
    let table = "sanctions_decisions";
    let subject = subject
        .parse()
        .map_err(|e| bad_row(path, table, row, format!("subject: {e}")))?;
    let decision = match decision {
        "cleared" => Decision::Cleared,
        "confirmed" => Decision::Confirmed,
        other => return Err(bad_row(path, table, row, format!("decision {other:?}"))),
    };
    Ok((subject, decision))
}

/// The columns of a row of `api_keys`, without the hash.
pub(crate) struct ApiKeyColumns {
    pub seq: i64,
    pub id: String,
    pub name: String,
    pub role: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

pub(crate) fn api_key(path: &Path, c: ApiKeyColumns) -> Result<ApiKey, StoreError> {
    let table = "api_keys";
    let role: Role = c.role.parse().map_err(|e| bad_row(path, table, c.seq, e))?;
    Ok(ApiKey {
        id: c.id,
        name: c.name,
        role,
        created_at: timestamp(path, table, c.seq, c.created_at)?,
        revoked_at: c
            .revoked_at
            .map(|us| timestamp(path, table, c.seq, us))
            .transpose()?,
    })
}

/// Runs `f` as a unit of work of its own: for writes made outside one.
pub(crate) fn in_own_unit<S: Store, T>(
    store: &mut S,
    f: impl FnOnce(&mut S) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    store.begin()?;
    match f(store) {
        Ok(value) => {
            store.commit()?;
            Ok(value)
        }
        Err(e) => {
            let _ = store.rollback();
            Err(e)
        }
    }
}
