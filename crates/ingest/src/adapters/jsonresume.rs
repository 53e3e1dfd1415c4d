//! JSON Resume (jsonresume.org): a résumé becomes a `subject` record, so that what it
//! claims (where the person lives, studied and worked, the accounts they list) is
//! cross-checked like any profile. Schema 1.0 and the field names from before it
//! (`basics.picture`, `basics.website`, `work[].company`, `work[].website`) are both
//! read; a file is usually one pretty-printed résumé, but résumés one per line or in an
//! array are read too.
//!
//! The subject's id is `basics.email` (normalised as an e-mail address: the domain in
//! lower case), so that the résumé meets the other records about the same address. A
//! résumé without one is named after its file, `resume:<file name>` (and
//! `resume:<file name>:<line>` when the file holds several), which stays the same when
//! the same file is scanned again, so a later version of it is kept as a new version of
//! the same profile.
//!
//! Field by field:
//! - `name` is `basics.name`; `role` is `basics.label`; `resume_text` is
//!   `basics.summary`; `emails` is `basics.email`; `phones` is `basics.phone`.
//! - `location` is `basics.location` (`countryCode`, `region`, `city`), and `address`
//!   the same with `address` as its first line and `postalCode`.
//! - `profiles` are `basics.profiles` (`network` in lower case, `username`, `url`; a
//!   profile with no network is named after its URL's host), and `basics.url` (or
//!   `basics.website`) as network `website`.
//! - `work` is `work[]` (`name`, or `company`, as employer; `position` as title;
//!   `startDate`, `endDate`); `education` is `education[]` (`institution`; `studyType`
//!   as degree; `area` as field; `startDate`, `endDate`). JSON Resume gives no country
//!   for either.
//! - `languages` are `languages[]`: the language's English name (`English`, `Mandarin`,
//!   `Korean`…) or a BCP 47 tag becomes a tag, and a name that is not known or not
//!   unambiguous (`Sign language`, `Bahasa`) is left out, not an error: languages are
//!   never evidence on their own. `fluency` is free text; the usual words map to the
//!   canonical levels (`Native speaker` is native), others leave it unset.
//! - `observed_at` is `meta.lastModified` (UTC when it has no offset).
//! - `basics.image` (`picture`) is a URL; the canonical field is a perceptual hash of
//!   the photo, which needs the image itself, so it is not read. Volunteering, awards,
//!   publications, skills, interests, references and projects have no canonical field.
//!
//! A value that cannot be read (a country code that is not ISO 3166-1, a date that is
//! not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, an e-mail address or phone number that is not
//! one) is an error naming the file, the line where the résumé starts and the field
//! (`work[0].startDate`).

use redflag_model::jiff::civil::DateTime;
use redflag_model::jiff::tz::TimeZone;
use redflag_model::serde_json::{Map, Value};
use redflag_model::{
    Address, CountryCode, Education, Email, Fluency, LanguageSkill, LanguageTag, Location,
    OnlineProfile, PartialDate, Phone, Record, Subject, SubjectId, Timestamp, Work,
};

use crate::ReadError;
use crate::adapter::{Adapter, Content, Converter, Input};
use crate::adapters::json::{self, Events, Invalid, Origin, Outcome};
use crate::error::quote;

pub(crate) struct JsonResume;

impl Adapter for JsonResume {
    fn id(&self) -> &'static str {
        "json-resume"
    }

    fn name(&self) -> &'static str {
        "JSON Resume"
    }

    fn recognise(&self, content: &Content<'_>) -> Option<bool> {
        Some(content.object().is_some_and(is_resume))
    }

    fn open(&self, input: Input) -> Result<Box<dyn Converter>, ReadError> {
        json::open(
            input,
            Events {
                one: "a JSON Resume",
                is_event: is_resume,
                convert,
            },
        )
    }
}

/// Whether an object is a résumé: it has a `basics` section, or names the JSON Resume
/// schema.
fn is_resume(object: &Map<String, Value>) -> bool {
    let schema = object
        .get("$schema")
        .and_then(Value::as_str)
        .is_some_and(|s| s.contains("jsonresume"));
    !object.contains_key("kind") && (object.get("basics").is_some_and(Value::is_object) || schema)
}

fn convert(resume: &Value, origin: &Origin<'_>, out: &mut Vec<Outcome>) {
    out.push(match subject(resume, origin) {
        Ok(subject) => Outcome::Record(Box::new(Record::Subject(Box::new(subject))), None),
        Err(invalid) => Outcome::Invalid(invalid),
    });
}

/// A field's value where it is text: `None` when absent, null or blank; an error when
/// it is something else.
fn string<'a>(value: Option<&'a Value>, field: &str) -> Result<Option<&'a str>, Invalid> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim()).filter(|s| !s.is_empty())),
        Some(other) => Err(Invalid::field(
            field,
            format!("expected text, found {}", kind_of(other)),
        )),
    }
}

/// A parsed value of a text field.
fn parsed<T>(
    value: Option<&Value>,
    field: &str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<Option<T>, Invalid> {
    string(value, field)?
        .map(|s| parse(s).map_err(|message| Invalid::field(field, message)))
        .transpose()
}

/// The elements of an array field; an error when it is not an array.
fn array<'a>(value: Option<&'a Value>, field: &str) -> Result<&'a [Value], Invalid> {
    match value {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(Invalid::field(
            field,
            format!("expected a list, found {}", kind_of(other)),
        )),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn date(value: Option<&Value>, field: &str) -> Result<Option<PartialDate>, Invalid> {
    parsed(value, field, str::parse)
}

fn subject(resume: &Value, origin: &Origin<'_>) -> Result<Subject, Invalid> {
    let basics = resume.get("basics");
    let basic = |name: &str| basics.and_then(|b| b.get(name));
    let email = parsed(basic("email"), "basics.email", str::parse::<Email>)?;
    let id = match &email {
        Some(email) => email.as_str().to_owned(),
        None => {
            let name = origin.file.file_name().map_or_else(
                || origin.file.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            if origin.whole_file {
                format!("resume:{name}")
            } else {
                format!("resume:{name}:{}", origin.line)
            }
        }
    };
    let id: SubjectId = id
        .parse()
        .map_err(|message: String| Invalid::field("basics.email", message))?;

    let place = basic("location");
    let at_place = |name: &str| place.and_then(|p| p.get(name));
    let country = parsed(
        at_place("countryCode"),
        "basics.location.countryCode",
        str::parse::<CountryCode>,
    )?;
    let region = string(at_place("region"), "basics.location.region")?.map(str::to_owned);
    let city = string(at_place("city"), "basics.location.city")?.map(str::to_owned);
    let location = Location {
        country,
        region: region.clone(),
        city: city.clone(),
        timezone: None,
    };
    let address = Address {
        line1: string(at_place("address"), "basics.location.address")?.map(str::to_owned),
        line2: None,
        city,
        region,
        postal_code: string(at_place("postalCode"), "basics.location.postalCode")?
            .map(str::to_owned),
        country,
    };

    let mut profiles = Vec::new();
    for (i, profile) in array(basic("profiles"), "basics.profiles")?
        .iter()
        .enumerate()
    {
        let field = |name: &str| format!("basics.profiles[{i}].{name}");
        let url = string(profile.get("url"), &field("url"))?;
        let network = string(profile.get("network"), &field("network"))?
            .map(str::to_lowercase)
            .or_else(|| url.and_then(host));
        let Some(network) = network else { continue };
        profiles.push(OnlineProfile {
            network,
            username: string(profile.get("username"), &field("username"))?.map(str::to_owned),
            url: url.map(str::to_owned),
            created: None,
            oldest_activity: None,
            connections: None,
        });
    }
    let (website, website_field) = match basic("url") {
        Some(url) if !url.is_null() => (Some(url), "basics.url"),
        _ => (basic("website"), "basics.website"),
    };
    if let Some(url) = string(website, website_field)? {
        profiles.push(OnlineProfile {
            network: "website".into(),
            username: None,
            url: Some(url.to_owned()),
            created: None,
            oldest_activity: None,
            connections: None,
        });
    }

    let mut work = Vec::new();
    for (i, job) in array(resume.get("work"), "work")?.iter().enumerate() {
        let field = |name: &str| format!("work[{i}].{name}");
        let employer = match string(job.get("name"), &field("name"))? {
            Some(name) => Some(name),
            None => string(job.get("company"), &field("company"))?,
        };
        work.push(Work {
            employer: employer.map(str::to_owned),
            title: string(job.get("position"), &field("position"))?.map(str::to_owned),
            start: date(job.get("startDate"), &field("startDate"))?,
            end: date(job.get("endDate"), &field("endDate"))?,
            country: None,
        });
    }

    let mut education = Vec::new();
    for (i, school) in array(resume.get("education"), "education")?
        .iter()
        .enumerate()
    {
        let field = |name: &str| format!("education[{i}].{name}");
        education.push(Education {
            institution: string(school.get("institution"), &field("institution"))?
                .map(str::to_owned),
            degree: string(school.get("studyType"), &field("studyType"))?.map(str::to_owned),
            field: string(school.get("area"), &field("area"))?.map(str::to_owned),
            start: date(school.get("startDate"), &field("startDate"))?,
            end: date(school.get("endDate"), &field("endDate"))?,
            country: None,
        });
    }

    let mut languages = Vec::new();
    for (i, skill) in array(resume.get("languages"), "languages")?
        .iter()
        .enumerate()
    {
        let field = |name: &str| format!("languages[{i}].{name}");
        let Some(language) =
            string(skill.get("language"), &field("language"))?.and_then(language_tag)
        else {
            continue;
        };
        languages.push(LanguageSkill {
            language,
            fluency: string(skill.get("fluency"), &field("fluency"))?.and_then(fluency),
        });
    }

    let observed_at = parsed(
        resume.pointer("/meta/lastModified"),
        "meta.lastModified",
        time,
    )?;

    Ok(Subject {
        id,
        observed_at,
        source: Some("json-resume".into()),
        name: string(basic("name"), "basics.name")?.map(str::to_owned),
        other_names: Vec::new(),
        date_of_birth: None,
        nationality: None,
        location: (location != Location::default()).then_some(location),
        languages,
        emails: email.into_iter().collect(),
        phones: parsed(basic("phone"), "basics.phone", str::parse::<Phone>)?
            .into_iter()
            .collect(),
        profiles,
        referred_by: None,
        education,
        work,
        role: string(basic("label"), "basics.label")?.map(str::to_owned),
        rate: None,
        photo_phash: None,
        resume_text: string(basic("summary"), "basics.summary")?.map(str::to_owned),
        address: (address != Address::default()).then_some(address),
    })
}

/// An RFC 3339 time, or a date-time without an offset (read as UTC), as JSON Resume's
/// `meta.lastModified` is written.
fn time(text: &str) -> Result<Timestamp, String> {
    text.parse::<Timestamp>()
        .ok()
        .or_else(|| {
            text.parse::<DateTime>()
                .ok()
                .and_then(|at| at.to_zoned(TimeZone::UTC).ok())
                .map(|at| at.timestamp())
        })
        .ok_or_else(|| {
            format!(
                "expected a time such as \"2017-12-24T15:53:00\", found {}",
                quote(text)
            )
        })
}

/// A profile's network named after its URL's host: `github` for
/// `https://github.com/dpark`.
fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#', ':']).next()?.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let name = host.split('.').next().filter(|n| !n.is_empty())?;
    Some(name.to_owned())
}

/// English names of languages (as résumés write them, lower case) and their BCP 47 tags.
/// Names that stand for several languages (`Bahasa`, `Serbo-Croatian`, `Sign language`)
/// are not here on purpose.
const LANGUAGES: &[(&str, &str)] = &[
    ("afrikaans", "af"),
    ("albanian", "sq"),
    ("amharic", "am"),
    ("arabic", "ar"),
    ("armenian", "hy"),
    ("azerbaijani", "az"),
    ("bahasa indonesia", "id"),
    ("bahasa melayu", "ms"),
    ("basque", "eu"),
    ("belarusian", "be"),
    ("bengali", "bn"),
    ("bangla", "bn"),
    ("bosnian", "bs"),
    ("brazilian portuguese", "pt-BR"),
    ("bulgarian", "bg"),
    ("burmese", "my"),
    ("cantonese", "yue"),
    ("catalan", "ca"),
    ("chinese", "zh"),
    ("croatian", "hr"),
    ("czech", "cs"),
    ("danish", "da"),
    ("dutch", "nl"),
    ("english", "en"),
    ("esperanto", "eo"),
    ("estonian", "et"),
    ("farsi", "fa"),
    ("filipino", "fil"),
    ("finnish", "fi"),
    ("flemish", "nl"),
    ("french", "fr"),
    ("galician", "gl"),
    ("georgian", "ka"),
    ("german", "de"),
    ("greek", "el"),
    ("gujarati", "gu"),
    ("hausa", "ha"),
    ("hebrew", "he"),
    ("hindi", "hi"),
    ("hungarian", "hu"),
    ("icelandic", "is"),
    ("igbo", "ig"),
    ("indonesian", "id"),
    ("irish", "ga"),
    ("italian", "it"),
    ("japanese", "ja"),
    ("kannada", "kn"),
    ("kazakh", "kk"),
    ("khmer", "km"),
    ("korean", "ko"),
    ("kurdish", "ku"),
    ("kyrgyz", "ky"),
    ("lao", "lo"),
    ("latin", "la"),
    ("latvian", "lv"),
    ("lithuanian", "lt"),
    ("macedonian", "mk"),
    ("malagasy", "mg"),
    ("malay", "ms"),
    ("malayalam", "ml"),
    ("maltese", "mt"),
    ("mandarin", "zh"),
    ("mandarin chinese", "zh"),
    ("marathi", "mr"),
    ("mongolian", "mn"),
    ("nepali", "ne"),
    ("norwegian", "no"),
    ("norwegian bokmål", "nb"),
    ("pashto", "ps"),
    ("persian", "fa"),
    ("polish", "pl"),
    ("portuguese", "pt"),
    ("punjabi", "pa"),
    ("romanian", "ro"),
    ("russian", "ru"),
    ("serbian", "sr"),
    ("simplified chinese", "zh-Hans"),
    ("sinhala", "si"),
    ("slovak", "sk"),
    ("slovenian", "sl"),
    ("somali", "so"),
    ("spanish", "es"),
    ("swahili", "sw"),
    ("swedish", "sv"),
    ("tagalog", "tl"),
    ("tajik", "tg"),
    ("tamil", "ta"),
    ("telugu", "te"),
    ("thai", "th"),
    ("tibetan", "bo"),
    ("traditional chinese", "zh-Hant"),
    ("turkish", "tr"),
    ("turkmen", "tk"),
    ("ukrainian", "uk"),
    ("urdu", "ur"),
    ("uzbek", "uz"),
    ("vietnamese", "vi"),
    ("welsh", "cy"),
    ("yiddish", "yi"),
    ("yoruba", "yo"),
    ("zulu", "zu"),
];

/// The BCP 47 tag of a language as a résumé names it: an English name (a remark in
/// brackets ignored, `English (US)`), or a tag already (`en`, `pt-BR`). `None` for
/// anything else.
fn language_tag(text: &str) -> Option<LanguageTag> {
    let name = text.split('(').next().unwrap_or(text).trim().to_lowercase();
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some((_, tag)) = LANGUAGES.iter().find(|(n, _)| *n == name) {
        return tag.parse().ok();
    }
    // A tag: a primary subtag of two or three letters (longer "tags" are words).
    let primary = text.trim().split(['-', '_']).next().unwrap_or("");
    if (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic()) {
        return text.trim().parse().ok();
    }
    None
}

/// A fluency as résumés word it. `None` for words that say no level.
fn fluency(text: &str) -> Option<Fluency> {
    let t = text.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&["native", "mother tongue", "bilingual"]) {
        Some(Fluency::Native)
    } else if has(&[
        "fluent",
        "full professional",
        "advanced",
        "proficient",
        "c2",
        "c1",
    ]) {
        Some(Fluency::Fluent)
    } else if has(&["professional"]) {
        Some(Fluency::Professional)
    } else if has(&[
        "conversational",
        "intermediate",
        "limited working",
        "b2",
        "b1",
    ]) {
        Some(Fluency::Conversational)
    } else if has(&["basic", "elementary", "beginner", "a2", "a1"]) {
        Some(Fluency::Basic)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_by_name_or_tag_and_nothing_else() {
        let tag = |s: &str| language_tag(s).map(|t| t.to_string());
        assert_eq!(tag("English").as_deref(), Some("en"));
        assert_eq!(tag("  mandarin   Chinese ").as_deref(), Some("zh"));
        assert_eq!(tag("Korean (TOPIK 6)").as_deref(), Some("ko"));
        assert_eq!(tag("Traditional Chinese").as_deref(), Some("zh-Hant"));
        assert_eq!(tag("pt-BR").as_deref(), Some("pt-BR"));
        assert_eq!(tag("ko").as_deref(), Some("ko"));
        for dropped in ["Sign language", "Bahasa", "Klingon", "", "Serbo-Croatian"] {
            assert_eq!(tag(dropped), None, "{dropped}");
        }
    }

    #[test]
    fn fluency_words() {
        assert_eq!(fluency("Native speaker"), Some(Fluency::Native));
        assert_eq!(
            fluency("Full professional proficiency"),
            Some(Fluency::Fluent)
        );
        assert_eq!(
            fluency("Professional working proficiency"),
            Some(Fluency::Professional)
        );
        assert_eq!(
            fluency("Limited working proficiency"),
            Some(Fluency::Conversational)
        );
        assert_eq!(fluency("A2"), Some(Fluency::Basic));
        assert_eq!(fluency("Master"), None);
    }

    #[test]
    fn networks_from_urls() {
        assert_eq!(host("https://github.com/dpark").as_deref(), Some("github"));
        assert_eq!(
            host("http://www.linkedin.com/in/x?y=1").as_deref(),
            Some("linkedin")
        );
        assert_eq!(host("gitlab.com:443/x").as_deref(), Some("gitlab"));
        assert_eq!(host("https://"), None);
    }
}
