//! The `morgue` binary: parse flags, run one subcommand, report errors with their exit code
//! (2 for the user's mistakes, 1 for everything else). The work happens in the library.

mod cli;

use std::process::ExitCode;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use clap::Parser;

use cli::{Cli, Command};
use morgue::store::Store;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code as u8),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("morgue: {err:#}");
            let code = err
                .chain()
                .find_map(|e| e.downcast_ref::<morgue::Error>())
                .map(|e| e.exit_code())
                .unwrap_or(1);
            ExitCode::from(code as u8)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<i32> {
    let dir = cli.index_dir();
    let timeout = Duration::from_secs(cli.timeout.max(1));
    match cli.command {
        Command::Index(args) => cli::index::run(dir, args),
        Command::Search(args) => query(&dir, timeout, |s| cli::search::run(s, args)),
        Command::Quotes(args) => query(&dir, timeout, |s| cli::quotes::run_quotes(s, args)),
        Command::Speakers(args) => query(&dir, timeout, |s| cli::quotes::run_speakers(s, args)),
        Command::Show(args) => cli::show::run_show(&Store::open(&dir)?, args),
        Command::Stats(args) => cli::show::run_stats(&Store::open(&dir)?, args),
        Command::Eval(args) => cli::eval::run(&Store::open(&dir)?, args),
        Command::Check(args) => cli::show::run_check(&Store::open(&dir)?, args),
    }
}

/// Open the index and run a query on this thread, giving up after `limit` (tantivy has no query
/// timeout of its own): a watchdog thread reports the timeout and ends the process.
///
/// The store is not dropped: the process ends right after the answer, and unmapping every file
/// of every segment one call at a time (while the search threads still run, so each unmapping
/// interrupts the other cores to flush their address translations) is work that the end of the
/// process does at once.
fn query(
    dir: &std::path::Path,
    limit: Duration,
    work: impl FnOnce(&Store) -> anyhow::Result<i32>,
) -> anyhow::Result<i32> {
    let (done, finished) = std::sync::mpsc::channel::<()>();
    std::thread::Builder::new().name("timeout".into()).spawn(move || {
        if let Err(RecvTimeoutError::Timeout) = finished.recv_timeout(limit) {
            let err = morgue::Error::Query(format!(
                "the query ran longer than {} s (--timeout); narrow it with more words or filters",
                limit.as_secs()
            ));
            eprintln!("morgue: {err}");
            std::process::exit(err.exit_code());
        }
    })?;
    let store = Store::open(dir)?;
    let result = work(&store);
    std::mem::forget(store);
    drop(done);
    result
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .map(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            .unwrap_or(false)
    })
}
