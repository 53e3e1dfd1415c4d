//! `redflag intel update`: fetch the current ip-location-db packages from an npm
//! registry with plain HTTPS GETs, verify them against the checksums the registry
//! publishes, and import them.

use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use base64::Engine as _;
use sha1::Digest as _;

use crate::error::IntelError;
use crate::import::{Input, import_inputs};
use crate::manifest::Manifest;

/// The public npm registry.
pub const DEFAULT_REGISTRY: &str = "https://registry.npmjs.org";

/// The packages fetched: IP → country (CC0-1.0) and IP → ASN and organisation
/// (CC BY 4.0).
pub const PACKAGES: [&str; 2] = [
    "@ip-location-db/geo-whois-asn-country",
    "@ip-location-db/asn",
];

/// A tarball larger than this is refused: the real ones are about 20 MB, and a registry
/// that streams without end must not fill the disk.
const MAX_TARBALL: u64 = 1 << 30;
/// Package metadata is small; anything larger is not what was asked for.
const MAX_METADATA: u64 = 64 << 20;

/// What [`update`] is doing, for progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Downloading the named package's tarball (bytes done, bytes expected or 0).
    Download(&'static str),
    /// Reading the tarballs and building the index (bytes read, total).
    Build,
}

/// Downloads the latest [`PACKAGES`] from `registry` (e.g. [`DEFAULT_REGISTRY`]) and
/// builds the index in `dir` (`<data_dir>/intel`), keeping its user lists. Nothing in
/// `dir` changes unless every download arrives intact.
pub fn update(
    registry: &str,
    dir: &Path,
    progress: &dyn Fn(Stage, u64, u64),
) -> Result<Manifest, IntelError> {
    std::fs::create_dir_all(dir).map_err(|source| IntelError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        // The operating system's trust store: organisations that inspect TLS install
        // their own root there, and a bundled root list would refuse it.
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                .build(),
        )
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_recv_response(Some(Duration::from_secs(60)))
        .build()
        .into();
    // The temporary files must outlive the import; they are deleted when dropped.
    let mut files = Vec::new();
    let mut inputs = Vec::new();
    for package in PACKAGES {
        let url = format!(
            "{}/{}",
            registry.trim_end_matches('/'),
            package.replacen('/', "%2F", 1)
        );
        let dist = latest_dist(&agent, &url)?;
        let mut file = tempfile::Builder::new()
            .prefix(".download-")
            .suffix(".tgz")
            .tempfile_in(dir)
            .map_err(|source| IntelError::Write {
                path: dir.to_path_buf(),
                source,
            })?;
        let integrity = download(&agent, &dist, file.as_file_mut(), &|done, total| {
            progress(Stage::Download(package), done, total)
        })?;
        inputs.push(Input {
            path: file.path().to_path_buf(),
            display: dist.tarball.clone(),
            name: dist
                .tarball
                .rsplit('/')
                .next()
                .unwrap_or(package)
                .to_owned(),
            origin: dist.tarball,
            integrity: Some(integrity),
        });
        files.push(file);
    }
    let manifest = import_inputs(&inputs, &[], dir, &|done, total| {
        progress(Stage::Build, done, total)
    });
    drop(files);
    manifest
}

/// Where the latest version's tarball is, and its published checksums.
#[derive(Debug)]
struct Dist {
    tarball: String,
    integrity: Option<String>,
    shasum: Option<String>,
}

fn network_error(url: &str, e: ureq::Error) -> IntelError {
    let message = match e {
        ureq::Error::StatusCode(404) => {
            "the registry has no such package (HTTP 404); is the registry address right?".into()
        }
        ureq::Error::StatusCode(code) => format!("the server answered HTTP {code}"),
        other => other.to_string(),
    };
    IntelError::Network {
        url: url.to_owned(),
        message,
    }
}

fn latest_dist(agent: &ureq::Agent, url: &str) -> Result<Dist, IntelError> {
    let registry_error = |message: String| IntelError::Registry {
        url: url.to_owned(),
        message,
    };
    let mut response = agent
        .get(url)
        // The abbreviated ("corgi") document carries dist-tags and dist but not every
        // README: a fraction of the size.
        .header(
            "Accept",
            "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8",
        )
        .call()
        .map_err(|e| network_error(url, e))?;
    let text = response
        .body_mut()
        .with_config()
        .limit(MAX_METADATA)
        .read_to_string()
        .map_err(|e| network_error(url, e))?;
    let doc: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| registry_error(format!("the package metadata is not JSON ({e})")))?;
    let latest = doc
        .pointer("/dist-tags/latest")
        .and_then(|v| v.as_str())
        .ok_or_else(|| registry_error("the package metadata has no dist-tags.latest".into()))?;
    let dist = doc
        .get("versions")
        .and_then(|v| v.get(latest))
        .and_then(|v| v.get("dist"))
        .ok_or_else(|| {
            registry_error(format!(
                "the package metadata does not describe version {latest}"
            ))
        })?;
    let text_of = |key: &str| dist.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    let tarball = text_of("tarball")
        .ok_or_else(|| registry_error(format!("version {latest} has no tarball")))?;
    Ok(Dist {
        tarball,
        integrity: text_of("integrity"),
        shasum: text_of("shasum"),
    })
}

/// Streams the tarball into `out` while hashing it, then checks it; returns the
/// checksum verified, as `sha512-…` or `sha1-…`.
fn download(
    agent: &ureq::Agent,
    dist: &Dist,
    out: &mut std::fs::File,
    progress: &dyn Fn(u64, u64),
) -> Result<String, IntelError> {
    let url = dist.tarball.as_str();
    let mut response = agent.get(url).call().map_err(|e| network_error(url, e))?;
    let expected = response.body().content_length().unwrap_or(0);
    let mut reader = response.body_mut().as_reader().take(MAX_TARBALL + 1);
    let mut sha512 = sha2::Sha512::new();
    let mut sha1 = sha1::Sha1::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut done = 0u64;
    loop {
        let n = reader.read(&mut buf).map_err(|e| IntelError::Network {
            url: url.to_owned(),
            message: e.to_string(),
        })?;
        if n == 0 {
            break;
        }
        let chunk = &buf[..n];
        sha512.update(chunk);
        sha1.update(chunk);
        out.write_all(chunk).map_err(|source| IntelError::Write {
            path: "a temporary download file".into(),
            source,
        })?;
        done += n as u64;
        progress(done, expected);
    }
    if done > MAX_TARBALL {
        return Err(IntelError::Registry {
            url: url.to_owned(),
            message: "the tarball is larger than 1 GiB".into(),
        });
    }
    out.flush().map_err(|source| IntelError::Write {
        path: "a temporary download file".into(),
        source,
    })?;
    verify(dist, &sha512.finalize(), &sha1.finalize())
}

/// Checks a download against the registry's `integrity` (SRI, preferring sha512) or,
/// for old packages, its sha1 `shasum`.
fn verify(dist: &Dist, sha512: &[u8], sha1: &[u8]) -> Result<String, IntelError> {
    let url = dist.tarball.clone();
    let wanted: Vec<&str> = dist
        .integrity
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|sri| sri.strip_prefix("sha512-"))
        .map(|digest| digest.split('?').next().unwrap_or(digest))
        .collect();
    if !wanted.is_empty() {
        let got = base64::engine::general_purpose::STANDARD.encode(sha512);
        return if wanted.contains(&got.as_str()) {
            Ok(format!("sha512-{got}"))
        } else {
            Err(IntelError::Integrity {
                url,
                algorithm: "sha512",
            })
        };
    }
    if let Some(shasum) = &dist.shasum {
        let got: String = sha1.iter().map(|b| format!("{b:02x}")).collect();
        return if shasum.eq_ignore_ascii_case(&got) {
            Ok(format!("sha1-{got}"))
        } else {
            Err(IntelError::Integrity {
                url,
                algorithm: "sha1",
            })
        };
    }
    Err(IntelError::Registry {
        url,
        message: "no sha512 integrity or sha1 shasum is published for the tarball, and unverified data is not imported"
            .into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(integrity: Option<&str>, shasum: Option<&str>) -> Dist {
        Dist {
            tarball: "https://r/x.tgz".into(),
            integrity: integrity.map(Into::into),
            shasum: shasum.map(Into::into),
        }
    }

    #[test]
    fn checksums_are_checked() {
        let data = b"hello";
        let sha512 = sha2::Sha512::digest(data);
        let sha1 = sha1::Sha1::digest(data);
        let b64 = base64::engine::general_purpose::STANDARD.encode(sha512);
        let good = format!("sha1-abc sha512-{b64}");
        assert!(
            verify(&dist(Some(&good), None), &sha512, &sha1)
                .unwrap()
                .starts_with("sha512-")
        );
        assert!(matches!(
            verify(
                &dist(
                    Some("sha512-AAAA"),
                    Some("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d")
                ),
                &sha512,
                &sha1
            ),
            Err(IntelError::Integrity {
                algorithm: "sha512",
                ..
            })
        ));
        assert_eq!(
            verify(
                &dist(None, Some("AAF4C61DDCC5E8A2DABEDE0F3B482CD9AEA9434D")),
                &sha512,
                &sha1
            )
            .unwrap(),
            "sha1-aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"
        );
        assert!(matches!(
            verify(&dist(None, Some("00")), &sha512, &sha1),
            Err(IntelError::Integrity { .. })
        ));
        assert!(matches!(
            verify(&dist(None, None), &sha512, &sha1),
            Err(IntelError::Registry { .. })
        ));
    }
}
