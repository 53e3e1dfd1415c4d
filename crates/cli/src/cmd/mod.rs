pub mod bench;
pub mod calibrate;
pub mod demo;
pub mod explain;
pub mod intel;
pub mod lists;
pub mod scan;
pub mod screen;
