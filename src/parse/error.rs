//! Why a file (or one record of it) could not be read as an article.

use thiserror::Error;

/// A per-file (or per-record) failure. The run goes on; the summary counts and reports it.
#[derive(Debug, Error)]
pub enum ParseError {
    #[error("empty file")]
    Empty,
    #[error("not text: {0}")]
    Binary(String),
    #[error("cannot decode text: {0}")]
    Encoding(String),
    #[error("file is {size} bytes, over the {limit}-byte limit (--max-file-size)")]
    TooLarge { size: u64, limit: u64 },
    #[error("no article text found")]
    NoText,
    #[error("bad JSON: {0}")]
    Json(String),
    #[error("bad WARC: {0}")]
    Warc(String),
    #[error("gzip: {0}")]
    Gzip(String),
    #[error("{0}")]
    Other(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
