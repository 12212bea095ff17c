//! Command-line arguments. Headless subcommands live here too, on the same
//! library the window uses.

use clap::Parser;
use std::path::PathBuf;

/// factmark — annotate claims in news articles and fact-check them.
#[derive(Parser, Debug)]
#[command(name = "factmark", version, about)]
pub struct Args {
    /// An article (.txt, .md) or an annotation file (.ron) to open.
    /// Without it, the example annotations of the reference article open.
    pub path: Option<PathBuf>,

    /// With a .ron file: open it against this article instead of the recorded one.
    #[arg(long, value_name = "ARTICLE")]
    pub article: Option<PathBuf>,
}
