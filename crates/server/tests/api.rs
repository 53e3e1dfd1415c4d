//! The API served on a random loopback port over a real SQLite store, driven over HTTP.

use std::net::SocketAddr;

use redflag_detect::Policy;
use redflag_pipeline::{Pipeline, ReferenceData};
use redflag_server::{AppState, Workspace};
use redflag_store::{SqliteStore, Store};
use serde_json::Value;

/// A running server, stopped when dropped.
struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    db: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start(body_limit: usize) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("r.db");
        let store = SqliteStore::open(&db).unwrap();
        let state = AppState::new(
            Workspace {
                pipeline: Pipeline::new(Policy::default(), ReferenceData::none()),
                store: Box::new(store),
            },
            body_limit,
        );
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
            _dir: dir,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
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

/// (status, JSON body)
fn get(server: &Server, path: &str) -> (u16, Value) {
    let mut response = agent().get(&server.url(path)).call().unwrap();
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn post(server: &Server, path: &str, body: &str) -> (u16, Value) {
    let mut response = agent()
        .post(&server.url(path))
        .content_type("application/x-ndjson")
        .send(body)
        .unwrap();
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
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

    let (status, history) = get(&server, "/v1/subjects/c-1/history");
    assert_eq!(status, 200);
    assert!(history.as_array().unwrap().len() >= 2, "{history}");
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
