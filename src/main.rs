//! factmark's entry point: parse arguments, then run a subcommand or start the window.

use clap::Parser;
use factmark::{app, cli};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    if let Some(command) = args.command {
        return cli::run(command);
    }
    let startup = app::Startup {
        path: args.path,
        article: args.article,
        data_dir: factmark::format::recovery::default_data_dir(),
        background: true,
    };
    match app::run(startup) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("factmark: could not start the window: {err}");
            ExitCode::FAILURE
        }
    }
}
