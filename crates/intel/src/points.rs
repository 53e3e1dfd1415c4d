//! Country reference points built into redflag, for the impossible-travel check on a
//! machine where no `countries.csv` was imported (see `data/country-points.csv` for
//! provenance and licence).

/// One point per ISO 3166-1 alpha-2 country, as CSV: a `#` header (provenance and the
/// source's licence, which its redistribution must carry), then
/// `country,latitude,longitude,name` rows.
pub const COUNTRY_POINTS: &str = include_str!("../data/country-points.csv");

/// Where [`COUNTRY_POINTS`] come from, in one line for `intel status`.
pub const COUNTRY_POINTS_SOURCE: &str = "built in, from Google DSPL canonical countries.csv: github.com/google/dspl @db79dad, BSD-3-Clause, Copyright 2018 Google Inc.";

/// The rows of [`COUNTRY_POINTS`] without its `#` header.
pub fn country_point_rows() -> impl Iterator<Item = &'static str> {
    COUNTRY_POINTS
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use redflag_model::CountryCode;

    #[test]
    fn a_point_for_every_country_on_earth() {
        let mut rows = country_point_rows();
        assert_eq!(rows.next(), Some("country,latitude,longitude,name"));
        let mut codes = Vec::new();
        for row in rows {
            let fields: Vec<&str> = row.splitn(4, ',').collect();
            let code: CountryCode = fields[0].parse().unwrap_or_else(|e| panic!("{row}: {e}"));
            let lat: f64 = fields[1].parse().unwrap_or_else(|e| panic!("{row}: {e}"));
            let lon: f64 = fields[2].parse().unwrap_or_else(|e| panic!("{row}: {e}"));
            assert!(
                (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon),
                "{row}"
            );
            codes.push(code);
        }
        assert_eq!(codes.len(), 249);
        for needed in ["CA", "KR", "KP", "US", "CN", "RU"] {
            assert!(codes.iter().any(|c| c.as_str() == needed), "{needed}");
        }
        assert!(COUNTRY_POINTS.contains("Copyright 2018, Google Inc."));
    }
}
