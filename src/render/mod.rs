//! Results → text for people (`table`) or programs (`json`, `jsonl`, `csv`).
//!
//! `jsonl` writes one object per line and nothing else: article hits for `search`, quotes for
//! `quotes`, speakers for `speakers`. `json` writes the whole result as one document.

use std::io::{self, Write};

use serde::Serialize;

use crate::indexer::IndexSummary;
use crate::search::{
    ArticleView, FacetCount, QuoteHit, QuoteRef, QuoteResults, SearchResults, SpeakerCount, Stats,
};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    #[default]
    Table,
    Json,
    Jsonl,
    Csv,
}

fn json_line<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

fn pretty<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// Strip the `<b>` marks of a snippet (and unescape what tantivy escaped) for plain text.
pub fn plain_snippet(html: &str, bold: bool) -> String {
    let (on, off) = if bold { ("\x1b[1m", "\x1b[0m") } else { ("", "") };
    html.replace("<b>", on)
        .replace("</b>", off)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

fn csv_writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::Writer::from_writer(out)
}

fn csv_err(e: csv::Error) -> io::Error {
    io::Error::other(e)
}

fn facet_line(name: &str, counts: &[FacetCount]) -> String {
    let items: Vec<String> = counts.iter().map(|c| format!("{} ({})", c.value, c.count)).collect();
    format!("{name:>7}: {}", items.join(", "))
}

/// `morgue search` output.
pub fn search(
    res: &SearchResults,
    fmt: OutputFormat,
    out: &mut dyn Write,
    color: bool,
) -> io::Result<()> {
    match fmt {
        OutputFormat::Json => pretty(out, res),
        OutputFormat::Jsonl | OutputFormat::Csv => {
            stream_all(fmt, out, HIT_COLUMNS, res.hits.iter(), hit_row)
        }
        OutputFormat::Table => {
            writeln!(
                out,
                "{} matching article{}",
                res.total,
                if res.total == 1 { "" } else { "s" }
            )?;
            for h in &res.hits {
                writeln!(out)?;
                let title = h.title.as_deref().unwrap_or("(untitled)");
                let title =
                    if color { format!("\x1b[1m{title}\x1b[0m") } else { title.to_string() };
                writeln!(out, "{}  {}", h.date.as_deref().unwrap_or("undated   "), title)?;
                writeln!(
                    out,
                    "    {}  [{}]  {}",
                    h.author.as_deref().unwrap_or("-"),
                    h.id,
                    h.path
                )?;
                writeln!(out, "    {}", plain_snippet(&h.snippet, color))?;
            }
            if res.total > 0 {
                writeln!(out)?;
                let f = &res.facets;
                for (name, counts) in [
                    ("author", &f.author),
                    ("person", &f.person),
                    ("place", &f.place),
                    ("year", &f.year),
                ] {
                    if !counts.is_empty() {
                        writeln!(out, "{}", facet_line(name, counts))?;
                    }
                }
            }
            Ok(())
        }
    }
}

/// `morgue quotes` output.
pub fn quotes(
    res: &QuoteResults,
    fmt: OutputFormat,
    out: &mut dyn Write,
    color: bool,
) -> io::Result<()> {
    match fmt {
        OutputFormat::Json => pretty(out, res),
        OutputFormat::Jsonl | OutputFormat::Csv => {
            stream_all(fmt, out, QUOTE_COLUMNS, res.quotes.iter(), quote_row)
        }
        OutputFormat::Table => {
            writeln!(out, "{} matching quote{}", res.total, if res.total == 1 { "" } else { "s" })?;
            for q in &res.quotes {
                let speaker = q.speaker.as_deref().unwrap_or("(unknown speaker)");
                let speaker =
                    if color { format!("\x1b[1m{speaker}\x1b[0m") } else { speaker.to_string() };
                writeln!(out)?;
                writeln!(
                    out,
                    "{}  {} ({})",
                    q.date.as_deref().unwrap_or("undated"),
                    speaker,
                    q.attribution
                )?;
                writeln!(out, "    “{}”", q.text)?;
                writeln!(
                    out,
                    "    — {}  [{}]  {}",
                    q.title.as_deref().unwrap_or("(untitled)"),
                    q.article_id,
                    q.path
                )?;
            }
            Ok(())
        }
    }
}

/// `morgue speakers` output.
pub fn speakers(list: &[SpeakerCount], fmt: OutputFormat, out: &mut dyn Write) -> io::Result<()> {
    match fmt {
        OutputFormat::Json => pretty(out, &list),
        OutputFormat::Jsonl => list.iter().try_for_each(|s| json_line(out, s)),
        OutputFormat::Csv => {
            let mut w = csv_writer(out);
            w.write_record(["speaker", "count", "aliases"]).map_err(csv_err)?;
            for s in list {
                w.write_record([s.speaker.as_str(), &s.count.to_string(), &s.aliases.join("; ")])
                    .map_err(csv_err)?;
            }
            w.flush()
        }
        OutputFormat::Table => {
            for s in list {
                let aliases = if s.aliases.is_empty() {
                    String::new()
                } else {
                    format!("  (also: {})", s.aliases.join(", "))
                };
                writeln!(out, "{:>6}  {}{}", s.count, s.speaker, aliases)?;
            }
            Ok(())
        }
    }
}

/// `morgue show` output.
pub fn article(a: &ArticleView, fmt: OutputFormat, out: &mut dyn Write) -> io::Result<()> {
    match fmt {
        OutputFormat::Json | OutputFormat::Jsonl => pretty(out, a),
        OutputFormat::Csv | OutputFormat::Table => {
            let prov = |field: &str| {
                a.provenance
                    .get(field)
                    .and_then(|v| v.as_str())
                    .map(|s| format!(" (from {s})"))
                    .unwrap_or_default()
            };
            writeln!(out, "id:       {}", a.id)?;
            writeln!(
                out,
                "title:    {}{}",
                a.title.as_deref().unwrap_or("(untitled)"),
                prov("title")
            )?;
            match &a.date {
                Some(d) => writeln!(
                    out,
                    "date:     {} ({} precision{}, from {})",
                    d.value,
                    d.precision,
                    d.time.as_deref().map(|t| format!(", time {t}")).unwrap_or_default()
                        + &d.utc_offset.as_deref().map(|o| format!(" {o}")).unwrap_or_default(),
                    d.source
                )?,
                None => writeln!(out, "date:     undated")?,
            }
            writeln!(
                out,
                "author:   {}{}",
                if a.authors.is_empty() { "-".to_string() } else { a.authors.join(", ") },
                prov("author")
            )?;
            writeln!(out, "source:   {}{}", a.source.as_deref().unwrap_or("-"), prov("source"))?;
            if let Some(u) = &a.url {
                writeln!(out, "url:      {u}")?;
            }
            writeln!(out, "format:   {}", a.format.as_deref().unwrap_or("-"))?;
            writeln!(out, "path:     {}", a.path)?;
            for p in a.paths.iter().skip(1) {
                writeln!(out, "also at:  {p}")?;
            }
            if !a.tags.is_empty() {
                writeln!(out, "tags:     {}", a.tags.join(", "))?;
            }
            let people: Vec<String> = a
                .people
                .iter()
                .map(|p| match &p.role {
                    Some(role) => format!("{} ({role})", p.name),
                    None => p.name.clone(),
                })
                .collect();
            writeln!(out, "people:   {}", people.join(", "))?;
            writeln!(out, "places:   {}", a.places.join(", "))?;
            writeln!(out, "quotes:   {}", a.quotes.len())?;
            for q in &a.quotes {
                writeln!(
                    out,
                    "  - {} [{}] “{}”",
                    q.speaker.as_deref().unwrap_or("(unknown)"),
                    q.attribution,
                    q.text
                )?;
            }
            writeln!(out, "\n{}", a.body)?;
            if let Some(footer) = &a.footer {
                writeln!(
                    out,
                    "\n--- footer (not searched for quotes, people or places) ---\n{footer}"
                )?;
            }
            Ok(())
        }
    }
}

/// `morgue stats` output.
pub fn stats(s: &Stats, fmt: OutputFormat, out: &mut dyn Write) -> io::Result<()> {
    match fmt {
        OutputFormat::Table | OutputFormat::Csv => {
            writeln!(out, "index:     {}", s.index)?;
            writeln!(out, "articles:  {}", s.articles)?;
            writeln!(out, "quotes:    {}", s.quotes)?;
            writeln!(out, "files:     {}", s.files)?;
            writeln!(
                out,
                "dates:     {} to {} ({} undated)",
                s.first_date.as_deref().unwrap_or("-"),
                s.last_date.as_deref().unwrap_or("-"),
                s.undated
            )?;
            writeln!(out, "size:      {:.1} MB", s.size_bytes as f64 / 1e6)?;
            for (name, counts) in [
                ("authors", &s.top_authors),
                ("people", &s.top_people),
                ("places", &s.top_places),
                ("years", &s.years),
            ] {
                writeln!(out, "{}", facet_line(name, counts))?;
            }
            Ok(())
        }
        _ => pretty(out, s),
    }
}

/// The summary of `morgue index`.
pub fn summary(
    s: &IndexSummary,
    fmt: OutputFormat,
    out: &mut dyn Write,
    show_failures: usize,
) -> io::Result<()> {
    match fmt {
        OutputFormat::Table | OutputFormat::Csv => {
            writeln!(
                out,
                "scanned {}, added {}, updated {}, removed {}, unchanged {}, duplicate {}, failed {}{} in {:.1}s",
                s.scanned,
                s.added,
                s.updated,
                s.removed,
                s.unchanged,
                s.duplicate,
                s.failed,
                if s.failed_records > 0 { format!(" (+{} bad records)", s.failed_records) } else { String::new() },
                s.seconds
            )?;
            writeln!(out, "index holds {} articles and {} quotes", s.articles, s.quotes)?;
            if s.reextracted {
                writeln!(
                    out,
                    "extraction rules changed since the last run: every article was re-extracted"
                )?;
            }
            let n = s.failures.len();
            for f in s.failures.iter().take(show_failures) {
                writeln!(out, "  failed: {}: {}", f.path, f.reason)?;
            }
            if n > show_failures {
                writeln!(out, "  … and {} more (--verbose lists all)", n - show_failures)?;
            }
            Ok(())
        }
        _ => pretty(out, s),
    }
}

/// Streaming output of hits, one at a time, for exports (`jsonl` and `csv` only).
pub struct HitStream<'a> {
    fmt: OutputFormat,
    csv: Option<csv::Writer<&'a mut dyn Write>>,
    out: Option<&'a mut dyn Write>,
    /// One JSON line, serialized here first: through `&mut dyn Write` every piece of a line
    /// (each key, quote mark and escaped run) would be a call of its own.
    line: Vec<u8>,
}

impl<'a> HitStream<'a> {
    /// `None` unless `fmt` is `jsonl` or `csv`. `header` names the CSV columns.
    pub fn new(
        fmt: OutputFormat,
        out: &'a mut dyn Write,
        header: &[&str],
    ) -> io::Result<Option<Self>> {
        match fmt {
            OutputFormat::Jsonl => {
                Ok(Some(HitStream { fmt, csv: None, out: Some(out), line: Vec::new() }))
            }
            OutputFormat::Csv => {
                let mut w = csv_writer(out);
                w.write_record(header).map_err(csv_err)?;
                Ok(Some(HitStream { fmt, csv: Some(w), out: None, line: Vec::new() }))
            }
            _ => Ok(None),
        }
    }

    /// Write one item: as a JSON line, or as the CSV row that `row` makes of it (called only
    /// for CSV, so JSON lines copy nothing).
    pub fn write<T: JsonLine>(
        &mut self,
        item: &T,
        row: impl FnOnce(&T) -> Vec<String>,
    ) -> io::Result<()> {
        match (self.fmt, &mut self.out, &mut self.csv) {
            (OutputFormat::Jsonl, Some(out), _) => {
                self.line.clear();
                item.write_json(&mut self.line)?;
                self.line.push(b'\n');
                out.write_all(&self.line)
            }
            (_, _, Some(w)) => w.write_record(row(item)).map_err(csv_err),
            _ => Ok(()),
        }
    }

    pub fn finish(mut self) -> io::Result<()> {
        if let Some(w) = &mut self.csv {
            w.flush()?;
        }
        if let Some(out) = &mut self.out {
            out.flush()?;
        }
        Ok(())
    }
}

/// An item of a JSON lines stream. serde_json writes it unless the type writes the same bytes
/// faster itself: a speaker's every quote is megabytes of strings, and serde_json inspects them
/// one byte at a time for characters to escape.
pub trait JsonLine: Serialize {
    /// Append the item's JSON (no newline) to `out`.
    fn write_json(&self, out: &mut Vec<u8>) -> io::Result<()> {
        serde_json::to_writer(out, self).map_err(io::Error::from)
    }
}

impl JsonLine for crate::search::Hit {}

impl JsonLine for QuoteHit {
    fn write_json(&self, out: &mut Vec<u8>) -> io::Result<()> {
        self.as_ref().write_json(out)
    }
}

/// The same bytes as serde_json's derived `Serialize` of [`QuoteRef`] (a test holds them equal).
impl JsonLine for QuoteRef<'_> {
    fn write_json(&self, out: &mut Vec<u8>) -> io::Result<()> {
        let fields: [(&[u8], Option<&str>); 6] = [
            (b"{\"speaker\":", self.speaker),
            (b",\"text\":", Some(self.text)),
            (b",\"article_id\":", Some(self.article_id)),
            (b",\"path\":", Some(self.path)),
            (b",\"title\":", self.title),
            (b",\"date\":", self.date),
        ];
        for (key, value) in fields {
            out.extend_from_slice(key);
            json_opt_str(out, value)?;
        }
        write!(out, ",\"start\":{},\"end\":{}}}", self.start, self.end)
    }
}

/// Whether JSON needs any byte of `s` escaped (a control character, `"` or `\\`), as serde_json
/// decides it. Checked 32 bytes at a time, without a branch per byte inside a chunk.
fn needs_escape(s: &[u8]) -> bool {
    s.chunks(32)
        .any(|c| c.iter().fold(false, |acc, &b| acc | (b < 0x20) | (b == b'"') | (b == b'\\')))
}

/// `s` as a JSON string: copied between quote marks when nothing needs escaping, else by serde_json.
fn json_str(out: &mut Vec<u8>, s: &str) -> io::Result<()> {
    if needs_escape(s.as_bytes()) {
        return serde_json::to_writer(out, s).map_err(io::Error::from);
    }
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
    Ok(())
}

fn json_opt_str(out: &mut Vec<u8>, s: Option<&str>) -> io::Result<()> {
    match s {
        Some(s) => json_str(out, s),
        None => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

/// Write items as JSON lines or CSV rows through a [`HitStream`].
fn stream_all<'a, T: JsonLine + 'a>(
    fmt: OutputFormat,
    out: &mut dyn Write,
    header: &[&str],
    items: impl Iterator<Item = &'a T>,
    row: impl Fn(&T) -> Vec<String>,
) -> io::Result<()> {
    if let Some(mut stream) = HitStream::new(fmt, out, header)? {
        for item in items {
            stream.write(item, &row)?;
        }
        stream.finish()?;
    }
    Ok(())
}

/// The CSV columns of an article hit.
pub const HIT_COLUMNS: &[&str] =
    &["id", "date", "title", "author", "path", "score", "people", "places", "snippet"];

/// The CSV row of an article hit.
pub fn hit_row(h: &crate::search::Hit) -> Vec<String> {
    vec![
        h.id.clone(),
        h.date.clone().unwrap_or_default(),
        h.title.clone().unwrap_or_default(),
        h.author.clone().unwrap_or_default(),
        h.path.clone(),
        format!("{:.3}", h.score),
        h.people.join("; "),
        h.places.join("; "),
        plain_snippet(&h.snippet, false),
    ]
}

/// The CSV columns of a quote.
pub const QUOTE_COLUMNS: &[&str] =
    &["date", "speaker", "text", "article_id", "path", "title", "start", "end"];

/// The CSV row of a quote.
pub fn quote_row(q: &crate::search::QuoteHit) -> Vec<String> {
    quote_ref_row(&q.as_ref())
}

/// The CSV row of a borrowed quote (as [`crate::search::quotes_each`] hands them out).
pub fn quote_ref_row(q: &crate::search::QuoteRef<'_>) -> Vec<String> {
    vec![
        q.date.unwrap_or_default().to_string(),
        q.speaker.unwrap_or_default().to_string(),
        q.text.to_string(),
        q.article_id.to_string(),
        q.path.to_string(),
        q.title.unwrap_or_default().to_string(),
        q.start.to_string(),
        q.end.to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::QuoteHit;

    fn hits() -> Vec<QuoteHit> {
        let q = |speaker: &str, text: &str, start| QuoteHit {
            speaker: Some(speaker.into()),
            text: text.into(),
            article_id: "ab12".into(),
            path: "news/a.txt".into(),
            date: Some("2016-12-06".into()),
            start,
            end: start + 10,
            ..Default::default()
        };
        vec![q("Jo Ng", "We \"will\" act,\nnow.", 3), q("Zoë Núñez", "“Sí”", 40)]
    }

    #[test]
    fn jsonl_writes_one_parseable_line_per_item_and_builds_no_csv_row() {
        let hits = hits();
        let mut out = Vec::new();
        let rows = std::cell::Cell::new(0);
        let mut stream =
            HitStream::new(OutputFormat::Jsonl, &mut out, QUOTE_COLUMNS).unwrap().unwrap();
        for h in &hits {
            stream
                .write(h, |q| {
                    rows.set(rows.get() + 1);
                    quote_row(q)
                })
                .unwrap();
        }
        stream.finish().unwrap();
        assert_eq!(rows.get(), 0, "a CSV row was built for JSON lines");
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        for (line, h) in lines.iter().zip(&hits) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(v, serde_json::to_value(h).unwrap());
        }
    }

    #[test]
    fn a_borrowed_quote_renders_as_its_owned_copy() {
        for h in hits().iter().chain([&QuoteHit::default()]) {
            let r = h.as_ref();
            assert_eq!(serde_json::to_string(&r).unwrap(), serde_json::to_string(h).unwrap());
            assert_eq!(quote_ref_row(&r), quote_row(h));
            assert_eq!(serde_json::to_value(r.to_hit()).unwrap(), serde_json::to_value(h).unwrap());
        }
    }

    #[test]
    fn a_quote_writes_the_json_serde_writes() {
        // Strings from pieces that need escaping and pieces that do not, at lengths around the
        // 32-byte chunks the check reads; every field absent or present.
        let plain = ["plain words ", "\u{7f}", "“Sí”", "é", " ", "\u{20}"];
        let escapes = ["\"", "\\", "\n", "\u{1}", "\u{1f}"];
        let mut seed = 11u64;
        let mut next = move |m: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        let mut text = || {
            let mut t = String::new();
            for _ in 0..next(12) {
                if next(30) == 0 {
                    t.push_str(escapes[next(escapes.len() as u64) as usize]);
                } else {
                    t.push_str(plain[next(plain.len() as u64) as usize]);
                }
                for _ in 0..next(40) {
                    t.push('a');
                }
            }
            t
        };
        let mut escaped = 0;
        for case in 0..500 {
            let strings: Vec<String> = (0..6).map(|_| text()).collect();
            let q = QuoteRef {
                speaker: (case % 3 != 0).then_some(strings[0].as_str()),
                text: &strings[1],
                article_id: &strings[2],
                path: &strings[3],
                title: (case % 4 != 1).then_some(strings[4].as_str()),
                date: (case % 5 != 2).then_some(strings[5].as_str()),
                start: case * 7919,
                end: u64::MAX - case,
                attribution: "said",
            };
            let mut ours = Vec::new();
            q.write_json(&mut ours).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), serde_json::to_string(&q).unwrap());
            escaped += usize::from(strings.iter().any(|s| needs_escape(s.as_bytes())));
        }
        assert!(escaped > 100 && escaped < 500, "{escaped} of 500 cases need escaping");
    }

    #[test]
    fn csv_writes_the_header_then_one_row_per_item() {
        let hits = hits();
        let mut out = Vec::new();
        let res = QuoteResults { total: 2, quotes: hits };
        quotes(&res, OutputFormat::Csv, &mut out, false).unwrap();
        let mut r = csv::Reader::from_reader(out.as_slice());
        assert_eq!(r.headers().unwrap().iter().collect::<Vec<_>>(), QUOTE_COLUMNS);
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][2], "We \"will\" act,\nnow.");
        assert_eq!(&rows[1][1], "Zoë Núñez");
        assert_eq!(&rows[1][6], "40");
    }
}
