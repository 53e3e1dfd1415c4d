//! The proposed policy file: a complete policy that `--policy` accepts, with a header that
//! says it was fitted, from what, how well it does, and that it is a proposal.
//!
//! It is the default policy file rewritten value by value, so every setting keeps the
//! explanation it has in `redflag policy`: each value is the current policy's (the
//! user's file where it names the setting, else the default), except `scoring.prior` and
//! the fitted weights, which carry a comment with what they were. Written, the file is
//! read back and must give exactly the policy that was evaluated.

use redflag_detect::policy::{DEFAULT_POLICY_TOML, Policy};
use redflag_model::Band;

use crate::{CalibrateError, Calibration, Weight};

/// Where the proposal came from, for its header.
pub struct Provenance<'a> {
    /// When it was fitted, as people read it (`2026-05-04 10:12 UTC`).
    pub fitted_at: &'a str,
    /// The labels file.
    pub labels: &'a str,
    /// The database the assessments came from.
    pub database: &'a str,
    /// The policy file calibrated, or `None` for the default.
    pub policy: Option<&'a str>,
    /// Labelled subjects left out for want of an assessment.
    pub left_out: usize,
}

/// The proposed policy as TOML. `current` is the text of the policy calibrated (empty for
/// the default).
pub fn proposed_policy(
    current: &str,
    cal: &Calibration,
    from: &Provenance<'_>,
) -> Result<String, CalibrateError> {
    let user: toml::Table =
        toml::from_str(current).map_err(|e| CalibrateError::Proposal(e.to_string()))?;
    let mut out = header(cal, from);
    let mut section = String::new();
    for line in DEFAULT_POLICY_TOML.lines() {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            section = name.trim().to_owned();
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let setting = (!trimmed.starts_with('#'))
            .then(|| trimmed.split_once('='))
            .flatten();
        let Some((written_key, _)) = setting else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let key = written_key.trim().trim_matches('"');
        let written = match (section.as_str(), key) {
            ("scoring", "prior") => format!(
                "{} = {:.2}  # fitted; was {} (a score of about {} before any evidence, now about {})",
                key,
                cal.prior.after,
                float(cal.prior.before),
                start_score(cal.prior.before),
                start_score(cal.prior.after)
            ),
            ("weights", code) => match cal.weights.iter().find(|w| w.code == code) {
                Some(w) => weight_line(w, cal.proposed.scoring.family_cap),
                None => line.to_owned(),
            },
            (s, k) => match user.get(s).and_then(|t| t.get(k)) {
                Some(value) => format!("{} = {value}", written_key.trim_end()),
                None => line.to_owned(),
            },
        };
        out.push_str(&written);
        out.push('\n');
    }
    let read_back = Policy::from_toml(&out).map_err(|e| CalibrateError::Proposal(e.to_string()))?;
    if read_back != cal.proposed {
        return Err(CalibrateError::Proposal(
            "the file written does not read back as the policy evaluated (a setting of the default policy file was not recognised)".into(),
        ));
    }
    Ok(out)
}

fn weight_line(w: &Weight, cap: f64) -> String {
    let key = format!("{:?}", w.code);
    if !w.fitted {
        return format!(
            "{key} = {}  # kept: no labelled subject has this signal",
            float(w.before)
        );
    }
    let over = if w.after > cap {
        format!(" (above family_cap: counts at most {})", float(cap))
    } else {
        String::new()
    };
    format!(
        "{key} = {:.2}  # fitted; was {}; on {} dprk and {} legit labelled subjects{over}",
        w.after,
        float(w.before),
        w.dprk,
        w.legit
    )
}

/// A float as TOML writes it and reads it back exactly (`1.0`, `0.25`).
fn float(x: f64) -> String {
    format!("{x:?}")
}

/// The score (0–100) of someone with no signals under a prior.
fn start_score(prior: f64) -> String {
    format!("{:.0}", 100.0 / (1.0 + (-prior).exp()))
}

/// Text from outside (file names) on one comment line: a line break would end the comment
/// and let the rest be read as settings.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |x| format!("{:.0}%", 100.0 * x))
}

fn header(cal: &Calibration, from: &Provenance<'_>) -> String {
    let auc = |a: Option<f64>| a.map_or_else(|| "-".to_owned(), |a| format!("{a:.3}"));
    let fitted = cal.weights.iter().filter(|w| w.fitted).count();
    let kept = cal.weights.len() - fitted;
    let dprk_share = 100.0 * cal.dprk as f64 / (cal.dprk + cal.legit).max(1) as f64;
    let mut h = String::new();
    let mut line = |text: &str| {
        h.push_str(text);
        h.push('\n');
    };
    line(
        "# PROPOSED POLICY, fitted by `redflag calibrate`. It is not in use and nothing was changed:",
    );
    line("# review it, and only then pass it with --policy (scan, explain) if you adopt it.");
    line("#");
    line(&format!(
        "# Fitted {} from {} labelled subjects ({} dprk, {} legit) in {},",
        from.fitted_at,
        cal.dprk + cal.legit,
        cal.dprk,
        cal.legit,
        one_line(from.labels)
    ));
    line(&format!(
        "# against their latest assessments in {}; the policy before was {}.",
        one_line(from.database),
        from.policy
            .map_or_else(|| "the default".to_owned(), one_line)
    ));
    if from.left_out > 0 {
        line(&format!(
            "# {} labelled subjects had no assessment there and were left out.",
            from.left_out
        ));
    }
    line(&format!(
        "# Changed: scoring.prior and the weights of the {fitted} signals seen on labelled subjects,"
    ));
    line(&format!(
        "# by logistic regression with weights kept at 0 or more and L2 regularisation {} chosen",
        cal.lambda
    ));
    line(&format!(
        "# by {}-fold cross-validation. The other {kept} weights (signals no labelled subject has)",
        cal.folds
    ));
    line("# are kept, and so is everything else: strengths, bands, thresholds, family_cap,");
    line("# weak_only_max. The comments below are the default policy's explanations; the values");
    line("# are this proposal's, and each fitted one says what it was.");
    line("#");
    line("# How well the score separates dprk from legit on these labels (AUC: 1 is perfect,");
    line("# 0.5 a coin toss); \"after\" scores each subject with weights fitted without it:");
    line(&format!(
        "#   AUC before {}, after {}",
        auc(cal.before.auc),
        auc(cal.after.auc)
    ));
    for band in [Band::Medium, Band::High, Band::Critical] {
        if let (Some(b), Some(a)) = (cal.before.at(band), cal.after.at(band)) {
            line(&format!(
                "#   at {band} (score {} or more): before precision {}, recall {}; after precision {}, recall {}",
                b.threshold,
                percent(b.precision),
                percent(Some(b.recall)),
                percent(a.precision),
                percent(Some(a.recall))
            ));
        }
    }
    line("#");
    line("# Read with care:");
    line(&format!(
        "# - The prior follows the share of dprk among the labels ({dprk_share:.0}%). If your labels"
    ));
    line("#   over-represent suspects (most come from investigations), it is too high: lower it.");
    line("# - A weight says how much a signal separated these labels, not how serious it is: a");
    line(
        "#   signal the labels rarely show gets little weight however telling it is. Compare each",
    );
    line("#   with its reason below and in `redflag policy` before adopting it.");
    line("");
    h
}

#[cfg(test)]
mod tests {
    use redflag_model::{Advisory, Signal};

    use super::*;
    use crate::{Example, Verdict, calibrate};

    fn calibration(policy: &Policy) -> Calibration {
        let signal = |code: &str, advisory| Signal {
            code: code.into(),
            advisory,
            weight: 0.0,
            confidence: 0.9,
            summary: String::new(),
            evidence: vec![],
        };
        let examples: Vec<Example> = (0..40)
            .map(|i| {
                let (verdict, signals) = if i % 4 == 0 {
                    (
                        Verdict::Dprk,
                        vec![
                            signal("links.shared_identifiers", Advisory::Link),
                            signal("interviews.deepfake_indicators", Advisory::RF7),
                        ],
                    )
                } else if i % 7 == 0 {
                    (
                        Verdict::Legit,
                        vec![signal("links.shared_identifiers", Advisory::Link)],
                    )
                } else {
                    (Verdict::Legit, vec![])
                };
                Example::new(format!("c-{i}").parse().unwrap(), verdict, &signals)
            })
            .collect();
        calibrate(&examples, policy, 5).unwrap()
    }

    const FROM: Provenance<'static> = Provenance {
        fitted_at: "2026-05-04 10:12 UTC",
        labels: "labels.csv",
        database: "cases.db",
        policy: None,
        left_out: 2,
    };

    #[test]
    fn the_proposal_reads_back_as_the_policy_evaluated() {
        let cal = calibration(&Policy::default());
        let text = proposed_policy("", &cal, &FROM).unwrap();
        assert_eq!(Policy::from_toml(&text).unwrap(), cal.proposed);
        assert!(text.starts_with("# PROPOSED POLICY"), "{text}");
        assert!(
            text.contains("2 labelled subjects had no assessment"),
            "{text}"
        );
        assert!(
            text.contains("\"devices.remote_control\" = 2.2  # kept"),
            "{text}"
        );
        assert!(
            text.contains("\"links.shared_identifiers\" = ")
                && text.contains("# fitted; was 2.2; on 10 dprk and 4 legit"),
            "{text}"
        );
        // The default's explanations are still there.
        assert!(text.contains("# RF7: deepfake indicators"), "{text}");
    }

    #[test]
    fn the_users_own_settings_are_kept() {
        let mine = "[bands]\nhigh = 65\n[thresholds]\nbid_ratio = 0.4\n[strength]\n\"contact.phone\" = \"strong\"\n[weights]\n\"contact.email\" = 1.25\n";
        let policy = Policy::from_toml(mine).unwrap();
        let cal = calibration(&policy);
        let from = Provenance {
            policy: Some("mine\n[bands]\nhigh = 1.toml"),
            ..FROM
        };
        let text = proposed_policy(mine, &cal, &from).unwrap();
        let read = Policy::from_toml(&text).unwrap();
        assert_eq!(read, cal.proposed);
        assert_eq!(read.bands.high, 65);
        assert_eq!(read.thresholds.bid_ratio, 0.4);
        assert_eq!(read.weight("contact.email"), 1.25);
        assert!(
            text.contains("the policy before was mine?[bands]?high = 1.toml"),
            "{text}"
        );
    }
}
