//! The integration tests of redflag-names, in one test binary (one link instead of one
//! per file): each module is what used to be a file of its own.

mod behaviour;
mod ofac;
mod properties;
#[allow(dead_code)] // shared with the benchmark, which uses other parts
mod support;
