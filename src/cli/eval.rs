//! `morgue eval --gold FILE.jsonl…`

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use morgue::eval::{evaluate, read_gold, EvalReport};
use morgue::store::Store;

use super::FormatArg;

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Gold annotations, one JSON object per line (repeatable).
    #[arg(long, required = true, value_name = "FILE")]
    pub gold: Vec<PathBuf>,
    /// Output: table for people; json, jsonl (one object per line) or csv for programs.
    #[arg(long, value_enum, default_value_t)]
    pub format: FormatArg,
}

pub fn run(store: &Store, args: EvalArgs) -> Result<i32> {
    let mut gold = Vec::new();
    for path in &args.gold {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        gold.extend(read_gold(&text, &path.display().to_string())?);
    }
    let report = evaluate(store, &gold)?;
    match args.format {
        FormatArg::Table | FormatArg::Csv => print_table(&report),
        _ => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    Ok(0)
}

fn print_table(r: &EvalReport) {
    println!("gold articles: {} ({} not in the index)", r.gold_articles, r.missing);
    if let Some(q) = &r.quotes {
        println!(
            "quotes:   P {:.3}  R {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})",
            q.precision, q.recall, q.f1, q.tp, q.fp, q.fn_
        );
    }
    let rate = |name: &str, r: &Option<morgue::eval::Rate>| {
        if let Some(r) = r {
            println!("{name:<20} {:.3}  ({}/{})", r.rate, r.correct, r.total);
        }
    };
    rate("speaker accuracy:", &r.speaker_accuracy);
    rate("found with speaker:", &r.found_with_speaker);
    if let Some(p) = &r.places {
        println!(
            "places:   P {:.3}  R {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})",
            p.precision, p.recall, p.f1, p.tp, p.fp, p.fn_
        );
    }
    rate("title:", &r.title);
    rate("date:", &r.date);
    rate("date (UTC day):", &r.date_utc);
    rate("author:", &r.author);
}
