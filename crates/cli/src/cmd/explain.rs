//! `redflag explain SUBJECT`: the latest assessment of one person, in words.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;
use redflag_detect::{policy::Policy, scoring};
use redflag_model::{Assessment, Band, Evidence, Kind, SubjectId};
use redflag_store::Store;

use crate::output::{self, Format, OutputArgs, Sink, clean};
use crate::ui;

#[derive(Args)]
pub struct ExplainArgs {
    /// The subject's id, as in your records (e.g. c-1042)
    pub subject: String,
    #[command(flatten)]
    pub database: super::DbArg,
    /// `table` (the default on a terminal) is plain words; `json` and `ndjson` the
    /// assessment object as `scan` writes it; `csv` one row per signal
    #[command(flatten)]
    pub output: OutputArgs,
    /// Exit with code 3 when the subject is rated at or above this band
    #[arg(long, value_name = "BAND", value_parser = crate::cmd::scan::parse_band)]
    pub fail_on: Option<Band>,
    /// Also show record keys, identifier values such as photo hashes, and how much each
    /// signal counted (weight × confidence)
    #[arg(long)]
    pub verbose: bool,
    /// The policy file the scan used, when not the default: it says which signals are
    /// strong and where weak ones stop
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
}

/// What `write_text` needs besides the assessment.
pub struct Context {
    pub policy: Policy,
    /// Each linked subject's name and band, from its latest assessment where there is one.
    pub linked: Vec<Linked>,
    /// The scan that made the assessment, where the audit log still has it.
    pub scan: Option<ScanFacts>,
    pub verbose: bool,
}

pub struct Linked {
    pub subject: SubjectId,
    pub name: Option<String>,
    pub band: Option<Band>,
}

/// What the audit log kept of the scan behind an assessment.
pub struct ScanFacts {
    pub policy: String,
    pub lists: Vec<String>,
    /// The checks skipped for want of reference data; `None` from scans that did not
    /// record them.
    pub skipped: Option<Vec<String>>,
}

/// How far back the audit log is searched for the scan behind an assessment: one entry
/// per scan and per analyst's decision, so this covers years of daily scans.
const AUDIT_LOOKBACK: usize = 2000;

pub fn run(args: ExplainArgs) -> Result<ui::Outcome> {
    let store = super::open_scanned(&args.database.db)?;
    let policy = redflag_pipeline::load_policy(args.policy.as_deref())?;
    let subject = match args.subject.parse() {
        Ok(s) => s,
        Err(e) => bail!("{e}"),
    };
    let Some(assessment) = store.latest_assessment(&subject)? else {
        bail!(
            "no assessment of {:?} in {}; check the id (it is your own id for the person, as in the records), or scan the records that mention them",
            args.subject,
            args.database.db.display()
        );
    };
    // Plain words even when piped (into `less`, a ticket); a program asks for JSON.
    let mut sink = Sink::open(
        &args.output,
        Format::Table,
        &output::files_of(&args.database.db),
    )?;
    match sink.format {
        Format::Json => sink.json(&assessment)?,
        Format::Ndjson => sink.ndjson(&assessment)?,
        Format::Csv => sink.csv(
            &[
                "subject",
                "code",
                "advisory",
                "weight",
                "confidence",
                "summary",
                "evidence",
            ],
            assessment.signals.iter().map(|s| {
                vec![
                    assessment.subject.to_string(),
                    s.code.clone(),
                    s.advisory.to_string(),
                    format!("{:.3}", s.weight),
                    format!("{:.3}", s.confidence),
                    s.summary.clone(),
                    s.evidence
                        .iter()
                        .map(evidence_line)
                        .collect::<Vec<_>>()
                        .join("; "),
                ]
            }),
        )?,
        Format::Table => {
            let mut linked = Vec::with_capacity(assessment.linked_subjects.len());
            for l in &assessment.linked_subjects {
                let other = store.latest_assessment(&l.subject)?;
                linked.push(Linked {
                    subject: l.subject.clone(),
                    name: other.as_ref().and_then(|o| o.name.clone()),
                    band: other.map(|o| o.band),
                });
            }
            let context = Context {
                policy,
                linked,
                scan: scan_facts(store.as_ref(), &assessment)?,
                verbose: args.verbose,
            };
            let history = store.assessment_history(&subject)?;
            write_text(&mut sink, &assessment, &context)?;
            if history.len() > 1 {
                writeln!(sink, "\nScore history")?;
                for h in history.iter().rev().take(10) {
                    writeln!(
                        sink,
                        "  {}  {:>3}  {}",
                        h.assessed_at.strftime("%Y-%m-%d %H:%M UTC"),
                        h.score,
                        h.band
                    )?;
                }
            }
        }
    }
    sink.finish()?;
    Ok(ui::outcome(args.fail_on, [assessment.band]))
}

/// The scan that stored this assessment: the pipeline audits each scan at the moment
/// its assessments are made, with the policy label and the list versions it used.
fn scan_facts(store: &dyn Store, a: &Assessment) -> Result<Option<ScanFacts>> {
    let entry = store
        .audit_log(AUDIT_LOOKBACK)?
        .into_iter()
        // The audit log keeps microseconds; the assessment's time may carry nanoseconds.
        .find(|e| e.action == "scan" && e.at.as_microsecond() == a.assessed_at.as_microsecond());
    let strings = |v: &serde_json::Value| -> Option<Vec<String>> {
        v.as_array().map(|l| {
            l.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
    };
    Ok(entry.map(|e| ScanFacts {
        policy: e.detail["policy"].as_str().unwrap_or_default().to_owned(),
        lists: strings(&e.detail["lists"]).unwrap_or_default(),
        skipped: strings(&e.detail["skipped"]),
    }))
}

/// The assessment in plain words.
pub fn write_text(out: &mut dyn Write, a: &Assessment, cx: &Context) -> Result<()> {
    match &a.name {
        Some(name) => writeln!(
            out,
            "{} ({}): score {} of 100, {} risk",
            clean(name),
            clean(a.subject.as_str()),
            a.score,
            a.band
        )?,
        None => writeln!(
            out,
            "{}: score {} of 100, {} risk",
            clean(a.subject.as_str()),
            a.score,
            a.band
        )?,
    }
    writeln!(
        out,
        "assessed {}{}",
        a.assessed_at.strftime("%Y-%m-%d %H:%M UTC"),
        a.as_of
            .map(|t| format!(
                ", on the records up to {}",
                t.strftime("%Y-%m-%d %H:%M UTC")
            ))
            .unwrap_or_default()
    )?;
    let ids = &a.identities;
    if ids.organisation {
        writeln!(
            out,
            "\nAn organisation paid, not a person: screened against the sanctions lists only."
        )?;
    }
    if let Some(unmatched) = &ids.unmatched {
        writeln!(out, "\nUnmatched: {}", clean(unmatched))?;
    }
    if !ids.merged.is_empty() {
        writeln!(
            out,
            "\nRecords filed under other ids, merged into this subject"
        )?;
        for m in &ids.merged {
            writeln!(out, "  {}: {}", clean(m.subject.as_str()), clean(&m.why))?;
        }
    }
    write_how(out, a, cx)?;
    if !a.signals.is_empty() {
        writeln!(out, "\nWhy")?;
        for (i, s) in a.signals.iter().enumerate() {
            writeln!(
                out,
                "{:>3}. {} — {}",
                i + 1,
                clean(&s.summary),
                s.advisory.title()
            )?;
            if cx.verbose {
                writeln!(
                    out,
                    "     [{} · {} · counts {:.2} = weight {:.1} × confidence {:.2}]",
                    s.advisory,
                    s.code,
                    s.weight * s.confidence,
                    s.weight,
                    s.confidence
                )?;
            } else {
                let strength = if cx.policy.is_strong(s) {
                    "a strong sign"
                } else {
                    "a weak sign"
                };
                writeln!(out, "     {strength}; advisory {}", s.advisory)?;
            }
            for e in s.evidence.iter().take(6) {
                let line = if cx.verbose {
                    evidence_line(e)
                } else {
                    evidence_words(e, cx)
                };
                writeln!(out, "     • {}", clean(&line))?;
            }
            if s.evidence.len() > 6 {
                writeln!(
                    out,
                    "     • … {} more records (use --format json)",
                    s.evidence.len() - 6
                )?;
            }
        }
    }
    if !a.sanctions.is_empty() {
        writeln!(out, "\nSanctions matches")?;
        for h in &a.sanctions {
            writeln!(
                out,
                "  [{}] {} {} \"{}\" matched \"{}\" ({:.3}): {}",
                h.status,
                h.list,
                h.entity_id,
                clean(&h.name),
                clean(&h.matched_name),
                h.score,
                clean(&h.why)
            )?;
        }
    }
    if !a.linked_subjects.is_empty() {
        writeln!(out, "\nLinked people")?;
        for l in &a.linked_subjects {
            let shared: Vec<String> = l.via.iter().map(|v| shared_words(v, cx.verbose)).collect();
            // Stored before tie strengths were recorded: say nothing rather than "weak".
            let tie = if l.strength <= 0.0 {
                ""
            } else if l.strength >= cx.policy.scoring.strong_min_confidence {
                " (a strong tie)"
            } else {
                " (a weak tie: common among people who live or work together, or know each other)"
            };
            writeln!(
                out,
                "  {}: {}{tie}",
                clean(&who(&l.subject, cx)),
                clean(&shared.join(", "))
            )?;
        }
    }
    write_checked(out, a, cx)?;
    if !a.actions.is_empty() {
        writeln!(out, "\nWhat to do next")?;
        for act in &a.actions {
            writeln!(out, "  [{}] {}", act.advisory, act.text)?;
        }
    }
    Ok(())
}

/// How the score arose, in words: where everyone starts, which signs were strong and
/// which weak, and why the score stopped where it did.
fn write_how(out: &mut dyn Write, a: &Assessment, cx: &Context) -> Result<()> {
    let p = &cx.policy;
    let start = (100.0 / (1.0 + (-p.scoring.prior).exp())).round();
    writeln!(out, "\nHow the score arose")?;
    if a.signals.is_empty() {
        writeln!(
            out,
            "  No red flags were found in the records: the score stays where everyone starts, about {start} of 100."
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "  Everyone starts at about {start} of 100; each sign below raises the odds, and each part of the advisory counts only up to a limit, so one kind of evidence repeated cannot outweigh several kinds."
    )?;
    let titles = |strong: bool| {
        let mut t: Vec<&str> = Vec::new();
        for s in a.signals.iter().filter(|s| p.is_strong(s) == strong) {
            if !t.contains(&s.advisory.title()) {
                t.push(s.advisory.title());
            }
        }
        t.join("; ")
    };
    let strong = titles(true);
    if !strong.is_empty() {
        writeln!(out, "  Strong signs: {strong}.")?;
    }
    let weak = titles(false);
    if !weak.is_empty() {
        writeln!(
            out,
            "  Weak signs (each has common innocent explanations): {weak}."
        )?;
    }
    let scored = scoring::assess(&a.signals, p);
    if scored.score == a.score && scored.band == a.band {
        writeln!(out, "  In short: {}.", scored.note)?;
    } else {
        // A policy other than the one given made this assessment: its note would
        // describe a score the reader is not looking at.
        writeln!(
            out,
            "  This assessment was made with another policy than the one given here; pass the scan's with --policy to see why the score stopped where it did."
        )?;
    }
    Ok(())
}

/// What was checked and what was not: the policy, the sanctions lists, IP data.
fn write_checked(out: &mut dyn Write, a: &Assessment, cx: &Context) -> Result<()> {
    writeln!(out, "\nWhat was checked")?;
    match &cx.scan {
        Some(scan) => {
            let label = scan.policy.split(';').next().unwrap_or_default().trim();
            let fingerprint = label.strip_prefix("policy ").unwrap_or(label);
            if !fingerprint.is_empty() {
                writeln!(out, "  Policy: fingerprint {}", clean(fingerprint))?;
            }
            if scan.lists.is_empty() {
                writeln!(
                    out,
                    "  Sanctions lists: none were loaded, so names, wallets, e-mails and phone numbers were not screened (`redflag lists update`)"
                )?;
            } else {
                writeln!(out, "  Sanctions lists: {}", clean(&scan.lists.join("; ")))?;
            }
        }
        None => {
            let mut seen: Vec<String> = a
                .sanctions
                .iter()
                .map(|h| match &h.list_version {
                    Some(v) => format!("{} {v}", h.list),
                    None => h.list.clone(),
                })
                .collect();
            seen.sort();
            seen.dedup();
            if seen.is_empty() {
                writeln!(
                    out,
                    "  Sanctions lists: the audit log no longer says which were loaded for this scan"
                )?;
            } else {
                writeln!(out, "  Sanctions lists: {}", clean(&seen.join("; ")))?;
            }
        }
    }
    let ip_signals = a.signals.iter().any(|s| {
        matches!(
            s.code.as_str(),
            "logins.multi_country"
                | "logins.impossible_travel"
                | "logins.anonymised"
                | "location.login_country"
        )
    });
    let skipped = cx.scan.as_ref().and_then(|scan| scan.skipped.as_ref());
    if let Some(skipped) = skipped {
        if skipped.iter().any(|code| code.starts_with("logins.")) {
            writeln!(
                out,
                "  IP data: not loaded, so login countries, anonymised logins and impossible travel were not checked (`redflag intel update`)"
            )?;
        } else {
            writeln!(
                out,
                "  IP data: loaded; login countries, anonymised logins and impossible travel were checked"
            )?;
        }
    } else if ip_signals {
        writeln!(
            out,
            "  IP data: used (login countries and networks above come from it)"
        )?;
    } else {
        writeln!(
            out,
            "  IP data: not recorded with the assessment; without it login countries, anonymised logins and impossible travel are not checked (`redflag intel status`)"
        )?;
    }
    Ok(())
}

/// A linked subject as a person reads it: the name where their assessment gives it.
fn who(subject: &SubjectId, cx: &Context) -> String {
    let found = cx.linked.iter().find(|l| &l.subject == subject);
    let name = found.and_then(|l| l.name.as_deref());
    let band = found.and_then(|l| l.band);
    let mut text = match name {
        Some(n) => format!("{n} ({subject})"),
        None => subject.to_string(),
    };
    match band {
        Some(b) => text.push_str(&format!(", rated {b}")),
        None => text.push_str(", not assessed"),
    }
    text
}

/// `payout_account:acct-51` as "the same payout account acct-51". A photo's perceptual
/// hash means nothing to a reader, so it is shown only with --verbose.
fn shared_words(via: &str, verbose: bool) -> String {
    let (kind, value) = via.split_once(':').unwrap_or((via, ""));
    let what = match kind {
        "payout_account" => "payout account",
        "holder" => "payout account holder",
        "mfa_device" => "second-factor device",
        "photo" => "profile photo",
        "email" => "e-mail",
        "phone" => "phone number",
        "wallet" => "wallet",
        "device" => "device",
        "address" => "address",
        "public_ip" => "laptop public IP",
        "login_ip" => "sign-in IP (home connection)",
        "bank_account" => "bank account",
        other => other,
    };
    if kind == "referral" {
        return format!("a referral (by {value})");
    }
    if kind == "photo_near" {
        // `a~b (n bits apart)`: the hashes only for those who asked.
        let (hashes, apart) = value.split_once(" (").unwrap_or((value, ""));
        let apart = apart.trim_end_matches(')').replace("1 bits", "1 bit");
        return if verbose {
            format!("an edited copy of the same profile photo, {apart} ({hashes})")
        } else {
            format!("an edited copy of the same profile photo, {apart}")
        };
    }
    // A photo's hash and an address's index key mean nothing to a reader.
    if value.is_empty() || (matches!(kind, "photo" | "address") && !verbose) {
        format!("the same {}", what.replace('_', " "))
    } else {
        format!("the same {} {value}", what.replace('_', " "))
    }
}

/// One piece of evidence in words: what record, when, and what it says, without the
/// store's record keys (`#…`, `c-1-activity-3`) that mean nothing to a reader. A
/// subject's id is kept where it names a linked person.
fn evidence_words(e: &Evidence, cx: &Context) -> String {
    let linked =
        e.id.as_deref()
            .filter(|_| e.kind == Kind::Subject)
            .and_then(|id| cx.linked.iter().find(|l| l.subject.as_str() == id));
    if let Some(l) = linked {
        let shared = match (e.details.get("shared"), e.details.get("value")) {
            (Some(serde_json::Value::String(kind)), Some(serde_json::Value::String(value))) => {
                shared_words(&format!("{kind}:{value}"), cx.verbose)
            }
            // Risk along a link (links.cell): the tags shared, and the neighbour's own score.
            (Some(serde_json::Value::Array(tags)), _) => {
                let words: Vec<String> = tags
                    .iter()
                    .filter_map(serde_json::Value::as_str)
                    .map(|t| shared_words(t, cx.verbose))
                    .collect();
                match e
                    .details
                    .get("own_score")
                    .and_then(serde_json::Value::as_u64)
                {
                    Some(own) => {
                        format!("{}; {own} of 100 on their own evidence", words.join(", "))
                    }
                    None => words.join(", "),
                }
            }
            _ => "shared identifiers".to_owned(),
        };
        return format!("{}: {shared}", who(&l.subject, cx));
    }
    let mut line = match (e.kind, &e.id) {
        (Kind::Subject, _) => "profile".to_owned(),
        (kind, _) => kind.to_string().replace('_', " "),
    };
    if let Some(at) = e.at {
        line.push_str(&format!(" on {}", at.strftime("%Y-%m-%d %H:%M UTC")));
    }
    let details: Vec<String> = e
        .details
        .iter()
        .map(|(k, v)| format!("{} {}", k.replace('_', " "), value_words(v)))
        .collect();
    if !details.is_empty() {
        line.push_str(": ");
        line.push_str(&details.join("; "));
    }
    line
}

fn value_words(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(true) => "yes".into(),
        serde_json::Value::Bool(false) => "no".into(),
        serde_json::Value::Array(items) => {
            items.iter().map(value_words).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    }
}

/// One piece of evidence as stored, keys and all (CSV and --verbose).
fn evidence_line(e: &Evidence) -> String {
    let mut line = e.kind.to_string();
    if let Some(id) = &e.id {
        line.push(' ');
        line.push_str(id);
    }
    if let Some(at) = e.at {
        line.push_str(&format!(" at {}", at.strftime("%Y-%m-%d %H:%M UTC")));
    }
    let details: Vec<String> = e
        .details
        .iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => format!("{k}: {s}"),
            other => format!("{k}: {other}"),
        })
        .collect();
    if !details.is_empty() {
        line.push_str(&format!(" ({})", details.join(", ")));
    }
    line
}

#[cfg(test)]
mod tests {
    use redflag_model::{Advisory, LinkedSubject, Signal};

    use super::*;

    fn weak(code: &str, advisory: Advisory) -> Signal {
        Signal {
            code: code.into(),
            advisory,
            weight: 3.0,
            confidence: 1.0,
            summary: format!("{code} fired"),
            evidence: vec![],
        }
    }

    fn text(a: &Assessment, cx: &Context) -> String {
        let mut out = Vec::new();
        write_text(&mut out, a, cx).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn weak_only_says_where_it_stopped_and_linked_people_are_named() {
        let policy = Policy::default();
        let signals = vec![
            weak("payments.crypto_requested", Advisory::RF2),
            weak("credentials.not_verified", Advisory::M5),
            weak("contracts.work_before_contract", Advisory::RF9),
        ];
        let scored = scoring::assess(&signals, &policy);
        let a = Assessment {
            subject: "c-1".parse().unwrap(),
            name: Some("Ana Lima".into()),
            score: scored.score,
            band: scored.band,
            assessed_at: "2026-04-01T00:00:00Z".parse().unwrap(),
            as_of: None,
            signals,
            sanctions: vec![],
            linked_subjects: vec![LinkedSubject {
                subject: "c-2".parse().unwrap(),
                via: vec!["photo:df3ae786fb71b96f".into(), "phone:+15550100".into()],
                strength: 0.975,
            }],
            actions: vec![],
            identities: Default::default(),
        };
        let mut cx = Context {
            policy,
            linked: vec![Linked {
                subject: "c-2".parse().unwrap(),
                name: Some("Bo Kim".into()),
                band: Some(Band::Medium),
            }],
            scan: None,
            verbose: false,
        };
        let plain = text(&a, &cx);
        assert!(
            plain.contains("In short: three weak signals, nothing strong: held at medium"),
            "{plain}"
        );
        assert!(
            plain.contains(
                "Bo Kim (c-2), rated medium: the same profile photo, the same phone number +15550100"
            ),
            "{plain}"
        );
        assert!(!plain.contains("df3ae786"), "{plain}");
        cx.verbose = true;
        assert!(text(&a, &cx).contains("the same profile photo df3ae786fb71b96f"));
    }
}
