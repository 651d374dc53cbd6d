//! Bytes to text: refuse binary files, pick the character encoding, and decompress gzip within a
//! size limit.
//!
//! The encoding of [`decode_text`] is chosen in this order:
//!
//! 1. a byte-order mark (UTF-8, UTF-16 LE, UTF-16 BE) — it is stripped;
//! 2. valid UTF-8 — even when a legacy charset is declared, since text in a legacy encoding with
//!    any non-ASCII byte is almost never valid UTF-8 by accident, while mislabelled UTF-8 pages are
//!    common;
//! 3. the declared charset (an HTML `<meta charset>`, an HTTP `Content-Type` header), by its WHATWG
//!    label (`latin1` and `iso-8859-1` mean Windows-1252, as in browsers);
//! 4. a guess by `chardetng` (Windows-1252, ISO-8859-x, Shift_JIS, GBK, …).
//!
//! Before that, files that start with a known binary signature ([`BINARY_SIGNATURES`]) or hold NUL
//! bytes outside UTF-16 are refused as [`ParseError::Binary`].

use std::io::Read;
use std::sync::LazyLock;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use flate2::read::MultiGzDecoder;
use regex::bytes::Regex;

use crate::parse::ParseError;

/// Leading bytes of file types that are not text, and the name given in the error.
pub const BINARY_SIGNATURES: &[(&[u8], &str)] = &[
    (b"%PDF", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"GIF8", "GIF image"),
    (b"\xFF\xD8\xFF", "JPEG image"),
    (b"PK\x03\x04", "ZIP archive (also docx, xlsx, epub)"),
    (b"\x1F\x8B", "gzip data (not decompressed here)"),
    (b"\x7FELF", "ELF executable"),
    (b"MZ\x90\x00", "Windows executable"),
    (b"\xD0\xCF\x11\xE0", "Microsoft Office document"),
    (b"BZh", "bzip2 data"),
    (b"\xFD7zXZ\x00", "xz data"),
    (b"7z\xBC\xAF\x27\x1C", "7-Zip archive"),
    (b"\x28\xB5\x2F\xFD", "zstd data"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"RIFF", "RIFF media (WAV, AVI, WebP)"),
    (b"SQLite format 3\x00", "SQLite database"),
];

/// How much of a file [`sniff_html_charset`] reads.
const SNIFF_LEN: usize = 4096;

/// Above this share of U+FFFD replacement characters the decoded text is refused.
const MAX_REPLACEMENT_RATIO: f64 = 0.25;

fn re(pattern: &str) -> Regex {
    // Invariant: constant patterns, compiled by the unit tests.
    Regex::new(pattern).expect("constant charset pattern compiles")
}

static META_CHARSET: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?i)<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([a-z0-9_:.()\-]+)"#));
static XML_ENCODING: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?i)^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([a-z0-9_:.()\-]+)"#));
static CONTENT_TYPE_CHARSET: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?i)\bcharset\s*=\s*["']?\s*([a-z0-9_:.()\-]+)"#));

/// Decode a file's bytes to text; `declared_charset` is the charset the file or its transport
/// announced (HTML meta, HTTP header), if any. See the module doc for the order of choices.
pub fn decode_text(bytes: &[u8], declared_charset: Option<&str>) -> Result<String, ParseError> {
    if bytes.is_empty() {
        return Err(ParseError::Empty);
    }
    if let Some(kind) = binary_kind(bytes) {
        return Err(ParseError::Binary(kind.to_string()));
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return finish(encoding, &bytes[bom_len..]);
    }
    if bytes.contains(&0) {
        return Err(ParseError::Binary("contains NUL bytes".to_string()));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let declared = declared_charset
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .filter(|e| *e != UTF_8 && *e != UTF_16LE && *e != UTF_16BE);
    let encoding = declared.unwrap_or_else(|| {
        let mut detector = chardetng::EncodingDetector::new();
        detector.feed(bytes, true);
        detector.guess(None, false)
    });
    finish(encoding, bytes)
}

/// Decode with `encoding`, refusing text that is mostly replacement characters.
fn finish(encoding: &'static Encoding, bytes: &[u8]) -> Result<String, ParseError> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        let total = text.chars().count().max(1);
        let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
        if bad as f64 / total as f64 > MAX_REPLACEMENT_RATIO {
            return Err(ParseError::Encoding(format!(
                "{bad} of {total} characters are not valid {}",
                encoding.name()
            )));
        }
    }
    if encoding != UTF_8 && text.contains('\0') {
        return Err(ParseError::Binary("contains NUL characters".to_string()));
    }
    Ok(text.into_owned())
}

/// The kind of binary file `bytes` starts like, if any.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    BINARY_SIGNATURES.iter().find(|(magic, _)| bytes.starts_with(magic)).map(|&(_, kind)| kind)
}

/// The charset an HTML (or XML) file declares in its first 4 KB: `<meta charset="…">`,
/// `<meta http-equiv="Content-Type" content="text/html; charset=…">` or `<?xml … encoding="…"?>`.
/// Lowercased.
pub fn sniff_html_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    let caps = XML_ENCODING.captures(head).or_else(|| META_CHARSET.captures(head))?;
    let label = String::from_utf8_lossy(&caps[1]).to_ascii_lowercase();
    (!label.is_empty()).then_some(label)
}

/// The charset parameter of an HTTP `Content-Type` value (`text/html; charset=ISO-8859-1`).
/// Lowercased.
pub fn charset_from_content_type(content_type: &str) -> Option<String> {
    let caps = CONTENT_TYPE_CHARSET.captures(content_type.as_bytes())?;
    Some(String::from_utf8_lossy(&caps[1]).to_ascii_lowercase())
}

/// Decompress gzip data (one or several members), stopping with an error as soon as the output
/// would pass `limit` bytes, so a gzip bomb costs at most `limit` bytes of memory.
pub fn gunzip_limited(bytes: &[u8], limit: u64) -> Result<Vec<u8>, ParseError> {
    let mut out = Vec::new();
    let mut reader = MultiGzDecoder::new(bytes).take(limit.saturating_add(1));
    reader.read_to_end(&mut out).map_err(|e| ParseError::Gzip(e.to_string()))?;
    if out.len() as u64 > limit {
        return Err(ParseError::Gzip(format!(
            "decompressed data passes the {limit}-byte limit (--max-file-size); \
             refusing it (possible gzip bomb)"
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use std::io::Write;

    fn outcome(r: Result<String, ParseError>) -> String {
        match r {
            Ok(s) => format!("ok:{s}"),
            Err(ParseError::Binary(_)) => "binary".to_string(),
            Err(ParseError::Empty) => "empty".to_string(),
            Err(ParseError::Encoding(_)) => "encoding".to_string(),
            Err(e) => format!("other:{e}"),
        }
    }

    fn utf16(s: &str, big_endian: bool) -> Vec<u8> {
        let mut out = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for unit in s.encode_utf16() {
            let b = if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() };
            out.extend_from_slice(&b);
        }
        out
    }

    #[test]
    fn decode_text_table() {
        let cases: Vec<(&str, Vec<u8>, Option<&str>, &str)> = vec![
            ("plain_utf8", "Café déjà vu".as_bytes().to_vec(), None, "ok:Café déjà vu"),
            ("utf8_bom_stripped", b"\xEF\xBB\xBFhello".to_vec(), None, "ok:hello"),
            ("utf16_le_bom", utf16("Grüße", false), None, "ok:Grüße"),
            ("utf16_be_bom", utf16("Grüße", true), None, "ok:Grüße"),
            (
                "declared_1252",
                b"caf\xE9 \x93quoted\x94".to_vec(),
                Some("windows-1252"),
                "ok:café \u{201C}quoted\u{201D}",
            ),
            ("declared_latin1_means_1252", b"caf\xE9".to_vec(), Some("ISO-8859-1"), "ok:café"),
            ("declared_8859_2", b"\xB1".to_vec(), Some("iso-8859-2"), "ok:ą"),
            (
                "valid_utf8_beats_wrong_label",
                "café".as_bytes().to_vec(),
                Some("windows-1252"),
                "ok:café",
            ),
            (
                "bad_utf8_label_falls_to_detection",
                b"Le caf\xE9 est pr\xEAt, d\xE9j\xE0.".to_vec(),
                Some("utf-8"),
                "ok:Le café est prêt, déjà.",
            ),
            (
                "undeclared_1252_detected",
                b"Le caf\xE9 est pr\xEAt, d\xE9j\xE0 l\xE0.".to_vec(),
                None,
                "ok:Le café est prêt, déjà là.",
            ),
            (
                "unknown_label_ignored",
                b"caf\xE9 cr\xE8me br\xFBl\xE9e".to_vec(),
                Some("no-such-charset"),
                "ok:café crème brûlée",
            ),
            ("empty", Vec::new(), None, "empty"),
            ("pdf", b"%PDF-1.7\n...".to_vec(), None, "binary"),
            ("png", b"\x89PNG\r\n\x1a\n".to_vec(), None, "binary"),
            ("zip", b"PK\x03\x04rest".to_vec(), None, "binary"),
            ("gzip", b"\x1F\x8B\x08\x00".to_vec(), None, "binary"),
            ("elf", b"\x7FELF\x02\x01".to_vec(), None, "binary"),
            ("nul_bytes", b"text\0with\0nuls".to_vec(), None, "binary"),
        ];
        for (name, bytes, declared, want) in cases {
            assert_eq!(outcome(decode_text(&bytes, declared)), want, "case {name}");
        }
    }

    #[test]
    fn sniff_html_charset_table() {
        let cases: &[(&str, &[u8], Option<&str>)] = &[
            ("meta_charset", b"<html><head><meta charset=\"windows-1252\">", Some("windows-1252")),
            ("meta_charset_unquoted", b"<meta charset=UTF-8>", Some("utf-8")),
            (
                "http_equiv",
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">",
                Some("iso-8859-1"),
            ),
            (
                "xml_declaration",
                b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>",
                Some("shift_jis"),
            ),
            ("none", b"<html><head><title>x</title>", None),
            ("charset_in_body_text_ignored", b"<p>charset=latin1</p>", None),
        ];
        for (name, bytes, want) in cases {
            assert_eq!(sniff_html_charset(bytes).as_deref(), *want, "case {name}");
        }
        let mut late = vec![b' '; SNIFF_LEN];
        late.extend_from_slice(b"<meta charset=\"koi8-r\">");
        assert_eq!(sniff_html_charset(&late), None, "case past_first_4kb");
    }

    #[test]
    fn content_type_charset() {
        assert_eq!(
            charset_from_content_type("text/html; charset=\"ISO-8859-1\"").as_deref(),
            Some("iso-8859-1")
        );
        assert_eq!(charset_from_content_type("text/html"), None);
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        let _ = enc.write_all(data);
        enc.finish().unwrap_or_default()
    }

    #[test]
    fn gunzip_within_limit() {
        let mut two_members = gzip(b"hello ");
        two_members.extend(gzip(b"world"));
        assert_eq!(gunzip_limited(&two_members, 100).ok(), Some(b"hello world".to_vec()));
        assert_eq!(gunzip_limited(&gzip(b"12345"), 5).ok(), Some(b"12345".to_vec()));
    }

    #[test]
    fn gunzip_bomb_stops_at_limit() {
        let bomb = gzip(&vec![0u8; 20_000_000]);
        assert!(bomb.len() < 100_000);
        let err = gunzip_limited(&bomb, 1_000_000);
        assert!(matches!(err, Err(ParseError::Gzip(ref m)) if m.contains("1000000-byte limit")));
    }

    #[test]
    fn gunzip_corrupt_is_an_error() {
        assert!(matches!(gunzip_limited(b"\x1F\x8Bnot gzip", 100), Err(ParseError::Gzip(_))));
        assert!(matches!(gunzip_limited(b"plain text", 100), Err(ParseError::Gzip(_))));
    }
}
