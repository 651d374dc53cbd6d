//! HTML pages: metadata (title, date, authors, site) from structured data and markup, and the main
//! text without navigation, ads, share bars or comments.
//!
//! Metadata is read with `scraper`; the body is found by `dom_smoothie` (a port of Mozilla's
//! Readability). Each field takes the first source that gives a usable value, in this order:
//!
//! | field   | sources, best first |
//! |---------|---------------------|
//! | title   | JSON-LD `headline`/`name` · meta tags ([`TITLE_META`]) · microdata `headline` · `<h1>` · `<title>` |
//! | date    | JSON-LD `datePublished` · meta tags ([`DATE_META`]) · microdata `datePublished` · `<time datetime>` · the URL · date-like elements ([`DATE_CLASS_HINTS`]) · JSON-LD `dateModified` and modified meta tags |
//! | authors | JSON-LD `author` · meta tags ([`AUTHOR_META`]) · microdata `author` · byline elements ([`BYLINE_SELECTORS`]) · a "By …" line at the top of the text |
//! | source  | meta tags ([`SITE_META`]) · JSON-LD `publisher` · the URL's host |
//! | url     | the given URL · `<link rel="canonical">` · `og:url` |
//!
//! Titles lose a trailing (or leading) site name: `Headline | The Daily Example` → `Headline`.
//! Dates are kept as the page wrote them (local time, never converted to UTC); when the best
//! structured date is a UTC stamp and another one writes the same moment in local time on the
//! neighbouring day, the local day is taken.
//!
//! Bylines inside page furniture are skipped: navigation, page footers, figures and captions,
//! containers named for related stories, comments or sidebars ([`NON_BYLINE_CONTAINER_HINTS`]),
//! and teaser links to other stories. A visible byline wins over meta tags that name nobody it
//! names; news agencies beside a reporter are dropped ([`BYLINE_AGENCIES`]).
//!
//! Pathological input is defused before parsing: elements nested deeper than [`MAX_DEPTH`] are
//! flattened (their tags dropped, their text kept), so neither the parser nor the extractor
//! recurses without bound.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use dom_smoothie::{Config, Readability, TextMode};
use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use crate::article::{Article, ArticleDate, DatePrecision, FieldSource, Format, PartialDate};
use crate::parse::date::{date_from_path, parse_date};
use crate::parse::ParseError;

/// Deepest element nesting kept; deeper tags are dropped and their text kept.
pub const MAX_DEPTH: usize = 256;

/// Most elements the main-text extractor scores; bigger pages fall back to plain paragraphs.
const MAX_ELEMENTS: usize = 200_000;

/// JSON-LD `@type`s that describe an article.
pub const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "AskPublicNewsArticle",
    "LiveBlogPosting",
    "SocialMediaPosting",
    "ScholarlyArticle",
    "TechArticle",
    "Report",
    "Blog",
];

/// `<meta>` keys (`name`, `property` or `itemprop`, lowercased) giving the title, best first.
pub const TITLE_META: &[&str] = &[
    "og:title",
    "twitter:title",
    "sailthru.title",
    "parsely-title",
    "dc.title",
    "dcterms.title",
    "citation_title",
    "headline",
    "title",
];

/// `<meta>` keys giving the publication date, best first.
pub const DATE_META: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_time",
    "published-date",
    "article.published",
    "article_date_original",
    "original-publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "citation_publication_date",
    "citation_date",
    "date",
    "ga-publishing-date",
    "displaydate",
    "cxenseparse:recs:publishtime",
];

/// `<meta>` keys giving the last modification date: used only when nothing else dates the page.
pub const MODIFIED_META: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dc.date.modified",
    "dcterms.modified",
    "last-modified",
];

/// `<meta>` keys giving the author(s), best first.
pub const AUTHOR_META: &[&str] = &[
    "author",
    "article:author",
    "og:article:author",
    "parsely-author",
    "sailthru.author",
    "byl",
    "dc.creator",
    "dcterms.creator",
    "citation_author",
    "cxenseparse:author",
    "article:author_name",
];

/// `<meta>` keys giving the outlet's name, best first.
pub const SITE_META: &[&str] = &["og:site_name", "application-name", "publisher", "dc.publisher"];

/// CSS selectors of elements holding a byline, best first.
pub const BYLINE_SELECTORS: &[&str] = &[
    "[itemprop~=author] [itemprop~=name]",
    "[itemprop~=author]",
    "[rel~=author]",
    ".byline__name",
    ".byline-name",
    ".author-name",
    ".author_name",
    ".authorName",
    ".article-author",
    ".post-author",
    ".entry-author",
    ".byline",
    "[class*=byline]",
    "[class*=writer-name]",
    "[class*=author-name]",
    "[class*=author__name]",
];

/// Looser byline selectors, used only when nothing better names an author.
pub const WEAK_BYLINE_SELECTORS: &[&str] = &["[class*=author]", ".by", "[class*=writer]"];

/// Link paths of author pages (`/author/jane-doe`): the link text is a byline.
pub const AUTHOR_LINK_PATHS: &[&str] = &[
    "/author/",
    "/authors/",
    "/autor/",
    "/auteur/",
    "/profile/",
    "/people/",
    "/staff/",
    "/writers/",
    "/contributors/",
    "/contributor/",
    "/editors/",
    "/columnists/",
    "/journalist/",
    "/reporter/",
    "/by/",
];

/// Elements whose content is page furniture, not the article's own byline: a byline found inside
/// one of them belongs to another story, a photo or a comment. `footer` and `aside` count only
/// outside an `<article>` (inside one they often carry the article's own metadata).
pub const NON_BYLINE_ANCESTORS: &[&str] = &["nav", "footer", "aside", "figure", "figcaption"];

/// Words of class or id names (split at `-`, `_` and camelCase, lowercased) marking containers
/// that hold other stories, comments, captions or site chrome; bylines inside them are not the
/// article's. A hint of several words must appear as consecutive words.
pub const NON_BYLINE_CONTAINER_HINTS: &[&str] = &[
    "related",
    "recommended",
    "recommendations",
    "comment",
    "comments",
    "sidebar",
    "teaser",
    "promo",
    "menu",
    "caption",
    "credit",
    "popular",
    "trending",
    "outbrain",
    "taboola",
    "newsletter",
    "post summary",
    "more stories",
    "stories",
    "carousel",
    "scroller",
    "read more",
];

/// Words before a hint that say the container only *has* such a part (`withSidebar`,
/// `no-comments`): the hint does not apply.
const HINT_NEGATORS: &[&str] = &["with", "no", "has", "without", "show", "hide"];

/// Words that end the name part of a byline sentence ("By Jane Doe in Politics on 1 June").
pub const BYLINE_STOP_WORDS: &[&str] =
    &["in", "on", "at", "for", "from", "with", "via", "le", "am"];

/// Class or id fragments of elements that show the publication date as text.
pub const DATE_CLASS_HINTS: &[&str] =
    &["publish", "posted", "dateline", "timestamp", "article-date", "post-date", "date", "time"];

/// Words that open a byline and are not part of the name, lowercased (`By`, `Written by`, `Par`).
pub const BYLINE_PREFIXES: &[&str] = &[
    "written by",
    "posted by",
    "words by",
    "story by",
    "reported by",
    "by:",
    "by",
    "von",
    "par",
    "por",
    "di",
    "door",
    "av",
    "author:",
    "autor:",
    "auteur:",
];

/// Words that mark a byline part as a role or an outlet rather than a person, lowercased.
pub const BYLINE_ROLE_WORDS: &[&str] = &[
    "staff writer",
    "staff reporter",
    "correspondent",
    "contributor",
    "contributing",
    "columnist",
    "editor",
    "reporter",
    "updated",
    "published",
    "posted",
    "photographs",
    "photos",
    "illustration",
    "follow",
    "email",
    "twitter",
    "read more",
    "more from",
    "view all",
    "all posts",
    "min read",
    "see all",
    "full bio",
    "fellow",
    "profile",
    "subscribe",
    "share",
    "comment",
];

/// News agencies credited beside a reporter ("Jane Doe / AP"): dropped from a byline that also
/// names a person, kept when the agency is the only credit. Compared ignoring case.
pub const BYLINE_AGENCIES: &[&str] = &[
    "AP",
    "AFP",
    "Reuters",
    "UPI",
    "dpa",
    "EFE",
    "ANSA",
    "PTI",
    "IANS",
    "ANI",
    "TNN",
    "Xinhua",
    "Kyodo",
    "Yonhap",
    "Bloomberg",
    "Associated Press",
    "Agence France-Presse",
];

/// Separators between a title and a site name, tried from the end.
pub const TITLE_SEPARATORS: &[&str] =
    &[" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " « ", " » ", " ｜ "];

fn selector(css: &str) -> Selector {
    // Invariant: every selector in this file is a constant that the unit tests parse.
    Selector::parse(css).expect("constant CSS selector parses")
}

fn re(pattern: &str) -> Regex {
    // Invariant: constant patterns, compiled by the unit tests.
    Regex::new(pattern).expect("constant pattern compiles")
}

static SEL_META: LazyLock<Selector> = LazyLock::new(|| selector("meta"));
static SEL_JSON_LD: LazyLock<Selector> =
    LazyLock::new(|| selector(r#"script[type="application/ld+json"]"#));
static SEL_H1: LazyLock<Selector> = LazyLock::new(|| selector("h1"));
static SEL_TITLE: LazyLock<Selector> = LazyLock::new(|| selector("title"));
static SEL_DATETIME: LazyLock<Selector> = LazyLock::new(|| selector("[datetime]"));
static SEL_AMPHTML: LazyLock<Selector> = LazyLock::new(|| selector(r#"link[rel~="amphtml"]"#));
static SEL_AUTHOR_LINKS: LazyLock<Selector> = LazyLock::new(|| {
    let parts: Vec<String> =
        AUTHOR_LINK_PATHS.iter().map(|p| format!("a[href*=\"{p}\"]")).collect();
    selector(&parts.join(", "))
});
static SEL_SHORT_BLOCKS: LazyLock<Selector> =
    LazyLock::new(|| selector("p, div, span, cite, address, li, td, small, strong, em, b"));
static SEL_CANONICAL: LazyLock<Selector> = LazyLock::new(|| selector(r#"link[rel~="canonical"]"#));
static SEL_ITEMPROP_DATE: LazyLock<Selector> =
    LazyLock::new(|| selector("[itemprop~=datePublished]"));
static SEL_ITEMPROP_HEADLINE: LazyLock<Selector> =
    LazyLock::new(|| selector("[itemprop~=headline]"));
static SEL_BYLINES_STRONG: LazyLock<Vec<Selector>> =
    LazyLock::new(|| BYLINE_SELECTORS.iter().map(|s| selector(s)).collect());
static SEL_BYLINES_WEAK: LazyLock<Vec<Selector>> =
    LazyLock::new(|| WEAK_BYLINE_SELECTORS.iter().map(|s| selector(s)).collect());
static SEL_DATE_HINTS: LazyLock<Selector> = LazyLock::new(|| {
    let parts: Vec<String> = DATE_CLASS_HINTS
        .iter()
        .flat_map(|h| [format!("[class*={h}]"), format!("[id*={h}]")])
        .collect();
    selector(&parts.join(", "))
});
static SEL_HEADINGS: LazyLock<Selector> = LazyLock::new(|| selector("h1, h2, h3, h4"));
static SEL_PARAGRAPHS: LazyLock<Selector> = LazyLock::new(|| selector("p"));
static BY_LINE: LazyLock<Regex> = LazyLock::new(|| re(r"^(?i:by)\s+(\p{Lu}.{1,80})$"));
static EMAIL: LazyLock<Regex> = LazyLock::new(|| re(r"\S+@\S+\.\S+"));
static AUTHOR_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| re(r"\s*(?:,|;|\s&\s|\s(?:and|und|et|y|e|og|en)\s|\s\|\s|/)\s*"));

/// Parse an HTML page (already decoded to text); `url` is where it came from, when known.
pub fn parse_html(html: &str, url: Option<&str>) -> Result<Article, ParseError> {
    if html.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    let html = flatten_deep(html, MAX_DEPTH);
    let doc = Html::parse_document(&html);
    let meta = MetaTags::collect(&doc);
    let ld = JsonLd::collect(&doc);

    let mut article = Article { format: Some(Format::Html), ..Article::default() };

    // URL: given, canonical, og:url.
    let page_url = url
        .map(str::to_string)
        .or_else(|| {
            doc.select(&SEL_CANONICAL)
                .find_map(|e| e.value().attr("href"))
                .filter(|h| h.starts_with("http"))
                .map(str::to_string)
        })
        .or_else(|| meta.first(&["og:url"]).map(str::to_string));
    article.url = page_url.clone();

    // Source.
    let host = page_url.as_deref().and_then(host_of);
    if let Some(site) = meta.first(SITE_META) {
        article.source = Some(site.to_string());
        article.note_source("source", FieldSource::Meta);
    } else if let Some(p) = ld.publisher() {
        article.source = Some(p);
        article.note_source("source", FieldSource::JsonLd);
    } else if let Some(h) = &host {
        article.source = Some(h.clone());
        article.note_source("source", FieldSource::Url);
    }

    // Body (also gives fallback metadata).
    let extracted = extract_main_text(&html, page_url.as_deref());
    let body = match &extracted {
        Some(x) if !x.body.is_empty() => x.body.clone(),
        _ => fallback_paragraphs(&doc),
    };
    if body.is_empty() {
        return Err(ParseError::NoText);
    }

    // Title.
    let site_names: Vec<String> =
        article.source.iter().cloned().chain(host.iter().cloned()).collect();
    if let Some((t, src)) = choose_title(&doc, &meta, &ld, &site_names) {
        article.title = Some(t);
        article.note_source("title", src);
    }

    // Date.
    article.date = find_date(&doc, &meta, &ld, &page_urls(&doc, &meta, url), extracted.as_ref());

    // Authors.
    if let Some((a, src)) = choose_authors(&doc, &meta, &ld, &body, extracted.as_ref(), &site_names)
    {
        article.authors = a;
        article.note_source("author", src);
    }

    article.body = drop_leading_byline(&body);
    Ok(article)
}

/// The headline: JSON-LD first; else the page's `<h1>` that best agrees with the meta or
/// `<title>` title (the visible headline), else that title without its site name.
fn choose_title(
    doc: &Html,
    meta: &MetaTags,
    ld: &JsonLd,
    site_names: &[String],
) -> Option<(String, FieldSource)> {
    let clean = |t: &str| strip_site_name(&collapse_ws(t), site_names);
    if let Some(t) = ld.headline().map(|t| clean(&t)).filter(|t| !t.is_empty()) {
        return Some((t, FieldSource::JsonLd));
    }
    let reference = meta
        .first(TITLE_META)
        .map(|t| (clean(t), FieldSource::Meta))
        .or_else(|| first_text(doc, &SEL_ITEMPROP_HEADLINE).map(|t| (clean(&t), FieldSource::Meta)))
        .or_else(|| first_text(doc, &SEL_TITLE).map(|t| (clean(&t), FieldSource::Text)))
        .filter(|(t, _)| !t.is_empty());
    let page_title = first_text(doc, &SEL_TITLE).unwrap_or_default();
    let headings: Vec<String> = doc
        .select(&SEL_H1)
        .map(element_text)
        .filter(|h| h.chars().count() >= 2 && h.chars().count() <= 300)
        .filter(|h| !is_site_name(h, site_names))
        .take(8)
        .collect();
    let best = headings
        .iter()
        .map(|h| {
            let agree = reference.as_ref().map_or(0.0, |(r, _)| overlap(h, r));
            (agree.max(overlap(h, &page_title)), h)
        })
        .fold(None::<(f64, &String)>, |acc, x| match acc {
            Some(a) if a.0 >= x.0 => Some(a),
            _ => Some(x),
        });
    match (best, reference) {
        (Some((score, h)), _) if score >= 0.5 => Some((clean(h), FieldSource::Text)),
        (_, Some(r)) => Some(r),
        (Some((_, h)), None) => Some((clean(h), FieldSource::Text)),
        (None, None) => None,
    }
}

/// Share of `a`'s tokens (words, or characters for scripts without spaces) found in `b`.
fn overlap(a: &str, b: &str) -> f64 {
    let tokens = |s: &str| -> Vec<String> {
        let lower = s.to_lowercase();
        let words: Vec<String> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        if words.len() <= 2 && lower.chars().count() > 8 {
            lower.chars().filter(|c| c.is_alphanumeric()).map(String::from).collect()
        } else {
            words
        }
    };
    let (ta, tb) = (tokens(a), tokens(b));
    if ta.is_empty() {
        return 0.0;
    }
    let hits = ta.iter().filter(|t| tb.contains(t)).count();
    hits as f64 / ta.len() as f64
}

/// The authors: JSON-LD; else the visible byline when the meta tags disagree with it or are
/// missing; else the meta tags; else weaker page hints.
fn choose_authors(
    doc: &Html,
    meta: &MetaTags,
    ld: &JsonLd,
    body: &str,
    extracted: Option<&Extracted>,
    site_names: &[String],
) -> Option<(Vec<String>, FieldSource)> {
    let people = |names: Vec<String>| -> Vec<String> {
        without_agencies(names.into_iter().filter(|n| !is_site_name(n, site_names)).collect())
    };
    if let Some(a) = ld.authors().map(people).filter(|a| !a.is_empty()) {
        return Some((a, FieldSource::JsonLd));
    }
    // The first meta key that names a person, with all its values (`citation_author` repeats).
    let from_meta = AUTHOR_META
        .iter()
        .map(|k| meta.all(std::slice::from_ref(k)).flat_map(split_byline).collect::<Vec<_>>())
        .chain(std::iter::once(meta.labelled("written by").flat_map(split_byline).collect()))
        .map(|names| dedup_names(people(names)))
        .find(|a| !a.is_empty());
    let visible = byline_from_elements(doc, &SEL_BYLINES_STRONG)
        .map(people)
        .filter(|a| !a.is_empty())
        .or_else(|| byline_from_author_links(doc).map(people).filter(|a| !a.is_empty()))
        .or_else(|| byline_from_by_elements(doc).map(people).filter(|a| !a.is_empty()));
    match (from_meta, visible) {
        (Some(m), Some(v)) if !names_overlap(&m, &v) => return Some((v, FieldSource::Text)),
        (Some(m), _) => return Some((m, FieldSource::Meta)),
        (None, Some(v)) => return Some((v, FieldSource::Text)),
        (None, None) => {}
    }
    byline_from_elements(doc, &SEL_BYLINES_WEAK)
        .or_else(|| byline_from_text(body))
        .or_else(|| extracted.and_then(|x| x.byline.as_deref()).map(split_byline))
        .map(people)
        .filter(|a| !a.is_empty())
        .map(|a| (a, FieldSource::Text))
}

/// The names without news agencies ([`BYLINE_AGENCIES`]) when a person is named too.
fn without_agencies(names: Vec<String>) -> Vec<String> {
    let is_agency = |n: &String| BYLINE_AGENCIES.iter().any(|a| a.eq_ignore_ascii_case(n));
    if names.iter().all(is_agency) {
        return names;
    }
    names.into_iter().filter(|n| !is_agency(n)).collect()
}

/// Names without repeats (compared ignoring case), first spelling kept.
fn dedup_names(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&n)) {
            out.push(n);
        }
    }
    out
}

fn names_overlap(a: &[String], b: &[String]) -> bool {
    let norm = |s: &String| s.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
    a.iter().any(|x| b.iter().any(|y| norm(x) == norm(y)))
}

/// True when `s` names the outlet itself (its site name or host).
fn is_site_name(s: &str, site_names: &[String]) -> bool {
    let norm = |s: &str| -> String {
        s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
    };
    let p = norm(s);
    !p.is_empty()
        && site_names.iter().any(|site| {
            let core = norm(site.trim_start_matches("www.").split('.').next().unwrap_or(site));
            p == norm(site) || (core.len() >= 3 && p == core)
        })
}

/// Every URL the page is known by: the given one, canonical, og:url, twitter:url, AMP.
fn page_urls(doc: &Html, meta: &MetaTags, given: Option<&str>) -> Vec<String> {
    let mut urls: Vec<String> = given.map(str::to_string).into_iter().collect();
    urls.extend(
        doc.select(&SEL_CANONICAL).filter_map(|e| e.value().attr("href")).map(str::to_string),
    );
    urls.extend(meta.all(&["og:url", "twitter:url"]).map(str::to_string));
    urls.extend(
        doc.select(&SEL_AMPHTML).filter_map(|e| e.value().attr("href")).map(str::to_string),
    );
    urls
}

/// The publication date, from the sources of the module doc, in order.
fn find_date(
    doc: &Html,
    meta: &MetaTags,
    ld: &JsonLd,
    urls: &[String],
    extracted: Option<&Extracted>,
) -> Option<ArticleDate> {
    let at = |value: PartialDate, source: FieldSource| ArticleDate { value, source };
    // Structured publication dates, best first; a UTC stamp gives way to the local day.
    let structured: Vec<(String, FieldSource)> = ld
        .date_strings("datePublished")
        .into_iter()
        .chain(ld.date_strings("dateCreated"))
        .map(|v| (v, FieldSource::JsonLd))
        .chain(meta.all(DATE_META).map(|v| (v.to_string(), FieldSource::Meta)))
        .collect();
    if let Some((d, source)) = local_publication_date(&structured) {
        return Some(at(d, source));
    }
    let microdata = doc.select(&SEL_ITEMPROP_DATE).find_map(|e| {
        let v = e.value();
        let value = v.attr("content").or(v.attr("value")).or(v.attr("datetime"));
        value.and_then(parse_date).or_else(|| parse_date(&element_text(e)))
    });
    if let Some(d) = microdata {
        return Some(at(d, FieldSource::Meta));
    }
    let times: Vec<ElementRef> = doc.select(&SEL_DATETIME).collect();
    let preferred = times.iter().find(|e| {
        let v = e.value();
        v.attr("pubdate").is_some()
            || v.attr("class").is_some_and(|c| c.contains("publish") || c.contains("pub"))
    });
    let time_date = preferred.into_iter().chain(times.iter()).find_map(|e| {
        e.value().attr("datetime").and_then(parse_date).or_else(|| parse_date(&element_text(*e)))
    });
    if let Some(d) = time_date {
        return Some(at(d, FieldSource::Text));
    }
    let url_dates: Vec<PartialDate> = urls.iter().filter_map(|u| date_from_path(u)).collect();
    if let Some(d) = url_dates.iter().find(|d| d.precision == DatePrecision::Day) {
        return Some(at(*d, FieldSource::Url));
    }
    let is_day = |d: &PartialDate| d.precision == DatePrecision::Day;
    let hinted = doc.select(&SEL_DATE_HINTS).find_map(|e| {
        let text = element_text(e);
        (text.len() <= 120).then(|| parse_date(&text)).flatten().filter(is_day)
    });
    if let Some(d) = hinted.or_else(|| date_in_text_nodes(doc)) {
        return Some(at(d, FieldSource::Text));
    }
    if let Some(d) = url_dates.first() {
        return Some(at(*d, FieldSource::Url));
    }
    if let Some(d) = extracted.and_then(|x| x.published.as_deref()).and_then(parse_date) {
        return Some(at(d, FieldSource::Meta));
    }
    if let Some(d) = ld.date("dateModified") {
        return Some(at(d, FieldSource::JsonLd));
    }
    meta.all(MODIFIED_META).find_map(parse_date).map(|d| at(d, FieldSource::Meta))
}

/// The first parseable date of `candidates`; when it is a UTC time stamp (`…Z`, `+00:00`) and a
/// later candidate writes the same moment as a local time on the neighbouring day
/// (`2016-12-23T00:47:31Z` beside `December 22, 2016, 06:47 PM`), the local day wins: the
/// article's date is the day its own readers saw, not the UTC day.
fn local_publication_date(
    candidates: &[(String, FieldSource)],
) -> Option<(PartialDate, FieldSource)> {
    let parsed: Vec<(PartialDate, FieldSource, bool)> = candidates
        .iter()
        .filter_map(|(raw, src)| parse_date(raw).map(|d| (d, *src, is_utc_stamp(raw))))
        .collect();
    let (first, src, utc) = *parsed.first()?;
    let Some(first_time) = first.time.filter(|_| utc && first.precision == DatePrecision::Day)
    else {
        return Some((first, src));
    };
    let utc_moment = first.date.and_time(first_time);
    let local = parsed.iter().skip(1).find(|(d, _, other_utc)| {
        let days_apart = (d.date - first.date).num_days().abs() == 1;
        let same_moment = d.time.is_none_or(|t| {
            (d.date.and_time(t) - utc_moment).num_hours().abs() <= MAX_UTC_OFFSET_HOURS
        });
        !other_utc && d.precision == DatePrecision::Day && days_apart && same_moment
    });
    Some(local.map_or((first, src), |(d, s, _)| (*d, *s)))
}

/// The largest distance of a local time from UTC, in hours (UTC−12 … UTC+14).
const MAX_UTC_OFFSET_HOURS: i64 = 14;

/// True when a date string is a time stamp written in UTC (`Z`, `+00:00`, `+0000`, `UTC`, `GMT`).
fn is_utc_stamp(raw: &str) -> bool {
    let t = raw.trim();
    t.contains(':')
        && (t.ends_with('Z')
            || t.ends_with('z')
            || t.ends_with("+00:00")
            || t.ends_with("+0000")
            || t.ends_with("UTC")
            || t.ends_with("GMT"))
}

/// The `<meta>` tags of a page: lowercased key (`name`, `property`, `itemprop` or `http-equiv`)
/// to contents in page order.
struct MetaTags {
    map: HashMap<String, Vec<String>>,
}

impl MetaTags {
    fn collect(doc: &Html) -> MetaTags {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for e in doc.select(&SEL_META) {
            let v = e.value();
            // `value` stands in for `content` in some saved or rewritten pages.
            let content = v.attr("content").or_else(|| v.attr("value"));
            let Some(content) = content.map(str::trim).filter(|c| !c.is_empty()) else {
                continue;
            };
            for key in ["name", "property", "itemprop", "http-equiv"] {
                if let Some(k) = v.attr(key) {
                    for k in k.split_whitespace() {
                        map.entry(k.to_lowercase()).or_default().push(content.to_string());
                    }
                }
            }
        }
        MetaTags { map }
    }

    /// Every value of the given keys, keys in order.
    fn all<'a>(&'a self, keys: &'a [&'a str]) -> impl Iterator<Item = &'a str> + 'a {
        keys.iter().filter_map(|k| self.map.get(*k)).flatten().map(String::as_str)
    }

    /// Values of `twitter:dataN` whose `twitter:labelN` is `label` (e.g. "Written by").
    fn labelled<'a>(&'a self, label: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        (1..=4).filter_map(move |n| {
            let l = self.map.get(&format!("twitter:label{n}"))?.first()?;
            if !l.eq_ignore_ascii_case(label) {
                return None;
            }
            self.map.get(&format!("twitter:data{n}"))?.first().map(String::as_str)
        })
    }

    fn first(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().filter_map(|k| self.map.get(*k)).flatten().map(String::as_str).next()
    }
}

/// The JSON-LD objects of a page: every node (top level, arrays, `@graph`), and the first that is
/// an article.
struct JsonLd {
    nodes: Vec<Value>,
    article: Option<Value>,
}

impl JsonLd {
    fn collect(doc: &Html) -> JsonLd {
        let mut nodes = Vec::new();
        for script in doc.select(&SEL_JSON_LD) {
            let raw: String = script.text().collect();
            let cleaned = raw
                .trim()
                .trim_start_matches("<!--")
                .trim_end_matches("-->")
                .trim()
                .trim_start_matches("//<![CDATA[")
                .trim_end_matches("//]]>")
                .trim();
            if let Ok(v) = serde_json::from_str::<Value>(cleaned) {
                flatten_ld(v, &mut nodes, 0);
            }
        }
        let article = nodes
            .iter()
            .find(|n| has_type(n, ARTICLE_TYPES))
            .or_else(|| nodes.iter().find(|n| n.get("headline").is_some()))
            .cloned();
        JsonLd { nodes, article }
    }

    fn headline(&self) -> Option<String> {
        let a = self.article.as_ref()?;
        ["headline", "name", "alternativeHeadline"]
            .iter()
            .find_map(|k| a.get(*k).and_then(Value::as_str))
            .map(|s| html_unescape(s.trim()))
            .filter(|s| !s.is_empty())
    }

    fn date(&self, key: &str) -> Option<PartialDate> {
        let v = self.article.as_ref()?.get(key)?;
        match v {
            Value::Array(items) => items.iter().filter_map(Value::as_str).find_map(parse_date),
            _ => v.as_str().and_then(parse_date),
        }
    }

    /// The raw strings of a date key of the article node (a string or an array of strings).
    fn date_strings(&self, key: &str) -> Vec<String> {
        match self.article.as_ref().and_then(|a| a.get(key)) {
            Some(Value::Array(items)) => {
                items.iter().filter_map(Value::as_str).map(str::to_string).collect()
            }
            Some(Value::String(v)) => vec![v.clone()],
            _ => Vec::new(),
        }
    }

    fn authors(&self) -> Option<Vec<String>> {
        let v = self
            .article
            .as_ref()?
            .get("author")
            .or_else(|| self.article.as_ref()?.get("creator"))?;
        let mut names = Vec::new();
        self.names_in(v, &mut names);
        Some(names)
    }

    /// Person names in an author value: a string, an object with `name`, an `@id` reference to a
    /// node of the graph, or an array of these.
    fn names_in(&self, v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out.extend(split_byline(&html_unescape(s))),
            Value::Array(items) => items.iter().for_each(|i| self.names_in(i, out)),
            Value::Object(o) => {
                if let Some(name) = o.get("name").and_then(Value::as_str) {
                    out.extend(split_byline(&html_unescape(name)));
                } else if let Some(id) = o.get("@id").and_then(Value::as_str) {
                    let node = self.nodes.iter().find(|n| {
                        n.get("@id").and_then(Value::as_str) == Some(id) && n.get("name").is_some()
                    });
                    if let Some(name) = node.and_then(|n| n.get("name")).and_then(Value::as_str) {
                        out.extend(split_byline(&html_unescape(name)));
                    }
                }
            }
            _ => {}
        }
    }

    fn publisher(&self) -> Option<String> {
        let p = self.article.as_ref()?.get("publisher")?;
        let p = match p {
            Value::Array(items) => items.first()?,
            other => other,
        };
        let name = match p {
            Value::String(s) => Some(s.as_str()),
            Value::Object(o) => o.get("name").and_then(Value::as_str).or_else(|| {
                let id = o.get("@id").and_then(Value::as_str)?;
                self.nodes
                    .iter()
                    .find(|n| n.get("@id").and_then(Value::as_str) == Some(id))?
                    .get("name")?
                    .as_str()
            }),
            _ => None,
        }?;
        let name = html_unescape(name.trim());
        (!name.is_empty()).then_some(name)
    }
}

/// Collect JSON-LD nodes from arrays and `@graph`, a few levels deep.
fn flatten_ld(v: Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 4 {
        return;
    }
    match v {
        Value::Array(items) => items.into_iter().for_each(|i| flatten_ld(i, out, depth + 1)),
        Value::Object(mut o) => {
            if let Some(graph) = o.remove("@graph") {
                flatten_ld(graph, out, depth + 1);
            }
            if let Some(main) = o.get("mainEntity").filter(|m| m.is_object()).cloned() {
                flatten_ld(main, out, depth + 1);
            }
            out.push(Value::Object(o));
        }
        _ => {}
    }
}

fn has_type(node: &Value, types: &[&str]) -> bool {
    match node.get("@type") {
        Some(Value::String(t)) => types.contains(&t.as_str()),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(|t| types.contains(&t)),
        _ => false,
    }
}

/// What the main-text extractor found.
struct Extracted {
    body: String,
    byline: Option<String>,
    published: Option<String>,
}

fn extract_main_text(html: &str, url: Option<&str>) -> Option<Extracted> {
    let cfg = Config {
        text_mode: TextMode::Formatted,
        max_elements_to_parse: MAX_ELEMENTS,
        ..Config::default()
    };
    let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let mut readability = Readability::new(html, url, Some(cfg.clone()))
        .or_else(|_| Readability::new(html, None, Some(cfg)))
        .ok()?;
    let a = readability.parse().ok()?;
    Some(Extracted {
        body: paragraphs(&a.text_content),
        byline: a.byline,
        published: a.published_time,
    })
}

/// Text split into paragraphs at blank lines (or at single line breaks when there are no blank
/// lines), whitespace collapsed inside each, joined by `"\n\n"`.
fn paragraphs(text: &str) -> String {
    let blocks: Vec<&str> =
        if text.contains("\n\n") { text.split("\n\n").collect() } else { text.lines().collect() };
    blocks.into_iter().map(collapse_ws).filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n\n")
}

/// When the extractor finds nothing: every `<p>` of the page.
fn fallback_paragraphs(doc: &Html) -> String {
    doc.select(&SEL_PARAGRAPHS)
        .map(element_text)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// True when `e` sits in page furniture ([`NON_BYLINE_ANCESTORS`],
/// [`NON_BYLINE_CONTAINER_HINTS`]) or inside a link to another story (a teaser card: a link that
/// also holds a heading or much more text than the byline), so a byline there is not the
/// article's.
fn outside_article_byline(e: ElementRef) -> bool {
    let ancestors: Vec<ElementRef> = e.ancestors().filter_map(ElementRef::wrap).collect();
    let in_article = ancestors.iter().any(|a| a.value().name() == "article");
    let own = text_len(e);
    ancestors.iter().any(|a| {
        let v = a.value();
        let name = v.name();
        if matches!(name, "html" | "body" | "main") {
            return false;
        }
        if NON_BYLINE_ANCESTORS.contains(&name)
            && !(in_article && matches!(name, "footer" | "aside"))
        {
            return true;
        }
        let marked = [v.attr("class"), v.attr("id")]
            .into_iter()
            .flatten()
            .flat_map(str::split_whitespace)
            .any(|token| name_has_hint(token, NON_BYLINE_CONTAINER_HINTS));
        if marked {
            return true;
        }
        name == "a" && (a.select(&SEL_HEADINGS).next().is_some() || text_len(*a) > own + 25)
    })
}

/// Characters of text inside `e`, spaces excluded.
fn text_len(e: ElementRef) -> usize {
    e.text().flat_map(str::chars).filter(|c| !c.is_whitespace()).count()
}

/// True when a class or id name (`cb-related-posts`, `relatedLinks`) holds one of `hints` as
/// whole words, not preceded by a word of [`HINT_NEGATORS`].
fn name_has_hint(name: &str, hints: &[&str]) -> bool {
    let words = class_words(name);
    hints.iter().any(|hint| {
        let hint: Vec<&str> = hint.split(' ').collect();
        words.windows(hint.len()).enumerate().any(|(i, w)| {
            w.iter().zip(&hint).all(|(a, b)| a == b)
                && (i == 0 || !HINT_NEGATORS.contains(&words[i - 1].as_str()))
        })
    })
}

/// The lowercase words of a class or id name, split at `-`, `_` and lower-to-upper case changes.
fn class_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// Names in the first element matched by one of `selectors` that holds a short byline.
fn byline_from_elements(doc: &Html, selectors: &[Selector]) -> Option<Vec<String>> {
    for sel in selectors {
        for e in doc.select(sel).filter(|e| !outside_article_byline(*e)) {
            if matches!(e.value().name(), "meta" | "link" | "script" | "style" | "img") {
                let v = e.value();
                let content = v.attr("content").or(v.attr("value"));
                if let Some(c) = content.map(split_byline).filter(|a| !a.is_empty()) {
                    return Some(c);
                }
                continue;
            }
            let text = element_text(e);
            if text.is_empty() || text.chars().count() > 120 {
                continue;
            }
            let names = split_byline(&text);
            if !names.is_empty() {
                return Some(with_co_authors(e, &text).unwrap_or(names));
            }
        }
    }
    None
}

/// Links to author pages (`/author/jane-doe`): the names in the short element around them
/// (which also catches "Jane Doe and John Roe"), else the link text.
fn byline_from_author_links(doc: &Html) -> Option<Vec<String>> {
    doc.select(&SEL_AUTHOR_LINKS).filter(|e| !outside_article_byline(*e)).find_map(|link| {
        let text = element_text(link);
        if text.is_empty() || text.chars().count() > 60 || text.split_whitespace().count() > 5 {
            return None;
        }
        with_co_authors(link, &text).or_else(|| Some(split_byline(&text))).filter(|a| !a.is_empty())
    })
}

/// The names in the short element around a byline element, when it holds that name and more
/// ("<a>Jane Doe</a> and <a>John Roe</a>").
fn with_co_authors(e: ElementRef, text: &str) -> Option<Vec<String>> {
    let around = e
        .parent()
        .and_then(ElementRef::wrap)
        .map(element_text)
        .filter(|t| t.chars().count() <= 100 && t.contains(text))?;
    let names = split_byline(&around);
    (names.len() > 1 && names.iter().any(|n| text.contains(n.as_str()))).then_some(names)
}

/// The first short element whose text is a "By Jane Doe" byline.
fn byline_from_by_elements(doc: &Html) -> Option<Vec<String>> {
    doc.select(&SEL_SHORT_BLOCKS).filter(|e| !outside_article_byline(*e)).find_map(|e| {
        let text = element_text(e);
        if text.chars().count() > 100 {
            return None;
        }
        let c = BY_LINE.captures(&text)?;
        Some(split_byline(&c[1])).filter(|a| !a.is_empty())
    })
}

/// The first day-precise date in a short text node after the first `<h1>` (else anywhere).
fn date_in_text_nodes(doc: &Html) -> Option<PartialDate> {
    let mut seen_h1 = false;
    let mut before_h1 = None;
    let mut after_h1_nodes = 0usize;
    for node in doc.root_element().descendants() {
        if let Some(el) = node.value().as_element() {
            if el.name() == "h1" {
                seen_h1 = true;
            }
            continue;
        }
        let Some(text) = node.value().as_text() else {
            continue;
        };
        let parent = node.parent().and_then(|p| p.value().as_element().map(|e| e.name()));
        if matches!(parent, Some("script" | "style" | "noscript" | "title" | "option" | "textarea"))
        {
            continue;
        }
        let text = text.trim();
        if text.is_empty() || text.len() > 100 {
            continue;
        }
        if seen_h1 {
            after_h1_nodes += 1;
            if after_h1_nodes > 200 {
                break;
            }
        }
        let Some(d) = parse_date(text).filter(|d| d.precision == DatePrecision::Day) else {
            continue;
        };
        if seen_h1 {
            return Some(d);
        }
        before_h1.get_or_insert(d);
    }
    before_h1
}

/// The body without byline or date-only paragraphs among its first three ("By Jane Doe",
/// "Par Élodie Marchand, le 12 octobre 2019", "Posted: March 3, 2021").
fn drop_leading_byline(body: &str) -> String {
    let paras: Vec<&str> = body.split("\n\n").collect();
    let is_meta_line = |p: &str| {
        let p = p.trim();
        if p.chars().count() > 120 {
            return false;
        }
        let starts_with_prefix = BYLINE_PREFIXES.iter().any(|pre| {
            strip_prefix_ci(p, pre).is_some_and(|rest| {
                rest.starts_with(' ')
                    && rest.trim_start().chars().next().is_some_and(char::is_uppercase)
            })
        });
        starts_with_prefix || (p.chars().count() <= 60 && parse_date(p).is_some())
    };
    let skip = paras.iter().take(3).take_while(|p| is_meta_line(p)).count();
    if skip == paras.len() {
        return body.to_string();
    }
    paras[skip..].join("\n\n")
}

/// A "By Jane Doe" line among the first paragraphs of the text.
fn byline_from_text(body: &str) -> Option<Vec<String>> {
    body.split("\n\n").take(6).find_map(|p| {
        let c = BY_LINE.captures(p.trim())?;
        Some(split_byline(&c[1])).filter(|a| !a.is_empty())
    })
}

/// Split a byline into names: strip a leading "By", drop e-mail addresses, role words and
/// timestamps, split at commas, "and", "&", ";".
pub fn split_byline(byline: &str) -> Vec<String> {
    let text = EMAIL.replace_all(byline, " ");
    let mut text = collapse_ws(&text);
    // A byline that is a URL says nothing about the name (e.g. a social profile).
    if text.starts_with("http://") || text.starts_with("https://") {
        return Vec::new();
    }
    let rest = BYLINE_PREFIXES.iter().find_map(|p| {
        strip_prefix_ci(&text, p).filter(|rest| rest.starts_with([' ', ':', '\u{a0}']))
    });
    if let Some(rest) = rest {
        text = rest.trim_start_matches([' ', ':', '\u{a0}']).to_string();
    }
    // "Doe, Jane": one comma between two single words is a reversed name.
    if let Some((last, first)) = text.split_once(", ") {
        let single = |w: &str| !w.is_empty() && !w.contains([' ', ',']);
        if single(last) && single(first) && first.chars().next().is_some_and(char::is_uppercase) {
            text = format!("{first} {last}");
        }
    }
    let mut names = Vec::new();
    for part in AUTHOR_SPLIT.split(&text) {
        let part = part.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '\'');
        let part = BYLINE_PREFIXES
            .iter()
            .find_map(|p| strip_prefix_ci(part, p).filter(|rest| rest.starts_with(' ')))
            .map_or(part, str::trim_start);
        // "Jane Doe in Politics on 1 June": the name ends before a lowercase stop word.
        let words: Vec<&str> = part.split_whitespace().collect();
        let name_len =
            words.iter().position(|w| BYLINE_STOP_WORDS.contains(w)).unwrap_or(words.len());
        let part = words[..name_len].join(" ");
        let lower_part = part.to_lowercase();
        let part =
            part.split_whitespace().filter(|w| !w.starts_with('@')).collect::<Vec<_>>().join(" ");
        let part = part.as_str();
        let starts_lower = part.chars().next().is_some_and(char::is_lowercase);
        if part.is_empty()
            || starts_lower
            || BYLINE_PREFIXES.contains(&lower_part.as_str())
            || part.chars().count() > 60
            || part.split_whitespace().count() > 6
            || part.chars().any(|c| c.is_ascii_digit())
            || BYLINE_ROLE_WORDS.iter().any(|w| lower_part.contains(w))
        {
            continue;
        }
        if !names.iter().any(|n: &String| n.eq_ignore_ascii_case(part)) {
            names.push(part.to_string());
        }
    }
    names
}

/// `s` without the ASCII prefix `prefix`, compared ignoring ASCII case.
fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &s[prefix.len()..])
}

/// Drop a site name before or after the headline: `Headline | Site` → `Headline`. A part is a
/// site name when it matches one of `site_names` (the outlet, the host) or, at the end, when it
/// is much shorter than the headline.
fn strip_site_name(title: &str, site_names: &[String]) -> String {
    let norm = |s: &str| -> String {
        s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
    };
    let sites: Vec<String> = site_names
        .iter()
        .map(|s| norm(s.trim_start_matches("www.").split('.').next().unwrap_or(s)))
        .chain(site_names.iter().map(|s| norm(s)))
        .filter(|s| s.len() >= 3)
        .collect();
    let is_site = |part: &str| {
        let p = norm(part);
        !p.is_empty()
            && sites.iter().any(|s| p == *s || p.contains(s.as_str()) || s.contains(p.as_str()))
    };
    let mut t = title.trim().to_string();
    loop {
        let before = t.len();
        for sep in TITLE_SEPARATORS {
            if let Some((head, tail)) = t.split_once(sep) {
                if !tail.trim().is_empty() && is_site(head) {
                    t = tail.trim().to_string();
                    break;
                }
            }
            if let Some((head, tail)) = t.rsplit_once(sep) {
                let short_tail = tail.split_whitespace().count() <= 3
                    && head.split_whitespace().count() >= 3
                    && *sep != " - ";
                if !head.trim().is_empty() && !is_site(head) && (is_site(tail) || short_tail) {
                    t = head.trim().to_string();
                    break;
                }
            }
        }
        if t.len() == before {
            return t;
        }
    }
}

/// Remove the tags of elements nested deeper than `limit` (their text stays), in one pass over the
/// markup. Void elements and elements whose end tag may be left out (`p`, `li`, …) do not count.
fn flatten_deep(html: &str, limit: usize) -> Cow<'_, str> {
    const UNCOUNTED: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody",
        "thead", "tfoot", "colgroup", "rb", "rt", "rp", "html", "head", "body", "param",
    ];
    let bytes = html.as_bytes();
    // First pass: is any flattening needed at all?
    let too_deep = {
        let mut depth = 0usize;
        let mut max = 0usize;
        for_each_tag(bytes, |_, _, name, closing, self_closing| {
            if UNCOUNTED.contains(&name) || self_closing {
                return;
            }
            if closing {
                depth = depth.saturating_sub(1);
            } else {
                depth += 1;
                max = max.max(depth);
            }
        });
        max > limit
    };
    if !too_deep {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut depth = 0usize;
    let mut last = 0usize;
    for_each_tag(bytes, |start, end, name, closing, self_closing| {
        if UNCOUNTED.contains(&name) || self_closing {
            return;
        }
        let drop = if closing {
            let d = depth > limit;
            depth = depth.saturating_sub(1);
            d
        } else {
            depth += 1;
            depth > limit
        };
        if drop {
            out.push_str(&html[last..start]);
            last = end;
        }
    });
    out.push_str(&html[last..]);
    Cow::Owned(out)
}

/// Call `f(start, end, lowercase_name, closing, self_closing)` for each tag `<name …>` /
/// `</name>` of the markup; the content of `script` and `style` is skipped.
fn for_each_tag(bytes: &[u8], mut f: impl FnMut(usize, usize, &str, bool, bool)) {
    let mut i = 0;
    let mut name = String::new();
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'<') {
        let start = i + off;
        let mut j = start + 1;
        let closing = bytes.get(j) == Some(&b'/');
        if closing {
            j += 1;
        }
        let name_start = j;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-') {
            j += 1;
        }
        if j == name_start || !bytes[name_start].is_ascii_alphabetic() {
            i = start + 1;
            continue;
        }
        name.clear();
        name.extend(bytes[name_start..j].iter().map(|b| b.to_ascii_lowercase() as char));
        let Some(gt) = bytes[j..].iter().position(|&b| b == b'>') else {
            break;
        };
        let end = j + gt + 1;
        let self_closing = end >= 2 && bytes[end - 2] == b'/';
        f(start, end, &name, closing, self_closing);
        i = end;
        if !closing && (name == "script" || name == "style") {
            let close = format!("</{name}");
            let rest = &bytes[i..];
            let found =
                rest.windows(close.len()).position(|w| w.eq_ignore_ascii_case(close.as_bytes()));
            match found {
                Some(p) => i += p,
                None => break,
            }
        }
    }
}

fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?;
    let host = host.split(':').next()?.to_lowercase();
    (host.contains('.')).then_some(host)
}

fn first_text(doc: &Html, sel: &Selector) -> Option<String> {
    doc.select(sel).map(element_text).find(|t| !t.is_empty())
}

fn element_text(e: ElementRef) -> String {
    let v = e.value();
    if let Some(c) = v.attr("content").or(v.attr("value")).filter(|_| v.name() == "meta") {
        return collapse_ws(c);
    }
    collapse_ws(&e.text().collect::<Vec<_>>().join(" "))
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decode the few entities that JSON-LD strings often carry escaped twice.
fn html_unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    const ENTITIES: &[(&str, &str)] = &[
        ("&amp;", "&"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&#039;", "'"),
        ("&apos;", "'"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&nbsp;", " "),
        ("&#8217;", "\u{2019}"),
        ("&#8216;", "\u{2018}"),
        ("&#8220;", "\u{201C}"),
        ("&#8221;", "\u{201D}"),
        ("&#8211;", "\u{2013}"),
        ("&#8212;", "\u{2014}"),
    ];
    ENTITIES.iter().fold(s.to_string(), |acc, (e, r)| acc.replace(e, r))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str =
        "<p>The council met on Monday evening to discuss the new bridge over the river, \
        which has been closed for repairs since the spring floods damaged its supports.</p>\
        <p>Residents asked for a timetable. The engineer said the work would take another six \
        months, and that the cost had risen because steel prices went up over the summer.</p>\
        <p>A vote on the extra money is expected next week, after the finance committee reviews \
        the figures and the contractor's revised estimate.</p>";

    fn page(head: &str, body: &str) -> String {
        format!("<!doctype html><html><head>{head}</head><body>{body}</body></html>")
    }

    fn summary(a: &Article) -> String {
        format!(
            "{} | {} | {} | {}",
            a.title.as_deref().unwrap_or("-"),
            a.date.map_or("-".to_string(), |d| format!("{}@{}", d.value.display(), d.source)),
            if a.authors.is_empty() { "-".to_string() } else { a.authors.join("+") },
            a.source.as_deref().unwrap_or("-"),
        )
    }

    #[test]
    fn metadata_table() {
        let cases: Vec<(&str, String, Option<&str>, &str)> = vec![
            (
                "json_ld_graph_with_person_reference",
                page(
                    r##"<title>Bridge repairs drag on | Riverside Courier</title>
                    <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
                      {"@type":"WebSite","@id":"#site","name":"Riverside Courier"},
                      {"@type":"Person","@id":"#p1","name":"Ana Lima"},
                      {"@type":"NewsArticle","headline":"Bridge repairs drag on","datePublished":"2021-04-03T08:00:00+02:00",
                       "author":[{"@id":"#p1"},{"@type":"Person","name":"Tom Reyes"}],"publisher":{"@id":"#site"}}]}</script>"##,
                    BODY,
                ),
                None,
                "Bridge repairs drag on | 2021-04-03@json-ld | Ana Lima+Tom Reyes | Riverside Courier",
            ),
            (
                "json_ld_array_type_list",
                page(
                    r#"<script type="application/ld+json">[{"@type":"BreadcrumbList"},{"@type":["ReportageNewsArticle"],
                    "headline":"Ferry strike ends","datePublished":"2019-07-01","author":"By Mia Chen and Omar Diaz",
                    "publisher":{"@type":"Organization","name":"Harbour Post"}}]</script>"#,
                    BODY,
                ),
                None,
                "Ferry strike ends | 2019-07-01@json-ld | Mia Chen+Omar Diaz | Harbour Post",
            ),
            (
                "meta_tags_only",
                page(
                    r#"<meta property="og:title" content="Library extends hours - The Valley Gazette">
                    <meta property="og:site_name" content="The Valley Gazette">
                    <meta property="article:published_time" content="2018-02-14T21:30:00-05:00">
                    <meta name="author" content="Jo Park">"#,
                    BODY,
                ),
                None,
                "Library extends hours | 2018-02-14@meta | Jo Park | The Valley Gazette",
            ),
            (
                "markup_only_h1_time_byline",
                page(
                    "<title>Snow closes schools « Northern Ledger</title>",
                    &format!(
                        r#"<h1>Snow closes schools</h1><div class="byline">By Lena Fischer, Staff Writer</div>
                        <time datetime="2017-01-09">Jan 9</time>{BODY}"#
                    ),
                ),
                None,
                "Snow closes schools | 2017-01-09@text | Lena Fischer | -",
            ),
            (
                "url_date_and_host",
                page("<title>Market day</title>", BODY),
                Some("https://news.example.org/2015/06/22/market-day"),
                "Market day | 2015-06-22@url | - | news.example.org",
            ),
            (
                "byline_in_text",
                page("<h1>Harvest festival returns</h1>", &format!("<p>By Priya Nair</p>{BODY}")),
                None,
                "Harvest festival returns | - | Priya Nair | -",
            ),
        ];
        for (name, html, url, want) in cases {
            let got = parse_html(&html, url).map(|a| summary(&a));
            assert_eq!(got.ok().as_deref(), Some(want), "case {name}");
        }
    }

    #[test]
    fn body_drops_navigation_and_keeps_paragraphs() {
        let html = page(
            "<title>x</title>",
            &format!(
                r#"<nav><a href="/">Home</a> <a href="/world">World</a></nav>
                <article>{BODY}</article><div class="share">Share on social</div>
                <script>var x = 1;</script><footer>Copyright notice</footer>"#
            ),
        );
        let a = parse_html(&html, None).expect("parses");
        assert!(a.body.starts_with("The council met"), "{}", a.body);
        assert_eq!(a.body.matches("\n\n").count(), 2, "{}", a.body);
        assert!(!a.body.contains("Home") && !a.body.contains("var x"), "{}", a.body);
    }

    #[test]
    fn split_byline_table() {
        let cases: &[(&str, &str, &str)] = &[
            ("plain", "Jane Doe", "Jane Doe"),
            ("by_prefix", "By Jane Doe", "Jane Doe"),
            ("caps_list", "JANE DOE, JOHN ROE and MAX MUSTER", "JANE DOE+JOHN ROE+MAX MUSTER"),
            ("ampersand", "Jane Doe & John Roe", "Jane Doe+John Roe"),
            ("role_dropped", "Jane Doe, Senior Correspondent", "Jane Doe"),
            ("email_dropped", "Jane Doe jdoe@example.com", "Jane Doe"),
            ("url_is_no_name", "https://social.example/janedoe", ""),
            ("german_von", "Von Erika Muster", "Erika Muster"),
            ("reversed_name", "Doe, Jane", "Jane Doe"),
            ("name_ends_at_stop_word", "Written by Jane Doe in Science on 1 June 2019", "Jane Doe"),
            ("contributor_at_agency", "Jane Doe, John Roe at Model Agency", "Jane Doe+John Roe"),
            ("capitalised_particle_kept", "By Marie Le Gall", "Marie Le Gall"),
        ];
        for (name, input, want) in cases {
            assert_eq!(split_byline(input).join("+"), *want, "case {name}");
        }
    }

    /// A page with the shared body, `head` in its head and `top` above the body paragraphs.
    fn article_page(head: &str, top: &str) -> String {
        page(head, &format!("<article><h1>Bridge repairs drag on</h1>{top}{BODY}</article>"))
    }

    #[test]
    fn byline_choice_table() {
        let card = r#"<div><a href="/2020/01/other-story"><h3>Another story entirely</h3>
            <span class="byline">By Rex Teaser</span></a></div>"#;
        let cases: Vec<(&str, String, &str)> = vec![
            (
                "teaser_card_with_heading_ignored",
                page(
                    "",
                    &format!(
                        r#"{card}<article><h1>Bridge repairs drag on</h1>
                        <div class="byline">By Ana Lima</div>{BODY}</article>"#
                    ),
                ),
                "Ana Lima",
            ),
            (
                "teaser_link_with_long_text_ignored",
                page(
                    "",
                    &format!(
                        r#"<a href="/2020/01/x"><div>Council approves the new budget for the coming
                        year after a long debate</div><span class="author-name">Rex Teaser</span></a>
                        <article><h1>Bridge repairs drag on</h1>
                        <span class="author-name">Ana Lima</span>{BODY}</article>"#
                    ),
                ),
                "Ana Lima",
            ),
            (
                "photo_credit_is_not_the_author",
                article_page(
                    r#"<meta name="author" content="Ana Lima">"#,
                    r#"<figure><img src="a.jpg"><figcaption><p itemprop="author">Pat Lens</p>
                    </figcaption></figure>"#,
                ),
                "Ana Lima",
            ),
            (
                "related_container_ignored",
                page(
                    "",
                    &format!(
                        r#"<div class="cb-related-posts"><span class="author-name">Rex Teaser</span>
                        </div><article><h1>Bridge repairs drag on</h1>
                        <div class="byline">By Ana Lima</div>{BODY}</article>"#
                    ),
                ),
                "Ana Lima",
            ),
            (
                "container_with_sidebar_is_not_a_sidebar",
                page(
                    "",
                    &format!(
                        r#"<div class="layoutWithSidebar"><h1>Bridge repairs drag on</h1>
                        <div class="byline">By Ana Lima</div>{BODY}</div>"#
                    ),
                ),
                "Ana Lima",
            ),
            (
                "page_footer_staff_list_ignored",
                page(
                    "",
                    &format!(
                        r#"<h1>Bridge repairs drag on</h1>{BODY}
                        <footer><a href="/author/rex-teaser">Rex Teaser</a></footer>"#
                    ),
                ),
                "-",
            ),
            (
                "article_footer_byline_kept",
                article_page("", r#"<footer><p class="post-author">By Ana Lima</p></footer>"#),
                "Ana Lima",
            ),
            (
                "site_name_byline_falls_through_to_author_link",
                article_page(
                    r#"<meta property="og:site_name" content="Riverside Courier">"#,
                    r#"<div class="byline">Riverside Courier</div>
                    <a href="/author/ana-lima">Ana Lima</a>"#,
                ),
                "Ana Lima",
            ),
            (
                "written_by_with_section_and_date",
                article_page(
                    "",
                    r#"<div class="author">Written by <a href="/about">Ana Lima</a> in
                    <a href="/science">Science</a> on 1 June 2019 at 08:34 PM EDT.</div>"#,
                ),
                "Ana Lima",
            ),
            (
                "agency_beside_reporter_dropped",
                article_page("", r#"<div class="byline"><a>Ana Lima</a> / AFP</div>"#),
                "Ana Lima",
            ),
            ("agency_alone_kept", article_page("", r#"<div class="byline">By AFP</div>"#), "AFP"),
            (
                "repeated_citation_author_meta",
                article_page(
                    r#"<meta name="citation_author" content="Lima, Ana">
                    <meta name="citation_author" content="Tom Reyes">"#,
                    "",
                ),
                "Ana Lima+Tom Reyes",
            ),
            (
                "editors_profile_link",
                article_page("", r#"<a href="/about/editors/ana-lima/">Ana Lima</a>"#),
                "Ana Lima",
            ),
        ];
        for (name, html, want) in cases {
            let a = parse_html(&html, None).expect("parses");
            let got = if a.authors.is_empty() { "-".to_string() } else { a.authors.join("+") };
            assert_eq!(got, want, "case {name}");
        }
    }

    #[test]
    fn date_choice_table() {
        let cases: Vec<(&str, String, &str)> = vec![
            (
                "utc_stamp_gives_way_to_local_day",
                article_page(
                    r#"<meta property="article:published_time" content="2016-12-23T00:47:31Z">
                    <meta name="sailthru.date" content="Thursday, December 22, 2016, 06:47 PM">"#,
                    "",
                ),
                "2016-12-22",
            ),
            (
                "utc_stamp_kept_when_local_agrees",
                article_page(
                    r#"<meta property="article:published_time" content="2016-12-22T14:00:00Z">
                    <meta name="sailthru.date" content="December 22, 2016 09:00 AM">"#,
                    "",
                ),
                "2016-12-22",
            ),
            (
                "utc_stamp_kept_when_other_date_is_far",
                article_page(
                    r#"<meta property="article:published_time" content="2016-12-23T00:47:31Z">
                    <meta name="dc.date" content="2016-12-22T02:00:00">"#,
                    "",
                ),
                "2016-12-23",
            ),
            (
                "offset_stamp_is_already_local",
                article_page(
                    r#"<meta property="article:published_time" content="2016-12-06T23:30:00-05:00">
                    <meta name="sailthru.date" content="2016-12-07 04:30:00">"#,
                    "",
                ),
                "2016-12-06",
            ),
            (
                "java_date_string_meta",
                article_page(
                    r#"<meta name="article:published_time" content="Mon Aug 03 12:45:00 EDT 2015">"#,
                    "",
                ),
                "2015-08-03",
            ),
        ];
        for (name, html, want) in cases {
            let a = parse_html(&html, None).expect("parses");
            let got = a.date.map_or("-".to_string(), |d| d.value.display());
            assert_eq!(got, want, "case {name}");
        }
    }

    #[test]
    fn class_hint_table() {
        let cases: &[(&str, &str, bool)] = &[
            ("kebab_word", "cb-related-posts", true),
            ("camel_word", "relatedLinks", true),
            ("two_word_hint", "entry post-summary size-small", true),
            ("negated_with", "withSidebar", false),
            ("negated_no", "no-sidebars", false),
            ("word_inside_other_word", "ContentHeaderAccreditation", false),
            ("plain_byline", "byline__name", false),
        ];
        for (name, class, want) in cases {
            let got =
                class.split_whitespace().any(|t| name_has_hint(t, NON_BYLINE_CONTAINER_HINTS));
            assert_eq!(got, *want, "case {name}");
        }
    }

    #[test]
    fn strip_site_name_table() {
        let sites = vec!["The Daily Example".to_string(), "www.dailyexample.com".to_string()];
        let cases: &[(&str, &str, &str)] = &[
            ("pipe_suffix", "Rates rise again | The Daily Example", "Rates rise again"),
            ("dash_suffix_matching_host", "Rates rise again - DailyExample", "Rates rise again"),
            ("prefix_site", "The Daily Example | Rates rise again", "Rates rise again"),
            ("dash_inside_headline_kept", "Spider-Man - the review", "Spider-Man - the review"),
            ("no_separator", "Rates rise again", "Rates rise again"),
            (
                "section_and_site",
                "Rates rise again | Business | The Daily Example",
                "Rates rise again",
            ),
        ];
        for (name, input, want) in cases {
            assert_eq!(strip_site_name(input, &sites), *want, "case {name}");
        }
    }

    #[test]
    fn deep_nesting_is_flattened_quickly() {
        let depth = 100_000;
        let html = format!(
            "<html><body>{}<p>deep text here</p>{}{BODY}</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let started = std::time::Instant::now();
        let flat = flatten_deep(&html, MAX_DEPTH);
        assert!(flat.matches("<div>").count() <= MAX_DEPTH);
        let a = parse_html(&html, None);
        assert!(a.is_ok());
        assert!(started.elapsed().as_secs() < 30);
    }

    #[test]
    fn unclosed_formatting_tags_do_not_hang() {
        let html = format!("<html><body>{}{BODY}</body></html>", "<b><i>x".repeat(20_000));
        let started = std::time::Instant::now();
        let _ = parse_html(&html, None);
        assert!(started.elapsed().as_secs() < 30);
    }

    #[test]
    fn empty_and_textless_pages() {
        assert!(matches!(parse_html("  ", None), Err(ParseError::Empty)));
        assert!(matches!(parse_html("<html><body></body></html>", None), Err(ParseError::NoText)));
    }
}
