//! What several detectors share: name comparisons, the sign-in lookups, home addresses,
//! days and windows, and English for summaries. Nothing here emits a signal.

pub mod names;
pub(crate) mod network;
pub mod phones;
pub(crate) mod places;
#[cfg(test)]
pub(crate) mod testing;
pub(crate) mod time;

/// "1 passport" / "3 documents": English plurals for summaries.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}
