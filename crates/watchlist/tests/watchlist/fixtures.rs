//! Formats with no real copy in shared/data, read from fixtures built from the
//! publishers' schemas: OFAC SDN.XML and OpenSanctions FollowTheMoney JSON lines.

use std::fs::File;
use std::io::BufReader;

use redflag_watchlist::{
    AliasQuality, AliasType, EntityKind, ListFormat, ListId, OfacCsvPart, detect_format,
    parse_ftm_jsonl, parse_ofac_xml,
};

use crate::common::fixture;

fn open(name: &str) -> BufReader<File> {
    BufReader::new(File::open(fixture(name)).expect("fixture exists"))
}

#[test]
fn sdn_xml_fixture() {
    let parsed = parse_ofac_xml(open("SDN.XML"), "SDN.XML").expect("parses");
    assert_eq!(parsed.list, ListId::OfacSdn);
    assert_eq!(parsed.published.as_deref(), Some("2025-12-05"));
    assert_eq!(
        parsed.report.warning_count, 0,
        "{:?}",
        parsed.report.warnings
    );
    let ids: Vec<_> = parsed.entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        ["OFAC-24918", "OFAC-27307", "OFAC-42498", "OFAC-99001"]
    );
    let [park, lazarus, sim, vessel] = parsed.entities.as_slice() else {
        unreachable!("four ids checked above")
    };

    assert_eq!(park.primary_name, "PARK, Jin Hyok");
    assert_eq!(park.kind, EntityKind::Person);
    assert_eq!(park.dates_of_birth, ["1984-08-15", "1984-10-18"]);
    let aliases: Vec<_> = park.aliases.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        aliases,
        ["PAK, Jin Hek", "PAK, Jin Hyok", "PAK, Ch'in-hyo'k"]
    );

    assert_eq!(lazarus.kind, EntityKind::Organization);
    assert_eq!(lazarus.countries, ["KP"]);
    assert_eq!(lazarus.wallets.len(), 2);
    assert!(
        lazarus
            .wallets
            .iter()
            .all(|w| w.chain == "evm" && w.valid == Some(true))
    );
    let weak: Vec<_> = lazarus
        .aliases
        .iter()
        .filter(|a| a.quality == AliasQuality::Weak)
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(weak, ["HIDDEN COBRA", "GUARDIANS OF PEACE"]);

    // The DPRK individual with wallets: USDT decided by its address to be on TRON.
    assert_eq!(sim.primary_name, "SIM, Hyon Sop");
    assert_eq!(sim.programs, ["NPWMD", "DPRK-NKSPEA"]);
    assert_eq!(sim.nationalities, ["KP"]);
    assert_eq!(sim.countries, ["KP"]);
    assert_eq!(sim.dates_of_birth, ["1983-11-25"]);
    assert_eq!(sim.emails, ["sim.example@example.com"]);
    let chains: Vec<_> = sim
        .wallets
        .iter()
        .map(|w| (w.chain.as_str(), w.currency.as_deref()))
        .collect();
    assert_eq!(chains, [("evm", Some("ETH")), ("tron", Some("USDT"))]);
    assert_eq!(
        sim.remarks.as_deref(),
        Some("Linked To: KOREA KWANGSON BANKING CORPORATION.")
    );

    assert_eq!(vessel.kind, EntityKind::Vessel);
    assert_eq!(vessel.countries, ["KP"]);
}

#[test]
fn sdn_xml_in_the_older_namespace_reads_the_same() {
    let xml = r#"<?xml version="1.0" standalone="yes"?>
<sdnList xmlns="http://tempuri.org/sdnList.xsd">
  <publshInformation><Publish_Date>05/30/2014</Publish_Date></publshInformation>
  <sdnEntry><uid>10</uid><lastName>ABASTECEDORA NAVAL Y INDUSTRIAL, S.A.</lastName><sdnType>Entity</sdnType>
    <programList><program>CUBA</program></programList>
    <akaList><aka><uid>4</uid><type>a.k.a.</type><category>strong</category><lastName>ANAINSA</lastName></aka></akaList>
    <addressList><address><uid>7</uid><country>Panama</country></address></addressList>
  </sdnEntry>
  <sdnEntry><uid></uid><lastName>NO UID</lastName></sdnEntry>
</sdnList>"#;
    let parsed = parse_ofac_xml(xml.as_bytes(), "old.xml").expect("parses");
    assert_eq!(parsed.published.as_deref(), Some("2014-05-30"));
    assert_eq!(parsed.entities.len(), 1);
    assert_eq!(parsed.entities[0].countries, ["PA"]);
    assert_eq!(parsed.entities[0].aliases[0].name, "ANAINSA");
    assert_eq!(
        parsed.report.warnings,
        ["old.xml line 9: sdnEntry has no uid; entry skipped"]
    );
}

#[test]
fn followthemoney_fixture() {
    let parsed = parse_ftm_jsonl(
        open("kp_sanctions.jsonl"),
        "kp_sanctions",
        "kp_sanctions.jsonl",
    )
    .expect("parses");
    assert_eq!(parsed.list.to_string(), "OS-kp_sanctions");
    let ids: Vec<_> = parsed.entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "NK-test-person-1",
            "NK-test-wallet-1",
            "NK-test-wallet-2",
            "NK-test-org-1",
            "NK-test-company-1",
            "NK-test-vessel-1"
        ]
    );
    let e = |id: &str| {
        parsed
            .entities
            .iter()
            .find(|e| e.id == id)
            .expect("present")
    };

    let person = e("NK-test-person-1");
    assert_eq!(person.kind, EntityKind::Person);
    assert_eq!(person.primary_name, "PARK Jin Hyok");
    let aliases: Vec<_> = person
        .aliases
        .iter()
        .map(|a| (a.name.as_str(), a.quality, a.alias_type))
        .collect();
    assert_eq!(
        aliases,
        [
            ("Pak Jin Hyok", AliasQuality::Unknown, AliasType::Aka),
            ("Kim Hyon Woo", AliasQuality::Strong, AliasType::Aka),
            ("Andoson David", AliasQuality::Weak, AliasType::Aka),
        ]
    );
    assert_eq!(person.dates_of_birth, ["1984-08-15", "1984-10-18"]);
    assert_eq!(person.nationalities, ["KP"]);
    assert_eq!(person.emails, ["jin.example@example.com"]);
    assert_eq!(
        person.remarks.as_deref(),
        Some("Member of a DPRK cyber unit.")
    );

    let wallet = e("NK-test-wallet-1");
    assert_eq!(wallet.kind, EntityKind::Wallet);
    assert_eq!(
        wallet.wallets[0].address,
        "0x098b716b8aaf21512996dc57eb0615e2383e2f96"
    );
    assert_eq!(wallet.wallets[0].currency.as_deref(), Some("ETH"));

    // The wallet is also on its holder, the Sanction's programme too.
    let org = e("NK-test-org-1");
    assert_eq!(org.kind, EntityKind::Organization);
    assert_eq!(org.wallets, wallet.wallets);
    assert_eq!(org.programs, ["DPRK3"]);
    assert_eq!(org.countries, ["KP"]);
    assert_eq!(org.websites, ["example.kp"]);
    assert!(
        org.aliases
            .iter()
            .any(|a| a.name == "Whois Hacking Team" && a.alias_type == AliasType::Fka)
    );

    assert_eq!(e("NK-test-wallet-2").wallets[0].chain, "tron");
    assert_eq!(
        parsed.report.orphan_count, 1,
        "the second wallet's holder is not in the file"
    );
    assert_eq!(e("NK-test-company-1").programs, ["DPRK-NKSPEA"]);
    assert_eq!(e("NK-test-company-1").countries, ["KP"]);
    assert_eq!(e("NK-test-vessel-1").kind, EntityKind::Vessel);
    assert_eq!(
        parsed.report.warning_count, 0,
        "{:?}",
        parsed.report.warnings
    );
}

#[test]
fn fixtures_are_recognised_by_content() {
    assert_eq!(
        detect_format(&fixture("SDN.XML")),
        Some(ListFormat::OfacXml)
    );
    assert_eq!(
        detect_format(&fixture("kp_sanctions.jsonl")),
        Some(ListFormat::FtmJsonl)
    );
    assert_eq!(detect_format(&fixture("missing.csv")), None);
    assert_eq!(
        detect_format(&fixture("")),
        None,
        "a folder is not a list file"
    );
    // Name alone is enough for the OFAC CSV parts.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("SDN_COMMENTS.CSV");
    std::fs::write(&path, "1,\"text\"\r\n").expect("write");
    assert_eq!(
        detect_format(&path),
        Some(ListFormat::OfacCsv(OfacCsvPart::Comments))
    );
}
