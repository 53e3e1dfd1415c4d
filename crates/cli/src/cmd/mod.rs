pub mod audit;
pub mod bench;
pub mod calibrate;
pub mod demo;
pub mod explain;
pub mod graph;
pub mod intel;
pub mod keys;
pub mod lists;
pub mod scan;
pub mod screen;
pub mod serve;

use anyhow::{Result, bail};
use redflag_store::{Database, Store};

/// `--db`, the same on every command that reads or writes the database.
#[derive(clap::Args, Clone, Debug)]
pub struct DbArg {
    /// The database: the file `redflag scan` writes, or a PostgreSQL URL,
    /// postgres://USER@HOST:PORT/DATABASE
    #[arg(
        long = "db",
        env = "REDFLAG_DB",
        value_name = "DB",
        default_value = "redflag.db"
    )]
    pub db: Database,
}

/// Opens the database a scan wrote, for reading: a file that is not there is a mistake
/// in `--db` (opening would create an empty one), a server URL is opened as it is.
pub fn open_scanned(db: &Database) -> Result<Box<dyn Store>> {
    if db.file().is_some_and(|f| !f.exists()) {
        bail!(
            "there is no database at {db}: run `redflag scan FILES --db {db}` first, or name the one your scans write with --db or REDFLAG_DB"
        );
    }
    Ok(redflag_store::open(db)?)
}
