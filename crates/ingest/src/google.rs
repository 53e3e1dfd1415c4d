//! Google Workspace login audit: Admin SDK Reports API activities for `applicationName`
//! `login` (`kind: admin#reports#activity`), one per line, in a JSON array, or in the
//! API's page object (`{"kind": "admin#reports#activities", "items": [...]}`).
//!
//! An activity's `events` is an array in the API and a single object in exports that
//! split the array (Elastic's); both are read. Each `login_success` event becomes a
//! successful login and each `login_failure` a failed one. `login_challenge` and
//! `login_verification` are steps inside a sign-in that has its own success or failure
//! event, and `logout`, `account_warning` events and the rest are not sign-ins: all are
//! counted as skipped, as are events of other applications' activities.
//!
//! Field by field: `subject` is `actor.email`, `account` is `google:` and the same, `at`
//! is `id.time`, `ip` is `ipAddress`. The login audit carries no user agent, device or
//! session identifier.

use redflag_model::serde_json::{Map, Value};
use redflag_model::{Login, SubjectId, Timestamp};

use crate::events::{Invalid, NO_IP, NOT_SIGN_IN, Outcome, ip, subject, text, timestamp};

const ACTIVITY: &str = "admin#reports#activity";
const PAGE: &str = "admin#reports#activities";

/// Whether an object is a Reports API activity, or a page of them.
pub(crate) fn is_activity(object: &Map<String, Value>) -> bool {
    object
        .get("kind")
        .and_then(Value::as_str)
        .is_some_and(|kind| kind == ACTIVITY || kind == PAGE)
}

pub(crate) fn convert(activity: &Value, out: &mut Vec<Outcome>) {
    match text(activity, "/kind") {
        Some(ACTIVITY) => {}
        // A page without `items`: the API leaves the member out when there are none.
        Some(PAGE) => return,
        _ => {
            out.push(Outcome::Invalid(Invalid::new(
                "/kind",
                format!("expected \"{ACTIVITY}\" (a Google Workspace Reports API activity)"),
            )));
            return;
        }
    }
    let events: Vec<&Value> = match activity.get("events") {
        Some(Value::Array(events)) => events.iter().collect(),
        Some(event @ Value::Object(_)) => vec![event],
        _ => {
            out.push(Outcome::Invalid(Invalid::new(
                "/events",
                "is required but missing (expected an array of events)",
            )));
            return;
        }
    };
    let from_login_audit = text(activity, "/id/applicationName").is_none_or(|app| app == "login");
    // Read once for all the activity's events, and only if one of them is a sign-in.
    let mut who: Option<Result<(SubjectId, Timestamp), Invalid>> = None;
    for event in events {
        let success = match text(event, "/name") {
            Some("login_success") if from_login_audit => true,
            Some("login_failure") if from_login_audit => false,
            _ => {
                out.push(Outcome::Skipped(NOT_SIGN_IN));
                continue;
            }
        };
        let Some(address) = ip(activity, "/ipAddress") else {
            out.push(Outcome::Skipped(NO_IP));
            continue;
        };
        let identity = who.get_or_insert_with(|| {
            Ok((
                subject(activity, "/actor/email")?,
                timestamp(activity, "/id/time")?,
            ))
        });
        let (user, at) = match identity {
            Ok(identity) => identity.clone(),
            Err(invalid) => {
                out.push(Outcome::Invalid(invalid.clone()));
                continue;
            }
        };
        out.push(Outcome::Login(Box::new(Login {
            id: None,
            account: Some(format!("google:{user}")),
            subject: user,
            at,
            ip: address,
            success: Some(success),
            user_agent: None,
            device_id: None,
            mfa_device: None,
            session_id: None,
        })));
    }
}
