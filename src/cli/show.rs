//! `morgue show ID|PATH` and `morgue stats`

use anyhow::Result;
use clap::Args;

use morgue::store::Store;

use super::FormatArg;

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Article id (as printed by search) or a path it was indexed from.
    pub article: String,
    /// Output: table for people; json, jsonl (one object per line) or csv for programs.
    #[arg(long, value_enum, default_value_t)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// How many top authors, people and places to list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Output: table for people; json, jsonl (one object per line) or csv for programs.
    #[arg(long, value_enum, default_value_t)]
    pub format: FormatArg,
}

pub fn run_show(store: &Store, args: ShowArgs) -> Result<i32> {
    let view = morgue::search::show(store, &args.article)?;
    morgue::render::article(&view, args.format.into(), &mut std::io::stdout().lock())?;
    Ok(0)
}

pub fn run_stats(store: &Store, args: StatsArgs) -> Result<i32> {
    let stats = morgue::search::stats(store, args.top.clamp(1, 100_000))?;
    morgue::render::stats(&stats, args.format.into(), &mut std::io::stdout().lock())?;
    Ok(0)
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output: table for people; json, jsonl (one object per line) or csv for programs.
    #[arg(long, value_enum, default_value_t)]
    pub format: FormatArg,
}

pub fn run_check(store: &Store, args: CheckArgs) -> Result<i32> {
    let damaged = store.verify()?;
    let files = std::fs::read_dir(&store.dir).map(|d| d.count()).unwrap_or(0);
    if matches!(args.format, FormatArg::Json | FormatArg::Jsonl) {
        let report = serde_json::json!({
            "index": store.dir.display().to_string(),
            "ok": damaged.is_empty(),
            "damaged": damaged,
        });
        println!("{report}");
    } else if damaged.is_empty() {
        println!(
            "ok: every file of the last commit matches its checksum ({files} files in {})",
            store.dir.display()
        );
    } else {
        println!("damaged files in {}:", store.dir.display());
        for d in &damaged {
            println!("  {d}");
        }
        println!(
            "the index cannot be trusted; rebuild it from the archive: morgue --index {} index --rebuild DIR…",
            store.dir.display()
        );
    }
    Ok(if damaged.is_empty() { 0 } else { 1 })
}
