//! `morgue index DIR…`

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

use morgue::indexer::{self, IndexOptions, Progress};
use morgue::parse::{json::FieldMap, ParseOptions, DEFAULT_MAX_FILE_SIZE};
use morgue::store::Store;

use super::FormatArg;

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Folders to index (walked recursively; hidden files and folders below them are skipped).
    #[arg(required = true, value_name = "DIR")]
    pub roots: Vec<PathBuf>,
    /// Drop everything in the index and start fresh.
    #[arg(long)]
    pub rebuild: bool,
    /// Exit with status 1 if any file failed (the index is still committed).
    #[arg(long)]
    pub strict: bool,
    /// List every failure, not just the first ten.
    #[arg(long, short)]
    pub verbose: bool,
    /// Refuse single-article files larger than this many bytes (JSONL and WARC containers are
    /// exempt).
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// JSON field mapping, e.g. `--map body=story_text` (repeatable).
    #[arg(long = "map", value_name = "FIELD=KEY")]
    pub map: Vec<String>,
    /// Commit after this many changed files, or every minute, whichever comes first (a crash
    /// loses at most that much work).
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub commit_every: usize,
    /// Summary format: table for people, json for programs (counts and every failure).
    #[arg(long, value_enum, default_value_t)]
    pub format: FormatArg,
}

struct Bar(ProgressBar);

impl Progress for Bar {
    fn wants_total(&self) -> bool {
        true
    }
    fn start(&self, n: u64) {
        self.0.set_length(n);
    }
    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

pub fn run(index_dir: PathBuf, args: IndexArgs) -> Result<i32> {
    // First, before this process starts any thread.
    cap_malloc_arenas();
    let field_map =
        FieldMap::parse(&args.map).map_err(|e| morgue::Error::Usage(format!("--map: {e}")))?;
    let opts = IndexOptions {
        roots: args.roots.clone(),
        rebuild: args.rebuild,
        parse: ParseOptions { max_file_size: args.max_file_size, field_map },
        commit_every_files: args.commit_every.max(1),
        ..IndexOptions::default()
    };
    // Check the roots before anything is created or written.
    morgue::discover::check_roots(&opts.roots)?;
    let store = Store::open_or_create(&index_dir)
        .with_context(|| format!("opening the index at {}", index_dir.display()))?;
    let bar = if std::io::stderr().is_terminal() {
        let pb = ProgressBar::new(0);
        pb.set_style(
            ProgressStyle::with_template(
                "{spinner} indexing {pos}/{len} files [{elapsed_precise}] {wide_bar} {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Some(Bar(pb))
    } else {
        None
    };
    let progress: &dyn Progress = match &bar {
        Some(b) => b,
        None => &indexer::NoProgress,
    };
    let summary = indexer::run(&store, &opts, progress)?;
    let mut out = std::io::stdout().lock();
    let shown = if args.verbose { usize::MAX } else { 10 };
    morgue::render::summary(&summary, args.format.into(), &mut out, shown)?;
    Ok(if args.strict && (summary.failed > 0 || summary.failed_records > 0) { 1 } else { 0 })
}

/// glibc gives each thread that allocates an arena of its own, up to eight per core on 64-bit
/// systems, and keeps memory freed in an arena for that arena's later use. Indexing allocates
/// on every parsing and indexing thread, so that kept memory adds up: with one arena per core
/// (at least two), a run holds less of it (measured in BENCHMARKS.md). A `MALLOC_ARENA_MAX`
/// set by the user wins (a `GLIBC_TUNABLES` setting of `glibc.malloc.arena_max` does not).
fn cap_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        let arenas = i32::try_from(cores.max(2)).unwrap_or(i32::MAX);
        // SAFETY: mallopt sets one of the allocator's parameters; no other thread of this
        // process allocates yet.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
}
