pub mod bench;
pub mod demo;
pub mod explain;
pub mod intel;
pub mod scan;
