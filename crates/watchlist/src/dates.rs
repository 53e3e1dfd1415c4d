//! Dates of birth as the lists write them ("15 Aug 1984", "circa 1970", "1960 to 1962",
//! "Nov. 1973") → one notation: `YYYY[-MM[-DD]]`, a range `from/to`, approximate with a
//! trailing `~` (ISO 8601 intervals and the EDTF qualifier). Name matching compares
//! dates of birth to tell namesakes apart, so it needs one notation, not five.

use crate::model::clean;

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month(word: &str) -> Option<usize> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    // "Sept" is a common abbreviation; full names start with the three-letter form.
    let prefix = w.get(..3)?;
    let index = MONTHS.iter().position(|m| *m == prefix)?;
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ][index];
    (w.len() == 3 || w == "sept" || w == full).then_some(index + 1)
}

fn year(word: &str) -> Option<u16> {
    (word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()))
        .then(|| word.parse().ok())
        .flatten()
}

fn day(word: &str) -> Option<u8> {
    let d: u8 = (word.len() <= 2 && word.bytes().all(|b| b.is_ascii_digit()))
        .then(|| word.parse().ok())
        .flatten()?;
    (1..=31).contains(&d).then_some(d)
}

/// One date: `DD Mon YYYY`, `Mon YYYY`, `YYYY`, or ISO `YYYY[-MM[-DD]]`.
fn single(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        [d, m, y] => Some(format!("{:04}-{:02}-{:02}", year(y)?, month(m)?, day(d)?)),
        [m, y] => Some(format!("{:04}-{:02}", year(y)?, month(m)?)),
        [one] => iso(one),
        _ => None,
    }
}

fn iso(word: &str) -> Option<String> {
    let parts: Vec<&str> = word.split('-').collect();
    let y = year(parts.first()?)?;
    let two = |s: &&str, max: u8| -> Option<u8> {
        let v: u8 = (s.len() == 2).then(|| s.parse().ok()).flatten()?;
        (1..=max).contains(&v).then_some(v)
    };
    match parts.as_slice() {
        [_] => Some(format!("{y:04}")),
        [_, m] => Some(format!("{y:04}-{:02}", two(m, 12)?)),
        [_, m, d] => Some(format!("{y:04}-{:02}-{:02}", two(m, 12)?, two(d, 31)?)),
        _ => None,
    }
}

/// A date or range, possibly approximate; `None` when the text is none of the forms.
fn parse(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches('.');
    let lower = text.to_ascii_lowercase();
    for prefix in [
        "circa ",
        "approximately ",
        "approx. ",
        "about ",
        "c. ",
        "ca. ",
    ] {
        if lower.starts_with(prefix) {
            let rest = &text[prefix.len()..];
            // "circa 1957-1959": both ends approximate.
            return match parse(rest) {
                Some(p) => Some(
                    p.split('/')
                        .map(|d| format!("{}~", d.trim_end_matches('~')))
                        .collect::<Vec<_>>()
                        .join("/"),
                ),
                None => None,
            };
        }
    }
    if let Some(lower_rest) = lower.strip_prefix("between ")
        && let Some(at) = lower_rest.find(" and ")
    {
        // Same byte offsets in `text` and `lower`: only ASCII letters changed case.
        let rest = &text["between ".len()..];
        let (a, b) = (&rest[..at], &rest[at + " and ".len()..]);
        return Some(format!("{}/{}", single(a)?, single(b)?));
    }
    if let Some((a, b)) = text.split_once(" to ") {
        return Some(format!("{}/{}", single(a)?, single(b)?));
    }
    // "1957-1959" is a range of years, not an ISO year-month.
    if let Some((a, b)) = text.split_once('-')
        && let (Some(a), Some(b)) = (year(a.trim()), year(b.trim()))
    {
        return Some(format!("{a:04}/{b:04}"));
    }
    single(text)
}

/// A date of birth in the crate's notation, or the cleaned text as given when it is in
/// no form this function reads (the text still helps a reviewer).
pub(crate) fn normalise_date(text: &str) -> String {
    parse(text).unwrap_or_else(|| clean(text))
}

#[cfg(test)]
mod tests {
    use super::normalise_date as n;

    #[test]
    fn ofac_forms() {
        assert_eq!(n("15 Aug 1984"), "1984-08-15");
        assert_eq!(n("01 Jan 1958"), "1958-01-01");
        assert_eq!(n("Dec 1985"), "1985-12");
        assert_eq!(n("1985"), "1985");
        assert_eq!(n("circa 1970"), "1970~");
        assert_eq!(n("circa 15 Jul 1970"), "1970-07-15~");
        assert_eq!(n("circa 1957-1959"), "1957~/1959~");
        assert_eq!(n("1960 to 1962"), "1960/1962");
        assert_eq!(n("01 Jan 1958 to 31 Dec 1960"), "1958-01-01/1960-12-31");
        assert_eq!(n("Mar 1960 to Feb 1961"), "1960-03/1961-02");
    }

    #[test]
    fn un_and_canada_forms() {
        assert_eq!(n("1944-10-13"), "1944-10-13");
        assert_eq!(n("1964-03"), "1964-03");
        assert_eq!(n("Nov. 1973 "), "1973-11");
        assert_eq!(n("August 1961"), "1961-08");
        assert_eq!(n("Sept 1961"), "1961-09");
        assert_eq!(n("between 1973 and 1974"), "1973/1974");
    }

    #[test]
    fn unreadable_text_is_kept_cleaned() {
        assert_eq!(n("  unknown   date "), "unknown date");
        assert_eq!(n("32 Jan 1990"), "32 Jan 1990");
        assert_eq!(n("1990-13"), "1990-13");
        assert_eq!(n("Marchy 1990"), "Marchy 1990");
        assert_eq!(n("circa"), "circa");
    }
}
