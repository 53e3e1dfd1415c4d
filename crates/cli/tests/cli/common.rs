//! Helpers shared by the tests that use the shared reference data.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// `../shared/data`, or `None` (with a note) when absent; absent under `CI=true` fails.
pub fn shared_data() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true but {} is missing",
        dir.display()
    );
    eprintln!("skipped: {} not found", dir.display());
    None
}

/// The binary with its own data directory.
pub fn redflag(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("redflag").expect("binary");
    cmd.arg("--data-dir").arg(data);
    cmd
}
