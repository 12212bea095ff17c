//! What views ask for. Views draw and return [`Intent`]s; the app applies
//! them in one place, at one point in the frame (after everything is drawn),
//! so no view changes the document or starts file work behind the others'
//! backs.

use super::command::Command;
use super::files::{AfterSave, Opening};
use super::notice::Notice;
use crate::format::recovery::Recovery;
use crate::model::{ClaimId, Edit};
use std::ops::Range;
use std::path::PathBuf;

/// An answer to the changed-on-disk question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiskAnswer {
    /// Merge their changes into mine (annotation file) / reload (article).
    Merge,
    Reload,
    Keep,
}

impl Intent {
    /// Whether it changes the document or starts file work: not while a
    /// document is being opened, which would replace it (or save into the
    /// wrong file).
    pub fn changes_document(&self) -> bool {
        match self {
            Intent::Run(command) => command.changes_document(),
            Intent::Edit(_)
            | Intent::Step(..)
            | Intent::Reattach
            | Intent::Open(_)
            | Intent::OpenNow { .. }
            | Intent::SaveTo { .. }
            | Intent::ReadArticle { .. }
            | Intent::CompareWith(_)
            | Intent::Disk(_)
            | Intent::Restore(_)
            | Intent::EmbedArticle(_)
            | Intent::Discard => true,
            _ => false,
        }
    }
}

pub enum Intent {
    Run(Command),
    /// A user edit (typing coalesces into one undo step).
    Edit(Edit),
    /// A whole decision (a compare choice, a resolved conflict) as its own
    /// undo step, with what to say when it is made.
    Step(Edit, String),
    /// A text field was left: the next keystrokes start a new undo step.
    Seal,
    Select {
        claim: Option<ClaimId>,
        /// Also bring it into view in the article.
        scroll: bool,
    },
    ScrollTo(usize),
    SelectText(Range<usize>),
    /// Move the selected (unplaced) claim to the selected text.
    Reattach,
    Notice(Notice),
    /// Open a file, a page or a new article, asking first about unsaved changes.
    Open(Opening),
    /// Open it now (the question is answered), against `article` if given.
    OpenNow {
        opening: Opening,
        article: Option<PathBuf>,
    },
    SaveTo {
        path: PathBuf,
        then: AfterSave,
    },
    /// Place the claims on the article `named` names; `accept` is the
    /// resolved path the user agreed to read (or chose).
    ReadArticle {
        named: PathBuf,
        accept: Option<PathBuf>,
    },
    CompareWith(PathBuf),
    OpenLink(String),
    Disk(DiskAnswer),
    Restore(Recovery),
    DiscardRecovery(PathBuf),
    /// Keep the autosaved work for the next start.
    RecoveriesLater,
    /// Carry the article text inside the annotation file, or not.
    EmbedArticle(bool),
    Theme(super::prefs::ThemeChoice),
    /// Stop a job the user no longer wants.
    Cancel(super::jobs::JobId),
    /// The unsaved work is thrown away (Don't save): so is its recovery file.
    Discard,
    /// The user's name for new claims, confirmed before the first save.
    SetAuthor(String),
    /// Close the window (the unsaved-changes question is answered).
    Quit,
    /// Write the claims in another format.
    Export {
        format: crate::export::Format,
        path: PathBuf,
    },
}
