//! Every layout users download, for every JSON format: one event per line, a JSON array
//! (on one line or pretty-printed), a page object (`value`, `items`, `records`,
//! `events`), an Okta event hook's request (`data.events`), and one pretty-printed
//! object. Each layout of the same events must give the same records.
//!
//! The events are written from the vendors' published schemas (Okta `LogEvent`,
//! Microsoft Graph `signIn`, Log Analytics `SigninLogs`, Google Reports API `activity`,
//! JSON Resume 1.0).

use std::collections::BTreeMap;

use redflag_ingest::{Format, OpenOptions, RecordStream, open_reader};
use redflag_model::parse_record;
use redflag_model::serde_json::{self, Value, json};

/// An Okta `LogEvent`, as `GET /api/v1/logs` returns it.
fn okta_event(event_type: &str, ip: &str, at: &str) -> Value {
    json!({
        "uuid": format!("f790999f-fe87-467a-9880-{at:.12}"),
        "published": at,
        "eventType": event_type,
        "version": "0",
        "severity": "INFO",
        "legacyEventType": "core.user_auth.login_success",
        "displayMessage": "User login to Okta",
        "actor": {"id": "00u1qw1mqitPHM8AJ0g7", "type": "User",
                  "alternateId": "ana.lima@acme.test", "displayName": "Ana Lima", "detailEntry": null},
        "client": {"zone": "OFF_NETWORK", "device": "Computer", "id": null, "ipAddress": ip,
                   "userAgent": {"os": "Mac OS X", "browser": "SAFARI",
                                 "rawUserAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4)"},
                   "geographicalContext": {"city": "Toronto", "state": "Ontario", "country": "Canada",
                                           "postalCode": "M5V", "geolocation": {"lat": 43.64, "lon": -79.39}}},
        "outcome": {"result": "SUCCESS", "reason": null},
        "target": [],
        "transaction": {"type": "WEB", "id": "V04Oy4ubUOc5UuG6s9DyNQAABtc", "detail": {}},
        "debugContext": {"debugData": {"requestUri": "/login/do-login", "deviceFingerprint": "5a2c8f"}},
        "authenticationContext": {"authenticationStep": 0, "externalSessionId": "1013FfF-DKQSvCI4RVXChzX-w",
                                  "authenticationProvider": null, "credentialProvider": null},
        "securityContext": {"asNumber": 812, "asOrg": "Rogers", "isp": "Rogers", "domain": "rogers.com", "isProxy": false},
        "request": {"ipChain": [{"ip": ip, "version": "V4", "source": null}]}
    })
}

/// A Microsoft Graph `signIn`, as `GET /auditLogs/signIns` returns it.
fn graph_sign_in(id: &str, ip: &str, at: &str, error_code: i64) -> Value {
    json!({
        "id": id,
        "createdDateTime": at,
        "userDisplayName": "Ana Lima",
        "userPrincipalName": "ana.lima@contoso.com",
        "userId": "26be570a-ae82-4189-b4e2-a37c6808512d",
        "appId": "de8bc8b5-d9f9-48b1-a8ad-b748da725064",
        "appDisplayName": "Graph Explorer",
        "ipAddress": ip,
        "clientAppUsed": "Browser",
        "correlationId": "d79f5bee-5860-4832-928f-3133e22ae912",
        "conditionalAccessStatus": "notApplied",
        "isInteractive": true,
        "riskDetail": "none",
        "riskLevelAggregated": "none",
        "riskLevelDuringSignIn": "none",
        "riskState": "none",
        "riskEventTypes_v2": [],
        "resourceDisplayName": "Microsoft Graph",
        "resourceId": "00000003-0000-0000-c000-000000000000",
        "status": {"errorCode": error_code, "failureReason": "Other.", "additionalDetails": null},
        "deviceDetail": {"deviceId": "", "displayName": null, "operatingSystem": "Windows 10",
                         "browser": "Edge 120.0.2210", "isCompliant": null, "isManaged": null, "trustType": null},
        "location": {"city": "Toronto", "state": "Ontario", "countryOrRegion": "CA",
                     "geoCoordinates": {"altitude": null, "latitude": 43.64, "longitude": -79.39}},
        "appliedConditionalAccessPolicies": []
    })
}

/// A Google Reports API `login` activity with the API's array of events.
fn google_activity(name: &str, ip: &str, at: &str) -> Value {
    json!({
        "kind": "admin#reports#activity",
        "id": {"time": at, "uniqueQualifier": "-8013154891225693713",
               "applicationName": "login", "customerId": "C03az79cb"},
        "etag": "\"JDMC8884sebSctZ17CIssbQ/9fTGR-7PhlXjwu8gQ6DJtWaVYBU\"",
        "actor": {"callerType": "USER", "email": "ana.lima@acme.test", "profileId": "114511147312345678901"},
        "ipAddress": ip,
        "events": [
            {"type": "login", "name": "login_challenge",
             "parameters": [{"name": "login_challenge_method", "multiValue": ["password"]}]},
            {"type": "login", "name": name,
             "parameters": [{"name": "login_type", "value": "google_password"},
                            {"name": "is_suspicious", "boolValue": false}]}
        ]
    })
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// The layouts `events` are saved in, by name.
fn layouts(events: &[Value], page_keys: &[&str]) -> Vec<(String, String)> {
    let mut out = vec![
        (
            "one per line".to_owned(),
            events
                .iter()
                .map(Value::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        (
            "an array on one line".to_owned(),
            Value::Array(events.to_vec()).to_string(),
        ),
        (
            "a pretty-printed array".to_owned(),
            pretty(&Value::Array(events.to_vec())),
        ),
    ];
    for key in page_keys {
        let page = json!({"@odata.nextLink": null, *key: events});
        out.push((format!("a `{key}` page"), pretty(&page)));
        out.push((format!("`{key}` pages one per line"), page.to_string()));
    }
    if let [event] = events {
        out.push(("one pretty-printed object".to_owned(), pretty(event)));
    }
    out
}

/// Each record's kind and canonical text, and the skip counts, of an input.
fn read(text: &str, name: &str) -> (Format, Vec<String>, BTreeMap<String, u64>) {
    let mut stream: RecordStream = open_reader(
        std::io::Cursor::new(text.to_owned()),
        name,
        &OpenOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    let records: Vec<String> = stream
        .by_ref()
        .map(|item| {
            let r = item.unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(parse_record(&r.text).as_ref(), Ok(&r.parsed), "{}", r.text);
            r.text
        })
        .collect();
    assert_eq!(stream.bytes_read(), text.len() as u64, "{name}");
    (stream.format(), records, stream.skipped().clone())
}

/// Reads `events` in every layout and checks they agree; returns what they gave.
fn every_layout(
    events: &[Value],
    page_keys: &[&str],
    format: &'static str,
) -> (Vec<String>, BTreeMap<String, u64>) {
    let mut reference = None;
    for (layout, text) in layouts(events, page_keys) {
        let (found, records, skipped) = read(&text, "export.json");
        assert_eq!(found, Format::Adapter(format), "{layout}");
        match &reference {
            None => reference = Some((records, skipped)),
            Some(expected) => assert_eq!(&(records, skipped), expected, "{layout}"),
        }
    }
    reference.unwrap_or_default()
}

#[test]
fn okta_in_every_layout_including_an_event_hook() {
    let events = [
        okta_event(
            "user.session.start",
            "99.230.10.20",
            "2026-03-05T01:12:44.123Z",
        ),
        okta_event("user.session.end", "99.230.10.20", "2026-03-05T03:00:00Z"),
    ];
    let (records, skipped) = every_layout(&events, &["events"], "okta");
    assert_eq!(records.len(), 1);
    let login: Value = serde_json::from_str(&records[0]).unwrap_or_default();
    assert_eq!(login["subject"], "ana.lima@acme.test");
    assert_eq!(login["account"], "okta:ana.lima@acme.test");
    assert_eq!(login["ip"], "99.230.10.20");
    // What no login field holds is kept beside it, for mapping the login to a profile.
    assert_eq!(
        login["vendor_user"],
        json!({"id": "00u1qw1mqitPHM8AJ0g7", "name": "Ana Lima"})
    );
    assert_eq!(
        skipped,
        BTreeMap::from([("user.session.end (not a sign-in)".to_owned(), 1)])
    );

    // The request Okta sends an event hook, as saved from the endpoint.
    let hook = json!({
        "eventType": "com.okta.event_hook",
        "eventTypeVersion": "1.0",
        "cloudEventsVersion": "0.1",
        "source": "https://acme.okta.com/api/v1/eventHooks/whoql0HfiLGPWc8Jx0g3",
        "eventId": "b5a188b9-5ece-4636-b041-482ffda96311",
        "data": {"events": events},
        "eventTime": "2026-03-05T03:00:01.000Z",
        "contentType": "application/json"
    });
    for text in [pretty(&hook), hook.to_string()] {
        let (format, hooked, _) = read(&text, "hook.json");
        assert_eq!(format, Format::Adapter("okta"));
        assert_eq!(hooked, records);
    }

    // One event as the Admin Console shows it: the file the issue found rejected.
    let (format, single, _) = read(&pretty(&events[0]), "event.json");
    assert_eq!(format, Format::Adapter("okta"));
    assert_eq!(single, records);
}

#[test]
fn graph_sign_ins_in_every_layout() {
    let events = [
        graph_sign_in(
            "66ea54eb-6301-4ee5-be62-ff5a759b8100",
            "99.230.10.20",
            "2026-03-05T01:12:44Z",
            0,
        ),
        graph_sign_in(
            "77ea54eb-6301-4ee5-be62-ff5a759b8101",
            "211.234.10.20",
            "2026-03-05T03:12:44Z",
            50126,
        ),
    ];
    let (records, skipped) = every_layout(&events, &["value"], "entra");
    assert_eq!(records.len(), 2);
    assert!(skipped.is_empty());
    let failed: Value = serde_json::from_str(&records[1]).unwrap_or_default();
    assert_eq!(failed["subject"], "ana.lima@contoso.com");
    assert_eq!(failed["success"], false);
    assert_eq!(
        failed["vendor_user"],
        json!({"id": "26be570a-ae82-4189-b4e2-a37c6808512d", "name": "Ana Lima"})
    );
    let (_, single, _) = read(&pretty(&events[0]), "signin.json");
    assert_eq!(single, records[..1]);
}

#[test]
fn log_analytics_rows_with_dynamic_columns_as_text() {
    // `az monitor log-analytics query` on SigninLogs: capitalised columns, and the
    // dynamic ones (Status, DeviceDetail) as JSON text.
    let row = |table: &str, category: &str, upn: &str, ip: &str| {
        json!({
            "TenantId": "d5c6f0a4-0000-4000-8000-000000000000",
            "SourceSystem": "Azure AD",
            "TimeGenerated": "2026-03-05T01:12:44.5Z",
            "OperationName": "Sign-in activity",
            "Category": category,
            "ResultType": "0",
            "CreatedDateTime": "2026-03-05T01:12:44.4Z",
            "UserPrincipalName": upn,
            "UserDisplayName": "Ana Lima",
            "UserId": "26be570a-ae82-4189-b4e2-a37c6808512d",
            "IPAddress": ip,
            "UserAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
            "Status": "{\"errorCode\":0,\"additionalDetails\":\"MFA requirement satisfied by claim in the token\"}",
            "DeviceDetail": "{\"deviceId\":\"e6c4fd6c-1f25-4a1a-8f62-6d1b0cf1e2aa\",\"operatingSystem\":\"Windows 10\"}",
            "Type": table
        })
    };
    let mut risky = row("AADRiskyUsers", "", "ana.lima@contoso.com", "");
    if let Some(row) = risky.as_object_mut() {
        // A table that shares the columns, and has no category of its own.
        row.remove("Category");
    }
    let events = [
        row(
            "SigninLogs",
            "SignInLogs",
            "ana.lima@contoso.com",
            "99.230.10.20",
        ),
        row(
            "AADManagedIdentitySignInLogs",
            "ManagedIdentitySignInLogs",
            "",
            "10.0.0.4",
        ),
        risky,
    ];
    let (records, skipped) = every_layout(&events, &["value"], "entra");
    assert_eq!(records.len(), 1);
    let login: Value = serde_json::from_str(&records[0]).unwrap_or_default();
    assert_eq!(login["at"], "2026-03-05T01:12:44.4Z");
    assert_eq!(login["ip"], "99.230.10.20");
    assert_eq!(login["success"], true);
    assert_eq!(login["device_id"], "e6c4fd6c-1f25-4a1a-8f62-6d1b0cf1e2aa");
    assert_eq!(
        skipped,
        BTreeMap::from([
            ("AADRiskyUsers (not a sign-in)".to_owned(), 1),
            ("ManagedIdentitySignInLogs (not a person)".to_owned(), 1)
        ])
    );
}

#[test]
fn google_activities_with_event_arrays_in_every_layout() {
    let events = [
        google_activity("login_success", "99.230.10.20", "2026-03-05T01:12:44.000Z"),
        google_activity("login_failure", "211.234.10.20", "2026-03-05T02:00:00.000Z"),
    ];
    let (records, skipped) = every_layout(&events, &["items"], "google-workspace");
    assert_eq!(records.len(), 2);
    assert_eq!(
        skipped,
        BTreeMap::from([("login_challenge (not a sign-in)".to_owned(), 2)])
    );
    let login: Value = serde_json::from_str(&records[0]).unwrap_or_default();
    assert_eq!(login["vendor_user"], json!({"id": "114511147312345678901"}));
    let (_, single, _) = read(&pretty(&events[0]), "activity.json");
    assert_eq!(single, records[..1]);
}

#[test]
fn a_file_with_nothing_usable_says_what_it_held() {
    // An Okta export of administration only: read, no record, every event counted by type.
    let events: Vec<Value> = ["group.user_membership.add", "user.lifecycle.create"]
        .iter()
        .flat_map(|t| vec![okta_event(t, "99.230.10.20", "2026-03-05T01:12:44Z"); 2])
        .collect();
    let (format, records, skipped) = read(&pretty(&Value::Array(events)), "admin.json");
    assert_eq!(format, Format::Adapter("okta"));
    assert!(records.is_empty());
    assert_eq!(
        skipped,
        BTreeMap::from([
            ("group.user_membership.add (not a sign-in)".to_owned(), 2),
            ("user.lifecycle.create (not a sign-in)".to_owned(), 2),
        ])
    );
}
