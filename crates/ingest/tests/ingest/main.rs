//! The integration tests of `redflag-ingest`, as one binary: each test file would
//! otherwise be linked on its own, which costs more than running every test.

mod adapters;
mod csv_logins;
mod input_files;
mod iso20022;
mod layouts;
mod never_panics;
mod own_output;
mod read;
mod resumes;
mod samples;
