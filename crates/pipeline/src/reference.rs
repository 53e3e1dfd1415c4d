//! Reference data: where it lives and loading it. The data directory is `--data-dir`,
//! else `REDFLAG_DATA_DIR` (read by the caller), else the platform's data directory. Each
//! data set lives in a folder of its own and counts as present once its `manifest.json`
//! is there (written last by the loader, so a half-done download never counts).

use std::path::{Path, PathBuf};

use redflag_detect::{CountryPoints, DataSet};
use redflag_intel::IpIntel;
use redflag_model::Timestamp;
use redflag_watchlist::{ListVersion, Screener};

use crate::PipelineError;

/// Country reference points (`country,latitude,longitude,name`), imported with the IP
/// data, used to measure impossible travel; without one, the built-in table
/// ([`redflag_intel::COUNTRY_POINTS`]) is used.
pub const COUNTRY_POINTS_FILE: &str = "countries.csv";

/// The folder that holds reference data.
#[derive(Debug, Clone)]
pub struct DataDir {
    /// The folder itself.
    pub path: PathBuf,
}

impl DataDir {
    /// `explicit` when given, else the platform's data folder (`~/.local/share/redflag`
    /// on Linux).
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

    /// Where the sanctions lists live.
    pub fn lists_dir(&self) -> PathBuf {
        self.path.join(Self::folder(DataSet::SanctionsLists))
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

    /// The IP index and the country reference points: a `countries.csv` imported beside
    /// it, else the built-in table. `Ok(None)` when no IP data is loaded.
    pub fn load_intel(&self) -> Result<Option<(IpIntel, Option<CountryPoints>)>, PipelineError> {
        if !self.available().contains(&DataSet::IpIntelligence) {
            return Ok(None);
        }
        let dir = self.intel_dir();
        let intel = IpIntel::load(&dir).map_err(|e| PipelineError::Reference {
            what: "IP data",
            path: dir.clone(),
            reason: e.to_string(),
            fix: "run `redflag intel update` or `redflag intel import FILE...` to rebuild it",
        })?;
        let points_file = dir.join(COUNTRY_POINTS_FILE);
        let points = match std::fs::read_to_string(&points_file) {
            Ok(text) => {
                Some(
                    CountryPoints::parse(&text).map_err(|e| PipelineError::Reference {
                        what: "country reference points",
                        path: points_file.clone(),
                        reason: e.to_string(),
                        fix: "import a corrected countries.csv with `redflag intel import`",
                    })?,
                )
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(built_in_points()?),
            Err(e) => {
                return Err(PipelineError::Reference {
                    what: "country reference points",
                    path: points_file,
                    reason: e.to_string(),
                    fix: "check the file's permissions",
                });
            }
        };
        Ok(Some((intel, points)))
    }

    /// The loaded sanctions lists, indexed for screening; `Ok(None)` when none are loaded.
    pub fn load_screener(&self) -> Result<Option<Screener>, PipelineError> {
        if !self.available().contains(&DataSet::SanctionsLists) {
            return Ok(None);
        }
        let lists = redflag_watchlist::load(&self.path).map_err(|e| PipelineError::Reference {
            what: "sanctions lists",
            path: self.lists_dir(),
            reason: e.to_string(),
            fix: "run `redflag lists update` or `redflag lists import FILE...` to reload them",
        })?;
        Ok(Some(Screener::new(lists)))
    }
}

/// The country reference points compiled into redflag.
fn built_in_points() -> Result<CountryPoints, PipelineError> {
    let table: Vec<&str> = redflag_intel::country_point_rows().collect();
    CountryPoints::parse(&table.join("\n")).map_err(|reason| PipelineError::Reference {
        what: "built-in country reference points",
        path: PathBuf::from(redflag_intel::COUNTRY_POINTS_SOURCE),
        reason,
        fix: "import a countries.csv with `redflag intel import`",
    })
}

/// The reference data an assessment uses, loaded once.
#[derive(Default)]
pub struct ReferenceData {
    /// IP intelligence, where loaded.
    pub intel: Option<IpIntel>,
    /// Country reference points for impossible travel, where loaded.
    pub points: Option<CountryPoints>,
    /// The sanctions lists, indexed, where loaded.
    pub screener: Option<Screener>,
}

impl ReferenceData {
    /// No reference data: the detectors that need it are skipped.
    pub fn none() -> Self {
        ReferenceData::default()
    }

    /// Everything loaded in `dir`.
    pub fn load(dir: &DataDir) -> Result<Self, PipelineError> {
        let (intel, points) = match dir.load_intel()? {
            Some((intel, points)) => (Some(intel), points),
            None => (None, None),
        };
        Ok(ReferenceData {
            intel,
            points,
            screener: dir.load_screener()?,
        })
    }

    /// The list versions screened against, one label each (`OFAC-SDN 2026-11-20
    /// sha256:0123456789ab`), for the audit log and the policy label of assessments.
    pub fn lists_used(&self) -> Vec<String> {
        list_labels(self.screener.iter().flat_map(|s| s.versions()))
    }
}

fn list_labels<'a>(versions: impl IntoIterator<Item = &'a ListVersion>) -> Vec<String> {
    versions
        .into_iter()
        .map(|v| {
            format!(
                "{} {} sha256:{}",
                v.list,
                v.published.as_deref().unwrap_or("undated"),
                &v.sha256[..v.sha256.len().min(12)]
            )
        })
        .collect()
}

/// Reference data loading on a thread of its own, so that a scan reads, stores and folds
/// its records meanwhile: indexing the lists' names and loading the IP index take a few
/// tenths of a second that no record needs before assessment. What is present and which
/// list versions are current are read from the manifests at once.
pub struct LoadingReference {
    available: Vec<DataSet>,
    lists: Vec<ListVersion>,
    thread: std::thread::JoinHandle<Result<ReferenceData, PipelineError>>,
}

impl LoadingReference {
    /// Starts loading everything in `dir`.
    pub fn start(dir: &DataDir) -> Result<Self, PipelineError> {
        let available = dir.available();
        let lists = if available.contains(&DataSet::SanctionsLists) {
            redflag_watchlist::status(&dir.path).map_err(|e| PipelineError::Reference {
                what: "sanctions lists",
                path: dir.lists_dir(),
                reason: e.to_string(),
                fix: "run `redflag lists update` or `redflag lists import FILE...` to reload them",
            })?
        } else {
            Vec::new()
        };
        let dir = dir.clone();
        let thread = std::thread::spawn(move || ReferenceData::load(&dir));
        Ok(LoadingReference {
            available,
            lists,
            thread,
        })
    }

    /// The data sets present, which are being loaded.
    pub fn available(&self) -> &[DataSet] {
        &self.available
    }

    /// A warning for each list older than `max_age_days` (from its publication date,
    /// else its import), read from the manifests, for the commands that screen to show.
    pub fn stale_lists(&self, max_age_days: u32) -> Vec<String> {
        redflag_watchlist::stale(&self.lists, max_age_days, Timestamp::now())
    }

    /// Waits for the data.
    pub fn wait(self) -> Result<ReferenceData, PipelineError> {
        self.thread
            .join()
            .unwrap_or(Err(PipelineError::ReferencePanicked))
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
