//! The list store: import → load round trips, versions and history, atomicity, and
//! `update` against a server on the loopback address.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use redflag_watchlist::{
    ImportOptions, ListError, ListId, UpdateConfig, UpdateEvent, UpdateSource, history, import,
    load, load_version, status, update,
};

use crate::common::{self, fixture};

fn manifest(dir: &Path) -> PathBuf {
    dir.join("lists/manifest.json")
}

#[test]
fn nothing_imported_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = load(dir.path()).expect_err("no lists yet");
    assert!(matches!(err, ListError::NoLists { .. }));
    let text = err.to_string();
    assert!(
        text.contains("redflag lists update") && text.contains("redflag lists import"),
        "{text}"
    );
    assert!(status(dir.path()).is_err());
}

#[test]
fn import_then_load_round_trip_with_history() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path();
    let imported = import(
        &[fixture("SDN.XML"), fixture("kp_sanctions.jsonl")],
        data,
        &ImportOptions::default(),
    )
    .expect("imports");
    assert_eq!(imported.len(), 2);
    let (ofac, _) = &imported[0];
    assert_eq!(ofac.list, ListId::OfacSdn);
    assert_eq!(ofac.published.as_deref(), Some("2025-12-05"));
    assert_eq!(ofac.source, "SDN.XML");
    assert_eq!(ofac.entity_count, 4);
    assert_eq!(ofac.sha256.len(), 64);
    assert_eq!(
        imported[1].0.list,
        ListId::OpenSanctions("kp_sanctions".into())
    );

    // The manifest is the last file written.
    let manifest_time = fs::metadata(manifest(data))
        .and_then(|m| m.modified())
        .expect("manifest");
    for entry in fs::read_dir(data.join("lists")).expect("lists folder") {
        let path = entry.expect("entry").path();
        let modified = fs::metadata(&path)
            .and_then(|m| m.modified())
            .expect("mtime");
        assert!(
            modified <= manifest_time,
            "{} written after the manifest",
            path.display()
        );
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        assert!(
            !name.contains(".tmp"),
            "temporary file left: {}",
            path.display()
        );
    }

    let loaded = load(data).expect("loads");
    assert_eq!(loaded.entities.len(), 4 + 6);
    assert_eq!(loaded.versions, status(data).expect("status"));
    assert!(
        loaded
            .entities
            .iter()
            .any(|e| e.id == "OFAC-27307" && e.wallets.len() == 2)
    );

    // The same file again changes nothing.
    let again = import(&[fixture("SDN.XML")], data, &ImportOptions::default()).expect("re-imports");
    assert_eq!(again[0].0, *ofac);
    assert_eq!(history(data).expect("history").len(), 2);

    // A changed file becomes current; the old version stays loadable.
    let changed = data.join("SDN.XML");
    let text = fs::read_to_string(fixture("SDN.XML")).expect("fixture");
    fs::write(
        &changed,
        text.replace(
            "<lastName>LAZARUS GROUP</lastName>",
            "<lastName>LAZARUS GROUP RENAMED</lastName>",
        ),
    )
    .expect("write");
    let newer = import(&[changed], data, &ImportOptions::default()).expect("imports the change");
    assert_ne!(newer[0].0.sha256, ofac.sha256);
    let all = history(data).expect("history");
    assert_eq!(all.len(), 3);
    assert_eq!(all[0], newer[0].0, "current first");
    assert_eq!(all[1], *ofac, "then the version it replaced");
    let current = load(data).expect("loads");
    assert!(
        current
            .entities
            .iter()
            .any(|e| e.primary_name == "LAZARUS GROUP RENAMED")
    );
    let old = load_version(data, ofac).expect("old version still there");
    assert!(old.iter().any(|e| e.primary_name == "LAZARUS GROUP"));
}

#[test]
fn a_bad_file_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path();
    import(&[fixture("SDN.XML")], data, &ImportOptions::default()).expect("imports");
    let before = fs::read(manifest(data)).expect("manifest");

    let broken = data.join("consolidated.xml");
    fs::write(
        &broken,
        "<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL>\n</ENTITIES>",
    )
    .expect("write");
    let err = import(
        &[fixture("kp_sanctions.jsonl"), broken],
        data,
        &ImportOptions::default(),
    )
    .expect_err("broken XML");
    assert!(
        err.to_string().starts_with("consolidated.xml line 4"),
        "{err}"
    );

    let unknown = data.join("notes.txt");
    fs::write(&unknown, "hello").expect("write");
    let err = import(&[unknown], data, &ImportOptions::default()).expect_err("not a list");
    assert!(matches!(err, ListError::Unrecognised { .. }), "{err}");

    let alt = data.join("alt.csv");
    fs::write(&alt, "1,2,\"aka\",\"X\",-0- \r\n").expect("write");
    let err = import(&[alt], data, &ImportOptions::default()).expect_err("alt.csv alone");
    assert!(matches!(err, ListError::MissingOfacSdn { .. }), "{err}");

    let empty = data.join("sdn.csv");
    fs::write(&empty, "Service temporarily unavailable\r\n").expect("write");
    let err = import(&[empty], data, &ImportOptions::default()).expect_err("no entries");
    assert!(
        err.to_string()
            .starts_with("sdn.csv whole file, entries: no entity could be read"),
        "{err}"
    );

    let err = import(
        &[fixture("SDN.XML"), fixture("SDN.XML")],
        data,
        &ImportOptions::default(),
    )
    .expect_err("same list twice");
    assert!(matches!(err, ListError::DuplicateList { .. }), "{err}");

    assert_eq!(fs::read(manifest(data)).expect("manifest"), before);
}

#[test]
fn the_shared_lists_import_and_load() {
    let Some(sanctions) = common::sanctions_dir() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path();
    let imported = import(
        &[
            sanctions.join("ofac"),
            sanctions.join("un/consolidated.xml"),
            sanctions.join("canada/sema-lmes.xml"),
        ],
        data,
        &ImportOptions::default(),
    )
    .expect("imports");
    let lists: Vec<String> = imported.iter().map(|(v, _)| v.list.to_string()).collect();
    assert_eq!(lists, ["OFAC-SDN", "UN", "CA-SEMA"]);
    let (ofac, report) = &imported[0];
    assert_eq!(
        ofac.source,
        "sdn.csv + alt.csv + add.csv + sdn_comments.csv"
    );
    assert!(report.orphan_count > 0);

    // The OFAC files given one by one, in any order, are the same version.
    let files: Vec<PathBuf> = ["sdn_comments.csv", "add.csv", "sdn.csv", "alt.csv"]
        .iter()
        .map(|f| sanctions.join("ofac").join(f))
        .collect();
    let again = import(&files, data, &ImportOptions::default()).expect("imports the files");
    assert_eq!(again[0].0.sha256, ofac.sha256);

    // How fast this is belongs to `redflag bench`, not to a test: a debug build on a busy
    // machine says nothing about it.
    let loaded = load(data).expect("loads");
    let total: usize = imported.iter().map(|(v, _)| v.entity_count).sum();
    assert_eq!(loaded.entities.len(), total);
}

/// A server on the loopback address that answers `count` requests with `respond(path)`
/// and stops by itself after them or after 30 seconds.
fn serve(count: usize, respond: fn(&str) -> (u16, Vec<u8>)) -> (String, thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    listener.set_nonblocking(true).expect("nonblocking");
    let handle = thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut served = 0;
        while served < count && Instant::now() < deadline {
            let Ok((mut stream, _)) = listener.accept() else {
                thread::sleep(Duration::from_millis(10));
                continue;
            };
            served += 1;
            let _ = stream.set_nonblocking(false);
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let text = String::from_utf8_lossy(&request);
            let path = text.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (status, body) = respond(&path);
            let head = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nLast-Modified: Fri, 05 Dec 2025 10:00:00 GMT\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    (base, handle)
}

#[test]
fn update_downloads_imports_and_reports_failures_by_url() {
    let (base, server) = serve(4, |path| {
        match path {
        "/SDN.XML" => (200, fs::read(fixture("SDN.XML")).unwrap_or_default()),
        "/sema-lmes.xml" => (
            200,
            b"<data-set><record><Country>Burma</Country><Entity>Air Bagan</Entity><Schedule>1</Schedule><Item>1</Item></record></data-set>"
                .to_vec(),
        ),
        "/error-page.xml" => (200, b"<html><body>Service unavailable</body></html>".to_vec()),
        _ => (404, b"not found".to_vec()),
    }
    });
    let config = UpdateConfig {
        import: ImportOptions::default(),
        sources: vec![
            UpdateSource {
                list: ListId::OfacSdn,
                urls: vec![format!("{base}/SDN.XML")],
            },
            UpdateSource {
                list: ListId::Un,
                urls: vec![format!("{base}/consolidated.xml")],
            },
            UpdateSource {
                list: ListId::Canada,
                urls: vec![format!("{base}/sema-lmes.xml")],
            },
            UpdateSource {
                list: ListId::OpenSanctions("kp".into()),
                urls: vec![format!("{base}/error-page.xml")],
            },
        ],
        timeout: Duration::from_secs(20),
        max_bytes: 1 << 20,
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut events = Vec::new();
    let outcome = update(&config, dir.path(), &mut |e| {
        events.push(match e {
            UpdateEvent::Downloading { url } => format!("downloading {url}"),
            UpdateEvent::Downloaded { url, bytes } => format!("downloaded {url} {bytes}"),
            UpdateEvent::Imported { version } => format!("imported {}", version.list),
        })
    })
    .expect("the store is writable");
    let _ = server.join();

    assert_eq!(outcome.imported.len(), 2, "{:?}", outcome.failed);
    let ofac = &outcome.imported[0].0;
    assert_eq!(ofac.list, ListId::OfacSdn);
    assert_eq!(ofac.source, format!("{base}/SDN.XML"));
    assert_eq!(
        ofac.published.as_deref(),
        Some("2025-12-05"),
        "the file's own date"
    );
    let canada = &outcome.imported[1].0;
    assert_eq!(canada.list, ListId::Canada);
    assert_eq!(
        canada.published.as_deref(),
        Some("2025-12-05"),
        "from Last-Modified"
    );
    assert!(
        events.contains(&"imported OFAC-SDN".to_string()),
        "{events:?}"
    );
    let downloaded = format!("downloaded {base}/SDN.XML ");
    assert!(
        events.iter().any(|e| e.starts_with(&downloaded)),
        "{events:?}"
    );

    assert_eq!(outcome.failed.len(), 2);
    let messages: Vec<String> = outcome.failed.iter().map(ToString::to_string).collect();
    assert!(
        messages[0].contains(&format!("{base}/consolidated.xml"))
            && messages[0].contains("HTTP 404"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].contains(&format!("{base}/error-page.xml"))
            && messages[1].contains("not a list file for OS-kp"),
        "{}",
        messages[1]
    );
    assert!(
        messages
            .iter()
            .all(|m| m.contains("redflag lists import FILE..."))
    );

    // The successful list is in the store and the download folder is gone.
    assert_eq!(status(dir.path()).expect("status").len(), 2);
    let leftovers: Vec<_> = fs::read_dir(dir.path().join("lists"))
        .expect("lists")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".download"))
        .collect();
    assert!(leftovers.is_empty());
}

/// Half an sdn.csv (cut inside a quoted field, or between rows) is refused and the
/// version in force stays; a whole file that lost many entities needs `force`.
#[test]
fn a_cut_short_or_shrunken_list_does_not_replace_the_one_in_force() {
    let Some(sanctions) = common::sanctions_dir() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path();
    let ofac = sanctions.join("ofac");
    let whole =
        import(std::slice::from_ref(&ofac), data, &ImportOptions::default()).expect("imports");
    let before = fs::read(manifest(data)).expect("manifest");

    let sdn = fs::read(ofac.join("sdn.csv")).expect("sdn.csv");
    let cut = dir.path().join("cut");
    fs::create_dir(&cut).expect("folder");
    let half = &sdn[..sdn.len() / 2];
    // Cut inside a quoted field wherever the middle falls, else just after a quote.
    let inside = half.iter().filter(|&&b| b == b'"').count() % 2 == 1;
    let half = if inside {
        half
    } else {
        let quote = half.iter().rposition(|&b| b == b'"').expect("a quote");
        &half[..quote + 1]
    };
    fs::write(cut.join("sdn.csv"), half).expect("write");
    let e = import(&[cut.join("sdn.csv")], data, &ImportOptions::default()).expect_err("cut");
    assert!(
        e.to_string()
            .contains("the file ends inside a quoted field"),
        "{e}"
    );

    // Whole rows, but only half of them: refused for shrinking, taken with force.
    let mut rows: Vec<u8> = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&sdn[..]);
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(&mut rows);
    let total = reader.records().count();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&sdn[..]);
    for record in reader.records().take(total / 2) {
        writer.write_record(&record.expect("row")).expect("write");
    }
    drop(writer);
    fs::write(cut.join("sdn.csv"), &rows).expect("write");
    let e = import(&[cut.join("sdn.csv")], data, &ImportOptions::default()).expect_err("shrunk");
    assert!(matches!(e, ListError::Shrunk { .. }), "{e}");
    assert!(e.to_string().contains("--force"), "{e}");
    assert_eq!(fs::read(manifest(data)).expect("manifest"), before);
    let forced = import(
        &[cut.join("sdn.csv")],
        data,
        &ImportOptions { max_shrink: None },
    )
    .expect("forced");
    assert!(forced[0].0.entity_count < whole[0].0.entity_count);
}

#[test]
fn lists_older_than_the_policy_age_are_named() {
    let version = |published: Option<&str>, loaded_at: &str| redflag_watchlist::ListVersion {
        list: ListId::Un,
        published: published.map(str::to_owned),
        source: "x".into(),
        sha256: "0".repeat(64),
        entity_count: 1,
        loaded_at: loaded_at.into(),
    };
    let now: jiff::Timestamp = "2026-03-10T12:00:00Z".parse().expect("time");
    let fresh = version(Some("2026-03-05"), "2026-03-06T00:00:00Z");
    let old = version(Some("2026-02-27"), "2026-03-09T00:00:00Z");
    let undated = version(None, "2026-01-01T00:00:00Z");
    assert!(redflag_watchlist::stale(&[fresh], 7, now).is_empty());
    let warnings = redflag_watchlist::stale(&[old, undated], 7, now);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].starts_with("UN is 11 days old (published 2026-02-27"),
        "{warnings:?}"
    );
    assert!(
        warnings[1].contains("undated, imported 2026-01-01"),
        "{warnings:?}"
    );
}
