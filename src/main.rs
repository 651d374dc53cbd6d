//! The `morgue` binary: parse flags, run one subcommand, report errors with their exit code
//! (2 for the user's mistakes, 1 for everything else). The work happens in the library.

mod cli;

use std::process::ExitCode;

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
    let open = || Store::open(&dir);
    match cli.command {
        Command::Index(args) => cli::index::run(dir, args),
        Command::Search(args) => cli::search::run(&open()?, args),
        Command::Quotes(args) => cli::quotes::run_quotes(&open()?, args),
        Command::Speakers(args) => cli::quotes::run_speakers(&open()?, args),
        Command::Show(args) => cli::show::run_show(&open()?, args),
        Command::Stats(args) => cli::show::run_stats(&open()?, args),
        Command::Eval(args) => cli::eval::run(&open()?, args),
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .map(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            .unwrap_or(false)
    })
}
