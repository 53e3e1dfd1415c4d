//! Google Workspace login audit: Admin SDK Reports API activities for `applicationName`
//! `login` (`kind: admin#reports#activity`), one per line, in a JSON array, in the API's
//! page object (`{"kind": "admin#reports#activities", "items": [...]}`), or one
//! pretty-printed activity.
//!
//! An activity's `events` is an array in the API and a single object in exports that
//! split the array (Elastic's); both are read. Each `login_success` event becomes a
//! successful login and each `login_failure` a failed one. `login_challenge` and
//! `login_verification` are steps inside a sign-in that has its own success or failure
//! event, and `logout`, `account_warning` events and the rest are not sign-ins: all are
//! counted as skipped under the event's name, as are events of other applications'
//! activities (under the application's name).
//!
//! Field by field: `subject` is `actor.email`, `account` is `google:` and the same, `at`
//! is `id.time`, `ip` is `ipAddress`; the user's Google id (`actor.profileId`) is kept
//! beside the record as `vendor_user`. The login audit carries no user agent, device,
//! session identifier or display name.

use redflag_model::serde_json::{Map, Value};
use redflag_model::{Login, Record, SubjectId, Timestamp};

use crate::ReadError;
use crate::adapter::{Adapter, Content, Converter, Input, Skip};
use crate::adapters::json::{
    self, Events, Invalid, NO_IP, NOT_SIGN_IN, Origin, Outcome, ip, subject, text, timestamp,
    vendor_user,
};

pub(crate) struct GoogleWorkspace;

impl Adapter for GoogleWorkspace {
    fn id(&self) -> &'static str {
        "google-workspace"
    }

    fn name(&self) -> &'static str {
        "Google Workspace login audit"
    }

    fn recognise(&self, content: &Content<'_>) -> Option<bool> {
        // A page is recognised by its own kind too: one without `items` has no activity
        // to look at.
        Some(
            content
                .object()
                .is_some_and(|object| is_activity(object) || kind(object) == Some(PAGE)),
        )
    }

    fn open(&self, input: Input) -> Result<Box<dyn Converter>, ReadError> {
        json::open(
            input,
            Events {
                one: "a Google Workspace activity",
                is_event: is_activity,
                convert,
            },
        )
    }
}

const ACTIVITY: &str = "admin#reports#activity";
const PAGE: &str = "admin#reports#activities";

fn kind(object: &Map<String, Value>) -> Option<&str> {
    object.get("kind").and_then(Value::as_str)
}

/// Whether an object is a Reports API activity.
fn is_activity(object: &Map<String, Value>) -> bool {
    kind(object) == Some(ACTIVITY)
}

fn convert(activity: &Value, _: &Origin<'_>, out: &mut Vec<Outcome>) {
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
    let application = text(activity, "/id/applicationName");
    let from_login_audit = application.is_none_or(|app| app == "login");
    // Read once for all the activity's events, and only if one of them is a sign-in.
    let mut who: Option<Result<(SubjectId, Timestamp), Invalid>> = None;
    for event in events {
        let name = text(event, "/name");
        let what = match (from_login_audit, application) {
            (false, Some(app)) => Some(format!("{app} activity")),
            _ => name.map(str::to_owned),
        };
        let skip = |why| Outcome::from(Skip::new(what.as_deref(), why));
        let success = match name {
            Some("login_success") if from_login_audit => true,
            Some("login_failure") if from_login_audit => false,
            _ => {
                out.push(skip(NOT_SIGN_IN));
                continue;
            }
        };
        let Some(address) = ip(activity, "/ipAddress") else {
            out.push(skip(NO_IP));
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
        let login = Login {
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
            vendor_user: None,
        };
        // Written as a number by the API and as text by some exports.
        let profile = match activity.pointer("/actor/profileId") {
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::String(s)) => Some(s.trim().to_owned()),
            _ => None,
        };
        let identity = vendor_user(profile.as_deref().filter(|p| !p.is_empty()), None);
        out.push(Outcome::Record(Box::new(Record::Login(login)), identity));
    }
}
