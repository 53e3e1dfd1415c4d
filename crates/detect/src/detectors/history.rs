//! RF4 — "inconsistencies in … education, work history" (advisory red flag 4): a
//! history that cannot have happened. A degree finished before the person was old enough
//! to earn one, or two full-time jobs held at once for months. Dates are read in the
//! person's favour (a partial date means whichever day makes the story possible), so a
//! change of job with a few weeks' overlap, part-time, contract and freelance work, and a
//! promotion at the same employer stay quiet. Weaker, and only as part of the story: no
//! education or work history at all from someone applying for work; and every school and
//! employer in one country that is neither where they say they live nor their
//! nationality (an immigrant who studied abroad has at least a job where they live).

use redflag_model::{Advisory, Kind, Signal, Work};

use crate::detector::{Context, Detector};
use crate::state::{SubjectState, evidence_of};
use crate::support::time::{day_of, days};

pub struct ImplausibleHistory;

/// Titles of work that is meant to be combined with other work.
const NOT_FULL_TIME: [&str; 3] = ["part", "contract", "freelance"];

/// Schooling below a degree, which teenagers finish.
const SCHOOL: [&str; 4] = ["high school", "secondary", "ged", "a-level"];

fn full_time(w: &Work) -> bool {
    let title = w.title.as_deref().unwrap_or("").to_lowercase();
    !NOT_FULL_TIME.iter().any(|k| title.contains(k))
}

fn label(w: &Work) -> String {
    let title = w.title.as_deref().unwrap_or("job");
    match w.employer.as_deref() {
        Some(e) => format!("{title} at {e}"),
        None => title.to_owned(),
    }
}

impl Detector for ImplausibleHistory {
    fn code(&self) -> &'static str {
        "history.implausible"
    }
    fn advisory(&self) -> Advisory {
        Advisory::RF4
    }
    fn describe(&self) -> &'static str {
        "a degree finished too young, or full-time jobs held at the same time for months"
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
        let mut confidence: f64 = 0.0;

        if let Some(dob) = &p.date_of_birth {
            for e in &p.education {
                let Some(end) = &e.end else { continue };
                let what = format!(
                    "{} {}",
                    e.degree.as_deref().unwrap_or(""),
                    e.institution.as_deref().unwrap_or("")
                )
                .to_lowercase();
                if e.degree.is_none() || SCHOOL.iter().any(|k| what.contains(k)) {
                    continue;
                }
                // The oldest the person can have been when it ended.
                let age_days = days(dob.earliest(), end.latest());
                if age_days < i64::from(t.degree_min_age) * 365 {
                    let degree = e.degree.as_deref().unwrap_or("degree");
                    let school = e
                        .institution
                        .as_deref()
                        .map(|i| format!(" from {i}"))
                        .unwrap_or_default();
                    parts.push(format!(
                        "{degree}{school} finished {end} at about {} (born {dob})",
                        age_days / 365
                    ));
                    ev = ev
                        .with("date_of_birth", dob.to_string())
                        .with("education_end", end.to_string());
                    confidence = confidence.max(0.6);
                }
            }
        }

        let jobs: Vec<&Work> = p.work.iter().filter(|w| full_time(w)).collect();
        let mut overlapping = Vec::new();
        for (i, a) in jobs.iter().enumerate() {
            for b in &jobs[i + 1..] {
                let same_employer = a.employer.is_some()
                    && a.employer.as_deref().map(str::to_lowercase)
                        == b.employer.as_deref().map(str::to_lowercase);
                let (Some(sa), Some(sb)) = (&a.start, &b.start) else {
                    continue;
                };
                if same_employer {
                    continue;
                }
                // The least the two can have overlapped: latest starts, earliest ends, and
                // a job without an end runs to today.
                let start = sa.latest().max(sb.latest());
                let end_of = |w: &Work| w.end.map_or(today, |e| e.earliest());
                let end = end_of(a).min(end_of(b));
                let overlap = days(start, end);
                if overlap > i64::from(t.job_overlap_days) {
                    parts.push(format!(
                        "{} and {} overlap by at least {} months",
                        label(a),
                        label(b),
                        overlap / 30
                    ));
                    overlapping.push(label(a));
                    overlapping.push(label(b));
                    confidence = confidence.max(0.5);
                }
            }
        }
        if p.education.is_empty() && p.work.is_empty() && (p.role.is_some() || p.rate.is_some()) {
            parts.push("gives no education and no work history at all".to_owned());
            confidence = confidence.max(0.3);
        }
        let claimed: Vec<_> = [p.location.as_ref().and_then(|l| l.country), p.nationality]
            .into_iter()
            .flatten()
            .collect();
        let places: Vec<_> = p
            .education
            .iter()
            .filter_map(|e| e.country)
            .chain(p.work.iter().filter_map(|w| w.country))
            .collect();
        if !claimed.is_empty()
            && places.len() >= 2
            && places
                .iter()
                .all(|c| *c == places[0] && !claimed.contains(c))
        {
            let claims = claimed
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(" / ");
            parts.push(format!(
                "every school and employer listed ({}) is in {}, none in {claims} where they say they live or belong",
                places.len(),
                places[0]
            ));
            ev = ev.with("history_country", places[0].to_string());
            confidence = confidence.max(0.3);
        }
        if parts.is_empty() {
            return;
        }
        overlapping.sort();
        overlapping.dedup();
        if !overlapping.is_empty() {
            ev = ev.with("overlapping_jobs", overlapping);
        }
        if parts.len() > 1 {
            confidence = (confidence + 0.1).min(0.8);
        }
        ctx.emit(self, confidence, parts.join("; "), vec![ev], out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    #[test]
    fn a_degree_at_sixteen_fires() {
        let signals = run(
            &ImplausibleHistory,
            &[
                r#"{"kind":"subject","id":"c-1","date_of_birth":"2000-05-12","education":[{"institution":"University of Texas at Austin","degree":"BSc","end":"2016-05"}]}"#,
            ],
        );
        assert_eq!(
            signals[0].summary,
            "BSc from University of Texas at Austin finished 2016-05 at about 16 (born 2000-05-12)"
        );
    }

    #[test]
    fn two_full_time_jobs_for_a_year_fire() {
        let signals = run(
            &ImplausibleHistory,
            &[r#"{"kind":"subject","id":"c-1","work":[
                {"employer":"Shopify","title":"Senior Software Engineer","start":"2019-01","end":"2021-06"},
                {"employer":"Stripe","title":"Staff Engineer","start":"2020-03"}]}"#],
        );
        assert_eq!(
            signals[0].summary,
            "Senior Software Engineer at Shopify and Staff Engineer at Stripe overlap by at least 14 months"
        );
    }

    #[test]
    fn no_history_at_all_or_a_whole_life_elsewhere_is_weak() {
        let none = run(
            &ImplausibleHistory,
            &[r#"{"kind":"subject","id":"c-1","role":"full-stack developer"}"#],
        );
        assert_eq!(
            none[0].summary,
            "gives no education and no work history at all"
        );
        let elsewhere = run(
            &ImplausibleHistory,
            &[
                r#"{"kind":"subject","id":"c-1","nationality":"US","location":{"country":"US"},
            "education":[{"institution":"Shenyang University","country":"CN"}],
            "work":[{"employer":"Liaoning Tech","country":"CN","start":"2018-01"}]}"#,
            ],
        );
        assert!(
            elsewhere[0]
                .summary
                .contains("every school and employer listed (2) is in CN"),
            "{}",
            elsewhere[0].summary
        );
        assert!(elsewhere[0].confidence <= 0.3);
    }

    #[test]
    fn an_immigrant_and_a_korean_canadian_are_quiet() {
        assert!(run(&ImplausibleHistory, &[r#"{"kind":"subject","id":"c-1","nationality":"CA","location":{"country":"CA"},
            "education":[{"institution":"Yonsei University","country":"KR"},{"institution":"Korea University","country":"KR"}],
            "work":[{"employer":"Shopify","country":"CA","start":"2019-01"}]}"#]).is_empty());
    }

    #[test]
    fn a_new_graduate_a_job_change_and_side_work_are_quiet() {
        assert!(run(&ImplausibleHistory, &[
            r#"{"kind":"subject","id":"c-1","date_of_birth":"2003-02-01",
            "education":[{"institution":"Lincoln High School","degree":"High School Diploma","end":"2021-06"},
                         {"institution":"University of Waterloo","degree":"BMath","end":"2025-04"}],
            "work":[{"employer":"Shopify","title":"Developer","start":"2025-05","end":"2025-12"},
                    {"employer":"Stripe","title":"Developer","start":"2025-11"},
                    {"employer":"Acme","title":"Freelance developer","start":"2024-01"},
                    {"employer":"Stripe","title":"Senior Developer","start":"2026-01"}]}"#,
        ]).is_empty());
    }
}
