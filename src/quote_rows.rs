//! Quote rows read from a fast column instead of the document store.
//!
//! The document store is zstd-compressed in blocks shared with article bodies, so reading one
//! quote from it decompresses a whole block; a speaker's quotes are spread over the archive, so
//! listing thousands of them decompressed thousands of blocks. Every part a quote is shown with
//! (the speaker, its article's date, id, path and title, the quote's text, how the speaker was
//! found and where the quote stands in the body) is in one value of the `quote_row` column
//! instead, so that a quote costs one lookup in one column: per segment, the wanted documents'
//! term ordinals are read in document order, sorted, and the column's dictionary is walked
//! once. `quote_row` values start with the speaker, so one person's quotes are neighbours in
//! that dictionary and are read in one sequential pass.

use std::collections::BTreeMap;

use tantivy::{DocAddress, Searcher};

use crate::document::QUOTE_ROW_SEP;
use crate::error::{Error, Result};
use crate::schema::names;
use crate::search::{QuoteHit, QuoteRef};

/// The parts of a `quote_row` value: speaker, date, article id, path, title, text,
/// attribution, start, end.
const PARTS: usize = 9;

/// The parts of a `quote_row` value (see [`crate::document::quote_row`]), borrowed from it; an
/// empty speaker, date or title is None, a missing or unreadable offset 0.
pub fn split_quote_row(value: &str) -> QuoteRef<'_> {
    // The separator is one ASCII byte, never inside another character's UTF-8, so every cut
    // is at a character boundary; memchr finds it many bytes at a time (a row is mostly the
    // quote's text).
    let mut cuts = memchr::memchr_iter(QUOTE_ROW_SEP as u8, value.as_bytes());
    let mut from = 0;
    let mut taken = 0;
    let mut next = || {
        taken += 1;
        let to = if taken < PARTS { cuts.next() } else { None }.unwrap_or(value.len());
        let part = value.get(from.min(to)..to).unwrap_or_default();
        from = (to + 1).min(value.len());
        part
    };
    let (speaker, date, article_id, path, title, text) =
        (next(), next(), next(), next(), next(), next());
    let (attribution, start, end) = (next(), next(), next());
    fn some(s: &str) -> Option<&str> {
        (!s.is_empty()).then_some(s)
    }
    QuoteRef {
        speaker: some(speaker),
        text,
        article_id,
        path,
        title: some(title),
        date: some(date),
        start: start.parse().unwrap_or(0),
        end: end.parse().unwrap_or(0),
        attribution,
    }
}

/// The quotes at `addrs` (quote documents), in the same order, speakers as stored.
pub fn read(searcher: &Searcher, addrs: &[DocAddress]) -> Result<Vec<QuoteHit>> {
    Ok(read_raw(searcher, addrs)?.iter().map(|row| split_quote_row(row).to_hit()).collect())
}

/// The `quote_row` values of [`read`], whole (to be split with [`split_quote_row`]); empty for
/// a document without one.
pub fn read_raw(searcher: &Searcher, addrs: &[DocAddress]) -> Result<Vec<String>> {
    let mut rows = vec![String::new(); addrs.len()];
    let mut by_segment: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, a) in addrs.iter().enumerate() {
        by_segment.entry(a.segment_ord).or_default().push(i);
    }
    for (segment, mut wanted) in by_segment {
        let fast = searcher.segment_reader(segment).fast_fields();
        let Some(column) = fast.str(names::QUOTE_ROW)? else { continue };
        // The ordinals are read in document order: one pass forward through the column.
        wanted.sort_unstable_by_key(|&i| addrs[i].doc_id);
        let mut pairs: Vec<(u64, usize)> = wanted
            .iter()
            .filter_map(|&i| column.term_ords(addrs[i].doc_id).next().map(|o| (o, i)))
            .collect();
        pairs.sort_unstable();
        let ords: Vec<u64> = pairs.iter().map(|p| p.0).collect();
        let mut next = pairs.iter();
        column
            .dictionary()
            .sorted_ords_to_term_cb(&ords, |bytes| {
                if let Some(&(_, i)) = next.next() {
                    rows[i] = match std::str::from_utf8(bytes) {
                        Ok(s) => s.to_string(),
                        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
                    };
                }
            })
            .map_err(|e| Error::io("reading the quote column", e))?;
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::quote_row;

    fn quote<'a>(speaker: &'a str, text: &'a str, path: &'a str, title: &'a str) -> QuoteRef<'a> {
        QuoteRef {
            speaker: Some(speaker).filter(|s| !s.is_empty()),
            text,
            article_id: "ab12",
            path,
            date: None,
            title: Some(title).filter(|s| !s.is_empty()),
            start: 0,
            end: 0,
            attribution: "",
        }
    }

    #[test]
    fn quote_row_parts_round_trip_and_never_split_wrongly() {
        let v = quote_row(&QuoteRef {
            date: Some("2016-12"),
            start: 1_234,
            end: 98_765_432_109,
            attribution: "pronoun",
            ..quote("Jo Ng", "We \u{1f}will", "news/a.txt", "A \u{1f}title: x")
        });
        assert_eq!(
            split_quote_row(&v),
            QuoteRef {
                speaker: Some("Jo Ng"),
                text: "We  will",
                article_id: "ab12",
                path: "news/a.txt",
                date: Some("2016-12"),
                title: Some("A  title: x"),
                start: 1_234,
                end: 98_765_432_109,
                attribution: "pronoun",
            }
        );
        let accented = quote("Zoë Núñez", "“Sí”", "é.txt", "Ça");
        assert_eq!(split_quote_row(&quote_row(&accented)), accented);
        let undated = quote("", "Yes.", "a.txt", "");
        assert_eq!(split_quote_row(&quote_row(&undated)), undated);
        // Rows cut short or with more separators than parts split as `splitn(9, ..)` would.
        for row in [
            "",
            "a",
            "a\u{1f}",
            "\u{1f}\u{1f}",
            "a\u{1f}b\u{1f}c\u{1f}d\u{1f}e\u{1f}f\u{1f}g",
            "a\u{1f}b\u{1f}c\u{1f}d\u{1f}e\u{1f}f\u{1f}g\u{1f}7\u{1f}8\u{1f}9",
        ] {
            let mut parts = row.splitn(PARTS, QUOTE_ROW_SEP);
            let mut next = || parts.next().unwrap_or_default();
            let want = (next(), next(), next(), next(), next(), next(), next(), next(), next());
            let q = split_quote_row(row);
            let got = (
                q.speaker.unwrap_or(""),
                q.date.unwrap_or(""),
                q.article_id,
                q.path,
                q.title.unwrap_or(""),
                q.text,
                q.attribution,
                q.start.to_string(),
                q.end.to_string(),
            );
            let want_start = want.7.parse::<u64>().unwrap_or(0).to_string();
            let want_end = want.8.parse::<u64>().unwrap_or(0).to_string();
            assert_eq!(
                got,
                (want.0, want.1, want.2, want.3, want.4, want.5, want.6, want_start, want_end),
                "{row:?}"
            );
        }
    }

    /// In the column's sorted dictionary a person's quotes from one article are neighbours
    /// (whatever their words), so that the article's parts are written once for them, and the
    /// speaker's quotes stay one run apart from everyone else's.
    #[test]
    fn rows_sort_by_speaker_then_article() {
        let row = |speaker, path, text| quote_row(&quote(speaker, text, path, "T"));
        let mut rows = [
            row("Jo Ng", "b.txt", "All of it."),
            row("Al Bo", "a.txt", "Nothing."),
            row("Jo Ng", "a.txt", "Zero."),
            row("Jo Ng", "b.txt", "Zero as well."),
            row("Jo Ng", "a.txt", "All."),
        ];
        rows.sort();
        let got: Vec<(Option<&str>, &str, &str)> =
            rows.iter().map(|r| split_quote_row(r)).map(|q| (q.speaker, q.path, q.text)).collect();
        assert_eq!(
            got,
            [
                (Some("Al Bo"), "a.txt", "Nothing."),
                (Some("Jo Ng"), "a.txt", "All."),
                (Some("Jo Ng"), "a.txt", "Zero."),
                (Some("Jo Ng"), "b.txt", "All of it."),
                (Some("Jo Ng"), "b.txt", "Zero as well."),
            ]
        );
    }
}
