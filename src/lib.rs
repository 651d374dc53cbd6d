//! morgue: fast full-text search for news archives, on tantivy.
//!
//! The pipeline, one module per stage: [`discover`] finds article files, [`parse`] turns bytes
//! into [`article::Article`]s, [`extract`] finds quotes, people and places, [`document`] makes
//! tantivy documents, [`indexer`] writes them incrementally into a [`store::Store`], [`query`]
//! turns requests into tantivy queries, [`search`] runs them (quotes are listed from
//! fast columns by [`quote_rows`]), and [`render`] prints the results.
//!
//! ```no_run
//! use morgue::{indexer, query::SearchRequest, search, store::Store};
//! let store = Store::open_or_create(std::path::Path::new("my-index"))?;
//! let opts = indexer::IndexOptions { roots: vec!["sample-corpus".into()], ..Default::default() };
//! indexer::run(&store, &opts, &indexer::NoProgress)?;
//! let hits = search::search(&store, &SearchRequest { query: Some("aleppo".into()), limit: 10, ..Default::default() })?;
//! println!("{} articles", hits.total);
//! # Ok::<(), morgue::Error>(())
//! ```

pub mod article;
pub mod discover;
pub mod document;
pub mod error;
pub mod eval;
pub mod extract;
pub mod facets;
pub mod file_records;
pub mod indexer;
pub mod merge_policy;
pub mod parse;
pub mod query;
pub mod quote_rows;
pub mod render;
pub mod schema;
pub mod search;
pub mod store;

pub use error::{Error, Result};
