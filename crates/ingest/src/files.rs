//! From the paths the user gave to the list of files to read.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::ReadError;

/// Expands the user's paths into the files to read, in order.
///
/// - A file is taken as named, whatever its extension: the user chose it. Pipes and
///   character devices count as files, so `redflag scan <(zcat x.ndjson.gz)` and
///   `/dev/stdin` work.
/// - A directory contributes every regular file directly in it whose name ends in
///   `.ndjson` or `.jsonl` (in any letter case), sorted by name. Subdirectories are **not**
///   searched, so pointing at a directory never pulls in archives or backups below it.
///   Hidden files (names starting with `.`, such as the `._x.ndjson` resource forks macOS
///   leaves on shared drives) are skipped. Symbolic links are followed.
///
/// The result keeps the order of `paths`; a file named twice is listed twice (ingestion
/// is idempotent). No paths give no files.
///
/// # Errors
///
/// [`ReadError::NotFound`] if a path does not exist, [`ReadError::NotAFile`] if it is a
/// socket or similar, [`ReadError::NoInput`] if a directory holds no input file, and
/// [`ReadError::Io`] if a directory cannot be listed or an entry in it cannot be examined
/// (a dangling link named `x.ndjson`, say: the user meant it to be read).
pub fn input_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ReadError> {
    let mut files = Vec::new();
    for path in paths {
        let metadata = fs::metadata(path).map_err(|error| match error.kind() {
            io::ErrorKind::NotFound => ReadError::NotFound { path: path.clone() },
            _ => ReadError::Io {
                path: path.clone(),
                error,
            },
        })?;
        if metadata.is_dir() {
            let found = directory_inputs(path)?;
            if found.is_empty() {
                return Err(ReadError::NoInput { path: path.clone() });
            }
            files.extend(found);
        } else if is_readable_kind(&metadata.file_type()) {
            files.push(path.clone());
        } else {
            return Err(ReadError::NotAFile { path: path.clone() });
        }
    }
    Ok(files)
}

/// The input files directly in a directory, sorted by name.
fn directory_inputs(dir: &Path) -> Result<Vec<PathBuf>, ReadError> {
    let io_error = |path: &Path| {
        let path = path.to_owned();
        move |error| ReadError::Io { path, error }
    };
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).map_err(io_error(dir))? {
        let entry = entry.map_err(io_error(dir))?;
        let path = entry.path();
        if !recognised(&path) {
            continue;
        }
        // Follows symbolic links: a link to a file is read, a dangling one is an error.
        let metadata = fs::metadata(&path).map_err(io_error(&path))?;
        if metadata.is_file() {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// Whether a file found in a directory is input, judged by its name. Adapters register
/// the files they recognise here.
fn recognised(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(OsStr::to_str) else {
        return false;
    };
    if name.starts_with('.') {
        return false;
    }
    has_extension(path, &["ndjson", "jsonl"])
}

fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(OsStr::to_str)
        .is_some_and(|ext| extensions.iter().any(|e| ext.eq_ignore_ascii_case(e)))
}

/// Regular files, and on Unix the things a shell hands over as files: pipes (process
/// substitution) and character devices (`/dev/stdin`).
fn is_readable_kind(file_type: &fs::FileType) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        file_type.is_file() || file_type.is_fifo() || file_type.is_char_device()
    }
    #[cfg(not(unix))]
    {
        !file_type.is_dir()
    }
}

/// The total size in bytes of the given files, for a progress bar. Files whose size is
/// not known in advance (pipes, or files that cannot be examined) count as zero.
pub fn total_bytes(files: &[PathBuf]) -> u64 {
    files
        .iter()
        .filter_map(|f| fs::metadata(f).ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognised_names() {
        for yes in ["a.ndjson", "b.jsonl", "C.NDJSON", "d.JsonL", "x.y.ndjson"] {
            assert!(recognised(Path::new(yes)), "{yes}");
        }
        for no in [
            "README.md",
            "a.json",
            "ndjson",
            ".hidden.ndjson",
            "._a.ndjson",
            "a.ndjson.gz",
            "a.ndjson~",
        ] {
            assert!(!recognised(Path::new(no)), "{no}");
        }
    }

    #[test]
    fn no_paths_give_no_files() {
        assert_eq!(input_files(&[]).ok(), Some(Vec::new()));
        assert_eq!(total_bytes(&[]), 0);
    }
}
