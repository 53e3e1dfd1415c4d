//! RF4 — "inconsistencies in … profiles" (advisory red flag 4): online profiles whose
//! history was made to look older than it is. A GitHub account opened in the last months
//! whose activity goes back years (history imported or copied, per the `oldest_activity`
//! field of the spec), or a LinkedIn profile with a handful of connections behind a
//! career of many years. Each has innocent explanations (a developer who moved old
//! repositories to a new account, someone who avoids LinkedIn), so the signal is weak.

use redflag_model::{Advisory, Kind, OnlineProfile, Signal};

use crate::detector::{Context, Detector};
use crate::state::{SubjectState, evidence_of};
use crate::support::time::{day_of, days};

pub struct HistoryImported;

impl Detector for HistoryImported {
    fn code(&self) -> &'static str {
        "profiles.history_imported"
    }
    fn advisory(&self) -> Advisory {
        Advisory::RF4
    }
    fn describe(&self) -> &'static str {
        "a new GitHub account with years of older history, or a long career with few LinkedIn connections"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let Some(latest) = s.latest_profile_keyed() else {
            return;
        };
        let p = &latest.record;
        let t = &ctx.policy.thresholds;
        let today = day_of(ctx.as_of);
        let mut parts = Vec::new();
        let mut ev = evidence_of(Kind::Subject, latest, p.observed_at);
        let network = |o: &OnlineProfile, n: &str| o.network.eq_ignore_ascii_case(n);

        for o in p.profiles.iter().filter(|o| network(o, "github")) {
            let (Some(created), Some(oldest)) = (&o.created, &o.oldest_activity) else {
                continue;
            };
            let age = days(created.earliest(), today);
            // Read in the person's favour: the latest the history can begin, the
            // earliest the account can have been opened.
            let imported = days(oldest.latest(), created.earliest());
            if age <= i64::from(t.new_account_days)
                && imported > i64::from(t.imported_history_years) * 365
            {
                let who = o
                    .username
                    .as_deref()
                    .map(|u| format!(" {u}"))
                    .unwrap_or_default();
                parts.push(format!(
                    "GitHub account{who} created {created} shows activity from {oldest}"
                ));
                ev = ev
                    .with("github_created", created.to_string())
                    .with("github_oldest_activity", oldest.to_string());
            }
        }

        // The career the profile claims: from the first start to the last end (or today).
        let first = p
            .work
            .iter()
            .filter_map(|w| w.start)
            .map(|d| d.earliest())
            .min();
        let last = p
            .work
            .iter()
            .map(|w| w.end.map_or(today, |e| e.latest()))
            .max();
        let career_years = match (first, last) {
            (Some(f), Some(l)) => days(f, l) / 365,
            _ => 0,
        };
        if career_years >= i64::from(t.linkedin_career_years) {
            for o in p.profiles.iter().filter(|o| network(o, "linkedin")) {
                let Some(connections) = o.connections else {
                    continue;
                };
                if connections < t.linkedin_min_connections {
                    parts.push(format!(
                        "LinkedIn profile with {connections} connections behind {career_years} years of work"
                    ));
                    ev = ev
                        .with("linkedin_connections", connections)
                        .with("career_years", career_years);
                }
            }
        }
        if parts.is_empty() {
            return;
        }
        let confidence = if parts.len() > 1 { 0.6 } else { 0.4 };
        ctx.emit(self, confidence, parts.join("; "), vec![ev], out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    #[test]
    fn a_new_account_with_old_history_and_a_bare_linkedin_fire() {
        let signals = run(
            &HistoryImported,
            &[r#"{"kind":"subject","id":"c-1","profiles":[
                {"network":"github","username":"dpark-dev","created":"2025-11-20","oldest_activity":"2019-03-14"},
                {"network":"linkedin","created":"2019-04-02","connections":38}],
                "work":[{"employer":"Shopify","title":"Senior Software Engineer","start":"2016-01","end":"2021-06"},
                        {"employer":"Stripe","title":"Staff Engineer","start":"2021-07"}]}"#],
        );
        assert_eq!(
            signals[0].summary,
            "GitHub account dpark-dev created 2025-11-20 shows activity from 2019-03-14; \
             LinkedIn profile with 38 connections behind 10 years of work"
        );
        assert!(signals[0].confidence > 0.4);
    }

    #[test]
    fn a_new_graduate_with_a_young_account_is_quiet() {
        assert!(run(&HistoryImported, &[
            r#"{"kind":"subject","id":"c-1","profiles":[
            {"network":"github","username":"newgrad","created":"2025-12-01","oldest_activity":"2025-12-03"},
            {"network":"linkedin","connections":12}],
            "work":[{"employer":"Shopify","title":"Developer","start":"2025-05"}]}"#,
        ]).is_empty());
    }

    #[test]
    fn an_old_account_with_old_history_is_quiet() {
        assert!(
            run(
                &HistoryImported,
                &[r#"{"kind":"subject","id":"c-1","profiles":[
            {"network":"github","created":"2014-02-01","oldest_activity":"2012-01-01"}]}"#,]
            )
            .is_empty()
        );
    }
}
