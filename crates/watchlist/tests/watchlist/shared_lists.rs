//! The real OFAC, UN and Canadian files in shared/data, parsed completely. Counts are
//! lower bounds and known entries, never totals: the lists change every week and a newer
//! copy must still pass.

use std::collections::HashSet;
use std::fs::File;
use std::io::BufReader;

use redflag_watchlist::{
    AliasQuality, AliasType, Entity, EntityKind, OfacCsvFiles, ParsedList, parse_canada_xml,
    parse_ofac_csv, parse_un_xml,
};

use crate::common;

fn by_id<'a>(parsed: &'a ParsedList, id: &str) -> &'a Entity {
    parsed
        .entities
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("{id} not found"))
}

fn by_name<'a>(parsed: &'a ParsedList, name: &str) -> &'a Entity {
    parsed
        .entities
        .iter()
        .find(|e| e.primary_name == name)
        .unwrap_or_else(|| panic!("{name} not found"))
}

fn assert_unique_ids(parsed: &ParsedList) {
    let mut seen = HashSet::new();
    for e in &parsed.entities {
        assert!(seen.insert(&e.id), "{} twice", e.id);
        assert!(!e.primary_name.is_empty(), "{} has no name", e.id);
        assert_eq!(e.list, parsed.list);
    }
    assert_eq!(parsed.report.entities, parsed.entities.len());
}

fn wallet<'a>(e: &'a Entity, address: &str) -> &'a redflag_watchlist::WalletRef {
    e.wallets
        .iter()
        .find(|w| w.raw == address)
        .unwrap_or_else(|| panic!("{} has no wallet {address}: {:?}", e.id, e.wallets))
}

#[test]
fn ofac_csv_set_parses_completely() {
    let Some(dir) = common::sanctions_dir() else {
        return;
    };
    let files = OfacCsvFiles::in_dir(&dir.join("ofac")).expect("the OFAC folder has sdn.csv");
    assert!(files.alt.is_some() && files.add.is_some() && files.comments.is_some());
    let parsed = parse_ofac_csv(&files).expect("sdn.csv parses");
    assert_unique_ids(&parsed);
    assert!(parsed.entities.len() >= 10_000, "{}", parsed.entities.len());
    assert!(parsed.entities.iter().all(|e| e.id.starts_with("OFAC-")));
    for kind in [
        EntityKind::Person,
        EntityKind::Organization,
        EntityKind::Vessel,
        EntityKind::Aircraft,
    ] {
        assert!(
            parsed.entities.iter().filter(|e| e.kind == kind).count() >= 100,
            "{kind:?}"
        );
    }

    // The shared alt/add/comments files are newer than its sdn.csv: orphans are reported
    // with examples from each file, and none of them stops the parse.
    let r = &parsed.report;
    assert!(r.orphan_count >= 100, "{}", r.orphan_count);
    for file in ["alt.csv", "add.csv", "sdn_comments.csv"] {
        assert!(
            r.orphans
                .iter()
                .any(|o| o.starts_with(file) && o.contains("not in")),
            "no {file} orphan example in {:?}",
            r.orphans
        );
    }
    assert!(r.orphans.iter().all(|o| o.contains(" line ")));

    // PARK Jin Hyok, the Lazarus Group hacker OFAC also lists as "PAK, Jin Hyok".
    let park = by_id(&parsed, "OFAC-24918");
    assert_eq!(park.primary_name, "PARK, Jin Hyok");
    assert_eq!(park.kind, EntityKind::Person);
    assert!(park.programs.contains(&"DPRK3".to_string()));
    assert!(
        park.dates_of_birth.contains(&"1984-08-15".to_string()),
        "{:?}",
        park.dates_of_birth
    );
    assert!(park.dates_of_birth.contains(&"1984-10-18".to_string()));
    let pak = park
        .aliases
        .iter()
        .find(|a| a.name == "PAK, Jin Hyok")
        .expect("alias from alt.csv");
    assert_eq!(
        (pak.quality, pak.alias_type),
        (AliasQuality::Strong, AliasType::Aka)
    );

    // LAZARUS GROUP: wallets and weak aliases in remarks, continued in sdn_comments.csv.
    let lazarus = by_id(&parsed, "OFAC-27307");
    assert_eq!(lazarus.primary_name, "LAZARUS GROUP");
    assert_eq!(lazarus.kind, EntityKind::Organization);
    assert!(
        lazarus.countries.contains(&"KP".to_string()),
        "address in add.csv"
    );
    let eth = wallet(lazarus, "0x098B716B8Aaf21512996dC57EB0615e2383E2f96");
    assert_eq!(eth.chain, "evm");
    assert_eq!(eth.address, "0x098b716b8aaf21512996dc57eb0615e2383e2f96");
    assert_eq!(eth.currency.as_deref(), Some("ETH"));
    assert_eq!(eth.valid, Some(true));
    assert!(lazarus.wallets.len() >= 8);
    let names: Vec<&str> = lazarus.names().collect();
    for alias in ["HIDDEN COBRA", "WHOIS HACKING TEAM", "APPLEWORM"] {
        // "WHOIS HACKIN" + "G TEAM" straddles the cut; APPLEWORM is only in the overflow.
        assert!(names.contains(&alias), "{alias} not in {names:?}");
    }
    assert!(
        lazarus
            .aliases
            .iter()
            .filter(|a| a.quality == AliasQuality::Weak)
            .count()
            >= 10
    );

    // Wallet addresses that sdn.csv cuts and sdn_comments.csv completes.
    for (id, address) in [
        ("OFAC-30518", "1GqChmWqGtsaLrGbHfgdrV5Nkvahtjjuxr"),
        ("OFAC-37070", "3F6bbvS1krsc1qR8FsbTDfYQyvkMm3QvmR"),
        ("OFAC-33151", "1B64QRxfaa35MVkf7sDjuGUYAP5izQt7Qi"),
        ("OFAC-39593", "194xmrZA53UBsZau2PnJLdmVVW9m5feeS"),
        ("OFAC-29703", "0x8576acc5c05d6ce88f4e49bf65bdf0c62f91353c"),
    ] {
        let w = wallet(by_id(&parsed, id), address);
        assert_eq!(w.valid, Some(true), "{id} {address}");
    }
    // A DPRK individual whose one EVM address is listed under three tickers.
    let sim = by_name(&parsed, "SIM, Hyon Sop");
    assert_eq!(sim.nationalities, ["KP"]);
    let currencies: Vec<_> = sim
        .wallets
        .iter()
        .filter_map(|w| w.currency.as_deref())
        .collect();
    assert!(
        ["ETH", "ARB", "BSC"].iter().all(|c| currencies.contains(c)),
        "{currencies:?}"
    );
    assert!(
        sim.wallets
            .iter()
            .all(|w| w.chain == "evm" && w.address == "0x4f47bc496083c727c5fbe3ce9cdf2b0f6496270c")
    );

    // Every checkable wallet the list publishes passes its chain's checks.
    let wallets: Vec<_> = parsed.entities.iter().flat_map(|e| &e.wallets).collect();
    assert!(wallets.len() >= 400, "{}", wallets.len());
    for w in &wallets {
        if matches!(w.chain.as_str(), "evm" | "bitcoin" | "tron") {
            assert_eq!(w.valid, Some(true), "{w:?}");
        }
    }
    for chain in ["evm", "bitcoin", "tron"] {
        assert!(
            wallets.iter().any(|w| w.chain == chain),
            "no {chain} wallet"
        );
    }
    for warning in &r.warnings {
        println!("warning: {warning}");
    }
    println!(
        "OFAC CSV: {} entities, {} orphans, {} warnings, {} wallets ({} evm, {} bitcoin, {} tron)",
        parsed.entities.len(),
        r.orphan_count,
        r.warning_count,
        wallets.len(),
        wallets.iter().filter(|w| w.chain == "evm").count(),
        wallets.iter().filter(|w| w.chain == "bitcoin").count(),
        wallets.iter().filter(|w| w.chain == "tron").count(),
    );
}

#[test]
fn un_consolidated_list_parses_completely() {
    let Some(dir) = common::sanctions_dir() else {
        return;
    };
    let path = dir.join("un/consolidated.xml");
    let file = File::open(&path).expect("readable");
    let parsed = parse_un_xml(BufReader::new(file), "consolidated.xml").expect("parses");
    assert_unique_ids(&parsed);
    assert!(parsed.entities.len() >= 900, "{}", parsed.entities.len());
    assert_eq!(
        parsed.report.warning_count, 0,
        "{:?}",
        parsed.report.warnings
    );
    let published = parsed.published.as_deref().expect("dateGenerated");
    assert!(
        published.len() == 10 && published.as_bytes()[4] == b'-',
        "{published}"
    );
    assert!(
        parsed
            .entities
            .iter()
            .filter(|e| e.kind == EntityKind::Person)
            .count()
            >= 600
    );
    assert!(
        parsed
            .entities
            .iter()
            .filter(|e| e.kind == EntityKind::Organization)
            .count()
            >= 200
    );

    let dprk: Vec<_> = parsed
        .entities
        .iter()
        .filter(|e| e.programs.contains(&"DPRK".to_string()))
        .collect();
    assert!(dprk.len() >= 100, "{}", dprk.len());

    let yun = by_id(&parsed, "UN-690734");
    assert_eq!(yun.primary_name, "YUN HO-JIN");
    assert_eq!(yun.nationalities, ["KP"]);
    assert_eq!(yun.dates_of_birth, ["1944-10-13"]);
    assert!(
        yun.aliases
            .iter()
            .any(|a| a.name == "Yun Ho-chin" && a.quality == AliasQuality::Strong)
    );
    assert!(
        yun.remarks
            .as_deref()
            .is_some_and(|r| r.starts_with("Reference KPi.001"))
    );

    let koryo = by_name(&parsed, "KORYO BANK");
    assert_eq!(koryo.kind, EntityKind::Organization);
    assert_eq!(koryo.programs, ["DPRK"]);
    assert_eq!(koryo.countries, ["KP"]);
    let kkbc = by_name(&parsed, "KOREA KWANGSON BANKING CORPORATION (KKBC)");
    assert!(kkbc.names().any(|n| n == "KKBC"));

    // Original-script names are kept for indexing.
    assert!(
        parsed
            .entities
            .iter()
            .flat_map(|e| &e.aliases)
            .filter(|a| a.alias_type == AliasType::OriginalScript)
            .count()
            >= 100
    );
    println!(
        "UN: {} entities ({} DPRK), published {published}",
        parsed.entities.len(),
        dprk.len()
    );
}

#[test]
fn canadian_list_parses_completely() {
    let Some(dir) = common::sanctions_dir() else {
        return;
    };
    let path = dir.join("canada/sema-lmes.xml");
    let file = File::open(&path).expect("readable");
    let parsed = parse_canada_xml(BufReader::new(file), "sema-lmes.xml").expect("parses");
    assert_unique_ids(&parsed);
    assert!(parsed.entities.len() >= 1_000, "{}", parsed.entities.len());
    assert_eq!(
        parsed.report.warning_count, 0,
        "{:?}",
        parsed.report.warnings
    );

    let air_bagan = by_id(&parsed, "CA-MM-1-1");
    assert_eq!(air_bagan.primary_name, "Air Bagan");
    assert_eq!(air_bagan.kind, EntityKind::Organization);
    assert_eq!(air_bagan.countries, ["MM"]);
    assert_eq!(air_bagan.programs, ["Burma"]);
    let aliases: Vec<_> = air_bagan.aliases.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        aliases,
        ["Air Bagan Holdings Pte. Ltd.", "Air Bagan Limited"]
    );

    let people: Vec<_> = parsed
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Person)
        .collect();
    assert!(people.len() >= 800);
    assert!(people.iter().all(|p| !p.primary_name.ends_with(',')));
    assert!(
        people
            .iter()
            .filter(|p| !p.dates_of_birth.is_empty())
            .count()
            >= 150
    );
    // Names padded with non-breaking spaces in the file come out clean.
    assert!(
        parsed
            .entities
            .iter()
            .all(|e| e.primary_name == e.primary_name.trim())
    );
    println!(
        "Canada: {} entities ({} people)",
        parsed.entities.len(),
        people.len()
    );
}
