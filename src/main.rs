//! factmark's entry point: parse arguments, then start the window.

use clap::Parser;
use factmark::{app, cli};

fn main() -> std::process::ExitCode {
    let args = cli::Args::parse();
    let startup = app::Startup {
        path: args.path,
        article: args.article,
    };
    match app::run(startup) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("factmark: could not start the window: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
