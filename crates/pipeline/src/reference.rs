//! The reference-data directory: `--data-dir`, else `REDFLAG_DATA_DIR`, else the
//! platform's data directory. Each data set lives in a folder of its own and counts as
//! present once its `manifest.json` is there (written last by the loader, so a half-done
//! download never counts).

use std::path::{Path, PathBuf};

use redflag_detect::{CountryPoints, DataSet};
use redflag_intel::IpIntel;

/// Country reference points (`country,latitude,longitude,name`), imported with the IP
/// data, used to measure impossible travel.
pub const COUNTRY_POINTS_FILE: &str = "countries.csv";

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

    /// Where IP intelligence lives.
    pub fn intel_dir(&self) -> PathBuf {
        self.path.join(Self::folder(DataSet::IpIntelligence))
    }

    /// The IP index and, when `countries.csv` was imported beside it, the country
    /// reference points. `Ok(None)` when no IP data is loaded.
    pub fn load_intel(&self) -> anyhow::Result<Option<(IpIntel, Option<CountryPoints>)>> {
        use anyhow::Context as _;
        if !self.available().contains(&DataSet::IpIntelligence) {
            return Ok(None);
        }
        let dir = self.intel_dir();
        let intel = IpIntel::load(&dir).with_context(|| {
            format!("the IP data in {} cannot be read; run `redflag intel update` or `redflag intel import FILE...` to rebuild it", dir.display())
        })?;
        let points_file = dir.join(COUNTRY_POINTS_FILE);
        let points = match std::fs::read_to_string(&points_file) {
            Ok(text) => Some(
                CountryPoints::parse(&text)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", points_file.display()))?,
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read {}", points_file.display()));
            }
        };
        Ok(Some((intel, points)))
    }

    /// Where the sanctions lists live.
    pub fn lists_dir(&self) -> PathBuf {
        self.path.join(Self::folder(DataSet::SanctionsLists))
    }

    /// The loaded sanctions lists, indexed for screening; `Ok(None)` when none are loaded.
    pub fn load_screener(&self) -> anyhow::Result<Option<redflag_watchlist::Screener>> {
        use anyhow::Context as _;
        if !self.available().contains(&DataSet::SanctionsLists) {
            return Ok(None);
        }
        let dir = self.lists_dir();
        let lists = redflag_watchlist::load(&self.path).with_context(|| {
            format!("the sanctions lists in {} cannot be read; run `redflag lists update` or `redflag lists import FILE...` to reload them", dir.display())
        })?;
        Ok(Some(redflag_watchlist::Screener::new(lists)))
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
