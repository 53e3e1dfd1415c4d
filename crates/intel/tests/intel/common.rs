//! Helpers shared by the integration tests.

use std::io::Write;
use std::path::{Path, PathBuf};

/// `../shared/data` beside the repository, or `None` (after saying so) when it is absent
/// outside CI. Under `CI=true` its absence fails the test.
pub fn shared_data() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{} is missing and CI=true",
        dir.display()
    );
    println!("skipped: {} is missing", dir.display());
    None
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// An npm-style tarball: `package/<name>` for each member.
pub fn tarball(members: &[(&str, &str)]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    for (name, text) in members {
        let mut header = tar::Header::new_ustar();
        header.set_size(text.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, format!("package/{name}"), text.as_bytes())
            .unwrap();
    }
    let mut gz = tar.into_inner().unwrap();
    gz.flush().unwrap();
    gz.finish().unwrap()
}

pub fn package_json(name: &str, version: &str, license: &str) -> String {
    format!(r#"{{"name":"{name}","version":"{version}","license":"{license}"}}"#)
}

pub fn ip(s: &str) -> std::net::IpAddr {
    s.parse().unwrap()
}

pub fn no_progress(_: u64, _: u64) {}
