//! The API served on a random loopback port over a real SQLite store, driven over HTTP.

use std::collections::HashMap;
use std::net::SocketAddr;

use redflag_detect::Policy;
use redflag_pipeline::{Pipeline, ReferenceData};
use redflag_server::{AppState, Workspace};
use redflag_store::{NewApiKey, Role, SqliteStore, Store, Timestamp};
use serde_json::Value;

/// A running server, stopped when dropped, with a key of every role.
struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    db: std::path::PathBuf,
    keys: HashMap<Role, (String, String)>,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start(body_limit: usize) -> Server {
        Server::start_with(body_limit, false)
    }

    fn start_with(body_limit: usize, anonymous_admin: bool) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("r.db");
        let mut store = SqliteStore::open(&db).unwrap();
        let mut keys = HashMap::new();
        for role in Role::ALL {
            let key = redflag_server::keys::generate().unwrap();
            store
                .put_api_key(&NewApiKey {
                    id: &key.id,
                    name: role.as_str(),
                    role,
                    hash: &key.hash,
                    created_at: Timestamp::now(),
                })
                .unwrap();
            keys.insert(role, (key.id, key.text));
        }
        let mut state = AppState::new(
            Workspace {
                pipeline: Pipeline::new(Policy::default(), ReferenceData::none()),
                store: Box::new(store),
            },
            body_limit,
        );
        if anonymous_admin {
            state = state.allow_anonymous_admin();
        }
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                redflag_server::serve(listener, state, async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
            });
        });
        Server {
            addr: addr_rx.recv().unwrap(),
            stop: Some(stop),
            thread: Some(thread),
            db,
            keys,
            _dir: dir,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The key of `role`, as sent.
    fn key(&self, role: Role) -> &str {
        &self.keys[&role].1
    }

    /// The id of the key of `role`.
    fn id(&self, role: Role) -> &str {
        &self.keys[&role].0
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// A request with `authorization` as the header (none when `None`): (status,
/// `WWW-Authenticate`, JSON body). A `body` makes it a POST.
fn call(
    server: &Server,
    path: &str,
    authorization: Option<&str>,
    body: Option<&str>,
) -> (u16, Option<String>, Value) {
    let agent = agent();
    let mut response = match body {
        Some(body) => {
            let mut request = agent
                .post(&server.url(path))
                .content_type("application/x-ndjson");
            if let Some(a) = authorization {
                request = request.header("Authorization", a);
            }
            request.send(body).unwrap()
        }
        None => {
            let mut request = agent.get(&server.url(path));
            if let Some(a) = authorization {
                request = request.header("Authorization", a);
            }
            request.call().unwrap()
        }
    };
    let status = response.status().as_u16();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned());
    let text = response.body_mut().read_to_string().unwrap();
    (
        status,
        challenge,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn bearer(key: &str) -> String {
    format!("Bearer {key}")
}

/// (status, JSON body), as an admin.
fn get(server: &Server, path: &str) -> (u16, Value) {
    let (status, _, body) = call(server, path, Some(&bearer(server.key(Role::Admin))), None);
    (status, body)
}

fn post(server: &Server, path: &str, body: &str) -> (u16, Value) {
    let auth = bearer(server.key(Role::Admin));
    let (status, _, body) = call(server, path, Some(&auth), Some(body));
    (status, body)
}

const RECORDS: &str = r#"{"kind":"subject","id":"c-1","name":"Kevin Brooks","location":{"country":"US","timezone":"America/New_York"}}
{"kind":"interview","subject":"c-1","at":"2026-02-12T16:00:00Z","mode":"video","outcome":"completed","camera":"on","liveness_challenge":"failed","deepfake_indicators":["lip_sync_mismatch"]}
{"kind":"payment_request","subject":"c-1","at":"2026-03-20T12:00:00Z","method":"crypto","account":{"wallet":{"chain":"tron","address":"TQ1"}}}
{"kind":"subject","id":"c-2","name":"Ana Ruiz"}
"#;

#[test]
fn records_go_in_and_assessments_come_out() {
    let server = Server::start(redflag_server::DEFAULT_BODY_LIMIT);
    assert_eq!(get(&server, "/v1/health").1["status"], "ok");

    // A bad line is reported by number; the good ones are stored.
    let body = format!("{RECORDS}{{\"kind\":\"login\",\"subject\":\"c-2\"}}\n");
    let (status, result) = post(&server, "/v1/records", &body);
    assert_eq!(status, 200, "{result}");
    assert_eq!(result["accepted"], 4);
    assert_eq!(result["rejected"], 1);
    assert_eq!(result["errors"][0]["line"], 5);
    assert_eq!(result["assessed"], 2);
    // Sending the batch again stores nothing twice.
    let (_, again) = post(&server, "/v1/records", RECORDS);
    assert_eq!(
        (again["accepted"].clone(), again["duplicate"].clone()),
        (0.into(), 4.into())
    );
    // A JSON array works too.
    let (status, array) = post(
        &server,
        "/v1/records",
        r#"[{"kind":"subject","id":"c-3","name":"Li Wei"}]"#,
    );
    assert_eq!((status, array["accepted"].clone()), (200, 1.into()));

    let (status, one) = get(&server, "/v1/subjects/c-1");
    assert_eq!(status, 200);
    assert_eq!(one["name"], "Kevin Brooks");
    assert!(one["score"].as_u64().unwrap() > 30, "{one}");
    assert!(one["signals"].as_array().is_some_and(|s| !s.is_empty()));

    let (_, page) = get(&server, "/v1/subjects?limit=2");
    assert_eq!(page["total"], 3);
    assert_eq!(page["subjects"][0]["subject"], "c-1");
    assert_eq!(page["next_cursor"], 2);
    let (_, rest) = get(&server, "/v1/subjects?limit=2&cursor=2");
    assert_eq!(rest["subjects"].as_array().unwrap().len(), 1);
    assert!(rest["next_cursor"].is_null());
    let (_, found) = get(&server, "/v1/subjects?q=ruiz&sort=name");
    assert_eq!(found["subjects"][0]["subject"], "c-2");
    let (_, risky) = get(&server, "/v1/subjects?band=medium");
    assert!(
        risky["subjects"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["band"] != "low")
    );

    // Batches that changed nothing about c-1 added no point to its history; one that
    // does (a passport refused) adds one.
    let (status, history) = get(&server, "/v1/subjects/c-1/history");
    assert_eq!(status, 200);
    assert_eq!(history.as_array().unwrap().len(), 1, "{history}");
    let (status, _) = post(
        &server,
        "/v1/records",
        r#"{"kind":"document","subject":"c-1","doc_type":"passport","requested_at":"2026-02-01T10:00:00Z","status":"refused"}"#,
    );
    assert_eq!(status, 200);
    let (_, history) = get(&server, "/v1/subjects/c-1/history");
    assert_eq!(history.as_array().unwrap().len(), 2, "{history}");
    let (status, reassessed) = post(&server, "/v1/subjects/c-2/assess", "");
    assert_eq!((status, reassessed["subject"].clone()), (200, "c-2".into()));

    // Every view of someone's assessment is in the audit log, with where it came from.
    let log = SqliteStore::open(&server.db)
        .unwrap()
        .audit_log(100)
        .unwrap();
    let view = log
        .iter()
        .find(|e| e.action == "view.assessment" && e.target.as_deref() == Some("c-1"))
        .expect("the view was audited");
    assert!(
        view.detail["from"]
            .as_str()
            .unwrap()
            .starts_with("127.0.0.1:")
    );

    let (status, doc) = get(&server, "/v1/openapi.json");
    assert_eq!(status, 200);
    assert!(doc["paths"]["/v1/records"]["post"].is_object(), "{doc}");
    // The description says how to authenticate, and that health needs no key.
    assert_eq!(
        doc["components"]["securitySchemes"]["api_key"]["scheme"],
        "bearer"
    );
    assert_eq!(doc["security"][0]["api_key"], serde_json::json!([]));
    assert_eq!(
        doc["paths"]["/v1/health"]["get"]["security"],
        serde_json::json!([{}])
    );
    let assess = &doc["paths"]["/v1/subjects/{id}/assess"]["post"];
    let words = format!("{} {}", assess["summary"], assess["description"]);
    assert!(words.contains("Roles: analyst, admin"), "{assess}");
    // The list's filters are query parameters, none required.
    for p in doc["paths"]["/v1/subjects"]["get"]["parameters"]
        .as_array()
        .unwrap()
    {
        assert_eq!(
            (p["in"].as_str(), p["required"].as_bool()),
            (Some("query"), Some(false)),
            "{p}"
        );
    }
}

#[test]
fn errors_say_what_went_wrong_as_json() {
    let server = Server::start(1024);
    let (status, e) = get(&server, "/v1/subjects/nobody");
    assert_eq!((status, e["error"].clone()), (404, "not_found".into()));
    let (status, e) = get(&server, "/v1/subjects?band=purple");
    assert_eq!((status, e["error"].clone()), (400, "bad_request".into()));
    let (status, e) = post(&server, "/v1/records", "{\"kind\":\"login\"}\n");
    assert_eq!((status, e["error"].clone()), (422, "unprocessable".into()));
    assert!(e["message"].as_str().unwrap().contains("line 1"), "{e}");
    let (status, e) = post(&server, "/v1/records", "[{\"kind\":");
    assert_eq!((status, e["error"].clone()), (400, "bad_request".into()));
    let big = RECORDS.repeat(20);
    let (status, e) = post(&server, "/v1/records", &big);
    assert_eq!((status, e["error"].clone()), (413, "too_large".into()));
    assert!(e["message"].as_str().unwrap().contains("smaller batches"));
}

/// What each role gets from each route: 200, or 403 for a role the route does not allow.
#[test]
fn every_role_on_every_route() {
    let server = Server::start(redflag_server::DEFAULT_BODY_LIMIT);
    assert_eq!(post(&server, "/v1/records", RECORDS).0, 200);
    let routes: [(&str, Option<&str>); 5] = [
        ("/v1/records", Some(RECORDS)),
        ("/v1/subjects", None),
        ("/v1/subjects/c-1", None),
        ("/v1/subjects/c-1/history", None),
        ("/v1/subjects/c-1/assess", Some("")),
    ];
    let expected: [(Role, [u16; 5]); 4] = [
        (Role::Admin, [200, 200, 200, 200, 200]),
        (Role::Analyst, [200, 200, 200, 200, 200]),
        (Role::Ingest, [200, 403, 403, 403, 403]),
        (Role::Viewer, [403, 200, 200, 200, 403]),
    ];
    for (role, statuses) in expected {
        for ((path, body), want) in routes.iter().zip(statuses) {
            let (status, _, answer) = call(&server, path, Some(&bearer(server.key(role))), *body);
            assert_eq!(status, want, "{role} on {path}: {answer}");
            if want == 403 {
                assert_eq!(answer["error"], "forbidden");
                let message = answer["message"].as_str().unwrap();
                assert!(
                    message.contains("needs the role") && message.contains(server.id(role)),
                    "{message}"
                );
            }
        }
    }
    // Health and the API description are open to all.
    assert_eq!(call(&server, "/v1/health", None, None).0, 200);
    assert_eq!(call(&server, "/v1/openapi.json", None, None).0, 200);
}

#[test]
fn no_key_or_a_bad_key_is_answered_401_with_what_to_do() {
    let server = Server::start(redflag_server::DEFAULT_BODY_LIMIT);
    let viewer = server.key(Role::Viewer).to_owned();
    let wrong_secret = format!(
        "{}{}",
        &viewer[..viewer.len() - 1],
        if viewer.ends_with('0') { '1' } else { '0' }
    );
    let unknown = format!("rf_zzzzzzzzzz_{}", "0".repeat(64));
    for authorization in [
        None,
        Some("Basic dXNlcjpwYXNz".to_owned()),
        Some("Bearer not-a-key".to_owned()),
        Some(bearer(&unknown)),
        Some(bearer(&wrong_secret)),
    ] {
        for (path, body) in [("/v1/subjects", None), ("/v1/records", Some(RECORDS))] {
            let (status, challenge, answer) = call(&server, path, authorization.as_deref(), body);
            assert_eq!(status, 401, "{authorization:?} on {path}: {answer}");
            assert_eq!(challenge.as_deref(), Some("Bearer"));
            assert_eq!(answer["error"], "unauthorized");
            let message = answer["message"].as_str().unwrap();
            assert!(
                message.contains("Authorization: Bearer <key>")
                    && message.contains("redflag keys create"),
                "{message}"
            );
            assert!(
                !message.contains(&viewer[14..]),
                "the secret is never echoed"
            );
        }
    }
    // The right key still works after the wrong ones (nothing wrong was remembered).
    assert_eq!(
        call(&server, "/v1/subjects", Some(&bearer(&viewer)), None).0,
        200
    );
}

#[test]
fn a_revoked_key_is_refused_at_once_even_after_it_was_used() {
    let server = Server::start(redflag_server::DEFAULT_BODY_LIMIT);
    let ingest = bearer(server.key(Role::Ingest));
    assert_eq!(
        call(&server, "/v1/records", Some(&ingest), Some(RECORDS)).0,
        200
    );
    assert!(
        SqliteStore::open(&server.db)
            .unwrap()
            .revoke_api_key(server.id(Role::Ingest), Timestamp::now())
            .unwrap()
    );
    let (status, challenge, answer) = call(&server, "/v1/records", Some(&ingest), Some(RECORDS));
    assert_eq!(
        (status, challenge.as_deref()),
        (401, Some("Bearer")),
        "{answer}"
    );
    assert!(
        answer["message"].as_str().unwrap().contains("revoked"),
        "{answer}"
    );
    // The other keys are untouched.
    assert_eq!(post(&server, "/v1/records", RECORDS).0, 200);
}

#[test]
fn the_audit_log_names_the_key_that_acted() {
    let server = Server::start(redflag_server::DEFAULT_BODY_LIMIT);
    let (ingest, viewer) = (server.key(Role::Ingest), server.key(Role::Viewer));
    assert_eq!(
        call(&server, "/v1/records", Some(&bearer(ingest)), Some(RECORDS)).0,
        200
    );
    assert_eq!(
        call(&server, "/v1/subjects/c-1", Some(&bearer(viewer)), None).0,
        200
    );
    let log = SqliteStore::open(&server.db)
        .unwrap()
        .audit_log(100)
        .unwrap();
    let scan = log
        .iter()
        .find(|e| e.action == "scan")
        .expect("the batch was audited");
    assert_eq!(scan.actor, format!("api:{}", server.id(Role::Ingest)));
    let view = log
        .iter()
        .find(|e| e.action == "view.assessment")
        .expect("the view was audited");
    assert_eq!(view.actor, format!("api:{}", server.id(Role::Viewer)));
}

#[test]
fn insecure_loopback_lets_requests_without_a_key_in_and_still_checks_keys_sent() {
    let server = Server::start_with(redflag_server::DEFAULT_BODY_LIMIT, true);
    assert_eq!(call(&server, "/v1/records", None, Some(RECORDS)).0, 200);
    assert_eq!(call(&server, "/v1/subjects/c-1", None, None).0, 200);
    let viewer = bearer(server.key(Role::Viewer));
    assert_eq!(
        call(&server, "/v1/records", Some(&viewer), Some(RECORDS)).0,
        403
    );
    assert_eq!(
        call(&server, "/v1/subjects", Some("Bearer nonsense"), None).0,
        401
    );
    let log = SqliteStore::open(&server.db)
        .unwrap()
        .audit_log(100)
        .unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "view.assessment" && e.actor == "api:insecure-loopback")
    );
}
