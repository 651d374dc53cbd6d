//! `--from` / `--to` values: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, inclusive at both ends
//! (`--to 2016` ends on 2016-12-31).

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, Result};

/// The earliest and latest years a date filter may name: tantivy's date type holds 1677–2262.
pub const MIN_YEAR: i32 = 1678;
pub const MAX_YEAR: i32 = 2261;

/// Which end of a range a bound is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    From,
    To,
}

/// Parse a `--from`/`--to` value into the first (From) or last (To) day it covers.
pub fn parse_bound(value: &str, end: End) -> Result<NaiveDate> {
    let flag = if end == End::From { "--from" } else { "--to" };
    let bad = || {
        Error::Usage(format!(
            "{flag} {value:?}: expected YYYY, YYYY-MM or YYYY-MM-DD (for example 2016, 2016-12 or 2016-12-06)"
        ))
    };
    let parts: Vec<&str> = value.trim().split('-').collect();
    if parts.is_empty()
        || parts.len() > 3
        || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    if parts[0].len() != 4 || parts.iter().skip(1).any(|p| p.len() > 2) {
        return Err(bad());
    }
    let year: i32 = parts[0].parse().map_err(|_| bad())?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(Error::Usage(format!(
            "{flag} {value}: the index holds dates from {MIN_YEAR} to {MAX_YEAR}"
        )));
    }
    let month: u32 = match parts.get(1) {
        Some(m) => m.parse().map_err(|_| bad())?,
        None => {
            if end == End::From {
                1
            } else {
                12
            }
        }
    };
    if !(1..=12).contains(&month) {
        return Err(Error::Usage(format!("{flag} {value}: month {month} is not 1–12")));
    }
    match parts.get(2) {
        Some(d) => {
            let day: u32 = d.parse().map_err(|_| bad())?;
            NaiveDate::from_ymd_opt(year, month, day)
                .ok_or_else(|| Error::Usage(format!("{flag} {value}: no such day")))
        }
        None if end == End::From => NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad),
        None => last_day_of_month(year, month).ok_or_else(bad),
    }
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

/// Check that `from` is not after `to`.
pub fn check_range(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<()> {
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(Error::Usage(format!(
                "--from {f} is after --to {t}: nothing can match; swap them"
            )));
        }
    }
    Ok(())
}

/// The year of a date (for messages and facets).
pub fn year_of(d: NaiveDate) -> i32 {
    d.year()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn bounds_cover_whole_periods() {
        let cases = [
            ("year_from", "2016", End::From, "2016-01-01"),
            ("year_to", "2016", End::To, "2016-12-31"),
            ("month_from", "2016-02", End::From, "2016-02-01"),
            ("month_to_leap", "2016-02", End::To, "2016-02-29"),
            ("month_to_december", "2016-12", End::To, "2016-12-31"),
            ("day", "2016-12-06", End::To, "2016-12-06"),
        ];
        for (name, input, end, want) in cases {
            assert_eq!(parse_bound(input, end).unwrap(), d(want), "{name}");
        }
    }

    #[test]
    fn bad_values_are_clear_errors() {
        for input in
            ["16", "2016-13", "2016-02-30", "99999-01-01", "0000-00-00", "abc", "2016/12", ""]
        {
            let err = parse_bound(input, End::From).unwrap_err();
            assert!(err.is_user_error(), "{input}: {err}");
        }
        assert!(parse_bound("1500", End::From).unwrap_err().to_string().contains("1678"));
    }

    #[test]
    fn from_after_to_is_refused() {
        assert!(check_range(Some(d("2017-01-01")), Some(d("2016-12-31"))).is_err());
        assert!(check_range(Some(d("2016-01-01")), Some(d("2016-01-01"))).is_ok());
    }
}
