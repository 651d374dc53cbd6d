//! Plain-text and Markdown articles: the layout of saved blog posts and clippings folders, and
//! Markdown (or text) with YAML or TOML front matter, the format of static-site archives.
//!
//! # Plain-text layout
//!
//! ```text
//! article   = header* body footer*
//! header    = date-line | title | title-repeat | byline      (the first paragraphs, any order)
//! date-line = a short paragraph that is a date ("Tuesday, December 06, 2016", "March 2014",
//!             "Posted on 6 Dec 2016")
//! byline    = a short paragraph opening with a byline word (rules/byline-prefixes.txt):
//!             "by Stephen Lendman", "By STEPHEN LENDMAN", "Author: …"
//! title     = the first short header paragraph that is neither; the same text again on the
//!             next paragraph is kept once
//! footer    = trailing short paragraphs with a bio/contact/promotion cue (rules/footer-cues.txt)
//!             or opening with the author's name and "is"/"lives"/"writes": stored apart
//! ```
//!
//! Paragraphs are separated by blank lines; the lines of one paragraph are joined with a space.
//! With no date in the text the date comes from the file name (`2016-12-06-slug.txt`); with none
//! there either the article is undated (never today's date).
//!
//! # Front matter
//!
//! `---` … `---` (YAML) or `+++` … `+++` (TOML) at the very start; keys `title`, `date`
//! (also `published`, `pubDate`), `author`/`authors` (string or list), `tags`/`keywords`, `url`,
//! `source`/`publisher`. The rest is the body.

use std::sync::OnceLock;

use crate::article::{Article, ArticleDate, FieldSource, Format, PartialDate};
use crate::parse::date::{date_from_path, parse_date};
use crate::parse::ParseError;

/// The longest paragraph that can be a header line (date, title, byline).
const MAX_HEADER_CHARS: usize = 200;
/// How many leading paragraphs may be header lines.
const MAX_HEADER_PARAGRAPHS: usize = 6;
/// How many trailing paragraphs may be footer.
const MAX_FOOTER_PARAGRAPHS: usize = 8;
/// The longest paragraph that can be a footer paragraph.
const MAX_FOOTER_CHARS: usize = 500;

fn footer_cues() -> &'static [String] {
    static CUES: OnceLock<Vec<String>> = OnceLock::new();
    CUES.get_or_init(|| rule_lines(include_str!("rules/footer-cues.txt")))
}

fn byline_prefixes() -> &'static [String] {
    static P: OnceLock<Vec<String>> = OnceLock::new();
    P.get_or_init(|| rule_lines(include_str!("rules/byline-prefixes.txt")))
}

fn rule_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Parse a plain-text or Markdown article. `file_name` is the file's name (for a date in it).
pub fn parse_text(text: &str, file_name: &str, format: Format) -> Result<Article, ParseError> {
    let text = normalize_newlines(text.trim_start_matches('\u{feff}'));
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    let mut article = Article { format: Some(format), ..Default::default() };
    let rest = match split_front_matter(&text) {
        Some((fm, rest)) => {
            apply_front_matter(&mut article, fm)?;
            rest
        }
        None => text.as_str(),
    };
    let markdown = format == Format::Markdown;
    let mut paragraphs: Vec<String> = split_paragraphs(rest)
        .into_iter()
        .map(|p| if markdown { strip_markdown(&p) } else { p })
        .collect();
    paragraphs.retain(|p| !p.is_empty());

    let body_start = read_header(&mut article, &paragraphs);
    let mut body: Vec<String> = paragraphs.split_off(body_start);
    let footer = split_footer(&mut body, &article.authors);
    if !footer.is_empty() {
        article.footer = Some(footer.join("\n\n"));
    }
    article.body = body.join("\n\n");
    if article.date.is_none() {
        if let Some(d) = date_from_path(file_name) {
            article.date = Some(ArticleDate { value: d, source: FieldSource::FileName });
        }
    }
    if article.body.trim().is_empty() && article.title.is_none() {
        return Err(ParseError::NoText);
    }
    Ok(article)
}

fn normalize_newlines(text: &str) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    }
}

/// Blank-line separated paragraphs, each with its lines joined by a space.
fn split_paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(line);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Markdown syntax that would pollute search and extraction: heading marks, emphasis, link
/// targets, image lines, list bullets.
fn strip_markdown(p: &str) -> String {
    let p = p.trim_start_matches('#').trim_start();
    if p.starts_with("![") {
        return String::new();
    }
    let mut out = String::with_capacity(p.len());
    let mut chars = p.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '_' if chars.peek() == Some(&c) => {
                chars.next();
            }
            '*' => {}
            ']' if chars.peek() == Some(&'(') => {
                // drop the link target "(…)"
                for c2 in chars.by_ref() {
                    if c2 == ')' {
                        break;
                    }
                }
            }
            '[' => {}
            _ => out.push(c),
        }
    }
    let out = out.trim();
    out.strip_prefix("- ").or_else(|| out.strip_prefix("> ")).unwrap_or(out).trim().to_string()
}

/// Read the header paragraphs into `article`; return the index of the first body paragraph.
fn read_header(article: &mut Article, paragraphs: &[String]) -> usize {
    let mut i = 0;
    let have_fm_title = article.title.is_some();
    while i < paragraphs.len().min(MAX_HEADER_PARAGRAPHS) {
        let p = paragraphs[i].as_str();
        if p.chars().count() > MAX_HEADER_CHARS {
            break;
        }
        if article.date.is_none() {
            if let Some(d) = header_date(p) {
                article.date = Some(ArticleDate { value: d, source: FieldSource::Header });
                i += 1;
                continue;
            }
        }
        if article.authors.is_empty() {
            if let Some(names) = parse_byline(p) {
                article.authors = names;
                article.note_source("author", FieldSource::Header);
                i += 1;
                continue;
            }
        }
        if let Some(title) = &article.title {
            if same_text(title, p) {
                i += 1; // the title repeated
                continue;
            }
        }
        if article.title.is_none() && !have_fm_title && looks_like_title(p, paragraphs.get(i + 1)) {
            article.title = Some(p.to_string());
            article.note_source("title", FieldSource::Header);
            i += 1;
            continue;
        }
        break;
    }
    i
}

fn same_text(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// A title is a short paragraph that does not read as a sentence of body text: it has no final
/// period, or is short, or is written in headline case ("Obama Nominates A Judge. That's A
/// First."), or is one short sentence followed by more text.
fn looks_like_title(p: &str, next: Option<&String>) -> bool {
    let words: Vec<&str> = p.split_whitespace().collect();
    let n = words.len();
    if n == 0 || n > 30 || next.is_none() {
        return false;
    }
    let ends_sentence = p.ends_with('.') && !p.ends_with("..");
    if !ends_sentence || n <= 12 {
        return true;
    }
    let capitalised = words.iter().filter(|w| w.starts_with(|c: char| c.is_uppercase())).count();
    if capitalised * 10 >= n * 6 {
        return true;
    }
    let one_sentence = !p[..p.len() - 1].contains(". ");
    let has_quote = p.contains(['"', '“', '”']);
    n <= 16 && one_sentence && !has_quote
}

/// A short paragraph that is a date, possibly behind "Posted on", "Published:", "Updated".
fn header_date(p: &str) -> Option<PartialDate> {
    if p.chars().count() > 60 {
        return None;
    }
    let lower = p.to_lowercase();
    let mut s = p;
    for prefix in [
        "posted on",
        "published on",
        "published:",
        "published",
        "posted",
        "date:",
        "dated",
        "updated:",
    ] {
        if lower.starts_with(prefix) {
            s = p.get(prefix.len()..).unwrap_or("").trim();
            break;
        }
    }
    // A date line has few words that are not part of a date.
    let letters_words = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    if letters_words > 3 {
        return None;
    }
    parse_date(s)
}

/// A byline: "by Jane Roe", "By JANE ROE and JOHN DOE", "Author: Jane Roe, Reuters".
pub fn parse_byline(p: &str) -> Option<Vec<String>> {
    if p.chars().count() > 120 {
        return None;
    }
    let lower = p.to_lowercase();
    let prefix = byline_prefixes().iter().find(|pre| {
        lower.starts_with(pre.as_str())
            && (pre.ends_with(':') || lower[pre.len()..].starts_with(|c: char| c.is_whitespace()))
    })?;
    let rest = p.get(prefix.len()..)?.trim().trim_start_matches(':').trim();
    let names = split_names(rest);
    if names.is_empty() {
        None
    } else {
        Some(names)
    }
}

/// Split an author string into names: "A, B and C", "A & B", "A AND B" (an all-caps byline);
/// drop an outlet after a comma
/// ("Jane Roe, Reuters") when it is a single word; fix ALL-CAPS names.
pub fn split_names(s: &str) -> Vec<String> {
    let s = s.trim().trim_end_matches('.');
    let mut names = Vec::new();
    let parts: Vec<&str> = s
        .split([',', '&', ';', '|'])
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" AND "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    for (i, part) in parts.iter().enumerate() {
        let words: Vec<&str> = part.split_whitespace().collect();
        // A lone word after a comma is an outlet or title ("Reuters", "Staff"), not a name.
        if i > 0 && words.len() == 1 {
            continue;
        }
        if words.is_empty() || words.len() > 5 || !words[0].starts_with(|c: char| c.is_uppercase())
        {
            if i == 0 {
                return Vec::new();
            }
            continue;
        }
        names.push(fix_caps(part));
    }
    names
}

/// "STEPHEN LENDMAN" → "Stephen Lendman"; mixed case is kept as written.
pub fn fix_caps(name: &str) -> String {
    if name.chars().any(char::is_lowercase) {
        return name.to_string();
    }
    name.split_whitespace()
        .map(|w| {
            let mut out = String::new();
            let mut start = true;
            for c in w.chars() {
                if start {
                    out.extend(c.to_uppercase());
                } else {
                    out.extend(c.to_lowercase());
                }
                start = !c.is_alphabetic() && c != '\'';
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Remove trailing footer paragraphs from `body` and return them in order.
fn split_footer(body: &mut Vec<String>, authors: &[String]) -> Vec<String> {
    let mut footer = Vec::new();
    let min_keep = 1;
    while body.len() > min_keep && footer.len() < MAX_FOOTER_PARAGRAPHS {
        let Some(last) = body.last() else { break };
        if !is_footer_paragraph(last, authors) {
            break;
        }
        footer.push(body.pop().unwrap_or_default());
    }
    footer.reverse();
    footer
}

fn is_footer_paragraph(p: &str, authors: &[String]) -> bool {
    if p.chars().count() > MAX_FOOTER_CHARS {
        return false;
    }
    let lower = p.to_lowercase();
    if footer_cues().iter().any(|cue| lower.contains(cue.as_str())) {
        return true;
    }
    // "Jane Roe is a reporter …", "Jane Roe writes from …"
    authors.iter().any(|a| {
        lower.starts_with(&a.to_lowercase())
            && [" is ", " lives", " writes", " covers", " reports"]
                .iter()
                .any(|v| lower[a.len()..].starts_with(v))
    }) || looks_like_contact(&lower)
}

fn looks_like_contact(lower: &str) -> bool {
    let has_email = lower.split_whitespace().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        w.contains('@') && w.contains('.')
    });
    has_email && lower.split_whitespace().count() < 40
}

/// Split `---`/`+++` front matter from the rest.
fn split_front_matter(text: &str) -> Option<(FrontMatter<'_>, &str)> {
    for (fence, kind) in [("---", FmKind::Yaml), ("+++", FmKind::Toml)] {
        let Some(after) = text.strip_prefix(fence) else { continue };
        let Some(after) = after.strip_prefix('\n') else { continue };
        let mut offset = 0;
        for line in after.split_inclusive('\n') {
            let t = line.trim_end();
            if t == fence || (kind == FmKind::Yaml && t == "...") {
                let fm = &after[..offset];
                let rest = &after[offset + line.len()..];
                return Some((FrontMatter { kind, text: fm }, rest));
            }
            offset += line.len();
        }
    }
    None
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FmKind {
    Yaml,
    Toml,
}

struct FrontMatter<'a> {
    kind: FmKind,
    text: &'a str,
}

fn apply_front_matter(article: &mut Article, fm: FrontMatter<'_>) -> Result<(), ParseError> {
    let value: serde_json::Value = match fm.kind {
        FmKind::Yaml => serde_yaml_ng::from_str(fm.text)
            .map_err(|e| ParseError::Other(format!("YAML front matter: {e}")))?,
        FmKind::Toml => {
            let v: toml::Value = toml::from_str(fm.text)
                .map_err(|e| ParseError::Other(format!("TOML front matter: {}", e.message())))?;
            serde_json::to_value(v).map_err(|e| ParseError::Other(e.to_string()))?
        }
    };
    let Some(map) = value.as_object() else {
        return Ok(());
    };
    let get = |keys: &[&str]| keys.iter().find_map(|k| map.get(*k)).filter(|v| !v.is_null());
    let src = FieldSource::FrontMatter;
    if let Some(t) = get(&["title", "headline"]).and_then(value_string) {
        article.title = Some(t);
        article.note_source("title", src);
    }
    if let Some(d) = get(&["date", "published", "pubDate", "date_published", "datePublished"]) {
        let s = match d {
            serde_json::Value::Object(o) => o.values().find_map(value_string),
            other => value_string(other),
        };
        if let Some(d) = s.as_deref().and_then(parse_date) {
            article.date = Some(ArticleDate { value: d, source: src });
        }
    }
    if let Some(a) = get(&["author", "authors", "byline"]) {
        let names = value_strings(a).iter().flat_map(|s| split_names(s)).collect::<Vec<_>>();
        if !names.is_empty() {
            article.authors = names;
            article.note_source("author", src);
        }
    }
    if let Some(t) = get(&["tags", "keywords", "categories"]) {
        article.tags = value_strings(t)
            .iter()
            .flat_map(|s| s.split(',').map(|x| x.trim().to_string()).collect::<Vec<_>>())
            .filter(|s| !s.is_empty())
            .collect();
    }
    if let Some(u) = get(&["url", "link", "permalink"]).and_then(value_string) {
        article.url = Some(u);
    }
    if let Some(s) = get(&["source", "publisher", "outlet", "site"]).and_then(value_string) {
        article.source = Some(s);
        article.note_source("source", src);
    }
    Ok(())
}

fn value_string(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Object(o) => o.get("name").and_then(value_string),
        _ => None,
    }
}

fn value_strings(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::Array(items) => items.iter().filter_map(value_string).collect(),
        other => value_string(other).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::DatePrecision;

    fn parse(text: &str) -> Article {
        parse_text(text, "x.txt", Format::Text).unwrap()
    }

    #[test]
    fn seed_layout_with_repeated_title_byline_and_footer() {
        let a = parse(
            "Tuesday, December 06, 2016\n\nHarbour Talks Stall Again\n\nHarbour Talks Stall Again\n\n\
             by Jane Roe\n\nThe talks stalled on Monday.\n\nOfficials met again.\n\n\
             Jane Roe lives in Leeds. She can be reached at jroe@example.org.\n\n\
             Visit her blog at roe.example.org.",
        );
        assert_eq!(a.title.as_deref(), Some("Harbour Talks Stall Again"));
        assert_eq!(a.authors, vec!["Jane Roe"]);
        let d = a.date.unwrap();
        assert_eq!(d.value.display(), "2016-12-06");
        assert_eq!(d.source, FieldSource::Header);
        assert_eq!(a.body, "The talks stalled on Monday.\n\nOfficials met again.");
        assert!(a.footer.unwrap().starts_with("Jane Roe lives in Leeds."));
    }

    #[test]
    fn byline_all_caps() {
        assert_eq!(parse_byline("By STEPHEN LENDMAN"), Some(vec!["Stephen Lendman".to_string()]));
    }

    #[test]
    fn byline_all_caps_with_two_authors() {
        assert_eq!(
            parse_byline("BY HENRY GRANT AND DYLAN MARSHALL"),
            Some(vec!["Henry Grant".to_string(), "Dylan Marshall".to_string()])
        );
    }

    #[test]
    fn byline_author_colon_and_outlet() {
        assert_eq!(parse_byline("Author: Jane Roe, Reuters"), Some(vec!["Jane Roe".to_string()]));
    }

    #[test]
    fn byline_two_authors() {
        assert_eq!(
            parse_byline("by Jane Roe and John Doe"),
            Some(vec!["Jane Roe".to_string(), "John Doe".to_string()])
        );
    }

    #[test]
    fn by_in_a_sentence_is_not_a_byline() {
        assert_eq!(parse_byline("by the end of the week, talks had failed"), None);
    }

    #[test]
    fn month_precision_date_line() {
        let a = parse("March 2014\n\nA Title\n\nBody text here.");
        let d = a.date.unwrap().value;
        assert_eq!(d.precision, DatePrecision::Month);
        assert_eq!(d.display(), "2014-03");
    }

    #[test]
    fn date_from_file_name_when_text_has_none() {
        let a =
            parse_text("A Title\n\nBody text.", "2013-04-22-harbour.txt", Format::Text).unwrap();
        let d = a.date.unwrap();
        assert_eq!(d.value.display(), "2013-04-22");
        assert_eq!(d.source, FieldSource::FileName);
    }

    #[test]
    fn undated_article_has_no_date() {
        let a = parse_text("A Title\n\nBody text.", "notes.txt", Format::Text).unwrap();
        assert!(a.date.is_none());
    }

    #[test]
    fn yaml_front_matter() {
        let a = parse_text(
            "---\ntitle: \"Bridge reopens\"\ndate: 2019-05-03T21:15:00-04:00\nauthor: [Ana Lima, Bo Chen]\ntags: [transport, city]\nurl: https://example.org/bridge\n---\n# Bridge reopens\n\nThe **bridge** reopened [today](https://x).\n",
            "bridge.md",
            Format::Markdown,
        )
        .unwrap();
        assert_eq!(a.title.as_deref(), Some("Bridge reopens"));
        assert_eq!(a.date.unwrap().value.display(), "2019-05-03");
        assert_eq!(a.date.unwrap().source, FieldSource::FrontMatter);
        assert_eq!(a.authors, vec!["Ana Lima", "Bo Chen"]);
        assert_eq!(a.tags, vec!["transport", "city"]);
        assert_eq!(a.body, "The bridge reopened today.");
    }

    #[test]
    fn toml_front_matter() {
        let a = parse_text(
            "+++\ntitle = \"Port strike ends\"\ndate = 2012-07-09\nauthor = \"Li Wei\"\n+++\n\nWorkers returned.\n",
            "strike.md",
            Format::Markdown,
        )
        .unwrap();
        assert_eq!(a.title.as_deref(), Some("Port strike ends"));
        assert_eq!(a.date.unwrap().value.display(), "2012-07-09");
        assert_eq!(a.authors, vec!["Li Wei"]);
    }

    #[test]
    fn crlf_and_cr_line_endings() {
        let a = parse("June 1, 2015\r\n\r\nTitle Here\r\n\r\nFirst line\r\nsecond line.\r\n");
        assert_eq!(a.body, "First line second line.");
        let b = parse("June 1, 2015\r\rTitle Here\r\rBody.\r");
        assert_eq!(b.title.as_deref(), Some("Title Here"));
    }

    #[test]
    fn empty_file_is_an_error() {
        assert!(matches!(parse_text("  \n\n", "e.txt", Format::Text), Err(ParseError::Empty)));
    }

    #[test]
    fn headline_case_title_with_final_period() {
        let a = parse("Mayor Opens A New Bridge Over The River In Town. Crowds Cheer.\n\nThe mayor cut the ribbon on Monday, and hundreds of residents walked across.");
        assert_eq!(
            a.title.as_deref(),
            Some("Mayor Opens A New Bridge Over The River In Town. Crowds Cheer.")
        );
    }

    #[test]
    fn first_sentence_with_a_quote_is_body() {
        let a = parse("\"We will not stop until the job is done for every family here,\" she said.\n\nMore text.");
        assert!(a.title.is_none());
    }

    #[test]
    fn long_first_paragraph_is_body_not_title() {
        let long = "word ".repeat(80);
        let a = parse(&format!("{long}\n\nMore."));
        assert!(a.title.is_none());
        assert!(a.body.starts_with("word"));
    }
}
