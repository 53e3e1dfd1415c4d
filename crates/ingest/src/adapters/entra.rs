//! Microsoft Entra ID (Azure AD) sign-in logs, in the three shapes they are exported in,
//! each in every layout (one per line, a JSON array, a page object, one object):
//!
//! - Azure Monitor diagnostic settings (Event Hub, storage account): `{"time",
//!   "category", "callerIpAddress", "resultType", "properties": {signIn}}`, alone, one
//!   per line, in a JSON array, or in a `{"records": [...]}` blob;
//! - Microsoft Graph `GET /auditLogs/signIns`: `signIn` objects in a `{"value": [...]}`
//!   page (one page per file or per line), or in a JSON array (the Entra portal's
//!   "Download JSON");
//! - Log Analytics rows of the `SigninLogs` tables (`az monitor log-analytics query`, a
//!   Sentinel export): the same fields with capitalised names (`TimeGenerated`,
//!   `UserPrincipalName`, `IPAddress`, `ResultType`, `Category`), where the dynamic
//!   columns (`Status`, `DeviceDetail`) may be objects or JSON text.
//!
//! Field names are matched without letter case, which is all that separates the last
//! two shapes.
//!
//! Categories `SignInLogs`, `NonInteractiveUserSignInLogs` (token refreshes made for a
//! user by their apps, from the user's network) and `ADFSSignInLogs` are people signing
//! in. `ServicePrincipalSignInLogs`, `MicrosoftServicePrincipalSignInLogs` and
//! `ManagedIdentitySignInLogs` are software, skipped as not a person; other categories
//! (audit logs, risk events) are not sign-ins. A Log Analytics row without a category
//! takes its table's (`SigninLogs`, `AADNonInteractiveUserSignInLogs`,
//! `AADManagedIdentitySignInLogs`…), so rows of other tables that share the columns
//! (`AADRiskyUsers`) are not taken for sign-ins. A Graph `signIn` is skipped as not a person when its
//! `signInEventTypes` name neither `interactiveUser` nor `nonInteractiveUser`, or when it
//! has a service principal and no user. Skips are counted under the category (or the
//! sign-in's event type).
//!
//! Field by field (`p` is `properties` in the diagnostic shape, the object itself in the
//! others):
//! - `subject` and `account`: `p.userPrincipalName`, as written; `account` is `entra:`
//!   and the same. The user's object id (`p.userId`) and display name
//!   (`p.userDisplayName`) are kept beside the record as `vendor_user`, for mapping the
//!   login to a profile.
//! - `at`: `p.createdDateTime` (offsets such as `-05:00` are converted to UTC), else
//!   `TimeGenerated`, else `time`.
//! - `ip`: `p.ipAddress`, else `callerIpAddress`.
//! - `success`: `p.status.errorCode` is 0, else `resultType` is 0. Any other code is a
//!   failure, interruptions (50140 "keep me signed in", 50074 "MFA required") included:
//!   the sign-in did not complete.
//! - `user_agent`: `p.userAgent`; `device_id`: `p.deviceDetail.deviceId` (the Entra
//!   device object, empty for unregistered devices; the all-zero id is ignored);
//!   `session_id`: `p.sessionId`.
//! - `mfa_device` is left out: `mfaDetail.authDetail` is a masked phone number
//!   (`+X XXXXXXXX12`), which many people share. `clientAppUsed` has no canonical field.

use std::borrow::Cow;

use redflag_model::serde_json::{self, Map, Value};
use redflag_model::{Login, Record};

use crate::ReadError;
use crate::adapter::{Adapter, Content, Converter, Input, Skip};
use crate::adapters::json::{
    self, Events, Invalid, NO_IP, NOT_A_PERSON, NOT_SIGN_IN, Origin, Outcome, vendor_user,
};
use crate::error::quote;

pub(crate) struct Entra;

impl Adapter for Entra {
    fn id(&self) -> &'static str {
        "entra"
    }

    fn name(&self) -> &'static str {
        "Microsoft Entra sign-in log"
    }

    fn recognise(&self, content: &Content<'_>) -> Option<bool> {
        Some(content.object().is_some_and(is_sign_in))
    }

    fn open(&self, input: Input) -> Result<Box<dyn Converter>, ReadError> {
        json::open(
            input,
            Events {
                one: "an Entra sign-in",
                is_event: is_sign_in,
                convert,
            },
        )
    }
}

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

/// A member of an object by name, exactly or else without letter case.
fn member<'a>(object: &'a Map<String, Value>, name: &str) -> Option<(&'a str, &'a Value)> {
    object
        .get_key_value(name)
        .or_else(|| object.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
        .map(|(k, v)| (k.as_str(), v))
}

/// Whether an object is an Azure Monitor diagnostic record, a Graph `signIn` or a Log
/// Analytics sign-in row.
fn is_sign_in(object: &Map<String, Value>) -> bool {
    let diagnostic = object.get("category").is_some_and(Value::is_string)
        && object.get("properties").is_some_and(Value::is_object)
        && object.contains_key("time");
    let has = |name| member(object, name).is_some();
    let graph = (has("createdDateTime") || has("TimeGenerated"))
        && (has("userPrincipalName") || has("servicePrincipalId"));
    diagnostic || graph
}

/// One sign-in in any shape: its fields by name, and where they sit for messages.
struct SignIn<'a> {
    event: &'a Value,
    /// `properties` in the diagnostic shape.
    diagnostic: bool,
}

/// A value found in an event, borrowed or parsed from JSON text (a Log Analytics dynamic
/// column), and its path as the event writes it.
struct Found<'a> {
    value: Cow<'a, Value>,
    path: String,
}

impl<'a> SignIn<'a> {
    /// The field at `path` (names below `p`), matched without letter case.
    fn get(&self, path: &[&str]) -> Option<Found<'a>> {
        let (start, prefix) = if self.diagnostic {
            (self.event.get("properties")?, "properties.")
        } else {
            (self.event, "")
        };
        lookup(start, path, prefix.to_owned())
    }

    /// A member of the event itself (not `properties`).
    fn root(&self, name: &str) -> Option<Found<'a>> {
        lookup(self.event, &[name], String::new())
    }

    fn text(&self, path: &[&str]) -> Option<String> {
        self.get(path).and_then(|f| text_of(&f.value))
    }
}

/// Walks `path` from `value`, member names matched without letter case; JSON text met on
/// the way (a dynamic column) is parsed.
fn lookup<'a>(value: &'a Value, path: &[&str], mut shown: String) -> Option<Found<'a>> {
    let mut current = Cow::Borrowed(value);
    for name in path {
        if let Value::String(s) = current.as_ref()
            && s.trim_start().starts_with('{')
        {
            current = Cow::Owned(serde_json::from_str(s).ok()?);
        }
        current = match current {
            Cow::Borrowed(Value::Object(object)) => {
                let (key, next) = member(object, name)?;
                shown.push_str(key);
                Cow::Borrowed(next)
            }
            Cow::Owned(Value::Object(object)) => {
                let (key, next) = member(&object, name)?;
                shown.push_str(key);
                Cow::Owned(next.clone())
            }
            _ => return None,
        };
        shown.push('.');
    }
    shown.pop();
    Some(Found {
        value: current,
        path: shown,
    })
}

/// A string value, trimmed; `None` if empty, `"null"` or `"unknown"`.
fn text_of(value: &Value) -> Option<String> {
    let s = value.as_str()?.trim();
    (!s.is_empty() && !s.eq_ignore_ascii_case("null") && !s.eq_ignore_ascii_case("unknown"))
        .then(|| s.to_owned())
}

fn convert(event: &Value, _: &Origin<'_>, out: &mut Vec<Outcome>) {
    let sign_in = SignIn {
        event,
        diagnostic: event.get("properties").is_some_and(Value::is_object),
    };
    out.push(match login(&sign_in) {
        Ok(login) => {
            let identity = vendor_user(
                sign_in.text(&["userId"]).as_deref(),
                sign_in.text(&["userDisplayName"]).as_deref(),
            );
            Outcome::Record(Box::new(Record::Login(login)), identity)
        }
        Err(outcome) => outcome,
    });
}

/// What the sign-in is, for skip counts: its category, Log Analytics table, or Graph
/// event type.
fn what(sign_in: &SignIn<'_>) -> String {
    sign_in
        .root("category")
        .or_else(|| sign_in.root("Type"))
        .and_then(|f| text_of(&f.value))
        .or_else(|| {
            sign_in
                .get(&["signInEventTypes"])
                .and_then(|f| f.value.as_array().and_then(|t| t.first()).and_then(text_of))
        })
        .unwrap_or_else(|| "signIn".to_owned())
}

/// The category of a sign-in: its own, else the one its Log Analytics table holds
/// (`SigninLogs` holds `SignInLogs`, `AADManagedIdentitySignInLogs`
/// `ManagedIdentitySignInLogs`).
fn category(sign_in: &SignIn<'_>) -> Option<String> {
    if let Some(category) = sign_in.root("category").and_then(|f| text_of(&f.value)) {
        return Some(category);
    }
    let table = sign_in.root("Type").and_then(|f| text_of(&f.value))?;
    Some(if table.eq_ignore_ascii_case("SigninLogs") {
        "SignInLogs".to_owned()
    } else {
        table
            .strip_prefix("AAD")
            .map_or_else(|| table.clone(), str::to_owned)
    })
}

fn login(sign_in: &SignIn<'_>) -> Result<Login, Outcome> {
    let skip = |why| Outcome::from(Skip::new(Some(&what(sign_in)), why));
    if let Some(category) = category(sign_in) {
        if SOFTWARE.iter().any(|s| s.eq_ignore_ascii_case(&category)) {
            return Err(skip(NOT_A_PERSON));
        }
        if !PEOPLE.iter().any(|p| p.eq_ignore_ascii_case(&category)) {
            return Err(skip(NOT_SIGN_IN));
        }
    } else if let Some(types) = sign_in.get(&["signInEventTypes"])
        && let Some(types) = types.value.as_array()
        && !types
            .iter()
            .any(|t| t.as_str().is_some_and(|t| PERSON_EVENT_TYPES.contains(&t)))
    {
        return Err(skip(NOT_A_PERSON));
    }
    let upn = sign_in.text(&["userPrincipalName"]);
    if upn.is_none()
        && (sign_in.text(&["servicePrincipalId"]).is_some()
            || sign_in.text(&["servicePrincipalName"]).is_some())
    {
        return Err(skip(NOT_A_PERSON));
    }
    let address = [sign_in.get(&["ipAddress"]), sign_in.root("callerIpAddress")]
        .into_iter()
        .flatten()
        .find_map(|f| text_of(&f.value)?.parse().ok());
    let Some(address) = address else {
        return Err(skip(NO_IP));
    };
    let upn_path = || {
        let prefix = if sign_in.diagnostic {
            "properties."
        } else {
            ""
        };
        format!("{prefix}userPrincipalName")
    };
    let user = upn.ok_or_else(|| Invalid::field(upn_path(), "is required but missing"))?;
    let subject = user
        .parse()
        .map_err(|message: String| Invalid::field(upn_path(), message))?;
    let time = sign_in
        .get(&["createdDateTime"])
        .or_else(|| sign_in.get(&["TimeGenerated"]))
        .filter(|f| text_of(&f.value).is_some())
        .or_else(|| sign_in.root("time"))
        .ok_or_else(|| {
            Invalid::field(
                if sign_in.diagnostic {
                    "properties.createdDateTime"
                } else {
                    "createdDateTime"
                },
                "is required but missing",
            )
        })?;
    let at = match text_of(&time.value) {
        Some(s) => s.parse().map_err(|_| {
            Invalid::field(
                &time.path,
                format!(
                    "expected an RFC 3339 time such as \"2026-03-05T01:12:44Z\", found {}",
                    quote(&s)
                ),
            )
        })?,
        None => return Err(Invalid::field(&time.path, "is required but missing").into()),
    };
    Ok(Login {
        id: None,
        account: Some(format!("entra:{user}")),
        subject,
        at,
        ip: address,
        success: sign_in
            .get(&["status", "errorCode"])
            .and_then(|f| code(&f.value))
            .or_else(|| sign_in.root("resultType").and_then(|f| code(&f.value)))
            .map(|code| code == 0),
        user_agent: sign_in.text(&["userAgent"]),
        device_id: sign_in
            .text(&["deviceDetail", "deviceId"])
            .filter(|id| id != NO_DEVICE),
        mfa_device: None,
        session_id: sign_in.text(&["sessionId"]),
        vendor_user: None,
    })
}

/// An error code written as a number (`status.errorCode`) or a string (`resultType`).
fn code(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
