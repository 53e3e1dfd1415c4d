//! Country names as the lists write them → ISO 3166-1 alpha-2.
//!
//! Each list spells countries its own way ("Korea, North", "Democratic People's Republic
//! of Korea", "Burma / Birmanie"). Screening compares countries by code, so names are
//! mapped here; a name not in the table is kept as given rather than guessed.

use std::collections::HashMap;
use std::sync::LazyLock;

use redflag_model::CountryCode;

/// English names and the variants the OFAC, UN, Canadian and OpenSanctions lists use.
/// Matched after [`key`] folds case, accents and punctuation, so "Cote d'Ivoire" and
/// "Côte d Ivoire" need one line.
const NAMES: &[(&str, &str)] = &[
    ("KP", "North Korea"),
    ("KP", "Korea, North"),
    ("KP", "Democratic People's Republic of Korea"),
    ("KP", "Korea, Democratic People's Republic of"),
    ("KP", "Korea (Democratic People's Republic of)"),
    ("KP", "DPRK"),
    ("KP", "D.P.R.K."),
    ("KP", "DPR Korea"),
    ("KR", "South Korea"),
    ("KR", "Korea, South"),
    ("KR", "Republic of Korea"),
    ("KR", "Korea, Republic of"),
    ("KR", "Korea (Republic of)"),
    ("AD", "Andorra"),
    ("AE", "United Arab Emirates"),
    ("AE", "UAE"),
    ("AF", "Afghanistan"),
    ("AG", "Antigua and Barbuda"),
    ("AI", "Anguilla"),
    ("AL", "Albania"),
    ("AM", "Armenia"),
    ("AO", "Angola"),
    ("AQ", "Antarctica"),
    ("AR", "Argentina"),
    ("AS", "American Samoa"),
    ("AT", "Austria"),
    ("AU", "Australia"),
    ("AW", "Aruba"),
    ("AX", "Aland Islands"),
    ("AZ", "Azerbaijan"),
    ("BA", "Bosnia and Herzegovina"),
    ("BA", "Bosnia-Herzegovina"),
    ("BB", "Barbados"),
    ("BD", "Bangladesh"),
    ("BE", "Belgium"),
    ("BF", "Burkina Faso"),
    ("BG", "Bulgaria"),
    ("BH", "Bahrain"),
    ("BI", "Burundi"),
    ("BJ", "Benin"),
    ("BL", "Saint Barthelemy"),
    ("BM", "Bermuda"),
    ("BN", "Brunei"),
    ("BN", "Brunei Darussalam"),
    ("BO", "Bolivia"),
    ("BO", "Bolivia (Plurinational State of)"),
    ("BQ", "Bonaire, Sint Eustatius and Saba"),
    ("BR", "Brazil"),
    ("BS", "Bahamas"),
    ("BS", "Bahamas, The"),
    ("BS", "The Bahamas"),
    ("BT", "Bhutan"),
    ("BV", "Bouvet Island"),
    ("BW", "Botswana"),
    ("BY", "Belarus"),
    ("BZ", "Belize"),
    ("CA", "Canada"),
    ("CC", "Cocos (Keeling) Islands"),
    ("CD", "Democratic Republic of the Congo"),
    ("CD", "Congo, Democratic Republic of the"),
    ("CD", "Congo (Democratic Republic of the)"),
    ("CD", "DR Congo"),
    ("CD", "DRC"),
    ("CF", "Central African Republic"),
    ("CG", "Congo"),
    ("CG", "Republic of the Congo"),
    ("CG", "Congo, Republic of the"),
    ("CH", "Switzerland"),
    ("CI", "Cote d'Ivoire"),
    ("CI", "Cote d Ivoire"),
    ("CI", "Ivory Coast"),
    ("CK", "Cook Islands"),
    ("CL", "Chile"),
    ("CM", "Cameroon"),
    ("CN", "China"),
    ("CN", "People's Republic of China"),
    ("CO", "Colombia"),
    ("CR", "Costa Rica"),
    ("CU", "Cuba"),
    ("CV", "Cabo Verde"),
    ("CV", "Cape Verde"),
    ("CW", "Curacao"),
    ("CX", "Christmas Island"),
    ("CY", "Cyprus"),
    ("CZ", "Czech Republic"),
    ("CZ", "Czechia"),
    ("DE", "Germany"),
    ("DJ", "Djibouti"),
    ("DK", "Denmark"),
    ("DM", "Dominica"),
    ("DO", "Dominican Republic"),
    ("DZ", "Algeria"),
    ("EC", "Ecuador"),
    ("EE", "Estonia"),
    ("EG", "Egypt"),
    ("EH", "Western Sahara"),
    ("ER", "Eritrea"),
    ("ES", "Spain"),
    ("ET", "Ethiopia"),
    ("FI", "Finland"),
    ("FJ", "Fiji"),
    ("FK", "Falkland Islands"),
    ("FM", "Micronesia"),
    ("FM", "Micronesia, Federated States of"),
    ("FO", "Faroe Islands"),
    ("FR", "France"),
    ("GA", "Gabon"),
    ("GB", "United Kingdom"),
    ("GB", "United Kingdom of Great Britain and Northern Ireland"),
    ("GB", "UK"),
    ("GB", "Great Britain"),
    ("GD", "Grenada"),
    ("GE", "Georgia"),
    ("GF", "French Guiana"),
    ("GG", "Guernsey"),
    ("GH", "Ghana"),
    ("GI", "Gibraltar"),
    ("GL", "Greenland"),
    ("GM", "Gambia"),
    ("GM", "The Gambia"),
    ("GM", "Gambia, The"),
    ("GN", "Guinea"),
    ("GP", "Guadeloupe"),
    ("GQ", "Equatorial Guinea"),
    ("GR", "Greece"),
    ("GS", "South Georgia and the South Sandwich Islands"),
    ("GT", "Guatemala"),
    ("GU", "Guam"),
    ("GW", "Guinea-Bissau"),
    ("GY", "Guyana"),
    ("HK", "Hong Kong"),
    ("HK", "China, Hong Kong Special Administrative Region"),
    ("HK", "Hong Kong Special Administrative Region"),
    ("HM", "Heard Island and McDonald Islands"),
    ("HN", "Honduras"),
    ("HR", "Croatia"),
    ("HT", "Haiti"),
    ("HU", "Hungary"),
    ("ID", "Indonesia"),
    ("IE", "Ireland"),
    ("IL", "Israel"),
    ("IM", "Isle of Man"),
    ("IM", "Man, Isle of"),
    ("IN", "India"),
    ("IO", "British Indian Ocean Territory"),
    ("IQ", "Iraq"),
    ("IR", "Iran"),
    ("IR", "Iran (Islamic Republic of)"),
    ("IR", "Islamic Republic of Iran"),
    ("IS", "Iceland"),
    ("IT", "Italy"),
    ("JE", "Jersey"),
    ("JM", "Jamaica"),
    ("JO", "Jordan"),
    ("JP", "Japan"),
    ("KE", "Kenya"),
    ("KG", "Kyrgyzstan"),
    ("KH", "Cambodia"),
    ("KI", "Kiribati"),
    ("KM", "Comoros"),
    ("KN", "Saint Kitts and Nevis"),
    ("KW", "Kuwait"),
    ("KY", "Cayman Islands"),
    ("KZ", "Kazakhstan"),
    ("LA", "Laos"),
    ("LA", "Lao People's Democratic Republic"),
    ("LB", "Lebanon"),
    ("LC", "Saint Lucia"),
    ("LI", "Liechtenstein"),
    ("LK", "Sri Lanka"),
    ("LR", "Liberia"),
    ("LS", "Lesotho"),
    ("LT", "Lithuania"),
    ("LU", "Luxembourg"),
    ("LV", "Latvia"),
    ("LY", "Libya"),
    ("MA", "Morocco"),
    ("MC", "Monaco"),
    ("MD", "Moldova"),
    ("MD", "Republic of Moldova"),
    ("ME", "Montenegro"),
    ("MF", "Saint Martin"),
    ("MG", "Madagascar"),
    ("MH", "Marshall Islands"),
    ("MK", "North Macedonia"),
    ("MK", "North Macedonia, The Republic of"),
    ("MK", "Macedonia"),
    ("ML", "Mali"),
    ("MM", "Myanmar"),
    ("MM", "Burma"),
    ("MN", "Mongolia"),
    ("MO", "Macau"),
    ("MO", "Macao"),
    ("MP", "Northern Mariana Islands"),
    ("MQ", "Martinique"),
    ("MR", "Mauritania"),
    ("MS", "Montserrat"),
    ("MT", "Malta"),
    ("MU", "Mauritius"),
    ("MV", "Maldives"),
    ("MW", "Malawi"),
    ("MX", "Mexico"),
    ("MY", "Malaysia"),
    ("MZ", "Mozambique"),
    ("NA", "Namibia"),
    ("NC", "New Caledonia"),
    ("NE", "Niger"),
    ("NF", "Norfolk Island"),
    ("NG", "Nigeria"),
    ("NI", "Nicaragua"),
    ("NL", "Netherlands"),
    ("NL", "The Netherlands"),
    ("NO", "Norway"),
    ("NP", "Nepal"),
    ("NR", "Nauru"),
    ("NU", "Niue"),
    ("NZ", "New Zealand"),
    ("OM", "Oman"),
    ("PA", "Panama"),
    ("PE", "Peru"),
    ("PF", "French Polynesia"),
    ("PG", "Papua New Guinea"),
    ("PH", "Philippines"),
    ("PK", "Pakistan"),
    ("PL", "Poland"),
    ("PM", "Saint Pierre and Miquelon"),
    ("PN", "Pitcairn"),
    ("PR", "Puerto Rico"),
    ("PS", "State of Palestine"),
    ("PS", "Palestine"),
    ("PS", "Palestinian Territories"),
    ("PS", "Occupied Palestinian Territory"),
    ("PT", "Portugal"),
    ("PW", "Palau"),
    ("PY", "Paraguay"),
    ("QA", "Qatar"),
    ("RE", "Reunion"),
    ("RO", "Romania"),
    ("RS", "Serbia"),
    ("RU", "Russia"),
    ("RU", "Russian Federation"),
    ("RW", "Rwanda"),
    ("SA", "Saudi Arabia"),
    ("SB", "Solomon Islands"),
    ("SC", "Seychelles"),
    ("SD", "Sudan"),
    ("SE", "Sweden"),
    ("SG", "Singapore"),
    ("SH", "Saint Helena"),
    ("SI", "Slovenia"),
    ("SJ", "Svalbard and Jan Mayen"),
    ("SK", "Slovakia"),
    ("SL", "Sierra Leone"),
    ("SM", "San Marino"),
    ("SN", "Senegal"),
    ("SO", "Somalia"),
    ("SR", "Suriname"),
    ("SS", "South Sudan"),
    ("ST", "Sao Tome and Principe"),
    ("SV", "El Salvador"),
    ("SX", "Sint Maarten"),
    ("SY", "Syria"),
    ("SY", "Syrian Arab Republic"),
    ("SZ", "Eswatini"),
    ("SZ", "Swaziland"),
    ("TC", "Turks and Caicos Islands"),
    ("TD", "Chad"),
    ("TF", "French Southern Territories"),
    ("TG", "Togo"),
    ("TH", "Thailand"),
    ("TJ", "Tajikistan"),
    ("TK", "Tokelau"),
    ("TL", "Timor-Leste"),
    ("TL", "East Timor"),
    ("TM", "Turkmenistan"),
    ("TN", "Tunisia"),
    ("TO", "Tonga"),
    ("TR", "Turkey"),
    ("TR", "Turkiye"),
    ("TT", "Trinidad and Tobago"),
    ("TV", "Tuvalu"),
    ("TW", "Taiwan"),
    ("TZ", "Tanzania"),
    ("TZ", "United Republic of Tanzania"),
    ("TZ", "Tanzania, United Republic of"),
    ("UA", "Ukraine"),
    ("UG", "Uganda"),
    ("UM", "United States Minor Outlying Islands"),
    ("US", "United States"),
    ("US", "United States of America"),
    ("US", "USA"),
    ("UY", "Uruguay"),
    ("UZ", "Uzbekistan"),
    ("VA", "Holy See"),
    ("VA", "Vatican City"),
    ("VC", "Saint Vincent and the Grenadines"),
    ("VE", "Venezuela"),
    ("VE", "Venezuela (Bolivarian Republic of)"),
    ("VG", "British Virgin Islands"),
    ("VG", "Virgin Islands, British"),
    ("VI", "United States Virgin Islands"),
    ("VI", "Virgin Islands, U.S."),
    ("VN", "Vietnam"),
    ("VN", "Viet Nam"),
    ("VU", "Vanuatu"),
    ("WF", "Wallis and Futuna"),
    ("WS", "Samoa"),
    ("XK", "Kosovo"),
    ("YE", "Yemen"),
    ("YT", "Mayotte"),
    ("ZA", "South Africa"),
    ("ZM", "Zambia"),
    ("ZW", "Zimbabwe"),
];

/// Folds a name to its lookup key: lower case, common Latin accents removed, any run of
/// other characters a single space, and a leading or trailing "the" dropped.
fn key(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    for c in name.chars() {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'À' | 'Â' | 'Ä' | 'Å' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' => 'e',
            'í' | 'ì' | 'î' | 'ï' | 'Í' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ü' => 'u',
            'ç' | 'Ç' => 'c',
            'ñ' | 'Ñ' => 'n',
            // An apostrophe joins ("People's" → "peoples") rather than separates.
            '\'' | '’' | '`' => continue,
            c if c.is_alphanumeric() => c.to_ascii_lowercase(),
            _ => ' ',
        };
        folded.push(c);
    }
    let words: Vec<&str> = folded.split_whitespace().collect();
    let start = usize::from(words.first() == Some(&"the"));
    let end = words.len() - usize::from(words.len() > start && words.last() == Some(&"the"));
    words[start..end].join(" ")
}

static BY_NAME: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    NAMES
        .iter()
        .map(|(code, name)| (key(name), *code))
        .collect()
});

/// The ISO 3166-1 alpha-2 code of a country name, if the name is recognised.
///
/// Bilingual Canadian values ("Burma / Birmanie") are tried by their English half.
pub fn country_code(name: &str) -> Option<&'static str> {
    let lookup = |s: &str| BY_NAME.get(&key(s)).copied();
    lookup(name).or_else(|| {
        name.split_once(" / ")
            .and_then(|(english, _)| lookup(english))
    })
}

/// A country name normalised for the entity model: its alpha-2 code when recognised,
/// else the cleaned name as given.
pub(crate) fn normalise_country(name: &str) -> String {
    match country_code(name) {
        Some(code) => code.to_string(),
        None => crate::model::clean(name),
    }
}

/// Like [`normalise_country`], but first accepts an alpha-2 code in any case, as
/// FollowTheMoney writes countries (`kp`).
pub(crate) fn normalise_country_or_code(value: &str) -> String {
    let trimmed = value.trim();
    match trimmed.parse::<CountryCode>() {
        Ok(code) => code.to_string(),
        Err(_) => normalise_country(trimmed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn north_korea_is_recognised_however_a_list_spells_it() {
        for name in [
            "Korea, North",
            "Democratic People's Republic of Korea",
            "North Korea",
            "DPRK",
            "democratic people’s republic of korea",
            "  KOREA,  NORTH ",
        ] {
            assert_eq!(country_code(name), Some("KP"), "{name}");
        }
        for name in ["Korea, South", "Republic of Korea", "South Korea"] {
            assert_eq!(country_code(name), Some("KR"), "{name}");
        }
    }

    #[test]
    fn list_variants_map_to_codes() {
        assert_eq!(country_code("Bahamas, The"), Some("BS"));
        assert_eq!(country_code("Man, Isle of"), Some("IM"));
        assert_eq!(
            country_code("Congo, Democratic Republic of the"),
            Some("CD")
        );
        assert_eq!(country_code("Cote d Ivoire"), Some("CI"));
        assert_eq!(country_code("Côte d'Ivoire"), Some("CI"));
        assert_eq!(country_code("Türkiye"), Some("TR"));
        assert_eq!(country_code("Burma / Birmanie"), Some("MM"));
        assert_eq!(country_code("Russia / Russie"), Some("RU"));
        assert_eq!(country_code("Venezuela "), Some("VE"));
        assert_eq!(country_code("Iran (Islamic Republic of)"), Some("IR"));
    }

    #[test]
    fn unknown_names_are_kept_as_given_and_codes_only_where_codes_are_expected() {
        assert_eq!(country_code("Region: Crimea"), None);
        assert_eq!(normalise_country("Region:  Crimea"), "Region: Crimea");
        // "na" is "not available" in a name field, Namibia only where codes are expected.
        assert_eq!(normalise_country("na"), "na");
        assert_eq!(normalise_country_or_code("kp"), "KP");
        assert_eq!(normalise_country_or_code("suhh"), "suhh");
    }

    #[test]
    fn every_table_code_is_an_iso_code() {
        for (code, name) in NAMES {
            assert!(code.parse::<CountryCode>().is_ok(), "{code} ({name})");
            assert!(!key(name).is_empty(), "{name}");
            assert_eq!(
                BY_NAME.get(&key(name)),
                Some(code),
                "{name} is claimed twice"
            );
        }
    }
}
