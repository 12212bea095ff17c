//! The egui application. See `ARCHITECTURE.md` for the map; in short:
//!
//! - [`state::DocumentState`] is the open document and where it lives, plain
//!   Rust; [`files`] holds the file work, run off the UI thread by [`jobs`];
//!   [`watch`] looks at the disk on a thread of its own.
//! - Every user action is a [`command::Command`] (menus, shortcuts and the
//!   help come from one registry). Views draw and return [`intent::Intent`]s,
//!   which [`FactmarkApp::apply`] carries out in one place, after drawing.
//! - Every edit reaches the model through [`FactmarkApp::edit`], so undo,
//!   redo, the dirty flag and autosave need nothing from the views; every
//!   message reaches the user as a [`notice::Notice`].

mod article_view;
mod autosave;
mod bidi_layout;
mod claim_editor;
mod claim_list;
pub mod command;
mod compare;
mod details;
mod dialogs;
mod export_dialog;
mod files;
mod fonts;
mod frame;
mod intent;
mod jobs;
mod list_row;
mod menu;
mod merge_base;
mod new_article;
mod notice;
mod parties;
mod prefs;
mod publishing;
mod quote_change;
mod review;
mod state;
mod status;
mod theme;
mod watch;
mod work;

pub use article_view::{ArticleView, TextSelection};
pub use prefs::{Prefs, ThemeChoice};

use crate::format::limits;
use crate::format::recovery;
use crate::model::{ClaimId, Document, Edit, EditContext, Overlay, Status};
use claim_editor::ClaimEditor;
use claim_list::ClaimList;
use command::Command;
use details::DetailsWindow;
use dialogs::{DialogInput, Dialogs, Purpose};
use egui::Ui;
use export_dialog::ExportDialog;
use files::{AfterSave, Opening};
use intent::{DiskAnswer, Intent};
use jobs::Jobs;
use new_article::NewArticleDialog;
use notice::{Notice, Notices};
use parties::PartiesWindow;
use publishing::PublishingWindow;
use state::DocumentState;
use std::path::{Path, PathBuf};
use watch::{Change, Watcher};
use work::Done;

/// How many chars a text field may hold so its UTF-8 stays within `bytes`
/// (the file limits are in bytes; a char takes at most 4): typing stops at
/// the limit instead of the save failing later.
fn within(bytes: usize) -> usize {
    bytes / 4
}

/// `n` and the noun: "1 claim", "8 claims".
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Narrowest the article column gets: the side panels give way first.
const ARTICLE_MIN_WIDTH: f32 = 360.0;

/// What to open at start-up.
#[derive(Clone, Debug, Default)]
pub struct Startup {
    /// An article (.txt/.md), a web page (.html), a web address or an
    /// annotation file (.ron); `None` opens the example.
    pub path: Option<PathBuf>,
    /// For a .ron file: use this article instead of the recorded one.
    pub article: Option<PathBuf>,
    /// Where recovery files go (see `format::recovery`); `None` turns autosave off.
    pub data_dir: Option<PathBuf>,
    /// Run file work and disk watching on threads of their own (the window);
    /// when false, they run inline, one step at a time (deterministic tests).
    pub background: bool,
}

/// The find-in-article field above the text.
#[derive(Default)]
struct FindBar {
    query: String,
    /// Focus the field (its text selected) when it is drawn this frame.
    focus: bool,
}

impl FindBar {
    fn id() -> egui::Id {
        egui::Id::unique("find-field")
    }
}

/// The whole application state.
pub struct FactmarkApp {
    state: DocumentState,
    overlay: Overlay,
    /// Anchors revision the overlay was built for (`None`: rebuild).
    overlay_revision: Option<u64>,
    selected: Option<ClaimId>,
    view: ArticleView,
    list: ClaimList,
    editor: ClaimEditor,
    parties: PartiesWindow,
    publishing: PublishingWindow,
    fonts: fonts::ArticleFonts,
    review: review::ReviewWindow,
    details: DetailsWindow,
    new_article: NewArticleDialog,
    export: ExportDialog,
    /// A colleague's file open beside mine.
    compare: Option<compare::CompareView>,
    dialogs: Dialogs,
    notices: Notices,
    jobs: Jobs<Done>,
    /// The open or reload in progress: the document is not to be edited meanwhile.
    opening: Option<jobs::JobId>,
    watcher: Watcher,
    autosave: autosave::Autosave,
    pub prefs: Prefs,
    find: FindBar,
    /// A click landed on several overlapping claims: choose one.
    overlap_menu: Option<(egui::Pos2, Vec<ClaimId>)>,
    help_open: bool,
    prefs_open: bool,
    /// The user answered the unsaved-changes question: the window may close.
    allow_close: bool,
    /// Close the window at the end of this frame.
    close_requested: bool,
    /// Give the article the keyboard focus on the next frame.
    focus_article: bool,
    /// The claims counted for the status bar, at this set revision.
    counts: (u64, crate::model::Counts),
    window_title: String,
    /// Where the worker threads find the window to wake it (set on the first frame).
    waker: Option<Waker>,
}

type Waker = std::sync::Arc<std::sync::Mutex<Option<egui::Context>>>;

impl FactmarkApp {
    /// Builds the app and starts opening what `startup` names.
    pub fn new(startup: Startup, prefs: Prefs) -> Self {
        let waker: Waker = std::sync::Arc::new(std::sync::Mutex::new(None));
        let wake = |waker: Waker| {
            move || {
                if let Ok(ctx) = waker.lock()
                    && let Some(ctx) = ctx.as_ref()
                {
                    ctx.request_repaint();
                }
            }
        };
        let (jobs, watcher) = if startup.background {
            (
                Jobs::threaded(wake(waker.clone())),
                Watcher::threaded(wake(waker.clone())),
            )
        } else {
            (Jobs::inline(), Watcher::inline())
        };
        let mut app = Self {
            state: DocumentState::new(files::built_in()),
            overlay: Overlay::default(),
            overlay_revision: None,
            selected: None,
            view: ArticleView::default(),
            list: ClaimList::default(),
            editor: ClaimEditor::default(),
            parties: PartiesWindow::default(),
            publishing: PublishingWindow::default(),
            fonts: fonts::ArticleFonts::default(),
            review: review::ReviewWindow::default(),
            details: DetailsWindow::default(),
            new_article: NewArticleDialog::default(),
            export: ExportDialog::default(),
            compare: None,
            dialogs: Dialogs::default(),
            notices: Notices::default(),
            jobs,
            opening: None,
            watcher,
            autosave: autosave::Autosave::new(startup.data_dir.clone()),
            prefs,
            find: FindBar::default(),
            overlap_menu: None,
            help_open: false,
            prefs_open: false,
            allow_close: false,
            close_requested: false,
            focus_article: false,
            counts: (0, crate::model::Counts::default()),
            window_title: String::new(),
            waker: Some(waker),
        };
        let explicit = startup.path.is_some();
        if let Some(path) = startup.path.or_else(files::default_annotations) {
            let url = path
                .to_str()
                .filter(|p| crate::web::fetch::names_a_scheme(p));
            let opening = match url {
                Some(url) => Opening::Url(url.trim().to_owned()),
                None => Opening::File(path),
            };
            app.start_opening(opening, startup.article, explicit);
        }
        if let Some((dir, own)) = app.autosave.scan_input() {
            app.jobs.start("Looking for unsaved work", false, move |_| {
                Done::Recoveries(recovery::pending_recoveries(&dir, Some(&own)))
            });
        }
        app
    }

    pub fn document(&self) -> &Document {
        &self.state.doc
    }

    pub fn selected_claim(&self) -> Option<&ClaimId> {
        self.selected.as_ref()
    }

    pub fn view(&self) -> &ArticleView {
        &self.view
    }

    /// The annotation file currently open, if any.
    pub fn annotation_path(&self) -> Option<&Path> {
        self.state.annotation_path.as_deref()
    }

    /// The error shown to the user right now, if any.
    pub fn error_message(&self) -> Option<&str> {
        self.notices.error()
    }

    /// The status line's text right now.
    pub fn status_message(&self) -> Option<&str> {
        self.notices.status().map(|n| n.text.as_str())
    }

    /// Whether file work is still running (tests wait for it).
    pub fn busy(&self) -> bool {
        self.jobs.any_running()
    }

    /// The window title as last sent (tests read the unsaved marker here).
    pub fn window_title(&self) -> &str {
        &self.window_title
    }

    fn say(&mut self, notice: Notice) {
        self.notices.push(notice);
    }

    fn edit_context(&self) -> EditContext {
        let now = jiff::Timestamp::now();
        EditContext {
            author: self.prefs.author.clone(),
            now: jiff::Timestamp::from_second(now.as_second()).unwrap_or(now),
        }
    }

    /// The one place user edits reach the model; false (with the reason on
    /// the status line) when the edit could not be made.
    fn edit(&mut self, edit: Edit) -> bool {
        let ctx = self.edit_context();
        let label = edit.label();
        match self.state.doc.apply(edit, &ctx) {
            Ok(()) => true,
            Err(err) => {
                self.say(Notice::warning(format!("Could not {label}: {err}")));
                false
            }
        }
    }

    /// Applies a whole decision as its own undo step; false when it could not be made.
    fn step(&mut self, edit: Edit, message: String) -> bool {
        self.state.doc.seal_history();
        let applied = self.edit(edit);
        if applied {
            self.state.doc.seal_history();
            self.say(Notice::info(message));
        }
        applied
    }

    fn history_step(&mut self, redo: bool) {
        let ctx = self.edit_context();
        let (result, verb, done) = if redo {
            (self.state.doc.redo(&ctx), "redo", "Redid")
        } else {
            (self.state.doc.undo(&ctx), "undo", "Undid")
        };
        let notice = match result {
            Ok(Some(label)) => Notice::info(format!("{done} {label}")),
            Ok(None) => Notice::info(format!("Nothing to {verb}")),
            Err(err) => Notice::warning(format!("Could not {verb}: {err}")),
        };
        self.say(notice);
        self.drop_stale_selection();
    }

    fn drop_stale_selection(&mut self) {
        if let Some(id) = &self.selected
            && self.state.doc.set().claim(id).is_none()
        {
            self.selected = None;
        }
    }

    /// Turns the current (or last) text selection into a claim and selects it.
    pub fn create_claim_from_selection(&mut self) {
        let Some(range) = self.view.claim_range() else {
            self.say(Notice::info("Select some text in the article first"));
            return;
        };
        if self.state.doc.set().article.slice(range.clone()).len() > limits::MAX_QUOTE_BYTES {
            self.say(Notice::warning(format!(
                "A claim's quote can be at most {} KB; select less text",
                limits::MAX_QUOTE_BYTES / 1024
            )));
            return;
        }
        let ctx = self.edit_context();
        match self.state.doc.set().new_claim(range, &ctx) {
            Ok(claim) => {
                let id = claim.id.clone();
                if self.edit(Edit::AddClaim(Box::new(claim))) {
                    self.select_claim(Some(id), false);
                    self.view.clear_selection();
                    // The claim keys act on the article: give it the focus
                    // (from the Find field or the button that made the claim).
                    self.focus_article = true;
                    self.say(Notice::info(
                        "Claim added — set its status with A (agreed) or D (disputed)",
                    ));
                }
            }
            Err(err) => self.say(Notice::warning(err.to_string())),
        }
    }

    /// Selects a claim and scrolls the article to it (a click in the claim list).
    pub fn jump_to_claim(&mut self, id: &ClaimId) {
        self.select_claim(Some(id.clone()), true);
    }

    /// Opens a file as File → Open, a recent file or a drop do: asking first
    /// about unsaved changes.
    pub fn open_file(&mut self, path: PathBuf) {
        self.open(Opening::File(path));
    }

    /// Opens a file, a page or a new article in place of this document,
    /// asking first when that would lose unsaved work.
    pub fn open(&mut self, opening: Opening) {
        if self.state.doc.is_dirty() {
            self.dialogs.ask_unsaved_before_open(opening);
        } else {
            self.start_opening(opening, None, true);
        }
    }

    /// Selects article text and scrolls to it (what Find does).
    pub fn select_text(&mut self, range: std::ops::Range<usize>) {
        self.view.select(range);
    }

    fn set_selected_status(&mut self, status: Status) {
        if let Some(id) = self.selected.clone() {
            self.edit(Edit::SetStatus { claim: id, status });
        }
    }

    /// Deletes the selected claim (undoably) and says which one went.
    fn delete_selected_claim(&mut self) {
        let Some(id) = self.selected.clone() else {
            return;
        };
        let quote = self
            .state
            .doc
            .set()
            .claim(&id)
            .map(|c| claim_list::shorten(&c.anchor.exact, 60))
            .unwrap_or_default();
        if self.edit(Edit::RemoveClaim(id)) {
            self.selected = None;
            self.say(Notice::info(format!(
                "Deleted the claim “{quote}” — Ctrl+Z brings it back"
            )));
        }
    }

    /// Selects a claim; `scroll` also brings it into view in the article.
    fn select_claim(&mut self, id: Option<ClaimId>, scroll: bool) {
        if scroll
            && let Some(claim) = id.as_ref().and_then(|id| self.state.doc.set().claim(id))
            && let Some(span) = claim.span()
        {
            self.view.scroll_to(span.start);
        }
        if self.selected != id {
            self.state.doc.seal_history();
        }
        self.list.reveal(id.clone());
        self.selected = id;
    }

    fn step_selection(&mut self, delta: isize) {
        let visible = self.list.visible_claims(&self.state.doc);
        if visible.is_empty() {
            return;
        }
        let claims = self.state.doc.set().claims();
        let current = self
            .selected
            .as_ref()
            .and_then(|id| visible.iter().position(|&i| &claims[i].id == id));
        let next = match current {
            Some(at) => (at as isize + delta).clamp(0, visible.len() as isize - 1) as usize,
            None if delta > 0 => 0,
            None => visible.len() - 1,
        };
        let id = claims[visible[next]].id.clone();
        self.select_claim(Some(id), true);
    }

    /// Moves the selected (unplaced) claim to the current text selection.
    fn reattach_selected(&mut self) {
        let (Some(id), Some(range)) = (self.selected.clone(), self.view.claim_range()) else {
            self.say(Notice::info(
                "Select the claim's text in the article, then press Re-attach",
            ));
            return;
        };
        let anchor = crate::model::Anchor::capture(&self.state.doc.set().article, range);
        self.edit(Edit::SetAnchor { claim: id, anchor });
    }

    fn find_next(&mut self) {
        let from = self.view.selection.map_or(0, |s| s.range().start + 1);
        let query = self.find.query.clone();
        match self.state.doc.set().article.find(&query, from) {
            Some(range) => {
                self.view.select(range);
                self.say(Notice::info(format!(
                    "Found “{query}” — Ctrl+Enter makes it a claim"
                )));
            }
            None if query.is_empty() => {}
            None => self.say(Notice::info(format!("“{query}” is not in the article"))),
        }
    }

    // ----- Commands -----------------------------------------------------------

    /// Whether `command` can do anything now (menus grey it out otherwise).
    fn can(&self, command: Command) -> bool {
        if self.opening.is_some() && command.changes_document() {
            return false;
        }
        let set = self.state.doc.set();
        match command {
            Command::Undo => self.state.doc.history().can_undo(),
            Command::Redo => self.state.doc.history().can_redo(),
            Command::NewClaim => self.view.claim_range().is_some() && set.missing_article.is_none(),
            Command::DeleteClaim
            | Command::MarkAgreed
            | Command::MarkDisputed
            | Command::MarkUnreviewed => self.selected.is_some(),
            Command::ReloadArticle => self.state.article_path.is_some(),
            Command::NextClaim | Command::PreviousClaim => !set.claims().is_empty(),
            _ => true,
        }
    }

    fn run(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::Open => self.dialogs.ask_path(Purpose::Open, self.open_folder()),
            Command::OpenUrl => self.dialogs.ask_path(Purpose::OpenUrl, String::new()),
            Command::ReloadArticle => match self.state.article_path.clone() {
                Some(path) => self.start_read_article(path, None),
                None => self.say(Notice::info("This article was not read from a file")),
            },
            Command::LocateArticle => {
                let text = match &self.state.unlocated {
                    Some(crate::format::ArticleOrigin::Missing(Some(path))) => {
                        path.display().to_string()
                    }
                    _ => self.open_folder(),
                };
                self.dialogs.ask_path(Purpose::LocateArticle, text);
            }
            Command::Compare => self.dialogs.ask_path(Purpose::Compare, self.open_folder()),
            Command::Import => self.dialogs.ask_path(Purpose::Import, self.open_folder()),
            Command::Save => match self.state.annotation_path.clone() {
                Some(path) => self.request_save(path, AfterSave::Nothing),
                None => self.ask_save_as(),
            },
            Command::SaveAs => self.ask_save_as(),
            Command::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Command::Undo => self.history_step(false),
            Command::Redo => self.history_step(true),
            Command::NewClaim => self.create_claim_from_selection(),
            Command::DeleteClaim => self.delete_selected_claim(),
            Command::MarkAgreed => self.set_selected_status(Status::Agreed),
            Command::MarkDisputed => self.set_selected_status(Status::Disputed),
            Command::MarkUnreviewed => self.set_selected_status(Status::Unreviewed),
            Command::NextClaim => self.step_selection(1),
            Command::PreviousClaim => self.step_selection(-1),
            Command::Find => {
                // Focused now, before the field is drawn this frame, so what
                // is typed right after Ctrl+F goes into it.
                ctx.memory_mut(|m| m.request_focus(FindBar::id()));
                self.find.focus = true;
            }
            Command::FindNext => self.find_next(),
            Command::ShowParties => self.parties.open = true,
            Command::ShowPublishing => self.publishing.open = true,
            Command::ShowReview => self.review.open = true,
            Command::ShowDetails => self.details.open = true,
            Command::NewFromText => self.new_article.start(false),
            Command::Export => {
                let stem = self.state.save_as_suggestion().with_extension("");
                self.export
                    .start(stem, &self.state.doc.set().publisher, &self.prefs);
            }
            Command::NewFromClipboard => self.new_article.start(true),
            Command::ShowPreferences => self.prefs_open = true,
            Command::ToggleClaimList => self.prefs.show_list = !self.prefs.show_list,
            Command::ToggleClaimEditor => self.prefs.show_editor = !self.prefs.show_editor,
            Command::ZoomIn => self.prefs.font_size = (self.prefs.font_size + 1.0).min(40.0),
            Command::ZoomOut => self.prefs.font_size = (self.prefs.font_size - 1.0).max(9.0),
            Command::ShowShortcuts => self.help_open = !self.help_open,
        }
    }

    /// The folder of the open file (with a trailing `/`), where choosing starts.
    fn open_folder(&self) -> String {
        self.state
            .annotation_path
            .as_ref()
            .or(self.state.article_path.as_ref())
            .and_then(|p| p.parent())
            .map(|d| format!("{}/", d.display()))
            .unwrap_or_default()
    }

    fn ask_save_as(&mut self) {
        let suggestion = self.state.save_as_suggestion();
        self.dialogs
            .ask_path(Purpose::SaveAs, suggestion.display().to_string());
    }

    fn quit(&mut self) {
        self.allow_close = true;
        self.close_requested = true;
    }

    // ----- Intents ------------------------------------------------------------

    /// Carries out what the views asked for this frame, in order.
    fn apply(&mut self, ctx: &egui::Context, intents: Vec<Intent>) {
        for intent in intents {
            if let Some(opening) = self.opening
                && intent.changes_document()
            {
                let job = self.jobs.running(opening);
                let waiting = job.map_or("the open", |job| job.label.as_str());
                let message = format!("Wait for “{waiting}” to finish, or cancel it");
                self.say(Notice::info(message));
                continue;
            }
            match intent {
                Intent::Run(command) => self.run(ctx, command),
                Intent::Edit(edit) => {
                    self.edit(edit);
                }
                Intent::Step(edit, message) => {
                    self.step(edit, message);
                }
                Intent::Seal => self.state.doc.seal_history(),
                Intent::Select { claim, scroll } => self.select_claim(claim, scroll),
                Intent::ScrollTo(offset) => self.view.scroll_to(offset),
                Intent::SelectText(range) => self.select_text(range),
                Intent::Reattach => self.reattach_selected(),
                Intent::Notice(notice) => self.say(notice),
                Intent::Open(opening) => self.open(opening),
                Intent::OpenNow { opening, article } => self.start_opening(opening, article, true),
                Intent::SaveTo { path, then } => self.request_save(path, then),
                Intent::ReadArticle { named, accept } => self.start_read_article(named, accept),
                Intent::CompareWith(path) => self.start_compare(path),
                Intent::OpenLink(url) => {
                    let link = url.clone();
                    self.jobs.start(format!("Opening {url}"), false, move |_| {
                        let result = files::open_link(&link);
                        Done::Link(link, result)
                    });
                }
                Intent::Disk(answer) => self.disk_answer(answer),
                Intent::Restore(recovery) => {
                    self.jobs.start("Restoring unsaved work", false, move |_| {
                        Done::Restored(files::restore(recovery).map(Box::new))
                    });
                }
                Intent::DiscardRecovery(file) => self.autosave.discard_offer(&file),
                Intent::RecoveriesLater => self.autosave.offers.clear(),
                Intent::EmbedArticle(embed) => {
                    self.state.embed_article = embed;
                    // The file on disk no longer says what the user asked for.
                    self.state.doc.mark_unsaved();
                }
                Intent::Discard => {
                    let revision = self.state.doc.set().revision();
                    self.autosave.discard_current(revision);
                }
                Intent::SetAuthor(name) => {
                    self.prefs.author = name;
                    self.prefs.author_confirmed = true;
                    if let Some((path, then)) = self.dialogs.take_author_save() {
                        self.request_save(path, then);
                    }
                }
                Intent::Theme(choice) => self.prefs.theme = choice,
                Intent::Cancel(id) => {
                    self.jobs.cancel(id);
                    if self.opening == Some(id) {
                        self.opening = None;
                    }
                    self.say(Notice::info("Cancelled"));
                }
                Intent::Export { format, path } => self.start_export(format, path),
                Intent::Quit => self.quit(),
            }
        }
    }

    fn disk_answer(&mut self, answer: DiskAnswer) {
        let Some(change) = self.watcher.change.take() else {
            return;
        };
        match (answer, change) {
            (DiskAnswer::Merge, Change::Annotations { disk }) => {
                self.start_merge(Change::Annotations { disk: disk.clone() }, disk)
            }
            (DiskAnswer::Reload, change @ Change::Annotations { .. }) => {
                self.watcher.acknowledge(change);
                if let Some(path) = self.state.annotation_path.clone() {
                    if self.state.doc.is_dirty() {
                        let revision = self.state.doc.set().revision();
                        self.autosave.discard_current(revision);
                    }
                    self.start_open(path, None, true);
                }
            }
            (DiskAnswer::Reload, change @ Change::Article) => {
                self.watcher.acknowledge(change);
                if let Some(path) = self.state.article_path.clone() {
                    self.start_read_article(path, None);
                }
            }
            (_, change) => {
                self.state.acknowledge(&change);
                self.watcher.acknowledge(change);
            }
        }
    }

    // ----- The frame ----------------------------------------------------------

    /// The work of a frame that draws nothing: results of jobs and of the
    /// disk watcher, and autosave. eframe runs it even while the window is
    /// minimised.
    pub fn logic(&mut self, ctx: &egui::Context) {
        if let Some(waker) = self.waker.take()
            && let Ok(mut slot) = waker.lock()
        {
            *slot = Some(ctx.clone());
        }
        self.finish_jobs();
        let refocused = ctx.input(|i| {
            i.events
                .iter()
                .any(|e| matches!(e, egui::Event::WindowFocused(true)))
        });
        if refocused {
            self.watcher.check();
        }
        self.watcher.poll();
        let (saved, article) = self.state.recovery_key();
        self.autosave
            .tick(ctx, &self.state.doc, autosave::Belongs { saved, article });
        if self.jobs.any_running() {
            // The busy indicator appears after a moment and its spinner turns.
            ctx.request_repaint_after(jobs::SHOW_BUSY_AFTER);
        }
    }

    /// One frame, logic and drawing: what eframe does, and what the UI tests call.
    pub fn ui(&mut self, ui: &mut Ui) {
        self.logic(ui.ctx());
        self.draw(ui);
    }

    /// Draws one frame; the views' intents are applied at the end.
    fn draw(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.apply_theme(&ctx);
        self.fonts.follow(&ctx, self.prefs.article_font.as_deref());
        bidi_layout::follow_glyph_atlas(&ctx);
        let mut intents = Vec::new();
        self.surrender_focus_behind_dialogs(&ctx);
        if std::mem::take(&mut self.focus_article)
            && let Some(id) = self.view.focus_id()
        {
            ctx.memory_mut(|m| m.request_focus(id));
        }
        self.shortcuts(&ctx, &mut intents);
        self.drops_and_close(&ctx, &mut intents);
        self.update_title(&ctx);

        egui::Panel::top("menu-bar").show(ui, |ui| {
            intents.extend(menu::menu_bar(ui, &menu::MenuInput::of(self)));
        });
        let revision = self.state.doc.set().revision();
        if self.counts.0 != revision {
            // Counted once per change, not once per frame.
            self.counts = (revision, self.state.doc.set().counts());
        }
        egui::Panel::bottom("status-bar").show(ui, |ui| {
            intents.extend(status::status_bar(ui, &status::StatusInput::of(self)));
        });
        let busy = self.opening.is_some();
        let room = (ui.available_width() - ARTICLE_MIN_WIDTH).max(0.0);
        let mut show_list = self.prefs.show_list;
        egui::Panel::left("claim-list")
            .resizable(true)
            .default_size(330.0_f32.min(room * 0.45))
            .size_range(160.0..=(room * 0.45).max(160.0))
            .show_collapsible(ui, &mut show_list, |ui| {
                ui.add_enabled_ui(!busy, |ui| {
                    if let Some(pick) = self.list.show(ui, &self.state.doc, self.selected.as_ref())
                    {
                        intents.push(Intent::Select {
                            claim: Some(pick),
                            scroll: true,
                        });
                    }
                });
            });
        self.prefs.show_list = show_list;
        let mut show_editor = self.prefs.show_editor;
        egui::Panel::right("claim-editor")
            .resizable(true)
            .default_size(360.0_f32.min(room * 0.55))
            .size_range(220.0..=(room * 0.55).max(220.0))
            .show_collapsible(ui, &mut show_editor, |ui| {
                ui.add_enabled_ui(!busy, |ui| {
                    intents.extend(self.editor.show(
                        ui,
                        &self.state.doc,
                        self.selected.as_ref(),
                        &mut self.parties,
                    ));
                });
            });
        self.prefs.show_editor = show_editor;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_enabled_ui(!busy, |ui| self.article_pane(ui, &mut intents));
        });

        let (party_edits, seal) = self.parties.show(&ctx, &self.state.doc);
        intents.extend(party_edits.into_iter().map(Intent::Edit));
        let desk = self.prefs.publisher();
        let (scale_edits, scale_seal) = self.publishing.show(&ctx, &self.state.doc, &desk);
        intents.extend(scale_edits.into_iter().map(Intent::Edit));
        if seal || scale_seal {
            intents.push(Intent::Seal);
        }
        let page_pending = self.state.page_pending();
        intents.extend(
            self.details
                .show(&ctx, &self.state.doc.set().details, page_pending),
        );
        intents.extend(self.new_article.show(&ctx));
        intents.extend(self.review.show(&ctx, self.state.doc.set()));
        intents.extend(
            self.export
                .show(&ctx, &self.state.doc.set().publisher, &mut self.prefs),
        );
        if let Some(view) = self.compare.as_mut() {
            intents.extend(view.show(&ctx, self.state.doc.set()));
            if !view.open {
                self.compare = None;
            }
        }
        self.overlap_popup(&ctx, &mut intents);
        status::help_window(&ctx, &mut self.help_open);
        status::prefs_window(&ctx, &mut self.prefs_open, &mut self.prefs, &mut self.fonts);
        self.error_dialog(&ctx);
        let exists = |p: &Path| p.exists();
        let save_as = || self.state.save_as_suggestion();
        let input = DialogInput {
            change: self.watcher.change.as_ref(),
            dirty: self.state.doc.is_dirty(),
            annotation_path: self.state.annotation_path.as_deref(),
            article_path: self.state.article_path.as_deref(),
            embed_article: self.state.embed_article,
            save_as: &save_as,
            recent: &self.prefs.recent,
            offers: &self.autosave.offers,
            exists: &exists,
        };
        intents.extend(self.dialogs.show(&ctx, input));
        self.apply(&ctx, intents);
        if std::mem::take(&mut self.close_requested) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}

impl eframe::App for FactmarkApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        FactmarkApp::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.draw(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, Prefs::STORAGE_KEY, &self.prefs);
    }
}

/// Starts the native window.
pub fn run(startup: Startup) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("factmark")
            .with_app_id("factmark")
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([760.0, 480.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    let startup = Startup {
        background: true,
        ..startup
    };
    eframe::run_native(
        "factmark",
        options,
        Box::new(move |cc| {
            let prefs = cc
                .storage
                .and_then(|s| eframe::get_value::<Prefs>(s, Prefs::STORAGE_KEY))
                .unwrap_or_default();
            Ok(Box::new(FactmarkApp::new(startup, prefs)))
        }),
    )
}
