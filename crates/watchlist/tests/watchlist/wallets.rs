//! Every digital-currency address OFAC publishes in the shared files, read straight from
//! the raw text (sdn.csv remarks and their sdn_comments.csv continuations, glued where a
//! row is cut), must be found again by screening it the way a person's records would
//! give it: with the list's ticker, with the chain name a payout record uses, and with
//! no chain at all.

use std::collections::HashMap;

use redflag_watchlist::{LoadedLists, OfacCsvFiles, Screener, parse_ofac_csv};

use crate::common;

/// The chain name a payout record would carry for a list's ticker (the record spec names
/// `bitcoin`, `ethereum`, `tron`, `litecoin`, `bsc`, `solana`, other names allowed).
fn record_chain(ticker: &str) -> &str {
    match ticker {
        "XBT" => "bitcoin",
        "ETH" | "USDT" | "USDC" | "ETC" | "ARB" => "ethereum",
        "BSC" => "bsc",
        "TRX" => "tron",
        "LTC" => "litecoin",
        "BCH" => "bitcoin-cash",
        "BTG" => "bitcoin-gold",
        "BSV" => "bitcoin-sv",
        "XMR" => "monero",
        "ZEC" => "zcash",
        "DASH" => "dash",
        "XRP" => "ripple",
        "XVG" => "verge",
        other => other,
    }
}

/// (ent_num, ticker, address) for every "Digital Currency Address - TICKER address" in the
/// remarks, reading each entry's remarks as sdn.csv + its sdn_comments.csv rows.
fn published_addresses(ofac: &std::path::Path) -> Vec<(String, String, String)> {
    let read = |name: &str| -> Vec<csv::StringRecord> {
        let bytes = std::fs::read(ofac.join(name)).expect("readable");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&bytes[..])
            .records()
            .filter_map(Result::ok)
            .collect()
    };
    let mut remarks: HashMap<String, String> = HashMap::new();
    let mut order = Vec::new();
    for row in read("sdn.csv") {
        let (Some(id), Some(text)) = (row.get(0), row.get(11)) else {
            continue;
        };
        order.push(id.to_string());
        remarks.insert(id.to_string(), text.to_string());
    }
    for row in read("sdn_comments.csv") {
        if let (Some(id), Some(text)) = (row.get(0), row.get(1))
            && let Some(r) = remarks.get_mut(id)
        {
            r.push_str(text);
        }
    }
    let mut out = Vec::new();
    for id in order {
        let text = &remarks[&id];
        for part in text.split("Digital Currency Address - ").skip(1) {
            let mut words = part.split_whitespace();
            let (Some(ticker), Some(address)) = (words.next(), words.next()) else {
                continue;
            };
            let address = address.trim_end_matches(['.', ';', ',']);
            out.push((id.clone(), ticker.to_string(), address.to_string()));
        }
    }
    out
}

#[test]
fn every_listed_wallet_is_found_again() {
    let Some(dir) = common::sanctions_dir() else {
        return;
    };
    let ofac = dir.join("ofac");
    let published = published_addresses(&ofac);
    assert!(published.len() >= 500, "{}", published.len());
    let parsed = parse_ofac_csv(&OfacCsvFiles::in_dir(&ofac).expect("sdn.csv")).expect("parses");
    let screener = Screener::new(LoadedLists {
        entities: parsed.entities,
        versions: vec![],
    });
    let mut missed = Vec::new();
    for (ent_num, ticker, address) in &published {
        let id = format!("OFAC-{ent_num}");
        for hint in [Some(ticker.as_str()), Some(record_chain(ticker)), None] {
            let hits = screener.screen_wallet(hint, address);
            if !hits.iter().any(|h| h.entity.id == id) {
                missed.push(format!("{id} {ticker} {address} (hint {hint:?})"));
            }
        }
    }
    assert!(
        missed.is_empty(),
        "{} of {} lookups missed, e.g. {:#?}",
        missed.len(),
        published.len() * 3,
        &missed
    );
    println!(
        "{} published addresses found with the ticker, the record chain name and no hint",
        published.len()
    );
}
