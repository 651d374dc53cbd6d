//! Bytes → articles, one module per input format.
//!
//! [`parse_file`] picks the parser from the file's extension (`.txt`, `.md`, `.html`, `.json`,
//! `.jsonl`, `.warc`, each optionally `.gz`), decodes the text ([`decode`]) and returns every
//! article the file holds: one for most formats, one per line or record for containers. A bad
//! record of a container is an `Err` in the list; the good ones are kept.

pub mod date;
pub mod decode;
mod error;
pub mod html;
pub mod json;
pub mod text;
pub mod warc;

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

pub use error::ParseError;

use crate::article::{Article, Format};

/// The default limit on a single-article file (`--max-file-size`): 50 MB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 50 * 1024 * 1024;

/// The longest line of a JSONL file that is read as an article: 50 MB.
const MAX_JSONL_LINE: u64 = 50 * 1024 * 1024;

/// Options every parser shares.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Files holding one article larger than this are refused (containers are exempt).
    pub max_file_size: u64,
    /// JSON field-name overrides (`--map field=key`).
    pub field_map: json::FieldMap,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions { max_file_size: DEFAULT_MAX_FILE_SIZE, field_map: json::FieldMap::default() }
    }
}

/// The format of a file from its name, and whether it is gzip-compressed; `None` for files
/// morgue does not read.
pub fn detect_format(path: &Path) -> Option<(Format, bool)> {
    let name = path
        .file_name()?
        .to_str()
        .map(str::to_lowercase)
        .or_else(|| path.file_name().map(|n| n.to_string_lossy().to_lowercase()))?;
    let (name, gz) = match name.strip_suffix(".gz") {
        Some(n) => (n.to_string(), true),
        None => (name, false),
    };
    let ext = name.rsplit_once('.')?.1;
    let format = match ext {
        "txt" | "text" => Format::Text,
        "md" | "markdown" | "mdx" => Format::Markdown,
        "html" | "htm" | "xhtml" | "shtml" => Format::Html,
        "json" => Format::Json,
        "jsonl" | "ndjson" => Format::Jsonl,
        "warc" => Format::Warc,
        _ => return None,
    };
    Some((format, gz))
}

/// One record read from a file: the article, or why that record failed.
pub type Record = Result<Article, ParseError>;

/// Read every article of the file at `path`. An `Err` is a failure of the whole file.
pub fn parse_file(path: &Path, opts: &ParseOptions) -> Result<Vec<Record>, ParseError> {
    let mut out = Vec::new();
    for_each_record(path, opts, &mut |r| out.push(r))?;
    Ok(out)
}

/// Whether a file holds many articles (JSONL, WARC) and is read as a stream.
pub fn is_container(path: &Path) -> bool {
    matches!(detect_format(path), Some((Format::Jsonl | Format::Warc, _)))
}

/// Hand every article of the file at `path` to `sink`, one at a time: containers (JSONL, WARC)
/// are streamed, so memory stays flat however large they are. An `Err` is a failure of the whole
/// file; records already handed over stay valid.
pub fn for_each_record(
    path: &Path,
    opts: &ParseOptions,
    sink: &mut dyn FnMut(Record),
) -> Result<(), ParseError> {
    let (format, gz) = format_of(path)?;
    if !matches!(format, Format::Jsonl | Format::Warc) {
        for r in parse_single(path, &read_single(path, opts)?, opts)? {
            sink(r);
        }
        return Ok(());
    }
    let file = open_file(path)?;
    let reader: Box<dyn Read> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(file)))
    } else {
        Box::new(file)
    };
    if format == Format::Warc {
        let reader = BufReader::with_capacity(1 << 16, reader);
        for r in warc::read_warc(reader, opts.max_file_size) {
            sink(r.map(|(locator, mut a)| {
                a.locator = Some(locator);
                a
            }));
        }
    } else {
        read_jsonl(reader, opts, sink);
    }
    Ok(())
}

fn format_of(path: &Path) -> Result<(Format, bool), ParseError> {
    detect_format(path).ok_or_else(|| ParseError::Other("not a format morgue reads".to_string()))
}

/// Open a file that is not a folder and not empty.
fn open_file(path: &Path) -> Result<File, ParseError> {
    let file = File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(ParseError::Other("a folder, not a file".to_string()));
    }
    if meta.len() == 0 {
        return Err(ParseError::Empty);
    }
    Ok(file)
}

/// The bytes of a single-article file (anything but JSONL and WARC), as stored on disk: refused
/// over `--max-file-size`, so they can be read whole, hashed and parsed from one read.
pub fn read_single(path: &Path, opts: &ParseOptions) -> Result<Vec<u8>, ParseError> {
    let file = open_file(path)?;
    let size = file.metadata()?.len();
    if size > opts.max_file_size {
        return Err(ParseError::TooLarge { size, limit: opts.max_file_size });
    }
    read_limited(file, opts.max_file_size)
}

/// Parse the on-disk bytes of a single-article file ([`read_single`]); `.gz` files are
/// decompressed here, up to `--max-file-size` (a gzip bomb stops there).
pub fn parse_single(
    path: &Path,
    raw: &[u8],
    opts: &ParseOptions,
) -> Result<Vec<Record>, ParseError> {
    let (format, gz) = format_of(path)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().trim_end_matches(".gz").to_string())
        .unwrap_or_default();
    if gz {
        let bytes = decode::gunzip_limited(raw, opts.max_file_size)?;
        parse_bytes(&bytes, &file_name, format, opts)
    } else {
        parse_bytes(raw, &file_name, format, opts)
    }
}

/// Read at most `limit` bytes; more is a [`ParseError::TooLarge`] (a file growing while read).
fn read_limited(reader: impl Read, limit: u64) -> Result<Vec<u8>, ParseError> {
    let mut bytes = Vec::new();
    reader.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ParseError::TooLarge { size: bytes.len() as u64, limit });
    }
    Ok(bytes)
}

/// Parse the bytes of a single-article file (or a `.json` file holding one object or an array).
pub fn parse_bytes(
    bytes: &[u8],
    file_name: &str,
    format: Format,
    opts: &ParseOptions,
) -> Result<Vec<Record>, ParseError> {
    if bytes.is_empty() {
        return Err(ParseError::Empty);
    }
    match format {
        Format::Text | Format::Markdown => {
            let text = decode::decode_text(bytes, None)?;
            Ok(vec![Ok(text::parse_text(&text, file_name, format)?)])
        }
        Format::Html => {
            let charset = decode::sniff_html_charset(bytes);
            let text = decode::decode_text(bytes, charset.as_deref())?;
            let mut article = html::parse_html(&text, None)?;
            fill_date_from_name(&mut article, file_name);
            Ok(vec![Ok(article)])
        }
        Format::Json => {
            let text = decode::decode_text(bytes, None)?;
            let value: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| ParseError::Json(e.to_string()))?;
            match value {
                serde_json::Value::Array(items) => Ok(items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        json::parse_json_article(v, &opts.field_map).map(|mut a| {
                            a.locator = Some(format!("item {}", i + 1));
                            a
                        })
                    })
                    .collect()),
                v => Ok(vec![Ok(json::parse_json_article(&v, &opts.field_map)?)]),
            }
        }
        Format::Jsonl => {
            let mut out = Vec::new();
            read_jsonl(bytes, opts, &mut |r| out.push(r));
            Ok(out)
        }
        Format::Warc => Ok(warc::read_warc(BufReader::new(bytes), opts.max_file_size)
            .map(|r| {
                r.map(|(locator, mut a)| {
                    a.locator = Some(locator);
                    a
                })
            })
            .collect()),
    }
}

fn fill_date_from_name(article: &mut Article, file_name: &str) {
    if article.date.is_none() {
        if let Some(d) = date::date_from_path(file_name) {
            article.date = Some(crate::article::ArticleDate {
                value: d,
                source: crate::article::FieldSource::FileName,
            });
        }
    }
}

/// One article per non-empty line; a bad line is an `Err` naming its line number.
fn read_jsonl(reader: impl Read, opts: &ParseOptions, out: &mut dyn FnMut(Record)) {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut line = Vec::new();
    let mut n = 0usize;
    loop {
        line.clear();
        n += 1;
        match (&mut reader).take(MAX_JSONL_LINE + 1).read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                out(Err(ParseError::Other(format!("line {n}: {e}"))));
                break;
            }
        }
        if line.len() as u64 > MAX_JSONL_LINE {
            out(Err(ParseError::Other(format!("line {n}: longer than {MAX_JSONL_LINE} bytes"))));
            // skip the rest of the line
            let mut rest = Vec::new();
            if reader.read_until(b'\n', &mut rest).is_err() {
                break;
            }
            continue;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim().trim_start_matches('\u{feff}');
        if text.is_empty() {
            continue;
        }
        let record = serde_json::from_str::<serde_json::Value>(text)
            .map_err(|e| ParseError::Json(format!("line {n}: {e}")))
            .and_then(|v| {
                json::parse_json_article(&v, &opts.field_map)
                    .map_err(|e| ParseError::Other(format!("line {n}: {e}")))
            })
            .map(|mut a| {
                a.locator = Some(format!("line {n}"));
                a.format = Some(Format::Jsonl);
                a
            });
        out(record);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_extensions() {
        let f = |p: &str| detect_format(Path::new(p));
        assert_eq!(f("a/b.txt"), Some((Format::Text, false)));
        assert_eq!(f("b.MD"), Some((Format::Markdown, false)));
        assert_eq!(f("b.html.gz"), Some((Format::Html, true)));
        assert_eq!(f("b.ndjson"), Some((Format::Jsonl, false)));
        assert_eq!(f("crawl.warc.gz"), Some((Format::Warc, true)));
        assert_eq!(f("photo.png"), None);
        assert_eq!(f("README"), None);
    }
}
