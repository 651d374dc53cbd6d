//! The article model: what every parser produces and every later stage reads.
//!
//! A parser turns the bytes of one file (or one record of a container such as a JSONL line or a
//! WARC record) into an [`Article`]. Each field remembers where it came from ([`FieldSource`]), so
//! `morgue show` can explain why an article got the date or author it has.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

/// The input format an article was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Markdown,
    Html,
    Json,
    Jsonl,
    Warc,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Warc => "warc",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a field's value was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldSource {
    /// A header line of a plain-text article (date line, byline, first line).
    Header,
    /// YAML or TOML front matter.
    FrontMatter,
    /// The file name (for example `2016-12-06-slug.txt`).
    FileName,
    /// A JSON-LD block of an HTML page.
    JsonLd,
    /// A `<meta>` tag, OpenGraph property or microdata.
    Meta,
    /// The page or record URL (for example `/2016/12/06/`).
    Url,
    /// The visible text (an `<h1>`, a `<time>` element, a byline in the body).
    Text,
    /// A field of a JSON or JSONL record.
    Json,
    /// The WARC record header (`WARC-Date`, `WARC-Target-URI`).
    Warc,
}

impl FieldSource {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldSource::Header => "header",
            FieldSource::FrontMatter => "front-matter",
            FieldSource::FileName => "file-name",
            FieldSource::JsonLd => "json-ld",
            FieldSource::Meta => "meta",
            FieldSource::Url => "url",
            FieldSource::Text => "text",
            FieldSource::Json => "json",
            FieldSource::Warc => "warc",
        }
    }

    pub fn parse(s: &str) -> Option<FieldSource> {
        Some(match s {
            "header" => FieldSource::Header,
            "front-matter" => FieldSource::FrontMatter,
            "file-name" => FieldSource::FileName,
            "json-ld" => FieldSource::JsonLd,
            "meta" => FieldSource::Meta,
            "url" => FieldSource::Url,
            "text" => FieldSource::Text,
            "json" => FieldSource::Json,
            "warc" => FieldSource::Warc,
            _ => return None,
        })
    }
}

impl fmt::Display for FieldSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much of a date the source gave: "March 2014" is a month, not March 1st.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    Year,
    Month,
    Day,
}

impl DatePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Year => "year",
            DatePrecision::Month => "month",
            DatePrecision::Day => "day",
        }
    }

    pub fn parse(s: &str) -> Option<DatePrecision> {
        match s {
            "year" => Some(DatePrecision::Year),
            "month" => Some(DatePrecision::Month),
            "day" => Some(DatePrecision::Day),
            _ => None,
        }
    }
}

/// A date as the source wrote it: the first day it covers, how precise it is, and the time of
/// day when the source gave one (local to the source, never converted to UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    /// The first day the date covers (for a month, its first day; for a year, January 1st).
    pub date: NaiveDate,
    pub precision: DatePrecision,
    pub time: Option<NaiveTime>,
    /// The source's offset from UTC in minutes (`-05:00` is -300), when it wrote one with the
    /// time. Kept to tell the UTC day apart; the date and time above are never shifted by it.
    pub utc_offset_minutes: Option<i32>,
}

impl PartialDate {
    pub fn day(date: NaiveDate) -> Self {
        PartialDate { date, precision: DatePrecision::Day, time: None, utc_offset_minutes: None }
    }

    /// The day in UTC, when both the time and the offset are known: `2016-12-06T23:30:00-05:00`
    /// is December 7 in UTC.
    pub fn utc_day(&self) -> Option<NaiveDate> {
        let (time, offset) = (self.time?, self.utc_offset_minutes?);
        let local = self.date.and_time(time);
        Some((local - chrono::Duration::minutes(i64::from(offset))).date())
    }

    /// The date written at its precision: `2016-12-06`, `2014-03` or `2014`.
    pub fn display(&self) -> String {
        match self.precision {
            DatePrecision::Day => self.date.format("%Y-%m-%d").to_string(),
            DatePrecision::Month => self.date.format("%Y-%m").to_string(),
            DatePrecision::Year => self.date.format("%Y").to_string(),
        }
    }
}

/// An article's publication date with where it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleDate {
    pub value: PartialDate,
    pub source: FieldSource,
}

/// One article, as a parser produced it. Extraction (quotes, people, places) reads `body` only,
/// never `footer`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Article {
    pub title: Option<String>,
    pub date: Option<ArticleDate>,
    /// Author names, in byline order.
    pub authors: Vec<String>,
    /// Main text, paragraphs separated by a blank line (`"\n\n"`).
    pub body: String,
    /// A trailing bio, contact or promotion footer, kept apart from the body.
    pub footer: Option<String>,
    /// The outlet or site (a domain or a publisher's name).
    pub source: Option<String>,
    /// The article's URL, where known.
    pub url: Option<String>,
    pub tags: Vec<String>,
    /// Where in its file a record sits (`line 12`, `offset 40960`); `None` for one-article files.
    pub locator: Option<String>,
    /// For each of title, author and source: where its value came from.
    pub provenance: BTreeMap<&'static str, FieldSource>,
    /// The input format.
    pub format: Option<Format>,
}

impl Article {
    /// Set a field's provenance (`"title"`, `"author"`, `"source"`).
    pub fn note_source(&mut self, field: &'static str, source: FieldSource) {
        self.provenance.insert(field, source);
    }
}
