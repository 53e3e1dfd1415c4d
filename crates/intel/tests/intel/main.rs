//! The integration tests of redflag-intel, in one test binary (one link instead of one
//! per file): each module is what used to be a file of its own.

mod build_prop;
mod common;
mod import;
mod shared_data;
mod update;
