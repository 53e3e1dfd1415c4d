//! `update` against a stand-in npm registry on 127.0.0.1: metadata, tarball download,
//! checksum verification, and the errors a user sees when any of it fails.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use redflag_intel::{IntelError, IpIntel, NetworkClass, Stage, update};
use sha2::Digest as _;

use crate::common;

/// Serves fixed answers by path to at most `max_requests` connections on `listener`,
/// then stops. Returns the base URL and the request heads received.
fn serve(
    listener: TcpListener,
    routes: HashMap<String, (u16, Vec<u8>)>,
    max_requests: usize,
) -> (String, Arc<Mutex<Vec<String>>>) {
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().take(max_requests) {
            let Ok(mut stream) = stream else { continue };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).into_owned();
            let path = head.split_whitespace().nth(1).unwrap_or("").to_owned();
            log.lock().unwrap().push(head);
            let (status, body) = routes
                .get(&path)
                .cloned()
                .unwrap_or((404, b"not found".to_vec()));
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    (base, seen)
}

fn local() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").unwrap()
}

const VERSION: &str = "2.3.2026061719";

fn packages() -> [(&'static str, &'static str, Vec<u8>); 2] {
    [
        (
            "geo-whois-asn-country",
            "@ip-location-db/geo-whois-asn-country",
            common::tarball(&[
                (
                    "geo-whois-asn-country-ipv4.csv",
                    "3.0.0.0,3.255.255.255,US\n",
                ),
                (
                    "package.json",
                    &common::package_json(
                        "@ip-location-db/geo-whois-asn-country",
                        VERSION,
                        "CC0-1.0",
                    ),
                ),
            ]),
        ),
        (
            "asn",
            "@ip-location-db/asn",
            common::tarball(&[
                (
                    "asn-ipv4.csv",
                    "3.0.0.0,3.255.255.255,16509,\"Amazon.com, Inc.\"\n",
                ),
                (
                    "package.json",
                    &common::package_json("@ip-location-db/asn", VERSION, "CC-BY-4.0"),
                ),
            ]),
        ),
    ]
}

/// A registry whose metadata points at its own tarballs; `tamper` corrupts the
/// published checksums.
fn registry(tamper: bool) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = local();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut routes = HashMap::new();
    for (short, name, tgz) in packages() {
        let path = format!("/{name}/-/{short}-{VERSION}.tgz");
        let mut sha512 =
            base64::engine::general_purpose::STANDARD.encode(sha2::Sha512::digest(&tgz));
        if tamper {
            sha512 = sha512.replace(|c: char| c.is_ascii_alphabetic(), "A");
        }
        let meta = serde_json::json!({
            "name": name,
            "dist-tags": { "latest": VERSION },
            "versions": { VERSION: { "dist": { "tarball": format!("{base}{path}"), "integrity": format!("sha512-{sha512}") } } }
        });
        routes.insert(
            format!("/{}", name.replacen('/', "%2F", 1)),
            (200, meta.to_string().into_bytes()),
        );
        routes.insert(path, (200, tgz));
    }
    serve(listener, routes, 8)
}

#[test]
fn update_downloads_verifies_and_imports_both_packages() {
    let (base, seen) = registry(false);
    let dir = tempfile::tempdir().unwrap();
    let stages = Mutex::new(Vec::new());
    let manifest = update(&format!("{base}/"), dir.path(), &|stage, _, _| {
        stages.lock().unwrap().push(stage)
    })
    .unwrap();
    assert_eq!(manifest.sources.len(), 2);
    for source in &manifest.sources {
        assert!(
            source.origin.starts_with(&base) && source.origin.ends_with(".tgz"),
            "{}",
            source.origin
        );
        assert!(
            source
                .integrity
                .as_deref()
                .is_some_and(|i| i.starts_with("sha512-"))
        );
        assert_eq!(source.date.as_deref(), Some("2026-06-17"));
    }
    let stages = stages.into_inner().unwrap();
    assert!(stages.contains(&Stage::Download("@ip-location-db/asn")));
    assert_eq!(stages.last(), Some(&Stage::Build));
    let heads = seen.lock().unwrap();
    assert!(
        heads[0].starts_with("GET /@ip-location-db%2Fgeo-whois-asn-country "),
        "{}",
        heads[0]
    );
    assert!(
        heads[0]
            .to_ascii_lowercase()
            .contains("application/vnd.npm.install-v1+json")
    );
    let intel = IpIntel::load(dir.path()).unwrap();
    let info = intel.lookup(common::ip("3.3.3.3"));
    assert_eq!((info.asn, info.class), (Some(16509), NetworkClass::Hosting));
    assert_eq!(info.country.map(|c| c.to_string()).as_deref(), Some("US"));
    let leftovers = std::fs::read_dir(dir.path()).unwrap().filter(|e| {
        e.as_ref()
            .is_ok_and(|e| e.file_name().to_string_lossy().starts_with(".download"))
    });
    assert_eq!(leftovers.count(), 0, "downloads are removed");
}

#[test]
fn a_tampered_download_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let before = redflag_intel::import(
        &[common::write(
            src.path(),
            "asn-ipv4.csv",
            "9.9.9.0,9.9.9.255,19281,Quad9\n",
        )],
        &[],
        dir.path(),
        &common::no_progress,
    )
    .unwrap();
    let (base, _) = registry(true);
    let err = update(&base, dir.path(), &|_, _, _| {}).err().unwrap();
    assert!(
        matches!(
            err,
            IntelError::Integrity {
                algorithm: "sha512",
                ..
            }
        ),
        "{err}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains(&base) && msg.contains("redflag intel import"),
        "{msg}"
    );
    assert_eq!(IpIntel::load(dir.path()).unwrap().status(), &before);
}

#[test]
fn registry_failures_name_the_url_and_suggest_import() {
    let dir = tempfile::tempdir().unwrap();
    let (base, _) = serve(local(), HashMap::new(), 1);
    let err = update(&base, dir.path(), &|_, _, _| {}).err().unwrap();
    let msg = err.to_string();
    assert!(matches!(err, IntelError::Network { .. }), "{msg}");
    assert!(
        msg.contains(&format!("{base}/@ip-location-db%2Fgeo-whois-asn-country")),
        "{msg}"
    );
    assert!(
        msg.contains("404") && msg.contains("redflag intel import"),
        "{msg}"
    );

    let not_json = HashMap::from([(
        "/@ip-location-db%2Fgeo-whois-asn-country".to_owned(),
        (200, b"<html>".to_vec()),
    )]);
    let (base, _) = serve(local(), not_json, 1);
    let err = update(&base, dir.path(), &|_, _, _| {}).err().unwrap();
    assert!(matches!(err, IntelError::Registry { .. }), "{err}");

    // Nothing listens on the port any more.
    let port = local().local_addr().unwrap().port();
    let err = update(
        &format!("http://127.0.0.1:{port}"),
        dir.path(),
        &|_, _, _| {},
    )
    .err()
    .unwrap();
    assert!(matches!(err, IntelError::Network { .. }), "{err}");
    assert!(matches!(
        IpIntel::load(dir.path()),
        Err(IntelError::NotLoaded { .. })
    ));
}
