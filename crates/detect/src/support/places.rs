//! Where a subject says they live, in the form the identity graph indexes addresses.

use crate::links::normalise_address;
use crate::state::SubjectState;

/// Index keys of the home addresses the subject's profiles give.
pub fn home_addresses(s: &SubjectState) -> Vec<String> {
    s.profiles
        .iter()
        .filter_map(|p| p.record.address.as_ref().and_then(normalise_address))
        .collect()
}
