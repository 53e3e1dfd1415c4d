//! RF2 — "requests for payment in cryptocurrency" (advisory red flag 2; mitigation M1:
//! do not pay in crypto).
//!
//! Fires on a payment request whose method is crypto or names a wallet, a payout account
//! set up as a crypto wallet, or a payment made in crypto. Asking to be paid to a bank,
//! PayPal or Wise is not this signal; frequency of platform payouts is RF1's business.
//!
//! Each wallet is also checked against its chain's address rules: an address that fails
//! its checksum or format cannot receive money as written, so it was mistyped or made up,
//! and either is worth asking about before paying. The summary and evidence say so.

use redflag_model::{Account, Advisory, Evidence, Kind, PayoutMethod, Signal, Wallet};

use crate::detector::{Context, Detector};
use crate::state::{SubjectState, evidence_of};
use crate::support::plural;

pub struct CryptoRequested;

/// What is wrong with a wallet's address, if its chain's checks fail.
fn wallet_fault(w: &Wallet) -> Option<&'static str> {
    let key = redflag_watchlist::normalise_wallet(Some(&w.chain), &w.address);
    // A broken EIP-55 checksum also makes the address invalid; name the precise fault.
    if key.checksum == Some(false) {
        Some("has a mixed-case (EIP-55) checksum that does not hold")
    } else if key.valid == Some(false) {
        Some("fails its checksum or format check")
    } else {
        None
    }
}

/// A chain as people write it ("TRON", not "tron").
/// A crypto method, or any account that names a wallet.
fn is_crypto(method: PayoutMethod, account: Option<&Account>) -> bool {
    method == PayoutMethod::Crypto || account.is_some_and(|a| a.wallet.is_some())
}

/// The wallet details every request and payout account shows as evidence.
fn with_wallet(evidence: Evidence, method: PayoutMethod, wallet: Option<&Wallet>) -> Evidence {
    evidence
        .with("method", method.as_str())
        .with("chain", wallet.map(|w| w.chain.clone()))
        .with("address", wallet.map(|w| w.address.clone()))
        .with("address_fault", wallet.and_then(wallet_fault))
}

fn chain_label(chain: &str) -> &str {
    match chain {
        "tron" => "TRON",
        "ethereum" => "Ethereum",
        "bitcoin" => "Bitcoin",
        "litecoin" => "Litecoin",
        "bsc" => "BNB Smart Chain",
        "solana" => "Solana",
        other => other,
    }
}

impl Detector for CryptoRequested {
    fn code(&self) -> &'static str {
        "payments.crypto_requested"
    }
    fn advisory(&self) -> Advisory {
        Advisory::RF2
    }
    fn describe(&self) -> &'static str {
        "asked to be paid in cryptocurrency, or set up a crypto payout"
    }

    fn detect(&self, s: &SubjectState, ctx: &Context<'_>, out: &mut Vec<Signal>) {
        let mut evidence = Vec::new();
        let mut chains: Vec<String> = Vec::new();
        let mut faults: Vec<String> = Vec::new();
        let mut note_chain = |wallet: Option<&Wallet>| {
            let Some(w) = wallet else { return };
            if !chains.contains(&w.chain) {
                chains.push(w.chain.clone());
            }
            if let Some(fault) = wallet_fault(w) {
                let line = format!(
                    "the {} address {} {fault}",
                    chain_label(&w.chain),
                    w.address
                );
                if !faults.contains(&line) {
                    faults.push(line);
                }
            }
        };
        let requests: Vec<_> = s
            .payment_requests
            .iter()
            .filter(|r| is_crypto(r.record.method, r.record.account.as_ref()))
            .collect();
        for r in &requests {
            let wallet = r.record.account.as_ref().and_then(|a| a.wallet.as_ref());
            note_chain(wallet);
            evidence.push(
                with_wallet(
                    evidence_of(Kind::PaymentRequest, r, Some(r.record.at)),
                    r.record.method,
                    wallet,
                )
                .with("note", r.record.note.clone()),
            );
        }
        let accounts: Vec<_> = s
            .payout_accounts
            .iter()
            .filter(|a| is_crypto(a.record.method, a.record.account.as_ref()))
            .collect();
        for a in &accounts {
            let wallet = a
                .record
                .account
                .as_ref()
                .and_then(|acc| acc.wallet.as_ref());
            note_chain(wallet);
            evidence.push(with_wallet(
                evidence_of(Kind::PayoutAccount, a, Some(a.record.at)),
                a.record.method,
                wallet,
            ));
        }
        let paid = &s.payments.crypto;
        for p in paid {
            let wallet = p
                .record
                .account
                .as_ref()
                .and_then(|acc| acc.wallet.as_ref());
            note_chain(wallet);
            evidence.push(
                evidence_of(Kind::Payment, p, Some(p.record.at))
                    .with("amount", p.record.amount)
                    .with("currency", p.record.currency.to_string()),
            );
        }
        if evidence.is_empty() {
            return;
        }
        let mut parts = Vec::new();
        if !requests.is_empty() {
            parts.push(format!(
                "asked to be paid in cryptocurrency ({})",
                plural(requests.len(), "request", "requests")
            ));
        }
        if !accounts.is_empty() {
            parts.push(format!(
                "set up {}",
                plural(
                    accounts.len(),
                    "crypto payout wallet",
                    "crypto payout wallets"
                )
            ));
        }
        if !paid.is_empty() {
            parts.push(format!(
                "was paid in crypto ({} shown)",
                plural(paid.len(), "payment", "payments")
            ));
        }
        let chains = if chains.is_empty() {
            String::new()
        } else {
            format!(" on {}", chains.join(", "))
        };
        // An explicit request is the advisory's wording; a configured wallet alone is a
        // little less certain (it may have been suggested by the platform).
        let confidence = if requests.is_empty() && paid.is_empty() {
            0.8
        } else {
            0.9
        };
        let mut summary = format!("{}{chains}", parts.join("; "));
        for fault in &faults {
            summary.push_str("; ");
            summary.push_str(fault);
        }
        ctx.emit(self, confidence, summary, evidence, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::testing::run;

    #[test]
    fn a_crypto_request_fires_with_the_chain() {
        let signals = run(
            &CryptoRequested,
            &[
                r#"{"kind":"payment_request","subject":"c-1","at":"2026-03-20T12:00:00Z","method":"crypto","account":{"wallet":{"chain":"tron","address":"TXYZ"}},"note":"prefers USDT on TRON"}"#,
            ],
        );
        assert_eq!(signals.len(), 1);
        assert!(
            signals[0].summary.contains("on tron"),
            "{}",
            signals[0].summary
        );
        assert_eq!(signals[0].confidence, 0.9);
    }

    #[test]
    fn a_crypto_payout_account_fires() {
        let signals = run(
            &CryptoRequested,
            &[
                r#"{"kind":"payout_account","subject":"c-1","at":"2026-03-10T09:00:00Z","method":"crypto","account":{"wallet":{"chain":"Ethereum","address":"0xabc"}}}"#,
            ],
        );
        assert_eq!(signals.len(), 1);
        assert!(signals[0].summary.contains("ethereum"));
    }

    #[test]
    fn a_tron_address_with_a_broken_checksum_is_reported() {
        let signals = run(
            &CryptoRequested,
            &[
                r#"{"kind":"payment_request","subject":"c-1","at":"2026-03-20T12:00:00Z","method":"crypto","account":{"wallet":{"chain":"tron","address":"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u"}}}"#,
            ],
        );
        assert!(
            signals[0]
                .summary
                .ends_with("; the TRON address TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u fails its checksum or format check"),
            "{}",
            signals[0].summary
        );
        assert_eq!(
            signals[0].evidence[0].details["address_fault"],
            "fails its checksum or format check"
        );
    }

    #[test]
    fn an_evm_address_whose_mixed_case_checksum_fails_is_reported() {
        let signals = run(
            &CryptoRequested,
            &[
                r#"{"kind":"payout_account","subject":"c-1","at":"2026-03-10T09:00:00Z","method":"crypto","account":{"wallet":{"chain":"ethereum","address":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"}}}"#,
            ],
        );
        assert!(
            signals[0].summary.contains("checksum that does not hold"),
            "{}",
            signals[0].summary
        );
    }

    #[test]
    fn valid_addresses_are_not_faulted() {
        // A lower-case EVM address carries no checksum; a correct TRON address passes.
        let signals = run(
            &CryptoRequested,
            &[
                r#"{"kind":"payout_account","subject":"c-1","at":"2026-03-10T09:00:00Z","method":"crypto","account":{"wallet":{"chain":"ethereum","address":"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"}}}"#,
                r#"{"kind":"payout_account","subject":"c-1","at":"2026-03-11T09:00:00Z","method":"crypto","account":{"wallet":{"chain":"ethereum","address":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}}}"#,
                r#"{"kind":"payment_request","subject":"c-1","at":"2026-03-20T12:00:00Z","method":"crypto","account":{"wallet":{"chain":"tron","address":"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"}}}"#,
            ],
        );
        assert_eq!(signals.len(), 1);
        assert!(
            !signals[0].summary.contains("address"),
            "{}",
            signals[0].summary
        );
        assert!(
            signals[0]
                .evidence
                .iter()
                .all(|e| !e.details.contains_key("address_fault"))
        );
    }

    #[test]
    fn bank_and_platform_payouts_are_not_crypto() {
        let signals = run(
            &CryptoRequested,
            &[
                r#"{"kind":"payment_request","subject":"c-1","at":"2026-03-20T12:00:00Z","method":"wise","note":"Wise is cheapest for me"}"#,
                r#"{"kind":"payout_account","subject":"c-1","at":"2026-03-10T09:00:00Z","method":"bank_transfer","account":{"id":"a1","holder":"Jason Park","country":"CA"}}"#,
                r#"{"kind":"payment","subject":"c-1","at":"2026-03-31T17:00:00Z","amount":"1200.00","currency":"USD","method":"paypal"}"#,
            ],
        );
        assert!(signals.is_empty());
    }
}
