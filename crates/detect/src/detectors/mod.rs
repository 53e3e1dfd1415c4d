//! The detectors, one module per red flag. Adding one: a module here and a line in
//! [`all`]; its weight goes in `policy.default.toml`.

mod account_churn;
mod anonymiser;
mod avoids_video;
mod credentials;
mod crypto_request;
mod deepfake;
mod device_timezone;
mod document_mismatch;
mod documents_slow;
mod dprk_nexus;
mod email;
mod forgery;
mod history;
mod history_imported;
mod impossible_travel;
mod login_country;
mod low_bid;
mod multi_country;
mod no_contract;
mod other_names;
mod phone;
mod platform_frequency;
mod profile_changes;
mod remote_control;
mod remote_tools;
mod round_the_clock;
mod sanctions;
mod shared_identifiers;
mod working_hours;

use crate::detector::Detector;

pub use account_churn::AccountChurn;
pub use anonymiser::Anonymiser;
pub use avoids_video::AvoidsVideo;
pub use credentials::CredentialsNotVerified;
pub use crypto_request::CryptoRequested;
pub use deepfake::DeepfakeIndicators;
pub use device_timezone::DeviceTimezone;
pub use document_mismatch::DocumentMismatch;
pub use documents_slow::DocumentsSlow;
pub use dprk_nexus::DprkNexus;
pub use email::DisposableEmail;
pub use forgery::ForgeryIndicators;
pub use history::ImplausibleHistory;
pub use history_imported::HistoryImported;
pub use impossible_travel::ImpossibleTravel;
pub use login_country::LoginCountry;
pub use low_bid::LowBid;
pub use multi_country::MultiCountry;
pub use no_contract::WorkBeforeContract;
pub use other_names::OtherNames;
pub use phone::PhoneNumbers;
pub use platform_frequency::PlatformFrequency;
pub use profile_changes::ProfileChanges;
pub use remote_control::RemoteControl;
pub use remote_tools::RemoteTools;
pub use round_the_clock::RoundTheClock;
pub use sanctions::SanctionsMatch;
pub use shared_identifiers::SharedIdentifiers;
pub use working_hours::WorkingHours;

/// Every detector redflag runs.
pub fn all() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(SanctionsMatch),
        Box::new(DprkNexus),
        Box::new(CryptoRequested),
        Box::new(PlatformFrequency),
        Box::new(AccountChurn),
        Box::new(DocumentsSlow),
        Box::new(ForgeryIndicators),
        Box::new(AvoidsVideo),
        Box::new(DeepfakeIndicators),
        Box::new(LowBid),
        Box::new(WorkBeforeContract),
        Box::new(CredentialsNotVerified),
        Box::new(SharedIdentifiers),
        Box::new(MultiCountry),
        Box::new(ImpossibleTravel),
        Box::new(Anonymiser),
        Box::new(LoginCountry),
        Box::new(DeviceTimezone),
        Box::new(WorkingHours),
        Box::new(RoundTheClock),
        Box::new(RemoteControl),
        Box::new(RemoteTools),
        Box::new(ProfileChanges),
        Box::new(OtherNames),
        Box::new(DocumentMismatch),
        Box::new(PhoneNumbers),
        Box::new(DisposableEmail),
        Box::new(ImplausibleHistory),
        Box::new(HistoryImported),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    #[test]
    fn every_detector_has_a_weight_and_a_unique_code() {
        let policy = Policy::default();
        let mut codes: Vec<&str> = all().iter().map(|d| d.code()).collect();
        for code in &codes {
            assert!(
                policy.weight(code) > 0.0,
                "{code} missing from policy.default.toml"
            );
        }
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all().len());
        assert!(policy.weight(crate::ties::CELL_CODE) > 0.0);
        assert_eq!(
            policy.weights.len(),
            all().len() + 1,
            "policy weights without a detector (or the engine's links.cell)"
        );
    }
}
