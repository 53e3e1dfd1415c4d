//! Okta System Log `LogEvent`s, in every layout they are saved in: one per line (as SIEM
//! forwarders and log streaming write them), a JSON array (as `GET /api/v1/logs` returns
//! them), an event hook's request (`{"eventType": "com.okta.event_hook", "data":
//! {"events": [...]}}`, one per file or per line), or one pretty-printed event (as the
//! Admin Console shows and downloads it).
//!
//! Sign-ins are `user.session.start` (signing in to Okta), `user.authentication.sso`
//! (signing in to an application through Okta), `user.authentication.verify` (a
//! credential checked during a sign-in) and every `user.authentication.auth_via_*`
//! (authenticated by a second factor, an external identity provider, a social login, AD,
//! LDAP, RADIUS…). Each is an attempt to get in from a network address at a moment, which
//! is what the login detectors look at. Sign-outs (`user.session.end`), policy
//! evaluations (`policy.evaluate_sign_on`, which repeat a `user.session.start`), and
//! administration are not, and are counted as skipped.
//!
//! Field by field:
//! - `subject` and `account`: `actor.alternateId` (the user's Okta login, usually an
//!   e-mail address), as written; `account` is `okta:` and the same. The user's Okta id
//!   (`actor.id`) and display name (`actor.displayName`) are kept beside the record as
//!   `vendor_user`, for mapping the login to a profile.
//! - `at`: `published`.
//! - `ip`: `client.ipAddress`, or where Okta wrote none (or the string `"null"`), the
//!   first address of `request.ipChain`, which Okta documents as the client's.
//! - `success`: `outcome.result` `SUCCESS`/`ALLOW` is a success, `FAILURE`/`DENY` a
//!   failure; `CHALLENGE`, `SKIPPED` and `UNKNOWN` left the attempt undecided, so
//!   `success` is absent.
//! - `user_agent`: `client.userAgent.rawUserAgent`.
//! - `device_id`: the registered device's `device.id` (Okta Identity Engine), else the
//!   device-token hash `debugContext.debugData.dtHash` as `okta-dt:…`, else the browser
//!   fingerprint `debugData.deviceFingerprint` as `okta-fp:…`. `client.device` is not
//!   used: it is a category (`Computer`, `Mobile`), and would link every user of one.
//! - `session_id`: `authenticationContext.externalSessionId`.
//! - `mfa_device` is left out: the log names the factor's type (`OKTA_VERIFY_PUSH`), not
//!   the enrolled device, and a type shared by everyone must not link people.
//!
//! Events whose actor is not a `User` (`SystemPrincipal`, applications) are skipped as
//! not a person, and sign-in attempts whose actor Okta could not resolve (`actor.id` is
//! `unknown`) as an unknown user. Every skip is counted under the event's type.

use redflag_model::serde_json::{Map, Value};
use redflag_model::{Login, Record};

use crate::ReadError;
use crate::adapter::{Adapter, Content, Converter, Input, Skip};
use crate::adapters::json::{
    self, Events, NO_IP, NOT_A_PERSON, NOT_SIGN_IN, Origin, Outcome, UNKNOWN_USER, ip, known,
    required, subject, text, timestamp, vendor_user,
};

pub(crate) struct Okta;

impl Adapter for Okta {
    fn id(&self) -> &'static str {
        "okta"
    }

    fn name(&self) -> &'static str {
        "Okta System Log"
    }

    fn recognise(&self, content: &Content<'_>) -> Option<bool> {
        Some(content.object().is_some_and(is_event))
    }

    fn open(&self, input: Input) -> Result<Box<dyn Converter>, ReadError> {
        json::open(
            input,
            Events {
                one: "an Okta System Log event",
                is_event,
                convert,
            },
        )
    }
}

const SIGN_INS: &[&str] = &[
    "user.session.start",
    "user.authentication.sso",
    "user.authentication.verify",
];
const SIGN_IN_FAMILY: &str = "user.authentication.auth_via_";

/// Whether an object is an Okta `LogEvent`.
fn is_event(object: &Map<String, Value>) -> bool {
    object.get("eventType").is_some_and(Value::is_string)
        && object.contains_key("published")
        && object.contains_key("actor")
}

fn convert(event: &Value, _: &Origin<'_>, out: &mut Vec<Outcome>) {
    out.push(match login(event) {
        Ok(login) => {
            let identity = vendor_user(text(event, "/actor/id"), text(event, "/actor/displayName"));
            Outcome::Record(Box::new(Record::Login(login)), identity)
        }
        Err(outcome) => outcome,
    });
}

fn login(event: &Value) -> Result<Login, Outcome> {
    let event_type = required(event, "/eventType")?;
    let skip = |why| Outcome::from(Skip::new(Some(event_type), why));
    if !(SIGN_INS.contains(&event_type) || event_type.starts_with(SIGN_IN_FAMILY)) {
        return Err(skip(NOT_SIGN_IN));
    }
    if text(event, "/actor/type") != Some("User") {
        return Err(skip(NOT_A_PERSON));
    }
    if text(event, "/actor/id").is_some_and(|id| id.eq_ignore_ascii_case("unknown")) {
        return Err(skip(UNKNOWN_USER));
    }
    let Some(address) =
        ip(event, "/client/ipAddress").or_else(|| ip(event, "/request/ipChain/0/ip"))
    else {
        return Err(skip(NO_IP));
    };
    let user = required(event, "/actor/alternateId")?;
    Ok(Login {
        id: None,
        subject: subject(event, "/actor/alternateId")?,
        account: Some(format!("okta:{user}")),
        at: timestamp(event, "/published")?,
        ip: address,
        success: text(event, "/outcome/result").and_then(success),
        user_agent: known(event, "/client/userAgent/rawUserAgent"),
        device_id: device(event),
        mfa_device: None,
        session_id: known(event, "/authenticationContext/externalSessionId"),
        vendor_user: None,
    })
}

fn success(result: &str) -> Option<bool> {
    if ["SUCCESS", "ALLOW"]
        .iter()
        .any(|r| result.eq_ignore_ascii_case(r))
    {
        Some(true)
    } else if ["FAILURE", "DENY"]
        .iter()
        .any(|r| result.eq_ignore_ascii_case(r))
    {
        Some(false)
    } else {
        None
    }
}

fn device(event: &Value) -> Option<String> {
    known(event, "/device/id")
        .or_else(|| known(event, "/debugContext/debugData/dtHash").map(|h| format!("okta-dt:{h}")))
        .or_else(|| {
            known(event, "/debugContext/debugData/deviceFingerprint")
                .map(|f| format!("okta-fp:{f}"))
        })
}
