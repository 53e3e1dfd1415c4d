//! A [`Store`] held in memory: for tests of the code above the store, and for dry runs
//! that must not leave a file behind. It keeps the trait's promises (idempotent records,
//! append-only history, a unit of work that rollback discards) without SQLite.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use redflag_model::{Assessment, Kind, SanctionsDecision, SubjectId, Timestamp};

use crate::audit::{self, ChainRow, ChainWalk, Content};
use crate::{
    ApiKey, ApiKeyWithHash, AssessmentSummary, AuditEntry, AuditQuery, AuditRecord,
    AuditVerification, NewApiKey, NewRecord, Store, StoreError, StoredRecord,
};

/// What messages call an in-memory store, as SQLite does.
const MEMORY: &str = ":memory:";

/// Everything in vectors; a unit of work remembers their lengths and rollback cuts them
/// back, which is all it takes because nothing is ever updated in place.
#[derive(Debug, Default)]
pub struct MemoryStore {
    records: Vec<StoredRecord>,
    keys: HashSet<(Kind, String)>,
    assessments: Vec<Assessment>,
    /// Kept as the databases keep it, so the chain is the same as theirs.
    audit: Vec<ChainRow>,
    decisions: Vec<SanctionsDecision>,
    api_keys: Vec<ApiKeyWithHash>,
    /// Revocations as a list of their own, (key id, when), so that rollback can cut
    /// them back like everything else; the first of a key is the one that counts.
    revocations: Vec<(String, Timestamp)>,
    unit: Option<Marks>,
}

#[derive(Debug, Clone, Copy)]
struct Marks {
    records: usize,
    assessments: usize,
    audit: usize,
    decisions: usize,
    api_keys: usize,
    revocations: usize,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStore::default()
    }

    fn label() -> PathBuf {
        PathBuf::from(MEMORY)
    }
}

impl Store for MemoryStore {
    fn begin(&mut self) -> Result<(), StoreError> {
        if self.unit.is_some() {
            return Err(StoreError::AlreadyInTransaction {
                path: Self::label(),
            });
        }
        self.unit = Some(Marks {
            records: self.records.len(),
            assessments: self.assessments.len(),
            audit: self.audit.len(),
            decisions: self.decisions.len(),
            api_keys: self.api_keys.len(),
            revocations: self.revocations.len(),
        });
        Ok(())
    }

    fn commit(&mut self) -> Result<(), StoreError> {
        match self.unit.take() {
            Some(_) => Ok(()),
            None => Err(StoreError::NotInTransaction {
                path: Self::label(),
            }),
        }
    }

    fn rollback(&mut self) -> Result<(), StoreError> {
        if let Some(marks) = self.unit.take() {
            for dropped in self.records.drain(marks.records..) {
                self.keys.remove(&(dropped.kind, dropped.key));
            }
            self.assessments.truncate(marks.assessments);
            self.audit.truncate(marks.audit);
            self.decisions.truncate(marks.decisions);
            self.api_keys.truncate(marks.api_keys);
            self.revocations.truncate(marks.revocations);
        }
        Ok(())
    }

    fn put_record(&mut self, record: &NewRecord<'_>) -> Result<bool, StoreError> {
        if !self.keys.insert((record.kind, record.key.to_owned())) {
            return Ok(false);
        }
        self.records.push(StoredRecord {
            seq: self.records.len() as i64 + 1,
            kind: record.kind,
            key: record.key.to_owned(),
            subject: record.subject.clone(),
            body: record.body.to_owned(),
        });
        Ok(true)
    }

    fn append_record(&mut self, record: &NewRecord<'_>) -> Result<(), StoreError> {
        if self.put_record(record)? {
            Ok(())
        } else {
            Err(StoreError::DuplicateRecord {
                path: Self::label(),
                what: format!("the {} record {:?}", record.kind.as_str(), record.key),
            })
        }
    }

    fn for_each_record(
        &self,
        f: &mut dyn FnMut(StoredRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        for record in &self.records {
            f(record.clone())?;
        }
        Ok(())
    }

    fn record_count(&self) -> Result<u64, StoreError> {
        Ok(self.records.len() as u64)
    }

    fn put_assessment(&mut self, assessment: &Assessment, _policy: &str) -> Result<(), StoreError> {
        crate::check_finite(assessment)?;
        self.assessments.push(assessment.clone());
        Ok(())
    }

    fn latest_assessment(&self, subject: &SubjectId) -> Result<Option<Assessment>, StoreError> {
        Ok(self
            .assessments
            .iter()
            .rev()
            .find(|a| &a.subject == subject)
            .cloned())
    }

    fn latest_assessments(&self) -> Result<Vec<Assessment>, StoreError> {
        let mut latest: HashMap<&SubjectId, &Assessment> = HashMap::new();
        for a in &self.assessments {
            latest.insert(&a.subject, a);
        }
        let mut all: Vec<Assessment> = latest.into_values().cloned().collect();
        all.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then_with(|| a.subject.cmp(&b.subject))
        });
        Ok(all)
    }

    fn assessment_history(
        &self,
        subject: &SubjectId,
    ) -> Result<Vec<AssessmentSummary>, StoreError> {
        Ok(self
            .assessments
            .iter()
            .filter(|a| &a.subject == subject)
            .map(|a| AssessmentSummary {
                subject: a.subject.clone(),
                assessed_at: a.assessed_at,
                score: a.score,
                band: a.band,
            })
            .collect())
    }

    fn location(&self) -> &Path {
        Path::new(MEMORY)
    }

    fn audit(&mut self, entry: &AuditEntry) -> Result<(), StoreError> {
        let last = self.audit.last().map(|row| (row.id, &row.hash[..]));
        let (id, prev) = audit::next_link(Path::new(MEMORY), last)?;
        let detail = entry.detail.to_string();
        let hash = Content::of(id, entry, &detail).hash(&prev);
        self.audit.push(ChainRow {
            id,
            at_us: entry.at.as_microsecond(),
            actor: entry.actor.clone(),
            action: entry.action.clone(),
            target: entry.target.clone(),
            detail,
            prev_hash: prev.as_bytes().to_vec(),
            hash: hash.as_bytes().to_vec(),
        });
        Ok(())
    }

    fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        self.audit
            .iter()
            .rev()
            .take(limit)
            .map(|row| Ok(record(row)?.entry))
            .collect()
    }

    fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditRecord>, StoreError> {
        let since = query.since.map_or(i64::MIN, |t| t.as_microsecond());
        let after = query.after.unwrap_or(0);
        self.audit
            .iter()
            .filter(|row| row.at_us >= since && row.id > after)
            .take(query.limit)
            .map(record)
            .collect()
    }

    fn verify_audit(&self) -> Result<AuditVerification, StoreError> {
        let mut walk = ChainWalk::new();
        for row in &self.audit {
            if !walk.check(&row.content(), &row.prev_hash, &row.hash) {
                break;
            }
        }
        Ok(walk.finish())
    }

    fn put_sanctions_decision(&mut self, decision: &SanctionsDecision) -> Result<(), StoreError> {
        self.decisions.push(decision.clone());
        Ok(())
    }

    fn sanctions_decisions(&self) -> Result<Vec<SanctionsDecision>, StoreError> {
        let mut latest: HashMap<(&SubjectId, &str), &SanctionsDecision> = HashMap::new();
        for d in &self.decisions {
            latest.insert((&d.subject, d.entity_id.as_str()), d);
        }
        let mut out: Vec<SanctionsDecision> = latest.into_values().cloned().collect();
        out.sort_by(|a, b| (&a.subject, &a.entity_id).cmp(&(&b.subject, &b.entity_id)));
        Ok(out)
    }

    fn put_api_key(&mut self, key: &NewApiKey<'_>) -> Result<(), StoreError> {
        if self.api_keys.iter().any(|k| k.key.id == key.id) {
            return Err(StoreError::DuplicateApiKey {
                path: Self::label(),
                id: key.id.to_owned(),
            });
        }
        self.api_keys.push(ApiKeyWithHash {
            key: ApiKey {
                id: key.id.to_owned(),
                name: key.name.to_owned(),
                role: key.role,
                created_at: key.created_at,
                revoked_at: None,
            },
            hash: key.hash.to_owned(),
        });
        Ok(())
    }

    fn api_keys(&self) -> Result<Vec<ApiKey>, StoreError> {
        Ok(self
            .api_keys
            .iter()
            .map(|k| self.with_revocation(k).key)
            .collect())
    }

    fn api_key(&self, id: &str) -> Result<Option<ApiKeyWithHash>, StoreError> {
        Ok(self
            .api_keys
            .iter()
            .find(|k| k.key.id == id)
            .map(|k| self.with_revocation(k)))
    }

    fn revoke_api_key(&mut self, id: &str, at: Timestamp) -> Result<bool, StoreError> {
        let known = self.api_keys.iter().any(|k| k.key.id == id);
        if !known || self.revoked_at(id).is_some() {
            return Ok(false);
        }
        self.revocations.push((id.to_owned(), at));
        Ok(true)
    }
}

impl MemoryStore {
    fn revoked_at(&self, id: &str) -> Option<Timestamp> {
        self.revocations
            .iter()
            .find(|(revoked, _)| revoked == id)
            .map(|(_, at)| *at)
    }

    fn with_revocation(&self, stored: &ApiKeyWithHash) -> ApiKeyWithHash {
        let mut stored = stored.clone();
        stored.key.revoked_at = self.revoked_at(&stored.key.id);
        stored
    }
}

/// A stored entry read back; only an entry whose `at` or detail could not be stored
/// fails, as in the databases.
fn record(row: &ChainRow) -> Result<AuditRecord, StoreError> {
    row.clone()
        .into_record()
        .map_err(|reason| StoreError::BadRow {
            path: PathBuf::from(MEMORY),
            table: "audit",
            row: row.id,
            reason,
        })
}
