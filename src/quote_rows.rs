//! Quote rows read from fast columns instead of the document store.
//!
//! The document store is zstd-compressed in blocks shared with article bodies, so reading one
//! quote from it decompresses a whole block; a speaker's quotes are spread over the archive, so
//! listing thousands of them decompressed thousands of blocks. Every field a quote is shown with
//! is a fast column instead (`attribution`, `start`, `end`, and the speaker, the quote's text and
//! its article's id, path, date and title together in `quote_row`, so that they cost one
//! dictionary lookup): per segment and per column, the wanted term ordinals are sorted and the
//! column's dictionary is walked once. `quote_row` values start with the speaker, so one
//! person's quotes are neighbours in that dictionary and are read in one sequential pass.

use std::collections::BTreeMap;

use tantivy::{DocAddress, Searcher};

use crate::document::QUOTE_ROW_SEP;
use crate::error::{Error, Result};
use crate::schema::names;
use crate::search::{QuoteHit, QuoteRef};

/// The string columns read, in the order they are read.
const STR_COLUMNS: [&str; 2] = [names::QUOTE_ROW, names::ATTRIBUTION];

/// One quote as read: its `quote_row` value whole (one string, not one per part) and the
/// columns beside it.
#[derive(Debug, Clone, Default)]
pub struct RawQuote {
    row: String,
    attribution: String,
    start: u64,
    end: u64,
}

impl RawQuote {
    /// The quote, its parts borrowed from the row.
    pub fn view(&self) -> QuoteRef<'_> {
        QuoteRef {
            start: self.start,
            end: self.end,
            attribution: &self.attribution,
            ..split_quote_row(&self.row)
        }
    }
}

/// The parts of a `quote_row` value (see [`crate::document::quote_row`]), borrowed from it; an
/// empty speaker, date or title is None. The columns kept outside the row (start, end,
/// attribution) are left empty.
pub fn split_quote_row(value: &str) -> QuoteRef<'_> {
    // The separator is one ASCII byte, never inside another character's UTF-8, so every cut
    // is at a character boundary; memchr finds it many bytes at a time (a row is mostly the
    // quote's text).
    let mut cuts = memchr::memchr_iter(QUOTE_ROW_SEP as u8, value.as_bytes());
    let mut from = 0;
    let mut taken = 0;
    let mut next = || {
        taken += 1;
        let to = if taken < 6 { cuts.next() } else { None }.unwrap_or(value.len());
        let part = value.get(from.min(to)..to).unwrap_or_default();
        from = (to + 1).min(value.len());
        part
    };
    let (speaker, text, article_id, path, date, title) =
        (next(), next(), next(), next(), next(), next());
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
        start: 0,
        end: 0,
        attribution: "",
    }
}

fn set(quote: &mut RawQuote, column: &str, value: &str) {
    match column {
        names::QUOTE_ROW => quote.row = value.to_string(),
        _ => quote.attribution = value.to_string(),
    }
}

/// The quotes at `addrs` (quote documents), in the same order, speakers as stored.
pub fn read(searcher: &Searcher, addrs: &[DocAddress]) -> Result<Vec<QuoteHit>> {
    Ok(read_raw(searcher, addrs)?.iter().map(|q| q.view().to_hit()).collect())
}

/// [`read`] without splitting the rows into strings of their own.
pub fn read_raw(searcher: &Searcher, addrs: &[DocAddress]) -> Result<Vec<RawQuote>> {
    let mut rows = vec![RawQuote::default(); addrs.len()];
    let mut by_segment: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, a) in addrs.iter().enumerate() {
        by_segment.entry(a.segment_ord).or_default().push(i);
    }
    let io = |e: std::io::Error| Error::io("reading quote columns", e);
    for (segment, wanted) in by_segment {
        let fast = searcher.segment_reader(segment).fast_fields();
        for column_name in STR_COLUMNS {
            let Some(column) = fast.str(column_name)? else { continue };
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
                        match std::str::from_utf8(bytes) {
                            Ok(s) => set(&mut rows[i], column_name, s),
                            Err(_) => {
                                set(&mut rows[i], column_name, &String::from_utf8_lossy(bytes))
                            }
                        }
                    }
                })
                .map_err(io)?;
        }
        let (start, end) = (fast.u64(names::START).ok(), fast.u64(names::END).ok());
        for &i in &wanted {
            let doc = addrs[i].doc_id;
            rows[i].start = start.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
            rows[i].end = end.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::quote_row;

    #[test]
    fn quote_row_parts_round_trip_and_never_split_wrongly() {
        let v = quote_row(
            "Jo Ng",
            "We \u{1f}will",
            "ab12",
            "news/a.txt",
            "2016-12",
            "A \u{1f}title: x",
        );
        assert_eq!(
            split_quote_row(&v),
            QuoteRef {
                speaker: Some("Jo Ng"),
                text: "We  will",
                article_id: "ab12",
                path: "news/a.txt",
                date: Some("2016-12"),
                title: Some("A  title: x"),
                start: 0,
                end: 0,
                attribution: "",
            }
        );
        let accented_row = quote_row("Zoë Núñez", "“Sí”", "ab12", "é.txt", "", "Ça");
        let accented = split_quote_row(&accented_row);
        assert_eq!(
            (accented.speaker, accented.text, accented.path),
            (Some("Zoë Núñez"), "“Sí”", "é.txt")
        );
        assert_eq!(accented.title, Some("Ça"));
        // Rows cut short or with more separators than parts split as `splitn(6, ..)` would.
        for row in
            ["", "a", "a\u{1f}", "\u{1f}\u{1f}", "a\u{1f}b\u{1f}c\u{1f}d\u{1f}e\u{1f}f\u{1f}g"]
        {
            let mut parts = row.splitn(6, QUOTE_ROW_SEP);
            let mut next = || parts.next().unwrap_or_default();
            let want = (next(), next(), next(), next(), next(), next());
            let q = split_quote_row(row);
            let got = (
                q.speaker.unwrap_or(""),
                q.text,
                q.article_id,
                q.path,
                q.date.unwrap_or(""),
                q.title.unwrap_or(""),
            );
            assert_eq!(got, want, "{row:?}");
        }
        let undated_row = quote_row("", "Yes.", "ab12", "a.txt", "", "");
        let undated = split_quote_row(&undated_row);
        assert_eq!(
            (undated.speaker, undated.text, undated.date, undated.title),
            (None, "Yes.", None, None)
        );
    }
}
