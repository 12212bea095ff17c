//! Command-line arguments and headless subcommands. Subcommands run on the same
//! library as the window; they print plain lines (or JSON) and set the exit code.

mod check;
mod diff;
mod export;
mod extract;
mod import;
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

    /// An article (.txt, .md), a saved web page (.html), a web address
    /// (https://…) or an annotation file (.ron) to open. Without it, the
    /// example annotations of the reference article open.
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
        /// The text the claims were made on, if the file does not carry it:
        /// claims are then followed through a diff instead of searched for.
        #[arg(long, value_name = "OLD")]
        old: Option<PathBuf>,
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
    /// Count claims by status, by party and by anchor state, and merge conflicts.
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
    /// Write an annotation file's claims in another format: `claimreview`
    /// (schema.org JSON-LD, one review per claim with a verdict),
    /// `markup-page` (the same for Google's Fact Check Tools), `w3c` (W3C Web
    /// Annotation JSON-LD), `brat` (standoff .ann, the article beside as
    /// .txt), `html` or `md` (a report for an editor), `csv` (one row per claim).
    Export {
        file: PathBuf,
        #[arg(long, value_name = "FORMAT")]
        to: crate::export::Format,
        /// Where to write (default: standard output).
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Who publishes the fact-check (ClaimReview's author); overrides
        /// the publisher the file records.
        #[arg(long, value_name = "NAME")]
        publisher: Option<String>,
        /// Each review's address, `{id}` standing for the claim id
        /// (https://factcheck.example/peace-talks#{id}); overrides the
        /// file's.
        #[arg(long, value_name = "TEMPLATE")]
        publisher_url: Option<String>,
    },
    /// Take in annotations from another tool (W3C Web Annotation JSON-LD,
    /// factmark's own `w3c` export, or Hypothesis API JSON) as a new
    /// annotation file on ARTICLE; each claim is placed by its quote.
    Import {
        file: PathBuf,
        #[arg(long, value_name = "ARTICLE")]
        article: PathBuf,
        /// The annotation file to write (never an existing one).
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
    },
    /// Print the article a saved web page (.html) or a web address holds,
    /// found as a browser's reader view finds it.
    Extract {
        /// A saved page, or an http(s) address to fetch.
        source: String,
        /// One JSON object: title, byline, site_name, url, published,
        /// modified, lang, dir (null when unknown) and text.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a subcommand; the exit code says whether it worked.
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Reanchor {
            file,
            article,
            old,
            json: true,
        } => return print_json(reanchor::run(&file, &article, old.as_deref(), true)),
        Command::Reanchor {
            file, article, old, ..
        } => reanchor::run(&file, &article, old.as_deref(), false),
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
        Command::Extract { source, json: true } => return print_json(extract::run(&source, true)),
        Command::Extract { source, .. } => extract::run(&source, false),
        Command::Import {
            file,
            article,
            output,
        } => import::run(&file, &article, &output),
        Command::Export {
            file,
            to,
            output,
            publisher,
            publisher_url,
        } => {
            let publisher = export::PublisherOverride {
                name: publisher,
                claim_url: publisher_url,
            };
            match export::run(&file, to, output.as_deref(), publisher) {
                Ok((text, report)) => {
                    eprint!("{}", printable(&report));
                    // Printed as it is: JSON, CSV and Markdown escape their
                    // values themselves, and `printable` would break them.
                    print!("{text}");
                    return ExitCode::SUCCESS;
                }
                Err(message) => Err(message),
            }
        }
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

/// Prints JSON as it is (`printable`'s escapes would break it, and
/// serde_json already escapes every control character), or the error.
fn print_json(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(json) => {
            print!("{json}");
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

/// Whether a char from a file is escaped in terminal output: control
/// characters and the invisible ones that hide or reorder text.
pub(crate) fn hidden(c: char) -> bool {
    c.is_control() || crate::model::is_invisible_format(c)
}

/// A value from a file (an id, a name, a quote, a title) as it is shown in
/// command-line output: every control and invisible character escaped,
/// line breaks included, so a value can neither drive the terminal nor forge
/// a line of the report (`c-1\nfile.ron: 0 problems`).
pub(crate) struct Shown<'a>(pub &'a str);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write as _;
        for c in self.0.chars() {
            if hidden(c) {
                write!(f, "{}", c.escape_unicode())?;
            } else {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}

/// Output with control characters (other than the report's own line
/// breaks) escaped, a last guard for anything not shown through [`Shown`].
fn printable(text: &str) -> String {
    text.split('\n')
        .map(|line| Shown(line).to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn output_cannot_drive_the_terminal() {
        let shown = super::printable("claim \u{1b}[31mred\u{7}\nnext \u{202e}txt");
        assert_eq!(shown, "claim \\u{1b}[31mred\\u{7}\nnext \\u{202e}txt");
    }

    #[test]
    fn values_from_files_cannot_forge_lines() {
        let id = "c-1\nnotes.ron: 0 problems\u{2028}\u{ad}\u{e0041}";
        assert_eq!(
            super::Shown(id).to_string(),
            "c-1\\u{a}notes.ron: 0 problems\\u{2028}\\u{ad}\\u{e0041}"
        );
    }
}
