//! The open document and everything about where it lives, as plain Rust
//! that tests drive without a window: its annotation file and article paths
//! (and the files they led to when read), why the article is a stand-in, the
//! text a merge starts from, what to watch on disk and where its unsaved work
//! is autosaved. The window turns user intents into the requests made here,
//! runs them as jobs, and hands the results back.

use super::files::{
    AfterSave, ArticleRead, ArticleRequest, KeptPage, Opened, Restored, SavePlan, SavedFile,
};
use super::merge_base::MergeBase;
use super::watch::{Change, WatchSpec, Watched};
use crate::format::access::{self, Doubt};
use crate::format::{ArticleOrigin, ParsedFile};
use crate::model::Document;
use std::path::{Path, PathBuf};

pub struct DocumentState {
    pub doc: Document,
    pub annotation_path: Option<PathBuf>,
    /// The file the annotation path led to when opened or last saved (links
    /// resolved): a save writes nowhere else.
    annotation_identity: Option<PathBuf>,
    /// Where the article was read from; `None` for the built-in, a known or
    /// an embedded article.
    pub article_path: Option<PathBuf>,
    /// The file the article text shown was read from (links resolved), or
    /// one the user agreed to read: read again without asking while the
    /// path still leads there.
    accepted_article: Option<PathBuf>,
    /// Why the article shown is a stand-in (missing, or not read without asking).
    pub unlocated: Option<ArticleOrigin>,
    /// Save the article text inside the annotation file.
    pub embed_article: bool,
    /// Shown above the article while the file and article disagree.
    pub banner: Option<String>,
    /// The annotation file's text as opened or last saved: a merge's base.
    merge_base: Option<MergeBase>,
    /// The web page the article was extracted from.
    page: Option<KeptPage>,
}

/// What placing the claims on a newly read article came to, for the window.
pub enum ArticleOutcome {
    /// The document now shows the article; say this.
    Replaced(String),
    /// Nothing changed; say this.
    Unchanged(String),
    /// Ask before reading from where the path leads.
    Ask {
        named: PathBuf,
        resolved: PathBuf,
        doubt: Doubt,
    },
    Failed(String),
}

impl DocumentState {
    /// A document that came from nowhere on disk (the built-in article).
    pub fn new(doc: Document) -> Self {
        Self {
            doc,
            annotation_path: None,
            annotation_identity: None,
            article_path: None,
            accepted_article: None,
            unlocated: None,
            embed_article: false,
            banner: None,
            merge_base: None,
            page: None,
        }
    }

    pub fn opened(opened: Opened) -> Self {
        Self {
            annotation_path: opened.annotation_path,
            annotation_identity: opened.annotation_identity,
            article_path: opened.article.path().map(Path::to_path_buf),
            accepted_article: opened.article_identity,
            unlocated: match opened.article {
                ArticleOrigin::File(_)
                | ArticleOrigin::Embedded
                | ArticleOrigin::Known
                | ArticleOrigin::Page(_) => None,
                missing => Some(missing),
            },
            embed_article: opened.embedded,
            banner: opened.banner,
            merge_base: opened.merge_base,
            page: opened.page,
            doc: opened.doc,
        }
    }

    /// Work restored from a recovery file: unsaved, belonging to the file it
    /// was being saved to, on the article it was made on.
    pub fn restored(restored: Restored) -> Self {
        let Restored {
            recovery,
            set,
            article_path,
        } = restored;
        // Work done over a stand-in comes back over one, article still to locate.
        let missing = set.missing_article.is_some();
        let annotation_path = recovery.saved_path.clone();
        let mut doc = Document::new(set);
        doc.mark_unsaved();
        Self {
            embed_article: !missing && article_path.is_none() && annotation_path.is_some(),
            annotation_identity: annotation_path.clone(),
            annotation_path,
            accepted_article: article_path.clone(),
            article_path,
            unlocated: missing.then_some(ArticleOrigin::Missing(None)),
            banner: Some(format!(
                "Restored unsaved work autosaved at {}. Save it to keep it.",
                recovery.written.strftime("%H:%M UTC")
            )),
            merge_base: None,
            page: None,
            doc,
        }
    }

    /// What the disk watcher should watch for this document.
    pub fn watch_spec(&self) -> WatchSpec {
        let annotations = self.annotation_path.as_ref().map(|path| Watched {
            path: path.clone(),
            identity: self
                .annotation_identity
                .clone()
                .unwrap_or_else(|| path.clone()),
            sha256: self
                .merge_base
                .as_ref()
                .map_or_else(String::new, |base| base.sha256().to_owned()),
        });
        let article = self.article_path.as_ref().map(|path| Watched {
            path: path.clone(),
            identity: self
                .accepted_article
                .clone()
                .unwrap_or_else(|| path.clone()),
            sha256: self.doc.set().article.sha256().to_owned(),
        });
        WatchSpec {
            annotations,
            article,
        }
    }

    /// The annotation file's text as opened or last saved.
    pub fn merge_base(&self) -> Option<&MergeBase> {
        self.merge_base.as_ref()
    }

    /// The user has seen the file on disk and keeps their own version: it
    /// becomes the base of the next merge, and saving replaces it.
    pub fn acknowledge(&mut self, change: &Change) {
        match change {
            Change::Annotations { disk } => self.merge_base = Some(MergeBase::new(disk)),
            Change::AnnotationsGone => self.merge_base = None,
            _ => {}
        }
    }

    /// Where the document's unsaved work belongs: its annotation file, or
    /// its article before the first save.
    pub fn recovery_key(&self) -> (Option<&Path>, Option<&Path>) {
        (
            self.annotation_path.as_deref(),
            self.article_path.as_deref(),
        )
    }

    /// Whether a fetched page waits to be written beside the next save.
    pub fn page_pending(&self) -> bool {
        matches!(self.page, Some(KeptPage::Fetched(_)))
    }

    /// Where Save as suggests saving: the file itself, else beside the
    /// article or the page it was opened from, else a name made of the title.
    pub fn save_as_suggestion(&self) -> PathBuf {
        if let Some(path) = &self.annotation_path {
            return path.clone();
        }
        let page = match &self.page {
            Some(KeptPage::File(page)) => Some(page),
            _ => None,
        };
        match self.article_path.as_ref().or(page) {
            Some(beside) => beside.with_extension("ron"),
            None => PathBuf::from(format!("{}.ron", file_stem(self.doc.set().article.title()))),
        }
    }

    /// The file name shown in the window title and the status bar.
    pub fn file_name(&self) -> String {
        self.annotation_path
            .as_ref()
            .or(self.article_path.as_ref())
            .and_then(|p| p.file_name())
            .map_or_else(
                || "untitled".to_owned(),
                |n| n.to_string_lossy().into_owned(),
            )
    }

    /// The folder whose tree an article may be read from without asking:
    /// the annotation file's, or before the first save the article's own.
    fn trust_root(&self) -> PathBuf {
        let file = self
            .annotation_path
            .as_deref()
            .or(self.article_path.as_deref());
        file.map_or_else(
            || PathBuf::from("."),
            |f| access::folder_of(f).to_path_buf(),
        )
    }

    /// A request to place the claims on the article `named` names. `accept`
    /// is a resolved path the user agreed to (or chose): read without asking.
    pub fn article_request(&self, named: PathBuf, accept: Option<PathBuf>) -> ArticleRequest {
        ArticleRequest {
            named,
            root: self.trust_root(),
            accepted: accept.or_else(|| self.accepted_article.clone()),
            claims: ParsedFile::from_set(self.doc.set()),
            current: self.article_path.clone(),
            current_sha256: self.doc.set().article_fingerprint().0.to_owned(),
        }
    }

    /// Takes in an article read for this document. Claims are kept whatever
    /// happens; when the document is replaced, its undo history starts afresh.
    pub fn article_read(&mut self, read: ArticleRead) -> ArticleOutcome {
        let (named, resolved, set, report, reload, unchanged) = match read {
            ArticleRead::Read {
                named,
                resolved,
                set,
                report,
                reload,
                unchanged,
            } => (named, resolved, set, report, reload, unchanged),
            ArticleRead::Unchanged => {
                return ArticleOutcome::Unchanged("The article has not changed".into());
            }
            ArticleRead::Ask {
                named,
                resolved,
                doubt,
            } => {
                return ArticleOutcome::Ask {
                    named,
                    resolved,
                    doubt,
                };
            }
            ArticleRead::Failed(why) => return ArticleOutcome::Failed(why),
        };
        let was_dirty = self.doc.is_dirty();
        self.doc = Document::new(*set);
        if was_dirty || !unchanged || !reload {
            self.doc.mark_unsaved();
        }
        self.article_path = Some(named.clone());
        self.accepted_article = Some(resolved);
        self.unlocated = None;
        self.banner = report.banner();
        ArticleOutcome::Replaced(if reload {
            "Article reloaded and claims re-anchored".to_owned()
        } else {
            format!("Claims placed on {}", named.display())
        })
    }

    /// Plans a save to `path`, taking a snapshot of the document now.
    /// `author` is recorded as a contributor when there are changes.
    pub fn save_plan(&mut self, path: PathBuf, author: &str, then: AfterSave) -> SavePlan {
        if self.doc.is_dirty() && !author.trim().is_empty() {
            self.doc.note_contributor(author.trim());
        }
        let same_file = self.annotation_path.as_deref() == Some(path.as_path());
        let article_path = match &self.unlocated {
            Some(
                ArticleOrigin::Missing(Some(path)) | ArticleOrigin::Unconfirmed { named: path, .. },
            ) => Some(path.clone()),
            _ => self.article_path.clone(),
        };
        let mut set = self.doc.set().clone();
        if self.page_file_goes_stale(&path)
            && let Some(page) = set.details.page.as_mut()
        {
            page.file = None;
        }
        SavePlan {
            write_article: self.article_path.is_none()
                && self.unlocated.is_none()
                && !self.embed_article
                && set.missing_article.is_none(),
            set,
            state: self.doc.state(),
            article_path,
            embed_article: self.embed_article,
            page: self.page.clone(),
            opened: self.annotation_identity.clone().filter(|_| same_file),
            base_sha256: self
                .merge_base
                .as_ref()
                .filter(|_| same_file)
                .map(|base| base.sha256().to_owned()),
            path,
            then,
            keep_in: None,
        }
    }

    /// A recorded page file is relative to the annotation file's folder, and
    /// never read (so it cannot be re-based): saved into another folder
    /// without the page in hand, it would name the wrong file.
    fn page_file_goes_stale(&self, to: &Path) -> bool {
        self.page.is_none() && self.annotation_path.as_deref().and_then(Path::parent) != to.parent()
    }

    /// Takes in a save that went well: that state is what is on disk now.
    pub fn saved(&mut self, saved: &SavedFile) {
        if self.page_file_goes_stale(&saved.path) {
            self.doc.note_page_file(None);
        }
        self.doc.mark_saved_at(saved.state);
        self.annotation_path = Some(saved.path.clone());
        self.annotation_identity = Some(saved.identity.clone());
        self.merge_base = Some(saved.base.clone());
        if let Some(article) = &saved.article_written {
            self.article_path = Some(article.clone());
        }
        if let Some((kept, recorded)) = &saved.page_kept {
            self.page = Some(KeptPage::File(kept.clone()));
            self.doc.note_page_file(Some(recorded));
        }
    }
}

/// A file name made of a title: its letters and digits, lower case,
/// words joined by hyphens, at most 60 chars.
fn file_stem(title: &str) -> String {
    let stem: String = crate::model::slug(title).chars().take(60).collect();
    let stem = stem.trim_end_matches('-');
    if stem.is_empty() {
        "annotations".to_owned()
    } else {
        stem.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::files;
    use crate::model::{Edit, EditContext, Status};

    fn ctx() -> EditContext {
        EditContext {
            author: "t".into(),
            now: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    fn example(dir: &Path) -> DocumentState {
        let article = dir.join("a.txt");
        std::fs::write(&article, "Russia called the talks satisfactory.").unwrap_or_default();
        let opened = files::open(&article, None, None).unwrap_or_else(|e| panic!("{e}"));
        let mut state = DocumentState::opened(opened);
        let claim = state
            .doc
            .set()
            .new_claim(24..36, &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        state
            .doc
            .apply(Edit::AddClaim(Box::new(claim)), &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        state
    }

    #[test]
    fn edits_made_while_a_save_runs_stay_unsaved() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut state = example(dir.path());
        let plan = state.save_plan(dir.path().join("a.ron"), "me", AfterSave::Nothing);
        assert!(!plan.write_article, "the article has a file");
        let id = state.doc.set().claims()[0].id.clone();
        // An edit while the save is under way.
        state
            .doc
            .apply(
                Edit::SetStatus {
                    claim: id,
                    status: Status::Agreed,
                },
                &ctx(),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let saved = files::save(plan).unwrap_or_else(|_| panic!("saved"));
        state.saved(&saved);
        assert!(state.doc.is_dirty(), "the later edit is not on disk");
        let on_disk =
            crate::format::load_annotations(&saved.path, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(on_disk.set.claims()[0].status, Status::Unreviewed);
        assert!(on_disk.set.contributors.contains("me"));
        // Watched as saved: the file, its text and the article.
        let spec = state.watch_spec();
        assert_eq!(
            spec.annotations.map(|w| w.sha256),
            Some(saved.base.sha256().to_owned())
        );
        assert!(spec.article.is_some());
    }

    #[test]
    fn a_save_over_a_file_changed_on_disk_writes_nothing() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut state = example(dir.path());
        let path = dir.path().join("a.ron");
        let plan = state.save_plan(path.clone(), "me", AfterSave::Nothing);
        state.saved(&files::save(plan).unwrap_or_else(|_| panic!("saved")));
        std::fs::write(&path, "their version").unwrap_or_default();
        let plan = state.save_plan(path.clone(), "me", AfterSave::Nothing);
        match files::save(plan) {
            Err(files::SaveFailed::ChangedOnDisk { disk }) => assert_eq!(disk, "their version"),
            _ => panic!("must not overwrite"),
        }
        assert_eq!(
            std::fs::read_to_string(&path).unwrap_or_default(),
            "their version"
        );
        // Once the user has seen theirs and keeps mine, the save goes ahead.
        state.acknowledge(&Change::Annotations {
            disk: "their version".into(),
        });
        let plan = state.save_plan(path, "me", AfterSave::Nothing);
        assert!(files::save(plan).is_ok());
    }

    #[test]
    fn save_as_suggests_beside_the_article_or_page_else_a_name_from_the_title() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let state = example(dir.path());
        assert_eq!(state.save_as_suggestion(), dir.path().join("a.ron"));
        assert_eq!(
            file_stem("Envoy: talks “satisfactory”!"),
            "envoy-talks-satisfactory"
        );
        assert_eq!(file_stem("Переговоры в Стамбуле"), "переговоры-в-стамбуле");
        assert_eq!(file_stem("?!"), "annotations");
        let fetched = DocumentState::new(files::built_in());
        assert_eq!(
            fetched.save_as_suggestion(),
            PathBuf::from("russia-and-ukraine-peace-talks.ron")
        );
    }

    #[test]
    fn a_reload_that_finds_the_same_text_changes_nothing() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut state = example(dir.path());
        let before = state.doc.history().can_undo();
        let request = state.article_request(dir.path().join("a.txt"), None);
        let outcome = state.article_read(files::read_article(request));
        assert!(matches!(outcome, ArticleOutcome::Unchanged(_)));
        assert_eq!(state.doc.history().can_undo(), before, "history kept");
        // A changed text replaces the document and re-places the claims.
        std::fs::write(
            dir.path().join("a.txt"),
            "Now: Russia called the talks satisfactory.",
        )
        .unwrap_or_default();
        let request = state.article_request(dir.path().join("a.txt"), None);
        match state.article_read(files::read_article(request)) {
            ArticleOutcome::Replaced(message) => assert!(message.contains("re-anchored")),
            _ => panic!("replaced"),
        }
        assert!(state.doc.is_dirty());
        assert_eq!(
            state.doc.set().claims()[0].anchor_state.label(),
            "moved",
            "{:?}",
            state.doc.set().claims()[0].anchor_state
        );
    }
}
