//! Expanding the user's paths into input files.

use std::fs;
use std::path::{Path, PathBuf};

use redflag_ingest::{ReadError, input_files, total_bytes};

fn touch(path: &Path, text: &str) {
    fs::write(path, text).expect("write");
}

#[test]
fn a_directory_gives_its_ndjson_and_jsonl_files_sorted_by_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    for name in [
        "c.ndjson",
        "a.jsonl",
        "b.NDJSON",
        "README.md",
        "notes.json",
        ".x.ndjson",
    ] {
        touch(&d.join(name), "{}\n");
    }
    // Subdirectories are not searched, even if their names look like input.
    fs::create_dir(d.join("archive")).expect("mkdir");
    touch(&d.join("archive/old.ndjson"), "{}\n");
    fs::create_dir(d.join("dir.ndjson")).expect("mkdir");

    let files = input_files(&[d.to_path_buf()]).expect("input files");
    assert_eq!(
        files,
        [d.join("a.jsonl"), d.join("b.NDJSON"), d.join("c.ndjson")]
    );
    assert_eq!(total_bytes(&files), 9);
}

#[test]
fn files_are_taken_as_named_whatever_their_extension_and_order_is_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    touch(&d.join("export.json"), "{}\n");
    touch(&d.join("log.txt"), "{}\n");
    fs::create_dir(d.join("more")).expect("mkdir");
    touch(&d.join("more/z.ndjson"), "{}\n");
    touch(&d.join("more/y.jsonl"), "{}\n");

    let paths = [d.join("log.txt"), d.join("more"), d.join("export.json")];
    let files = input_files(&paths).expect("input files");
    assert_eq!(
        files,
        [
            d.join("log.txt"),
            d.join("more/y.jsonl"),
            d.join("more/z.ndjson"),
            d.join("export.json")
        ]
    );
}

#[test]
fn a_missing_path_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("nope.ndjson");
    let e = input_files(std::slice::from_ref(&missing)).expect_err("missing");
    assert!(matches!(e, ReadError::NotFound { .. }));
    assert_eq!(
        e.to_string(),
        format!("{}: no such file or directory", missing.display())
    );
    assert_eq!(e.path(), missing);
}

#[test]
fn a_directory_without_input_says_what_it_looked_for() {
    let dir = tempfile::tempdir().expect("temp dir");
    touch(&dir.path().join("README.md"), "# hi\n");
    fs::create_dir(dir.path().join("sub")).expect("mkdir");
    touch(&dir.path().join("sub/a.ndjson"), "{}\n");
    let e = input_files(&[dir.path().to_path_buf()]).expect_err("no input");
    assert!(matches!(e, ReadError::NoInput { .. }));
    assert_eq!(
        e.to_string(),
        format!(
            "{}: the directory holds no *.ndjson or *.jsonl files and no export redflag recognises (subdirectories are not searched, and redflag's own results are not input)",
            dir.path().display()
        )
    );
}

#[cfg(unix)]
#[test]
fn links_are_followed_and_a_dangling_one_is_an_error() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    touch(&d.join("real.txt"), "{}\n");
    symlink(d.join("real.txt"), d.join("linked.ndjson")).expect("symlink");
    assert_eq!(
        input_files(&[d.to_path_buf()]).expect("input files"),
        [d.join("linked.ndjson")]
    );

    symlink(d.join("gone"), d.join("dangling.ndjson")).expect("symlink");
    let e = input_files(&[d.to_path_buf()]).expect_err("dangling");
    assert_eq!(
        e.to_string(),
        format!(
            "cannot read {}: no such file or directory",
            d.join("dangling.ndjson").display()
        )
    );
}

#[cfg(unix)]
#[test]
fn a_pipe_is_accepted_as_a_file_and_a_socket_is_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    let socket = dir.path().join("s.ndjson");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("bind");
    let e = input_files(std::slice::from_ref(&socket)).expect_err("socket");
    assert!(matches!(e, ReadError::NotAFile { .. }));
    assert!(
        e.to_string()
            .starts_with(&format!("{}: not a file", socket.display()))
    );

    // /dev/null is a character device, like /dev/stdin.
    let null = PathBuf::from("/dev/null");
    if null.exists() {
        let files = input_files(std::slice::from_ref(&null)).expect("device");
        assert_eq!(files, [null]);
        assert_eq!(total_bytes(&files), 0);
    }
}
