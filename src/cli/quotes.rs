//! `morgue quotes [QUERY]` and `morgue speakers [QUERY]`

use anyhow::Result;
use clap::{Args, ValueEnum};

use morgue::query::QuoteRequest;
use morgue::store::Store;

use super::{DateArgs, FormatArg, SortArg};

#[derive(Debug, Args)]
pub struct QuotesArgs {
    /// Words in the quote (tantivy syntax). None: every quote.
    pub query: Option<String>,
    /// Only quotes by this speaker: "Kerry", "John Kerry" and "Secretary Kerry" are the same.
    #[arg(long, value_name = "NAME")]
    pub speaker: Option<String>,
    /// Only quotes whose speaker was found this way (repeatable): `verb` (an explicit verb of
    /// saying), `pronoun` ("he said"), `continuation` (a quote-only paragraph after the same
    /// speaker's quote), `none` (speaker unknown).
    #[arg(long, value_enum, value_name = "HOW")]
    pub attribution: Vec<AttributionArg>,
    #[command(flatten)]
    pub dates: DateArgs,
    /// Order (default: relevance with a query, oldest first without).
    #[arg(long, value_enum)]
    pub sort: Option<SortArg>,
    /// How many quotes to print (a large value with jsonl/csv exports them all, streamed).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Skip this many first (paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Output: table for people; json, jsonl (one object per line) or csv for programs.
    #[arg(long, value_enum, default_value_t)]
    pub format: FormatArg,
}

/// How a quote's speaker was found.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum AttributionArg {
    Verb,
    Pronoun,
    Continuation,
    None,
}

#[derive(Debug, Args)]
pub struct SpeakersArgs {
    /// Only count quotes matching these words.
    pub query: Option<String>,
    /// How many speakers to list.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Output: table for people; json, jsonl (one object per line) or csv for programs.
    #[arg(long, value_enum, default_value_t)]
    pub format: FormatArg,
}

pub fn run_quotes(store: &Store, args: QuotesArgs) -> Result<i32> {
    let (from, to) = args.dates.resolve()?;
    let req = QuoteRequest {
        from,
        to,
        query: args.query,
        speaker: args.speaker,
        attributions: args
            .attribution
            .iter()
            .filter_map(|a| a.to_possible_value().map(|v| v.get_name().to_string()))
            .collect(),
        sort: args.sort.map(Into::into).unwrap_or_default(),
        limit: args.limit,
        offset: args.offset,
    };
    let mut out = super::results_out();
    let columns = morgue::render::QUOTE_COLUMNS;
    let streamed = match morgue::render::HitStream::new(args.format.into(), &mut out, columns)? {
        Some(mut stream) => {
            morgue::search::quotes_each(store, &req, &mut |q| {
                stream.write(q, morgue::render::quote_ref_row).map_err(super::search::io_error)
            })?;
            stream.finish()?;
            true
        }
        None => false,
    };
    if !streamed {
        let res = morgue::search::quotes(store, &req)?;
        morgue::render::quotes(&res, args.format.into(), &mut out, super::stdout_is_terminal())?;
    }
    out.flush().map_err(super::search::io_error)?;
    Ok(0)
}

pub fn run_speakers(store: &Store, args: SpeakersArgs) -> Result<i32> {
    let list = morgue::search::speakers(store, args.query.as_deref(), args.limit)?;
    let mut out = std::io::stdout().lock();
    morgue::render::speakers(&list, args.format.into(), &mut out)?;
    Ok(0)
}
