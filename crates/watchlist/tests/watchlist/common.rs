//! Helpers shared by the test modules: the fixtures in `tests/fixtures`, and access to the
//! real list files in `shared/data/sanctions` beside the repository.

use std::path::{Path, PathBuf};

/// `shared/data/sanctions`, or `None` (after saying so) when it is absent. CI has it, so
/// there its absence fails the test instead of skipping it.
pub fn sanctions_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/sanctions");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{} is missing; CI must have shared/data", dir.display());
    }
    println!("skipped: {} is absent", dir.display());
    None
}

/// `tests/fixtures/<name>`: small files built from the publishers' schemas.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}
