//! File work as the app sees it: starting jobs (open, save, read an
//! article, compare, merge) and taking in what they hand back. The job
//! bodies themselves are plain functions in [`super::files`].

/// Why an annotation file belongs to the article just opened, in words.
fn describe(candidate: &crate::format::Candidate) -> String {
    use crate::format::Belongs;
    let why = match candidate.belongs {
        Belongs::SameName => "same name",
        Belongs::RecordedPath => "names this article",
        Belongs::Fingerprint => "made on this article's text",
    };
    let text = if candidate.same_text || candidate.belongs == Belongs::Fingerprint {
        ""
    } else {
        ", made on another version of the text"
    };
    match candidate.claims {
        Some(n) => format!("{why}{text}, {}", count(n, "claim", "claims")),
        None => format!("{why}{text}"),
    }
}

/// The article an annotation file found for `opened` is opened against:
/// the file opened, unless it is a web page, whose annotations name the
/// text extracted from it.
pub(super) fn against(opened: PathBuf) -> Option<PathBuf> {
    (!crate::format::is_web_page(&opened)).then_some(opened)
}

/// What a finished job hands back.
pub(super) enum Done {
    Opened {
        path: PathBuf,
        /// The article it was opened against, when one was chosen.
        article: Option<PathBuf>,
        explicit: bool,
        result: Result<Box<Opened>, String>,
    },
    Saved(Result<Box<SavedFile>, SaveFailed>),
    Article(Box<ArticleRead>),
    Their(PathBuf, Result<Box<TheirFile>, String>),
    Merged {
        change: Change,
        result: Result<Box<crate::format::MergedInto>, String>,
    },
    Restored(Result<Box<Restored>, String>),
    /// A page fetched from `url` and its article, with the redirects followed.
    Fetched {
        url: String,
        result: Result<(Box<Opened>, Vec<fetch::Hop>), String>,
    },
    Link(String, Result<(), String>),
    /// Another tool's annotations as a new document, and what came in.
    Imported {
        path: PathBuf,
        result: Result<(Box<Opened>, String), String>,
    },
    /// An export written (what went out), or why not.
    Exported(Result<String, String>),
    Recoveries(Vec<Recovery>),
}

use super::files::{
    self, AfterSave, ArticleRead, Opened, Opening, Restored, SaveFailed, SavedFile, TheirFile,
};
use super::notice::Notice;
use super::state::{ArticleOutcome, DocumentState};
use super::watch::Change;
use super::{ClaimList, FactmarkApp, FindBar, Purpose, compare, count, prefs};
use crate::format::recovery::Recovery;
use crate::web::fetch;
use std::path::PathBuf;

impl FactmarkApp {
    /// Opens what is to replace the document (the unsaved question answered).
    pub(super) fn start_opening(
        &mut self,
        opening: Opening,
        article: Option<PathBuf>,
        explicit: bool,
    ) {
        match opening {
            Opening::File(path) => self.start_open(path, article, explicit),
            Opening::Url(url) => self.start_fetch(url),
            Opening::Import(path) => self.start_import(path),
            Opening::Text(new) => {
                let title = new.title.clone();
                match files::new_document(*new) {
                    Ok(doc) => self.take_document(
                        DocumentState::new(doc),
                        format!("New article “{title}”: save to keep it"),
                    ),
                    Err(why) => self.say(Notice::error(format!(
                        "Could not start the new article: {why}"
                    ))),
                }
            }
        }
    }

    /// Writes the claims in `format` to `path`, never over the annotation
    /// file or its article.
    pub(super) fn start_export(&mut self, format: crate::export::Format, path: PathBuf) {
        let set = self.state.doc.set().clone();
        let protected: Vec<PathBuf> = [&self.state.annotation_path, &self.state.article_path]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        let label = format!("Exporting to {}", path.display());
        self.jobs.start(label, false, move |_| {
            let protected: Vec<&std::path::Path> = protected.iter().map(PathBuf::as_path).collect();
            let result = crate::export::export(&set, format, None)
                .and_then(|exported| {
                    crate::export::write(&path, format, &exported, &set, &protected)
                })
                .map(|report| format!("{report} to {}", path.display()));
            Done::Exported(result)
        });
    }

    /// Places another tool's annotations on the open article, as a new
    /// document.
    fn start_import(&mut self, path: PathBuf) {
        let set = self.state.doc.set();
        if set.missing_article.is_some() {
            self.say(Notice::error(
                "Could not import: locate this file's article first (imported claims are placed on its text)",
            ));
            return;
        }
        let article = set.article.clone();
        let article_path = self.state.article_path.clone();
        let label = format!("Importing {}", path.display());
        let id = self.jobs.start(label, true, move |_| {
            let result = files::import_annotations(&path, article, article_path)
                .map(|(opened, report)| (Box::new(opened), report));
            Done::Imported { path, result }
        });
        self.opening = Some(id);
    }

    /// Fetches a page and opens its article, with progress and cancel.
    fn start_fetch(&mut self, url: String) {
        let label = format!("Fetching {url}");
        let id = self.jobs.start(label, true, move |control| {
            let fetched = fetch::fetch(
                &url,
                &fetch::FetchLimits::default(),
                &|| control.is_cancelled(),
                &|progress| control.report(progress.to_string()),
            );
            let result = match fetched {
                Ok(fetched) => {
                    let hops = fetched.hops.clone();
                    files::open_fetched(fetched).map(|opened| (Box::new(opened), hops))
                }
                Err(e) => Err(e.to_string()),
            };
            Done::Fetched { url, result }
        });
        self.opening = Some(id);
    }

    pub(super) fn start_open(&mut self, path: PathBuf, article: Option<PathBuf>, explicit: bool) {
        let label = format!("Opening {}", path.display());
        let job_path = path.clone();
        let kept_in = self.autosave.data_dir().map(std::path::Path::to_path_buf);
        let id = self.jobs.start(label, true, move |_| {
            let result = files::open(&job_path, article.as_deref(), kept_in.as_deref())
                .map(Box::new)
                .map_err(|e| e.to_string());
            Done::Opened {
                path: job_path,
                article,
                explicit,
                result,
            }
        });
        self.opening = Some(id);
    }

    pub(super) fn start_read_article(&mut self, named: PathBuf, accept: Option<PathBuf>) {
        let request = self.state.article_request(named.clone(), accept);
        let label = format!("Reading {}", named.display());
        let id = self.jobs.start(label, true, move |_| {
            Done::Article(Box::new(files::read_article(request)))
        });
        self.opening = Some(id);
    }

    /// Saves to `path` (asking for the user's name first, the first time).
    pub(super) fn request_save(&mut self, path: PathBuf, then: AfterSave) {
        if !self.prefs.author_confirmed {
            self.dialogs
                .ask_author(path, then, prefs::suggested_author());
            return;
        }
        let mut plan = self.state.save_plan(path, &self.prefs.author, then);
        plan.keep_in = self.autosave.data_dir().map(std::path::Path::to_path_buf);
        let label = format!("Saving {}", plan.path.display());
        self.jobs.start(label, false, move |_| {
            Done::Saved(files::save(plan).map(Box::new))
        });
    }

    pub(super) fn start_compare(&mut self, path: PathBuf) {
        let set = self.state.doc.set();
        if set.missing_article.is_some() {
            self.say(Notice::error(format!(
                "Could not compare with {}: locate this file's article first (claims are \
                 compared on the article text)",
                path.display()
            )));
            return;
        }
        let (article, sha) = (set.article.clone(), set.article_fingerprint().0.to_owned());
        self.jobs
            .start(format!("Reading {}", path.display()), true, move |_| {
                let result = files::read_their_file(&path, article, &sha).map(Box::new);
                Done::Their(path, result)
            });
    }

    pub(super) fn start_merge(&mut self, change: Change, disk: String) {
        let ours = self.state.doc.set().clone();
        let base = self.state.merge_base().cloned();
        self.jobs.start("Merging their changes", false, move |_| {
            let base = base.and_then(|base| base.text());
            let result = crate::format::merge_into(&ours, base.as_deref(), &disk)
                .map(Box::new)
                .map_err(|e| e.to_string());
            Done::Merged { change, result }
        });
    }

    /// A document from disk replaced the open one.
    pub(super) fn take_document(&mut self, state: DocumentState, message: String) {
        self.state = state;
        self.after_open(message);
    }

    /// Resets the views for a document that replaced the old one.
    pub(super) fn after_open(&mut self, message: String) {
        // Their claims were placed on the article that was open.
        self.compare = None;
        self.selected = None;
        self.view.reset();
        self.overlay_revision = None;
        self.list = ClaimList::default();
        self.find = FindBar::default();
        self.watcher.watch(self.state.watch_spec());
        self.say(Notice::info(message));
    }

    /// Takes in what finished jobs found.
    pub(super) fn finish_jobs(&mut self) {
        for (id, done) in self.jobs.finished() {
            if self.opening == Some(id) {
                self.opening = None;
            }
            self.finished(done);
        }
    }

    pub(super) fn finished(&mut self, done: Done) {
        match done {
            Done::Opened {
                path,
                article,
                explicit,
                result,
            } => match result {
                Ok(mut opened) => {
                    // An article with annotation files of its own: open that
                    // file instead of starting over, or ask which.
                    let files = std::mem::take(&mut opened.annotation_files);
                    if let [only] = files.as_slice() {
                        self.start_open(only.path.clone(), against(path), explicit);
                        return;
                    }
                    let remembered = opened
                        .annotation_identity
                        .clone()
                        .or_else(|| opened.article_identity.clone());
                    if let Some(path) = remembered {
                        self.prefs.remember(path);
                    }
                    let message = match article {
                        Some(article) => format!(
                            "Opened {}, the annotations of {}",
                            path.display(),
                            article.display()
                        ),
                        None => format!("Opened {}", path.display()),
                    };
                    self.take_document(DocumentState::opened(*opened), message);
                    if !files.is_empty() {
                        let described = files
                            .iter()
                            .map(|c| (c.path.clone(), describe(c)))
                            .collect();
                        self.dialogs.choose_annotations(path, described);
                    }
                }
                Err(err)
                    if explicit || path != files::default_annotations().unwrap_or_default() =>
                {
                    self.prefs.forget(&path);
                    self.say(Notice::error(format!(
                        "Could not open {}: {err}\n\nNothing was changed.",
                        path.display()
                    )));
                }
                Err(err) => self.say(Notice::error(format!(
                    "The example annotations could not be opened: {err}"
                ))),
            },
            Done::Saved(Ok(saved)) => {
                self.state.saved(&saved);
                self.watcher.watch(self.state.watch_spec());
                self.prefs.remember(saved.identity.clone());
                self.dialogs.close_path(Purpose::SaveAs);
                let notice = match &saved.warning {
                    Some(warning) => Notice::warning(warning.clone()),
                    None => Notice::info(format!("Saved {}", saved.path.display())),
                };
                self.say(notice);
                match saved.then {
                    AfterSave::Nothing => {}
                    AfterSave::Open(opening) => self.start_opening(opening, None, true),
                    AfterSave::Quit => self.quit(),
                }
            }
            Done::Saved(Err(SaveFailed::ChangedOnDisk { disk })) => {
                let path = self.state.annotation_path.clone().unwrap_or_default();
                self.watcher.reopen(Change::Annotations { disk });
                self.say(Notice::warning(format!(
                    "Not saved: {} changed on disk. Choose what to do with it first.",
                    path.display()
                )));
            }
            Done::Saved(Err(SaveFailed::Failed(why))) => self.say(Notice::error(format!(
                "Could not save: {why}\n\nYour annotations are still open and unchanged. Try \
                 File > Save as… to save them somewhere else."
            ))),
            Done::Article(read) => match self.state.article_read(*read) {
                ArticleOutcome::Replaced(message) => self.after_open(message),
                ArticleOutcome::Unchanged(message) => self.say(Notice::info(message)),
                ArticleOutcome::Ask {
                    named,
                    resolved,
                    doubt,
                } => self.dialogs.ask_confirm_read(named, resolved, doubt),
                ArticleOutcome::Failed(why) => self.say(Notice::error(why)),
            },
            Done::Their(path, result) => match result {
                Ok(file) => {
                    self.say(Notice::info(format!("Comparing with {}", path.display())));
                    self.dialogs.close_path(Purpose::Compare);
                    self.compare = Some(compare::CompareView::new(*file));
                }
                Err(err) => self.say(Notice::error(format!(
                    "Could not compare with {}: {err}",
                    path.display()
                ))),
            },
            Done::Merged { change, result } => match result {
                Ok(merged) => {
                    let crate::format::MergedInto {
                        edit,
                        contributors,
                        summary,
                        ..
                    } = *merged;
                    let applied = match edit {
                        None => {
                            self.say(Notice::info(summary));
                            true
                        }
                        Some(edit) => self.step(edit, format!("{summary} Ctrl+Z undoes it.")),
                    };
                    if applied {
                        for name in &contributors {
                            self.state.doc.note_contributor(name);
                        }
                        self.state.acknowledge(&change);
                        self.watcher.acknowledge(change);
                    } else {
                        let why = self
                            .notices
                            .status()
                            .map_or_else(String::new, |n| n.text.clone());
                        self.merge_failed(change, &why);
                    }
                }
                Err(why) => self.merge_failed(change, &why),
            },
            Done::Restored(result) => match result {
                Ok(restored) => {
                    self.autosave.adopt(&restored.recovery);
                    self.take_document(
                        DocumentState::restored(*restored),
                        "Unsaved work restored".to_owned(),
                    );
                }
                Err(why) => self.say(Notice::error(why)),
            },
            Done::Link(url, result) => match result {
                Ok(()) => self.say(Notice::info(format!("Opened {url} in the browser"))),
                Err(why) => self.say(Notice::error(why)),
            },
            Done::Recoveries(found) => self.autosave.offers = found,
            Done::Imported { path, result } => match result {
                Ok((opened, report)) => self.take_document(DocumentState::opened(*opened), report),
                Err(why) => self.say(Notice::error(format!(
                    "Could not import {}: {why}\n\nNothing was changed.",
                    path.display()
                ))),
            },
            Done::Exported(Ok(report)) => self.say(Notice::info(report)),
            Done::Exported(Err(why)) => self.export.problem(why),
            Done::Fetched { url, result } => match result {
                Ok((opened, hops)) => {
                    let mut message = format!("Opened {url}");
                    if !hops.is_empty() {
                        let each: Vec<String> = hops
                            .iter()
                            .map(|h| format!("{} to {}", h.status, h.to))
                            .collect();
                        message = format!(
                            "Opened {url}, redirected {} ({})",
                            count(hops.len(), "time", "times"),
                            each.join(", ")
                        );
                    }
                    message
                        .push_str(": save to keep the page and its article beside the annotations");
                    self.take_document(DocumentState::opened(*opened), message);
                }
                Err(why) => self.say(Notice::error(format!(
                    "Could not open {url}: {why}\n\nNothing was changed."
                ))),
            },
        }
    }

    /// Merging the file on disk into mine failed: nothing changed, the
    /// question stays open, and the user is told what they can do.
    pub(super) fn merge_failed(&mut self, change: Change, why: &str) {
        self.watcher.reopen(change);
        self.say(Notice::error(format!(
            "Could not merge their changes into yours: {why}.\n\nNothing was changed, and their \
             version on disk is untouched. You can reload theirs (your changes since you last \
             saved are then lost), or keep yours and save them under another name with File > \
             Save as… (then compare the two files with File > Compare with a colleague's file…)."
        )));
    }
}
