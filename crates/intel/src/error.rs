//! Errors worded for the person running redflag: what went wrong, where, and what to do.

use std::io;
use std::path::PathBuf;

/// Why IP intelligence could not be loaded, imported or downloaded.
#[derive(Debug, thiserror::Error)]
pub enum IntelError {
    /// No data set in the folder yet (its manifest is missing).
    #[error(
        "no IP intelligence in {}: run `redflag intel update` to download it, or `redflag intel import FILE...` to build it from copies of the ip-location-db files",
        dir.display()
    )]
    NotLoaded {
        /// The intel folder that was searched.
        dir: PathBuf,
    },
    /// A row of a data file could not be read.
    #[error("{file}, line {line}: {message}")]
    Csv {
        /// The file (for a tarball, `tarball:member`).
        file: String,
        /// The line, counting from 1.
        line: u64,
        /// What is wrong with it.
        message: String,
    },
    /// A line of a user list could not be read.
    #[error("{file}, line {line}: {message}")]
    List {
        /// The list file.
        file: String,
        /// The line, counting from 1.
        line: u64,
        /// What is wrong with it.
        message: String,
    },
    /// A file given to import is not something redflag can use.
    #[error("{file}: {message}")]
    Unrecognised {
        /// The file.
        file: String,
        /// What was expected.
        message: String,
    },
    /// Reading a file failed.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The operating system's reason.
        source: io::Error,
    },
    /// Writing into the data folder failed.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },
    /// The index or manifest is damaged, or was written by another version.
    #[error(
        "the IP intelligence in {} cannot be used ({message}): run `redflag intel update` or `redflag intel import` again to rebuild it",
        dir.display()
    )]
    Corrupt {
        /// The intel folder.
        dir: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A download failed.
    #[error(
        "could not download {url}: {message}. Check the network connection and any proxy (HTTPS_PROXY), point --registry or REDFLAG_NPM_REGISTRY at a registry mirror, or fetch the tarballs another way and run `redflag intel import FILE...`"
    )]
    Network {
        /// The address that failed.
        url: String,
        /// Why.
        message: String,
    },
    /// The registry answered, but not with what an npm registry sends.
    #[error("unexpected answer from the registry at {url}: {message}")]
    Registry {
        /// The address asked.
        url: String,
        /// What was wrong with the answer.
        message: String,
    },
    /// A download does not match the checksum the registry published for it.
    #[error(
        "{url} does not match its published {algorithm} checksum: the download is damaged or was altered on the way, so nothing was changed. Try again later, or verify a copy yourself and run `redflag intel import FILE...`"
    )]
    Integrity {
        /// The tarball's address.
        url: String,
        /// `sha512` or `sha1`.
        algorithm: &'static str,
    },
    /// The request itself cannot be carried out as given.
    #[error("{0}")]
    Usage(String),
}
