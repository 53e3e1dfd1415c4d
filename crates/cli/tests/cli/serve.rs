//! `redflag serve` as a process: killed with SIGKILL in the middle of a large upload, it
//! loses nothing it acknowledged and stores nothing twice when the client sends again.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// An ingest key for `db`, made as a person would: `redflag keys create`.
fn ingest_key(db: &std::path::Path, data: &std::path::Path) -> String {
    let out = Command::new(assert_cmd::cargo::cargo_bin("redflag"))
        .env("REDFLAG_DATA_DIR", data)
        .args([
            "keys", "create", "--name", "feed", "--role", "ingest", "--db",
        ])
        .arg(db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// A server process on a port of its own choosing, and its address.
fn start(db: &std::path::Path, data: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("redflag"))
        .env("REDFLAG_DATA_DIR", data)
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(db)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let address = loop {
        let line = lines
            .next()
            .expect("the server said where it listens")
            .unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split("/v1").next().unwrap().to_owned();
        }
    };
    // Keep reading stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, address)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// One batch of `n` records about subject `s-{batch}`.
fn batch(batch: usize, n: usize) -> String {
    let mut body =
        format!("{{\"kind\":\"subject\",\"id\":\"s-{batch}\",\"name\":\"Person {batch}\"}}\n");
    for i in 0..n {
        body.push_str(&format!(
            "{{\"kind\":\"login\",\"subject\":\"s-{batch}\",\"at\":\"2026-03-{:02}T{:02}:{:02}:00Z\",\"ip\":\"24.12.{}.{}\"}}\n",
            1 + i % 28,
            i / 60 % 24,
            i % 60,
            batch % 250,
            1 + i % 250
        ));
    }
    body
}

fn stored(db: &std::path::Path) -> u64 {
    use redflag_store::Store;
    redflag_store::SqliteStore::open(db)
        .unwrap()
        .record_count()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn a_killed_server_keeps_what_it_acknowledged_and_a_resend_stores_nothing_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("r.db");
    let data = tmp.path().join("data");
    let key = format!("Bearer {}", ingest_key(&db, &data));
    let (mut server, address) = start(&db, &data);
    let batches: Vec<String> = (0..80).map(|b| batch(b, 400)).collect();
    // Upload on another thread; kill the server while it is busy.
    let uploader = {
        let address = address.clone();
        let batches = batches.clone();
        let key = key.clone();
        std::thread::spawn(move || {
            let agent = agent();
            let mut acknowledged = Vec::new();
            for (i, body) in batches.iter().enumerate() {
                match agent
                    .post(&format!("http://{address}/v1/records"))
                    .header("Authorization", &key)
                    .content_type("application/x-ndjson")
                    .send(body.as_str())
                {
                    Ok(r) if r.status() == 200 => acknowledged.push(i),
                    _ => break,
                }
            }
            acknowledged
        })
    };
    // Wait until some batches are in, then kill mid-stream.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while stored(&db) < 2_000 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let acknowledged = uploader.join().unwrap();
    assert!(
        !acknowledged.is_empty() && acknowledged.len() < batches.len(),
        "the kill should land mid-upload: {} of {} acknowledged",
        acknowledged.len(),
        batches.len()
    );
    let per_batch = 401;
    let after_kill = stored(&db);
    assert!(
        after_kill >= acknowledged.len() as u64 * per_batch,
        "{after_kill} stored, {} batches acknowledged",
        acknowledged.len()
    );
    // Whole batches only: a batch is one unit of work.
    assert_eq!(
        after_kill % per_batch,
        0,
        "{after_kill} records: a batch was half stored"
    );

    // Restart and send everything again: nothing is stored twice.
    let (mut server, address) = start(&db, &data);
    let agent = agent();
    let mut duplicates = 0;
    for body in &batches {
        let mut r = agent
            .post(&format!("http://{address}/v1/records"))
            .header("Authorization", &key)
            .content_type("application/x-ndjson")
            .send(body.as_str())
            .unwrap();
        assert_eq!(r.status(), 200);
        let result: serde_json::Value =
            serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
        duplicates += result["duplicate"].as_u64().unwrap();
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(duplicates, after_kill);
    assert_eq!(stored(&db), batches.len() as u64 * per_batch);
}
