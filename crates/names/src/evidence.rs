//! Supporting evidence: what besides the name makes a candidate more or less likely to be
//! the same person or organisation. The name score says whether the *names* agree; the
//! caller owns the facts (dates of birth, nationalities, entity types) and calls `adjust`
//! before applying its threshold.

use crate::NameKind;

/// A possibly partial date: a year, a year and month, or a full date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PartialDate {
    /// Calendar year.
    pub year: i32,
    /// Month 1–12, when known.
    pub month: Option<u8>,
    /// Day 1–31, when known (only with a month).
    pub day: Option<u8>,
}

impl PartialDate {
    /// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD"; `None` for anything else or for an
    /// impossible month or day.
    pub fn parse(text: &str) -> Option<PartialDate> {
        let mut parts = text.trim().split('-');
        let year_text = parts.next()?;
        if year_text.len() != 4 {
            return None;
        }
        let year: i32 = year_text.parse().ok()?;
        let month = match parts.next() {
            Some(m) => Some(m.parse::<u8>().ok().filter(|m| (1..=12).contains(m))?),
            None => None,
        };
        let day = match parts.next() {
            Some(d) => Some(d.parse::<u8>().ok().filter(|d| (1..=31).contains(d))?),
            None => None,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(PartialDate { year, month, day })
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

/// Facts about the screened party (query) and the listed one (candidate). Leave out what
/// is not known: absent evidence neither raises nor lowers a score.
#[derive(Clone, Debug, Default)]
pub struct SupportingEvidence {
    /// Date of birth of the screened person.
    pub query_dob: Option<PartialDate>,
    /// Dates of birth on the list entry (lists often give several, or a range: pass each
    /// year of a range).
    pub candidate_dobs: Vec<PartialDate>,
    /// Nationalities or countries of the screened party, as codes or names; compared
    /// case-insensitively, so use the same coding on both sides.
    pub query_countries: Vec<String>,
    /// Nationalities or countries on the list entry.
    pub candidate_countries: Vec<String>,
    /// Person or organisation, if known (`Unknown` otherwise).
    pub query_kind: NameKind,
    /// Kind of the list entry.
    pub candidate_kind: NameKind,
}

/// Below this name score, evidence cannot lift a candidate: matching dates of birth do not
/// make two different names the same.
const MIN_SCORE_FOR_SUPPORT: f64 = 0.6;
const DOB_EXACT: f64 = 0.15;
const DOB_YEAR_MONTH: f64 = 0.10;
const DOB_YEAR: f64 = 0.05;
const DOB_CONFLICT: f64 = -0.25;
const DOB_SAME_YEAR_CONFLICT: f64 = -0.12;
const COUNTRY_MATCH: f64 = 0.05;
const COUNTRY_CONFLICT: f64 = -0.05;
const KIND_CONFLICT: f64 = -0.30;

/// Adjusts a name score with supporting evidence and says why: a matching date of birth
/// raises it (more for a full date than for a year; a year ±1 is treated as unknown, since
/// lists often give approximate years), a conflicting one lowers it, shared nationality
/// raises it a little and disjoint nationalities lower it a little, and a person matched
/// against an organisation (or the reverse) lowers it sharply. Raises apply only to name
/// scores of at least 0.6. The result stays in 0..=1; thresholds are the caller's.
pub fn adjust(score: f64, evidence: &SupportingEvidence) -> (f64, Vec<String>) {
    let mut delta = 0.0;
    let mut reasons = Vec::new();
    let can_raise = score >= MIN_SCORE_FOR_SUPPORT;

    if let Some(query) = evidence
        .query_dob
        .filter(|_| !evidence.candidate_dobs.is_empty())
    {
        let best = evidence
            .candidate_dobs
            .iter()
            .map(|c| (dob_delta(&query, c), c))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((d, candidate)) = best {
            if d > 0.0 && can_raise {
                delta += d;
                reasons.push(format!(
                    "date of birth matches ({query} ~ {candidate}): +{d:.2}"
                ));
            } else if d < 0.0 {
                delta += d;
                reasons.push(format!(
                    "date of birth differs ({query} vs {candidate}): {d:.2}"
                ));
            }
        }
    }

    let norm = |s: &String| s.trim().to_uppercase();
    let query_countries: Vec<String> = evidence.query_countries.iter().map(norm).collect();
    let candidate_countries: Vec<String> = evidence.candidate_countries.iter().map(norm).collect();
    if !query_countries.is_empty() && !candidate_countries.is_empty() {
        match query_countries
            .iter()
            .find(|c| candidate_countries.contains(c))
        {
            Some(shared) if can_raise => {
                delta += COUNTRY_MATCH;
                reasons.push(format!("country {shared} on both: +{COUNTRY_MATCH:.2}"));
            }
            Some(_) => {}
            None => {
                delta += COUNTRY_CONFLICT;
                reasons.push(format!(
                    "no shared country ({} vs {}): {COUNTRY_CONFLICT:.2}",
                    query_countries.join("/"),
                    candidate_countries.join("/")
                ));
            }
        }
    }

    let kinds = (evidence.query_kind, evidence.candidate_kind);
    if matches!(
        kinds,
        (NameKind::Person, NameKind::Organization) | (NameKind::Organization, NameKind::Person)
    ) {
        delta += KIND_CONFLICT;
        reasons.push(format!(
            "entity types differ ({:?} vs {:?}): {KIND_CONFLICT:.2}",
            kinds.0, kinds.1
        ));
    }

    ((score + delta).clamp(0.0, 1.0), reasons)
}

/// Score change for one pair of dates, compared at the precision both have.
fn dob_delta(a: &PartialDate, b: &PartialDate) -> f64 {
    let years_apart = (a.year - b.year).abs();
    if years_apart >= 2 {
        return DOB_CONFLICT;
    }
    if years_apart == 1 {
        return 0.0;
    }
    match (a.month.zip(b.month), a.day.zip(b.day)) {
        (Some((ma, mb)), _) if ma != mb => DOB_SAME_YEAR_CONFLICT,
        (Some(_), Some((da, db))) if da != db => DOB_SAME_YEAR_CONFLICT,
        (Some(_), Some(_)) => DOB_EXACT,
        (Some(_), None) => DOB_YEAR_MONTH,
        (None, _) => DOB_YEAR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    #[test]
    fn parses_partial_dates() {
        assert_eq!(date("1984").month, None);
        assert_eq!(date("1984-01").month, Some(1));
        assert_eq!(date("1984-01-08").day, Some(8));
        assert_eq!(PartialDate::parse("1984-13"), None);
        assert_eq!(PartialDate::parse("84"), None);
        assert_eq!(PartialDate::parse("1984-01-08-01"), None);
        assert_eq!(date("1984-01-08").to_string(), "1984-01-08");
    }

    #[test]
    fn dates_raise_and_lower() {
        let mut e = SupportingEvidence {
            query_dob: Some(date("1984-01-08")),
            candidate_dobs: vec![date("1984-01-08")],
            ..Default::default()
        };
        let (s, why) = adjust(0.8, &e);
        assert!((s - 0.95).abs() < 1e-9, "{s} {why:?}");
        e.candidate_dobs = vec![date("1990")];
        let (s, _) = adjust(0.8, &e);
        assert!((s - 0.55).abs() < 1e-9);
        e.candidate_dobs = vec![date("1983")];
        assert_eq!(adjust(0.8, &e).0, 0.8);
        e.candidate_dobs = vec![date("1984")];
        assert!((adjust(0.8, &e).0 - 0.85).abs() < 1e-9);
        // A weak name match is not lifted by a matching date.
        e.candidate_dobs = vec![date("1984-01-08")];
        assert_eq!(adjust(0.4, &e).0, 0.4);
    }

    #[test]
    fn countries_and_kinds() {
        let e = SupportingEvidence {
            query_countries: vec!["kp".into()],
            candidate_countries: vec!["KP".into(), "CN".into()],
            query_kind: NameKind::Person,
            candidate_kind: NameKind::Organization,
            ..Default::default()
        };
        let (s, why) = adjust(0.9, &e);
        assert!((s - 0.65).abs() < 1e-9, "{s} {why:?}");
        assert_eq!(why.len(), 2);
    }
}
