//! RF2 — "requests for payment in cryptocurrency" (advisory red flag 2; mitigation M1:
//! do not pay in crypto).
//!
//! Fires on a payment request whose method is crypto or names a wallet, a payout account
//! set up as a crypto wallet, or a payment made in crypto. Asking to be paid to a bank,
//! PayPal or Wise is not this signal; frequency of platform payouts is RF1's business.

use redflag_model::{Advisory, Kind, PayoutMethod, Signal};

use crate::detector::{Context, Detector};
use crate::detectors::plural;
use crate::state::{SubjectState, evidence_of};

pub struct CryptoRequested;

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
        let mut note_chain = |wallet: Option<&redflag_model::Wallet>| {
            if let Some(w) = wallet
                && !chains.contains(&w.chain)
            {
                chains.push(w.chain.clone());
            }
        };
        let requests: Vec<_> = s
            .payment_requests
            .iter()
            .filter(|r| {
                r.record.method == PayoutMethod::Crypto
                    || r.record
                        .account
                        .as_ref()
                        .is_some_and(|a| a.wallet.is_some())
            })
            .collect();
        for r in &requests {
            let wallet = r.record.account.as_ref().and_then(|a| a.wallet.as_ref());
            note_chain(wallet);
            evidence.push(
                evidence_of(Kind::PaymentRequest, r, Some(r.record.at))
                    .with("method", r.record.method.as_str())
                    .with("chain", wallet.map(|w| w.chain.clone()))
                    .with("address", wallet.map(|w| w.address.clone()))
                    .with("note", r.record.note.clone()),
            );
        }
        let accounts: Vec<_> = s
            .payout_accounts
            .iter()
            .filter(|a| {
                a.record.method == PayoutMethod::Crypto
                    || a.record
                        .account
                        .as_ref()
                        .is_some_and(|acc| acc.wallet.is_some())
            })
            .collect();
        for a in &accounts {
            let wallet = a
                .record
                .account
                .as_ref()
                .and_then(|acc| acc.wallet.as_ref());
            note_chain(wallet);
            evidence.push(
                evidence_of(Kind::PayoutAccount, a, Some(a.record.at))
                    .with("method", a.record.method.as_str())
                    .with("chain", wallet.map(|w| w.chain.clone()))
                    .with("address", wallet.map(|w| w.address.clone())),
            );
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
                    .with("amount", p.record.amount.to_string())
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
        out.push(ctx.signal(
            self.code(),
            self.advisory(),
            confidence,
            format!("{}{chains}", parts.join("; ")),
            evidence,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::testing::run;

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
