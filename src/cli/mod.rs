//! Command-line arguments and headless subcommands. Subcommands run on the same
//! library as the window; they print plain lines (or JSON) and set the exit code.

mod check;
mod diff;
mod merge;
mod reanchor;
mod stats;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// factmark — annotate claims in news articles and fact-check them.
///
/// With no subcommand, opens the window.
#[derive(Parser, Debug)]
#[command(
    name = "factmark",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// An article (.txt, .md) or an annotation file (.ron) to open.
    /// Without it, the example annotations of the reference article open.
    pub path: Option<PathBuf>,

    /// With a .ron file: open it against this article instead of the recorded one.
    #[arg(long, value_name = "ARTICLE")]
    pub article: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Re-anchor an annotation file's claims against an article and report
    /// where each landed: exact, moved, fuzzy or orphaned. Changes no file.
    Reanchor {
        /// The annotation file (.ron).
        file: PathBuf,
        /// The article to anchor against (.txt, .md).
        article: PathBuf,
        /// Print a JSON listing of every claim (id, state, old and new offsets, score).
        #[arg(long)]
        json: bool,
    },
    /// Validate annotation files: format, version, and anchors against the
    /// article when it is available. One line per problem; exit code 1 if any.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Count claims by status, by party and by anchor state.
    Stats { file: PathBuf },
    /// Show how two annotators' files differ, with span and status agreement.
    Diff { a: PathBuf, b: PathBuf },
    /// Three-way merge (a git merge driver): combine OURS and THEIRS, both
    /// changed from BASE (an empty BASE: both added the file). Writes OURS
    /// (or -o OUT); conflicts are kept in the file, marked, and make the exit
    /// code 1. When no valid file can be made nothing is written and the
    /// exit code is 255, which git takes as a failed merge.
    Merge {
        base: PathBuf,
        ours: PathBuf,
        theirs: PathBuf,
        /// Where to write the result (default: OURS, as git expects).
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
}

/// Runs a subcommand; the exit code says whether it worked.
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Reanchor {
            file,
            article,
            json,
        } => reanchor::run(&file, &article, json),
        Command::Check { files } => {
            let (report, ok) = check::run(&files);
            print!("{}", printable(&report));
            return if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
        Command::Stats { file } => stats::run(&file),
        Command::Diff { a, b } => diff::run(&a, &b),
        Command::Merge {
            base,
            ours,
            theirs,
            output,
        } => match merge::run(&base, &ours, &theirs, output.as_deref()) {
            Ok((report, clean)) => {
                eprint!("{}", printable(&report));
                return if clean {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                };
            }
            Err(message) => {
                eprintln!("factmark: {}", printable(&message));
                return ExitCode::from(merge::FAILED);
            }
        },
    };
    match result {
        Ok(output) => {
            print!("{}", printable(&output));
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("factmark: {}", printable(&message));
            ExitCode::FAILURE
        }
    }
}

/// Reads and validates an annotation file without binding it to an article;
/// the message names the file.
fn read_file(path: &std::path::Path) -> Result<crate::format::ParsedFile, String> {
    let text = crate::format::read_text(path).map_err(|e| e.to_string())?;
    crate::format::from_ron(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Output with control characters (other than line breaks) escaped: ids,
/// quotes and names come from files, and a file must not be able to send
/// escape sequences to the user's terminal.
fn printable(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escape = c.is_control() && c != '\n' || crate::model::is_invisible_format(c);
            let shown: Box<dyn Iterator<Item = char>> = if escape {
                Box::new(c.escape_unicode())
            } else {
                Box::new(std::iter::once(c))
            };
            shown
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn output_cannot_drive_the_terminal() {
        let shown = super::printable("claim \u{1b}[31mred\u{7}\nnext \u{202e}txt");
        assert_eq!(shown, "claim \\u{1b}[31mred\\u{7}\nnext \\u{202e}txt");
    }
}
