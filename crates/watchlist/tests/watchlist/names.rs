//! What people type, screened against the real lists: the cases of issue 15 that were
//! misses before (legal forms, Korean names in Cyrillic and Chinese characters, common
//! Korean names, initials, titles, joined words, typing slips, other scripts).

use redflag_watchlist::{
    DEFAULT_THRESHOLD, LoadedLists, NameQuery, OfacCsvFiles, Screener, parse_ofac_csv,
};

use crate::common;

#[test]
fn what_people_type_finds_the_listed_party_on_the_real_lists() {
    let Some(dir) = common::sanctions_dir() else {
        return;
    };
    let parsed =
        parse_ofac_csv(&OfacCsvFiles::in_dir(&dir.join("ofac")).expect("sdn.csv")).expect("parses");
    let screener = Screener::new(LoadedLists {
        entities: parsed.entities,
        versions: vec![],
    });
    let top = |name: &str| {
        screener
            .screen_name(
                &NameQuery {
                    name,
                    ..Default::default()
                },
                DEFAULT_THRESHOLD,
            )
            .into_iter()
            .map(|h| (h.entity.id.clone(), h.score))
            .next()
    };
    assert_eq!(top("WISMOTOS S.A."), Some(("OFAC-11877".to_string(), 1.0)));
    for (query, id) in [
        ("Пак Чин Хёк", "OFAC-24918"),
        ("Ким Чен Ын", "OFAC-20157"),
        ("金正恩", "OFAC-20157"),
        ("Min Kang", "OFAC-22989"),
        ("Dr. Vladimir Putin", "OFAC-35096"),
        ("V. Putin", "OFAC-35096"),
        ("VladimirPutin", "OFAC-35096"),
        ("Vladimir Ptuin", "OFAC-35096"),
        ("Vladimir Puttin", "OFAC-35096"),
        ("Βλαντιμίρ Πούτιν", "OFAC-35096"),
        ("ولادیمیر پوتین", "OFAC-35096"),
        ("Lazarus Gruop", "OFAC-27307"),
    ] {
        assert_eq!(top(query).map(|t| t.0), Some(id.to_string()), "{query}");
    }
}
