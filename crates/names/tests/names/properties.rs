//! Property tests: nothing panics on arbitrary input, scores stay in 0..=1, comparison is
//! symmetric, search results are ordered and bounded.

use std::sync::OnceLock;

use proptest::prelude::*;
use redflag_names::{NameIndex, NameKind, compare, normalise, transliterate};

fn kind() -> impl Strategy<Value = NameKind> {
    prop_oneof![
        Just(NameKind::Person),
        Just(NameKind::Organization),
        Just(NameKind::Unknown)
    ]
}

/// Name-like strings: Latin, Hangul and Cyrillic syllables with the punctuation names
/// carry, so that tokens actually meet and the alignment has work to do.
fn name_like() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        "[A-Za-z]{1,9}",
        prop::sample::select(vec![
            "Kim",
            "Pak",
            "Park",
            "Jin",
            "Hyok",
            "Jong",
            "Un",
            "hoon",
            "Ri",
            "Lee",
            "Yi",
            "Mohammed",
            "Muhammad",
            "Ali",
            "Co.",
            "Ltd",
            "S.A.",
            "박",
            "진혁",
            "김",
            "정은",
            "Владимир",
            "Путин",
            "O'Brien",
            "José",
        ])
        .prop_map(str::to_string),
    ];
    prop::collection::vec(
        (part, prop::sample::select(vec![" ", "-", ", ", " ", "."])),
        0..6,
    )
    .prop_map(|parts| {
        parts
            .into_iter()
            .map(|(p, sep)| format!("{p}{sep}"))
            .collect::<String>()
    })
}

fn index() -> &'static NameIndex<usize> {
    static INDEX: OnceLock<NameIndex<usize>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut b = NameIndex::builder();
        for (i, name) in [
            "PAK, Jin Hyok",
            "KIM, Jong Un",
            "RI, Sol Ju",
            "KOREA SOBAEKSU TRADING COMPANY",
            "AL-MASRI, Abu Hafs",
            "BANCO NACIONAL DE CUBA",
            "",
            "-0-",
        ]
        .iter()
        .enumerate()
        {
            b.add(
                name,
                if i < 3 {
                    NameKind::Person
                } else {
                    NameKind::Unknown
                },
                i,
            );
        }
        b.build()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn normalise_and_transliterate_never_panic(s in any::<String>(), k in kind()) {
        let tokens = normalise(&s, k);
        prop_assert!(tokens.iter().all(|t| !t.is_empty()));
        prop_assert!(!transliterate(&s).is_empty());
    }

    #[test]
    fn compare_never_panics_on_anything(a in any::<String>(), b in any::<String>(), k in kind()) {
        let c = compare(&a, &b, k);
        prop_assert!((0.0..=1.0).contains(&c.score));
    }

    #[test]
    fn compare_is_symmetric(a in name_like(), b in name_like(), k in kind()) {
        let ab = compare(&a, &b, k).score;
        let ba = compare(&b, &a, k).score;
        prop_assert!((0.0..=1.0).contains(&ab));
        prop_assert!((ab - ba).abs() <= 0.05, "{a:?} / {b:?}: {ab} vs {ba}");
    }

    #[test]
    fn a_name_matches_itself(a in name_like(), k in kind()) {
        let c = compare(&a, &a, k);
        if !normalise(&a, k).is_empty() {
            prop_assert!(c.score > 0.99, "{a:?}: {c:?}");
        }
    }

    #[test]
    fn search_never_panics_and_is_ordered(q in prop_oneof![any::<String>(), name_like()], k in kind(), limit in 0usize..5, min in 0.0f64..1.0) {
        let hits = index().search(&q, k, limit, min);
        prop_assert!(hits.len() <= limit);
        for w in hits.windows(2) {
            prop_assert!(w[0].score >= w[1].score);
        }
        for h in &hits {
            prop_assert!(h.score >= min && h.score <= 1.0);
        }
    }
}
