//! The detector contract: a detector looks at one subject's state and emits signals.
//! It does no I/O; what it needs from outside (IP intelligence, sanctions lists) comes
//! through the context, and it declares that need so the engine can skip it and say why.

use redflag_model::{Advisory, Evidence, Signal, Timestamp};

use crate::links::LinkIndex;
use crate::policy::Policy;
use crate::screening::Screened;
use crate::state::SubjectState;

/// Reference data a detector may need, kept in the data directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataSet {
    /// IP address → country, network and network class.
    IpIntelligence,
    /// Sanctions lists (OFAC, UN, Canada).
    SanctionsLists,
}

impl DataSet {
    pub fn label(self) -> &'static str {
        match self {
            DataSet::IpIntelligence => "IP intelligence",
            DataSet::SanctionsLists => "sanctions lists",
        }
    }

    /// The command that loads it.
    pub fn how_to_load(self) -> &'static str {
        match self {
            DataSet::IpIntelligence => "redflag intel update",
            DataSet::SanctionsLists => "redflag lists update",
        }
    }
}

/// What a detector may consult besides the subject's own records.
pub struct Context<'a> {
    pub policy: &'a Policy,
    /// The moment the assessment speaks for ("still pending as of …").
    pub as_of: Timestamp,
    /// Identifiers shared across subjects, where the caller has built the index.
    pub links: Option<&'a LinkIndex>,
    /// IP intelligence, where loaded.
    pub intel: Option<&'a redflag_intel::IpIntel>,
    /// Country reference points for distances, where loaded.
    pub points: Option<&'a crate::geo::CountryPoints>,
    /// What screening the subject against the sanctions lists found (empty where no
    /// lists are loaded). The engine screens each subject once per assessment and both
    /// the sanctions detector and the assessment's `sanctions` list read this.
    pub sanctions: &'a [Screened],
    /// What is normal among the organisation's payees (RF1), where the caller computed
    /// it over the whole population; detectors fall back to policy minimums without it.
    pub population: Option<&'a crate::population::PopulationStats>,
    /// Phone numbers read once for the whole run, where the caller made the book;
    /// detectors read numbers themselves without it.
    pub phones: Option<&'a crate::support::phones::PhoneBook>,
}

impl<'a> Context<'a> {
    /// A context with the policy and the as-of time only: no links, IP data, sanctions
    /// results or population statistics.
    pub fn new(policy: &'a Policy, as_of: Timestamp) -> Context<'a> {
        Context {
            policy,
            as_of,
            links: None,
            intel: None,
            points: None,
            sanctions: &[],
            population: None,
            phones: None,
        }
    }

    /// Appends `detector`'s signal, with its weight taken from the policy and the
    /// confidence kept within 0..=1.
    pub fn emit(
        &self,
        detector: &dyn Detector,
        confidence: f64,
        summary: String,
        evidence: Vec<Evidence>,
        out: &mut Vec<Signal>,
    ) {
        let code = detector.code();
        out.push(Signal {
            code: code.to_owned(),
            advisory: detector.advisory(),
            weight: self.policy.weight(code),
            confidence: confidence.clamp(0.0, 1.0),
            summary,
            evidence,
        });
    }
}

/// One red flag, implemented.
pub trait Detector: Send + Sync {
    /// The signal code this detector emits (`interviews.avoids_video`).
    fn code(&self) -> &'static str;
    /// The advisory clause it implements.
    fn advisory(&self) -> Advisory;
    /// What it looks for, in a sentence.
    fn describe(&self) -> &'static str;
    /// Reference data without which it cannot run.
    fn requires(&self) -> &'static [DataSet] {
        &[]
    }
    /// Appends zero or more signals about the subject.
    fn detect(&self, subject: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>);
}
