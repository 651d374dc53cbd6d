//! JSON and JSON Lines articles: one object per article, fields found by their common names
//! (news-please, NewsAPI, scraper exports) or by the user's `--map field=key`.
//!
//! Each field takes the first key of its table that holds a usable value; a `--map` entry puts
//! its key in front of the table. Keys match exactly first, then ignoring ASCII case; a mapped
//! key may be a dotted path into nested objects (`meta.headline`).
//!
//! | field  | keys (see the tables) | accepted values |
//! |--------|------------------------|-----------------|
//! | title  | [`TITLE_KEYS`]  | string |
//! | date   | [`DATE_KEYS`]   | date string ([`parse_date`]), or Unix time in seconds or milliseconds |
//! | author | [`AUTHOR_KEYS`] | string (a byline, split into names), list of strings, objects with `name` |
//! | body   | [`BODY_KEYS`]   | string (plain text or HTML), or list of paragraph strings |
//! | url    | [`URL_KEYS`]    | string |
//! | source | [`SOURCE_KEYS`] | string, or object with `name` |
//! | tags   | [`TAG_KEYS`]    | list of strings, or a comma-separated string |
//!
//! Nesting deeper than serde_json's recursion limit (128) is refused while parsing, without
//! deep recursion.

use chrono::DateTime;
use serde_json::{Map, Value};

use crate::article::{Article, ArticleDate, DatePrecision, FieldSource, Format, PartialDate};
use crate::parse::date::{is_plausible, parse_date};
use crate::parse::html::split_byline;
use crate::parse::ParseError;

/// Keys that hold the title, best first.
pub const TITLE_KEYS: &[&str] = &["title", "headline", "title_page", "title_rss", "name"];
/// Keys that hold the publication date, best first.
pub const DATE_KEYS: &[&str] = &[
    "date",
    "published",
    "date_publish",
    "datePublished",
    "date_published",
    "publish_date",
    "publishedAt",
    "published_at",
    "pubdate",
    "pub_date",
    "created_at",
    "timestamp",
];
/// Keys that hold the author or authors, best first.
pub const AUTHOR_KEYS: &[&str] = &["author", "authors", "byline", "creator", "creators"];
/// Keys that hold the main text, best first.
pub const BODY_KEYS: &[&str] =
    &["text", "body", "maintext", "content", "article", "article_text", "full_text", "story"];
/// Keys that hold the article's URL, best first.
pub const URL_KEYS: &[&str] = &["url", "link", "uri", "canonical_url", "permalink"];
/// Keys that hold the outlet, best first.
pub const SOURCE_KEYS: &[&str] =
    &["source_domain", "source", "publisher", "site_name", "site", "outlet", "domain"];
/// Keys that hold tags or keywords, best first.
pub const TAG_KEYS: &[&str] = &["tags", "keywords", "categories", "topics"];

/// The fields a `--map` entry may name (with their aliases).
const MAP_FIELDS: &[(&str, Field)] = &[
    ("title", Field::Title),
    ("date", Field::Date),
    ("author", Field::Author),
    ("authors", Field::Author),
    ("body", Field::Body),
    ("text", Field::Body),
    ("url", Field::Url),
    ("source", Field::Source),
    ("tags", Field::Tags),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Date,
    Author,
    Body,
    Url,
    Source,
    Tags,
}

/// User overrides of which JSON key fills which article field (`--map title=headline_text`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldMap {
    entries: Vec<(Field, String)>,
}

impl FieldMap {
    /// Read `field=key` specs. Fields: title, date, author(s), body/text, url, source, tags.
    pub fn parse(spec: &[String]) -> Result<FieldMap, String> {
        let mut entries = Vec::new();
        for item in spec {
            let Some((field, key)) = item.split_once('=') else {
                return Err(format!(
                    "bad --map value {item:?}: expected FIELD=KEY, e.g. title=headline"
                ));
            };
            let (field, key) = (field.trim(), key.trim());
            let Some(&(_, f)) =
                MAP_FIELDS.iter().find(|(name, _)| name.eq_ignore_ascii_case(field))
            else {
                let names: Vec<&str> = MAP_FIELDS.iter().map(|(n, _)| *n).collect();
                return Err(format!(
                    "unknown field {field:?} in --map {item:?}; valid fields: {}",
                    names.join(", ")
                ));
            };
            if key.is_empty() {
                return Err(format!("empty key in --map {item:?}"));
            }
            entries.push((f, key.to_string()));
        }
        Ok(FieldMap { entries })
    }

    /// The keys to try for `field`: mapped ones first, then the default table.
    fn keys(&self, field: Field, defaults: &'static [&'static str]) -> Vec<&str> {
        self.entries
            .iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, k)| k.as_str())
            .chain(defaults.iter().copied())
            .collect()
    }
}

/// Parse one JSON text (a `.json` file or a JSONL line) into an article.
pub fn parse_json_record(text: &str, map: &FieldMap) -> Result<Article, ParseError> {
    let v: Value = serde_json::from_str(text).map_err(|e| ParseError::Json(e.to_string()))?;
    parse_json_article(&v, map)
}

/// Build an article from a JSON object (see the module doc for the keys read).
pub fn parse_json_article(v: &Value, map: &FieldMap) -> Result<Article, ParseError> {
    let Value::Object(obj) = v else {
        return Err(ParseError::Json(format!("expected an object, found {}", kind(v))));
    };
    let mut a = Article { format: Some(Format::Json), ..Article::default() };

    a.title = first(obj, &map.keys(Field::Title, TITLE_KEYS), |v| {
        v.as_str().map(clean_line).filter(|s| !s.is_empty())
    });
    if a.title.is_some() {
        a.note_source("title", FieldSource::Json);
    }
    a.date = first(obj, &map.keys(Field::Date, DATE_KEYS), date_value)
        .map(|value| ArticleDate { value, source: FieldSource::Json });
    a.authors = first(obj, &map.keys(Field::Author, AUTHOR_KEYS), |v| {
        let mut names = Vec::new();
        author_names(v, &mut names);
        (!names.is_empty()).then_some(names)
    })
    .unwrap_or_default();
    if !a.authors.is_empty() {
        a.note_source("author", FieldSource::Json);
    }
    a.body = first(obj, &map.keys(Field::Body, BODY_KEYS), body_value).unwrap_or_default();
    a.url = first(obj, &map.keys(Field::Url, URL_KEYS), |v| {
        v.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
    });
    a.source = first(obj, &map.keys(Field::Source, SOURCE_KEYS), |v| match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Object(o) => o.get("name").and_then(Value::as_str).map(|s| s.trim().to_string()),
        _ => None,
    });
    if a.source.is_some() {
        a.note_source("source", FieldSource::Json);
    }
    a.tags = first(obj, &map.keys(Field::Tags, TAG_KEYS), |v| {
        let tags: Vec<String> = match v {
            Value::Array(items) => items.iter().filter_map(Value::as_str).map(clean_line).collect(),
            Value::String(s) => s.split(',').map(clean_line).collect(),
            _ => Vec::new(),
        };
        let tags: Vec<String> = tags.into_iter().filter(|t| !t.is_empty()).collect();
        (!tags.is_empty()).then_some(tags)
    })
    .unwrap_or_default();

    if a.title.is_none() && a.body.is_empty() {
        return Err(ParseError::NoText);
    }
    Ok(a)
}

/// The first key (exact, then ignoring ASCII case; dotted paths into objects) whose value
/// `extract` accepts.
fn first<T>(
    obj: &Map<String, Value>,
    keys: &[&str],
    extract: impl Fn(&Value) -> Option<T>,
) -> Option<T> {
    keys.iter().find_map(|k| lookup(obj, k).and_then(&extract))
}

fn lookup<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    let get = |o: &'a Map<String, Value>, k: &str| {
        o.get(k).or_else(|| o.iter().find(|(name, _)| name.eq_ignore_ascii_case(k)).map(|(_, v)| v))
    };
    if let Some(v) = get(obj, key) {
        return Some(v);
    }
    let mut parts = key.split('.');
    let mut cur = get(obj, parts.next()?)?;
    for part in parts {
        cur = get(cur.as_object()?, part)?;
    }
    Some(cur)
}

fn date_value(v: &Value) -> Option<PartialDate> {
    match v {
        Value::String(s) => parse_date(s),
        Value::Number(n) => {
            let raw = n.as_i64().or_else(|| n.as_f64().map(|f| f as i64))?;
            // Values past year 5000 in seconds are milliseconds.
            let secs = if raw.abs() > 100_000_000_000 { raw / 1000 } else { raw };
            let dt = DateTime::from_timestamp(secs, 0)?.naive_utc();
            is_plausible(dt.date()).then_some(PartialDate {
                date: dt.date(),
                precision: DatePrecision::Day,
                time: Some(dt.time()),
                utc_offset_minutes: Some(0),
            })
        }
        _ => None,
    }
}

fn author_names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => {
            for name in split_byline(s) {
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| author_names(i, out)),
        Value::Object(o) => {
            if let Some(name) = o.get("name") {
                author_names(name, out);
            }
        }
        _ => {}
    }
}

fn body_value(v: &Value) -> Option<String> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("\n\n")
        }
        _ => return None,
    };
    let text = if looks_like_html(&text) { html_to_paragraphs(&text) } else { text };
    let body = normalise_paragraphs(&text);
    (!body.is_empty()).then_some(body)
}

fn looks_like_html(s: &str) -> bool {
    let lower = s.get(..s.len().min(2000)).unwrap_or(s).to_ascii_lowercase();
    ["<p>", "<p ", "</p>", "<br", "<div"].iter().any(|t| lower.contains(t))
}

/// The text of an HTML fragment, one paragraph per block element.
fn html_to_paragraphs(html: &str) -> String {
    let frag = scraper::Html::parse_fragment(html);
    let mut out = String::new();
    for node in frag.root_element().descendants() {
        if let Some(el) = node.value().as_element() {
            if matches!(el.name(), "p" | "div" | "br" | "li" | "h1" | "h2" | "h3" | "blockquote") {
                out.push_str("\n\n");
            }
        } else if let Some(t) = node.value().as_text() {
            let inside_script =
                node.parent().and_then(|p| p.value().as_element().map(|e| e.name()));
            if !matches!(inside_script, Some("script" | "style")) {
                out.push_str(t);
            }
        }
    }
    out
}

/// Paragraphs separated by one blank line; a text with single line breaks only has one
/// paragraph per line.
fn normalise_paragraphs(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let blocks: Vec<&str> = if text.contains("\n\n") {
        text.split("\n\n").collect()
    } else {
        text.split('\n').collect()
    };
    blocks
        .into_iter()
        .map(|b| b.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|b| !b.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn clean_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dash(s: String) -> String {
        if s.is_empty() {
            "-".to_string()
        } else {
            s
        }
    }

    fn summary(r: Result<Article, ParseError>) -> String {
        match r {
            Err(ParseError::Json(_)) => "json-error".to_string(),
            Err(ParseError::NoText) => "no-text".to_string(),
            Err(e) => format!("error: {e}"),
            Ok(a) => format!(
                "{} | {} | {} | {} | {} | {}",
                a.title.as_deref().unwrap_or("-"),
                a.date.map_or("-".to_string(), |d| d.value.display()),
                dash(a.authors.join("+")),
                a.source.as_deref().unwrap_or("-"),
                dash(a.tags.join("+")),
                a.body.replace("\n\n", "¶"),
            ),
        }
    }

    #[test]
    fn records_table() {
        let none = FieldMap::default();
        let mapped = FieldMap::parse(&["title=hed".to_string(), "body=meta.copy".to_string()])
            .unwrap_or_default();
        let cases: &[(&str, &str, &FieldMap, &str)] = &[
            (
                "news_please_style",
                r#"{"title":"Dam opens","date_publish":"2017-02-10 15:19:39","authors":["Ana Lima","Tom Reyes"],
                   "maintext":"First line.\nSecond line.","source_domain":"example.org","url":"https://example.org/a"}"#,
                &none,
                "Dam opens | 2017-02-10 | Ana Lima+Tom Reyes | example.org | - | First line.¶Second line.",
            ),
            (
                "headline_and_byline_string",
                r#"{"headline":"Rain again","datePublished":"March 3, 2015","byline":"By Jo Park and Sam Ito","body":"Wet.\n\nWetter."}"#,
                &none,
                "Rain again | 2015-03-03 | Jo Park+Sam Ito | - | - | Wet.¶Wetter.",
            ),
            (
                "author_objects_and_source_object",
                r#"{"title":"Vote","publishedAt":"2020-05-01T10:00:00Z","author":[{"name":"Lee Chan"}],
                   "source":{"id":null,"name":"Daily Example"},"content":"Text.","tags":"politics, local"}"#,
                &none,
                "Vote | 2020-05-01 | Lee Chan | Daily Example | politics+local | Text.",
            ),
            (
                "epoch_seconds_and_millis",
                r#"{"title":"Epoch","timestamp":1481040000000,"text":"t"}"#,
                &none,
                "Epoch | 2016-12-06 | - | - | - | t",
            ),
            (
                "html_body",
                r#"{"title":"Html","text":"<p>One <b>bold</b> line.</p><p>Two.</p>"}"#,
                &none,
                "Html | - | - | - | - | One bold line.¶Two.",
            ),
            (
                "case_insensitive_keys",
                r#"{"Title":"Caps","Date":"2016-12-06","Text":"x"}"#,
                &none,
                "Caps | 2016-12-06 | - | - | - | x",
            ),
            (
                "mapped_keys_and_dotted_path",
                r#"{"hed":"Mapped","meta":{"copy":"Nested body."},"title":"Ignored"}"#,
                &mapped,
                "Mapped | - | - | - | - | Nested body.",
            ),
            ("implausible_date_dropped", r#"{"title":"Old","date":"0000-00-00","text":"x"}"#, &none, "Old | - | - | - | - | x"),
            ("nothing_usable", r#"{"id":7}"#, &none, "no-text"),
            ("not_an_object", r#"[1,2]"#, &none, "json-error"),
            ("broken_json", r#"{"title": "#, &none, "json-error"),
        ];
        for (name, input, map, want) in cases {
            assert_eq!(summary(parse_json_record(input, map)), *want, "case {name}");
        }
    }

    #[test]
    fn field_map_errors() {
        let cases: &[(&str, &str, bool)] = &[
            ("valid", "title=headline", true),
            ("alias", "text=copy", true),
            ("no_equals", "title", false),
            ("unknown_field", "colour=red", false),
            ("empty_key", "title=", false),
        ];
        for (name, spec, ok) in cases {
            assert_eq!(FieldMap::parse(&[spec.to_string()]).is_ok(), *ok, "case {name}");
        }
        let err = FieldMap::parse(&["colour=red".to_string()]).err().unwrap_or_default();
        assert!(err.contains("valid fields: title"), "{err}");
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(matches!(parse_json_record(&deep, &FieldMap::default()), Err(ParseError::Json(_))));
        let deep_obj =
            format!(r#"{{"title":"x","text":"y","n":{}1{}}}"#, "[".repeat(200), "]".repeat(200));
        assert!(matches!(
            parse_json_record(&deep_obj, &FieldMap::default()),
            Err(ParseError::Json(_))
        ));
    }
}
