//! The integration tests of redflag-watchlist, in one test binary (one link instead of one
//! per file): each module is what used to be a file of its own.

mod common;
mod fixtures;
mod names;
mod shared_lists;
mod store;
mod wallets;
