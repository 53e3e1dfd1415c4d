//! Downloading the official lists from their publishers and importing them.

use std::fs;
use std::io;
use std::path::Path;
use std::time::Duration;

use crate::ListError;
use crate::detect::detect_format;
use crate::model::{ListId, ListVersion, ParseReport};
use crate::store::{ImportOptions, SourceFile, group, import_sources};

/// Where to download one list from: one URL, or several files that form one version
/// (OFAC's CSV set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateSource {
    /// The list the files hold (for messages; the files' content decides what is stored).
    pub list: ListId,
    /// HTTPS URLs of the files.
    pub urls: Vec<String>,
}

/// What `update` downloads and how patiently.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateConfig {
    /// The lists to fetch.
    pub sources: Vec<UpdateSource>,
    /// The most one request may take, connection to last byte.
    pub timeout: Duration,
    /// The largest file accepted (the SDN CSV is about 5 MB; this guards the disk
    /// against a misconfigured URL that streams without end).
    pub max_bytes: u64,
    /// How the downloaded versions may replace those in force.
    pub import: ImportOptions,
}

impl Default for UpdateConfig {
    /// The publishers' official URLs.
    fn default() -> Self {
        let ofac = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports";
        UpdateConfig {
            sources: vec![
                UpdateSource {
                    list: ListId::OfacSdn,
                    urls: ["SDN.CSV", "ALT.CSV", "ADD.CSV", "SDN_COMMENTS.CSV"]
                        .iter()
                        .map(|f| format!("{ofac}/{f}"))
                        .collect(),
                },
                UpdateSource {
                    list: ListId::Un,
                    urls: vec!["https://scsanctions.un.org/resources/xml/en/consolidated.xml".to_string()],
                },
                UpdateSource {
                    list: ListId::Canada,
                    urls: vec![
                        "https://www.international.gc.ca/world-monde/assets/office_docs/international_relations-relations_internationales/sanctions/sema-lmes.xml"
                            .to_string(),
                    ],
                },
            ],
            timeout: Duration::from_secs(300),
            max_bytes: 512 * 1024 * 1024,
            import: ImportOptions::default(),
        }
    }
}

/// Progress of an update, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateEvent<'a> {
    /// A download starts.
    Downloading {
        /// The URL.
        url: &'a str,
    },
    /// A download finished.
    Downloaded {
        /// The URL.
        url: &'a str,
        /// Bytes received.
        bytes: u64,
    },
    /// A list version was stored (or was already current).
    Imported {
        /// The version now current.
        version: &'a ListVersion,
    },
}

/// What an update achieved: lists that failed do not stop the others.
#[derive(Debug)]
pub struct UpdateOutcome {
    /// Lists now current, with their parse reports.
    pub imported: Vec<(ListVersion, ParseReport)>,
    /// One error per list that could not be downloaded or parsed; each names the URL
    /// and suggests `redflag lists import FILE...`.
    pub failed: Vec<ListError>,
}

/// Downloads every configured list over HTTPS and imports it into the store under `dir`.
/// A list whose download or parsing fails keeps its current version; the error is in
/// [`UpdateOutcome::failed`]. The `Err` case is a store that cannot be written.
pub fn update(
    config: &UpdateConfig,
    dir: &Path,
    progress: &mut dyn FnMut(UpdateEvent<'_>),
) -> Result<UpdateOutcome, ListError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        // The operating system's trust store: organisations that inspect TLS install
        // their own root there, and a bundled root list would refuse it.
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                .build(),
        )
        .timeout_global(Some(config.timeout))
        .user_agent(concat!(
            "redflag/",
            env!("CARGO_PKG_VERSION"),
            " (sanctions list update)"
        ))
        .build()
        .into();
    let staging = dir
        .join("lists")
        .join(format!(".download-{}", std::process::id()));
    fs::create_dir_all(&staging).map_err(|e| ListError::io("creating folder", &staging, e))?;

    let mut outcome = UpdateOutcome {
        imported: Vec::new(),
        failed: Vec::new(),
    };
    for (n, source) in config.sources.iter().enumerate() {
        // One folder per list so two lists' files cannot collide by name.
        let folder = staging.join(n.to_string());
        match fetch_source(&agent, config, source, &folder, dir, progress) {
            Ok(imported) => {
                for (version, _) in &imported {
                    progress(UpdateEvent::Imported { version });
                }
                outcome.imported.extend(imported);
            }
            Err(e) => outcome.failed.push(e),
        }
    }
    // The downloads are copies of what is now in the store; a leftover folder (on a
    // platform that refuses the removal) is only disk space.
    let _ = fs::remove_dir_all(&staging);
    Ok(outcome)
}

/// Downloads one list's files and imports them as one version.
fn fetch_source(
    agent: &ureq::Agent,
    config: &UpdateConfig,
    source: &UpdateSource,
    folder: &Path,
    dir: &Path,
    progress: &mut dyn FnMut(UpdateEvent<'_>),
) -> Result<Vec<(ListVersion, ParseReport)>, ListError> {
    fs::create_dir_all(folder).map_err(|e| ListError::io("creating folder", folder, e))?;
    let mut files = Vec::new();
    let mut published = None;
    for url in &source.urls {
        progress(UpdateEvent::Downloading { url });
        let path = folder.join(file_name(url));
        let (bytes, last_modified) = download(agent, config, url, &path)?;
        progress(UpdateEvent::Downloaded { url, bytes });
        // The first file's Last-Modified dates the version when the file itself has
        // no publication date (the OFAC CSV and the Canadian list).
        if published.is_none() {
            published = last_modified;
        }
        let format = detect_format(&path).ok_or_else(|| ListError::Download {
            url: url.clone(),
            message: format!(
                "the response is not a list file for {} (an error page?)",
                source.list
            ),
        })?;
        files.push(SourceFile {
            path,
            name: url.clone(),
            format,
        });
    }
    let sources = group(files, published)?;
    import_sources(sources, dir, &config.import).map_err(|e| match e {
        // Parse errors already name the URL (it is the file's name here); add the hint.
        ListError::Parse { .. } => ListError::Download {
            url: source.urls.join(" + "),
            message: e.to_string(),
        },
        other => other,
    })
}

/// The last path segment of a URL, made safe as a file name; the OFAC CSV parts are
/// recognised by these names (`SDN.CSV`…).
fn file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.rsplit('/').next().unwrap_or_default();
    let safe: String = last
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .collect();
    if safe.is_empty() || safe.starts_with('.') {
        "download".to_string()
    } else {
        safe
    }
}

/// GETs `url` into `path`; returns the bytes written and the Last-Modified date.
fn download(
    agent: &ureq::Agent,
    config: &UpdateConfig,
    url: &str,
    path: &Path,
) -> Result<(u64, Option<String>), ListError> {
    let fail = |message: String| ListError::Download {
        url: url.to_string(),
        message,
    };
    let response = agent.get(url).call().map_err(|e| match e {
        ureq::Error::StatusCode(code) => fail(format!("the server answered HTTP {code}")),
        other => fail(other.to_string()),
    })?;
    let last_modified = response
        .headers()
        .get("last-modified")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| jiff::fmt::rfc2822::parse(v).ok())
        .map(|zoned| zoned.date().to_string());
    let mut reader = response
        .into_body()
        .into_with_config()
        .limit(config.max_bytes)
        .reader();
    let mut file = fs::File::create(path).map_err(|e| ListError::io("writing", path, e))?;
    let bytes = io::copy(&mut reader, &mut file)
        .map_err(|e| fail(format!("the transfer broke off: {e}")))?;
    file.sync_all()
        .map_err(|e| ListError::io("writing", path, e))?;
    Ok((bytes, last_modified))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_from_urls() {
        assert_eq!(
            file_name(
                "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.CSV"
            ),
            "SDN.CSV"
        );
        assert_eq!(
            file_name("https://x/consolidated.xml?lang=en#top"),
            "consolidated.xml"
        );
        assert_eq!(file_name("https://x/"), "download");
        assert_eq!(file_name("https://x/../..%2f"), "download");
    }

    #[test]
    fn the_defaults_are_the_publishers_https_urls() {
        let config = UpdateConfig::default();
        assert_eq!(config.sources.len(), 3);
        assert_eq!(config.sources[0].urls.len(), 4);
        assert!(
            config
                .sources
                .iter()
                .flat_map(|s| &s.urls)
                .all(|u| u.starts_with("https://"))
        );
    }
}
