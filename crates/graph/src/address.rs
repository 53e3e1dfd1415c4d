//! Postal addresses as keys: the ways people write one address ("88 Elm St Apt 3",
//! "88 Elm Street, Apt. 3", "Apt 3, 88 ELM STREET") meet under one key, so a laptop farm
//! or a shared drop address is found however each persona typed it.
//!
//! What is normalised:
//! - case, punctuation and diacritics (any script is transliterated to ASCII; "Straße"
//!   is "strasse");
//! - street types to one abbreviation (street/st, avenue/ave/av, road/rd, drive/dr,
//!   boulevard/blvd/bd, lane/ln, court/ct, place/pl, terrace/ter, highway/hwy,
//!   parkway/pkwy, square/sq, crescent, circle, alley, expressway; German and Dutch
//!   straße/strasse/straat/str, also at the end of a compound such as "Hauptstraße";
//!   avenida/avda, plaza/platz, carrera, paseo, impasse, route), and saint/st,
//!   sainte/ste, mount/mt, fort/ft;
//! - directionals (north/n, south/s, east/e, west/w, northeast/ne, …, "N.E." as "ne");
//! - ordinals ("1st", "First" and "1" are one);
//! - unit designators (apartment, apt, unit, suite, ste, flat, #, depto, wohnung) to one
//!   marker, and the unit moved to the end, so "Apt 3", "#3", "Unit 3" and a unit given
//!   first or on line 2 meet; a designator counts only before a number or a single
//!   letter, so "Flat Rock Road" keeps its street name; a letter after a number is part of
//!   it ("3 B", "3-B" and "3B" meet);
//! - postal codes: separators removed, upper case, a country prefix ("CH-8001") dropped;
//!   a US ZIP+4 cut to its five digits and a ZIP that lost its leading zeros padded (in
//!   the US and its territories, or when written `12345-6789`); other countries' codes
//!   (UK, Canada, the Netherlands…) are kept whole;
//! - the country, as its ISO code.
//!
//! What is not: spelling mistakes, names written out versus numbered other than
//! "first" to "tenth", "3/88 Elm St" (Australian unit/number), the position of a
//! directional ("N Elm St" and "Elm St N" differ), a city's other names (the city is part
//! of the key only when there is no postal code, and then as written), and an address
//! with a postal code or country against one without: such pairs do not meet.

use redflag_model::{Address, CountryCode};

/// The key an address is indexed under, `street|postcode or city|country`, or `None`
/// when there is no first line (or nothing of it is a letter or digit): a city alone
/// ties nobody.
pub fn normalise_address(a: &Address) -> Option<String> {
    let line1 = a.line1.as_deref()?;
    let mut text = line1.to_owned();
    if let Some(line2) = &a.line2 {
        text.push(' ');
        text.push_str(line2);
    }
    let street = street_key(&text)?;
    let place = a
        .postal_code
        .as_deref()
        .and_then(|code| postal_key(code, a.country))
        .or_else(|| a.city.as_deref().map(|city| fold_words(city).join(" ")))
        .unwrap_or_default();
    let country = a.country.as_ref().map_or("", CountryCode::as_str);
    Some(format!("{street}|{place}|{country}"))
}

/// Marker every unit designator becomes.
const UNIT: &str = "#";

/// Words that introduce a flat, suite or unit number.
const UNIT_DESIGNATORS: &[&str] = &[
    "#",
    "apartment",
    "apt",
    "appt",
    "appartement",
    "unit",
    "suite",
    "ste",
    "flat",
    "depto",
    "dpto",
    "departamento",
    "wohnung",
    "whg",
];

/// Written-out word → the one form kept. Street types take the common abbreviation.
const CANONICAL: &[(&str, &str)] = &[
    ("street", "st"),
    ("strasse", "str"),
    ("straat", "str"),
    ("avenue", "ave"),
    ("av", "ave"),
    ("avn", "ave"),
    ("avenida", "ave"),
    ("avda", "ave"),
    ("road", "rd"),
    ("drive", "dr"),
    ("drv", "dr"),
    ("boulevard", "blvd"),
    ("boul", "blvd"),
    ("bd", "blvd"),
    ("bvd", "blvd"),
    ("lane", "ln"),
    ("court", "ct"),
    ("crt", "ct"),
    ("place", "pl"),
    ("platz", "pl"),
    ("plaza", "pl"),
    ("terrace", "ter"),
    ("terr", "ter"),
    ("highway", "hwy"),
    ("parkway", "pkwy"),
    ("pky", "pkwy"),
    ("square", "sq"),
    ("crescent", "cres"),
    ("circle", "cir"),
    ("alley", "aly"),
    ("expressway", "expy"),
    ("carrera", "cra"),
    ("kra", "cra"),
    ("paseo", "pso"),
    ("impasse", "imp"),
    ("route", "rte"),
    ("saint", "st"),
    ("sainte", "ste"),
    ("mount", "mt"),
    ("fort", "ft"),
    ("north", "n"),
    ("south", "s"),
    ("east", "e"),
    ("west", "w"),
    ("northeast", "ne"),
    ("northwest", "nw"),
    ("southeast", "se"),
    ("southwest", "sw"),
    ("first", "1"),
    ("second", "2"),
    ("third", "3"),
    ("fourth", "4"),
    ("fifth", "5"),
    ("sixth", "6"),
    ("seventh", "7"),
    ("eighth", "8"),
    ("ninth", "9"),
    ("tenth", "10"),
];

/// Endings of compound street names ("Hauptstraße", "Kalverstraat") and what they become.
const COMPOUND_ENDINGS: &[(&str, &str)] = &[("strasse", "str"), ("straat", "str")];

/// Countries that use US ZIP codes.
const ZIP_COUNTRIES: &[&str] = &["US", "PR", "VI", "GU", "AS", "MP"];

/// Letters and digits of the two address lines, each word in its one form, the unit last.
fn street_key(text: &str) -> Option<String> {
    let words: Vec<String> = fold_words(text)
        .into_iter()
        .map(|w| canonical_word(&w))
        .collect();
    let words = glue_letters_to_numbers(join_split_directionals(words));
    let mut street: Vec<&str> = Vec::with_capacity(words.len());
    let mut units: Vec<&str> = Vec::new();
    let mut i = 0;
    while let Some(word) = words.get(i) {
        let designator = UNIT_DESIGNATORS.contains(&word.as_str());
        match words.get(i + 1) {
            Some(value) if designator && is_unit_value(value) => {
                units.push(value);
                i += 2;
            }
            // A designator with nothing after it ("Apt" at the end) or a "#" before a
            // word says nothing; "flat" before a name ("Flat Rock Road") is the street's.
            None if designator => i += 1,
            _ if word == UNIT => i += 1,
            _ => {
                street.push(word);
                i += 1;
            }
        }
    }
    // A flat number with no street would tie everyone's "Apt 3" in one postcode.
    if street.is_empty() {
        return None;
    }
    let mut key = street.join(" ");
    for unit in units {
        key.push(' ');
        key.push_str(UNIT);
        key.push_str(unit);
    }
    Some(key)
}

/// ASCII lower-case words; `#` is a word of its own ("#3" is "#" then "3").
fn fold_words(text: &str) -> Vec<String> {
    let folded = any_ascii::any_ascii(text).to_ascii_lowercase();
    let mut words = Vec::new();
    let mut word = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c);
            continue;
        }
        // "King's Court" and "Kings Court" are one street.
        if c == '\'' {
            continue;
        }
        if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        if c == '#' {
            words.push(UNIT.to_owned());
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

fn canonical_word(word: &str) -> String {
    if let Some(&(_, short)) = CANONICAL.iter().find(|(long, _)| *long == word) {
        return short.to_owned();
    }
    if let Some(number) = strip_ordinal(word) {
        return number.to_owned();
    }
    for (ending, short) in COMPOUND_ENDINGS {
        if let Some(stem) = word.strip_suffix(ending).filter(|s| !s.is_empty()) {
            return format!("{stem}{short}");
        }
    }
    word.to_owned()
}

/// "21st" → "21": the suffix says nothing the number does not.
fn strip_ordinal(word: &str) -> Option<&str> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    let is_number = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    (is_number && ["st", "nd", "rd", "th"].contains(&suffix)).then_some(digits)
}

/// A lone letter after a number belongs to it: "3 B" and "3-B" are "3b".
fn glue_letters_to_numbers(words: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for word in words {
        let is_letter = word.len() == 1 && word.bytes().all(|b| b.is_ascii_alphabetic());
        match out.last_mut() {
            Some(previous)
                if is_letter
                    && previous.bytes().all(|b| b.is_ascii_digit())
                    && previous != UNIT =>
            {
                previous.push_str(&word);
            }
            _ => out.push(word),
        }
    }
    out
}

/// "N.E." arrives as "n", "e": one directional, as "NE" would be.
fn join_split_directionals(words: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for word in words {
        match out.last_mut() {
            Some(previous)
                if matches!(previous.as_str(), "n" | "s") && matches!(word.as_str(), "e" | "w") =>
            {
                previous.push_str(&word);
            }
            _ => out.push(word),
        }
    }
    out
}

/// What can follow a unit designator: a number ("3", "12b", "b12") or one letter ("B").
fn is_unit_value(word: &str) -> bool {
    word != UNIT
        && (word.bytes().any(|b| b.is_ascii_digit())
            || (word.len() == 1 && word.bytes().all(|b| b.is_ascii_alphabetic())))
}

fn postal_key(code: &str, country: Option<CountryCode>) -> Option<String> {
    let folded = any_ascii::any_ascii(code);
    let compact: String = folded
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let country = country.as_ref().map(CountryCode::as_str);
    let compact = match country.and_then(|c| compact.strip_prefix(c)) {
        Some(rest) if all_digits(rest) => rest.to_owned(),
        _ => compact,
    };
    if compact.is_empty() {
        return None;
    }
    let zip_country = country.is_some_and(|c| ZIP_COUNTRIES.contains(&c));
    let written_as_zip4 = is_zip_plus_four(folded.trim());
    if (zip_country || written_as_zip4) && all_digits(&compact) {
        return Some(match compact.len() {
            9 => compact[..5].to_owned(),
            // Spreadsheets drop a ZIP's leading zeros ("02134" → "2134").
            3 | 4 => format!("{compact:0>5}"),
            _ => compact,
        });
    }
    Some(compact)
}

/// `12345-6789`: the US ZIP+4 form, unmistakable even without a country.
fn is_zip_plus_four(code: &str) -> bool {
    let bytes = code.as_bytes();
    bytes.len() == 10
        && bytes[5] == b'-'
        && bytes[..5].iter().chain(&bytes[6..]).all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(line1: &str, postal_code: &str, country: &str) -> Address {
        Address {
            line1: Some(line1.into()),
            postal_code: (!postal_code.is_empty()).then(|| postal_code.into()),
            country: (!country.is_empty()).then(|| country.parse().unwrap()),
            ..Address::default()
        }
    }

    fn key(line1: &str) -> String {
        normalise_address(&address(line1, "62704", "US")).unwrap()
    }

    fn meet(a: &str, b: &str) {
        assert_eq!(key(a), key(b), "{a:?} and {b:?} should meet");
    }

    fn differ(a: &str, b: &str) {
        assert_ne!(key(a), key(b), "{a:?} and {b:?} should not meet");
    }

    #[test]
    fn the_issues_example_meets() {
        meet("88 Elm St Apt 3", "88 Elm Street, Apt. 3");
        assert_eq!(key("88 Elm St Apt 3"), "88 elm st #3|62704|US");
    }

    #[test]
    fn street_types_and_directionals_are_abbreviated() {
        meet("12 North Maple Avenue", "12 N. Maple Ave.");
        meet("5 Sunset Boulevard", "5 SUNSET BLVD");
        meet("7 Oak Lane", "7 oak ln");
        meet("9 King's Court", "9 Kings Ct");
        meet("3 Park Place", "3 Park Pl");
        meet("40 Ocean Terrace", "40 Ocean Ter.");
        meet("101 Pacific Coast Highway", "101 Pacific Coast Hwy");
        meet("2 Garden State Parkway", "2 Garden State Pkwy");
        meet("1 Union Square", "1 Union Sq");
        meet("14 Southwest Pine Road", "14 S.W. Pine Rd");
        meet("14 Northeast Pine Drive", "14 N.E. Pine Dr.");
        meet("10 Saint Mark's Place", "10 St. Marks Pl");
        meet("21 First Avenue", "21 1st Ave");
        meet("300 East 42nd Street", "300 E 42 St");
    }

    #[test]
    fn other_languages_street_types_and_diacritics_fold() {
        meet("Hauptstraße 5", "Hauptstr. 5");
        meet("Hauptstraße 5", "HAUPTSTRASSE 5");
        meet("Berliner Straße 12", "Berliner Str 12");
        meet("Kalverstraat 1", "Kalverstr. 1");
        meet("12 Rue de la Paix", "12 rue de la paix");
        meet("Calle Mayor 10", "calle mayor, 10");
        meet("Avenida Paulista 1000", "Av. Paulista 1000");
        meet("3 Boulevard Saint-Germain", "3 bd St Germain");
        meet("Ærøgade 4", "Aerogade 4");
        meet("Plac Zbawiciela 2", "Plac Zbawiciela 2");
        meet("Gran Vía 28", "Gran Via 28");
    }

    #[test]
    fn unit_designators_meet_whatever_their_form_or_place() {
        for form in [
            "88 Elm St #3",
            "88 Elm St # 3",
            "88 Elm St Unit 3",
            "88 Elm St Apartment 3",
            "88 Elm St, Suite 3",
            "88 Elm St Ste. 3",
            "88 Elm St Flat 3",
            "Apt 3, 88 Elm Street",
            "Apt. 3 88 Elm St.",
        ] {
            meet("88 Elm St Apt 3", form);
        }
        meet("88 Elm St Apt 3B", "88 Elm St Apt 3-B");
        meet("88 Elm St Apt 3B", "88 Elm St #3 B");
        meet("88 Elm St Flat B", "88 Elm St Unit b");
    }

    #[test]
    fn a_unit_on_the_second_line_meets_one_on_the_first() {
        let mut split = address("88 Elm Street", "62704", "US");
        split.line2 = Some("Apt. 3".into());
        assert_eq!(normalise_address(&split).unwrap(), key("88 Elm St Apt 3"));
    }

    #[test]
    fn a_designator_word_in_a_street_name_stays_a_word() {
        assert_eq!(key("12 Flat Rock Road"), "12 flat rock rd|62704|US");
        differ("12 Flat Rock Road", "12 Rock Road");
        // Sainte-Catherine is a saint, not a suite.
        meet("1500 Rue Sainte-Catherine", "1500 rue Ste-Catherine");
        differ("1500 Rue Ste-Catherine", "1500 Rue #Catherine");
        // A designator with nothing after it is dropped, not left dangling.
        meet("88 Elm St Apt", "88 Elm St");
    }

    #[test]
    fn two_flats_in_one_building_do_not_meet() {
        differ("88 Elm St Apt 3", "88 Elm St Apt 4");
        differ("88 Elm St #3", "88 Elm St Unit 30");
        differ("88 Elm St Apt 3A", "88 Elm St Apt 3B");
        differ("88 Elm St Apt 3", "88 Elm St");
        differ("88 Elm St Apt 3", "88 Elm St Apt 3, Apt 4");
    }

    #[test]
    fn different_house_numbers_or_streets_do_not_meet() {
        differ("88 Elm St", "89 Elm St");
        differ("88 Elm St", "8 Elm St");
        differ("88 Elm St", "88 Elm Ave");
        differ("88 Elm St", "88 Elms St");
        differ("88A Elm St", "88B Elm St");
        differ("12 N Main St", "12 S Main St");
        // A unit number is never read as a house number, nor the other way.
        differ("3 Elm St Apt 88", "88 Elm St Apt 3");
    }

    #[test]
    fn postcodes_fold_separators_and_zip_plus_four() {
        let place = |code: &str, country: &str| {
            let key = normalise_address(&address("1 Main St", code, country)).unwrap();
            key.split('|').nth(1).unwrap().to_owned()
        };
        for (code, country, expected) in [
            ("62704-1234", "US", "62704"),
            ("627041234", "US", "62704"),
            ("62704-1234", "", "62704"),
            // Spreadsheets drop a ZIP's leading zeros.
            ("2134", "US", "02134"),
            ("00901", "PR", "00901"),
            ("sw1a 1aa", "GB", "SW1A1AA"),
            ("k1a-0b1", "CA", "K1A0B1"),
            ("1012 AB", "NL", "1012AB"),
            ("CH-8001", "CH", "8001"),
            // Nine digits outside the US are not a ZIP+4.
            ("123456789", "BR", "123456789"),
        ] {
            assert_eq!(place(code, country), expected, "{code} in {country:?}");
        }
        // UK and Canadian codes are kept whole: neighbouring streets differ in them.
        assert_ne!(place("SW1A 1AA", "GB"), place("SW1A 2AA", "GB"));
        assert_ne!(place("K1A 0B1", "CA"), place("K1A 0B2", "CA"));
        assert_ne!(place("62704", "US"), place("62705", "US"));
    }

    #[test]
    fn the_country_and_the_place_are_part_of_the_key() {
        let us = normalise_address(&address("1 Main St", "62704", "US"));
        let ca = normalise_address(&address("1 Main St", "62704", "CA"));
        assert_ne!(us, ca);
        // With no postal code the city tells two Main Streets apart.
        let in_city = |city: &str| {
            let mut a = address("1 Main St", "", "US");
            a.city = Some(city.into());
            normalise_address(&a).unwrap()
        };
        assert_eq!(in_city("Springfield"), "1 main st|springfield|US");
        assert_eq!(in_city("SPRINGFIELD"), in_city("Springfield"));
        assert_ne!(in_city("Springfield"), in_city("Shelbyville"));
    }

    #[test]
    fn no_first_line_no_key() {
        let mut a = address("1 Main St", "62704", "US");
        a.line1 = None;
        a.line2 = Some("Apt 3".into());
        assert_eq!(normalise_address(&a), None);
        assert_eq!(normalise_address(&address("  -- ", "62704", "US")), None);
        let mut unit_only = address("-", "62704", "US");
        unit_only.line2 = Some("Apt 3".into());
        assert_eq!(normalise_address(&unit_only), None);
        assert_eq!(normalise_address(&Address::default()), None);
    }
}
