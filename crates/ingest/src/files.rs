//! From the paths the user gave to the list of files to read.

use std::ffi::OsStr;
use std::fmt;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use crate::adapters::{Sniffed, read_head};
use crate::{OpenOptions, ReadError};

/// Extensions of files in a directory whose content is examined to see whether an
/// adapter recognises it. Other files are never opened, so a directory that also holds
/// archives, documents or images costs nothing extra.
const EXAMINED: &[&str] = &["json", "log", "csv", "tsv", "xml"];

/// The files to read, and the files of a folder left out on purpose.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    /// The files to read, in order (see [`input_files_with`]).
    pub files: Vec<PathBuf>,
    /// Files found in a folder and left out because they are never input: redflag's own
    /// results from an earlier scan (its `--output` saved in the folder it scans).
    pub passed_over: Vec<PassedOver>,
}

/// A file of a folder left out on purpose, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassedOver {
    /// The file.
    pub path: PathBuf,
    /// Why it was left out, as a sentence fragment.
    pub why: &'static str,
}

impl fmt::Display for PassedOver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.why)
    }
}

/// Expands the user's paths into the files to read, in order: [`input_files_with`] and
/// default options.
///
/// # Errors
///
/// As [`input_files_with`].
pub fn input_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ReadError> {
    input_files_with(paths, &OpenOptions::default())
}

/// Expands the user's paths into the files to read, in order.
///
/// - A file is taken as named, whatever its extension: the user chose it. Pipes and
///   character devices count as files, so `redflag scan <(zcat x.ndjson.gz)` and
///   `/dev/stdin` work.
/// - A directory contributes, sorted by name, every regular file directly in it whose
///   name ends in `.ndjson` or `.jsonl` (in any letter case), and every `*.json`,
///   `*.log`, `*.csv`, `*.tsv` or `*.xml` file whose content an adapter recognises (an
///   Okta, Entra or Google Workspace export, a CSV file whose header names the login
///   columns, under `options.csv_mapping` or the usual names, or an ISO 20022 payment
///   message, a JSON Resume). Other JSON and XML files, such as the demo's `truth.json`,
///   are left alone, and so is redflag's own output from an earlier scan, whatever its
///   name ([`find_inputs`] says which files that was). Subdirectories are **not**
///   searched, so
///   pointing at a directory never pulls in archives or backups below it. Hidden files
///   (names starting with `.`, such as the `._x.ndjson` resource forks macOS leaves on
///   shared drives) are skipped. Symbolic links are followed.
///
/// The result keeps the order of `paths`; a file named twice is listed twice (ingestion
/// is idempotent). No paths give no files.
///
/// # Errors
///
/// [`ReadError::NotFound`] if a path does not exist, [`ReadError::NotAFile`] if it is a
/// socket or similar, [`ReadError::NoInput`] if a directory holds no input file, and
/// [`ReadError::Io`] if a directory cannot be listed or an entry in it cannot be examined
/// (a dangling link named `x.ndjson`, or an unreadable `x.log`, say: the user may have
/// meant it to be read).
pub fn input_files_with(
    paths: &[PathBuf],
    options: &OpenOptions,
) -> Result<Vec<PathBuf>, ReadError> {
    find_inputs(paths, options).map(|inputs| inputs.files)
}

/// As [`input_files_with`], and also says which files of a folder were left out on
/// purpose (redflag's own results), so that the caller can tell the user.
///
/// # Errors
///
/// As [`input_files_with`].
pub fn find_inputs(paths: &[PathBuf], options: &OpenOptions) -> Result<Inputs, ReadError> {
    let mut inputs = Inputs::default();
    for path in paths {
        let metadata = fs::metadata(path).map_err(|error| match error.kind() {
            io::ErrorKind::NotFound => ReadError::NotFound { path: path.clone() },
            _ => ReadError::Io {
                path: path.clone(),
                error,
            },
        })?;
        if metadata.is_dir() {
            let (found, passed_over) = directory_inputs(path, options)?;
            inputs.passed_over.extend(passed_over);
            if found.is_empty() {
                return Err(ReadError::NoInput { path: path.clone() });
            }
            inputs.files.extend(found);
        } else if is_readable_kind(&metadata.file_type()) {
            inputs.files.push(path.clone());
        } else {
            return Err(ReadError::NotAFile { path: path.clone() });
        }
    }
    Ok(inputs)
}

/// The input files directly in a directory, sorted by name, and those left out on
/// purpose.
fn directory_inputs(
    dir: &Path,
    options: &OpenOptions,
) -> Result<(Vec<PathBuf>, Vec<PassedOver>), ReadError> {
    let io_error = |path: &Path| {
        let path = path.to_owned();
        move |error| ReadError::Io { path, error }
    };
    let mut found = Vec::new();
    let mut passed_over = Vec::new();
    for entry in fs::read_dir(dir).map_err(io_error(dir))? {
        let entry = entry.map_err(io_error(dir))?;
        let path = entry.path();
        let by_name = match candidate(&path) {
            Some(by_name) => by_name,
            None => continue,
        };
        // Follows symbolic links: a link to a file is read, a dangling one is an error.
        let metadata = fs::metadata(&path).map_err(io_error(&path))?;
        if !metadata.is_file() {
            continue;
        }
        let sniffed = sniff(&path, options).map_err(io_error(&path))?;
        match sniffed.adapter() {
            Some(adapter) => match adapter.passed_over() {
                Some(why) => passed_over.push(PassedOver { path, why }),
                None => found.push(path),
            },
            None if by_name => found.push(path),
            None => {}
        }
    }
    found.sort();
    passed_over.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((found, passed_over))
}

/// What a folder's file holds, judged by its first bytes.
fn sniff(path: &Path, options: &OpenOptions) -> io::Result<Sniffed> {
    let mut file = File::open(path)?;
    read_head(&mut file, path, options, true).map(|(_, sniffed)| sniffed)
}

/// Whether a file found in a directory may be input, judged by its name: `Some(true)`
/// if it is canonical NDJSON by name (its content is still examined, for redflag's own
/// results), `Some(false)` if its content must be recognised (see [`EXAMINED`]), `None`
/// if it is not input.
fn candidate(path: &Path) -> Option<bool> {
    let name = path.file_name().and_then(OsStr::to_str)?;
    if name.starts_with('.') {
        return None;
    }
    if has_extension(path, &["ndjson", "jsonl"]) {
        Some(true)
    } else if has_extension(path, EXAMINED) {
        Some(false)
    } else {
        None
    }
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
    fn candidate_names() {
        for yes in ["a.ndjson", "b.jsonl", "C.NDJSON", "d.JsonL", "x.y.ndjson"] {
            assert_eq!(candidate(Path::new(yes)), Some(true), "{yes}");
        }
        for examined in ["a.json", "okta.log", "L.CSV", "x.tsv", "pain.XML"] {
            assert_eq!(candidate(Path::new(examined)), Some(false), "{examined}");
        }
        for no in [
            "README.md",
            "ndjson",
            ".hidden.ndjson",
            "._a.ndjson",
            ".okta.log",
            "a.ndjson.gz",
            "a.ndjson~",
            "a.txt",
        ] {
            assert_eq!(candidate(Path::new(no)), None, "{no}");
        }
    }

    #[test]
    fn no_paths_give_no_files() {
        assert_eq!(input_files(&[]).ok(), Some(Vec::new()));
        assert_eq!(total_bytes(&[]), 0);
    }
}
