//! The library's error type and `Result` alias.
//!
//! Errors split into the user's fault (a bad query, a bad flag value, a path that is not a
//! folder: exit code 2) and everything else (I/O, a damaged index: exit code 1). The binary maps
//! them to exit codes in one place, [`Error::exit_code`].

use std::path::PathBuf;

use thiserror::Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Error)]
pub enum Error {
    /// A query string tantivy cannot parse, or one over the limits.
    #[error("bad query: {0}")]
    Query(String),
    /// A flag value that makes no sense (a bad date, an unknown format).
    #[error("{0}")]
    Usage(String),
    /// A root given to `morgue index` that is missing or not a folder.
    #[error("{path}: {reason}")]
    BadRoot { path: PathBuf, reason: String },
    /// No index where one was expected.
    #[error("no index at {0} (build one with `morgue index DIR`)")]
    NoIndex(PathBuf),
    /// A folder that holds files but is not a morgue index: never written over.
    #[error("{0} is not empty and is not a morgue index; refusing to create an index over it (choose another --index folder)")]
    NotAnIndex(PathBuf),
    /// The index was written by another schema version.
    #[error("the index at {path} has schema version {found}, this morgue reads version {expected}: rebuild it with `morgue index --rebuild DIR…` (--index {path})")]
    SchemaVersion { path: PathBuf, found: String, expected: u32 },
    /// Another process is writing to the index.
    #[error("the index at {0} is locked by another process (another `morgue index` is running); wait for it to finish")]
    Locked(PathBuf),
    /// The schema file does not describe a valid schema.
    #[error("index schema: {0}")]
    Schema(String),
    /// No article with that id or path.
    #[error("no article {0} in the index")]
    NotFound(String),
    #[error(transparent)]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

impl Error {
    /// Whether the user can fix this by changing what they typed.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Error::Query(_) | Error::Usage(_) | Error::BadRoot { .. } | Error::NotFound(_)
        )
    }

    /// The process exit code for this error: 2 for the user's mistakes, 1 for everything else.
    pub fn exit_code(&self) -> i32 {
        if self.is_user_error() {
            2
        } else {
            1
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { context: context.into(), source }
    }
}

impl From<tantivy::query::QueryParserError> for Error {
    fn from(e: tantivy::query::QueryParserError) -> Self {
        Error::Query(e.to_string())
    }
}
