//! What the user asks for (a [`SearchRequest`] or a [`QuoteRequest`]) turned into tantivy
//! queries. Filters are query objects; the free-text part goes through tantivy's query parser,
//! after checks that keep pathological input from reaching it.
//!
//! Query syntax (tantivy's): words (all must match), `"phrases"`, `AND`/`OR`/`NOT`, `-word`,
//! `field:value` on any indexed field (`title:`, `body:`, `author_text:`, `quotes:`, `source:`),
//! `"phrase prefi"*` prefixes. A query of `*` (or none) matches every article.
//!
//! Limits, each refused with a message naming it: at most [`MAX_QUERY_BYTES`] bytes, parentheses
//! at most [`MAX_QUERY_DEPTH`] deep, no leading wildcard (`*ing`), and `field:*` only on fields
//! with a fast column (such as `year` and `date`).

pub mod dates;

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::query::{
    AllQuery, BooleanQuery, Occur, PhraseQuery, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::query_grammar::{
    Occur as GrammarOccur, UserInputAst, UserInputLeaf, UserInputLiteral,
};
use tantivy::schema::{Field, IndexRecordOption, Schema};
use tantivy::{Index, Term};

use crate::document::day_to_tantivy;
use crate::error::{Error, Result};
use crate::schema::{kinds, text_analyzer, Fields};

/// The longest query string accepted, in bytes. Longer ones could overflow the parser's stack.
pub const MAX_QUERY_BYTES: usize = 1_000;
/// The deepest nesting of parentheses accepted.
pub const MAX_QUERY_DEPTH: usize = 32;
/// The deepest `--offset` accepted. A huge `--limit` is fine (it is an export: the collector is
/// sized by what matches, not by the flag), but paging that deep means holding every hit before
/// the page in memory.
pub const MAX_OFFSET: usize = 10_000_000;
/// The most values a facet may list (`--facets`).
pub const MAX_FACET_VALUES: usize = 10_000;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    Relevance,
    Newest,
    Oldest,
}

/// A search over articles.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub query: Option<String>,
    /// Any of these authors.
    pub authors: Vec<String>,
    /// All of these people.
    pub people: Vec<String>,
    /// All of these places.
    pub places: Vec<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    /// How many values each facet lists.
    pub facet_size: usize,
}

/// A search over quotes.
#[derive(Debug, Clone, Default)]
pub struct QuoteRequest {
    pub query: Option<String>,
    pub speaker: Option<String>,
    /// Only quotes whose speaker was found these ways (`verb`, `pronoun`, `continuation`,
    /// `none`); empty: all.
    pub attributions: Vec<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
}

/// Refuse query strings that are too long or too deeply nested before tantivy sees them.
pub fn check_query(q: &str) -> Result<()> {
    if q.len() > MAX_QUERY_BYTES {
        return Err(Error::Query(format!(
            "the query is {} bytes long; the limit is {MAX_QUERY_BYTES}",
            q.len()
        )));
    }
    let mut depth = 0usize;
    let mut max = 0usize;
    let mut in_quotes = false;
    for c in q.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            '(' if !in_quotes => {
                depth += 1;
                max = max.max(depth);
            }
            ')' if !in_quotes => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if max > MAX_QUERY_DEPTH {
        return Err(Error::Query(format!(
            "parentheses nest {max} deep; the limit is {MAX_QUERY_DEPTH}"
        )));
    }
    Ok(())
}

/// Refuse wildcards the parser would silently misread: a leading `*` (`*ing` would search for
/// `ing`), and `field:*` on a field without a fast column (which tantivy cannot answer).
pub fn check_wildcards(schema: &Schema, q: &str) -> Result<()> {
    let mut in_quotes = false;
    let mut word = String::new();
    for c in q.chars().chain(std::iter::once(' ')) {
        match c {
            '"' => {
                in_quotes = !in_quotes;
                word.clear();
            }
            _ if in_quotes => {}
            c if c.is_whitespace() || c == '(' || c == ')' => {
                check_wildcard_word(schema, &word)?;
                word.clear();
            }
            c => word.push(c),
        }
    }
    Ok(())
}

fn check_wildcard_word(schema: &Schema, word: &str) -> Result<()> {
    let word = word.trim_start_matches(['+', '-']);
    let (field, value) = match word.split_once(':') {
        Some((f, v)) => (Some(f), v),
        None => (None, word),
    };
    if value.len() > 1 && value.starts_with('*') {
        return Err(Error::Query(format!(
            "{word:?}: leading wildcards are not supported; search for whole words"
        )));
    }
    if let (Some(name), "*") = (field, value) {
        let Ok(f) = schema.get_field(name) else {
            return Err(Error::Query(format!("{word:?}: there is no field {name:?}")));
        };
        if !schema.get_field_entry(f).is_fast() {
            let fast: Vec<&str> = schema
                .fields()
                .filter(|(_, e)| e.is_fast() && e.is_indexed())
                .map(|(_, e)| e.name())
                .collect();
            return Err(Error::Query(format!(
                "{word:?}: `FIELD:*` works only on these fields: {}",
                fast.join(", ")
            )));
        }
    }
    Ok(())
}

/// Refuse pages that start too deep: `--offset` at most [`MAX_OFFSET`]. Any `--limit` is
/// accepted.
pub fn check_page(limit: usize, offset: usize) -> Result<()> {
    match limit.checked_add(offset) {
        Some(_) if offset <= MAX_OFFSET => Ok(()),
        _ => Err(Error::Usage(format!(
            "--offset {offset}: a page can start at most {MAX_OFFSET} hits deep; narrow the \
             search (--from/--to, --author) instead"
        ))),
    }
}

/// Whether a query string asks for everything.
pub fn is_match_all(q: Option<&str>) -> bool {
    q.map(|s| s.trim().is_empty() || s.trim() == "*").unwrap_or(true)
}

/// Parse the free-text part against `default_fields` (the first boosted).
pub fn parse_text_query(
    index: &Index,
    q: Option<&str>,
    default_fields: &[Field],
    boost_first: f32,
) -> Result<Box<dyn Query>> {
    if is_match_all(q) {
        return Ok(Box::new(AllQuery));
    }
    let q = q.unwrap_or_default();
    check_query(q)?;
    check_wildcards(&index.schema(), q)?;
    let mut parser = QueryParser::for_index(index, default_fields.to_vec());
    parser.set_conjunction_by_default();
    if let Some(first) = default_fields.first() {
        parser.set_field_boost(*first, boost_first);
    }
    parser.parse_query(q).map_err(|e| Error::Query(format!("{e} in {q:?}")))
}

/// Whether every document the text query `q` matches must hold one of its words or phrases in
/// one of `text_fields` (the default fields). Only article documents have a title or a body, so
/// then the filter on the article kind is implied, and leaving it out saves intersecting every
/// hit with the posting list of every article (15% of the instructions of a one-word search with
/// facets over 100,000 articles). `false` whenever that cannot be shown from the query's syntax:
/// a match-all, a negation on its own, a range, a set, a regex, another field, or a word that
/// the analyzer turns into no term (the parser drops those).
fn needs_words(index: &Index, text_fields: &[Field], q: Option<&str>) -> bool {
    let Some(q) = q.filter(|q| !is_match_all(Some(q))) else { return false };
    let Ok(ast) = tantivy::query_grammar::parse_query(q) else { return false };
    let schema = index.schema();
    let has_term = |field: Field, phrase: &str| {
        index.tokenizer_for_field(field).is_ok_and(|mut a| a.token_stream(phrase).advance())
    };
    let literal = |lit: &UserInputLiteral| match &lit.field_name {
        None => text_fields.iter().any(|&field| has_term(field, &lit.phrase)),
        Some(name) => schema
            .get_field(name)
            .is_ok_and(|field| text_fields.contains(&field) && has_term(field, &lit.phrase)),
    };
    fn walk(ast: &UserInputAst, literal: &dyn Fn(&UserInputLiteral) -> bool) -> bool {
        match ast {
            UserInputAst::Leaf(leaf) => match &**leaf {
                UserInputLeaf::Literal(lit) => literal(lit),
                _ => false,
            },
            UserInputAst::Boost(inner, _) => walk(inner, literal),
            UserInputAst::Clause(children) => {
                // Words are all required by default (`set_conjunction_by_default`).
                let must = |o: &Option<GrammarOccur>| matches!(o, None | Some(GrammarOccur::Must));
                let should = |o: &Option<GrammarOccur>| matches!(o, Some(GrammarOccur::Should));
                if children.iter().any(|(o, _)| must(o)) {
                    // Every match matches each required part: one with words is enough.
                    children.iter().any(|(o, c)| must(o) && walk(c, literal))
                } else {
                    // Every match matches one of the optional parts: each needs words.
                    children.iter().any(|(o, _)| should(o))
                        && children.iter().filter(|(o, _)| should(o)).all(|(_, c)| walk(c, literal))
                }
            }
        }
    }
    walk(&ast, &literal)
}

/// Documents of one kind.
pub fn kind_query(f: &Fields, kind: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(f.kind, kind), IndexRecordOption::Basic))
}

/// Documents whose tokenized `field` holds `text` as a phrase ("lendman", "John Kerry").
pub fn phrase_query(field: Field, text: &str) -> Option<Box<dyn Query>> {
    let mut analyzer = text_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while stream.advance() {
        terms.push(Term::from_field_text(field, &stream.token().text));
    }
    match terms.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(terms.remove(0), IndexRecordOption::Basic))),
        _ => Some(Box::new(PhraseQuery::new(terms))),
    }
}

/// An exact value of a `string` field.
pub fn term_query(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
}

/// Dates from `from` to `to`, inclusive.
pub fn date_range(
    field: Field,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Option<Box<dyn Query>> {
    use std::ops::Bound;
    if from.is_none() && to.is_none() {
        return None;
    }
    let lo = match from {
        Some(d) => Bound::Included(Term::from_field_date_for_search(field, day_to_tantivy(d))),
        None => Bound::Unbounded,
    };
    let hi = match to.and_then(|d| d.succ_opt()) {
        Some(d) => Bound::Excluded(Term::from_field_date_for_search(field, day_to_tantivy(d))),
        None => Bound::Unbounded,
    };
    Some(Box::new(RangeQuery::new(lo, hi)))
}

/// The whole query for an article search: kind, text, filters.
pub fn build_search(
    index: &Index,
    f: &Fields,
    req: &SearchRequest,
) -> Result<(Box<dyn Query>, Box<dyn Query>)> {
    dates::check_range(req.from, req.to)?;
    check_page(req.limit, req.offset)?;
    if req.facet_size > MAX_FACET_VALUES {
        return Err(Error::Usage(format!(
            "--facets {}: a facet lists at most {MAX_FACET_VALUES} values",
            req.facet_size
        )));
    }
    let text_fields = [f.title, f.body];
    let text = parse_text_query(index, req.query.as_deref(), &text_fields, 2.0)?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text.box_clone())];
    if !needs_words(index, &text_fields, req.query.as_deref()) {
        clauses.push((Occur::Must, kind_query(f, kinds::ARTICLE)));
    }
    if !req.authors.is_empty() {
        let any: Vec<(Occur, Box<dyn Query>)> = req
            .authors
            .iter()
            .filter_map(|a| phrase_query(f.author_text, a))
            .map(|q| (Occur::Should, q))
            .collect();
        if any.is_empty() {
            return Err(Error::Usage(
                "--author: the name has no searchable word (words are letters or digits, at most 40 bytes)".to_string(),
            ));
        }
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    for p in &req.people {
        let q = phrase_query(f.people_text, p)
            .ok_or_else(|| Error::Usage(
                "--person: the name has no searchable word (words are letters or digits, at most 40 bytes)".to_string(),
            ))?;
        clauses.push((Occur::Must, q));
    }
    for p in &req.places {
        if p.trim().is_empty() {
            return Err(Error::Usage("--place needs a place name".to_string()));
        }
        let gaz = crate::extract::places::Gazetteer::global();
        let name = gaz.canonical(p).unwrap_or(p.trim());
        clauses.push((Occur::Must, term_query(f.places, name)));
    }
    if let Some(r) = date_range(f.date, req.from, req.to) {
        clauses.push((Occur::Must, r));
    }
    Ok((Box::new(BooleanQuery::new(clauses)), text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_and_long_queries_are_refused() {
        assert!(check_query(&"(".repeat(40)).is_err());
        assert!(check_query(&"NOT ".repeat(1472)).is_err());
        assert!(check_query("(a AND (b OR c))").is_ok());
        assert!(check_query("\"((((((((((((((((((((((((((((((((((((\"").is_ok());
    }

    #[test]
    fn wildcards_the_parser_would_misread_are_refused() {
        let schema = crate::schema::IndexSchema::builtin().unwrap().schema;
        let cases = [
            ("leading_wildcard", "*ing", false),
            ("double_star", "**", false),
            ("negated_leading_wildcard", "-*ing", false),
            ("leading_wildcard_in_group", "a OR (*ing)", false),
            ("field_leading_wildcard", "title:*own", false),
            ("any_value_of_text_field", "title:*", false),
            ("any_value_of_fast_field", "year:*", true),
            ("lone_star", "*", true),
            ("trailing_star", "river*", true),
            ("star_inside_phrase", "\"*ing\"", true),
            ("phrase_prefix", "\"big bad wo\"*", true),
            ("any_value_of_unknown_field", "nosuch:*", false),
            ("odd_characters_before_colon", "<x:*", false),
        ];
        for (name, q, ok) in cases {
            assert_eq!(check_wildcards(&schema, q).is_ok(), ok, "{name}");
        }
    }

    #[test]
    fn pages_the_collector_cannot_hold_are_refused() {
        let cases = [
            ("default_page", 10, 0, true),
            ("export", 100_000_000, 0, true),
            ("deepest_offset", 10, MAX_OFFSET, true),
            ("too_deep", 10, MAX_OFFSET + 1, false),
            ("huge_limit", usize::MAX, 0, true),
            ("overflowing_sum", usize::MAX, usize::MAX, false),
        ];
        for (name, limit, offset, ok) in cases {
            assert_eq!(check_page(limit, offset).is_ok(), ok, "{name}");
        }
    }

    #[test]
    fn the_article_filter_is_left_out_only_where_words_imply_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open_or_create(dir.path()).unwrap();
        let text_fields = [store.fields.title, store.fields.body];
        let cases = [
            ("word", "council", true),
            ("words", "city council budget", true),
            ("phrase", "\"city council\"", true),
            ("phrase_prefix", "\"city coun\"*", true),
            ("either_word", "police OR court", true),
            ("boosted", "council^3", true),
            ("word_and_negation", "council -police", true),
            ("required_word_and_range", "council AND year:2005", true),
            ("title_field", "title:council", true),
            ("body_field", "body:\"city council\"", true),
            ("match_all", "*", false),
            ("negation_alone", "NOT council", false),
            ("word_or_range", "council OR year:2005", false),
            ("word_or_negation", "police OR NOT court", false),
            ("range", "year:[2005 TO 2007]", false),
            ("other_field", "author_text:diaz", false),
            ("set", "year: IN [2005 2006]", false),
            ("no_term", ",", false),
            ("no_term_and_range", ", AND year:2005", false),
            ("unknown_field", "nosuch:council", false),
        ];
        for (name, q, expected) in cases {
            assert_eq!(needs_words(&store.index, &text_fields, Some(q)), expected, "{name}");
        }
        assert!(!needs_words(&store.index, &text_fields, None));
    }

    #[test]
    fn only_articles_match_whether_or_not_the_filter_is_left_out() {
        use crate::schema::kinds;
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open_or_create(dir.path()).unwrap();
        let f = store.fields;
        let mut w = store.writer(20_000_000).unwrap();
        let day = day_to_tantivy(NaiveDate::from_ymd_opt(2005, 3, 1).unwrap());
        w.add_document(tantivy::doc!(f.kind => kinds::ARTICLE, f.title => "Council budget",
            f.body => "The city council met.", f.date => day, f.year => 2005u64))
            .unwrap();
        w.add_document(tantivy::doc!(f.kind => kinds::QUOTE, f.text => "council budget",
            f.date => day))
            .unwrap();
        w.add_document(tantivy::doc!(f.kind => kinds::FILE, f.path => "council.txt")).unwrap();
        store.commit(&mut w).unwrap();
        let searcher = store.reader().unwrap().searcher();
        for q in [
            "council",
            "council OR year:2005",
            "date:[2000-01-01T00:00:00Z TO 2010-01-01T00:00:00Z]",
            "*",
        ] {
            let req = SearchRequest { query: Some(q.to_string()), limit: 10, ..Default::default() };
            let (query, _) = build_search(&store.index, &f, &req).unwrap();
            let docs = searcher.search(&*query, &tantivy::collector::DocSetCollector).unwrap();
            assert_eq!(docs.len(), 1, "{q}");
            let doc: tantivy::TantivyDocument = searcher.doc(*docs.iter().next().unwrap()).unwrap();
            let kind = doc.get_first(f.kind).and_then(|v| tantivy::schema::Value::as_str(&v));
            assert_eq!(kind, Some(kinds::ARTICLE), "{q}");
        }
    }

    #[test]
    fn star_and_nothing_match_all() {
        assert!(is_match_all(None));
        assert!(is_match_all(Some(" * ")));
        assert!(!is_match_all(Some("aleppo")));
    }
}
