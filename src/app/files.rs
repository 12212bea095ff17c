//! Opening and saving: the in-app path dialog, native dialogs on a worker
//! thread (they may be missing or hang without a desktop portal), recent files,
//! dropped files, and the "unsaved changes" question before anything is lost.

use super::disk_watch::{Change, DiskWatch};
use super::prefs::Prefs;
use crate::format::access::{self, Access, Doubt};
use crate::format::recovery::Recovery;
use crate::format::{self, ArticleOrigin, FormatError};
use crate::model::{AnnotationSet, Article, Document, Edit, merge};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// The example annotation file opened when no path is given.
const DEFAULT_ANNOTATIONS: &str = "saves/peace-talks.ron";

/// What to open at start-up.
#[derive(Clone, Debug, Default)]
pub struct Startup {
    /// An article (.txt/.md) or annotation file (.ron); `None` opens the example.
    pub path: Option<PathBuf>,
    /// For a .ron file: use this article instead of the recorded one.
    pub article: Option<PathBuf>,
    /// Where recovery files go (see `format::recovery`); `None` turns autosave off.
    pub data_dir: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Purpose {
    Open,
    SaveAs,
    /// Find the missing article of the open annotations.
    LocateArticle,
    /// A colleague's annotation file to compare with the open one.
    Compare,
}

struct PathPrompt {
    purpose: Purpose,
    text: String,
    problem: Option<String>,
    /// Focus the field (with its text selected) on the first frame.
    focus: bool,
}

/// An action that would discard unsaved changes, waiting for the user's answer.
#[derive(Clone, Debug)]
enum Pending {
    Open(PathBuf),
    Close,
}

/// What the app should react to after file work.
pub enum Outcome {
    /// A new document replaced the old one.
    Opened(String),
    Message(String),
    /// Compare the open annotations with this file.
    Compare(PathBuf),
    /// Apply this edit (a merge of the file on disk) and say this; if it
    /// cannot be applied, hand `disk` back with [`Files::merge_failed`].
    Merge {
        edit: Edit,
        message: String,
        disk: String,
    },
    /// The user chose to throw away the unsaved changes (Don't save).
    Discarded,
    Quit,
}

pub(super) struct Files {
    pub annotation_path: Option<PathBuf>,
    /// The file the annotation path led to when it was opened or last saved
    /// (links resolved): a save refuses to write anywhere else.
    annotation_identity: Option<PathBuf>,
    /// Where the article was read from; `None` for the built-in or an embedded article.
    pub article_path: Option<PathBuf>,
    /// Where the user agreed the article may be read from (links resolved),
    /// although it lies outside the trusted folder; or the article they
    /// opened themselves. Reading it again needs no new question while the
    /// path still leads there.
    accepted_article: Option<PathBuf>,
    /// An article read the user must agree to first: the path, where it
    /// really leads and why it was not read.
    confirm_read: Option<(PathBuf, PathBuf, Doubt)>,
    /// Why the article shown is a stand-in (missing, or not read without asking).
    pub unlocated: Option<ArticleOrigin>,
    /// Save the article text inside the annotation file.
    pub embed_article: bool,
    /// Whether the files changed on disk behind our back.
    pub watch: DiskWatch,
    /// Shown above the article while the file and article disagree.
    pub banner: Option<String>,
    /// Shown in a modal until dismissed.
    pub error: Option<String>,
    prompt: Option<PathPrompt>,
    pending: Option<Pending>,
    queued_open: Option<(PathBuf, Option<PathBuf>)>,
    dialog_tx: mpsc::Sender<(Purpose, Option<PathBuf>)>,
    dialog_rx: mpsc::Receiver<(Purpose, Option<PathBuf>)>,
    native_dialog_open: bool,
    /// A path the user agreed to overwrite in the Save as dialog.
    confirmed_overwrite: Option<PathBuf>,
    allow_close: bool,
    outcomes: Vec<Outcome>,
}

/// A freshly opened document and where it came from.
struct Opened {
    doc: Document,
    annotation_path: Option<PathBuf>,
    /// The annotation file's text as read.
    annotation_text: Option<String>,
    article: ArticleOrigin,
    embedded: bool,
    banner: Option<String>,
}

fn open_path(path: &Path, article: Option<&Path>) -> Result<Opened, FormatError> {
    let is_annotations = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"));
    if is_annotations {
        let loaded = format::load_annotations(path, article)?;
        let moved = loaded.report.moved > 0;
        let mut doc = Document::new(loaded.set);
        if moved {
            // The new offsets are worth saving, so say the file is out of date.
            doc.mark_unsaved();
        }
        // Over a stand-in the article notice explains; the counts would only repeat it.
        let banner = match loaded.article {
            ArticleOrigin::File(_) | ArticleOrigin::Embedded | ArticleOrigin::Known => {
                loaded.report.banner()
            }
            _ => None,
        };
        Ok(Opened {
            doc,
            annotation_path: Some(path.to_path_buf()),
            annotation_text: Some(loaded.text),
            article: loaded.article,
            embedded: loaded.embedded,
            banner,
        })
    } else {
        let article = format::load_article(path)?;
        Ok(Opened {
            doc: Document::new(AnnotationSet::new(article)),
            annotation_path: None,
            annotation_text: None,
            article: ArticleOrigin::File(path.to_path_buf()),
            embedded: false,
            banner: None,
        })
    }
}

/// Writes the article's text as `NAME.txt` beside `annotations` (unless an
/// identical file is already there) and returns its path.
fn save_article_beside(annotations: &Path, doc: &Document) -> Result<PathBuf, FormatError> {
    let text = doc.set().article.text();
    let candidates = [
        annotations.with_extension("txt"),
        annotations.with_extension("article.txt"),
    ];
    for candidate in candidates {
        // Only a plain file or nothing: a link there (planted or not) is
        // neither read nor written through.
        match std::fs::symlink_metadata(&candidate) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                format::write_atomic(&candidate, text.as_bytes())?;
                return Ok(candidate);
            }
            Ok(meta) if meta.is_file() => {
                let same = format::read_text(&candidate)
                    .is_ok_and(|existing| crate::model::normalize_text(&existing) == text);
                if same {
                    return Ok(candidate);
                }
            }
            _ => {}
        }
    }
    Err(FormatError::Invalid(
        "files with the article's name already exist with other text".into(),
    ))
}

/// The example file: next to the working directory, or in the source tree.
fn default_annotations() -> Option<PathBuf> {
    let here = PathBuf::from(DEFAULT_ANNOTATIONS);
    let source_tree = Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_ANNOTATIONS);
    [here, source_tree].into_iter().find(|p| p.is_file())
}

impl Files {
    /// Opens the start-up document; falls back to the built-in article on error.
    pub fn start(startup: Startup) -> (Self, Document, Option<String>) {
        let (dialog_tx, dialog_rx) = mpsc::channel();
        let mut files = Files {
            annotation_path: None,
            annotation_identity: None,
            article_path: None,
            accepted_article: None,
            confirm_read: None,
            unlocated: None,
            embed_article: false,
            watch: DiskWatch::default(),
            banner: None,
            error: None,
            prompt: None,
            pending: None,
            queued_open: None,
            dialog_tx,
            dialog_rx,
            native_dialog_open: false,
            confirmed_overwrite: None,
            allow_close: false,
            outcomes: Vec::new(),
        };
        let explicit = startup.path.is_some();
        let target = startup.path.or_else(default_annotations);
        let mut message = None;
        if let Some(path) = target {
            match open_path(&path, startup.article.as_deref()) {
                Ok(opened) => {
                    let doc = files.take(opened);
                    return (files, doc, None);
                }
                Err(err) if explicit => {
                    message = Some(format!("Could not open {}: {err}", path.display()))
                }
                Err(err) => {
                    message = Some(format!(
                        "The example annotations could not be opened: {err}"
                    ))
                }
            }
        }
        let article = Article::new("Russia and Ukraine peace talks", format::REFERENCE_ARTICLE);
        (files, Document::new(AnnotationSet::new(article)), message)
    }

    pub fn report(&mut self, message: String) {
        self.error = Some(message);
    }

    /// Shows the in-app path dialog for `purpose`, starting with `text`.
    fn ask(&mut self, purpose: Purpose, text: String) {
        self.prompt = Some(PathPrompt {
            purpose,
            text,
            problem: None,
            focus: true,
        });
    }

    /// The folder of the open file (with a trailing `/`), where choosing starts.
    fn open_folder(&self) -> String {
        self.annotation_path
            .as_ref()
            .or(self.article_path.as_ref())
            .and_then(|p| p.parent())
            .map(|d| format!("{}/", d.display()))
            .unwrap_or_default()
    }

    /// Opens the in-app "Open" dialog.
    pub fn ask_open(&mut self) {
        self.ask(Purpose::Open, self.open_folder());
    }

    /// Opens the in-app "Save as" dialog, suggesting a name next to the article.
    pub fn ask_save_as(&mut self) {
        let suggestion = self
            .annotation_path
            .clone()
            .or_else(|| self.article_path.as_ref().map(|a| a.with_extension("ron")))
            .unwrap_or_else(|| PathBuf::from("annotations.ron"));
        self.ask(Purpose::SaveAs, suggestion.display().to_string());
    }

    /// Opens `path` now, or first asks about unsaved changes.
    pub fn request_open(&mut self, path: PathBuf, doc: &Document) {
        if doc.is_dirty() {
            self.pending = Some(Pending::Open(path));
        } else {
            self.queued_open = Some((path, None));
        }
    }

    /// Reads the article again from disk and re-anchors every claim to it.
    /// Claims are kept whatever happens; the undo history starts afresh.
    pub fn reload_article(&mut self, doc: &mut Document) {
        let Some(path) = self.article_path.clone() else {
            self.outcomes.push(Outcome::Message(
                "This article was not read from a file".into(),
            ));
            return;
        };
        self.read_article(doc, path);
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

    /// Places the claims on the article `named` names, if it may be read:
    /// inside the trusted folder, or where the user already agreed to read
    /// from. Otherwise asks first, naming where the path really leads.
    fn read_article(&mut self, doc: &mut Document, named: PathBuf) {
        let root = self.trust_root();
        match access::judge_read(&root, &named, self.accepted_article.as_deref()) {
            Access::Allowed { resolved } => self.rebind(doc, &named, &resolved),
            Access::Missing => {
                self.error = Some(format!(
                    "There is no article at {}.\n\nNothing was changed.",
                    named.display()
                ))
            }
            Access::Ask { resolved, doubt } => self.confirm_read = Some((named, resolved, doubt)),
        }
    }

    /// Asks for a colleague's file to compare with.
    pub fn ask_compare(&mut self) {
        self.ask(Purpose::Compare, self.open_folder());
    }

    /// Asks where the missing article is.
    pub fn ask_locate_article(&mut self) {
        let text = match &self.unlocated {
            Some(ArticleOrigin::Missing(Some(path))) => path.display().to_string(),
            _ => String::new(),
        };
        self.ask(Purpose::LocateArticle, text);
    }

    /// Places every claim on the article `named` names, read from `resolved`
    /// (a reload, a located article, or one the user agreed to read). Claims
    /// are kept whatever happens; the undo history starts afresh.
    fn rebind(&mut self, doc: &mut Document, named: &Path, resolved: &Path) {
        match format::load_article(resolved) {
            Ok(article) => {
                let unchanged = article.sha256() == doc.set().article_fingerprint().0;
                let was_dirty = doc.is_dirty();
                let located = self.article_path.as_deref() != Some(named);
                let (set, report) = format::ParsedFile::from_set(doc.set()).bind(article);
                *doc = Document::new(set);
                if was_dirty || !unchanged || located {
                    doc.mark_unsaved();
                }
                self.article_path = Some(named.to_path_buf());
                self.accepted_article = Some(resolved.to_path_buf());
                self.unlocated = None;
                self.watch_article(doc);
                self.banner = report.banner();
                let message = match (located, unchanged) {
                    (true, _) => format!("Claims placed on {}", named.display()),
                    (false, true) => "The article has not changed".to_owned(),
                    (false, false) => "Article reloaded and claims re-anchored".to_owned(),
                };
                self.outcomes.push(Outcome::Opened(message));
            }
            Err(err) => {
                self.error = Some(format!(
                    "Could not read the article: {err}\n\nNothing was changed."
                ))
            }
        }
    }

    fn watch_article(&mut self, doc: &Document) {
        self.watch.watch_article(
            self.article_path.as_deref(),
            doc.set().article.sha256(),
            self.accepted_article.as_deref(),
        );
    }

    /// Above a stand-in article: why it is one, and the ways out.
    pub fn article_notice(&mut self, ui: &mut egui::Ui, doc: &mut Document) {
        let Some(origin) = self.unlocated.clone() else {
            return;
        };
        let (message, confirm) = match &origin {
            ArticleOrigin::Unconfirmed {
                named,
                resolved,
                doubt,
            } => (
                format!(
                    "This file names its article as {}, which leads to {}. It was not read \
                     because {}: a file from someone else must not open your private files. \
                     The claims are shown with their quotes and context; the article pane is \
                     read-only.",
                    named.display(),
                    resolved.display(),
                    doubt.reason()
                ),
                Some((named.clone(), resolved.clone())),
            ),
            ArticleOrigin::Missing(Some(path)) => (
                format!(
                    "The article was not found at {}. The claims are shown with their quotes and \
                     context; the article pane is read-only until you locate it.",
                    path.display()
                ),
                None,
            ),
            _ => (
                "The file names no article. The claims are shown with their quotes and context; \
                 the article pane is read-only until you locate it."
                    .to_owned(),
                None,
            ),
        };
        super::theme::notice_frame(ui.visuals()).show(ui, |ui| {
            ui.label(message);
            ui.horizontal(|ui| {
                if ui.button("Locate article…").clicked() {
                    self.ask_locate_article();
                }
                if let Some((named, resolved)) = confirm
                    && ui
                        .button("Read it anyway")
                        .on_hover_text(format!(
                            "Read {} as the article: only if you trust this file",
                            resolved.display()
                        ))
                        .clicked()
                {
                    self.accepted_article = Some(resolved);
                    self.read_article(doc, named);
                }
            });
        });
    }

    /// Asks before reading an article from where the path now leads (it
    /// changed since it was read, e.g. replaced by a link).
    fn confirm_read_modal(&mut self, ctx: &egui::Context, doc: &mut Document) {
        let Some((named, resolved, doubt)) = self.confirm_read.clone() else {
            return;
        };
        let modal = egui::Modal::new(egui::Id::unique("confirm-article-read")).show(ctx, |ui| {
            ui.set_max_width(520.0);
            ui.heading("Read this article?");
            ui.label(format!(
                "The article {} now leads to {}. It was not read because {}.",
                named.display(),
                resolved.display(),
                doubt.reason()
            ));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("Read it").clicked() {
                    return Some(true);
                }
                ui.button("Cancel").clicked().then_some(false)
            })
            .inner
        });
        let answer = modal.inner.or(modal.should_close().then_some(false));
        if let Some(read) = answer {
            self.confirm_read = None;
            if read {
                self.accepted_article = Some(resolved);
                self.read_article(doc, named);
            }
        }
    }

    /// Saves to `path`; on failure the work stays in memory and an error is shown.
    pub fn save_to(
        &mut self,
        path: &Path,
        doc: &mut Document,
        prefs: &mut Prefs,
    ) -> Option<String> {
        if self.annotation_path.as_deref() == Some(path) && self.watch.check_now() {
            // The changed-on-disk question comes first; nothing is overwritten.
            self.outcomes.push(Outcome::Message(format!(
                "Not saved: {} changed on disk. Choose what to do with it first.",
                path.display()
            )));
            return None;
        }
        // The file opened here must still be what a save writes: a link
        // planted over it since (a sync, a git pull) is not written through.
        let same_file = self.annotation_path.as_deref() == Some(path);
        let opened = self.annotation_identity.as_deref().filter(|_| same_file);
        if let Err(err) = access::write_target(path, opened) {
            self.error = Some(err.to_string());
            return None;
        }
        let needs_article_file = self.article_path.is_none()
            && self.unlocated.is_none()
            && !self.embed_article
            && doc.set().missing_article.is_none();
        if needs_article_file {
            // The built-in article has no file: save it next to the annotations
            // so the file can be opened again anywhere.
            match save_article_beside(path, doc) {
                Ok(article) => self.article_path = Some(article),
                Err(err) => {
                    self.error = Some(format!(
                        "Could not save the article beside the annotations: {err}"
                    ));
                    return None;
                }
            }
        }
        if doc.is_dirty() && !prefs.author.trim().is_empty() {
            doc.note_contributor(prefs.author.trim());
        }
        let article_path = match &self.unlocated {
            Some(
                ArticleOrigin::Missing(Some(path)) | ArticleOrigin::Unconfirmed { named: path, .. },
            ) => Some(path.as_path()),
            _ => self.article_path.as_deref(),
        };
        match format::save_annotations(path, doc.set(), article_path, self.embed_article) {
            Ok(saved) => {
                doc.mark_saved();
                self.annotation_path = Some(path.to_path_buf());
                self.annotation_identity = Some(access::identity(path));
                self.watch_annotations(Some(saved.text));
                self.watch_article(doc);
                prefs.remember(path.to_path_buf());
                // Saved either way; a lost safety net is worth saying, not an error.
                Some(
                    saved
                        .backup
                        .warning()
                        .unwrap_or_else(|| format!("Saved {}", path.display())),
                )
            }
            Err(err) => {
                self.error = Some(format!(
                    "Could not save: {err}\n\nYour annotations are still open and unchanged. \
                     Try File > Save as… to save them somewhere else."
                ));
                None
            }
        }
    }

    /// Acts on a file chosen to open, to compare with, or as the article.
    fn take_chosen_file(&mut self, purpose: Purpose, path: PathBuf, doc: &mut Document) {
        self.prompt = None;
        match purpose {
            Purpose::Open => self.request_open(path, doc),
            Purpose::LocateArticle => {
                // Chosen by the user: theirs to read, wherever it is.
                let resolved = access::identity(&path);
                self.rebind(doc, &path, &resolved)
            }
            Purpose::Compare => self.outcomes.push(Outcome::Compare(path)),
            Purpose::SaveAs => {}
        }
    }

    /// Runs queued opens and native-dialog answers; returns what the app must react to.
    pub fn take_outcomes(&mut self, doc: &mut Document, prefs: &mut Prefs) -> Vec<Outcome> {
        while let Ok((purpose, path)) = self.dialog_rx.try_recv() {
            self.native_dialog_open = false;
            let Some(path) = path else { continue };
            match purpose {
                Purpose::Open | Purpose::LocateArticle | Purpose::Compare => {
                    self.take_chosen_file(purpose, path, doc)
                }
                Purpose::SaveAs => {
                    self.prompt = None;
                    if let Some(message) = self.save_to(&path, doc, prefs) {
                        self.outcomes.push(Outcome::Message(message));
                    }
                }
            }
        }
        if let Some((path, article)) = self.queued_open.take() {
            match open_path(&path, article.as_deref()) {
                Ok(opened) => {
                    let message = format!("Opened {}", path.display());
                    prefs.remember(path);
                    *doc = self.take(opened);
                    self.outcomes.push(Outcome::Opened(message));
                }
                Err(err) => {
                    if matches!(err, FormatError::Io { .. }) {
                        prefs.forget(&path);
                    }
                    self.error = Some(format!(
                        "Could not open {}: {err}\n\nNothing was changed.",
                        path.display()
                    ));
                }
            }
        }
        std::mem::take(&mut self.outcomes)
    }

    /// Takes over work restored from a recovery file: unsaved, belonging to
    /// the file it was being saved to, on the article it carried.
    pub fn adopt_recovered(&mut self, recovery: &Recovery, set: AnnotationSet) -> Document {
        // The article file is used only if it still holds the same text.
        let same_article = |p: &&PathBuf| {
            format::load_article(p).is_ok_and(|a| a.sha256() == set.article.sha256())
        };
        self.article_path = recovery.article_path.as_ref().filter(same_article).cloned();
        self.accepted_article = self.article_path.as_deref().map(access::identity);
        self.annotation_path = recovery.saved_path.clone();
        self.annotation_identity = self.annotation_path.as_deref().map(access::identity);
        // Work done over a stand-in comes back over one, article still to locate.
        let missing = set.missing_article.is_some();
        self.unlocated = missing.then_some(ArticleOrigin::Missing(None));
        self.embed_article =
            !missing && self.article_path.is_none() && self.annotation_path.is_some();
        self.banner = Some(format!(
            "Restored unsaved work autosaved at {}. Save it to keep it.",
            recovery.written.strftime("%H:%M UTC")
        ));
        // The saved file as it is now: restored work replaces it on the next save.
        self.watch_annotations(None);
        let mut doc = Document::new(set);
        self.watch_article(&doc);
        doc.mark_unsaved();
        doc
    }

    /// Watches the annotation file as it is now, whose text is `text` when
    /// the caller has it.
    fn watch_annotations(&mut self, text: Option<String>) {
        self.watch.watch_annotations(
            self.annotation_path.as_deref(),
            text,
            self.annotation_identity.as_deref(),
        );
    }

    /// Records where an opened document came from and hands back its document.
    fn take(&mut self, opened: Opened) -> Document {
        self.annotation_path = opened.annotation_path;
        self.annotation_identity = self.annotation_path.as_deref().map(access::identity);
        self.article_path = opened.article.path().map(Path::to_path_buf);
        // The text shown came from there: reading it again needs no question
        // while the path still leads there.
        self.accepted_article = self.article_path.as_deref().map(access::identity);
        self.confirm_read = None;
        self.unlocated = match opened.article {
            ArticleOrigin::File(_) | ArticleOrigin::Embedded | ArticleOrigin::Known => None,
            missing => Some(missing),
        };
        self.embed_article = opened.embedded;
        self.banner = opened.banner;
        self.watch_annotations(opened.annotation_text);
        self.watch_article(&opened.doc);
        opened.doc
    }

    /// Dropped files open like File → Open; closing with unsaved work asks first.
    pub fn handle_drops_and_close(&mut self, ctx: &egui::Context, doc: &Document) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if let Some(path) = dropped.into_iter().find(|p| !p.as_os_str().is_empty()) {
            self.request_open(path, doc);
        }
        if ctx.input(|i| i.viewport().close_requested()) && doc.is_dirty() && !self.allow_close {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.pending = Some(Pending::Close);
        }
    }

    fn spawn_native_dialog(&mut self, ctx: &egui::Context, purpose: Purpose, start: &str) {
        if self.native_dialog_open {
            return;
        }
        self.native_dialog_open = true;
        let tx = self.dialog_tx.clone();
        let ctx = ctx.clone();
        let start = PathBuf::from(start);
        std::thread::spawn(move || {
            let mut dialog = rfd::FileDialog::new();
            let dir = if start.is_dir() {
                Some(start.as_path())
            } else {
                start.parent()
            };
            if let Some(dir) = dir.filter(|d| d.is_dir()) {
                dialog = dialog.set_directory(dir);
            }
            let path = match purpose {
                Purpose::Open => dialog
                    .add_filter(
                        "Annotations and articles",
                        &["ron", "txt", "md", "markdown"],
                    )
                    .add_filter("All files", &["*"])
                    .pick_file(),
                Purpose::Compare => dialog
                    .add_filter("factmark annotations", &["ron"])
                    .add_filter("All files", &["*"])
                    .pick_file(),
                Purpose::LocateArticle => dialog
                    .add_filter("Articles", &["txt", "md", "markdown"])
                    .add_filter("All files", &["*"])
                    .pick_file(),
                Purpose::SaveAs => {
                    if let Some(name) = start.file_name() {
                        dialog = dialog.set_file_name(name.to_string_lossy());
                    }
                    dialog
                        .add_filter("factmark annotations", &["ron"])
                        .save_file()
                }
            };
            let _ = tx.send((purpose, path));
            ctx.request_repaint();
        });
    }

    /// Draws the error, path, unsaved-changes and changed-on-disk dialogs.
    pub fn dialogs(&mut self, ctx: &egui::Context, doc: &mut Document, prefs: &mut Prefs) {
        self.watch.poll(ctx);
        self.changed_on_disk_modal(ctx, doc);
        self.confirm_read_modal(ctx, doc);
        self.error_modal(ctx);
        self.path_prompt(ctx, doc, prefs);
        self.unsaved_modal(ctx, doc, prefs);
    }

    /// The three-way merge of my work with the file on disk, as one edit:
    /// base is the file as I opened or last saved it.
    fn merge_from_disk(&self, doc: &Document, disk: &str) -> Result<(Option<Edit>, usize), String> {
        if doc.set().missing_article.is_some() {
            return Err("locate the article first: claims are merged on its text".into());
        }
        let theirs = format::from_ron(disk).map_err(|e| format!("the file on disk: {e}"))?;
        let base = match self.watch.base() {
            Some(text) => format::from_ron(text).map_err(|e| format!("the file as opened: {e}"))?,
            None => format::ParsedFile::from_set(doc.set()),
        };
        let ours = doc.set();
        let mut merged = merge::merge(
            (&base.parties, &base.claims),
            (ours.parties(), ours.claims()),
            (&theirs.parties, &theirs.claims),
        );
        merged.mark_conflicts();
        crate::anchor::place_claims(&ours.article, &mut merged.claims);
        let edit = merge::edit_towards(ours, &merged.parties, &merged.claims);
        Ok((edit, merged.conflicts.len()))
    }

    fn changed_on_disk_modal(&mut self, ctx: &egui::Context, doc: &mut Document) {
        #[derive(Clone, Copy)]
        enum Answer {
            Merge,
            Reload,
            Keep,
        }
        let Some(change) = self.watch.change.clone() else {
            return;
        };
        let name = |p: &Option<PathBuf>| {
            p.as_ref()
                .map_or_else(String::new, |p| p.display().to_string())
        };
        let (heading, message, choices): (&str, String, Vec<(Answer, &str, &str)>) = match &change {
            Change::Annotations { .. } => (
                "The annotation file changed on disk",
                format!(
                    "{} was changed by another program since you opened or saved it (a colleague's \
                     copy, a sync, a git pull). Saving now would overwrite their work.",
                    name(&self.annotation_path)
                ),
                vec![
                    (
                        Answer::Merge,
                        "Merge their changes into mine",
                        "Take in their changes; where we both changed a claim, both versions are kept and tagged conflict. One undoable step.",
                    ),
                    (
                        Answer::Reload,
                        if doc.is_dirty() {
                            "Reload theirs, discarding my changes"
                        } else {
                            "Reload theirs"
                        },
                        "Open the file as it is on disk now",
                    ),
                    (
                        Answer::Keep,
                        "Keep mine",
                        "My next save replaces their version (it stays in the .bak backup)",
                    ),
                ],
            ),
            Change::AnnotationsGone => (
                "The annotation file is gone",
                format!(
                    "{} was deleted or moved by another program. Your work is still open; \
                     saving writes the file again.",
                    name(&self.annotation_path)
                ),
                vec![(Answer::Keep, "OK", "")],
            ),
            Change::Relinked { target } => (
                "The annotation file was replaced by a link",
                format!(
                    "{} now leads to {} (a link put there by another program, a sync or a \
                     checkout). factmark did not read it and will not save through it. Your \
                     work is still open: use File > Save as… to save it elsewhere.",
                    name(&self.annotation_path),
                    target.display()
                ),
                vec![(Answer::Keep, "OK", "")],
            ),
            Change::Unreadable { why } => (
                "The annotation file cannot be read",
                format!(
                    "{} was changed by another program and cannot be read any more: {why}. Your \
                     work is still open; saving writes the file again.",
                    name(&self.annotation_path)
                ),
                vec![(Answer::Keep, "OK", "")],
            ),
            Change::Article => (
                "The article changed on disk",
                format!(
                    "{} was changed by another program. Reload it to place the claims on the new \
                     text, or keep working on the text you have.",
                    name(&self.article_path)
                ),
                vec![
                    (
                        Answer::Reload,
                        "Reload article",
                        "Re-anchor every claim on the new text",
                    ),
                    (Answer::Keep, "Keep the text I have", ""),
                ],
            ),
        };
        let modal = egui::Modal::new(egui::Id::unique("changed-on-disk")).show(ctx, |ui| {
            ui.set_max_width(520.0);
            ui.heading(heading);
            ui.label(message);
            ui.add_space(8.0);
            let mut answer = None;
            ui.horizontal_wrapped(|ui| {
                for (choice, label, hint) in choices {
                    let button = ui.button(label);
                    let button = if hint.is_empty() {
                        button
                    } else {
                        button.on_hover_text(hint)
                    };
                    if button.clicked() {
                        answer = Some(choice);
                    }
                }
            });
            answer
        });
        let Some(answer) = modal.inner else {
            return;
        };
        match (answer, change) {
            (Answer::Merge, Change::Annotations { disk }) => {
                match self.merge_from_disk(doc, &disk) {
                    Ok((None, _)) => {
                        self.watch.acknowledge();
                        self.outcomes.push(Outcome::Message(
                            "Their changes were already in yours".into(),
                        ));
                    }
                    Ok((Some(edit), conflicts)) => {
                        // Handled only once the edit has applied (see `merged`).
                        let message = match conflicts {
                            0 => "Merged the changes on disk (Ctrl+Z undoes)".to_owned(),
                            n => format!(
                                "Merged the changes on disk with {n} conflict(s): claims tagged \
                                 conflict show both versions"
                            ),
                        };
                        self.watch.acknowledge();
                        self.outcomes.push(Outcome::Merge {
                            edit,
                            message,
                            disk,
                        });
                    }
                    Err(err) => self.merge_failed(disk, &err),
                }
            }
            (Answer::Reload, Change::Annotations { .. }) => {
                self.watch.acknowledge();
                if let Some(path) = self.annotation_path.clone() {
                    if doc.is_dirty() {
                        self.outcomes.push(Outcome::Discarded);
                    }
                    self.queued_open = Some((path, None));
                }
            }
            (Answer::Reload, Change::Article) => {
                self.watch.acknowledge();
                self.reload_article(doc);
            }
            _ => self.watch.acknowledge(),
        }
    }

    /// Merging the file on disk into mine failed: nothing changed, the
    /// question stays open, and the user is told what they can do.
    pub fn merge_failed(&mut self, disk: String, why: &str) {
        self.watch.reopen(Change::Annotations { disk });
        self.error = Some(format!(
            "Could not merge their changes into yours: {why}.\n\nNothing was changed, and their \
             version on disk is untouched. You can reload theirs (your changes since you last \
             saved are then lost), or keep yours and save them under another name with File > \
             Save as… (then compare the two files with File > Compare with a colleague's file…)."
        ));
    }

    fn error_modal(&mut self, ctx: &egui::Context) {
        let Some(message) = self.error.clone() else {
            return;
        };
        let modal = egui::Modal::new(egui::Id::unique("error-modal")).show(ctx, |ui| {
            ui.set_max_width(520.0);
            ui.heading("Something went wrong");
            ui.label(message);
            ui.add_space(8.0);
            ui.button("OK").clicked()
        });
        if modal.inner || modal.should_close() {
            self.error = None;
        }
    }

    fn path_prompt(&mut self, ctx: &egui::Context, doc: &mut Document, prefs: &mut Prefs) {
        let Some(prompt) = self.prompt.as_mut() else {
            return;
        };
        let title = match prompt.purpose {
            Purpose::Open => "Open a file",
            Purpose::SaveAs => "Save annotations as",
            Purpose::LocateArticle => "Locate the article",
            Purpose::Compare => "Compare with a colleague's file",
        };
        let mut open = true;
        let mut submit = None;
        let mut browse = false;
        egui::Window::new(title)
            .open(&mut open)
            .collapsible(false)
            .default_width(520.0)
            .show(ctx, |ui| {
                let hint = match prompt.purpose {
                    Purpose::Open => "An article (.txt, .md) or annotation file (.ron)",
                    Purpose::SaveAs => "Where to save the annotations (.ron)",
                    Purpose::LocateArticle => "The article these annotations were made on",
                    Purpose::Compare => "Their annotation file (.ron) for the same article",
                };
                ui.label(hint);
                let field = ui
                    .horizontal(|ui| {
                        let label = ui.label("Path");
                        let mut output = egui::TextEdit::singleline(&mut prompt.text)
                            .hint_text("path/to/file")
                            .desired_width(f32::INFINITY)
                            .show(ui);
                        if std::mem::take(&mut prompt.focus) {
                            output.response.request_focus();
                            let all = egui::text::CCursorRange::two(
                                egui::text::CCursor::new(0),
                                egui::text::CCursor::new(prompt.text.chars().count()),
                            );
                            output.state.cursor.set_char_range(Some(all));
                            output.state.store(ui.ctx(), output.response.id);
                        }
                        egui::Response::clone(&output.response).labelled_by(label.id)
                    })
                    .inner;
                if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    submit = Some(PathBuf::from(prompt.text.trim()));
                }
                if prompt.purpose == Purpose::SaveAs {
                    ui.checkbox(&mut self.embed_article, "Include the article text")
                        .on_hover_text(
                            "Colleagues who do not have the article can then open the file",
                        );
                }
                if let Some(problem) = &prompt.problem {
                    ui.colored_label(ui.visuals().error_fg_color, problem);
                }
                ui.horizontal(|ui| {
                    let action = match prompt.purpose {
                        Purpose::Open | Purpose::LocateArticle => "Open",
                        Purpose::Compare => "Compare",
                        Purpose::SaveAs => "Save",
                    };
                    if ui.button(action).clicked() {
                        submit = Some(PathBuf::from(prompt.text.trim()));
                    }
                    if ui
                        .button("Browse…")
                        .on_hover_text("Use the system file dialog (if your desktop provides one)")
                        .clicked()
                    {
                        browse = true;
                    }
                    if self.native_dialog_open {
                        ui.spinner();
                        ui.label("waiting for the system dialog…");
                    }
                });
                if prompt.purpose == Purpose::Open && !prefs.recent.is_empty() {
                    ui.separator();
                    ui.label("Recent files");
                    for path in &prefs.recent {
                        if ui.link(path.display().to_string()).clicked() {
                            submit = Some(path.clone());
                        }
                    }
                }
            });
        let purpose = prompt.purpose;
        let start = prompt.text.clone();
        if browse {
            self.spawn_native_dialog(ctx, purpose, &start);
        }
        if !open {
            self.prompt = None;
            return;
        }
        let Some(path) = submit.filter(|p| !p.as_os_str().is_empty()) else {
            return;
        };
        match purpose {
            Purpose::Open | Purpose::LocateArticle | Purpose::Compare if !path.is_file() => {
                if let Some(prompt) = self.prompt.as_mut() {
                    prompt.problem = Some(format!("There is no file at {}", path.display()));
                }
            }
            Purpose::Open | Purpose::LocateArticle | Purpose::Compare => {
                self.take_chosen_file(purpose, path, doc)
            }
            Purpose::SaveAs => {
                let path = if path.extension().is_none() {
                    path.with_extension("ron")
                } else {
                    path
                };
                let same = |a: &Path, b: &Path| {
                    a == b
                        || std::fs::canonicalize(a)
                            .ok()
                            .is_some_and(|a| std::fs::canonicalize(b).is_ok_and(|b| a == b))
                };
                let problem = if self.article_path.as_deref().is_some_and(|a| same(a, &path)) {
                    Some(format!(
                        "{} is the article itself; choose a name ending in .ron",
                        path.display()
                    ))
                } else if path.exists()
                    && !self
                        .annotation_path
                        .as_deref()
                        .is_some_and(|a| same(a, &path))
                    && self.confirmed_overwrite.as_deref() != Some(path.as_path())
                {
                    self.confirmed_overwrite = Some(path.clone());
                    Some(format!(
                        "{} already exists. Press Save again to replace it.",
                        path.display()
                    ))
                } else {
                    None
                };
                if let Some(problem) = problem {
                    if let Some(prompt) = self.prompt.as_mut() {
                        prompt.problem = Some(problem);
                    }
                } else if let Some(message) = self.save_to(&path, doc, prefs) {
                    self.prompt = None;
                    self.confirmed_overwrite = None;
                    self.outcomes.push(Outcome::Message(message));
                }
            }
        }
    }

    fn unsaved_modal(&mut self, ctx: &egui::Context, doc: &mut Document, prefs: &mut Prefs) {
        let Some(pending) = self.pending.clone() else {
            return;
        };
        let what = match &pending {
            Pending::Open(path) => format!("opening {}", path.display()),
            Pending::Close => "closing factmark".to_owned(),
        };
        let modal = egui::Modal::new(egui::Id::unique("unsaved-modal")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            ui.heading("Unsaved changes");
            ui.label(format!(
                "Your annotations have changes that are not saved. Save them before {what}?"
            ));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    return Some(true);
                }
                if ui.button("Don't save").clicked() {
                    return Some(false);
                }
                if ui.button("Cancel").clicked() {
                    self.pending = None;
                }
                None
            })
            .inner
        });
        if modal.should_close() {
            self.pending = None;
        }
        let Some(save_first) = modal.inner else {
            return;
        };
        self.pending = None;
        if !save_first {
            self.outcomes.push(Outcome::Discarded);
        }
        if save_first {
            match self.annotation_path.clone() {
                Some(path) => {
                    if self.save_to(&path, doc, prefs).is_none() {
                        return; // The error modal explains; nothing is discarded.
                    }
                }
                None => {
                    self.ask_save_as();
                    self.outcomes.push(Outcome::Message(
                        "Choose where to save, then try again".to_owned(),
                    ));
                    return;
                }
            }
        }
        match pending {
            Pending::Open(path) => self.queued_open = Some((path, None)),
            Pending::Close => {
                self.allow_close = true;
                self.outcomes.push(Outcome::Quit);
            }
        }
    }
}
