//! The identity graph (LINK): DPRK IT workers operate in cells — one operator behind
//! several personas, one laptop farm receiving many companies' laptops, payouts converging
//! on a few accounts, photos and résumés re-used with small edits, personas referring each
//! other. This crate finds what ties subjects together and keeps the evidence on each
//! tie; the detectors and the engine decide what the ties mean.

#![forbid(unsafe_code)]

pub mod address;
pub mod export;
pub mod groups;
pub mod links;
pub mod photos;
pub mod text;
pub mod union_find;

pub use export::{EdgeView, GroupView, NodeView, to_dot, to_svg};
pub use links::{Identifier, IdentifierType, Link, LinkIndex};
pub use photos::PhotoIndex;
pub use text::{Signature, TextIndex};
pub use union_find::UnionFind;
