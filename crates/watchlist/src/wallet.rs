//! Crypto wallet addresses: one key per address so a subject's wallet and a listed one
//! compare by equality, whatever case, chain name or ticker each side used.
//!
//! The key space (`WalletKey::chain`) is decided by the address format where the format
//! says it, because the hint is often a token rather than a chain: OFAC lists USDT
//! addresses that live on Ethereum (`0x…`) and on TRON (`T…`). Every EVM chain (Ethereum,
//! BSC, Arbitrum, Polygon, Ethereum Classic…) shares one key space, `evm`: the same
//! `0x` address on two of them is the same key holder, so a listed ETH address used on
//! BSC is still a hit. Legacy Bitcoin-format addresses listed under BCH or BSV are the
//! same key hashes as on Bitcoin and share the `bitcoin` space for the same reason.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tiny_keccak::{Hasher, Keccak};

use crate::model::WalletRef;

/// A wallet address normalised for exact matching.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WalletKey {
    /// The key space: `evm`, `bitcoin`, `tron`, `litecoin`, `dogecoin`, `dash`, `zcash`,
    /// `bitcoin-cash`, `solana`, `monero`…, the lower-cased hint for chains this crate
    /// does not know, or `unknown` without a hint.
    pub chain: String,
    /// The address in canonical form: lower-case for EVM hex and bech32/cashaddr, as
    /// given (trimmed) for case-sensitive base58 and unknown formats.
    pub key: String,
    /// Whether the address passed its format's checks (base58check or bech32 checksum,
    /// length, version byte); `None` where the chain has no check this crate knows.
    pub valid: Option<bool>,
    /// For EVM addresses written in mixed case: whether the EIP-55 checksum holds.
    /// `None` for all-lower or all-upper addresses, which carry no checksum.
    pub checksum: Option<bool>,
}

/// A chain as named by a hint: record chain names (`ethereum`, `bsc`…) and list
/// tickers (`ETH`, `XBT`, `USDT`…) map to the same value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chain {
    Evm,
    Bitcoin,
    Tron,
    Litecoin,
    Dogecoin,
    Dash,
    Zcash,
    BitcoinCash,
    Solana,
    Named(&'static str),
    /// A token that several chains carry (USDT, USDC): the address decides.
    AnyOf,
}

fn chain_from_hint(hint: &str) -> Option<Chain> {
    let h = hint.trim().to_ascii_lowercase();
    Some(match h.as_str() {
        "eth"
        | "ethereum"
        | "bsc"
        | "bnb"
        | "binance smart chain"
        | "bep20"
        | "erc20"
        | "arb"
        | "arbitrum"
        | "etc"
        | "ethereum classic"
        | "ethereum-classic"
        | "matic"
        | "pol"
        | "polygon"
        | "op"
        | "optimism"
        | "base"
        | "avax"
        | "avalanche"
        | "evm" => Chain::Evm,
        "xbt" | "btc" | "bitcoin" => Chain::Bitcoin,
        "trx" | "tron" | "trc20" => Chain::Tron,
        "ltc" | "litecoin" => Chain::Litecoin,
        "doge" | "dogecoin" => Chain::Dogecoin,
        "dash" => Chain::Dash,
        "zec" | "zcash" => Chain::Zcash,
        "bch" | "bitcoin cash" | "bitcoin-cash" | "bitcoincash" => Chain::BitcoinCash,
        "bsv" | "bitcoin sv" | "bitcoin-sv" => Chain::Named("bitcoin-sv"),
        "btg" | "bitcoin gold" | "bitcoin-gold" => Chain::Named("bitcoin-gold"),
        "sol" | "solana" => Chain::Solana,
        "xmr" | "monero" => Chain::Named("monero"),
        "xrp" | "ripple" => Chain::Named("ripple"),
        "xvg" | "verge" => Chain::Named("verge"),
        "usdt" | "usdc" | "tether" => Chain::AnyOf,
        _ => return None,
    })
}

/// Normalises a wallet address for exact matching.
///
/// `chain_hint` is a record's chain name (`ethereum`, `bitcoin`, `tron`, `bsc`…) or a
/// list's ticker (`ETH`, `XBT`, `USDT`, `TRX`…). The address format decides where it is
/// unambiguous; the hint decides between chains that share a format (Solana keys,
/// Bitcoin Cash). Never fails: an address it cannot check is keyed as given with
/// `valid: None`.
pub fn normalise_wallet(chain_hint: Option<&str>, address: &str) -> WalletKey {
    let address = address.trim();
    let hinted = chain_hint.and_then(chain_from_hint);

    if let Some(key) = evm(address) {
        return key;
    }
    // A Solana key is bare base58 and may begin with "bc1" by chance.
    if hinted != Some(Chain::Solana)
        && let Some(key) = bech32_segwit(address)
    {
        return key;
    }
    if let Some(key) = cashaddr(address, hinted) {
        return key;
    }
    if let Some(key) = base58check(address, hinted) {
        return key;
    }

    let (chain, valid) = match hinted {
        Some(Chain::Solana) => ("solana".to_string(), Some(is_solana_key(address))),
        Some(chain) => (fallback_name(chain, chain_hint), failed_format(chain)),
        None => (
            chain_hint
                .map(|h| h.trim().to_ascii_lowercase())
                .filter(|h| !h.is_empty())
                .unwrap_or_else(|| "unknown".to_string()),
            None,
        ),
    };
    WalletKey {
        chain,
        key: address.to_string(),
        valid,
        checksum: None,
    }
}

/// A wallet as a list gives it (`currency` is the list's ticker or chain), normalised.
pub(crate) fn listed_wallet(currency: Option<&str>, raw: &str) -> WalletRef {
    let key = normalise_wallet(currency, raw);
    WalletRef {
        chain: key.chain,
        address: key.key,
        raw: raw.trim().to_string(),
        currency: currency
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty()),
        valid: key.valid,
    }
}

fn fallback_name(chain: Chain, hint: Option<&str>) -> String {
    match chain {
        Chain::Evm => "evm",
        Chain::Bitcoin => "bitcoin",
        Chain::Tron => "tron",
        Chain::Litecoin => "litecoin",
        Chain::Dogecoin => "dogecoin",
        Chain::Dash => "dash",
        Chain::Zcash => "zcash",
        Chain::BitcoinCash => "bitcoin-cash",
        Chain::Solana => "solana",
        Chain::Named(name) => name,
        Chain::AnyOf => {
            return hint
                .map(|h| h.trim().to_ascii_lowercase())
                .unwrap_or_default();
        }
    }
    .to_string()
}

/// For a chain whose every address has a checkable format, an address that reached the
/// fallback failed that format: it is invalid, not merely unchecked.
fn failed_format(chain: Chain) -> Option<bool> {
    match chain {
        Chain::Evm | Chain::Bitcoin | Chain::Tron | Chain::Litecoin | Chain::Dogecoin => {
            Some(false)
        }
        _ => None,
    }
}

/// `0x` + 40 hex digits, on any EVM chain.
fn evm(address: &str) -> Option<WalletKey> {
    let hex = address
        .strip_prefix("0x")
        .or_else(|| address.strip_prefix("0X"))?;
    if hex.len() != 40 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let checksum = eip55(hex);
    Some(WalletKey {
        chain: "evm".to_string(),
        key: format!("0x{}", hex.to_ascii_lowercase()),
        valid: Some(checksum != Some(false)),
        checksum,
    })
}

/// EIP-55: a letter is upper-case exactly when the matching nibble of
/// keccak256(lower-case hex) is 8 or more. `None` when the address is in one case only,
/// which by the EIP carries no checksum.
fn eip55(hex: &str) -> Option<bool> {
    let has_upper = hex.bytes().any(|b| b.is_ascii_uppercase());
    let has_lower = hex.bytes().any(|b| b.is_ascii_lowercase());
    if !(has_upper && has_lower) {
        return None;
    }
    let lower = hex.to_ascii_lowercase();
    let mut hash = [0u8; 32];
    let mut keccak = Keccak::v256();
    keccak.update(lower.as_bytes());
    keccak.finalize(&mut hash);
    Some(hex.bytes().enumerate().all(|(i, b)| {
        let nibble = (hash[i / 2] >> (if i % 2 == 0 { 4 } else { 0 })) & 0x0f;
        if b.is_ascii_digit() {
            true
        } else {
            b.is_ascii_uppercase() == (nibble >= 8)
        }
    }))
}

/// Segwit addresses (BIP 173 bech32 for v0, BIP 350 bech32m for v1+): Bitcoin `bc1`/`tb1`,
/// Litecoin `ltc1`. The crate checks the checksum variant against the witness version and
/// the program length.
fn bech32_segwit(address: &str) -> Option<WalletKey> {
    let lower = address.to_ascii_lowercase();
    let (chain, hrp_len) = if lower.starts_with("bc1") || lower.starts_with("tb1") {
        ("bitcoin", 2)
    } else if lower.starts_with("bcrt1") {
        ("bitcoin", 4)
    } else if lower.starts_with("ltc1") {
        ("litecoin", 3)
    } else if lower.starts_with("tltc1") {
        ("litecoin", 4)
    } else {
        return None;
    };
    // Beyond the prefix a bech32 string is one case; anything else is not bech32 at all
    // and falls through to the other formats.
    if address.len() <= hrp_len + 1 {
        return None;
    }
    let valid = bech32::segwit::decode(address).is_ok();
    Some(WalletKey {
        chain: chain.to_string(),
        key: lower,
        valid: Some(valid),
        checksum: None,
    })
}

/// Bitcoin Cash cashaddr, with its `bitcoincash:` prefix or without it (as OFAC lists
/// them). The prefix is dropped and the case folded because cashaddr is
/// case-insensitive. A bare `q…`/`p…` string is taken for cashaddr when its checksum
/// holds (whatever the hint says) or when the hint is BCH.
fn cashaddr(address: &str, hinted: Option<Chain>) -> Option<WalletKey> {
    let lower = address.to_ascii_lowercase();
    let (bare, prefixed) = match lower.strip_prefix("bitcoincash:") {
        Some(bare) => (bare.to_string(), true),
        None => (lower, false),
    };
    let shaped = (bare.starts_with('q') || bare.starts_with('p')) && bare.len() == 42;
    let valid = shaped && cashaddr_checksum_holds(&bare);
    if !(prefixed || valid || shaped && hinted == Some(Chain::BitcoinCash)) {
        return None;
    }
    Some(WalletKey {
        chain: "bitcoin-cash".to_string(),
        key: bare,
        valid: Some(valid),
        checksum: None,
    })
}

/// The cashaddr checksum (the Bitcoin Cash address specification: a 40-bit BCH code over
/// the prefix `bitcoincash`, a separator and the 5-bit payload), which a bare address
/// must pass to be told from other base32 strings.
fn cashaddr_checksum_holds(bare: &str) -> bool {
    const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    fn polymod(values: impl Iterator<Item = u8>) -> u64 {
        let mut c: u64 = 1;
        for d in values {
            let c0 = c >> 35;
            c = ((c & 0x07_ffff_ffff) << 5) ^ u64::from(d);
            for (bit, generator) in [
                0x98_f2bc_8e61u64,
                0x79_b76d_99e2,
                0xf3_3e5f_b3c4,
                0xae_2eab_e2a8,
                0x1e_4f43_e470,
            ]
            .into_iter()
            .enumerate()
            {
                if c0 & (1 << bit) != 0 {
                    c ^= generator;
                }
            }
        }
        c ^ 1
    }
    let Some(payload) = bare
        .bytes()
        .map(|b| CHARSET.iter().position(|&c| c == b).map(|p| p as u8))
        .collect::<Option<Vec<u8>>>()
    else {
        return false;
    };
    let prefix = b"bitcoincash".iter().map(|b| b & 0x1f);
    polymod(prefix.chain([0]).chain(payload)) == 0
}

/// Base58check addresses: payload + first 4 bytes of SHA-256(SHA-256(payload)). The
/// version bytes say the chain: Bitcoin P2PKH 0x00 / P2SH 0x05, TRON 0x41, Litecoin
/// 0x30 / 0x32, Dogecoin 0x1e / 0x16, Dash 0x4c / 0x10, Bitcoin Gold 0x26 / 0x17, Zcash
/// t-addresses 0x1cb8 / 0x1cbd.
fn base58check(address: &str, hinted: Option<Chain>) -> Option<WalletKey> {
    let bytes = bs58::decode(address).into_vec().ok()?;
    let looks_like = |chain: &str| WalletKey {
        chain: chain.to_string(),
        key: address.to_string(),
        valid: Some(false),
        checksum: None,
    };
    let (payload, check) = match bytes.len() {
        25 | 26 => bytes.split_at(bytes.len() - 4),
        _ => {
            return match hinted {
                // A Solana key is plain base58 of 32 bytes and has no checksum.
                Some(Chain::Solana) | Some(Chain::AnyOf) if bytes.len() == 32 => Some(WalletKey {
                    chain: "solana".to_string(),
                    key: address.to_string(),
                    valid: Some(true),
                    checksum: None,
                }),
                _ => None,
            };
        }
    };
    let digest = Sha256::digest(Sha256::digest(payload));
    let checksum_ok = digest[..4] == *check;

    let chain = match (payload.len(), payload[0], payload.get(1)) {
        (21, 0x41, _) => "tron",
        // 0x05 is also Litecoin's old P2SH version: the hint decides.
        (21, 0x05, _) if hinted == Some(Chain::Litecoin) => "litecoin",
        (21, 0x00 | 0x05, _) => "bitcoin",
        (21, 0x30 | 0x32, _) => "litecoin",
        (21, 0x1e | 0x16, _) => "dogecoin",
        (21, 0x4c | 0x10, _) => "dash",
        (21, 0x26 | 0x17, _) => "bitcoin-gold",
        (22, 0x1c, Some(0xb8 | 0xbd)) => "zcash",
        _ => {
            // Decodes as base58 but is no known address: a hinted chain with a checkable
            // format makes it a corrupted address of that chain; otherwise unknown.
            return match (hinted, address.chars().next()) {
                (Some(Chain::Tron), _) | (Some(Chain::AnyOf), Some('T')) => {
                    Some(looks_like("tron"))
                }
                (Some(Chain::Bitcoin), _) => Some(looks_like("bitcoin")),
                _ => None,
            };
        }
    };
    Some(WalletKey {
        chain: chain.to_string(),
        key: address.to_string(),
        valid: Some(checksum_ok),
        checksum: None,
    })
}

fn is_solana_key(address: &str) -> bool {
    matches!(bs58::decode(address).into_vec(), Ok(bytes) if bytes.len() == 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(hint: Option<&str>, a: &str) -> WalletKey {
        normalise_wallet(hint, a)
    }

    #[test]
    fn eip55_checksums_are_checked() {
        // The four examples of EIP-55 itself.
        for a in [
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
            "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        ] {
            let k = key(Some("ethereum"), a);
            assert_eq!(k.chain, "evm");
            assert_eq!(k.checksum, Some(true), "{a}");
            assert_eq!(k.valid, Some(true));
            assert_eq!(k.key, a.to_ascii_lowercase());
        }
        // One letter's case flipped: the checksum fails and the address is invalid.
        let k = key(None, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD");
        assert_eq!((k.checksum, k.valid), (Some(false), Some(false)));
        // One case only: no checksum to check, still a valid address.
        let k = key(Some("bsc"), "0X5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED");
        assert_eq!((k.checksum, k.valid), (None, Some(true)));
        assert_eq!(k.key, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
    }

    #[test]
    fn evm_chains_and_tickers_share_one_key_space() {
        let a = "0x098B716B8Aaf21512996dC57EB0615e2383E2f96";
        let keys: Vec<_> = [
            Some("ETH"),
            Some("ethereum"),
            Some("bsc"),
            Some("USDT"),
            Some("ARB"),
            None,
        ]
        .into_iter()
        .map(|h| key(h, a))
        .collect();
        assert!(keys.windows(2).all(|w| w[0] == w[1]));
        assert_eq!(keys[0].checksum, Some(true));
    }

    #[test]
    fn bitcoin_base58check_good_and_corrupted() {
        // The genesis block's coinbase address (P2PKH) and a BIP-13 P2SH example.
        for a in [
            "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
            "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
        ] {
            let k = key(Some("XBT"), a);
            assert_eq!((k.chain.as_str(), k.valid), ("bitcoin", Some(true)), "{a}");
            assert_eq!(k.key, a);
        }
        let k = key(Some("bitcoin"), "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb");
        assert_eq!((k.chain.as_str(), k.valid), ("bitcoin", Some(false)));
        // Not base58 at all (0 is outside the alphabet) under a bitcoin hint.
        let k = key(Some("btc"), "10zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
        assert_eq!((k.chain.as_str(), k.valid), ("bitcoin", Some(false)));
    }

    #[test]
    fn bech32_and_bech32m() {
        // BIP 173 and BIP 350 test vectors.
        let k = key(None, "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4");
        assert_eq!(k.chain, "bitcoin");
        assert_eq!(k.valid, Some(true));
        assert_eq!(k.key, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
        let k = key(
            Some("bitcoin"),
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
        );
        assert_eq!(k.valid, Some(true));
        // Checksum broken (last character changed).
        let k = key(None, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5");
        assert_eq!((k.chain.as_str(), k.valid), ("bitcoin", Some(false)));
        // A v1 program with a bech32 (not bech32m) checksum is invalid by BIP 350.
        let k = key(
            None,
            "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
        );
        assert_eq!(k.valid, Some(false));
        let k = key(Some("LTC"), "ltc1qg42tkwuuxefutzxezdkdel39gfstuap288mfea");
        assert_eq!(k.chain, "litecoin");
    }

    #[test]
    fn tron_base58check_good_and_corrupted() {
        // USDT's own TRC-20 contract address.
        let good = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
        for hint in [Some("tron"), Some("TRX"), Some("USDT"), None] {
            let k = key(hint, good);
            assert_eq!(
                (k.chain.as_str(), k.valid),
                ("tron", Some(true)),
                "{hint:?}"
            );
            assert_eq!(k.key, good);
        }
        let k = key(Some("USDT"), "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u");
        assert_eq!((k.chain.as_str(), k.valid), ("tron", Some(false)));
        let k = key(Some("tron"), "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj");
        assert_eq!((k.chain.as_str(), k.valid), ("tron", Some(false)));
    }

    #[test]
    fn other_chains_are_kept_as_given() {
        let k = key(
            Some("XMR"),
            " 4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx3skxNgYeYTRj5UzqtReoS44qo9mtmXCqY45DJ852K5Jv2684Rge ",
        );
        assert_eq!(k.chain, "monero");
        assert_eq!(k.valid, None);
        assert!(k.key.starts_with("4AdUnd") && k.key.ends_with("Rge"));
        // Cashaddr without its prefix, as OFAC lists it: the checksum tells it apart with
        // or without a hint; one letter changed, only a BCH hint keeps it Bitcoin Cash.
        for hint in [Some("BCH"), Some("bitcoin"), None] {
            let k = key(hint, "qzjv8hrdvz6edu4gkzpnd4w6jc7zf296g5e9kkq4lx");
            assert_eq!((k.chain.as_str(), k.valid), ("bitcoin-cash", Some(true)));
        }
        let k = key(Some("BCH"), "qzjv8hrdvz6edu4gkzpnd4w6jc7zf296g5e9kkq4ly");
        assert_eq!((k.chain.as_str(), k.valid), ("bitcoin-cash", Some(false)));
        assert_eq!(
            key(None, "qzjv8hrdvz6edu4gkzpnd4w6jc7zf296g5e9kkq4ly").chain,
            "unknown"
        );
        // Bitcoin Gold (version 38, "G…"), as OFAC lists one.
        let k = key(None, "GPwg61XoHqQPNmAucFACuQ5H9sGCDv9TpS");
        assert_eq!((k.chain.as_str(), k.valid), ("bitcoin-gold", Some(true)));
        let k = key(
            None,
            "bitcoincash:QZJV8HRDVZ6EDU4GKZPND4W6JC7ZF296G5E9KKQ4LX",
        );
        assert_eq!(k.key, "qzjv8hrdvz6edu4gkzpnd4w6jc7zf296g5e9kkq4lx");
        let k = key(Some("solana"), "11111111111111111111111111111111");
        assert_eq!((k.chain.as_str(), k.valid), ("solana", Some(true)));
        let k = key(Some("cardano"), "addr1xyz");
        assert_eq!((k.chain.as_str(), k.valid), ("cardano", None));
        let k = key(None, "something");
        assert_eq!((k.chain.as_str(), k.valid), ("unknown", None));
        // Litecoin legacy (version 0x30).
        let k = key(Some("litecoin"), "LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9");
        assert_eq!((k.chain.as_str(), k.valid), ("litecoin", Some(true)));
    }
}
