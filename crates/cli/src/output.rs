//! The one output layer every command writes through: where results go (`--output` or
//! the screen), in which format (`--format table|json|ndjson|csv`), and how text from
//! records is made safe for a terminal.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use clap::{Args, ValueEnum};
use comfy_table::{ContentArrangement, Table, presets};
use redflag_store::Database;
use serde::Serialize;

/// How results are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: a table or lines of text (the default on a terminal)
    Table,
    /// One JSON document
    Json,
    /// One JSON object per line (the default when output is piped or saved)
    Ndjson,
    /// Comma-separated values with a header, for spreadsheets
    Csv,
}

/// `--format` and `--output`, the same on every command that writes results.
#[derive(Args, Clone, Debug, Default)]
pub struct OutputArgs {
    /// Output format [default: table on a terminal, otherwise the command's machine
    /// format]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write results to FILE instead of the screen (created readable by you only)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Where results go, opened once the command knows it has something to write.
pub struct Sink {
    out: Box<dyn Write>,
    /// The format chosen.
    pub format: Format,
    /// Whether the results go to a terminal (colour, fitting the width).
    pub terminal: bool,
    path: Option<PathBuf>,
}

impl Sink {
    /// Opens `--output` (or the screen). `machine` is the format used when none is given
    /// and the output is not a terminal. `protected` are files the output must never
    /// overwrite: the database and its journals, the inputs.
    pub fn open(args: &OutputArgs, machine: Format, protected: &[PathBuf]) -> Result<Sink> {
        let terminal = args.output.is_none() && std::io::stdout().is_terminal();
        let format = args
            .format
            .unwrap_or(if terminal { Format::Table } else { machine });
        let out = open_output(args.output.as_deref(), protected)?;
        Ok(Sink {
            out,
            format,
            terminal,
            path: args.output.clone(),
        })
    }

    /// Opens the sink, lets `write` fill it, and flushes: the whole life of a sink for a
    /// command with nothing to protect and nothing to do afterwards.
    pub fn write(
        args: &OutputArgs,
        machine: Format,
        write: impl FnOnce(&mut Sink) -> Result<()>,
    ) -> Result<()> {
        let mut sink = Sink::open(args, machine, &[])?;
        write(&mut sink)?;
        sink.finish()
    }

    /// Flushes; an error names the file.
    pub fn finish(mut self) -> Result<()> {
        let target = self.describe();
        self.out
            .flush()
            .with_context(|| format!("cannot write {target}"))
    }

    /// The file written, or "the screen", for messages.
    pub fn describe(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| "to the screen".to_owned(), |p| p.display().to_string())
    }

    /// Writes `items` as JSON (an array), NDJSON or, through `row`, a table or CSV.
    pub fn items<T: Serialize>(
        &mut self,
        items: &[T],
        headers: &[&str],
        row: impl Fn(&T) -> Vec<String>,
    ) -> Result<()> {
        match self.format {
            Format::Json => self.json(&items)?,
            Format::Ndjson => {
                for item in items {
                    self.ndjson(item)?;
                }
            }
            Format::Csv => self.csv(headers, items.iter().map(row))?,
            Format::Table => {
                let table = table(headers, items.iter().map(row), self.terminal);
                writeln!(self, "{table}")?;
            }
        }
        Ok(())
    }

    /// One JSON document, pretty-printed.
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        serde_json::to_writer_pretty(&mut self.out, value)?;
        self.out.write_all(b"\n")?;
        Ok(())
    }

    /// One JSON object on a line.
    pub fn ndjson<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        serde_json::to_writer(&mut self.out, value)?;
        self.out.write_all(b"\n")?;
        Ok(())
    }

    /// A header and rows of CSV.
    pub fn csv(&mut self, headers: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<()> {
        let mut writer = csv::Writer::from_writer(&mut self.out);
        writer.write_record(headers)?;
        for row in rows {
            writer.write_record(&row)?;
        }
        writer.flush()?;
        Ok(())
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// `--output FILE` (never one of `protected`, created readable by the owner only) or
/// the screen, buffered.
pub fn open_output(output: Option<&Path>, protected: &[PathBuf]) -> Result<Box<dyn Write>> {
    Ok(match output {
        Some(path) => {
            refuse_protected("--output", path, protected)?;
            Box::new(BufWriter::new(create_private(path)?))
        }
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    })
}

/// A table for people. Cells are made terminal-safe here.
pub fn table(headers: &[&str], rows: impl Iterator<Item = Vec<String>>, terminal: bool) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_HORIZONTAL_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(headers.to_vec());
    if !terminal {
        table.force_no_tty();
        // On a terminal comfy-table fits the screen; elsewhere keep lines readable.
        table.set_width(160);
    }
    for row in rows {
        table.add_row(row.iter().map(|c| clean_lines(c)).collect::<Vec<_>>());
    }
    table
}

/// Creates (or truncates) a file readable and writable by its owner only: results name
/// people.
pub fn create_private(path: &Path) -> Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))
}

/// The files of `--db`, as [`database_files`]; a server has none.
pub fn files_of(db: &Database) -> Vec<PathBuf> {
    db.file().map(database_files).unwrap_or_default()
}

/// The database's own files: the output must never be one of them.
pub fn database_files(db: &Path) -> Vec<PathBuf> {
    let mut files = vec![db.to_owned()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        files.push(PathBuf::from(name));
    }
    files
}

/// Refuses an output file (given with `flag`) that is one of `protected`, however the two
/// paths are spelt.
pub fn refuse_protected(flag: &str, output: &Path, protected: &[PathBuf]) -> Result<()> {
    let same = |p: &PathBuf| match (std::fs::canonicalize(output), std::fs::canonicalize(p)) {
        (Ok(a), Ok(b)) => a == b,
        _ => output == p,
    };
    if let Some(p) = protected.iter().find(|p| same(p)) {
        bail!(
            "{flag} {} would overwrite {}, which this command reads or writes; choose another file",
            output.display(),
            p.display()
        );
    }
    Ok(())
}

/// Text from records, safe for a terminal: control characters (a carriage return, an
/// escape sequence) and bidirectional overrides are shown escaped, so a name cannot erase
/// or reorder what is printed around it.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// As [`clean`], but keeps line breaks (redflag's own, between a cell's or a message's
/// lines).
pub fn clean_lines(text: &str) -> String {
    text.split('\n').map(clean).collect::<Vec<_>>().join("\n")
}

fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(clean("Kim Jong"), "Kim Jong");
        assert_eq!(clean("evil\r\x1b[2Kname"), "evil\\r\\u{1b}[2Kname");
        assert_eq!(clean("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(clean_lines("one\ntwo\rthree"), "one\ntwo\\rthree");
    }

    #[test]
    fn the_database_and_inputs_are_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("cases.db");
        std::fs::write(&db, "x").unwrap();
        let protected = files_of(&Database::from(db.as_path()));
        assert!(refuse_protected("--output", &db, &protected).is_err());
        assert!(
            refuse_protected("--output", &dir.path().join("cases.db-wal"), &protected).is_err()
        );
        assert!(refuse_protected("--output", &dir.path().join("out.ndjson"), &protected).is_ok());
        assert!(refuse_protected("--output", &dir.path().join("./cases.db"), &protected).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn outputs_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        create_private(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
