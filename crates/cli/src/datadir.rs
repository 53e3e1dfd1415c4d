//! The reference-data directory: `--data-dir`, else `REDFLAG_DATA_DIR`, else the
//! platform's data directory. Each data set lives in a folder of its own and counts as
//! present once its `manifest.json` is there (written last by the loader, so a half-done
//! download never counts).

use std::path::{Path, PathBuf};

use redflag_detect::DataSet;

pub struct DataDir {
    pub path: PathBuf,
}

impl DataDir {
    pub fn resolve(explicit: Option<&Path>) -> DataDir {
        let path = explicit.map(Path::to_path_buf).unwrap_or_else(|| {
            directories::ProjectDirs::from("", "", "redflag")
                .map(|d| d.data_dir().to_path_buf())
                .unwrap_or_else(|| PathBuf::from(".redflag-data"))
        });
        DataDir { path }
    }

    fn folder(set: DataSet) -> &'static str {
        match set {
            DataSet::IpIntelligence => "intel",
            DataSet::SanctionsLists => "lists",
        }
    }

    /// The data sets that are loaded.
    pub fn available(&self) -> Vec<DataSet> {
        [DataSet::IpIntelligence, DataSet::SanctionsLists]
            .into_iter()
            .filter(|set| {
                self.path
                    .join(Self::folder(*set))
                    .join("manifest.json")
                    .is_file()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_set_counts_once_its_manifest_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::resolve(Some(dir.path()));
        assert!(data.available().is_empty());
        std::fs::create_dir_all(dir.path().join("intel")).unwrap();
        assert!(data.available().is_empty());
        std::fs::write(dir.path().join("intel/manifest.json"), "{}").unwrap();
        assert_eq!(data.available(), vec![DataSet::IpIntelligence]);
    }
}
