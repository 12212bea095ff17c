//! The dialogs: the in-app path field (with the system file dialog on a
//! worker thread, since it may be missing or hang without a desktop portal),
//! the unsaved-changes question, the changed-on-disk question, asking before
//! an article is read from where its path now leads, errors, restoring
//! autosaved work, the user's name before the first save, and choosing among
//! an article's annotation files. Each draws and returns [`Intent`]s.

use super::files::{AfterSave, Opening};
use super::intent::{DiskAnswer, Intent};
use super::notice::Notice;
use super::watch::Change;
use crate::format::access::Doubt;
use crate::format::recovery::Recovery;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Open,
    SaveAs,
    /// Find the missing article of the open annotations.
    LocateArticle,
    /// A colleague's annotation file to compare with the open one.
    Compare,
    /// A web page's address.
    OpenUrl,
    /// Another tool's annotations (W3C or Hypothesis JSON) for the open article.
    Import,
}

struct PathPrompt {
    purpose: Purpose,
    text: String,
    problem: Option<String>,
    /// Focus the field (with its text selected) on the first frame.
    focus: bool,
    /// A path the user agreed to overwrite (Save as).
    confirmed_overwrite: Option<PathBuf>,
}

/// An action that would discard unsaved changes, waiting for the user's answer.
#[derive(Clone, Debug)]
enum Pending {
    Open(Opening),
    Close,
}

/// A file picked in the system dialog, or why none was.
type Picked = (Purpose, Result<Option<PathBuf>, String>);

/// The system file dialog returned at once: it most likely never showed.
const NO_DIALOG_WITHIN: Duration = Duration::from_millis(400);

pub struct Dialogs {
    prompt: Option<PathPrompt>,
    pending: Option<Pending>,
    /// Read the article from where its path now leads? (named, resolved, why not)
    confirm_read: Option<(PathBuf, PathBuf, Doubt)>,
    /// The user's name is asked before this save goes ahead.
    ask_author: Option<(PathBuf, AfterSave, String)>,
    /// Annotation files of the article just opened, to choose from.
    choose: Option<(PathBuf, Vec<(PathBuf, String)>)>,
    native_tx: mpsc::Sender<Picked>,
    native_rx: mpsc::Receiver<Picked>,
    native_open: bool,
}

impl Default for Dialogs {
    fn default() -> Self {
        let (native_tx, native_rx) = mpsc::channel();
        Self {
            prompt: None,
            pending: None,
            confirm_read: None,
            ask_author: None,
            choose: None,
            native_tx,
            native_rx,
            native_open: false,
        }
    }
}

impl Dialogs {
    /// Whether a modal dialog is up (single-letter keys and the window's
    /// shortcuts wait).
    pub fn modal_open(&self) -> bool {
        self.pending.is_some()
            || self.confirm_read.is_some()
            || self.ask_author.is_some()
            || self.choose.is_some()
    }

    /// Closes the path dialog (Esc).
    pub fn close_prompt(&mut self) -> bool {
        self.prompt.take().is_some()
    }

    /// Shows the in-app path dialog for `purpose`, starting with `text`.
    pub fn ask_path(&mut self, purpose: Purpose, text: String) {
        self.prompt = Some(PathPrompt {
            purpose,
            text,
            problem: None,
            focus: true,
            confirmed_overwrite: None,
        });
    }

    /// Says why the path just chosen did not work, in the path dialog.
    pub fn path_problem(&mut self, purpose: Purpose, problem: String) -> bool {
        match self.prompt.as_mut().filter(|p| p.purpose == purpose) {
            Some(prompt) => {
                prompt.problem = Some(problem);
                true
            }
            None => false,
        }
    }

    pub fn close_path(&mut self, purpose: Purpose) {
        if self.prompt.as_ref().is_some_and(|p| p.purpose == purpose) {
            self.prompt = None;
        }
    }

    pub fn ask_unsaved_before_open(&mut self, opening: Opening) {
        self.pending = Some(Pending::Open(opening));
    }

    pub fn ask_unsaved_before_close(&mut self) {
        self.pending = Some(Pending::Close);
    }

    pub fn ask_confirm_read(&mut self, named: PathBuf, resolved: PathBuf, doubt: Doubt) {
        self.confirm_read = Some((named, resolved, doubt));
    }

    pub fn ask_author(&mut self, path: PathBuf, then: AfterSave, suggestion: String) {
        self.ask_author = Some((path, then, suggestion));
    }

    /// The save waiting for the user's name, once it is given.
    pub fn take_author_save(&mut self) -> Option<(PathBuf, AfterSave)> {
        self.ask_author.take().map(|(path, then, _)| (path, then))
    }

    /// Offers the annotation files of the article just opened.
    pub fn choose_annotations(&mut self, article: PathBuf, files: Vec<(PathBuf, String)>) {
        self.choose = Some((article, files));
    }

    /// Draws every dialog; returns what the user chose.
    pub fn show(&mut self, ctx: &egui::Context, input: DialogInput<'_>) -> Vec<Intent> {
        let mut intents = Vec::new();
        self.native_results(&mut intents);
        if let Some(change) = input.change {
            changed_on_disk(ctx, change, &input, &mut intents);
        }
        self.confirm_read_modal(ctx, &mut intents);
        self.unsaved_modal(ctx, &input, &mut intents);
        self.author_modal(ctx, &mut intents);
        self.choose_modal(ctx, &mut intents);
        restore_prompt(ctx, input.offers, &mut intents);
        self.path_prompt(ctx, &input, &mut intents);
        intents
    }

    fn native_results(&mut self, intents: &mut Vec<Intent>) {
        while let Ok((purpose, picked)) = self.native_rx.try_recv() {
            self.native_open = false;
            match picked {
                Ok(Some(path)) => intents.extend(self.chosen(purpose, path)),
                Ok(None) => {}
                Err(why) => {
                    if !self.path_problem(purpose, why.clone()) {
                        intents.push(Intent::Notice(Notice::warning(why)));
                    }
                }
            }
        }
    }

    /// What choosing `path` in the path dialog (or the system one) means.
    fn chosen(&mut self, purpose: Purpose, path: PathBuf) -> Vec<Intent> {
        // An address typed or pasted where a path goes opens the page.
        let url = path
            .to_str()
            .filter(|p| crate::web::fetch::names_a_scheme(p))
            .map(str::to_owned);
        match purpose {
            Purpose::Open | Purpose::OpenUrl => {
                let opening = match url {
                    Some(url) => Opening::Url(url),
                    None if purpose == Purpose::Open => Opening::File(path),
                    None => {
                        self.path_problem(
                            purpose,
                            "Type a web address starting with https:// or http://".into(),
                        );
                        return Vec::new();
                    }
                };
                self.prompt = None;
                vec![Intent::Open(opening)]
            }
            Purpose::LocateArticle => {
                self.prompt = None;
                // Chosen by the user: theirs to read, wherever it is.
                let accept = crate::format::access::identity(&path);
                vec![Intent::ReadArticle {
                    named: path,
                    accept: Some(accept),
                }]
            }
            Purpose::Compare => {
                self.prompt = None;
                vec![Intent::CompareWith(path)]
            }
            Purpose::Import => {
                self.prompt = None;
                vec![Intent::Open(Opening::Import(path))]
            }
            Purpose::SaveAs => {
                let mut path = path;
                if path.extension().is_none() {
                    path.set_extension("ron");
                }
                vec![Intent::SaveTo {
                    path,
                    then: AfterSave::Nothing,
                }]
            }
        }
    }

    fn spawn_native_dialog(&mut self, ctx: &egui::Context, purpose: Purpose, start: &str) {
        if self.native_open {
            return;
        }
        self.native_open = true;
        let tx = self.native_tx.clone();
        let ctx = ctx.clone();
        let start = PathBuf::from(start);
        std::thread::spawn(move || {
            let _ = tx.send((purpose, pick_file(purpose, &start)));
            ctx.request_repaint();
        });
    }

    fn path_prompt(&mut self, ctx: &egui::Context, input: &DialogInput<'_>, out: &mut Vec<Intent>) {
        let Some(prompt) = self.prompt.as_mut() else {
            return;
        };
        let title = match prompt.purpose {
            Purpose::Open => "Open a file",
            Purpose::SaveAs => "Save annotations as",
            Purpose::LocateArticle => "Locate the article",
            Purpose::Compare => "Compare with a colleague's file",
            Purpose::Import => "Import annotations",
            Purpose::OpenUrl => "Open a web address",
        };
        let mut open = true;
        let mut submit = None;
        let mut browse = false;
        let mut embed = input.embed_article;
        egui::Window::new(title)
            .open(&mut open)
            .collapsible(false)
            .default_width(520.0)
            .show(ctx, |ui| {
                let hint = match prompt.purpose {
                    Purpose::Open => {
                        "An article (.txt, .md), a saved web page (.html), an annotation \
                         file (.ron) or a web address"
                    }
                    Purpose::OpenUrl => {
                        "The page's address. Its article is extracted, and the page is kept \
                         beside the annotations when you save."
                    }
                    Purpose::SaveAs => "Where to save the annotations (.ron)",
                    Purpose::LocateArticle => "The article these annotations were made on",
                    Purpose::Compare => "Their annotation file (.ron) for the same article",
                    Purpose::Import => {
                        "W3C Web Annotation or Hypothesis JSON made on this article: its \
                         claims are placed by their quotes"
                    }
                };
                ui.label(hint);
                let field = ui
                    .horizontal(|ui| {
                        let url = prompt.purpose == Purpose::OpenUrl;
                        let label = ui.label(if url { "Address" } else { "Path" });
                        let id = ui.make_persistent_id("path-field");
                        let focus = std::mem::take(&mut prompt.focus);
                        if focus {
                            select_all(ui.ctx(), id, prompt.text.chars().count());
                        }
                        let output = egui::TextEdit::singleline(&mut prompt.text)
                            .id(id)
                            .hint_text(if url { "https://…" } else { "path/to/file" })
                            .desired_width(f32::INFINITY)
                            .show(ui);
                        if focus {
                            output.response.request_focus();
                        }
                        egui::Response::clone(&output.response).labelled_by(label.id)
                    })
                    .inner;
                if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    submit = Some(PathBuf::from(prompt.text.trim()));
                    // The field keeps the focus: Enter must not send it elsewhere.
                    field.request_focus();
                }
                if prompt.purpose == Purpose::SaveAs {
                    ui.checkbox(&mut embed, "Include the article text")
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
                        Purpose::OpenUrl => "Fetch",
                        Purpose::Compare => "Compare",
                        Purpose::Import => "Import",
                        Purpose::SaveAs => "Save",
                    };
                    if ui.button(action).clicked() {
                        submit = Some(PathBuf::from(prompt.text.trim()));
                    }
                    let files = prompt.purpose != Purpose::OpenUrl;
                    if files
                        && ui
                            .button("Browse…")
                            .on_hover_text(
                                "Use the system file dialog (if your desktop provides one)",
                            )
                            .clicked()
                    {
                        browse = true;
                    }
                    if self.native_open {
                        ui.spinner();
                        ui.label("waiting for the system dialog…");
                    }
                });
                if prompt.purpose == Purpose::Open && !input.recent.is_empty() {
                    ui.separator();
                    ui.label("Recent files");
                    for path in input.recent {
                        if ui.link(path.display().to_string()).clicked() {
                            submit = Some(path.clone());
                        }
                    }
                }
            });
        if embed != input.embed_article {
            out.push(Intent::EmbedArticle(embed));
        }
        let purpose = prompt.purpose;
        let start = prompt.text.clone();
        if browse {
            self.spawn_native_dialog(ctx, purpose, &start);
        }
        if !open {
            self.prompt = None;
            return;
        }
        let Some(mut path) = submit.filter(|p| !p.as_os_str().is_empty()) else {
            return;
        };
        if purpose == Purpose::SaveAs {
            if path.extension().is_none() {
                path.set_extension("ron");
            }
            if let Some(problem) = self.save_as_problem(&path, input) {
                if let Some(prompt) = self.prompt.as_mut() {
                    prompt.problem = Some(problem);
                }
                return;
            }
        }
        out.extend(self.chosen(purpose, path));
    }

    /// Why saving to `path` needs another word first, if it does.
    fn save_as_problem(&mut self, path: &Path, input: &DialogInput<'_>) -> Option<String> {
        let same = |a: &Path, b: &Path| a == b;
        let prompt = self.prompt.as_mut()?;
        if input.article_path.is_some_and(|a| same(a, path)) {
            return Some(format!(
                "{} is the article itself; choose a name ending in .ron",
                path.display()
            ));
        }
        let article_like = path.extension().is_some_and(|e| {
            ["txt", "md", "markdown", "html", "htm", "xhtml"]
                .iter()
                .any(|a| e.eq_ignore_ascii_case(a))
        });
        if article_like {
            return Some(format!(
                "{} would open as an article, not as annotations; choose a name ending in .ron",
                path.display()
            ));
        }
        let replacing =
            input.existing(path) && !input.annotation_path.is_some_and(|a| same(a, path));
        if replacing && prompt.confirmed_overwrite.as_deref() != Some(path) {
            prompt.confirmed_overwrite = Some(path.to_path_buf());
            return Some(format!(
                "{} already exists. Press Save again to replace it.",
                path.display()
            ));
        }
        None
    }

    fn unsaved_modal(
        &mut self,
        ctx: &egui::Context,
        input: &DialogInput<'_>,
        out: &mut Vec<Intent>,
    ) {
        let Some(pending) = self.pending.clone() else {
            return;
        };
        let what = match &pending {
            Pending::Open(opening) => format!("opening {}", opening.describe()),
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
                    return Some(Some(true));
                }
                if ui.button("Don't save").clicked() {
                    return Some(Some(false));
                }
                ui.button("Cancel").clicked().then_some(None)
            })
            .inner
        });
        let answer = modal.inner.or(modal.should_close().then_some(None));
        let Some(answer) = answer else {
            return;
        };
        self.pending = None;
        let then = match &pending {
            Pending::Open(opening) => AfterSave::Open(opening.clone()),
            Pending::Close => AfterSave::Quit,
        };
        match answer {
            None => {}
            Some(true) => match input.annotation_path {
                Some(path) => out.push(Intent::SaveTo {
                    path: path.to_path_buf(),
                    then,
                }),
                None => {
                    self.ask_path(Purpose::SaveAs, (input.save_as)().display().to_string());
                    out.push(Intent::Notice(Notice::info(
                        "Choose where to save, then try again",
                    )));
                }
            },
            Some(false) => {
                out.push(Intent::Discard);
                out.push(match pending {
                    Pending::Open(opening) => Intent::OpenNow {
                        opening,
                        article: None,
                    },
                    Pending::Close => Intent::Quit,
                });
            }
        }
    }

    fn confirm_read_modal(&mut self, ctx: &egui::Context, out: &mut Vec<Intent>) {
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
                out.push(Intent::ReadArticle {
                    named,
                    accept: Some(resolved),
                });
            }
        }
    }

    fn author_modal(&mut self, ctx: &egui::Context, out: &mut Vec<Intent>) {
        let Some((_, _, name)) = self.ask_author.as_mut() else {
            return;
        };
        let modal = egui::Modal::new(egui::Id::unique("author-modal")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            ui.heading("Your name");
            ui.label(
                "factmark records who made each claim and who worked on a file. Which name \
                 should it record for you? (You can change it later in Edit > Preferences.)",
            );
            let label = ui.label("Name");
            let field = ui
                .add(
                    egui::TextEdit::singleline(name)
                        .char_limit(super::within(crate::format::limits::MAX_NAME_BYTES))
                        .hint_text("your name"),
                )
                .labelled_by(label.id);
            // Read before the field is refocused: that would undo its losing the focus.
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if !entered && !field.has_focus() && ui.memory(|m| m.focused().is_none()) {
                field.request_focus();
            }
            ui.add_space(8.0);
            let ok = ui
                .add_enabled(
                    !name.trim().is_empty(),
                    egui::Button::new("Save with this name"),
                )
                .clicked();
            (ok || entered) && !name.trim().is_empty()
        });
        if modal.inner {
            out.push(Intent::SetAuthor(name.trim().to_owned()));
        } else if modal.should_close() {
            self.ask_author = None;
            out.push(Intent::Notice(Notice::info("Not saved")));
        }
    }

    fn choose_modal(&mut self, ctx: &egui::Context, out: &mut Vec<Intent>) {
        let Some((article, files)) = self.choose.clone() else {
            return;
        };
        let modal = egui::Modal::new(egui::Id::unique("choose-annotations")).show(ctx, |ui| {
            ui.set_max_width(560.0);
            ui.heading("This article has annotation files");
            ui.label(format!(
                "These files in its folder belong to {}. Open one, or start new annotations.",
                article.display()
            ));
            ui.add_space(6.0);
            let mut choice = None;
            for (path, why) in &files {
                ui.horizontal(|ui| {
                    if ui.button("Open").clicked() {
                        choice = Some(Some(path.clone()));
                    }
                    ui.label(path.display().to_string());
                    ui.label(egui::RichText::new(why).weak());
                });
            }
            ui.add_space(6.0);
            if ui.button("Start new annotations").clicked() {
                choice = Some(None);
            }
            choice
        });
        let closed = modal.should_close();
        let choice = modal.inner.or(closed.then_some(None));
        if let Some(choice) = choice {
            self.choose = None;
            if let Some(path) = choice {
                out.push(Intent::OpenNow {
                    opening: Opening::File(path),
                    article: super::work::against(article),
                });
            }
        }
    }
}

/// What the dialogs need from the rest of the app this frame.
pub struct DialogInput<'a> {
    pub change: Option<&'a Change>,
    pub dirty: bool,
    pub annotation_path: Option<&'a Path>,
    pub article_path: Option<&'a Path>,
    pub embed_article: bool,
    /// Where Save as suggests saving (asked only when the dialog opens).
    pub save_as: &'a dyn Fn() -> PathBuf,
    pub recent: &'a [PathBuf],
    pub offers: &'a [Recovery],
    /// Whether a file exists at a path (answered by the caller).
    pub exists: &'a dyn Fn(&Path) -> bool,
}

impl DialogInput<'_> {
    fn existing(&self, path: &Path) -> bool {
        (self.exists)(path)
    }
}

/// Selects all `chars` of the text field `id` (so typing replaces it); call
/// before the field is drawn this frame.
pub fn select_all(ctx: &egui::Context, id: egui::Id, chars: usize) {
    let mut state = egui::text_edit::TextEditState::load(ctx, id).unwrap_or_default();
    let all =
        egui::text::CCursorRange::two(egui::text::CCursor::new(0), egui::text::CCursor::new(chars));
    state.cursor.set_char_range(Some(all));
    state.store(ctx, id);
}

/// Runs the system file dialog (on a worker thread: it may hang without a
/// desktop portal); says so when there is none instead of failing silently.
fn pick_file(purpose: Purpose, start: &Path) -> Result<Option<PathBuf>, String> {
    let no_dialog = "No system file dialog is available here (no desktop portal or session): \
                     type the path above, drop the file on the window, or pick a recent file.";
    if cfg!(target_os = "linux") && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        return Err(no_dialog.to_owned());
    }
    let started = Instant::now();
    let mut dialog = rfd::FileDialog::new();
    let dir = if start.is_dir() {
        Some(start)
    } else {
        start.parent()
    };
    if let Some(dir) = dir.filter(|d| d.is_dir()) {
        dialog = dialog.set_directory(dir);
    }
    let picked = match purpose {
        Purpose::Open => dialog
            .add_filter(
                "Annotations, articles and web pages",
                &["ron", "txt", "md", "markdown", "html", "htm", "xhtml"],
            )
            .add_filter("All files", &["*"])
            .pick_file(),
        Purpose::Import => dialog
            .add_filter("Annotations (JSON)", &["json", "jsonld"])
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
        // Never offered: an address is typed.
        Purpose::OpenUrl => None,
        Purpose::SaveAs => {
            if let Some(name) = start.file_name() {
                dialog = dialog.set_file_name(name.to_string_lossy());
            }
            dialog
                .add_filter("factmark annotations", &["ron"])
                .save_file()
        }
    };
    // Nobody cancels a dialog that fast: it never showed.
    if picked.is_none() && started.elapsed() < NO_DIALOG_WITHIN {
        return Err(no_dialog.to_owned());
    }
    Ok(picked)
}

fn changed_on_disk(
    ctx: &egui::Context,
    change: &Change,
    input: &DialogInput<'_>,
    out: &mut Vec<Intent>,
) {
    let name = |p: Option<&Path>| p.map_or_else(String::new, |p| p.display().to_string());
    let ok = vec![(DiskAnswer::Keep, "OK", "")];
    let (heading, message, choices): (&str, String, Vec<(DiskAnswer, &str, &str)>) = match change {
        Change::Annotations { .. } => (
            "The annotation file changed on disk",
            format!(
                "{} was changed by another program since you opened or saved it (a colleague's \
                 copy, a sync, a git pull). Saving now would overwrite their work.",
                name(input.annotation_path)
            ),
            vec![
                (
                    DiskAnswer::Merge,
                    "Merge their changes into mine",
                    "Take in their changes; where we both changed a claim, both versions are kept and tagged conflict. One undoable step.",
                ),
                (
                    DiskAnswer::Reload,
                    if input.dirty {
                        "Reload theirs, discarding my changes"
                    } else {
                        "Reload theirs"
                    },
                    "Open the file as it is on disk now",
                ),
                (
                    DiskAnswer::Keep,
                    "Keep mine",
                    "My next save replaces their version (it stays in the .bak backup)",
                ),
            ],
        ),
        Change::AnnotationsGone => (
            "The annotation file is gone",
            format!(
                "{} was deleted or moved by another program. Your work is still open; saving \
                 writes the file again.",
                name(input.annotation_path)
            ),
            ok,
        ),
        Change::Relinked { target } => (
            "The annotation file was replaced by a link",
            format!(
                "{} now leads to {} (a link put there by another program, a sync or a \
                 checkout). factmark did not read it and will not save through it. Your work is \
                 still open: use File > Save as… to save it elsewhere.",
                name(input.annotation_path),
                target.display()
            ),
            ok,
        ),
        Change::Unreadable { why } => (
            "The annotation file cannot be read",
            format!(
                "{} was changed by another program and cannot be read any more: {why}. Your \
                 work is still open; saving writes the file again.",
                name(input.annotation_path)
            ),
            ok,
        ),
        Change::Article => (
            "The article changed on disk",
            format!(
                "{} was changed by another program. Reload it to place the claims on the new \
                 text, or keep working on the text you have.",
                name(input.article_path)
            ),
            vec![
                (
                    DiskAnswer::Reload,
                    "Reload article",
                    "Re-anchor every claim on the new text",
                ),
                (DiskAnswer::Keep, "Keep the text I have", ""),
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
    if let Some(answer) = modal.inner {
        out.push(Intent::Disk(answer));
    }
}

/// "Unsaved work was found": one line per recovery file, with its counts and time.
fn restore_prompt(ctx: &egui::Context, offers: &[Recovery], out: &mut Vec<Intent>) {
    if offers.is_empty() {
        return;
    }
    let now = jiff::Timestamp::now();
    let modal = egui::Modal::new(egui::Id::unique("restore-modal")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading("Restore unsaved work?");
        ui.label(
            "factmark found work that was not saved when it last closed (a crash, a power cut, \
             or the window was killed).",
        );
        ui.add_space(6.0);
        let mut choice = None;
        for offer in offers {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                let name = offer
                    .saved_path
                    .as_ref()
                    .or(offer.article_path.as_ref())
                    .map_or_else(
                        || match offer.title.as_str() {
                            "" => "Work never saved to a file".to_owned(),
                            title => format!("“{title}”, never saved to a file"),
                        },
                        |p| p.display().to_string(),
                    );
                ui.label(egui::RichText::new(name).strong());
                let minutes = (now.as_second() - offer.written.as_second()).max(0) / 60;
                let ago = match minutes {
                    0 => "less than a minute ago".to_owned(),
                    1 => "1 minute ago".to_owned(),
                    m if m < 120 => format!("{m} minutes ago"),
                    m => format!("{} hours ago", m / 60),
                };
                let when = offer.written.strftime("%Y-%m-%d %H:%M UTC");
                ui.label(format!(
                    "{}, {}, autosaved {when} ({ago})",
                    super::count(offer.claims, "claim", "claims"),
                    super::count(offer.parties, "party", "parties")
                ));
                ui.horizontal(|ui| {
                    if ui.button("Restore").clicked() {
                        choice = Some(Intent::Restore(offer.clone()));
                    }
                    if ui
                        .button("Discard")
                        .on_hover_text("Delete this unsaved work for good")
                        .clicked()
                    {
                        choice = Some(Intent::DiscardRecovery(offer.file.clone()));
                    }
                });
            });
        }
        ui.add_space(6.0);
        if ui
            .button("Decide later")
            .on_hover_text("Keep the recovered work; you will be asked again next time")
            .clicked()
        {
            choice = Some(Intent::RecoveriesLater);
        }
        choice
    });
    match modal.inner {
        Some(choice) => out.push(choice),
        None if modal.should_close() => out.push(Intent::RecoveriesLater),
        None => {}
    }
}
