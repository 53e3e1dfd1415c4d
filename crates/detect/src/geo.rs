//! A reference point per country, for distances between sign-in locations when only a
//! country is known for an address (country-level geolocation). The points come from a
//! CSV the user loads (`country,latitude,longitude,name`, as Google's DSPL canonical
//! `countries.csv`); this module only parses text, it does no I/O.

use std::collections::HashMap;

use redflag_model::CountryCode;

#[derive(Debug, Clone, Default)]
pub struct CountryPoints {
    points: HashMap<CountryCode, (f64, f64)>,
}

impl CountryPoints {
    /// Parses `country,latitude,longitude[,name]` lines; a header line and codes that are
    /// not ISO 3166-1 are skipped, a bad number is an error naming the line.
    pub fn parse(text: &str) -> Result<CountryPoints, String> {
        let mut points = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            if fields.len() < 3 || fields[0].eq_ignore_ascii_case("country") || fields[0].is_empty()
            {
                continue;
            }
            let Ok(code) = fields[0].parse::<CountryCode>() else {
                continue;
            };
            // Some territories have no point (the DSPL table leaves UM blank).
            if fields[1].is_empty() || fields[2].is_empty() {
                continue;
            }
            let number = |s: &str, what: &str| {
                s.parse::<f64>()
                    .map_err(|_| format!("line {}: {what} {s:?} is not a number", i + 1))
            };
            let lat = number(fields[1], "latitude")?;
            let lon = number(fields[2], "longitude")?;
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                return Err(format!(
                    "line {}: {lat},{lon} is not a place on Earth",
                    i + 1
                ));
            }
            points.insert(code, (lat, lon));
        }
        if points.is_empty() {
            return Err("no country,latitude,longitude rows found".into());
        }
        Ok(CountryPoints { points })
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Great-circle distance between two countries' reference points, in km.
    pub fn distance_km(&self, a: CountryCode, b: CountryCode) -> Option<f64> {
        let (lat1, lon1) = *self.points.get(&a)?;
        let (lat2, lon2) = *self.points.get(&b)?;
        Some(haversine_km(lat1, lon1, lat2, lon2))
    }
}

/// Haversine distance on a sphere of the Earth's mean radius.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_between_reference_points() {
        let p = CountryPoints::parse("country,latitude,longitude,name\nUS,37.09,-95.71,United States\nKP,40.34,127.51,North Korea\nXX,1,1,Nowhere\nUM,,,\"U.S. Minor Outlying Islands\"\n").unwrap();
        assert_eq!(p.len(), 2);
        let d = p
            .distance_km("US".parse().unwrap(), "KP".parse().unwrap())
            .unwrap();
        assert!((10_000.0..11_500.0).contains(&d), "{d}");
        assert!(CountryPoints::parse("US,north,1").is_err());
        assert!(CountryPoints::parse("").is_err());
    }
}
