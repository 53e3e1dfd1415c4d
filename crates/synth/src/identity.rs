//! Who a subject says they are: name, place, languages, contact details and a plausible
//! history (degree around age 22, jobs one after another).

use rand::Rng;
use redflag_model::{Education, Fluency, PartialDate, Work};

use crate::plan::{fill_pattern, hex_id};
use crate::tables::{City, Country, DEGREES, Origin, ROLES, TITLES};

/// A calendar date as (year, month, day).
pub(crate) type Ymd = (i16, u8, u8);

/// The claims a subject makes in their profile (and, for honest subjects, the truth).
#[derive(Clone)]
pub(crate) struct Person {
    pub given: String,
    pub family: String,
    pub name: String,
    pub female: bool,
    pub origin: Origin,
    pub country: &'static Country,
    pub city: &'static City,
    pub nationality: &'static str,
    pub birth: (i16, u8, u8),
    pub languages: Vec<(&'static str, Fluency)>,
    pub email: String,
    pub phones: Vec<String>,
    pub username: String,
    pub street: String,
    pub postal: String,
    pub phash: u64,
    pub role: usize,
    /// Hourly rate in USD.
    pub rate: u32,
    pub education: Vec<Education>,
    pub work: Vec<Work>,
    /// GitHub (created, oldest activity) as (year, month, day).
    pub github: Option<(Ymd, Ymd)>,
    /// LinkedIn (created, connections).
    pub linkedin: Option<(Ymd, u32)>,
    pub other_names: Vec<String>,
}

pub(crate) fn pick<'a, T, R: Rng>(rng: &mut R, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

pub(crate) fn weighted<'a, T, R: Rng>(rng: &mut R, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|(_, w)| *w).sum();
    let mut x = rng.gen_range(0..total.max(1));
    for (item, w) in items {
        if x < *w {
            return item;
        }
        x -= w;
    }
    &items[items.len() - 1].0
}

/// Lower-case ASCII letters and digits of a name, for e-mail addresses and user names.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let mapped: &str = match c {
            'ä' | 'á' | 'à' | 'â' | 'ã' | 'ą' | 'Ä' | 'Á' => "a",
            'ö' | 'ó' | 'ô' | 'õ' | 'Ö' | 'Ó' => "o",
            'ü' | 'ú' | 'Ü' | 'Ú' => "u",
            'é' | 'è' | 'ê' | 'ę' | 'É' | 'È' => "e",
            'í' | 'Í' => "i",
            'ç' | 'ć' => "c",
            'ñ' | 'ń' => "n",
            'ł' | 'Ł' => "l",
            'ś' | 'Ś' => "s",
            'ź' | 'ż' | 'Ż' => "z",
            'ß' => "ss",
            _ => "",
        };
        if !mapped.is_empty() {
            out.push_str(mapped);
        } else if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        }
    }
    if out.is_empty() {
        out.push('x');
    }
    out
}

/// A given and family name from `origin`.
pub(crate) fn name_from<R: Rng>(rng: &mut R, origin: Origin, female: bool) -> (String, String) {
    let set = origin.names();
    let given = if female {
        pick(rng, set.female)
    } else {
        pick(rng, set.male)
    };
    let i = rng.gen_range(0..set.family.len());
    let family = if female && !set.family_female.is_empty() {
        set.family_female[i]
    } else {
        set.family[i]
    };
    ((*given).to_owned(), family.to_owned())
}

fn ym(months: i32) -> PartialDate {
    PartialDate {
        year: (months.div_euclid(12)) as i16,
        month: Some((months.rem_euclid(12) + 1) as u8),
        day: None,
    }
}

/// Options for building a person.
pub(crate) struct PersonSpec {
    pub country: &'static Country,
    pub city: Option<&'static City>,
    pub origin: Origin,
    pub female: bool,
    pub age: (i32, i32),
    /// Overrides of the generated name.
    pub given: Option<String>,
    pub family: Option<String>,
    pub persona: bool,
}

/// Builds a consistent person. `now` is the anchor's (year, month).
pub(crate) fn person<R: Rng>(rng: &mut R, spec: PersonSpec, now: (i32, i32)) -> Person {
    let country = spec.country;
    let city = spec.city.unwrap_or_else(|| pick(rng, country.cities));
    let (g, f) = name_from(rng, spec.origin, spec.female);
    let given = spec.given.unwrap_or(g);
    let family = spec.family.unwrap_or(f);
    let name = format!("{given} {family}");
    let age = rng.gen_range(spec.age.0..=spec.age.1);
    let birth_year = now.0 - age;
    let birth = (
        birth_year as i16,
        rng.gen_range(1..=12u8),
        rng.gen_range(1..=28u8),
    );

    // Languages: the country's language natively, English professionally (or natively
    // where it is the first language), plus a heritage language for some.
    let mut languages: Vec<(&'static str, Fluency)> = Vec::new();
    if country.english_native {
        languages.push(("en", Fluency::Native));
        let heritage = match spec.origin {
            Origin::Korean => Some("ko"),
            Origin::Chinese => Some("zh-Hans"),
            Origin::Hispanic => Some("es"),
            Origin::Indian => Some("hi"),
            Origin::Vietnamese => Some("vi"),
            Origin::French => Some("fr"),
            Origin::Polish => Some("pl"),
            Origin::Ukrainian => Some("uk"),
            _ => None,
        };
        if let Some(h) = heritage.filter(|_| !spec.persona && rng.gen_bool(0.45)) {
            languages.push((h, Fluency::Conversational));
        }
    } else {
        languages.push((country.lang, Fluency::Native));
        let en = if rng.gen_bool(0.5) {
            Fluency::Fluent
        } else {
            Fluency::Professional
        };
        languages.push(("en", en));
    }

    let fg = fold(&given);
    let ff = fold(&family);
    let domain = *pick(rng, country.email_domains);
    let local = if spec.persona {
        match rng.gen_range(0..3) {
            0 => format!("{fg}{ff}{}", fill_pattern(rng, "####")),
            1 => format!("{fg}.dev{}", fill_pattern(rng, "##")),
            _ => format!("{}{ff}.work{}", &fg[..1], fill_pattern(rng, "##")),
        }
    } else {
        match rng.gen_range(0..4) {
            0 => format!("{fg}.{ff}"),
            1 => format!("{fg}{ff}{}", fill_pattern(rng, "##")),
            2 => format!("{}{ff}.dev", &fg[..1]),
            _ => format!("{fg}.{ff}{}", fill_pattern(rng, "#")),
        }
    };
    let domain = if spec.persona {
        *pick(rng, &["gmail.com", "gmail.com", "outlook.com", "proton.me"])
    } else {
        domain
    };
    let email = format!("{local}@{domain}");
    let username = match rng.gen_range(0..3) {
        0 => format!("{fg}{ff}"),
        1 => format!("{}{ff}-dev", &fg[..1]),
        _ => format!("{fg}-{ff}{}", fill_pattern(rng, "##")),
    };
    let phone_pattern = if city.phone.is_empty() {
        country.phone
    } else {
        city.phone
    };
    let phones = vec![fill_pattern(rng, phone_pattern)];
    let number = rng.gen_range(1..400);
    let street = pick(rng, country.streets);
    let street = if country.number_first {
        format!("{number} {street}")
    } else {
        format!("{street} {number}")
    };
    let postal = fill_pattern(rng, city.postal);

    let role = rng.gen_range(0..ROLES.len());
    let rate = rng.gen_range(country.rate.0..=country.rate.1);

    // Education: a bachelor's around 18–22, sometimes a master's after.
    let (degree, field) = *pick(rng, DEGREES);
    let uni = *pick(rng, country.universities);
    let grad_year = birth_year + 22 + rng.gen_range(0..=1);
    let mut education = vec![Education {
        institution: Some(uni.to_owned()),
        degree: Some(degree.to_owned()),
        field: Some(field.to_owned()),
        start: Some(ym((grad_year - 4) * 12 + 8)),
        end: Some(ym(grad_year * 12 + 5)),
        country: country.code.parse().ok(),
    }];
    let mut edu_end = grad_year * 12 + 5;
    if rng.gen_bool(0.25) && grad_year + 3 < now.0 {
        let uni2 = *pick(rng, country.universities);
        education.push(Education {
            institution: Some(uni2.to_owned()),
            degree: Some("MSc".to_owned()),
            field: Some("Computer Science".to_owned()),
            start: Some(ym(grad_year * 12 + 8)),
            end: Some(ym((grad_year + 2) * 12 + 5)),
            country: country.code.parse().ok(),
        });
        edu_end = (grad_year + 2) * 12 + 5;
    }

    // Work: jobs one after another from graduation; the last one is self-employment.
    let now_m = now.0 * 12 + now.1 - 1;
    let mut work = Vec::new();
    let mut m = edu_end + rng.gen_range(1..6);
    let freelance_from = now_m - rng.gen_range(6..30);
    while m + 12 < freelance_from {
        let len = rng.gen_range(14..48).min(freelance_from - m);
        work.push(Work {
            employer: Some((*pick(rng, country.employers)).to_owned()),
            title: Some((*pick(rng, TITLES)).to_owned()),
            start: Some(ym(m)),
            end: Some(ym(m + len)),
            country: country.code.parse().ok(),
        });
        m += len + rng.gen_range(1..5);
    }
    work.push(Work {
        employer: Some("Self-employed".to_owned()),
        title: Some(format!("Freelance {}", ROLES[role].0)),
        start: Some(ym(m.min(now_m - 3))),
        end: None,
        country: country.code.parse().ok(),
    });

    let github = if rng.gen_bool(0.85) {
        // GitHub opened in 2008: older developers joined some years after graduating.
        let created_y = (grad_year - rng.gen_range(1..4))
            .max(2009 + rng.gen_range(0..5))
            .min(now.0 - 1) as i16;
        let created = (created_y, rng.gen_range(1..=12u8), rng.gen_range(1..=28u8));
        let oldest_y = (created_y as i32 + rng.gen_range(0..2)).min(now.0 - 1) as i16;
        let oldest = (oldest_y.max(created_y), 12u8.min(created.1 + 1), created.2);
        Some((created, oldest))
    } else {
        None
    };
    let linkedin = if rng.gen_bool(0.9) {
        // LinkedIn opened in 2003.
        let y = (grad_year - rng.gen_range(0..2))
            .max(2005 + rng.gen_range(0..6))
            .min(now.0 - 1) as i16;
        Some((
            (y, rng.gen_range(1..=12u8), rng.gen_range(1..=28u8)),
            rng.gen_range(80..900),
        ))
    } else {
        None
    };

    Person {
        given,
        family,
        name,
        female: spec.female,
        origin: spec.origin,
        country,
        city,
        nationality: country.code,
        birth,
        languages,
        email,
        phones,
        username,
        street,
        postal,
        phash: rng.r#gen(),
        role,
        rate,
        education,
        work,
        github,
        linkedin,
        other_names: Vec::new(),
    }
}

/// A device or account id that looks like the ones identity providers print.
pub(crate) fn device_id<R: Rng>(rng: &mut R) -> String {
    format!("d-{}", hex_id(rng, 8))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::COUNTRIES;
    use rand::SeedableRng;

    #[test]
    fn folding_keeps_ascii_letters() {
        assert_eq!(fold("Wiśniewska"), "wisniewska");
        assert_eq!(fold("Müller"), "muller");
        assert_eq!(fold("Dela Cruz"), "delacruz");
        assert_eq!(fold("Ji-hoon"), "jihoon");
    }

    #[test]
    fn histories_are_plausible() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        for c in COUNTRIES {
            for _ in 0..20 {
                let female = rng.gen_bool(0.5);
                let p = person(
                    &mut rng,
                    PersonSpec {
                        country: c,
                        city: None,
                        origin: c.origins[0].0,
                        female,
                        age: (23, 50),
                        given: None,
                        family: None,
                        persona: false,
                    },
                    (2026, 4),
                );
                let e = &p.education[0];
                let age_at_degree = e.end.map(|d| d.year as i32).unwrap_or(0) - p.birth.0 as i32;
                assert!((21..=24).contains(&age_at_degree), "{age_at_degree}");
                for w in p.work.windows(2) {
                    assert!(
                        w[0].end.unwrap() <= w[1].start.unwrap(),
                        "overlap {:?}",
                        p.work
                    );
                }
                assert!(
                    p.email.parse::<redflag_model::Email>().is_ok(),
                    "{}",
                    p.email
                );
                assert!(p.phones[0].parse::<redflag_model::Phone>().is_ok());
            }
        }
    }
}
