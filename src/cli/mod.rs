//! Command-line flags (clap derive), one file per subcommand. Each turns its flags into a
//! request for the library and renders the answer; nothing here knows tantivy.

pub mod eval;
pub mod index;
pub mod quotes;
pub mod search;
pub mod show;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use morgue::render::OutputFormat;

/// morgue: fast full-text search for news archives.
///
/// Build an index from a folder of articles (plain text, Markdown, HTML, JSON/JSONL, WARC), then
/// search it by words, dates, authors, people and places, or list every quote by a speaker.
///
/// The index lives in --index DIR, else $MORGUE_INDEX, else a per-user data folder, so
/// `morgue index ~/archive` and then `morgue search aleppo` work from any folder.
#[derive(Debug, Parser)]
#[command(name = "morgue", version, max_term_width = 100)]
pub struct Cli {
    /// Index folder (default: $MORGUE_INDEX, else the per-user data folder).
    #[arg(long, global = true, env = "MORGUE_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,

    /// Give up on a search, quotes or speakers query after this many seconds.
    #[arg(long, global = true, default_value_t = 60, value_name = "SECS")]
    pub timeout: u64,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build or update the index from folders of articles (incremental).
    Index(index::IndexArgs),
    /// Search articles; prints hits and facet counts (author, person, place, year).
    Search(search::SearchArgs),
    /// List quotes, by speaker, words and dates.
    Quotes(quotes::QuotesArgs),
    /// List speakers with their number of quotes and the other forms of their names.
    Speakers(quotes::SpeakersArgs),
    /// Show one article (every stored field, its quotes, people and places) by id or path.
    Show(show::ShowArgs),
    /// Index statistics: articles, date span, undated count, top authors/people/places, size.
    Stats(show::StatsArgs),
    /// Score what is in the index against gold annotations (JSON lines).
    Eval(eval::EvalArgs),
    /// Verify the checksums of the index files; names damaged files and how to rebuild.
    Check(show::CheckArgs),
}

/// `--format` values.
#[derive(Debug, Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum FormatArg {
    #[default]
    Table,
    Json,
    Jsonl,
    Csv,
}

impl From<FormatArg> for OutputFormat {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Table => OutputFormat::Table,
            FormatArg::Json => OutputFormat::Json,
            FormatArg::Jsonl => OutputFormat::Jsonl,
            FormatArg::Csv => OutputFormat::Csv,
        }
    }
}

/// `--from` / `--to`, shared by the commands that filter by date.
#[derive(Debug, Clone, clap::Args)]
pub struct DateArgs {
    /// From this date, inclusive: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// To this date, inclusive: YYYY, YYYY-MM or YYYY-MM-DD (--to 2016 ends on 2016-12-31).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
}

impl DateArgs {
    /// The first and last day covered, checked.
    pub fn resolve(
        &self,
    ) -> morgue::Result<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>)> {
        use morgue::query::dates::{parse_bound, End};
        let from = self.from.as_deref().map(|s| parse_bound(s, End::From)).transpose()?;
        let to = self.to.as_deref().map(|s| parse_bound(s, End::To)).transpose()?;
        Ok((from, to))
    }
}

/// `--sort` values.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum SortArg {
    Relevance,
    Newest,
    Oldest,
}

impl From<SortArg> for morgue::query::Sort {
    fn from(s: SortArg) -> Self {
        match s {
            SortArg::Relevance => morgue::query::Sort::Relevance,
            SortArg::Newest => morgue::query::Sort::Newest,
            SortArg::Oldest => morgue::query::Sort::Oldest,
        }
    }
}

impl Cli {
    /// The index folder this run uses.
    pub fn index_dir(&self) -> PathBuf {
        self.index.clone().unwrap_or_else(morgue::store::default_index_dir)
    }
}

/// Whether to use colour and progress bars on this stream.
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// Standard output for results: line by line on a terminal, buffered in 64 KB writes into a
/// pipe or a file (an export of thousands of lines is then not one system call per line).
/// Callers flush it when done.
pub fn results_out() -> Box<dyn std::io::Write> {
    let out = std::io::stdout().lock();
    if stdout_is_terminal() {
        Box::new(out)
    } else {
        Box::new(std::io::BufWriter::with_capacity(64 * 1024, out))
    }
}
