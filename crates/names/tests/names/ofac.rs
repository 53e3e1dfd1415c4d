//! Against the real OFAC SDN list (shared/data, read in place): recall over the alias
//! file, precision on ordinary names from many countries, and the named cases.

use std::sync::OnceLock;

use crate::support::{ListName, data_dir, ofac, ordinary_names};
use redflag_names::{
    DEFAULT_THRESHOLD, NameIndex, NameKind, PartialDate, SupportingEvidence, adjust,
};

/// Payload of the synthetic "KIM, Jong Hun" entry added for the common-name case.
const SYNTHETIC: u32 = 0;

struct Data {
    index: NameIndex<u32>,
    aliases: Vec<ListName>,
}

/// The OFAC index (primary names and aliases, payload = entity number), built once for
/// all tests of this binary; `None` when shared/data is absent outside CI, which each
/// calling test reports as a skip.
fn data(test: &str) -> Option<&'static Data> {
    static DATA: OnceLock<Data> = OnceLock::new();
    let dir = data_dir(test)?;
    Some(DATA.get_or_init(|| {
        let (primaries, aliases) = ofac(&dir);
        let mut builder = NameIndex::builder();
        for n in primaries.iter().chain(&aliases) {
            builder.add(&n.name, n.kind, n.ent_num);
        }
        // The list has no "KIM Jong Hun"; the common-name case needs one.
        builder.add("KIM, Jong Hun", NameKind::Person, SYNTHETIC);
        let index = builder.build();
        println!(
            "indexed {} names ({} primary, {} aliases), {:.1} MB",
            index.len(),
            primaries.len(),
            aliases.len(),
            index.memory_bytes() as f64 / 1e6
        );
        Data { index, aliases }
    }))
}

/// Whether `ent_num` is among the results tied for the best score (within 0.001: the
/// same alias listed under two entities scores the same up to rounding).
fn top_is(hits: &[redflag_names::Match<'_, u32>], ent_num: u32) -> bool {
    let Some(best) = hits.first().map(|m| m.score) else {
        return false;
    };
    hits.iter()
        .take_while(|m| m.score >= best - 1e-3)
        .any(|m| *m.payload == ent_num)
}

#[test]
fn alias_recall() {
    let Some(d) = data("alias_recall") else {
        return;
    };
    let mut found = 0usize;
    let mut found_reordered = 0usize;
    let mut misses = Vec::new();
    for alias in &d.aliases {
        let hits = d.index.search(&alias.name, alias.kind, 10, 0.5);
        if top_is(&hits, alias.ent_num) {
            found += 1;
        } else if misses.len() < 20 {
            misses.push(format!(
                "{} ({}) → {:?}",
                alias.name,
                alias.ent_num,
                hits.first().map(|m| (m.name, *m.payload, m.score))
            ));
        }
        // The same alias as a person would type it: lower case, no apostrophes or other
        // punctuation, the first word moved to the end ("PAK, Jin Hyok" → "jin hyok pak").
        let mut words: Vec<String> = alias
            .name
            .replace(['\'', '’'], "")
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if words.len() > 1 {
            words.rotate_left(1);
        }
        let retyped = words.join(" ");
        let hits = d.index.search(&retyped, alias.kind, 10, 0.5);
        if top_is(&hits, alias.ent_num) {
            found_reordered += 1;
        } else if misses.len() < 40 {
            misses.push(format!(
                "{retyped} ({}) → {:?}",
                alias.ent_num,
                hits.first().map(|m| (m.name, *m.payload, m.score))
            ));
        }
    }
    let n = d.aliases.len() as f64;
    let recall = found as f64 / n;
    let recall_reordered = found_reordered as f64 / n;
    println!(
        "alias recall (top-1): {found}/{} = {:.4}",
        d.aliases.len(),
        recall
    );
    println!(
        "alias recall, retyped and reordered (top-1): {found_reordered}/{} = {:.4}",
        d.aliases.len(),
        recall_reordered
    );
    for m in &misses {
        println!("  miss: {m}");
    }
    assert!(recall >= 0.99, "recall {recall}");
    assert!(
        recall_reordered >= 0.97,
        "reordered recall {recall_reordered}"
    );
}

#[test]
fn ordinary_names_rarely_hit() {
    let Some(d) = data("ordinary_names_rarely_hit") else {
        return;
    };
    let names = ordinary_names(100);
    let mut hits_at = [0usize; 3];
    let thresholds = [0.80, 0.85, DEFAULT_THRESHOLD];
    let mut shown = Vec::new();
    for (name, country) in &names {
        let hits = d.index.search(name, NameKind::Person, 1, 0.80);
        let Some(best) = hits.first() else {
            continue;
        };
        for (count, t) in hits_at.iter_mut().zip(thresholds) {
            if best.score >= t {
                *count += 1;
            }
        }
        if best.score >= 0.85 {
            shown.push(format!(
                "{country} {name} → {} {:.3} ({})",
                best.name, best.score, best.explanation
            ));
        }
    }
    let n = names.len() as f64;
    for (count, t) in hits_at.iter().zip(thresholds) {
        println!(
            "ordinary names with a hit ≥ {t:.2}: {count}/{} = {:.4}",
            names.len(),
            *count as f64 / n
        );
    }
    for s in &shown {
        println!("  {s}");
    }
    let rate = hits_at[2] as f64 / n;
    assert!(rate < 0.01, "false-hit rate {rate}");
}

#[test]
fn named_cases() {
    let Some(d) = data("named_cases") else {
        return;
    };
    let best = |q: &str| {
        let hits = d.index.search(q, NameKind::Person, 5, 0.0);
        for h in &hits {
            println!(
                "{q:?} → {} [{}] {:.3} — {}",
                h.name, h.payload, h.score, h.explanation
            );
        }
        hits.into_iter()
            .map(|h| (h.name.to_string(), *h.payload, h.score))
            .collect::<Vec<_>>()
    };

    // A real OFAC DPRK listing (Lazarus Group) found through another romanisation.
    const PAK_JIN_HYOK: u32 = 24918;
    let park = best("Park Jin Hyok");
    assert_eq!(park.first().map(|h| h.1), Some(PAK_JIN_HYOK), "{park:?}");
    let pak = park
        .iter()
        .find(|h| h.0 == "PAK, Jin Hyok")
        .map_or(0.0, |h| h.2);
    assert!(pak >= 0.9, "{park:?}");
    let hangul = best("박진혁");
    assert!(
        hangul
            .first()
            .is_some_and(|h| h.1 == PAK_JIN_HYOK && h.2 >= 0.9),
        "{hangul:?}"
    );

    let kju = best("Kim Jong Un");
    assert!(
        kju.first()
            .is_some_and(|h| h.0 == "KIM, Jong Un" && h.2 >= DEFAULT_THRESHOLD),
        "{kju:?}"
    );

    // A common Seoul name: the romanisation matches "KIM JONG HUN", but without a date
    // of birth a common name must not be a hit.
    let common = best("Kim Jong-hoon");
    let synthetic = common.iter().find(|h| h.1 == SYNTHETIC).map(|h| h.2);
    assert!(synthetic.is_some_and(|s| s < 0.85), "{common:?}");
    let vs_kju = common
        .iter()
        .find(|h| h.0 == "KIM, Jong Un")
        .map_or(0.0, |h| h.2);
    assert!(vs_kju < DEFAULT_THRESHOLD, "{common:?}");
    // …while a matching date of birth makes it one.
    let evidence = SupportingEvidence {
        query_dob: PartialDate::parse("1984-01-08"),
        candidate_dobs: vec![PartialDate {
            year: 1984,
            month: Some(1),
            day: Some(8),
        }],
        query_kind: NameKind::Person,
        candidate_kind: NameKind::Person,
        ..Default::default()
    };
    let (raised, why) = adjust(synthetic.unwrap_or(0.0), &evidence);
    println!("with DOB: {raised:.3} {why:?}");
    assert!(raised > synthetic.unwrap_or(0.0));

    for negative in ["Kevin Brooks", "Daniel Park", "Grace Kim"] {
        let hits = best(negative);
        assert!(
            hits.first().is_none_or(|h| h.2 < DEFAULT_THRESHOLD),
            "{negative}: {hits:?}"
        );
    }
    let c = d.index.commonness("Kim Jong-hoon", NameKind::Person);
    let r = d.index.commonness("Pak Jin Hyok", NameKind::Person);
    println!("commonness: Kim Jong-hoon {c:.3}, Pak Jin Hyok {r:.3}");
    assert!(c > r);
}
