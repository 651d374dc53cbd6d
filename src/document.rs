//! Article + extractions → tantivy documents (pure: no I/O).
//!
//! One article gives one `article` document and one `quote` document per quotation; one file
//! gives one `file` record. See `index-schema/morgue.toml` for every field.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use tantivy::schema::Facet;
use tantivy::{DateTime, TantivyDocument};
use xxhash_rust::xxh3::xxh3_128;

use crate::article::{Article, DatePrecision, PartialDate};
use crate::extract::Extracted;
use crate::schema::{kinds, Fields};
use crate::search::QuoteRef;

/// An article ready to be written: its id, the parsed article and what extraction found.
#[derive(Debug, Clone)]
pub struct PreparedArticle {
    pub id: String,
    pub article: Article,
    pub extracted: Extracted,
}

/// Where an article was found: a file, and the record within it for containers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SourceRef {
    pub path: String,
    pub locator: Option<String>,
}

impl SourceRef {
    /// `path`, or `path#locator` for a record of a container.
    pub fn display(&self) -> String {
        match &self.locator {
            Some(l) => format!("{}#{}", self.path, l),
            None => self.path.clone(),
        }
    }
}

/// A file as last indexed: what the incremental check compares against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    pub path: String,
    pub size: u64,
    pub mtime: i64,
    pub hash: String,
    /// (article id, locator) for every article the file produced.
    pub entries: Vec<(String, Option<String>)>,
}

/// The id of an article: 16 hex digits of a hash over everything that makes up its content, so
/// identical articles at two paths share one id.
pub fn article_id(a: &Article) -> String {
    let mut key = String::with_capacity(a.body.len() + 256);
    for part in [
        a.title.as_deref().unwrap_or(""),
        &a.date.map(|d| d.value.display()).unwrap_or_default(),
        &a.authors.join("\u{1f}"),
        &a.body,
        a.footer.as_deref().unwrap_or(""),
        a.source.as_deref().unwrap_or(""),
        a.url.as_deref().unwrap_or(""),
        &a.tags.join("\u{1f}"),
    ] {
        key.push_str(part);
        key.push('\u{1e}');
    }
    format!("{:016x}", (xxh3_128(key.as_bytes()) >> 64) as u64)
}

/// Hex content hash of a file's bytes.
pub fn bytes_hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxh3_128(bytes))
}

/// Midnight UTC of a day as a tantivy date.
pub fn day_to_tantivy(d: NaiveDate) -> DateTime {
    let secs = d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or(0);
    DateTime::from_timestamp_secs(secs)
}

/// A person as `morgue show` lists them: canonical name, other forms seen, role as written.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PersonInfo {
    pub name: String,
    pub aliases: Vec<String>,
    pub role: Option<String>,
}

/// Stored form of an article's date: what `morgue show` prints.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DateInfo {
    pub value: String,
    pub precision: String,
    pub time: Option<String>,
    /// The source's offset from UTC (`-05:00`), when it gave one with the time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset: Option<String>,
    /// The day in UTC (`2016-12-07`), when time and offset are known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_day: Option<String>,
    pub source: String,
}

/// The stored `date_info` of a date.
fn date_info_json(d: &crate::article::ArticleDate) -> String {
    let v = d.value;
    let info = DateInfo {
        value: v.display(),
        precision: v.precision.as_str().to_string(),
        time: v.time.map(|t| t.format("%H:%M:%S").to_string()),
        utc_offset: v.utc_offset_minutes.map(|m| {
            let sign = if m < 0 { '-' } else { '+' };
            format!("{sign}{:02}:{:02}", m.abs() / 60, m.abs() % 60)
        }),
        utc_day: v.utc_day().map(|d| d.format("%Y-%m-%d").to_string()),
        source: d.source.as_str().to_string(),
    };
    serde_json::to_string(&info).unwrap_or_default()
}

fn add_metadata(doc: &mut TantivyDocument, f: &Fields, p: &PreparedArticle, sources: &[SourceRef]) {
    let a = &p.article;
    doc.add_text(f.article_id, &p.id);
    if let Some(first) = sources.first() {
        doc.add_text(f.path, &first.path);
        if let Some(l) = &first.locator {
            doc.add_text(f.locator, l);
        }
    }
    for s in sources {
        doc.add_text(f.paths, s.display());
    }
    doc.add_text(f.sources, serde_json::to_string(sources).unwrap_or_default());
    if let Some(t) = &a.title {
        doc.add_text(f.title, t);
    }
    for au in &a.authors {
        doc.add_text(f.author, au);
        doc.add_text(f.author_text, au);
    }
    if let Some(d) = &a.date {
        let v = d.value;
        doc.add_date(f.date, day_to_tantivy(v.date));
        doc.add_u64(f.year, year(&v));
        if let Some(ym) = year_month(&v) {
            doc.add_u64(f.year_month, ym);
        }
        doc.add_text(f.date_info, date_info_json(d));
    }
}

/// The `article` document.
pub fn article_doc(f: &Fields, p: &PreparedArticle, sources: &[SourceRef]) -> TantivyDocument {
    let a = &p.article;
    let mut doc = TantivyDocument::default();
    doc.add_text(f.kind, kinds::ARTICLE);
    doc.add_text(f.id, &p.id);
    add_metadata(&mut doc, f, p, sources);
    doc.add_text(f.body, &a.body);
    if let Some(footer) = &a.footer {
        doc.add_text(f.footer, footer);
    }
    let facet = match &a.date {
        Some(d) if d.value.precision >= DatePrecision::Month => Facet::from_path([
            format!("{:04}", d.value.date.year()),
            format!("{:02}", d.value.date.month()),
        ]),
        Some(d) => Facet::from_path([format!("{:04}", d.value.date.year())]),
        None => Facet::from_path(["undated"]),
    };
    doc.add_facet(f.published, facet);
    for person in &p.extracted.people {
        doc.add_text(f.people, &person.name);
        doc.add_text(f.people_text, &person.name);
        for alias in &person.aliases {
            doc.add_text(f.people_text, alias);
        }
    }
    let people_info: Vec<PersonInfo> = p
        .extracted
        .people
        .iter()
        .map(|x| PersonInfo {
            name: x.name.clone(),
            aliases: x.aliases.clone(),
            role: x.role.clone(),
        })
        .collect();
    doc.add_text(f.people_info, serde_json::to_string(&people_info).unwrap_or_default());
    for place in crate::extract::places::distinct(&p.extracted.places) {
        doc.add_text(f.places, place);
    }
    for value in facet_values(p) {
        doc.add_text(f.facet_values, value);
    }
    if let Some(fmt) = a.format {
        doc.add_text(f.format, fmt.as_str());
    }
    if let Some(s) = &a.source {
        doc.add_text(f.source, s);
    }
    if let Some(u) = &a.url {
        doc.add_text(f.url, u);
    }
    for t in &a.tags {
        doc.add_text(f.tags, t);
    }
    let provenance: std::collections::BTreeMap<&str, &str> =
        a.provenance.iter().map(|(k, v)| (*k, v.as_str())).collect();
    doc.add_text(f.provenance, serde_json::to_string(&provenance).unwrap_or_default());
    doc.add_text(f.hash, &p.id);
    doc
}

/// Byte offset → character offset in `text`.
fn char_offset(text: &str, byte: usize) -> u64 {
    let byte = byte.min(text.len());
    let mut b = byte;
    while b > 0 && !text.is_char_boundary(b) {
        b -= 1;
    }
    text[..b].chars().count() as u64
}

/// The `year` value of a date (years before 0 count as 0).
fn year(v: &PartialDate) -> u64 {
    v.date.year().max(0) as u64
}

/// The `year_month` value of a date (YYYYMM), when its month is known.
fn year_month(v: &PartialDate) -> Option<u64> {
    (v.precision >= DatePrecision::Month).then(|| year(v) * 100 + u64::from(v.date.month()))
}

/// The values of the combined facet column: `author`, `people` and `places` values, each as the
/// field name, U+001F and the value, each once (the facet counter relies on that); and the
/// publication date as `year_month` (YYYYMM) where its month is known, as `year` (YYYY)
/// otherwise, the same numbers as those fields' columns. The counter derives the year of a
/// `year_month` value, so the two never count one article twice.
pub fn facet_values(p: &PreparedArticle) -> std::collections::BTreeSet<String> {
    use crate::facets::COMBINED_SEP;
    use crate::schema::names;
    let a = &p.article;
    let mut out = std::collections::BTreeSet::new();
    if let Some(d) = &a.date {
        out.insert(match year_month(&d.value) {
            Some(ym) => format!("{}{COMBINED_SEP}{ym}", names::YEAR_MONTH),
            None => format!("{}{COMBINED_SEP}{}", names::YEAR, year(&d.value)),
        });
    }
    for au in &a.authors {
        out.insert(format!("{}{COMBINED_SEP}{au}", names::AUTHOR));
    }
    for person in &p.extracted.people {
        out.insert(format!("{}{COMBINED_SEP}{}", names::PEOPLE, person.name));
    }
    for place in crate::extract::places::distinct(&p.extracted.places) {
        out.insert(format!("{}{COMBINED_SEP}{place}", names::PLACES));
    }
    out
}

/// One `quote` document per quotation, with what a listing of quotes shows of its article
/// (path, title, date), so listing quotes never reads the article.
pub fn quote_docs(f: &Fields, p: &PreparedArticle, sources: &[SourceRef]) -> Vec<TantivyDocument> {
    let body = &p.article.body;
    p.extracted
        .quotes
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let mut doc = TantivyDocument::default();
            doc.add_text(f.kind, kinds::QUOTE);
            doc.add_text(f.id, format!("{}:{}", p.id, i + 1));
            doc.add_text(f.article_id, &p.id);
            let path = sources.first().map(|s| s.path.as_str()).unwrap_or_default();
            if !path.is_empty() {
                doc.add_text(f.path, path);
            }
            if let Some(d) = &p.article.date {
                doc.add_date(f.date, day_to_tantivy(d.value.date));
            }
            let date = p.article.date.map(|d| d.value.display()).unwrap_or_default();
            let attribution = serde_json::to_value(q.attribution)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let row = QuoteRef {
                speaker: q.speaker.as_deref(),
                text: &q.text,
                article_id: &p.id,
                path,
                title: p.article.title.as_deref(),
                date: (!date.is_empty()).then_some(date.as_str()),
                start: char_offset(body, q.start),
                end: char_offset(body, q.end),
                attribution: &attribution,
            };
            doc.add_text(f.quote_row, quote_row(&row));
            if let Some(name) = &q.speaker {
                doc.add_text(f.speaker, name);
                doc.add_text(f.speaker_text, name);
                if let Some(person) = p.extracted.people.iter().find(|x| &x.name == name) {
                    for alias in &person.aliases {
                        doc.add_text(f.speaker_text, alias);
                        doc.add_text(f.speaker_aliases, alias);
                    }
                }
            }
            doc.add_text(f.text, &q.text);
            let searchable = crate::extract::quotes::searchable_text(&q.text);
            if searchable != q.text {
                doc.add_text(f.text, searchable);
            }
            doc.add_text(f.attribution, attribution);
            doc
        })
        .collect()
}

/// Separates the parts of a quote document's `quote_row` value.
pub const QUOTE_ROW_SEP: char = '\u{1f}';

/// The `quote_row` value: speaker, date, article id, path, title, quote text, attribution,
/// start and end, joined by [`QUOTE_ROW_SEP`] (which is taken out of the parts; an absent
/// speaker, date or title is empty). The speaker comes first so that the column's sorted
/// dictionary keeps each person's quotes together; the article's parts come next, so that the
/// quotes of one person in one article are neighbours there too and the dictionary, which
/// writes each value as the bytes it does not share with the one before, holds their article's
/// date, id, path and title once. `quote_rows::split_quote_row` reads it back.
pub fn quote_row(q: &QuoteRef<'_>) -> String {
    let parts = [
        q.speaker.unwrap_or_default(),
        q.date.unwrap_or_default(),
        q.article_id,
        q.path,
        q.title.unwrap_or_default(),
        q.text,
        q.attribution,
    ];
    let mut row = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum::<usize>() + 24);
    for part in parts {
        for (i, piece) in part.split(QUOTE_ROW_SEP).enumerate() {
            if i > 0 {
                row.push(' ');
            }
            row.push_str(piece);
        }
        row.push(QUOTE_ROW_SEP);
    }
    use std::fmt::Write;
    let _ = write!(row, "{}{QUOTE_ROW_SEP}{}", q.start, q.end);
    row
}

/// The `file` record of an indexed file.
pub fn file_doc(f: &Fields, rec: &FileRecord) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.kind, kinds::FILE);
    doc.add_text(f.id, file_record_id(&rec.path));
    doc.add_text(f.path, &rec.path);
    doc.add_u64(f.file_size, rec.size);
    doc.add_i64(f.file_mtime, rec.mtime);
    doc.add_text(f.hash, &rec.hash);
    let state = serde_json::json!({ "hash": rec.hash, "entries": rec.entries });
    doc.add_text(f.file_entries, state.to_string());
    doc
}

/// The `id` of a file record (distinct from every article id).
pub fn file_record_id(path: &str) -> String {
    format!("file:{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_articles_share_an_id_and_different_ones_do_not() {
        let a = Article { title: Some("T".into()), body: "B".into(), ..Default::default() };
        let mut b = a.clone();
        assert_eq!(article_id(&a), article_id(&b));
        b.body.push('!');
        assert_ne!(article_id(&a), article_id(&b));
        assert_eq!(article_id(&a).len(), 16);
    }

    #[test]
    fn char_offsets_count_characters_not_bytes() {
        assert_eq!(char_offset("“ab”", 4), 2);
        assert_eq!(char_offset("abc", 99), 3);
    }
}
