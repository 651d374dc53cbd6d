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
    let index_dir = dir.clone();
    let timeout = Duration::from_secs(cli.timeout.max(1));
    let open = move || Store::open(&dir);
    match cli.command {
        Command::Index(args) => cli::index::run(index_dir, args),
        Command::Search(args) => with_timeout(timeout, move || cli::search::run(&open()?, args)),
        Command::Quotes(args) => {
            with_timeout(timeout, move || cli::quotes::run_quotes(&open()?, args))
        }
        Command::Speakers(args) => {
            with_timeout(timeout, move || cli::quotes::run_speakers(&open()?, args))
        }
        Command::Show(args) => cli::show::run_show(&open()?, args),
        Command::Stats(args) => cli::show::run_stats(&open()?, args),
        Command::Eval(args) => cli::eval::run(&open()?, args),
        Command::Check(args) => cli::show::run_check(&open()?, args),
    }
}

/// Run a query on a thread with a large stack, and give up after `limit` (tantivy has no query
/// timeout of its own).
fn with_timeout<F>(limit: Duration, work: F) -> anyhow::Result<i32>
where
    F: FnOnce() -> anyhow::Result<i32> + Send + 'static,
{
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new().stack_size(64 << 20).spawn(move || {
        let _ = tx.send(work());
    })?;
    match rx.recv_timeout(limit) {
        Ok(result) => result,
        Err(RecvTimeoutError::Timeout) => Err(morgue::Error::Query(format!(
            "the query ran longer than {} s (--timeout); narrow it with more words or filters",
            limit.as_secs()
        ))
        .into()),
        Err(RecvTimeoutError::Disconnected) => {
            Err(anyhow::anyhow!("the query stopped unexpectedly"))
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .map(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            .unwrap_or(false)
    })
}
