//! The one error type of this crate. Every variant names the file (or URL) and, for
//! content errors, where in it and which field, so a user can open the file and look.

use std::path::PathBuf;

/// Why a list could not be read, stored or downloaded.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    /// The file system refused a read or write.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What was being done ("reading", "writing", "renaming to"…).
        action: &'static str,
        /// The file or folder concerned.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The content of a list file is malformed where it cannot be skipped.
    #[error("{file} {location}, {field}: {message}")]
    Parse {
        /// The file name.
        file: String,
        /// Where: `line 12` or `record 3 (line 45)`.
        location: String,
        /// The field, element or column concerned.
        field: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// A file that is none of the list formats this crate reads.
    #[error(
        "{}: not a recognised list file ({reason}); expected OFAC sdn.csv/alt.csv/add.csv/sdn_comments.csv or SDN.XML, the UN consolidated.xml, Canada's sema-lmes.xml, or OpenSanctions FollowTheMoney JSON lines",
        path.display()
    )]
    Unrecognised {
        /// The file.
        path: PathBuf,
        /// What was looked at.
        reason: String,
    },
    /// OFAC alias, address or comment files were given without the sdn.csv they extend.
    #[error(
        "{given} given without sdn.csv: the OFAC CSV files extend sdn.csv, give it too (or their folder)"
    )]
    MissingOfacSdn {
        /// The files that were given.
        given: String,
    },
    /// One import was given two files for the same list, and only one can be current.
    #[error(
        "two files for list {list} in one import ({first} and {second}); import them one at a time"
    )]
    DuplicateList {
        /// The list.
        list: String,
        /// The first file.
        first: String,
        /// The second file.
        second: String,
    },
    /// A download from a publisher failed.
    #[error(
        "downloading {url} failed: {message}; fetch the file another way (a browser, another network) and run `redflag lists import FILE...`"
    )]
    Download {
        /// The URL that failed.
        url: String,
        /// The HTTP status or transport error.
        message: String,
    },
    /// The list store on disk is inconsistent (a version file missing or not matching
    /// the manifest).
    #[error("list store {}: {message}", path.display())]
    Store {
        /// The manifest or version file concerned.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A new version holds far fewer entities than the one in force: more likely a
    /// cut-short download than mass delisting, so it is refused unless forced.
    #[error(
        "{list} from {file}: {after} entities where the version in force holds {before} ({:.0}% fewer; the policy allows {:.0}%). A cut-short file is likelier than so many delistings, so the version in force stays; check the file, and import it with --force if it is right",
        100.0 * (*before as f64 - *after as f64) / (*before).max(1) as f64,
        100.0 * max_share
    )]
    Shrunk {
        /// The list.
        list: String,
        /// The file(s) of the new version.
        file: String,
        /// Entities in the version in force.
        before: usize,
        /// Entities in the new version.
        after: usize,
        /// The largest share the policy lets an import lose.
        max_share: f64,
    },
    /// No list has been imported into this data folder yet.
    #[error(
        "no sanctions lists in {}: run `redflag lists update` to download them or `redflag lists import FILE...` to load files",
        dir.display()
    )]
    NoLists {
        /// The `lists` folder that has no manifest.
        dir: PathBuf,
    },
}

impl ListError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        ListError::Io {
            action,
            path: path.into(),
            source,
        }
    }

    pub(crate) fn parse(
        file: &str,
        location: impl Into<String>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ListError::Parse {
            file: file.to_string(),
            location: location.into(),
            field: field.into(),
            message: message.into(),
        }
    }
}
