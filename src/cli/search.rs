//! `morgue search [QUERY]`

use anyhow::Result;
use clap::Args;

use morgue::query::SearchRequest;
use morgue::store::Store;

use super::{DateArgs, FormatArg, SortArg};

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Query in tantivy syntax: words (all must match), "phrases", AND/OR/NOT, field:value.
    /// None, or `*`, matches every article.
    pub query: Option<String>,
    /// Only articles by this author (part of a name is enough; repeat for any of several).
    #[arg(long, value_name = "NAME")]
    pub author: Vec<String>,
    /// Only articles mentioning this person (repeat: all of them).
    #[arg(long, value_name = "NAME")]
    pub person: Vec<String>,
    /// Only articles mentioning this place, by name or alias such as "U.S." (repeat: all).
    #[arg(long, value_name = "NAME")]
    pub place: Vec<String>,
    #[command(flatten)]
    pub dates: DateArgs,
    /// Order of hits (default: relevance with a query, newest without).
    #[arg(long, value_enum)]
    pub sort: Option<SortArg>,
    /// How many hits to print.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Skip this many hits first (paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// How many values each facet lists.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub facets: usize,
    /// Output: table for people; json, jsonl (one object per line) or csv for programs.
    #[arg(long, value_enum, default_value_t)]
    pub format: FormatArg,
}

impl SearchArgs {
    pub fn into_request(self) -> Result<(SearchRequest, FormatArg)> {
        let (from, to) = self.dates.resolve()?;
        let req = SearchRequest {
            from,
            to,
            query: self.query,
            authors: self.author,
            people: self.person,
            places: self.place,
            sort: self.sort.map(Into::into).unwrap_or_default(),
            limit: self.limit,
            offset: self.offset,
            facet_size: self.facets,
        };
        Ok((req, self.format))
    }
}

pub fn run(store: &Store, args: SearchArgs) -> Result<i32> {
    let (req, format) = args.into_request()?;
    let mut out = super::results_out();
    let columns = morgue::render::HIT_COLUMNS;
    let streamed = match morgue::render::HitStream::new(format.into(), &mut out, columns)? {
        Some(mut stream) => {
            morgue::search::search_each(store, &req, &mut |hit| {
                stream.write(&hit, morgue::render::hit_row).map_err(io_error)
            })?;
            stream.finish()?;
            true
        }
        None => false,
    };
    if !streamed {
        let res = morgue::search::search(store, &req)?;
        morgue::render::search(&res, format.into(), &mut out, super::stdout_is_terminal())?;
    }
    out.flush().map_err(io_error)?;
    Ok(0)
}

/// An output error inside a streaming search (a closed pipe ends the export quietly).
pub fn io_error(e: std::io::Error) -> morgue::Error {
    morgue::Error::io("writing results", e)
}
