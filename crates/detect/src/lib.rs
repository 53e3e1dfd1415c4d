//! The red-flag detectors of Canada's July 2025 advisory on North Korean IT workers, the
//! per-subject state they read, the scorer that turns their signals into a score and a
//! band, and the playbook that turns them into next due-diligence steps.
//!
//! Detectors do no I/O: each sees one subject's [`SubjectState`] and a [`Context`], so
//! each is testable with a handful of records in memory.

pub mod detector;
pub mod detectors;
pub mod geo;
pub mod playbook;
pub mod policy;
pub mod population;
pub mod scoring;
pub mod screening;
pub mod state;
pub mod support;
pub mod ties;

pub use detector::{Context, DataSet, Detector};
pub use geo::CountryPoints;
pub use policy::{DEFAULT_POLICY_TOML, Policy, PolicyError};
pub use population::PopulationStats;
pub use redflag_graph::LinkIndex;
pub use redflag_graph::links;
pub use state::{Keyed, SubjectState};
