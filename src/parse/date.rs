//! One date parser for every input format: free-form date strings as pages and people write them,
//! and dates hidden in file names and URLs.
//!
//! # Accepted forms of [`parse_date`]
//!
//! The string is trimmed; strings over 200 bytes are refused. Forms are tried in this order, and the
//! first that yields a valid, plausible date wins:
//!
//! 1. **RFC 3339 / ISO 8601** at the start of the string: `2016-12-06`, `2016-12-06T23:30`,
//!    `2016-12-06T23:30:00-05:00`, `2016-12-06 23:30:00Z`, `2016-12-06T23:30:00.000+0100`. The date
//!    and time are kept *as written*: the offset is dropped, never applied (23:30 at -05:00 stays
//!    December 6, 23:30).
//! 2. **RFC 2822**: `Tue, 06 Dec 2016 14:00:00 +0000` (chrono's parser; time kept as written).
//! 3. **A date anywhere in the string**; the leftmost match wins:
//!    - numeric year first: `2016/12/06`, `2016.12.06`, `2016-12-06` → day;
//!    - CJK: `2016年12月6日`, `2016년 12월 6일` → day; `2016年12月` → month;
//!    - numeric year last, `A?B?YYYY` or `A?B?YY` with one separator `?` of `/`, `.` or `-`:
//!      if `A` > 12 it is the day (`13/12/2016`), if `B` > 12 it is the day (`12/13/2016`).
//!      When both are ≤ 12 the separator decides: **`/` is month-first** (US usage, `06/12/2016` is
//!      June 12), **`.` and `-` are day-first** (`06.12.2016` is December 6). A two-digit year
//!      `YY` is 20YY when that is not in the future, else 19YY;
//!    - month names (English, French, German, Spanish, Italian, Portuguese, Dutch; full or
//!      abbreviated, with or without a dot, any case — the table [`MONTHS`]):
//!      `December 6, 2016`, `Dec. 6, 2016`, `Sept. 6 2016`, `December 6th, 2016`,
//!      `Tuesday, December 06, 2016` (weekdays and other words are skipped), `6 December 2016`,
//!      `6 Dec 2016`, `6. Dezember 2016`, `6 de diciembre de 2016`, `2016 Dec 6` → day;
//!      `March 2014`, `mars 2014` → **month precision**;
//!    - C `asctime` / Java `Date.toString`: `Mon Aug 03 12:45:00 EDT 2015` (the zone name is
//!      skipped, the time kept as written) → day.
//! 4. **A year alone**: the whole string is four digits (`2014`) → **year precision**.
//!
//! A time of day (`14:05`, `2:05 pm`, `2:05PM`, `14:05:30`) found after the date is kept for forms
//! 3; the ISO and RFC 2822 forms keep their own time.
//!
//! Every result must be a real calendar day (February 30 → `None`) and pass [`is_plausible`].
//!
//! # Accepted forms of [`date_from_path`]
//!
//! Leftmost match in the string: `YYYY-MM-DD`, `YYYY_MM_DD`, `YYYY.MM.DD`, `YYYYMMDD` (bounded by
//! non-digits), `/YYYY/M/D/`, `/YYYY/mon/D/` (`/2016/dec/06/`) → day; `/YYYY/MM/` followed by a
//! non-digit → month.

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use regex::Regex;

use crate::article::{DatePrecision, PartialDate};

/// The longest string [`parse_date`] looks at; longer input is not a date string.
const MAX_DATE_LEN: usize = 200;

/// Month names and abbreviations (lowercase, without a trailing dot) and their month number.
/// Extend freely: a name that belongs to two months in different languages must not be added.
pub const MONTHS: &[(&str, u32)] = &[
    // English
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
    // French
    ("janvier", 1),
    ("janv", 1),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("fevr", 2),
    ("mars", 3),
    ("avril", 4),
    ("avr", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("juil", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("déc", 12),
    // German
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("maerz", 3),
    ("mär", 3),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("okt", 10),
    ("dezember", 12),
    ("dez", 12),
    // Spanish
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    // Italian
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    // Portuguese
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("marco", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("dezembro", 12),
    // Dutch
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
];

/// Words that may stand between a day, a month name and a year (`6 de diciembre de 2016`,
/// `the 6th of December`): skipped when matching month-name forms.
const FILLER_WORDS: &[&str] = &["st", "nd", "rd", "th", "de", "del", "of", "le", "el", "di"];

fn re(pattern: &str) -> Regex {
    // Invariant: every pattern in this file is a constant that the unit tests compile.
    Regex::new(pattern).expect("constant date pattern compiles")
}

static ISO_START: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|z|UTC|GMT|([+-])(\d{2})(?::?(\d{2}))?)?$",
    )
});
static NUM_YMD: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:^|[^\d])(\d{4})([-/.])(\d{1,2})([-/.])(\d{1,2})(?:[^\d]|$)"));
static NUM_XXY: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:^|[^\d.])(\d{1,2})([-/.])(\d{1,2})([-/.])(\d{4}|\d{2})(?:[^\d]|$)"));
static CJK: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월](?:\s*(\d{1,2})\s*[日일])?"));
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:^|[^\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([aApP])\.?\s*[mM]\.?)?(?:[^\d]|$)")
});
/// C `asctime`/Java `Date.toString` style: `Mon Aug 03 12:45:00 EDT 2015` (weekday optional).
static CTIME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^|[^\p{L}])(\p{L}{3,9})\.?\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+(?:\p{Lu}{2,5}\s+)?(\d{4})(?:[^\d]|$)",
    )
});
static PATH_YMD: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:^|[^\d])(\d{4})([-_.]?)(\d{2})([-_.]?)(\d{2})(?:[^\d]|$)"));
static PATH_SLASHED: LazyLock<Regex> =
    LazyLock::new(|| re(r"/(\d{4})/(\d{1,2}|[A-Za-z]{3,9})/(\d{1,2})(?:/|[^\d]|$)"));
static PATH_MONTH: LazyLock<Regex> = LazyLock::new(|| re(r"/(\d{4})/(\d{2})/(?:[^\d]|\d{3}|$)"));

/// Earliest/latest plausible dates: 1800-01-01 ..= today (the run's day); tantivy's date type
/// only holds 1677–2262. "Today" is the latest calendar day anywhere on Earth (UTC+14), so a
/// page dated in a time zone ahead of UTC is not refused.
pub fn is_plausible(d: NaiveDate) -> bool {
    let earliest = NaiveDate::from_ymd_opt(1800, 1, 1);
    let latest = (Utc::now() + Duration::hours(14)).date_naive();
    earliest.is_some_and(|e| d >= e) && d <= latest
}

/// Parse a free-form date string as a human or a page wrote it; None if it is not a date or is
/// implausible. See the module doc for the accepted forms.
pub fn parse_date(s: &str) -> Option<PartialDate> {
    let s = s.trim();
    if s.is_empty() || s.len() > MAX_DATE_LEN {
        return None;
    }
    if let Some(d) = parse_iso(s) {
        return Some(d);
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        let local = dt.naive_local();
        let mut d = checked(local.date(), DatePrecision::Day, Some(local.time()))?;
        d.utc_offset_minutes = Some(dt.offset().local_minus_utc() / 60);
        return Some(d);
    }
    if let Some(d) = parse_anywhere(s) {
        return Some(d);
    }
    if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
        let year: i32 = s.parse().ok()?;
        return checked(NaiveDate::from_ymd_opt(year, 1, 1)?, DatePrecision::Year, None);
    }
    None
}

/// A date in a file name or URL: `2016-12-06-slug.txt`, `20161206_x.html`, `/2016/12/06/`,
/// `/2016/12/slug` (month precision).
pub fn date_from_path(s: &str) -> Option<PartialDate> {
    // (start, date) candidates; the leftmost wins.
    let mut found: Vec<(usize, PartialDate)> = Vec::new();
    // The two separators must agree: `2016-1206` is not a date.
    let day = PATH_YMD.captures_iter(s).filter(|c| c[2] == c[4]).find_map(|c| {
        let d = ymd(&c[1], &c[3], &c[5]).and_then(|d| checked(d, DatePrecision::Day, None))?;
        Some((c.get(1).map_or(0, |m| m.start()), d))
    });
    found.extend(day);
    let slashed = PATH_SLASHED.captures_iter(s).find_map(|c| {
        let month = match c[2].parse::<u32>() {
            Ok(m) => m,
            Err(_) => month_number(&c[2].to_lowercase())?,
        };
        let d = NaiveDate::from_ymd_opt(c[1].parse().ok()?, month, c[3].parse().ok()?)?;
        Some((c.get(0).map_or(0, |m| m.start()), checked(d, DatePrecision::Day, None)?))
    });
    found.extend(slashed);
    if found.is_empty() {
        let month = PATH_MONTH.captures_iter(s).find_map(|c| {
            let d = ymd(&c[1], &c[2], "1")?;
            Some((c.get(0).map_or(0, |m| m.start()), checked(d, DatePrecision::Month, None)?))
        });
        found.extend(month);
    }
    found.into_iter().min_by_key(|(start, _)| *start).map(|(_, d)| d)
}

/// The ISO 8601 / RFC 3339 forms, when they make up the whole string.
fn parse_iso(s: &str) -> Option<PartialDate> {
    let c = ISO_START.captures(s)?;
    let date = ymd(&c[1], &c[2], &c[3])?;
    let time = match (c.get(4), c.get(5)) {
        (Some(h), Some(m)) => {
            let sec = c.get(6).map_or(Ok(0), |x| x.as_str().parse()).ok()?;
            Some(NaiveTime::from_hms_opt(h.as_str().parse().ok()?, m.as_str().parse().ok()?, sec)?)
        }
        _ => None,
    };
    let offset = match (c.get(7), c.get(8), c.get(9)) {
        (Some(_), Some(sign), Some(h)) => {
            let m: i32 = c.get(10).map_or(Ok(0), |x| x.as_str().parse()).ok()?;
            let total = h.as_str().parse::<i32>().ok()? * 60 + m;
            Some(if sign.as_str() == "-" { -total } else { total })
        }
        (Some(_), _, _) => Some(0),
        _ => None,
    };
    let mut d = checked(date, DatePrecision::Day, time)?;
    d.utc_offset_minutes = offset.filter(|_| time.is_some());
    Some(d)
}

/// Form 3 of the module doc: the leftmost date of any shape inside the string.
fn parse_anywhere(s: &str) -> Option<PartialDate> {
    // (start, end, date) of the leftmost candidate so far.
    let mut best: Option<(usize, usize, PartialDate)> = None;
    let mut consider = |start: usize, end: usize, d: PartialDate| {
        let better = match &best {
            None => true,
            // Leftmost wins; at the same start, the more precise.
            Some((b, _, bd)) => start < *b || (start == *b && d.precision > bd.precision),
        };
        if better {
            best = Some((start, end, d));
        }
    };

    for c in NUM_YMD.captures_iter(s) {
        if c[2] != c[4] {
            continue;
        }
        if let Some(d) = ymd(&c[1], &c[3], &c[5]).and_then(|d| checked(d, DatePrecision::Day, None))
        {
            consider(c.get(1).map_or(0, |m| m.start()), c.get(5).map_or(0, |m| m.end()), d);
            break;
        }
    }
    for c in CJK.captures_iter(s) {
        let day = c.get(3).map_or("1", |m| m.as_str());
        let precision = if c.get(3).is_some() { DatePrecision::Day } else { DatePrecision::Month };
        if let Some(d) = ymd(&c[1], &c[2], day).and_then(|d| checked(d, precision, None)) {
            let m = c.get(0).map_or(0..0, |m| m.range());
            consider(m.start, m.end, d);
            break;
        }
    }
    for c in NUM_XXY.captures_iter(s) {
        if c[2] != c[4] {
            continue;
        }
        if let Some(d) = numeric_year_last(&c[1], &c[3], &c[5], &c[2]) {
            consider(c.get(1).map_or(0, |m| m.start()), c.get(5).map_or(0, |m| m.end()), d);
            break;
        }
    }
    if let Some((start, end, d)) = month_name_date(s) {
        consider(start, end, d);
    }
    if let Some((start, d)) = ctime_date(s) {
        // Its own time is kept: compare by start only, and win ties (the month-name form would
        // not find this shape anyway).
        if best.as_ref().is_none_or(|(b, _, _)| start <= *b) {
            return Some(d);
        }
    }

    let (_, end, mut d) = best?;
    if d.precision == DatePrecision::Day {
        d.time = s.get(end..).and_then(find_time);
    }
    Some(d)
}

/// The `Mon Aug 03 12:45:00 EDT 2015` form: (start, date with its time as written).
fn ctime_date(s: &str) -> Option<(usize, PartialDate)> {
    CTIME.captures_iter(s).find_map(|c| {
        let month = month_number(&c[1].to_lowercase())?;
        let date = NaiveDate::from_ymd_opt(c[6].parse().ok()?, month, c[2].parse().ok()?)?;
        let sec = c.get(5).map_or(Ok(0), |m| m.as_str().parse()).ok()?;
        let time = NaiveTime::from_hms_opt(c[3].parse().ok()?, c[4].parse().ok()?, sec)?;
        Some((c.get(1)?.start(), checked(date, DatePrecision::Day, Some(time))?))
    })
}

/// `A?B?Y` where the separator and the values decide which of A and B is the month.
fn numeric_year_last(a: &str, b: &str, y: &str, sep: &str) -> Option<PartialDate> {
    let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
    let mut year: i32 = y.parse().ok()?;
    if y.len() == 2 {
        let this_year = Utc::now().year();
        year += if 2000 + year <= this_year { 2000 } else { 1900 };
    }
    let (month, day) = if a > 12 {
        (b, a)
    } else if b > 12 || sep == "/" {
        (a, b)
    } else {
        (b, a)
    };
    checked(NaiveDate::from_ymd_opt(year, month, day)?, DatePrecision::Day, None)
}

/// A token of the month-name grammar: a number (value, digit count) or a lowercase word.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(u32, usize),
    Word(String),
}

/// Split into numbers and words with their byte spans; punctuation and spaces only separate.
fn tokenize(s: &str) -> Vec<(usize, usize, Tok)> {
    let mut out = Vec::new();
    let mut iter = s.char_indices().peekable();
    while let Some((start, ch)) = iter.next() {
        let is_digit = ch.is_ascii_digit();
        if !is_digit && !ch.is_alphabetic() {
            continue;
        }
        let mut end = start + ch.len_utf8();
        while let Some(&(i, c)) = iter.peek() {
            let same = if is_digit { c.is_ascii_digit() } else { c.is_alphabetic() };
            if !same {
                break;
            }
            end = i + c.len_utf8();
            iter.next();
        }
        let text = &s[start..end];
        let tok = if is_digit {
            // Numbers longer than 9 digits cannot be part of a date; keep them as a blocker.
            Tok::Num(text.parse().unwrap_or(u32::MAX), text.len())
        } else {
            Tok::Word(text.to_lowercase())
        };
        out.push((start, end, tok));
    }
    out
}

fn month_number(word: &str) -> Option<u32> {
    MONTHS.iter().find(|(name, _)| *name == word).map(|&(_, m)| m)
}

fn is_filler(t: &Tok) -> bool {
    matches!(t, Tok::Word(w) if FILLER_WORDS.contains(&w.as_str()))
}

/// The leftmost month-name date: (start, end, date).
fn month_name_date(s: &str) -> Option<(usize, usize, PartialDate)> {
    let toks = tokenize(s);
    // Indices of the next/previous non-filler token.
    let next = |i: usize| (i + 1..toks.len()).find(|&j| !is_filler(&toks[j].2));
    let prev = |i: usize| (0..i).rev().find(|&j| !is_filler(&toks[j].2));
    let day_at = |j: Option<usize>| match j.map(|j| &toks[j].2) {
        Some(Tok::Num(d, len)) if *len <= 2 && (1..=31).contains(d) => Some(*d),
        _ => None,
    };
    let year_at = |j: Option<usize>| match j.map(|j| &toks[j].2) {
        Some(Tok::Num(y, 4)) => i32::try_from(*y).ok(),
        _ => None,
    };
    let day_date = |y: i32, m: u32, d: u32| {
        NaiveDate::from_ymd_opt(y, m, d).and_then(|x| checked(x, DatePrecision::Day, None))
    };

    for (i, (start, end, tok)) in toks.iter().enumerate() {
        let Tok::Word(w) = tok else { continue };
        let Some(month) = month_number(w) else {
            continue;
        };
        let after = next(i);
        let before = prev(i);
        // Month D, YYYY
        if let (Some(d), Some(y)) = (day_at(after), year_at(after.and_then(next))) {
            if let Some(x) = day_date(y, month, d) {
                let e = after.and_then(next).map_or(*end, |j| toks[j].1);
                return Some((*start, e, x));
            }
        }
        // D Month YYYY
        if let (Some(d), Some(y)) = (day_at(before), year_at(after)) {
            if let Some(x) = day_date(y, month, d) {
                let st = before.map_or(*start, |j| toks[j].0);
                return Some((st, after.map_or(*end, |j| toks[j].1), x));
            }
        }
        // YYYY Month D
        if let (Some(y), Some(d)) = (year_at(before), day_at(after)) {
            if let Some(x) = day_date(y, month, d) {
                let st = before.map_or(*start, |j| toks[j].0);
                return Some((st, after.map_or(*end, |j| toks[j].1), x));
            }
        }
        // Month YYYY
        if let Some(y) = year_at(after) {
            let x = NaiveDate::from_ymd_opt(y, month, 1)
                .and_then(|x| checked(x, DatePrecision::Month, None));
            if let Some(x) = x {
                return Some((*start, after.map_or(*end, |j| toks[j].1), x));
            }
        }
    }
    None
}

/// The first time of day in `s`: `14:05`, `14:05:30`, `2:05 pm`, `2:05PM`.
fn find_time(s: &str) -> Option<NaiveTime> {
    let c = TIME.captures(s)?;
    let mut hour: u32 = c[1].parse().ok()?;
    let minute: u32 = c[2].parse().ok()?;
    let second: u32 = c.get(3).map_or(Ok(0), |m| m.as_str().parse()).ok()?;
    if let Some(ampm) = c.get(4) {
        if !(1..=12).contains(&hour) {
            return None;
        }
        let pm = ampm.as_str().eq_ignore_ascii_case("p");
        hour = match (pm, hour) {
            (false, 12) => 0,
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, h) => h,
        };
    }
    NaiveTime::from_hms_opt(hour, minute, second)
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn checked(
    date: NaiveDate,
    precision: DatePrecision,
    time: Option<NaiveTime>,
) -> Option<PartialDate> {
    is_plausible(date).then_some(PartialDate { date, precision, time, utc_offset_minutes: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(d: Option<PartialDate>) -> String {
        match d {
            None => "none".to_string(),
            Some(d) => match d.time {
                Some(t) => format!("{} {}", d.display(), t.format("%H:%M:%S")),
                None => d.display(),
            },
        }
    }

    #[test]
    fn parse_date_table() {
        let cases: &[(&str, &str, &str)] = &[
            ("iso_day", "2016-12-06", "2016-12-06"),
            ("iso_offset_kept_local", "2016-12-06T23:30:00-05:00", "2016-12-06 23:30:00"),
            ("iso_zulu", "2016-12-06T14:00:00Z", "2016-12-06 14:00:00"),
            ("iso_fraction_compact_offset", "2016-12-06T14:00:00.000+0100", "2016-12-06 14:00:00"),
            ("iso_space_no_seconds", "2016-12-06 09:15", "2016-12-06 09:15:00"),
            ("rfc2822", "Tue, 06 Dec 2016 14:00:00 +0000", "2016-12-06 14:00:00"),
            ("weekday_month_day_year", "Tuesday, December 06, 2016", "2016-12-06"),
            ("month_day_year", "December 6, 2016", "2016-12-06"),
            ("abbrev_dot", "Dec. 6, 2016", "2016-12-06"),
            ("sept_dot", "Sept. 6, 2016", "2016-09-06"),
            ("ordinal", "December 6th, 2016", "2016-12-06"),
            ("day_month_year", "6 December 2016", "2016-12-06"),
            ("day_abbrev_year", "6 Dec 2016", "2016-12-06"),
            ("german_dotted_day", "6. Dezember 2016", "2016-12-06"),
            ("spanish_de", "6 de diciembre de 2016", "2016-12-06"),
            ("french_accent", "le 6 décembre 2016", "2016-12-06"),
            ("year_month_day_words", "2016 Dec 6", "2016-12-06"),
            ("slashed_ymd", "2016/12/06", "2016-12-06"),
            ("dotted_ymd", "2016.12.06", "2016-12-06"),
            ("month_year", "March 2014", "2014-03"),
            ("french_month_year", "mars 2014", "2014-03"),
            ("year_alone", "2014", "2014"),
            ("year_inside_text_is_not_a_date", "In 2014 we", "none"),
            ("slash_both_small_is_month_first", "06/12/2016", "2016-06-12"),
            ("slash_day_first_when_unambiguous", "13/12/2016", "2016-12-13"),
            ("slash_month_first_unambiguous", "12/13/2016", "2016-12-13"),
            ("dot_is_day_first", "06.12.2016", "2016-12-06"),
            ("dash_is_day_first", "06-12-2016", "2016-12-06"),
            ("two_digit_year", "12/6/16", "2016-12-06"),
            ("cjk_day", "2016年12月6日", "2016-12-06"),
            ("cjk_month", "2016年12月", "2016-12"),
            ("korean_day", "2016년 12월 6일", "2016-12-06"),
            ("time_pm", "Dec. 6, 2016 2:05 p.m. ET", "2016-12-06 14:05:00"),
            ("time_compact_pm", "Posted: Tuesday, December 6, 2016 2:14PM", "2016-12-06 14:14:00"),
            ("time_12_am", "December 6, 2016 12:10 am", "2016-12-06 00:10:00"),
            ("updated_prefix", "Updated 10:32 AM EST, Tue December 6, 2016", "2016-12-06"),
            ("leftmost_wins", "Published 2016-12-06, updated December 8, 2016", "2016-12-06"),
            ("ctime_java", "Mon Aug 03 12:45:00 EDT 2015", "2015-08-03 12:45:00"),
            ("ctime_no_zone", "Aug 3 09:05 2015", "2015-08-03 09:05:00"),
            ("ctime_after_words", "Posted Wed Dec 07 23:10:05 PST 2016", "2016-12-07 23:10:05"),
            ("zero_date", "0000-00-00", "none"),
            ("five_digit_year", "99999-01-01", "none"),
            ("february_30", "2016-02-30", "none"),
            ("february_30_words", "February 30, 2016", "none"),
            ("before_1800", "1750-05-01", "none"),
            ("future", "2999-01-01", "none"),
            ("future_words", "January 1, 2999", "none"),
            ("empty", "", "none"),
            ("plain_words", "yesterday afternoon", "none"),
            ("may_as_verb", "you may 6 things", "none"),
        ];
        for (name, input, want) in cases {
            assert_eq!(show(parse_date(input)), *want, "case {name}: {input:?}");
        }
    }

    #[test]
    fn date_from_path_table() {
        let cases: &[(&str, &str, &str)] = &[
            ("file_name_dashed", "2016-12-06-slug.txt", "2016-12-06"),
            ("file_name_compact", "20161206_x.html", "2016-12-06"),
            ("url_slashed_day", "https://example.com/2016/12/06/slug", "2016-12-06"),
            ("url_month_only", "https://example.com/2016/12/slug", "2016-12"),
            ("url_month_then_story_id", "https://example.com/en/2016/12/132377/slug", "2016-12"),
            ("url_month_name", "https://example.com/world/2016/dec/06/slug", "2016-12-06"),
            ("publisher_prefix", "paper_2015-12-22_slug.txt", "2015-12-22"),
            ("long_number_is_not_a_date", "story/1201612061234.html", "none"),
            ("invalid_compact", "19991399.html", "none"),
            ("mixed_separators", "2016-1206.txt", "none"),
            ("no_date", "about/contact.html", "none"),
        ];
        for (name, input, want) in cases {
            assert_eq!(show(date_from_path(input)), *want, "case {name}: {input:?}");
        }
    }

    #[test]
    fn utc_offset_kept_apart_from_the_local_day() {
        let utc = |s: &str| {
            let d = parse_date(s).unwrap();
            (d.display(), d.utc_offset_minutes, d.utc_day().map(|u| u.to_string()))
        };
        let day = |s: &str| Some(s.to_string());
        assert_eq!(
            utc("2016-12-06T23:30:00-05:00"),
            ("2016-12-06".into(), Some(-300), day("2016-12-07"))
        );
        assert_eq!(
            utc("2016-12-06T00:30:00+0530"),
            ("2016-12-06".into(), Some(330), day("2016-12-05"))
        );
        assert_eq!(utc("2016-12-06T12:00:00Z"), ("2016-12-06".into(), Some(0), day("2016-12-06")));
        assert_eq!(
            utc("Tue, 06 Dec 2016 22:00:00 -0800"),
            ("2016-12-06".into(), Some(-480), day("2016-12-07"))
        );
        // No offset, or no time: no UTC day.
        assert_eq!(utc("2016-12-06T23:30:00"), ("2016-12-06".into(), None, None));
        assert_eq!(utc("2016-12-06"), ("2016-12-06".into(), None, None));
        assert_eq!(utc("December 6, 2016 11:30 pm"), ("2016-12-06".into(), None, None));
    }

    #[test]
    fn plausibility_bounds() {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert!(is_plausible(ymd(1800, 1, 1)));
        assert!(!is_plausible(ymd(1799, 12, 31)));
        assert!(is_plausible(Utc::now().date_naive()));
        assert!(!is_plausible(Utc::now().date_naive() + Duration::days(2)));
    }

    #[test]
    fn weird_strings_never_panic() {
        let mut inputs: Vec<String> = [
            "",
            " ",
            "\0",
            "::::",
            "//",
            "--",
            "2016-",
            "-2016-12-06",
            "2016-12-06T",
            "2016-12-06T99:99",
            "2016-12-06T23:59:60Z",
            "4294967296-01-01",
            "12/12/12/12/12",
            "99/99/9999",
            "0/0/0000",
            "Dec Dec Dec",
            "31 Feb 2016",
            "Febr. 2016 99",
            "年月日",
            "9999年99月99日",
            "２０１６年１２月６日",
            "Tue, 99 Dec 2016 14:00:00 +0000",
            "May",
            "1. 2. 3.",
            "Sept.",
            "\u{FFFD}\u{200B}2016",
            "ǅ2016ǅ12ǅ06",
            "12:99 pm December 6, 2016 99:99 pm",
            "December 6, 2016 13:05 pm",
            "99999999999999999999 December 2016",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        inputs.push("9".repeat(500));
        inputs.push("December ".repeat(30));
        inputs.push("é".repeat(101));
        for i in 0..=255u8 {
            inputs.push(format!("{}2016{}12{}06", i as char, i as char, i as char));
        }
        for s in &inputs {
            let _ = parse_date(s);
            let _ = date_from_path(s);
        }
    }
}
