//! WARC web archives: every HTML page in a WARC file becomes an article, read as a stream so a
//! file of any size costs only one record's worth of memory.
//!
//! Records are read with the `warc` crate's streaming reader. Which records are articles:
//!
//! - `response` records whose HTTP status is 2xx and whose `Content-Type` is HTML
//!   ([`HTML_TYPES`]); the HTTP headers are split off at the first blank line, chunked transfer
//!   encoding is undone and a gzip or deflate `Content-Encoding` is decompressed (bounded);
//! - `resource` records whose WARC `Content-Type` is HTML.
//!
//! All other records (requests, metadata, images, redirects) are skipped silently. Each article
//! takes its URL from `WARC-Target-URI`, its charset from the HTTP `Content-Type` (else the page's
//! `<meta charset>`), and, when the page gives no date, the `WARC-Date` (source `warc`).
//!
//! A record whose body is larger than `limit_per_record` is skipped (its bytes are read past, not
//! kept) and reported as [`ParseError::TooLarge`]. A record that cannot be read as an article is
//! reported as [`ParseError::Warc`] naming the record and its URL, and the stream goes on; a
//! broken record header ends the stream with an error, since the next record cannot be found.
//!
//! Gzip-compressed files (`.warc.gz`): wrap the reader in `flate2::read::MultiGzDecoder` first.

use std::io::{self, BufRead, Read};

use warc::{RecordType, WarcHeader, WarcReader};

use crate::article::{Article, ArticleDate, DatePrecision, FieldSource, Format, PartialDate};
use crate::parse::decode::{
    charset_from_content_type, decode_text, gunzip_limited, sniff_html_charset,
};
use crate::parse::html::parse_html;
use crate::parse::ParseError;

/// Media types (the part of `Content-Type` before `;`, lowercased) that are read as HTML pages.
pub const HTML_TYPES: &[&str] = &["text/html", "application/xhtml+xml"];

/// Read the HTML pages of a WARC stream as articles: `(locator, article)` pairs in file order,
/// the locator being `record N` (1-based, counting every record of the file).
pub fn read_warc<R: BufRead>(
    reader: R,
    limit_per_record: u64,
) -> impl Iterator<Item = Result<(String, Article), ParseError>> {
    WarcArticles { reader, limit: limit_per_record, record: 0, done: false }
}

struct WarcArticles<R> {
    reader: R,
    limit: u64,
    /// Records read so far.
    record: u64,
    /// Set after the end of the stream or an unrecoverable error.
    done: bool,
}

/// One record, as far as this module needs it.
struct RawRecord {
    kind: RecordType,
    target_uri: Option<String>,
    warc_date: Option<String>,
    content_type: Option<String>,
    length: u64,
    /// The body, or `None` when it was over the limit.
    body: Option<Vec<u8>>,
}

impl<R: BufRead> Iterator for WarcArticles<R> {
    type Item = Result<(String, Article), ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let raw = match self.read_record() {
                Ok(Some(raw)) => raw,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
            self.record += 1;
            let locator = format!("record {}", self.record);
            match record_to_article(raw, self.limit) {
                Ok(None) => continue,
                Ok(Some(mut article)) => {
                    article.locator = Some(locator.clone());
                    return Some(Ok((locator, article)));
                }
                Err(e) => return Some(Err(e.in_record(self.record))),
            }
        }
        None
    }
}

impl<R: BufRead> WarcArticles<R> {
    /// Read the next record's headers and (up to the limit) its body, leaving the reader at the
    /// start of the following record.
    fn read_record(&mut self) -> Result<Option<RawRecord>, ParseError> {
        let raw = {
            let mut warc = WarcReader::new(&mut self.reader);
            let mut records = warc.stream_records();
            let Some(next) = records.next_item() else { return Ok(None) };
            let mut rec =
                next.map_err(|e| ParseError::Warc(format!("record {}: {e}", self.record + 1)))?;
            let header = |h: WarcHeader| rec.header(h).map(|v| v.trim().to_string());
            let target_uri = header(WarcHeader::TargetURI)
                .map(|u| u.trim_start_matches('<').trim_end_matches('>').to_string());
            let warc_date = header(WarcHeader::Date);
            let content_type = header(WarcHeader::ContentType);
            let kind = rec.warc_type().clone();
            let length = rec.content_length();
            let wanted = matches!(kind, RecordType::Response | RecordType::Resource);
            let body = if wanted && length <= self.limit {
                let mut buf = Vec::with_capacity(length.min(1 << 20) as usize);
                (&mut rec).take(self.limit).read_to_end(&mut buf)?;
                Some(buf)
            } else {
                None
            };
            // Read past whatever is left of the body without keeping it.
            io::copy(&mut rec, &mut io::sink())?;
            RawRecord { kind, target_uri, warc_date, content_type, length, body }
        };
        // The two line breaks that close every record.
        let mut crlf = [0u8; 4];
        match self.reader.read_exact(&mut crlf) {
            Ok(()) if &crlf == b"\r\n\r\n" => {}
            Ok(()) => {
                return Err(ParseError::Warc(format!(
                    "record {}: missing the blank lines after the body (Content-Length wrong?)",
                    self.record + 1
                )))
            }
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                return Err(ParseError::Warc(format!(
                    "record {}: file ends inside the record",
                    self.record + 1
                )))
            }
            Err(e) => return Err(ParseError::Io(e)),
        }
        Ok(Some(raw))
    }
}

trait InRecord {
    fn in_record(self, n: u64) -> ParseError;
}

impl InRecord for ParseError {
    /// Name the record in a per-record error (size errors keep their type).
    fn in_record(self, n: u64) -> ParseError {
        match self {
            e @ ParseError::TooLarge { .. } => e,
            ParseError::Warc(m) => ParseError::Warc(format!("record {n}: {m}")),
            e => ParseError::Warc(format!("record {n}: {e}")),
        }
    }
}

/// The article in a record, `None` for records that are not HTML pages.
fn record_to_article(raw: RawRecord, limit: u64) -> Result<Option<Article>, ParseError> {
    let uri = raw.target_uri.clone().unwrap_or_default();
    let with_uri = |e: ParseError| match e {
        e @ ParseError::TooLarge { .. } => e,
        e => ParseError::Warc(format!("{uri}: {e}")),
    };
    let warc_type = media_type(raw.content_type.as_deref().unwrap_or(""));
    let (html_bytes, charset) = match raw.kind {
        RecordType::Response if warc_type.starts_with("application/http") => {
            let Some(body) = raw.body else {
                return oversized(&raw, limit);
            };
            let Some(http) = HttpResponse::split(&body) else {
                return Err(with_uri(ParseError::Other("no HTTP headers in the response".into())));
            };
            if !(200..300).contains(&http.status) || !is_html(http.header("content-type")) {
                return Ok(None);
            }
            let payload = http.payload(limit).map_err(with_uri)?;
            (payload, http.header("content-type").and_then(charset_from_content_type))
        }
        RecordType::Resource if is_html(raw.content_type.as_deref()) => {
            let Some(body) = raw.body else {
                return oversized(&raw, limit);
            };
            (body, raw.content_type.as_deref().and_then(charset_from_content_type))
        }
        _ => return Ok(None),
    };
    let charset = charset.or_else(|| sniff_html_charset(&html_bytes));
    let text = decode_text(&html_bytes, charset.as_deref()).map_err(with_uri)?;
    let mut article = parse_html(&text, raw.target_uri.as_deref()).map_err(with_uri)?;
    article.format = Some(Format::Warc);
    if article.date.is_none() {
        article.date = raw
            .warc_date
            .as_deref()
            .and_then(warc_date)
            .map(|value| ArticleDate { value, source: FieldSource::Warc });
    }
    if article.source.is_none() {
        if let Some(host) = host_of(&uri) {
            article.source = Some(host);
            article.note_source("source", FieldSource::Warc);
        }
    }
    Ok(Some(article))
}

fn oversized(raw: &RawRecord, limit: u64) -> Result<Option<Article>, ParseError> {
    Err(ParseError::TooLarge { size: raw.length, limit })
}

/// `WARC-Date` (`2016-12-06T14:00:00Z`) as a day with its time.
fn warc_date(s: &str) -> Option<PartialDate> {
    crate::parse::date::parse_date(s).filter(|d| d.precision == DatePrecision::Day)
}

fn media_type(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

fn is_html(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|ct| HTML_TYPES.contains(&media_type(ct).as_str()))
}

fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?.to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

/// An HTTP response as stored in a WARC `response` record.
struct HttpResponse<'a> {
    status: u16,
    headers: Vec<(String, String)>,
    body: &'a [u8],
}

impl<'a> HttpResponse<'a> {
    /// Split at the first blank line; `None` when there is no status line.
    fn split(bytes: &'a [u8]) -> Option<HttpResponse<'a>> {
        let (head_len, sep_len) = find(bytes, b"\r\n\r\n")
            .map(|i| (i, 4))
            .or_else(|| find(bytes, b"\n\n").map(|i| (i, 2)))?;
        let head = String::from_utf8_lossy(&bytes[..head_len]);
        let mut lines = head.lines();
        let status_line = lines.next()?;
        if !status_line.starts_with("HTTP/") {
            return None;
        }
        let status = status_line.split_whitespace().nth(1)?.parse().ok()?;
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Some(HttpResponse { status, headers, body: &bytes[head_len + sep_len..] })
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The payload with transfer and content encodings undone.
    fn payload(&self, limit: u64) -> Result<Vec<u8>, ParseError> {
        let chunked = self
            .header("transfer-encoding")
            .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
        let body = if chunked {
            dechunk(self.body).unwrap_or_else(|| self.body.to_vec())
        } else {
            self.body.to_vec()
        };
        match self.header("content-encoding").map(str::to_ascii_lowercase).as_deref() {
            Some("gzip" | "x-gzip") => gunzip_limited(&body, limit),
            Some("deflate") => {
                let mut out = Vec::new();
                flate2::read::ZlibDecoder::new(body.as_slice())
                    .take(limit.saturating_add(1))
                    .read_to_end(&mut out)
                    .map_err(|e| ParseError::Gzip(e.to_string()))?;
                if out.len() as u64 > limit {
                    return Err(ParseError::TooLarge { size: out.len() as u64, limit });
                }
                Ok(out)
            }
            Some("identity") | None => Ok(body),
            Some(other) => {
                Err(ParseError::Other(format!("unsupported Content-Encoding {other:?}")))
            }
        }
    }
}

/// Undo HTTP chunked transfer encoding; `None` when the body is not validly chunked.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    loop {
        let line_end = find(body, b"\r\n")?;
        let size_text = std::str::from_utf8(&body[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size..)?;
        body = body.strip_prefix(b"\r\n").unwrap_or(body);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Cursor};

    const PAGE: &str = "<html><head><title>Ferry service resumes | Harbour Post</title>\
        <meta property=\"og:site_name\" content=\"Harbour Post\"></head><body><article>\
        <h1>Ferry service resumes</h1><p>The ferry between the two islands ran again on Monday after \
        a week of storms kept the boats in port and left hundreds of travellers waiting.</p>\
        <p>Operators said the timetable would return to normal by the weekend, with extra crossings \
        added on Saturday to clear the backlog of passengers and freight.</p></article></body></html>";

    fn record(warc_type: &str, uri: &str, content_type: &str, date: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.0\r\nWARC-Type: {warc_type}\r\nWARC-Record-ID: <urn:uuid:{}>\r\nWARC-Date: {date}\r\n\
             WARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            block.len(),
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn http(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {status}\r\n{headers}\r\n").into_bytes();
        out.extend_from_slice(body);
        out
    }

    fn read_all(bytes: Vec<u8>, limit: u64) -> Vec<String> {
        read_warc(BufReader::new(Cursor::new(bytes)), limit)
            .map(|r| match r {
                Ok((loc, a)) => format!(
                    "{loc}: {} | {} | {}",
                    a.title.unwrap_or_default(),
                    a.date.map_or("-".to_string(), |d| format!(
                        "{}@{}",
                        d.value.display(),
                        d.source
                    )),
                    a.source.unwrap_or_default()
                ),
                Err(ParseError::TooLarge { .. }) => "too-large".to_string(),
                Err(e) => format!("error: {e}"),
            })
            .collect()
    }

    #[test]
    fn warc_stream_table() {
        let html_resp = |status: &str, ct: &str| {
            http(status, &format!("Content-Type: {ct}\r\n"), PAGE.as_bytes())
        };
        let ok = html_resp("200 OK", "text/html; charset=utf-8");
        let chunked_body = format!("{:x}\r\n{}\r\n0\r\n\r\n", PAGE.len(), PAGE);
        let chunked = http(
            "200 OK",
            "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n",
            chunked_body.as_bytes(),
        );
        let cases: Vec<(&str, Vec<u8>, u64, Vec<&str>)> = vec![
            (
                "response_uses_url_date_then_skips_request",
                [
                    record(
                        "warcinfo",
                        "",
                        "application/warc-fields",
                        "2020-01-01T00:00:00Z",
                        b"software: x\r\n",
                    ),
                    record(
                        "request",
                        "https://harbour.example/2019/03/04/ferry",
                        "application/http; msgtype=request",
                        "2020-01-01T00:00:00Z",
                        b"GET / HTTP/1.1\r\n\r\n",
                    ),
                    record(
                        "response",
                        "https://harbour.example/2019/03/04/ferry",
                        "application/http; msgtype=response",
                        "2020-01-01T00:00:00Z",
                        &ok,
                    ),
                ]
                .concat(),
                1 << 20,
                vec!["record 3: Ferry service resumes | 2019-03-04@url | Harbour Post"],
            ),
            (
                "warc_date_is_the_fallback",
                record(
                    "response",
                    "https://harbour.example/ferry",
                    "application/http; msgtype=response",
                    "2020-05-06T07:08:09Z",
                    &ok,
                ),
                1 << 20,
                vec!["record 1: Ferry service resumes | 2020-05-06@warc | Harbour Post"],
            ),
            (
                "non_html_and_errors_skipped",
                [
                    record(
                        "response",
                        "https://harbour.example/logo.png",
                        "application/http; msgtype=response",
                        "2020-01-01T00:00:00Z",
                        &http("200 OK", "Content-Type: image/png\r\n", b"\x89PNG"),
                    ),
                    record(
                        "response",
                        "https://harbour.example/gone",
                        "application/http; msgtype=response",
                        "2020-01-01T00:00:00Z",
                        &html_resp("404 Not Found", "text/html"),
                    ),
                ]
                .concat(),
                1 << 20,
                vec![],
            ),
            (
                "chunked_transfer_encoding",
                record(
                    "response",
                    "https://harbour.example/ferry",
                    "application/http; msgtype=response",
                    "2020-01-01T00:00:00Z",
                    &chunked,
                ),
                1 << 20,
                vec!["record 1: Ferry service resumes | 2020-01-01@warc | Harbour Post"],
            ),
            (
                "resource_record",
                record(
                    "resource",
                    "https://harbour.example/ferry",
                    "text/html",
                    "2020-01-01T00:00:00Z",
                    PAGE.as_bytes(),
                ),
                1 << 20,
                vec!["record 1: Ferry service resumes | 2020-01-01@warc | Harbour Post"],
            ),
            (
                "oversized_record_skipped_then_next_read",
                [
                    record(
                        "response",
                        "https://harbour.example/big",
                        "application/http; msgtype=response",
                        "2020-01-01T00:00:00Z",
                        &ok,
                    ),
                    record(
                        "resource",
                        "https://harbour.example/small",
                        "text/html",
                        "2020-01-01T00:00:00Z",
                        b"<p>x</p>",
                    ),
                ]
                .concat(),
                100,
                vec!["too-large", "record 2:  | 2020-01-01@warc | harbour.example"],
            ),
        ];
        for (name, bytes, limit, want) in cases {
            assert_eq!(read_all(bytes, limit), want, "case {name}");
        }
    }

    #[test]
    fn broken_streams_end_with_one_error() {
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("garbage", b"this is not a warc file\r\n\r\n".to_vec()),
            ("truncated_body", {
                let mut r = record(
                    "resource",
                    "https://x.example/",
                    "text/html",
                    "2020-01-01T00:00:00Z",
                    PAGE.as_bytes(),
                );
                r.truncate(r.len() - 100);
                r
            }),
        ];
        for (name, bytes) in cases {
            let out = read_all(bytes, 1 << 20);
            assert_eq!(out.len(), 1, "case {name}: {out:?}");
            assert!(out[0].starts_with("error"), "case {name}: {out:?}");
        }
    }

    #[test]
    fn gzip_members_through_multigz() {
        use flate2::write::GzEncoder;
        use std::io::Write;
        let mut gz = Vec::new();
        for uri in ["https://a.example/2018/01/02/x", "https://b.example/2018/01/03/y"] {
            let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::default());
            let rec = record("resource", uri, "text/html", "2020-01-01T00:00:00Z", PAGE.as_bytes());
            let _ = enc.write_all(&rec);
            gz.extend(enc.finish().unwrap_or_default());
        }
        let reader = BufReader::new(flate2::read::MultiGzDecoder::new(Cursor::new(gz)));
        let dates: Vec<String> = read_warc(reader, 1 << 20)
            .filter_map(Result::ok)
            .filter_map(|(_, a)| a.date.map(|d| d.value.display()))
            .collect();
        assert_eq!(dates, vec!["2018-01-02", "2018-01-03"]);
    }
}
