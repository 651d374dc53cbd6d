//! Run requests against an index: article hits with facet counts, quotes, speakers, one
//! article, index statistics. Every result type is `Serialize`, so the renderers (and any future
//! HTTP API) share them.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector, AggregationLimitsGuard};
use tantivy::collector::{Collector, Count, DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::{Facet, Field, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TokenStream;
use tantivy::{DateTime, DocAddress, Order, Searcher, TantivyDocument};

use crate::document::DateInfo;
use crate::error::{Error, Result};
use crate::facets::FacetCollector;
use crate::query::{self, QuoteRequest, SearchRequest, Sort};
use crate::quote_rows;
use crate::schema::{kinds, names, Fields};
use crate::store::Store;

/// One facet value and how many matching articles have it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Facet counts over all matching articles (not just the page shown).
#[derive(Debug, Clone, Serialize, Default)]
pub struct FacetCounts {
    pub author: Vec<FacetCount>,
    pub person: Vec<FacetCount>,
    pub place: Vec<FacetCount>,
    pub year: Vec<FacetCount>,
    pub month: Vec<FacetCount>,
}

/// One matching article.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub path: String,
    pub title: Option<String>,
    /// `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when the source gave only that; null when undated.
    pub date: Option<String>,
    pub author: Option<String>,
    pub people: Vec<String>,
    pub places: Vec<String>,
    pub score: f32,
    /// A passage of the body with the matched words in `<b>…</b>`.
    pub snippet: String,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub total: u64,
    pub hits: Vec<Hit>,
    pub facets: FacetCounts,
}

/// One quotation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QuoteHit {
    pub speaker: Option<String>,
    pub text: String,
    pub article_id: String,
    pub path: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub start: u64,
    pub end: u64,
    #[serde(skip)]
    pub attribution: String,
}

impl QuoteHit {
    /// The quote as a [`QuoteRef`] borrowing from this one.
    pub fn as_ref(&self) -> QuoteRef<'_> {
        QuoteRef {
            speaker: self.speaker.as_deref(),
            text: &self.text,
            article_id: &self.article_id,
            path: &self.path,
            title: self.title.as_deref(),
            date: self.date.as_deref(),
            start: self.start,
            end: self.end,
            attribution: &self.attribution,
        }
    }
}

/// A quotation whose text is borrowed (from the column value it was read from, see
/// `quote_rows`): what [`quotes_each`] hands out, so that streaming thousands of quotes copies
/// no string. Serializes exactly as [`QuoteHit`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QuoteRef<'a> {
    pub speaker: Option<&'a str>,
    pub text: &'a str,
    pub article_id: &'a str,
    pub path: &'a str,
    pub title: Option<&'a str>,
    pub date: Option<&'a str>,
    pub start: u64,
    pub end: u64,
    #[serde(skip)]
    pub attribution: &'a str,
}

impl QuoteRef<'_> {
    /// The quote with its own copies of the strings.
    pub fn to_hit(&self) -> QuoteHit {
        QuoteHit {
            speaker: self.speaker.map(str::to_string),
            text: self.text.to_string(),
            article_id: self.article_id.to_string(),
            path: self.path.to_string(),
            title: self.title.map(str::to_string),
            date: self.date.map(str::to_string),
            start: self.start,
            end: self.end,
            attribution: self.attribution.to_string(),
        }
    }
}

/// The answer to a [`QuoteRequest`].
#[derive(Debug, Clone, Serialize)]
pub struct QuoteResults {
    pub total: u64,
    pub quotes: Vec<QuoteHit>,
}

/// A speaker with their number of quotes.
#[derive(Debug, Clone, Serialize)]
pub struct SpeakerCount {
    pub speaker: String,
    pub count: u64,
    pub aliases: Vec<String>,
}

fn text_of(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string)
}

fn texts_of(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field).filter_map(|v| v.as_str().map(str::to_string)).collect()
}

fn date_info(doc: &TantivyDocument, f: &Fields) -> Option<DateInfo> {
    text_of(doc, f.date_info).and_then(|s| serde_json::from_str(&s).ok())
}

fn agg_collector(store: &Store, aggs: serde_json::Value) -> Result<AggregationCollector> {
    let req: Aggregations = serde_json::from_value(aggs)?;
    Ok(AggregationCollector::from_aggs(
        req,
        AggContextParams::new(AggregationLimitsGuard::default(), store.index.tokenizers().clone()),
    ))
}

fn buckets(res: &serde_json::Value, name: &str) -> Vec<FacetCount> {
    res.get(name)
        .and_then(|v| v.get("buckets"))
        .and_then(|b| b.as_array())
        .map(|arr| {
            arr.iter()
                .filter_map(|b| {
                    let key = b.get("key")?;
                    let value = match key {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Number(n) => {
                            n.as_f64().map(|x| format!("{}", x as i64))?
                        }
                        _ => return None,
                    };
                    Some(FacetCount { value, count: b.get("doc_count")?.as_u64()? })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Search articles.
pub fn search(store: &Store, req: &SearchRequest) -> Result<SearchResults> {
    let mut hits = Vec::new();
    let (total, facets) = search_each(store, req, &mut |h| {
        hits.push(h);
        Ok(())
    })?;
    Ok(SearchResults { total, hits, facets })
}

/// Search articles, handing each hit of the page to `on_hit` as it is read (an export of the
/// whole archive streams in bounded memory). Returns the total and the facet counts.
pub fn search_each(
    store: &Store,
    req: &SearchRequest,
    on_hit: &mut dyn FnMut(Hit) -> Result<()>,
) -> Result<(u64, FacetCounts)> {
    let f = &store.fields;
    let (q, text_query) = query::build_search(&store.index, f, req)?;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let size = req.facet_size.max(1);
    let facet_collector = FacetCollector {
        text_fields: vec![names::AUTHOR, names::PEOPLE, names::PLACES],
        combined: Some(names::FACET_VALUES),
        number_fields: vec![names::YEAR_MONTH, names::YEAR],
        derived: vec![(names::YEAR, names::YEAR_MONTH, 100)],
        combined_numbers: vec![names::YEAR_MONTH, names::YEAR],
        size,
    };
    let (addrs, total, tallies) = top_docs(
        &searcher,
        &*q,
        req.sort,
        req.limit,
        req.offset,
        facet_collector,
        query::is_match_all(req.query.as_deref()),
    )?;
    let text = |field: &str| -> Vec<FacetCount> {
        tallies
            .top_text(field, size)
            .into_iter()
            .map(|(value, count)| FacetCount { value, count })
            .collect()
    };
    let facets = FacetCounts {
        author: text(names::AUTHOR),
        person: text(names::PEOPLE),
        place: text(names::PLACES),
        year: tallies
            .numbers_desc(names::YEAR)
            .into_iter()
            .map(|(y, count)| FacetCount { value: y.to_string(), count })
            .collect(),
        month: tallies
            .numbers_desc(names::YEAR_MONTH)
            .into_iter()
            .map(|(ym, count)| FacetCount { value: format!("{}-{:02}", ym / 100, ym % 100), count })
            .collect(),
    };
    let snippets = if query::is_match_all(req.query.as_deref()) {
        None
    } else {
        SnippetGenerator::create(&searcher, &*text_query, f.body).ok().map(|mut g| {
            g.set_max_num_chars(200);
            g
        })
    };
    // Each hit's document is read and its snippet made (the body tokenized again) on the thread
    // pool, a chunk at a time, and handed out in order.
    let hit = |&(score, addr): &(f32, DocAddress)| -> Result<Hit> {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let snippet = match &snippets {
            Some(g) => {
                let s = g.snippet_from_doc(&doc).to_html();
                if s.is_empty() {
                    lead(&doc, f)
                } else {
                    s
                }
            }
            None => lead(&doc, f),
        };
        Ok(Hit {
            id: text_of(&doc, f.id).unwrap_or_default(),
            path: text_of(&doc, f.path).unwrap_or_default(),
            title: text_of(&doc, f.title),
            date: date_info(&doc, f).map(|d| d.value),
            author: Some(texts_of(&doc, f.author).join(", ")).filter(|s| !s.is_empty()),
            people: texts_of(&doc, f.people),
            places: texts_of(&doc, f.places),
            score,
            snippet,
        })
    };
    for chunk in addrs.chunks(HIT_CHUNK) {
        let hits: Vec<Result<Hit>> = chunk.par_iter().map(hit).collect();
        for h in hits {
            on_hit(h?)?;
        }
    }
    Ok((total, facets))
}

/// The start of the body, for hits without highlighted words.
fn lead(doc: &TantivyDocument, f: &Fields) -> String {
    let body = text_of(doc, f.body).unwrap_or_default();
    let mut out: String = body.chars().take(200).collect();
    if out.len() < body.len() {
        out.push('…');
    }
    out.replace("\n\n", " ")
}

type Page<F> = (Vec<(f32, DocAddress)>, u64, F);

/// How many hits of a page are read and given snippets together, in parallel.
const HIT_CHUNK: usize = 32;

/// How many quote hits are read from the fast columns together.
const QUOTE_READ_CHUNK: usize = 4096;

/// The page of hits in the requested order, the total, and the aggregations, in one pass.
fn top_docs<C: Collector>(
    searcher: &Searcher,
    q: &dyn Query,
    sort: Sort,
    limit: usize,
    offset: usize,
    aggs: C,
    match_all: bool,
) -> Result<Page<C::Fruit>> {
    let sort = if sort == Sort::Relevance && match_all { Sort::Newest } else { sort };
    // A huge --limit is an export: size the collector by what can match, not by the flag.
    let limit = if limit > 10_000 {
        let total = searcher.search(q, &Count)?;
        limit.min(total.saturating_sub(offset))
    } else {
        limit
    };
    if limit == 0 {
        let (total, agg) = searcher.search(q, &(Count, aggs))?;
        return Ok((Vec::new(), total as u64, agg));
    }
    match sort {
        Sort::Relevance => {
            let (top, total, agg) = searcher.search(
                q,
                &(TopDocs::with_limit(limit).and_offset(offset).order_by_score(), Count, aggs),
            )?;
            Ok((top, total as u64, agg))
        }
        Sort::Newest | Sort::Oldest => {
            let order = if sort == Sort::Newest { Order::Desc } else { Order::Asc };
            let collector = TopDocs::with_limit(limit)
                .and_offset(offset)
                .order_by_fast_field::<DateTime>(crate::schema::names::DATE, order);
            let (top, total, agg) = searcher.search(q, &(collector, Count, aggs))?;
            Ok((top.into_iter().map(|(_, a)| (1.0, a)).collect(), total as u64, agg))
        }
    }
}

/// Tokens of a person's name that identify them: lowercase words without titles.
fn name_tokens(name: &str) -> Vec<String> {
    const TITLES: &[&str] = &[
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sir",
        "dame",
        "prof",
        "sen",
        "senator",
        "rep",
        "gov",
        "governor",
        "president",
        "secretary",
        "minister",
        "mayor",
        "gen",
        "general",
        "judge",
        "rev",
        "lord",
        "lady",
        "pope",
        "king",
        "queen",
        "prince",
        "princess",
        "chancellor",
        "premier",
    ];
    name.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .map(|w| w.to_lowercase())
        .filter(|w| !w.is_empty() && !TITLES.contains(&w.as_str()))
        .collect()
}

/// Speaker values in the index that stand for the person named `name`: every value whose name
/// holds all of `name`'s words, and bare surnames ("Kerry") when exactly one fuller name in the
/// archive ends with that surname and that name matches.
pub fn resolve_speaker(values: &[String], name: &str) -> Vec<String> {
    let want = name_tokens(name);
    let Some(last) = want.last() else { return Vec::new() };
    let full_with_surname: Vec<&String> = values
        .iter()
        .filter(|v| {
            let t = name_tokens(v);
            t.len() > 1 && t.last() == Some(last)
        })
        .collect();
    values
        .iter()
        .filter(|v| {
            let t = name_tokens(v);
            if want.iter().all(|w| t.contains(w)) {
                return true;
            }
            t.len() == 1
                && &t[0] == last
                && full_with_surname.len() == 1
                && want.iter().all(|w| name_tokens(full_with_surname[0]).contains(w))
        })
        .cloned()
        .collect()
}

/// Map each bare-surname speaker value to the one full name it resolves to, if exactly one.
fn surname_map(values: &[String]) -> HashMap<String, String> {
    let mut by_surname: HashMap<String, Vec<&String>> = HashMap::new();
    for v in values {
        let t = name_tokens(v);
        if t.len() > 1 {
            if let Some(last) = t.last() {
                by_surname.entry(last.clone()).or_default().push(v);
            }
        }
    }
    values
        .iter()
        .filter_map(|v| {
            let t = name_tokens(v);
            if t.len() != 1 {
                return None;
            }
            match by_surname.get(&t[0]) {
                Some(full) if full.len() == 1 => Some((v.clone(), full[0].clone())),
                _ => None,
            }
        })
        .collect()
}

/// Every distinct value of a `string` field, read from the term dictionaries (fast: no document
/// is visited); with `containing`, only the values holding that lowercase word somewhere
/// (ignoring case), which is all that resolving one name needs.
fn speaker_terms(
    searcher: &Searcher,
    field: Field,
    containing: Option<&str>,
) -> Result<Vec<String>> {
    let needle = containing.filter(|w| !w.is_empty());
    let keep = |key: &[u8]| match needle {
        None => true,
        Some(w) if w.is_ascii() => {
            key.windows(w.len()).any(|win| win.eq_ignore_ascii_case(w.as_bytes()))
        }
        Some(w) => String::from_utf8_lossy(key).to_lowercase().contains(w),
    };
    let mut values = Vec::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream =
            inverted.terms().stream().map_err(|e| Error::io("reading the speaker names", e))?;
        while stream.advance() {
            let key = stream.key();
            if keep(key) {
                if let Ok(s) = std::str::from_utf8(key) {
                    values.push(s.to_string());
                }
            }
        }
    }
    values.sort_unstable();
    values.dedup();
    Ok(values)
}

/// The speaker values of the quotes whose speaker (or a form of the speaker's name) holds the
/// word `surname`, found through the `speaker_text` index, so the cost follows that person's
/// quotes rather than the number of names in the archive. None when `surname` is not one
/// token of the text analyzer (hyphens, apostrophes): then the term dictionary is scanned.
fn speakers_named(
    store: &Store,
    searcher: &Searcher,
    surname: &str,
) -> Result<Option<Vec<String>>> {
    let f = &store.fields;
    let mut analyzer = crate::schema::text_analyzer();
    let mut tokens = Vec::new();
    analyzer.token_stream(surname).process(&mut |t| tokens.push(t.text.clone()));
    let [token] = tokens.as_slice() else { return Ok(None) };
    let q = query::term_query(f.speaker_text, token);
    let mut values: Vec<String> =
        speaker_values(searcher, &*q)?.into_iter().map(|c| c.value).collect();
    values.sort_unstable();
    Ok(Some(values))
}

/// Every distinct speaker value with its number of quotes, over quotes matching `q` (counted by
/// term ordinal: each matching quote's speaker is visited once, no document is read).
fn speaker_values(searcher: &Searcher, q: &dyn Query) -> Result<Vec<FacetCount>> {
    let every = FacetCollector {
        text_fields: vec![names::SPEAKER],
        combined: None,
        number_fields: vec![],
        derived: vec![],
        combined_numbers: vec![],
        size: usize::MAX,
    };
    let mut tallies = searcher.search(q, &every)?;
    let counts = tallies.text.remove(names::SPEAKER).unwrap_or_default();
    Ok(counts.into_iter().map(|(value, count)| FacetCount { value, count }).collect())
}

/// Search quotes.
pub fn quotes(store: &Store, req: &QuoteRequest) -> Result<QuoteResults> {
    let mut quotes = Vec::new();
    let total = quotes_each(store, req, &mut |q| {
        quotes.push(q.to_hit());
        Ok(())
    })?;
    Ok(QuoteResults { total, quotes })
}

/// Search quotes, handing each one of the page to `on_quote` as it is read. Returns the total.
pub fn quotes_each(
    store: &Store,
    req: &QuoteRequest,
    on_quote: &mut dyn FnMut(&QuoteRef<'_>) -> Result<()>,
) -> Result<u64> {
    let f = &store.fields;
    query::dates::check_range(req.from, req.to)?;
    query::check_page(req.limit, req.offset)?;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let all_quotes = query::kind_query(f, kinds::QUOTE);
    // Naming a speaker needs only the values that hold their surname (the resolution and the
    // surname map below are the same over those as over all values).
    let surname = req.speaker.as_deref().and_then(|n| name_tokens(n).pop());
    let values = match surname.as_deref() {
        Some(s) => match speakers_named(store, &searcher, s)? {
            Some(values) => values,
            None => speaker_terms(&searcher, f.speaker, Some(s))?,
        },
        None => speaker_terms(&searcher, f.speaker, None)?,
    };
    let text = query::parse_text_query(&store.index, req.query.as_deref(), &[f.text], 1.0)?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, all_quotes), (Occur::Must, text)];
    if let Some(name) = &req.speaker {
        let matched = resolve_speaker(&values, name);
        let any: Vec<(Occur, Box<dyn Query>)> =
            matched.iter().map(|v| (Occur::Should, query::term_query(f.speaker, v))).collect();
        if any.is_empty() {
            return Ok(0);
        }
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    if !req.attributions.is_empty() {
        let any: Vec<(Occur, Box<dyn Query>)> = req
            .attributions
            .iter()
            .map(|a| (Occur::Should, query::term_query(f.attribution, a)))
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    if let Some(r) = query::date_range(f.date, req.from, req.to) {
        clauses.push((Occur::Must, r));
    }
    let q = BooleanQuery::new(clauses);
    let sort = match (req.sort, query::is_match_all(req.query.as_deref())) {
        (Sort::Relevance, true) => Sort::Oldest,
        (s, _) => s,
    };
    let (addrs, total, _) = top_docs(&searcher, &q, sort, req.limit, req.offset, Count, false)?;
    let resolve = surname_map(&values);
    // Rows come from fast columns, a chunk at a time (memory stays bounded on exports).
    for chunk in addrs.chunks(QUOTE_READ_CHUNK) {
        let docs: Vec<DocAddress> = chunk.iter().map(|(_, a)| *a).collect();
        for row in quote_rows::read_raw(&searcher, &docs)? {
            let mut q = quote_rows::split_quote_row(&row);
            q.speaker = q.speaker.map(|s| resolve.get(s).map_or(s, String::as_str));
            on_quote(&q)?;
        }
    }
    Ok(total)
}

/// Speakers with quote counts (over quotes matching `query`), bare surnames merged into the one
/// full name they resolve to.
pub fn speakers(
    store: &Store,
    query_text: Option<&str>,
    limit: usize,
) -> Result<Vec<SpeakerCount>> {
    let f = &store.fields;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let all = speaker_terms(&searcher, f.speaker, None)?;
    let resolve = surname_map(&all);
    let text = query::parse_text_query(&store.index, query_text, &[f.text], 1.0)?;
    let q = BooleanQuery::new(vec![
        (Occur::Must, query::kind_query(f, kinds::QUOTE)),
        (Occur::Must, text),
    ]);
    let mut merged: BTreeMap<String, (u64, Vec<String>)> = BTreeMap::new();
    for c in speaker_values(&searcher, &q)? {
        let (name, alias) = match resolve.get(&c.value) {
            Some(full) => (full.clone(), Some(c.value.clone())),
            None => (c.value.clone(), None),
        };
        let e = merged.entry(name).or_default();
        e.0 += c.count;
        e.1.extend(alias);
    }
    let mut list: Vec<SpeakerCount> = merged
        .into_iter()
        .map(|(speaker, (count, aliases))| SpeakerCount { speaker, count, aliases })
        .collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.speaker.cmp(&b.speaker)));
    list.truncate(limit);
    for s in &mut list {
        let q = query::term_query(f.speaker, &s.speaker);
        for (_, addr) in searcher.search(&*q, &TopDocs::with_limit(20).order_by_score())? {
            let doc: TantivyDocument = searcher.doc(addr)?;
            for a in texts_of(&doc, f.speaker_aliases) {
                if a != s.speaker && !s.aliases.contains(&a) {
                    s.aliases.push(a);
                }
            }
        }
        s.aliases.sort();
    }
    Ok(list)
}

/// Every stored field of one article, with its quotes.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub id: String,
    pub path: String,
    pub paths: Vec<String>,
    pub locator: Option<String>,
    pub title: Option<String>,
    pub date: Option<DateInfo>,
    pub authors: Vec<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub format: Option<String>,
    pub tags: Vec<String>,
    pub provenance: serde_json::Value,
    pub people: Vec<crate::document::PersonInfo>,
    pub places: Vec<String>,
    pub quotes: Vec<QuoteView>,
    pub body: String,
    pub footer: Option<String>,
}

/// A quote as `morgue show` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteView {
    pub speaker: Option<String>,
    pub attribution: String,
    pub text: String,
    pub start: u64,
    pub end: u64,
}

/// One article by id or path (absolute, or relative to the current folder).
pub fn show(store: &Store, key: &str) -> Result<ArticleView> {
    let f = &store.fields;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let mut candidates = vec![key.to_string()];
    if let Ok(abs) = std::fs::canonicalize(key) {
        candidates.push(abs.to_string_lossy().into_owned());
    }
    let mut found = None;
    for c in &candidates {
        for field in [f.id, f.path, f.paths] {
            let q = BooleanQuery::new(vec![
                (Occur::Must, query::kind_query(f, kinds::ARTICLE)),
                (Occur::Must, query::term_query(field, c)),
            ]);
            if let Some((_, addr)) =
                searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?.first()
            {
                found = Some(*addr);
                break;
            }
        }
        if found.is_some() {
            break;
        }
    }
    let addr = found.ok_or_else(|| Error::NotFound(key.to_string()))?;
    let doc: TantivyDocument = searcher.doc(addr)?;
    let id = text_of(&doc, f.id).unwrap_or_default();
    let q = BooleanQuery::new(vec![
        (Occur::Must, query::kind_query(f, kinds::QUOTE)),
        (Occur::Must, query::term_query(f.article_id, &id)),
    ]);
    let addrs: Vec<DocAddress> = searcher.search(&q, &DocSetCollector)?.into_iter().collect();
    let mut quotes: Vec<QuoteView> = quote_rows::read(&searcher, &addrs)?
        .into_iter()
        .map(|q| QuoteView {
            speaker: q.speaker,
            attribution: q.attribution,
            text: q.text,
            start: q.start,
            end: q.end,
        })
        .collect();
    quotes.sort_by_key(|q| q.start);
    Ok(ArticleView {
        id,
        path: text_of(&doc, f.path).unwrap_or_default(),
        paths: texts_of(&doc, f.paths),
        locator: text_of(&doc, f.locator),
        title: text_of(&doc, f.title),
        date: date_info(&doc, f),
        authors: texts_of(&doc, f.author),
        source: text_of(&doc, f.source),
        url: text_of(&doc, f.url),
        format: text_of(&doc, f.format),
        tags: texts_of(&doc, f.tags),
        provenance: text_of(&doc, f.provenance)
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or(serde_json::Value::Null),
        people: text_of(&doc, f.people_info)
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default(),
        places: texts_of(&doc, f.places),
        quotes,
        body: text_of(&doc, f.body).unwrap_or_default(),
        footer: text_of(&doc, f.footer),
    })
}

/// What `morgue stats` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub index: String,
    pub articles: u64,
    pub quotes: u64,
    pub files: u64,
    pub undated: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub top_authors: Vec<FacetCount>,
    pub top_people: Vec<FacetCount>,
    pub top_places: Vec<FacetCount>,
    pub years: Vec<FacetCount>,
    pub size_bytes: u64,
    pub schema_version: u32,
    pub extractor_version: Option<u32>,
}

/// Index statistics.
pub fn stats(store: &Store, top: usize) -> Result<Stats> {
    let f = &store.fields;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let articles_q = query::kind_query(f, kinds::ARTICLE);
    let count = |kind: &str| -> Result<u64> {
        Ok(searcher.search(&*query::kind_query(f, kind), &Count)? as u64)
    };
    let undated = {
        let term = tantivy::Term::from_facet(f.published, &Facet::from_path(["undated"]));
        let q = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
        searcher.search(&q, &Count)? as u64
    };
    let aggs = agg_collector(
        store,
        serde_json::json!({
            "author": {"terms": {"field": "author", "size": top}},
            "person": {"terms": {"field": "people", "size": top}},
            "place": {"terms": {"field": "places", "size": top}},
            "year": {"terms": {"field": "year", "size": 1000, "order": {"_key": "asc"}}},
        }),
    )?;
    let agg = serde_json::to_value(searcher.search(&*articles_q, &aggs)?)?;
    let edge = |order: Order| -> Result<Option<String>> {
        let top = searcher.search(
            &*articles_q,
            &TopDocs::with_limit(1)
                .order_by_fast_field::<DateTime>(crate::schema::names::DATE, order),
        )?;
        for (value, addr) in top {
            if value.is_some() {
                let doc: TantivyDocument = searcher.doc(addr)?;
                return Ok(date_info(&doc, f).map(|d| d.value));
            }
        }
        Ok(None)
    };
    Ok(Stats {
        index: store.dir.display().to_string(),
        articles: count(kinds::ARTICLE)?,
        quotes: count(kinds::QUOTE)?,
        files: count(kinds::FILE)?,
        undated,
        first_date: edge(Order::Asc)?,
        last_date: edge(Order::Desc)?,
        top_authors: buckets(&agg, "author"),
        top_people: buckets(&agg, "person"),
        top_places: buckets(&agg, "place"),
        years: buckets(&agg, "year"),
        size_bytes: store.size_on_disk(),
        schema_version: store.schema.version,
        extractor_version: store.commit_info()?.map(|i| i.extractor_version),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn surname_and_full_name_resolve_to_the_same_values() {
        let values = v(&["John Kerry", "Kerry", "Sergey Lavrov", "Mark Toner"]);
        let mut a = resolve_speaker(&values, "Kerry");
        let mut b = resolve_speaker(&values, "John Kerry");
        a.sort();
        b.sort();
        assert_eq!(a, b);
        assert_eq!(a, v(&["John Kerry", "Kerry"]));
        assert_eq!(resolve_speaker(&values, "Secretary Kerry"), v(&["John Kerry", "Kerry"]));
    }

    #[test]
    fn ambiguous_surname_does_not_merge() {
        let values = v(&["John Kerry", "Teresa Heinz Kerry", "Kerry"]);
        assert_eq!(resolve_speaker(&values, "John Kerry"), v(&["John Kerry"]));
        assert!(surname_map(&values).is_empty());
    }
}
