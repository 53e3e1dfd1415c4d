//! What the binary says besides results: notes on stderr (silenced by `--quiet`) and how a
//! command ended.

use std::sync::atomic::{AtomicBool, Ordering};

use redflag_model::Band;

static QUIET: AtomicBool = AtomicBool::new(false);

pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// A note for the person at the terminal (or the log of a scheduled job), made safe for a
/// terminal; nothing with `--quiet`.
pub fn note(text: &str) {
    if !quiet() {
        eprintln!("{}", crate::output::clean_lines(text));
    }
}

/// How a command that succeeded ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// Someone is at or above the `--fail-on` band (exit code 3).
    Found,
}

/// `Found` when any of `bands` is at or above `fail_on`.
pub fn outcome(fail_on: Option<Band>, bands: impl IntoIterator<Item = Band>) -> Outcome {
    match fail_on {
        Some(bar) if bands.into_iter().any(|b| b >= bar) => Outcome::Found,
        _ => Outcome::Done,
    }
}

/// Whether the error is a closed pipe (`redflag scan | head`): the reader has what it
/// wanted, so the command ends quietly.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(|j| j.io_error_kind())
                == Some(std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<csv::Error>()
                .is_some_and(|c| matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe))
    })
}
