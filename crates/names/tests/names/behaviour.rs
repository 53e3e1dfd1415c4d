//! The behaviour the issue asks for, through the public API only.

use redflag_names::{DEFAULT_THRESHOLD, NameIndex, NameKind, compare, normalise, transliterate};

fn person(a: &str, b: &str) -> f64 {
    let c = compare(a, b, NameKind::Person);
    println!("{a:?} vs {b:?}: {:.3} — {}", c.score, c.explanation);
    c.score
}

#[test]
fn normalisation_cases() {
    assert_eq!(
        normalise("  José   MÜLLER-Lüdenscheidt ", NameKind::Person),
        ["jose", "muller", "ludenscheidt"]
    );
    assert_eq!(
        normalise("Łukasz Żółć", NameKind::Person),
        ["lukasz", "zolc"]
    );
    assert_eq!(
        normalise("Nguyễn Văn Đức", NameKind::Person),
        ["nguyen", "van", "duc"]
    );
    assert_eq!(normalise("Søren Ærø", NameKind::Person), ["soren", "aero"]);
    assert_eq!(normalise("Gauß", NameKind::Person), ["gauss"]);
    assert_eq!(
        normalise("BIN LADIN, Usama bin Muhammad", NameKind::Person),
        ["bin", "ladin", "usama", "bin", "muhammad"]
    );
    assert_eq!(normalise("D'Angelo", NameKind::Person), ["dangelo"]);
    assert_eq!(normalise("", NameKind::Person), Vec::<String>::new());
    assert_eq!(normalise("-0-", NameKind::Person), ["0"]);
    assert_eq!(
        normalise("Bank Melli Iran PJSC", NameKind::Organization),
        ["bank", "melli", "iran"]
    );
    assert_eq!(
        normalise(
            "Sberbank Rossii Public Joint Stock Company",
            NameKind::Organization
        ),
        ["sberbank", "rossii"]
    );
    assert_eq!(
        normalise("Acme GmbH & Co. KG", NameKind::Organization),
        ["acme"]
    );
    assert_eq!(
        normalise("Kim Trading Group", NameKind::Organization),
        ["kim", "trading", "group"]
    );
}

#[test]
fn hangul_to_latin() {
    let r = transliterate("박진혁");
    for expected in [
        "Bak Jinhyeok",
        "Pak Chin-hyŏk",
        "Pak Jin Hyok",
        "Park Jin-hyeok",
    ] {
        assert!(r.contains(&expected.to_string()), "{expected} not in {r:?}");
    }
    assert!(person("박진혁", "PAK, Jin Hyok") >= 0.9);
    assert!(person("박진혁", "Park Jin-hyuk") >= 0.9);
    assert!(person("김정은", "KIM, Jong Un") >= 0.9);
}

#[test]
fn cyrillic_to_latin() {
    assert_eq!(transliterate("Владимир Путин")[0], "Vladimir Putin");
    assert!(person("Владимир Путин", "PUTIN, Vladimir Vladimirovich") >= 0.85);
    assert!(person("Михаил Ходорковский", "Mikhail Khodorkovsky") >= 0.9);
    assert!(person("Михаил Ходорковский", "Mihail Hodorkovskiy") >= 0.85);
}

#[test]
fn romanisation_equivalence() {
    for variant in [
        "Pak Jin-Hyok",
        "Pak Jin Hyok",
        "Pak Jinhyok",
        "Pak Chin Hyok",
        "Pak Jin-Hyeok",
        "Bak Jinhyeok",
        "Park Jin-hyuk",
    ] {
        assert!(person(variant, "PAK, Jin Hyok") >= 0.9, "{variant}");
    }
    for (a, b) in [
        ("Ri Sol Ju", "Lee Sol Ju"),
        ("Yi Sol Ju", "Ri Sol Ju"),
        ("Rhee Sol-ju", "Lee Seol-ju"),
        ("Kim Yo Jong", "Gim Yeo-jeong"),
        ("Choe Ryong Hae", "Choi Yong-hae"),
    ] {
        assert!(person(a, b) >= 0.9, "{a} / {b}");
    }
}

#[test]
fn order_independence() {
    let a = person("PAK JIN HYOK", "Jin Hyok Pak");
    let b = person("PAK JIN HYOK", "Hyok Jin Pak");
    assert!(a >= 0.99, "{a}");
    assert!(b >= 0.99, "{b}");
    // A given name on one side only costs a little (a missing middle name).
    assert!(person("Grace Eun-ji Pak", "Pak Eun-ji") >= 0.85);
    assert!(person("John Michael Smith", "Smith, John") >= 0.85);
}

#[test]
fn organisation_legal_forms() {
    let c = compare(
        "Korea Sobaeksu Trading Company",
        "KOREA SOBAEKSU TRADING CO.",
        NameKind::Organization,
    );
    assert!(c.score >= 0.99, "{c:?}");
    let c = compare(
        "Korea Sobaeksu Trading Company",
        "KOREA SOBAEKSU TRADING CO.",
        NameKind::Unknown,
    );
    assert!(c.score >= 0.9, "{c:?}");
    let c = compare(
        "Korea Sobaeksu Trading",
        "Korea Kwangson Banking",
        NameKind::Organization,
    );
    assert!(c.score < 0.6, "{c:?}");
}

#[test]
fn hard_negatives() {
    assert!(person("Kevin Brooks", "KIM, Jong Un") < 0.3);
    assert!(person("Kim Jong-hoon", "KIM, Jong Un") < DEFAULT_THRESHOLD);
    assert!(person("Kim Jong-hoon", "KIM, Jong Un") < 0.8);
    assert!(person("Daniel Park", "PAK, Jin Hyok") < 0.5);
    assert!(person("Jin Hyok", "PAK, Jin Hyok") < DEFAULT_THRESHOLD);
    assert!(person("Park Jin-woo", "PAK, Jin Hyok") < 0.8);
}

#[test]
fn explanations_say_what_matched() {
    let c = compare("Park Jin Hyok", "PAK, Jinhyok", NameKind::Person);
    assert_eq!(
        c.explanation,
        "surname PARK≈PAK (romanisation), given name JIN HYOK=JINHYOK (joined)"
    );
    let c = compare("Daniel Park", "PAK, Jin Hyok", NameKind::Person);
    assert!(
        c.explanation.contains("only in first: DANIEL"),
        "{}",
        c.explanation
    );
}

#[test]
fn compare_is_symmetric_on_examples() {
    for (a, b) in [
        ("Grace Eun-ji Pak", "Pak Eun-ji"),
        ("Daniel Park", "PAK JIN HYOK"),
        ("Kim Jong-hoon", "KIM JONG UN"),
    ] {
        let x = compare(a, b, NameKind::Person).score;
        let y = compare(b, a, NameKind::Person).score;
        assert!((x - y).abs() < 1e-6, "{a} / {b}: {x} vs {y}");
    }
}

#[test]
fn small_index_search() {
    let mut b = NameIndex::builder();
    b.add("PAK, Jin Hyok", NameKind::Person, 1u32)
        .add("KIM, Jong Un", NameKind::Person, 2)
        .add("KOREA SOBAEKSU TRADING COMPANY", NameKind::Organization, 3)
        .add("PUTIN, Vladimir Vladimirovich", NameKind::Person, 4);
    let index = b.build();
    assert_eq!(index.len(), 4);
    let hits = index.search("Park Jin Hyok", NameKind::Person, 5, 0.5);
    assert_eq!(hits.first().map(|m| *m.payload), Some(1), "{hits:?}");
    let hits = index.search("박진혁", NameKind::Person, 5, 0.5);
    assert_eq!(hits.first().map(|m| *m.payload), Some(1), "{hits:?}");
    let hits = index.search(
        "Korea Sobaeksu Trading Co., Ltd.",
        NameKind::Organization,
        5,
        0.5,
    );
    assert_eq!(hits.first().map(|m| *m.payload), Some(3), "{hits:?}");
    let hits = index.search("Владимир Путин", NameKind::Person, 5, 0.5);
    assert_eq!(hits.first().map(|m| *m.payload), Some(4), "{hits:?}");
    assert!(
        index
            .search("Kevin Brooks", NameKind::Person, 5, 0.5)
            .is_empty()
    );
    assert!(index.search("", NameKind::Person, 5, 0.0).is_empty());
    assert!(
        index
            .search("Pak Jin Hyok", NameKind::Person, 0, 0.0)
            .is_empty()
    );
    assert!(index.memory_bytes() > 0);
}
