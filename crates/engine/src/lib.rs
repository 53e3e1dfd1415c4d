//! One pipeline from records to assessments, whichever door the records come in by
//! (`redflag scan` over files today; the HTTP API and the NATS worker later).
//!
//! [`Engine::ingest`] folds a record into its subject's state and the cross-subject link
//! index; [`Engine::assess`] runs every detector whose reference data is available,
//! scores the signals and lists the due-diligence steps. Records may arrive in any order;
//! the caller applies each stored record once (the store deduplicates).
//!
//! Time follows the data: an assessment speaks for an as-of moment, by default the
//! newest record ([`Engine::as_of`]). To assess as of an earlier moment, set it as the
//! cutoff ([`Engine::restart`]) before ingesting, so what happened after it is never
//! folded in. Windowed rules look at every window of the history up to the as-of and
//! report the worst.

use std::collections::{BTreeSet, HashMap};

mod cells;
mod identities;

use identities::{IdentityBook, Resolution};

use redflag_detect::detectors;
use redflag_detect::screening::{self, Screened};
use redflag_detect::support::names::current_employers;
use redflag_detect::support::phones::PhoneBook;
use redflag_detect::ties::{TieContext, usable_links};
use redflag_detect::{
    Context, CountryPoints, DataSet, Detector, LinkIndex, Policy, PopulationStats, SubjectState,
    playbook, scoring,
};
use redflag_intel::IpIntel;
use redflag_model::{
    Advisory, Assessment, IdentityNotes, LinkedSubject, MergedId, ParsedRecord, SanctionsDecision,
    SubjectId, Timestamp,
};
use redflag_watchlist::Screener;

/// A detector that could not run, and what it lacked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub code: &'static str,
    pub description: &'static str,
    pub missing: DataSet,
}

pub struct Engine {
    policy: Policy,
    detectors: Vec<Box<dyn Detector>>,
    available: BTreeSet<DataSet>,
    subjects: HashMap<SubjectId, SubjectState>,
    links: LinkIndex,
    records: u64,
    /// Records left out because they happened after the cutoff.
    after_cutoff: u64,
    /// Evidence after this moment is not folded in (see [`Engine::restart`]).
    cutoff: Option<Timestamp>,
    /// The newest `at` among the records folded in.
    newest: Option<Timestamp>,
    intel: Option<IpIntel>,
    points: Option<CountryPoints>,
    screener: Option<Screener>,
    /// Analysts' decisions on sanctions hits, by subject (see
    /// [`Engine::set_sanctions_decisions`]).
    decisions: HashMap<SubjectId, Vec<SanctionsDecision>>,
    /// Which subject each id's records belong to (see [`identities`]).
    identities: IdentityBook,
    /// Where each id's records went when folded in (`None`: to the id itself).
    folded_as: HashMap<SubjectId, Option<SubjectId>>,
    /// [`IdentityBook::resolve`] remembered; emptied when a claim is learnt.
    resolved: HashMap<SubjectId, Option<SubjectId>>,
    /// Whether a claim was learnt after records were folded in, so some may have been
    /// folded under a resolution that no longer holds.
    learnt_since_fold: bool,
    /// Whether an id's records were seen to go to two subjects.
    stale: bool,
}

impl Engine {
    /// An engine with every detector; `available` names the reference data present.
    pub fn new(policy: Policy, available: impl IntoIterator<Item = DataSet>) -> Self {
        Engine::with_detectors(policy, available, detectors::all())
    }

    pub fn with_detectors(
        policy: Policy,
        available: impl IntoIterator<Item = DataSet>,
        detectors: Vec<Box<dyn Detector>>,
    ) -> Self {
        Engine {
            links: LinkIndex::new(
                policy.thresholds.photo_max_bits,
                policy.thresholds.resume_min_similarity,
            ),
            policy,
            detectors,
            available: available.into_iter().collect(),
            subjects: HashMap::new(),
            records: 0,
            after_cutoff: 0,
            cutoff: None,
            newest: None,
            intel: None,
            points: None,
            screener: None,
            decisions: HashMap::new(),
            identities: IdentityBook::default(),
            folded_as: HashMap::new(),
            resolved: HashMap::new(),
            learnt_since_fold: false,
            stale: false,
        }
    }

    /// Hands the engine its reference data (replacing any it had); a data set given as
    /// `None` counts as missing, so the checks that need it are skipped.
    pub fn install_reference(
        &mut self,
        intel: Option<(IpIntel, Option<CountryPoints>)>,
        screener: Option<Screener>,
    ) {
        match intel {
            Some((intel, points)) => {
                self.intel = Some(intel);
                self.points = points;
                self.available.insert(DataSet::IpIntelligence);
            }
            None => {
                self.intel = None;
                self.points = None;
                self.available.remove(&DataSet::IpIntelligence);
            }
        }
        self.available
            .retain(|set| *set != DataSet::SanctionsLists || screener.is_some());
        if screener.is_some() {
            self.available.insert(DataSet::SanctionsLists);
        }
        self.screener = screener;
    }

    /// The analysts' decisions in force (`redflag screen clear|confirm`), applied to the
    /// sanctions hits of every assessment from now on.
    pub fn set_sanctions_decisions(&mut self, decisions: Vec<SanctionsDecision>) {
        self.decisions.clear();
        for d in decisions {
            self.decisions.entry(d.subject.clone()).or_default().push(d);
        }
    }

    /// The moment to assess as of: the cutoff where one is set, else the newest record
    /// folded in; `None` before any record with a time.
    pub fn as_of(&self) -> Option<Timestamp> {
        self.cutoff.or(self.newest)
    }

    /// The time of the newest record folded in: the natural as-of of an assessment,
    /// since the data speaks up to then and not beyond.
    pub fn newest_record_at(&self) -> Option<Timestamp> {
        self.newest
    }

    /// Records ingested but left out because they happened after the cutoff.
    pub fn records_after_cutoff(&self) -> u64 {
        self.after_cutoff
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Folds one stored record in, unless it happened after the cutoff. A record filed
    /// under an id that another subject claims (an export's login, a payee's IBAN) is
    /// folded into that subject (see [`identities`]).
    pub fn ingest(&mut self, parsed: ParsedRecord) {
        self.records += 1;
        let at = parsed.record.at();
        if let (Some(at), Some(cutoff)) = (at, self.cutoff)
            && at > cutoff
        {
            self.after_cutoff += 1;
            return;
        }
        if at > self.newest {
            self.newest = at;
        }
        if self.identities.observe(&parsed.record) {
            self.resolved.clear();
            self.learnt_since_fold |= !self.folded_as.is_empty();
        }
        let raw = parsed.record.subject();
        let merged_into = match self.resolved.get(raw) {
            Some(into) => into.clone(),
            None => {
                let into = self.identities.resolve(raw).into_subject();
                if let Some(before) = self.folded_as.insert(raw.clone(), into.clone()) {
                    self.stale |= before != into;
                }
                self.resolved.insert(raw.clone(), into.clone());
                into
            }
        };
        let subject = merged_into.as_ref().unwrap_or(raw);
        self.links.observe(subject, &parsed.record);
        let state = match self.subjects.get_mut(subject.as_str()) {
            Some(state) => state,
            None => self
                .subjects
                .entry(subject.clone())
                .or_insert_with(|| SubjectState::new(subject.clone())),
        };
        state.apply(parsed.key, parsed.record);
    }

    /// Whether some records were folded into a subject other than the one their id
    /// resolves to now that every claim is known (a profile that lists a login arrived
    /// after the login's records). Fold everything again after [`Engine::refold`] when it
    /// is.
    pub fn needs_refold(&self) -> bool {
        self.stale
            || (self.learnt_since_fold
                && self
                    .folded_as
                    .iter()
                    .any(|(id, into)| &self.identities.resolve(id).into_subject() != into))
    }

    /// Empties the engine for folding the same records in again, keeping what it has
    /// learnt about identities, so that every record goes to its subject from the start.
    pub fn refold(&mut self) {
        let identities = std::mem::take(&mut self.identities);
        self.restart(self.cutoff);
        self.identities = identities;
    }

    /// Empties the engine for a replay from the start, keeping the policy, detectors and
    /// reference data. Records folded in from now on that happened after `cutoff` (by
    /// `Record::at`) are left out of state and of the link index, so an assessment as of
    /// a past moment is not swayed by what came later; they are still counted
    /// ([`Engine::records_after_cutoff`]). Records without a time (profiles without
    /// `observed_at`) are always folded in.
    pub fn restart(&mut self, cutoff: Option<Timestamp>) {
        self.subjects.clear();
        self.links = LinkIndex::new(
            self.policy.thresholds.photo_max_bits,
            self.policy.thresholds.resume_min_similarity,
        );
        self.records = 0;
        self.after_cutoff = 0;
        self.newest = None;
        self.cutoff = cutoff;
        self.identities = IdentityBook::default();
        self.folded_as.clear();
        self.resolved.clear();
        self.learnt_since_fold = false;
        self.stale = false;
    }

    /// For each subject, the ids whose records were folded into it, and why.
    fn merges(&self) -> HashMap<&SubjectId, Vec<MergedId>> {
        let mut merges: HashMap<&SubjectId, Vec<MergedId>> = HashMap::new();
        // Only ids folded elsewhere need resolving again, for the reason in words.
        let merged = self
            .folded_as
            .iter()
            .filter_map(|(id, into)| into.as_ref().map(|into| (id, into)));
        for (id, into) in merged {
            if let Resolution::Merged { why, .. } = self.identities.resolve(id) {
                merges.entry(into).or_default().push(MergedId {
                    subject: id.clone(),
                    why,
                });
            }
        }
        for list in merges.values_mut() {
            list.sort_by(|a, b| a.subject.cmp(&b.subject));
        }
        merges
    }

    /// What the assessment of `state` says about its ids.
    fn identity_notes(&self, state: &SubjectState, merged: Vec<MergedId>) -> IdentityNotes {
        let known = self.identities.is_known(&state.id);
        let unmatched = match self.identities.resolve(&state.id) {
            Resolution::Itself { note } if !known || note.is_some() => note,
            _ => None,
        };
        IdentityNotes {
            merged,
            unmatched,
            organisation: !known && is_organisation(state),
        }
    }

    /// Records ingested so far, including those left out after the cutoff.
    pub fn record_count(&self) -> u64 {
        self.records
    }

    pub fn subject_count(&self) -> usize {
        self.subjects.len()
    }

    /// Every subject any record mentions, sorted.
    pub fn subject_ids(&self) -> Vec<&SubjectId> {
        let mut ids: Vec<&SubjectId> = self.subjects.keys().collect();
        ids.sort();
        ids
    }

    pub fn state(&self, subject: &str) -> Option<&SubjectState> {
        self.subjects.get(subject)
    }

    /// Detectors that will not run for want of reference data.
    pub fn skipped(&self) -> Vec<Skipped> {
        self.detectors
            .iter()
            .filter_map(|d| {
                d.requires()
                    .iter()
                    .find(|need| !self.available.contains(need))
                    .map(|missing| Skipped {
                        code: d.code(),
                        description: d.describe(),
                        missing: *missing,
                    })
            })
            .collect()
    }

    /// What is normal among all subjects' payouts up to `as_of` (RF1 compares with it).
    /// One pass over every subject's state.
    pub fn population(&self, as_of: Timestamp) -> PopulationStats {
        PopulationStats::compute(
            self.subjects.values(),
            as_of,
            self.policy.thresholds.rf1_window_days,
        )
    }

    /// Assesses one subject. `as_of` is the moment the assessment speaks for (documents
    /// "still pending as of"); `assessed_at` is when it was made. The population
    /// statistics are computed for this call, a pass over every subject: to assess many,
    /// use [`Engine::assess_all`], which computes them once.
    pub fn assess(
        &self,
        subject: &str,
        as_of: Timestamp,
        assessed_at: Timestamp,
    ) -> Option<Assessment> {
        let population = self.population(as_of);
        let merges = self.merges();
        let mut a = self.assess_with(subject, as_of, assessed_at, &population, None, &merges)?;
        // The neighbours' own scores, for the risk that flows along links.
        let neighbours: Vec<Assessment> = a
            .linked_subjects
            .iter()
            .filter_map(|l| {
                self.assess_with(
                    l.subject.as_str(),
                    as_of,
                    assessed_at,
                    &population,
                    None,
                    &merges,
                )
            })
            .collect();
        let own: HashMap<&SubjectId, u8> = neighbours
            .iter()
            .map(|n| (&n.subject, cells::own_score(n, self)))
            .collect();
        self.add_flow(&mut a, &own);
        Some(a)
    }

    fn assess_with(
        &self,
        subject: &str,
        as_of: Timestamp,
        assessed_at: Timestamp,
        population: &PopulationStats,
        phones: Option<&PhoneBook>,
        merges: &HashMap<&SubjectId, Vec<MergedId>>,
    ) -> Option<Assessment> {
        let state = self.subjects.get(subject)?;
        let identities =
            self.identity_notes(state, merges.get(&state.id).cloned().unwrap_or_default());
        // Screened once: the sanctions detector and the assessment's list read the same
        // results.
        let screened: Vec<Screened> = self
            .screener
            .as_ref()
            .map(|s| {
                let decisions = self.decisions.get(&state.id).map_or(&[][..], Vec::as_slice);
                let threshold = self.policy.thresholds.sanctions_threshold;
                screening::screen(state, s, threshold, decisions)
            })
            .unwrap_or_default();
        let ctx = Context {
            policy: &self.policy,
            as_of,
            links: Some(&self.links),
            intel: self.intel.as_ref(),
            points: self.points.as_ref(),
            sanctions: &screened,
            population: Some(population),
            phones,
        };
        let mut signals = Vec::new();
        for d in &self.detectors {
            // A company paid is no person: of the advisory's checks only the sanctions
            // lists and the DPRK nexus apply to it.
            if identities.organisation
                && !matches!(d.advisory(), Advisory::Sanctions | Advisory::MdDprk)
            {
                continue;
            }
            if d.requires()
                .iter()
                .all(|need| self.available.contains(need))
            {
                d.detect(state, &ctx, &mut signals);
            }
        }
        signals.sort_by(|a, b| (b.weight * b.confidence).total_cmp(&(a.weight * a.confidence)));
        let (score, band) = scoring::score(&signals, &self.policy);
        let actions = playbook::actions(&signals);
        let links = usable_links(
            self.links.links_of(&state.id, &current_employers(state)),
            self.intel.as_ref(),
        );
        let ties = TieContext::of(state).with_farms(&state.id, &links, &self.links);
        let linked_subjects = links
            .iter()
            .map(|l| LinkedSubject {
                subject: l.other.clone(),
                via: l.via.iter().map(|i| i.tag()).collect(),
                strength: ties.strength_of(&l.via),
            })
            .collect();
        Some(Assessment {
            subject: state.id.clone(),
            name: state.display_name().map(str::to_owned),
            score,
            band,
            assessed_at,
            as_of: Some(as_of),
            signals,
            sanctions: screening::assessment_hits(&screened),
            linked_subjects,
            actions,
            identities,
        })
    }

    /// Assesses every subject, highest score first (ties by subject id).
    pub fn assess_all(&self, as_of: Timestamp, assessed_at: Timestamp) -> Vec<Assessment> {
        let population = self.population(as_of);
        let merges = self.merges();
        let phones = PhoneBook::build(self.subjects.values().flat_map(|s| {
            let latest = s.latest_profile();
            let home = latest
                .and_then(|p| p.location.as_ref())
                .and_then(|l| l.country);
            latest
                .into_iter()
                .flat_map(|p| &p.phones)
                .map(move |phone| (phone, home))
        }));
        let ids = self.subject_ids();
        // Subjects are assessed independently over shared, read-only state: one share
        // per core.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let share = ids.len().div_ceil(threads).max(1);
        let mut all: Vec<Assessment> = std::thread::scope(|scope| {
            let workers: Vec<_> = ids
                .chunks(share)
                .map(|chunk| {
                    let (population, phones, merges) = (&population, &phones, &merges);
                    scope.spawn(move || {
                        chunk
                            .iter()
                            .filter_map(|id| {
                                self.assess_with(
                                    id.as_str(),
                                    as_of,
                                    assessed_at,
                                    population,
                                    Some(phones),
                                    merges,
                                )
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| {
                    w.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
        let own: HashMap<SubjectId, u8> = all
            .iter()
            .filter(|a| !a.linked_subjects.is_empty())
            .map(|a| (a.subject.clone(), cells::own_score(a, self)))
            .collect();
        let own: HashMap<&SubjectId, u8> = own.iter().map(|(id, score)| (id, *score)).collect();
        for a in all.iter_mut().filter(|a| !a.linked_subjects.is_empty()) {
            self.add_flow(a, &own);
        }
        all.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then_with(|| a.subject.cmp(&b.subject))
        });
        all
    }
}

/// Whether a subject no profile speaks for is a company: the name an export gives it
/// carries a legal form (Ltd., GmbH, S.A., 주식회사…).
fn is_organisation(state: &SubjectState) -> bool {
    let name = state
        .display_name()
        .or_else(|| state.id.as_str().strip_prefix("name:"));
    name.is_some_and(redflag_names::has_legal_form)
}

#[cfg(test)]
mod tests {
    use super::*;
    use redflag_detect::detector::DataSet;
    use redflag_model::{Advisory, Band, Signal, parse_record};

    const AT: &str = "2026-04-01T00:00:00Z";

    fn engine_with(lines: &[&str]) -> Engine {
        let mut e = Engine::new(Policy::default(), []);
        for l in lines {
            e.ingest(parse_record(l).unwrap());
        }
        e
    }

    fn assess(e: &Engine, who: &str) -> Assessment {
        let t: Timestamp = AT.parse().unwrap();
        e.assess(who, t, t).unwrap()
    }

    const PERSONA: &[&str] = &[
        r#"{"kind":"subject","id":"p-1","name":"Kevin Brooks","location":{"country":"US","timezone":"America/New_York"},"phones":["+1 302 555 0100"]}"#,
        r#"{"kind":"interview","subject":"p-1","at":"2026-02-10T16:00:00Z","mode":"video","outcome":"declined"}"#,
        r#"{"kind":"interview","subject":"p-1","at":"2026-02-12T16:00:00Z","mode":"video","outcome":"completed","camera":"on","liveness_challenge":"failed","deepfake_indicators":["lip_sync_mismatch"]}"#,
        r#"{"kind":"document","subject":"p-1","doc_type":"passport","requested_at":"2026-02-01T10:00:00Z","status":"pending"}"#,
        r#"{"kind":"payment_request","subject":"p-1","at":"2026-03-20T12:00:00Z","method":"crypto","account":{"wallet":{"chain":"tron","address":"TQ1"}}}"#,
        r#"{"kind":"credential_check","subject":"p-1","at":"2026-03-01T10:00:00Z","target":"employment","institution":"Acme","outcome":"not_found"}"#,
        r#"{"kind":"subject","id":"p-2","name":"Emily Novak","phones":["+1 302 555 0100"]}"#,
    ];

    fn cell_of(a: &Assessment) -> Option<&Signal> {
        a.signals
            .iter()
            .find(|s| s.code == redflag_detect::ties::CELL_CODE)
    }

    #[test]
    fn risk_flows_to_a_clean_looking_subject_tied_to_a_persona() {
        // p-2 has nothing of its own but the persona's phone: the tie carries part of the
        // persona's own risk, and the link signals beside it lift p-2 above medium.
        let e = engine_with(PERSONA);
        let a = assess(&e, "p-2");
        let cell = cell_of(&a).expect("links.cell");
        assert!(
            cell.summary.contains("Kevin Brooks (p-1)"),
            "{}",
            cell.summary
        );
        assert!(cell.confidence > 0.45, "{}", cell.confidence);
        // The persona's own score does not count what flows back from p-2.
        let p1 = assess(&e, "p-1");
        assert!(cell_of(&p1).is_none(), "{p1:#?}");
    }

    #[test]
    fn a_flatmate_of_a_persona_takes_a_weak_share_and_stays_below_high() {
        let mut lines: Vec<String> = PERSONA[..6].iter().map(|l| (*l).to_owned()).collect();
        lines[0] = lines[0].replace(
            r#""phones":["+1 302 555 0100"]"#,
            r#""address":{"line1":"14 Park Row","postal_code":"19901","country":"US"}"#,
        );
        lines.push(r#"{"kind":"subject","id":"f-1","name":"Ana Ruiz","address":{"line1":"14 Park Row","postal_code":"19901","country":"US"}}"#.to_owned());
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let e = engine_with(&refs);
        let a = assess(&e, "f-1");
        let cell = cell_of(&a).expect("links.cell");
        assert!(cell.confidence < 0.45, "{}", cell.confidence);
        assert!(!e.policy().is_strong(cell));
        assert!(a.band < Band::High, "{a:#?}");
    }

    #[test]
    fn a_referrer_carries_risk_but_referral_alone_is_no_link_signal() {
        let mut lines: Vec<&str> = PERSONA[..6].to_vec();
        lines.push(r#"{"kind":"subject","id":"r-1","name":"Lee Chan","referred_by":"p-1"}"#);
        lines.push(r#"{"kind":"subject","id":"r-2","name":"Mia Berg","referred_by":"r-1"}"#);
        let e = engine_with(&lines);
        let a = assess(&e, "r-1");
        assert_eq!(a.linked_subjects.len(), 2, "{a:#?}");
        assert!(a.linked_subjects.iter().any(|l| l.via == ["referral:p-1"]));
        assert!(a.linked_subjects.iter().any(|l| l.via == ["referral:r-1"]));
        assert!(
            !a.signals
                .iter()
                .any(|s| s.code == "links.shared_identifiers")
        );
        assert!(cell_of(&a).is_some());
        // r-2 was referred by someone with nothing against them: nothing flows.
        assert!(assess(&e, "r-2").signals.is_empty());
    }

    #[test]
    fn a_persona_is_critical_with_reasons_and_steps() {
        let e = engine_with(PERSONA);
        let a = assess(&e, "p-1");
        assert_eq!(a.band, Band::Critical, "{a:#?}");
        let codes: Vec<&str> = a.signals.iter().map(|s| s.code.as_str()).collect();
        for code in [
            "interviews.avoids_video",
            "interviews.deepfake_indicators",
            "documents.slow_or_missing",
            "payments.crypto_requested",
            "credentials.not_verified",
            "links.shared_identifiers",
        ] {
            assert!(codes.contains(&code), "{code} missing from {codes:?}");
        }
        assert_eq!(a.linked_subjects[0].subject.as_str(), "p-2");
        assert_eq!(a.linked_subjects[0].via, vec!["phone:+13025550100"]);
        let steps: Vec<Advisory> = a.actions.iter().map(|x| x.advisory).collect();
        assert!(steps.contains(&Advisory::M4) && steps.contains(&Advisory::M1));
    }

    #[test]
    fn the_order_records_arrive_in_does_not_matter() {
        let forward = assess(&engine_with(PERSONA), "p-1");
        let mut reversed: Vec<&str> = PERSONA.to_vec();
        reversed.reverse();
        let backward = assess(&engine_with(&reversed), "p-1");
        assert_eq!(forward, backward);
    }

    #[test]
    fn a_clean_subject_is_low_and_has_no_actions() {
        let e = engine_with(&[
            r#"{"kind":"subject","id":"c-1","name":"Jason Park","other_names":["Park Ji-hoon"],"nationality":"CA","languages":[{"language":"ko"}]}"#,
            r#"{"kind":"interview","subject":"c-1","at":"2026-02-12T16:00:00Z","mode":"video","outcome":"completed","camera":"on","liveness_challenge":"passed"}"#,
        ]);
        let a = assess(&e, "c-1");
        assert_eq!(a.band, Band::Low);
        assert!(a.signals.is_empty() && a.actions.is_empty() && a.linked_subjects.is_empty());
    }

    #[test]
    fn subjects_known_only_from_other_records_are_assessed() {
        let e = engine_with(&[
            r#"{"kind":"login","subject":"ghost","at":"2026-03-05T01:12:44Z","ip":"203.0.113.7"}"#,
        ]);
        let t: Timestamp = AT.parse().unwrap();
        assert_eq!(e.assess_all(t, t).len(), 1);
    }

    #[test]
    fn platform_frequency_is_judged_against_the_whole_population() {
        let mut lines: Vec<String> = Vec::new();
        // Ten payees paid twice in March through Wise; one paid every other day.
        for i in 0..10 {
            for day in [6, 20] {
                lines.push(format!(
                    r#"{{"kind":"payment","subject":"w-{i}","at":"2026-03-{day:02}T10:00:00Z","amount":"500","currency":"USD","method":"wise"}}"#
                ));
            }
        }
        for day in (5..=31).step_by(2) {
            lines.push(format!(
                r#"{{"kind":"payment","subject":"f-1","at":"2026-03-{day:02}T10:00:00Z","amount":"90","currency":"USD","method":"payoneer"}}"#
            ));
        }
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let e = engine_with(&refs);
        let t: Timestamp = AT.parse().unwrap();
        let all = e.assess_all(t, t);
        let flagged: Vec<&str> = all
            .iter()
            .filter(|a| {
                a.signals
                    .iter()
                    .any(|s| s.code == "payments.platform_frequency")
            })
            .map(|a| a.subject.as_str())
            .collect();
        assert_eq!(flagged, vec!["f-1"]);
        let single = assess(&e, "f-1");
        let signal = single
            .signals
            .iter()
            .find(|s| s.code == "payments.platform_frequency")
            .unwrap();
        assert_eq!(
            signal.summary,
            "paid 14 times in 28 days (2026-03-04 to 2026-03-31) through Payoneer; the median payee here was paid twice in those days"
        );
        assert_eq!(
            Some(&single),
            all.iter().find(|a| a.subject.as_str() == "f-1")
        );
    }

    struct NeedsIntel;
    impl Detector for NeedsIntel {
        fn code(&self) -> &'static str {
            "test.needs_intel"
        }
        fn advisory(&self) -> Advisory {
            Advisory::RF3
        }
        fn describe(&self) -> &'static str {
            "needs IP data"
        }
        fn requires(&self) -> &'static [DataSet] {
            &[DataSet::IpIntelligence]
        }
        fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
            ctx.emit(self, 1.0, format!("ran for {}", s.id), vec![], out);
        }
    }

    #[test]
    fn a_detector_without_its_data_is_skipped_and_reported() {
        let line = r#"{"kind":"subject","id":"c-1"}"#;
        let t: Timestamp = AT.parse().unwrap();
        let mut without = Engine::with_detectors(Policy::default(), [], vec![Box::new(NeedsIntel)]);
        without.ingest(parse_record(line).unwrap());
        assert_eq!(without.skipped()[0].missing, DataSet::IpIntelligence);
        assert!(without.assess("c-1", t, t).unwrap().signals.is_empty());
        let mut with = Engine::with_detectors(
            Policy::default(),
            [DataSet::IpIntelligence],
            vec![Box::new(NeedsIntel)],
        );
        with.ingest(parse_record(line).unwrap());
        assert!(with.skipped().is_empty());
        assert_eq!(with.assess("c-1", t, t).unwrap().signals.len(), 1);
    }

    #[test]
    fn the_newest_record_is_known_and_records_after_the_cutoff_do_not_count() {
        let lines = [
            r#"{"kind":"subject","id":"c-1","name":"Kevin Brooks"}"#,
            r#"{"kind":"payment_request","subject":"c-1","at":"2026-03-20T12:00:00Z","method":"crypto","account":{"wallet":{"chain":"tron","address":"TQ1"}}}"#,
            r#"{"kind":"login","subject":"c-1","at":"2026-02-01T09:00:00Z","ip":"198.51.100.1","device_id":"d-1"}"#,
            r#"{"kind":"login","subject":"c-2","at":"2026-03-01T09:00:00Z","ip":"198.51.100.2","device_id":"d-1"}"#,
        ];
        let all = engine_with(&lines);
        assert_eq!(
            all.newest_record_at().map(|t| t.to_string()).as_deref(),
            Some("2026-03-20T12:00:00Z")
        );
        let cutoff: Timestamp = "2026-02-15T00:00:00Z".parse().unwrap();
        let mut before = Engine::new(Policy::default(), []);
        before.restart(Some(cutoff));
        for l in lines {
            before.ingest(parse_record(l).unwrap());
        }
        assert_eq!(before.record_count(), 4);
        assert_eq!(before.records_after_cutoff(), 2);
        assert_eq!(
            before.newest_record_at().map(|t| t.to_string()).as_deref(),
            Some("2026-02-01T09:00:00Z")
        );
        // Neither the crypto request nor the device shared in March count as of February.
        let a = before.assess("c-1", cutoff, cutoff).unwrap();
        assert!(
            a.signals.is_empty() && a.linked_subjects.is_empty(),
            "{a:#?}"
        );
        assert_eq!(a.as_of, Some(cutoff));
        assert_eq!(before.as_of(), Some(cutoff));
        assert!(before.state("c-2").is_none());
    }

    #[test]
    fn a_year_old_burst_of_payouts_is_found_as_of_the_newest_record() {
        let mut lines: Vec<String> = Vec::new();
        for i in 0..8 {
            for day in ["2025-04-06", "2025-04-20", "2026-10-04"] {
                lines.push(format!(
                    r#"{{"kind":"payment","subject":"w-{i}","at":"{day}T10:00:00Z","amount":"500","currency":"USD","method":"wise"}}"#
                ));
            }
        }
        for day in (1..=27).step_by(2) {
            lines.push(format!(
                r#"{{"kind":"payment","subject":"f-1","at":"2025-04-{day:02}T10:00:00Z","amount":"90","currency":"USD","method":"payoneer"}}"#
            ));
        }
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let e = engine_with(&refs);
        let as_of = e.as_of().unwrap();
        assert_eq!(as_of.to_string(), "2026-10-04T10:00:00Z");
        let all = e.assess_all(as_of, as_of);
        let flagged: Vec<(&str, &str)> = all
            .iter()
            .flat_map(|a| a.signals.iter().map(move |s| (a.subject.as_str(), s)))
            .filter(|(_, s)| s.code == "payments.platform_frequency")
            .map(|(who, s)| (who, s.summary.as_str()))
            .collect();
        assert_eq!(
            flagged,
            vec![(
                "f-1",
                "paid 14 times in 28 days (2025-04-01 to 2025-04-28) through Payoneer; the median payee here was paid twice in those days"
            )]
        );
    }

    #[test]
    fn the_sanctions_signal_and_the_assessments_list_come_from_one_screening() {
        use redflag_watchlist::{Entity, EntityKind, ListId, LoadedLists, WalletRef};
        let address = "TNMcQVGPhqCiKmQN7Ltxy9M2Wu1bXK2T8G";
        let group = Entity {
            list: ListId::OfacSdn,
            id: "OFAC-27307".into(),
            kind: EntityKind::Organization,
            primary_name: "LAZARUS GROUP".into(),
            aliases: vec![],
            dates_of_birth: vec![],
            nationalities: vec!["KP".into()],
            countries: vec![],
            programs: vec!["DPRK3".into()],
            wallets: vec![WalletRef {
                chain: "tron".into(),
                address: address.into(),
                raw: address.into(),
                currency: Some("USDT".into()),
                valid: None,
            }],
            emails: vec![],
            phones: vec![],
            websites: vec![],
            remarks: None,
            identifiers: vec![],
            reference: None,
        };
        let screener = redflag_watchlist::Screener::new(LoadedLists {
            entities: vec![group],
            versions: vec![],
        });
        let mut e = Engine::new(Policy::default(), []);
        e.install_reference(None, Some(screener));
        e.ingest(parse_record(&format!(
            r#"{{"kind":"payment_request","subject":"p-1","at":"2026-03-20T12:00:00Z","method":"crypto","account":{{"wallet":{{"chain":"tron","address":"{address}"}}}}}}"#
        )).unwrap());
        let a = assess(&e, "p-1");
        assert_eq!(a.band, Band::Critical);
        let hit = &a.sanctions[0];
        assert_eq!(
            (hit.field.as_str(), hit.query.as_str(), hit.status),
            ("wallet", address, redflag_model::HitStatus::Confirmed)
        );
        let signal = a
            .signals
            .iter()
            .find(|s| s.code == "sanctions.match")
            .unwrap();
        assert_eq!(
            signal.evidence[0].details["entity_id"],
            hit.entity_id.as_str()
        );
    }
}
