//! The `redflag` binary end to end, in one test binary (one link, not one per file).

mod audit;
mod calibrate;
mod common;
mod decisions;
mod exports;
mod graph;
mod identities;
mod intel;
mod keys;
mod lists;
mod output;
mod precision;
mod scan;
mod serve;
