//! Microsoft Entra ID (Azure AD) sign-in logs, in both shapes they are exported in:
//!
//! - Azure Monitor diagnostic settings (Event Hub, storage account, Log Analytics export):
//!   `{"time", "category", "callerIpAddress", "resultType", "properties": {signIn}}`, one
//!   per line, in a JSON array, or in a `{"records": [...]}` blob;
//! - Microsoft Graph `GET /auditLogs/signIns`: `signIn` objects in a `{"value": [...]}`
//!   page (one page per file or per line), or in a JSON array (the Entra portal's
//!   "Download JSON").
//!
//! Categories `SignInLogs`, `NonInteractiveUserSignInLogs` (token refreshes made for a
//! user by their apps, from the user's network) and `ADFSSignInLogs` are people signing
//! in. `ServicePrincipalSignInLogs`, `MicrosoftServicePrincipalSignInLogs` and
//! `ManagedIdentitySignInLogs` are software, skipped as not a person; other categories
//! (audit logs, risk events) are not sign-ins. A Graph `signIn` is skipped as not a
//! person when its `signInEventTypes` name neither `interactiveUser` nor
//! `nonInteractiveUser`, or when it has a service principal and no user.
//!
//! Field by field (`p` is `properties` in the diagnostic shape, the object itself in the
//! Graph shape):
//! - `subject` and `account`: `p.userPrincipalName`, as written; `account` is `entra:`
//!   and the same.
//! - `at`: `p.createdDateTime` (offsets such as `-05:00` are converted to UTC), else
//!   `time`.
//! - `ip`: `p.ipAddress`, else `callerIpAddress`.
//! - `success`: `p.status.errorCode` is 0, else `resultType` is 0. Any other code is a
//!   failure, interruptions (50140 "keep me signed in", 50074 "MFA required") included:
//!   the sign-in did not complete.
//! - `user_agent`: `p.userAgent`; `device_id`: `p.deviceDetail.deviceId` (the Entra
//!   device object, empty for unregistered devices; the all-zero id is ignored);
//!   `session_id`: `p.sessionId`.
//! - `mfa_device` is left out: `mfaDetail.authDetail` is a masked phone number
//!   (`+X XXXXXXXX12`), which many people share. `clientAppUsed` has no canonical field.

use redflag_model::Login;
use redflag_model::serde_json::{Map, Value};

use crate::events::{
    NO_IP, NOT_A_PERSON, NOT_SIGN_IN, Outcome, ip, known, required, subject, text, timestamp,
};

const PEOPLE: &[&str] = &[
    "SignInLogs",
    "NonInteractiveUserSignInLogs",
    "ADFSSignInLogs",
];
const SOFTWARE: &[&str] = &[
    "ServicePrincipalSignInLogs",
    "MicrosoftServicePrincipalSignInLogs",
    "ManagedIdentitySignInLogs",
];
const PERSON_EVENT_TYPES: &[&str] = &["interactiveUser", "nonInteractiveUser"];
const NO_DEVICE: &str = "00000000-0000-0000-0000-000000000000";

/// Whether an object is an Azure Monitor diagnostic record or a Graph `signIn`.
pub(crate) fn is_sign_in(object: &Map<String, Value>) -> bool {
    let diagnostic = object.get("category").is_some_and(Value::is_string)
        && object.get("properties").is_some_and(Value::is_object)
        && object.contains_key("time");
    let graph = object.contains_key("createdDateTime")
        && (object.contains_key("userPrincipalName") || object.contains_key("servicePrincipalId"));
    diagnostic || graph
}

pub(crate) fn convert(event: &Value, out: &mut Vec<Outcome>) {
    out.push(match login(event) {
        Ok(login) => Outcome::Login(Box::new(login)),
        Err(outcome) => outcome,
    });
}

fn login(event: &Value) -> Result<Login, Outcome> {
    let diagnostic = event.get("properties").is_some_and(Value::is_object);
    // JSON pointers to the signIn's fields, in either shape.
    let p = |field: &str| {
        if diagnostic {
            format!("/properties/{field}")
        } else {
            format!("/{field}")
        }
    };
    if diagnostic {
        let category = required(event, "/category")?;
        if SOFTWARE.contains(&category) {
            return Err(Outcome::Skipped(NOT_A_PERSON));
        }
        if !PEOPLE.contains(&category) {
            return Err(Outcome::Skipped(NOT_SIGN_IN));
        }
    } else if let Some(types) = event.get("signInEventTypes").and_then(Value::as_array)
        && !types
            .iter()
            .any(|t| t.as_str().is_some_and(|t| PERSON_EVENT_TYPES.contains(&t)))
    {
        return Err(Outcome::Skipped(NOT_A_PERSON));
    }
    let upn = p("userPrincipalName");
    if text(event, &upn).is_none()
        && (text(event, &p("servicePrincipalId")).is_some()
            || text(event, &p("servicePrincipalName")).is_some())
    {
        return Err(Outcome::Skipped(NOT_A_PERSON));
    }
    let Some(address) = ip(event, &p("ipAddress")).or_else(|| ip(event, "/callerIpAddress")) else {
        return Err(Outcome::Skipped(NO_IP));
    };
    let user = required(event, &upn)?;
    let created = p("createdDateTime");
    let at = if text(event, &created).is_none() && diagnostic {
        timestamp(event, "/time")?
    } else {
        timestamp(event, &created)?
    };
    Ok(Login {
        id: None,
        subject: subject(event, &upn)?,
        account: Some(format!("entra:{user}")),
        at,
        ip: address,
        success: code(event.pointer(&p("status/errorCode")))
            .or_else(|| code(event.get("resultType")))
            .map(|code| code == 0),
        user_agent: known(event, &p("userAgent")),
        device_id: known(event, &p("deviceDetail/deviceId")).filter(|id| id != NO_DEVICE),
        mfa_device: None,
        session_id: known(event, &p("sessionId")),
    })
}

/// An error code written as a number (`status.errorCode`) or a string (`resultType`).
fn code(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
