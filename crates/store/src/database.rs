//! [`Database`]: where a store lives, as `--db` or `REDFLAG_DB` names it, and [`open`].

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::{PgStore, SqliteStore, Store, StoreError};

/// Where a store lives: an SQLite file, or a PostgreSQL database named by a URL.
///
/// Anything that starts with `postgres://` or `postgresql://` is PostgreSQL; anything
/// else is a file path, so no file name is ever taken for a server. Shown (`Display`,
/// `Debug`) without the password a URL may carry.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// An SQLite file (created if missing; its folder must exist).
    File(PathBuf),
    /// A PostgreSQL URL: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?PARAMS]`.
    Postgres(String),
}

impl Database {
    /// The SQLite file, or `None` for a server.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Database::File(path) => Some(path),
            Database::Postgres(_) => None,
        }
    }

    /// The database for messages, as `Path::display` is for a path (no password).
    pub fn display(&self) -> &Self {
        self
    }
}

fn is_url(s: &str) -> bool {
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}

impl From<&OsStr> for Database {
    fn from(s: &OsStr) -> Self {
        match s.to_str() {
            Some(url) if is_url(url) => Database::Postgres(url.to_owned()),
            _ => Database::File(PathBuf::from(s)),
        }
    }
}

impl From<OsString> for Database {
    fn from(s: OsString) -> Self {
        Database::from(s.as_os_str())
    }
}

impl From<&Path> for Database {
    fn from(path: &Path) -> Self {
        Database::from(path.as_os_str())
    }
}

impl From<PathBuf> for Database {
    fn from(path: PathBuf) -> Self {
        Database::from(path.into_os_string())
    }
}

impl From<&str> for Database {
    fn from(s: &str) -> Self {
        Database::from(OsStr::new(s))
    }
}

impl fmt::Display for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Database::File(path) => write!(f, "{}", path.display()),
            Database::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Database::File(path) => f.debug_tuple("File").field(path).finish(),
            Database::Postgres(url) => f.debug_tuple("Postgres").field(&redact(url)).finish(),
        }
    }
}

/// Opens the store `db` names: [`PgStore::open`] for a URL, [`SqliteStore::open`] (with
/// its checks: the folder must exist, a new file is readable by its owner only) for a
/// file.
pub fn open(db: &Database) -> Result<Box<dyn Store>, StoreError> {
    Ok(match db {
        Database::File(path) => Box::new(SqliteStore::open(path)?),
        Database::Postgres(url) => Box::new(PgStore::open(url)?),
    })
}

/// A URL without its password, in the user part or as a `password=` parameter.
pub(crate) fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let (scheme, rest) = (&url[..scheme_end], &url[scheme_end + 3..]);
    let (rest, query) = match rest.split_once('?') {
        Some((rest, query)) => (rest, Some(query)),
        None => (rest, None),
    };
    // The last `@` ends the user part: a password may hold `@` or `/` unencoded.
    let rest = match rest.rfind('@') {
        Some(at) => {
            let user = rest[..at].split(':').next().unwrap_or_default();
            format!("{user}@{}", &rest[at + 1..])
        }
        None => rest.to_owned(),
    };
    let query: Vec<&str> = query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter(|p| !p.to_ascii_lowercase().starts_with("password="))
        .collect();
    if query.is_empty() {
        format!("{scheme}://{rest}")
    } else {
        format!("{scheme}://{rest}?{}", query.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_servers_and_everything_else_is_a_file() {
        assert_eq!(
            Database::from("postgres://127.0.0.1/test"),
            Database::Postgres("postgres://127.0.0.1/test".into())
        );
        assert!(matches!(
            Database::from("postgresql://u@h/db"),
            Database::Postgres(_)
        ));
        for file in ["cases.db", "postgres.db", "./postgres://x", "pg:x", ""] {
            assert_eq!(Database::from(file), Database::File(file.into()), "{file}");
        }
        assert_eq!(Database::from(PathBuf::from("postgres://h/d")).file(), None);
    }

    #[test]
    fn passwords_are_never_shown() {
        let cases = [
            ("postgres://u:secret@h:5432/db", "postgres://u@h:5432/db"),
            (
                "postgres://u:s@c/r/et@h/db?sslmode=disable",
                "postgres://u@h/db?sslmode=disable",
            ),
            (
                "postgresql://h/db?password=secret&application_name=x",
                "postgresql://h/db?application_name=x",
            ),
            ("postgres://h/db?PASSWORD=secret", "postgres://h/db"),
            ("postgres://u@h/db", "postgres://u@h/db"),
        ];
        for (url, shown) in cases {
            assert_eq!(redact(url), shown);
            let db = Database::from(url);
            assert!(!db.to_string().contains("secret"), "{db}");
            assert!(!format!("{db:?}").contains("secret"), "{db:?}");
        }
    }
}
