//! What the sign-in detectors share: looking up each kept login once, and the claims
//! (country, time zone) logins are compared with.

use redflag_intel::{IpInfo, IpIntel};
use redflag_model::{CountryCode, Evidence, Kind, Timestamp};

use crate::state::{LoginObs, SubjectState};

/// A login with what the IP data says about its address.
pub(crate) struct Located<'a> {
    pub login: LoginObs<'a>,
    pub info: IpInfo<'a>,
}

impl Located<'_> {
    /// A country that can be believed: known, and not an anonymiser's exit.
    pub fn home_country(&self) -> Option<CountryCode> {
        if self.info.class.is_anonymiser() {
            None
        } else {
            self.info.country
        }
    }

    pub fn evidence(&self) -> Evidence {
        Evidence::new(
            Kind::Login,
            Some(self.login.key.to_string()),
            Some(self.login.at),
        )
        .with("ip", self.login.ip.to_string())
        .with("account", self.login.account)
        .with("country", self.info.country.map(|c| c.to_string()))
        .with("asn", self.info.asn)
        .with("organisation", self.info.organisation.map(str::to_owned))
        .with("class", self.info.class.as_str())
    }
}

/// Successful (or unlabelled) logins, oldest first, with their lookups.
pub(crate) fn located<'a>(s: &'a SubjectState, intel: &'a IpIntel) -> Vec<Located<'a>> {
    s.logins_by_time()
        .into_iter()
        .filter(|l| l.success != Some(false))
        .map(|login| Located {
            login,
            info: intel.lookup(login.ip),
        })
        .collect()
}

/// The country the subject says they live in (latest profile).
pub(crate) fn claimed_country(s: &SubjectState) -> Option<CountryCode> {
    s.latest_profile()
        .and_then(|p| p.location.as_ref())
        .and_then(|l| l.country)
}

/// The time zone the subject says they live in (latest profile), with its name.
pub(crate) fn claimed_timezone(
    s: &SubjectState,
) -> Option<(String, redflag_model::jiff::tz::TimeZone)> {
    let name = s.latest_profile()?.location.as_ref()?.timezone.as_ref()?;
    Some((name.to_string(), name.tz()?))
}

/// UTC offset of a zone at a moment, in hours.
pub(crate) fn offset_hours(tz: &redflag_model::jiff::tz::TimeZone, at: Timestamp) -> f64 {
    f64::from(tz.to_offset(at).seconds()) / 3600.0
}

/// "UTC+9", "UTC−5:30".
pub(crate) fn utc_label(hours: f64) -> String {
    let sign = if hours < 0.0 { '−' } else { '+' };
    let minutes = (hours.abs() * 60.0).round() as i64;
    if minutes % 60 == 0 {
        format!("UTC{sign}{}", minutes / 60)
    } else {
        format!("UTC{sign}{}:{:02}", minutes / 60, minutes % 60)
    }
}

/// Countries in order of first appearance, as "US, CN, RU".
pub(crate) fn country_list(countries: &[CountryCode]) -> String {
    let mut seen: Vec<CountryCode> = Vec::new();
    for c in countries {
        if !seen.contains(c) {
            seen.push(*c);
        }
    }
    seen.iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Organisations behind anonymiser logins, most frequent first, at most three.
pub(crate) fn top_organisations(logins: &[&Located<'_>]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for l in logins {
        let org = l.info.organisation.unwrap_or("unknown network");
        match counts.iter_mut().find(|(o, _)| *o == org) {
            Some((_, n)) => *n += 1,
            None => counts.push((org, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    counts
        .iter()
        .take(3)
        .map(|(o, _)| *o)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
pub(crate) mod testing {
    //! A small IP index for detector tests: a handful of ranges, built with the intel
    //! crate's own importer from CSV text.

    use std::sync::OnceLock;

    use redflag_intel::IpIntel;

    /// US/CA/CN/RU/FR/KR residential, a US hosting (VPS) range, a mobile range.
    pub fn intel() -> &'static IpIntel {
        static INTEL: OnceLock<IpIntel> = OnceLock::new();
        INTEL.get_or_init(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let country = dir.path().join("geo-whois-asn-country-ipv4.csv");
            std::fs::write(
                &country,
                "24.0.0.0,24.255.255.255,US\n99.224.0.0,99.255.255.255,CA\n\
                 113.224.0.0,113.239.255.255,CN\n95.24.0.0,95.31.255.255,RU\n\
                 90.0.0.0,90.127.255.255,FR\n121.128.0.0,121.191.255.255,KR\n\
                 138.68.0.0,138.68.255.255,US\n172.56.0.0,172.63.255.255,US\n",
            )
            .expect("write");
            let asn = dir.path().join("asn-ipv4.csv");
            std::fs::write(
                &asn,
                "24.0.0.0,24.255.255.255,7922,Comcast Cable Communications\n\
                 99.224.0.0,99.255.255.255,812,Rogers Communications Canada Inc.\n\
                 113.224.0.0,113.239.255.255,4837,CHINA UNICOM China169 Backbone\n\
                 95.24.0.0,95.31.255.255,8402,PJSC Vimpelcom\n\
                 90.0.0.0,90.127.255.255,3215,Orange\n\
                 121.128.0.0,121.191.255.255,4766,Korea Telecom\n\
                 138.68.0.0,138.68.255.255,14061,DigitalOcean, LLC\n\
                 172.56.0.0,172.63.255.255,21928,T-Mobile USA, Inc.\n",
            )
            .expect("write");
            let out = dir.path().join("intel");
            redflag_intel::import(&[country, asn], &[], &out, &|_, _| {}).expect("import");
            let intel = IpIntel::load(&out).expect("load");
            // The index is read into memory; the folder may go.
            drop(dir);
            intel
        })
    }
}
