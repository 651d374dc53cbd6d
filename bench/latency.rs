//! In-process query latency: opens a morgue index once and times the benchmark's query mix
//! (the same requests `bench/measure.py` sends through the CLI) through the library, warm,
//! printing p50/p95/p99 per query as JSON.
//!
//! ```text
//! cargo build --release --example latency
//! latency --index IDX --word council --phrase '"city council"' \
//!     --boolean '(police OR court) AND budget' --date-word election --from 2005 --to 2009 \
//!     --speaker 'Zofia Diaz' --runs 30
//! ```
//!
//! Each timed call is what one CLI call does after start-up: the library call (which takes a
//! fresh reader of the last commit, as `morgue search` does) plus rendering the answer with the
//! CLI's renderer (`--format json` for searches, `--format jsonl` for quotes) into memory. Each
//! query runs once untimed before its `--runs` timed runs.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;
use clap::Parser;
use serde::Serialize;

use morgue::query::dates::{parse_bound, End};
use morgue::query::{QuoteRequest, SearchRequest};
use morgue::render::{self, OutputFormat};
use morgue::search;
use morgue::store::Store;

/// Hits per page and facet values per facet, as `morgue search --format json` uses them.
const LIMIT: usize = 10;
const DEFAULT_FACETS: usize = 10;
/// The facets query asks for this many values per facet (`--facets 20`).
const FACETS: usize = 20;
/// `morgue quotes --limit 100000`: every quote of the speaker.
const QUOTE_LIMIT: usize = 100_000;

#[derive(Debug, Parser)]
#[command(about = "Warm in-process latency of the benchmark query mix")]
struct Args {
    #[arg(long)]
    index: PathBuf,
    #[arg(long)]
    word: String,
    #[arg(long)]
    phrase: String,
    #[arg(long)]
    boolean: String,
    #[arg(long)]
    date_word: String,
    #[arg(long)]
    from: String,
    #[arg(long)]
    to: String,
    #[arg(long)]
    speaker: String,
    /// Timed runs per query (after one untimed warm-up run).
    #[arg(long, default_value_t = 30)]
    runs: usize,
    /// Run only these queries of the mix (word, phrase, boolean, date_range, facets,
    /// speaker_quotes), for profiling one of them.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
}

/// Latency of one query over the timed runs.
#[derive(Debug, Serialize)]
struct Stats {
    n: usize,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    min_ms: f64,
    /// Articles (or quotes) matching, from the warm-up run.
    total: u64,
    /// Bytes of output the answer renders to (as the CLI prints it).
    output_bytes: usize,
    samples_ms: Vec<f64>,
}

#[derive(Debug, Serialize)]
struct Report {
    index: String,
    open_ms: f64,
    runs: usize,
    queries: BTreeMap<String, Stats>,
}

/// Nearest-rank percentile (q in 0..=100) of sorted samples, as `bench/measure.py` computes it.
fn pct(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q / 100.0 * sorted.len() as f64 + 0.5).round() as usize;
    sorted[rank.saturating_sub(1).min(sorted.len() - 1)]
}

/// One query of the mix: runs it once and returns (matches, JSON bytes of the answer).
type Run<'a> = Box<dyn Fn() -> Result<(u64, usize)> + 'a>;

fn measure(run: &Run, runs: usize) -> Result<Stats> {
    let (total, output_bytes) = run()?;
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t0 = Instant::now();
        std::hint::black_box(run()?);
        samples.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    let mut sorted = samples.clone();
    sorted.sort_by(f64::total_cmp);
    Ok(Stats {
        n: runs,
        p50_ms: pct(&sorted, 50.0),
        p95_ms: pct(&sorted, 95.0),
        p99_ms: pct(&sorted, 99.0),
        min_ms: sorted.first().copied().unwrap_or(f64::NAN),
        total,
        output_bytes,
        samples_ms: samples.iter().map(|x| (x * 1000.0).round() / 1000.0).collect(),
    })
}

fn search_run<'a>(store: &'a Store, req: SearchRequest) -> Run<'a> {
    Box::new(move || {
        let res = search::search(store, &req)?;
        let mut out = Vec::new();
        render::search(&res, OutputFormat::Json, &mut out, false)?;
        Ok((res.total, out.len()))
    })
}

fn main() -> Result<()> {
    let args = Args::parse();
    let t0 = Instant::now();
    let store = Store::open(&args.index)?;
    let open_ms = t0.elapsed().as_secs_f64() * 1000.0;

    let text = |q: &str, facet_size: usize| SearchRequest {
        query: Some(q.to_string()),
        limit: LIMIT,
        facet_size,
        ..Default::default()
    };
    let date_range = SearchRequest {
        from: Some(parse_bound(&args.from, End::From)?),
        to: Some(parse_bound(&args.to, End::To)?),
        ..text(&args.date_word, DEFAULT_FACETS)
    };
    let quotes = QuoteRequest {
        speaker: Some(args.speaker.clone()),
        limit: QUOTE_LIMIT,
        ..Default::default()
    };
    let speaker_run: Run = Box::new(|| {
        // `--format jsonl`: one JSON line per quote, streamed as `morgue quotes` does.
        let mut out = Vec::new();
        let mut stream =
            render::HitStream::new(OutputFormat::Jsonl, &mut out, render::QUOTE_COLUMNS)?
                .ok_or_else(|| anyhow::anyhow!("jsonl output is always streamed"))?;
        let total = search::quotes_each(&store, &quotes, &mut |q| {
            stream
                .write(q, render::quote_ref_row)
                .map_err(|e| morgue::Error::io("rendering quotes", e))
        })?;
        stream.finish()?;
        Ok((total, out.len()))
    });
    let mix: Vec<(&str, Run)> = vec![
        ("word", search_run(&store, text(&args.word, DEFAULT_FACETS))),
        ("phrase", search_run(&store, text(&args.phrase, DEFAULT_FACETS))),
        ("boolean", search_run(&store, text(&args.boolean, DEFAULT_FACETS))),
        ("date_range", search_run(&store, date_range)),
        ("facets", search_run(&store, text(&args.word, FACETS))),
        ("speaker_quotes", speaker_run),
    ];
    let mut queries = BTreeMap::new();
    for (name, run) in &mix {
        if !args.only.is_empty() && !args.only.iter().any(|o| o == name) {
            continue;
        }
        queries.insert(name.to_string(), measure(run, args.runs)?);
    }
    let report =
        Report { index: args.index.display().to_string(), open_ms, runs: args.runs, queries };
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
}
