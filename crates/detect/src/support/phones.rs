//! Phone numbers read with libphonenumber's metadata (the `phonenumber` crate), and a
//! book of readings made once per assessment run.
//!
//! Why a book: the crate compiles its patterns on demand into a cache of 100 regular
//! expressions. Reading numbers in subject order jumps between countries and thrashes
//! that cache, so each number paid for compiling a dozen patterns again (a tenth of a
//! whole scan's time). Read in order of their international form, numbers of one
//! country come together and each pattern is compiled about once.

use std::collections::HashMap;

use phonenumber::{Type, metadata::DATABASE};
use redflag_model::{CountryCode, Phone};

/// What one valid number is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineReading {
    /// Mobile, fixed line, VoIP…
    pub line: Type,
    /// The country calling code (1, 44, 82…).
    pub calling_code: u16,
    /// The region the number belongs to (ISO code), where the metadata says.
    pub region: Option<String>,
}

/// Reads `phone`; a number written without `+` is read as a national number of `home`.
/// `None` for a number the metadata calls impossible.
pub fn read(phone: &Phone, home: Option<CountryCode>) -> Option<LineReading> {
    let region = home.and_then(|c| c.as_str().parse::<phonenumber::country::Id>().ok());
    let number = phonenumber::parse(region, phone.as_str()).ok()?;
    if !number.is_valid() {
        return None;
    }
    Some(LineReading {
        line: number.number_type(&DATABASE),
        calling_code: number.code().value(),
        region: number.country().id().map(|id| id.as_ref().to_owned()),
    })
}

/// The calling code of a country (1 for CA and US, 44 for GB and Guernsey).
pub fn calling_code(country: CountryCode) -> Option<u16> {
    DATABASE.by_id(country.as_str()).map(|m| m.country_code())
}

/// Readings of many numbers, made in an order that keeps the pattern cache warm.
#[derive(Debug, Default)]
pub struct PhoneBook {
    readings: HashMap<(String, Option<CountryCode>), Option<LineReading>>,
}

impl PhoneBook {
    /// Reads every `(number, claimed home country)` given.
    pub fn build<'a>(numbers: impl IntoIterator<Item = (&'a Phone, Option<CountryCode>)>) -> Self {
        let mut numbers: Vec<(&Phone, Option<CountryCode>)> = numbers.into_iter().collect();
        // International forms sort by calling code, so one country's numbers come
        // together.
        numbers.sort_by(|a, b| (a.0.as_str(), a.1).cmp(&(b.0.as_str(), b.1)));
        numbers.dedup_by(|a, b| a.0.as_str() == b.0.as_str() && a.1 == b.1);
        let readings = numbers
            .into_iter()
            .map(|(phone, home)| ((phone.as_str().to_owned(), home), read(phone, home)))
            .collect();
        PhoneBook { readings }
    }

    /// The reading of `phone`, from the book when it holds it.
    pub fn read(&self, phone: &Phone, home: Option<CountryCode>) -> Option<LineReading> {
        match self.readings.get(&(phone.as_str().to_owned(), home)) {
            Some(reading) => reading.clone(),
            None => read(phone, home),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gb() -> CountryCode {
        "GB".parse().unwrap()
    }

    fn us() -> CountryCode {
        "US".parse().unwrap()
    }

    fn phone(text: &str) -> Phone {
        serde_json::from_value(serde_json::Value::String(text.into())).unwrap()
    }

    #[test]
    fn the_book_reads_as_reading_each_number_does() {
        let numbers = [
            (phone("+44 56 1234 5678"), Some(gb())),
            (phone("+1 512 555 0147"), Some(us())),
            (phone("+61 4 1234 5678"), Some(us())),
            (phone("+1 2345"), None),
        ];
        let book = PhoneBook::build(numbers.iter().map(|(p, h)| (p, *h)));
        for (p, home) in &numbers {
            assert_eq!(book.read(p, *home), read(p, *home), "{}", p.as_str());
        }
        assert_eq!(
            book.read(&numbers[0].0, Some(gb())).map(|r| r.line),
            Some(Type::Voip)
        );
        assert_eq!(book.read(&numbers[3].0, None), None);
    }
}
