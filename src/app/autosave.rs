//! Autosave: a few seconds after the last edit, and whenever the window loses
//! focus, unsaved work is written to a recovery file by a worker thread (the
//! frame never waits for the disk). A clean save, or going back to the saved
//! state, removes it. On start, recovery files newer than the files they
//! belong to are offered back.

use crate::format::recovery::{self, Recovery};
use crate::model::{AnnotationSet, Document};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Quiet time after an edit before the work is written.
pub const AUTOSAVE_DELAY: Duration = Duration::from_secs(3);

enum Job {
    Write {
        file: PathBuf,
        set: Box<AnnotationSet>,
        saved: Option<PathBuf>,
        article: Option<PathBuf>,
    },
    Remove(PathBuf),
}

/// Where the open document belongs, for naming its recovery file.
pub struct Belongs<'a> {
    pub saved: Option<&'a Path>,
    pub article: Option<&'a Path>,
}

pub struct Autosave {
    data_dir: Option<PathBuf>,
    /// This window's share of the data folder: its recovery files carry
    /// its id, and its lock tells other windows it is still running.
    instance: Option<recovery::Instance>,
    jobs: Option<mpsc::Sender<Job>>,
    worker: Option<std::thread::JoinHandle<()>>,
    /// Each job's outcome: a problem, or `None` when it went well.
    outcomes: mpsc::Receiver<Option<String>>,
    /// The set revision last written to the recovery file.
    written_revision: Option<u64>,
    /// The revision seen last frame and when it first appeared.
    seen: Option<(u64, Instant)>,
    /// The recovery file holding this document's unsaved work.
    current_file: Option<PathBuf>,
    /// Work from earlier sessions, waiting for the user's decision.
    pub offers: Vec<Recovery>,
    /// The last autosave failure, shown in the status bar.
    pub problem: Option<String>,
}

impl Autosave {
    /// Autosave into `data_dir` (none: autosave off), offering what is there.
    pub fn new(data_dir: Option<PathBuf>) -> Self {
        let (outcome_tx, outcomes) = mpsc::channel();
        let started = data_dir.as_deref().map(recovery::Instance::start);
        let problem = match &started {
            Some(Err(err)) => Some(format!("Autosave is off: {err}")),
            _ => None,
        };
        let instance = started.and_then(Result::ok);
        let (jobs, worker) = match &instance {
            Some(_) => {
                let (tx, rx) = mpsc::channel::<Job>();
                let worker = std::thread::Builder::new()
                    .name("factmark-autosave".into())
                    .spawn(move || run_worker(rx, outcome_tx))
                    .ok();
                (worker.is_some().then_some(tx), worker)
            }
            None => (None, None),
        };
        let offers = data_dir
            .as_deref()
            .map(|dir| recovery::pending_recoveries(dir, instance.as_ref()))
            .unwrap_or_default();
        Self {
            data_dir,
            instance,
            jobs,
            worker,
            outcomes,
            written_revision: None,
            seen: None,
            current_file: None,
            offers,
            problem,
        }
    }

    /// Called every frame: writes the work when it has been quiet long enough
    /// or the window lost focus; removes the recovery file once it is saved.
    pub fn tick(&mut self, ctx: &egui::Context, doc: &Document, belongs: Belongs<'_>) {
        while let Ok(outcome) = self.outcomes.try_recv() {
            self.problem = outcome;
        }
        let (Some(dir), Some(instance), Some(jobs)) = (&self.data_dir, &self.instance, &self.jobs)
        else {
            return;
        };
        let revision = doc.set().revision();
        let now = Instant::now();
        let changed_at = match self.seen {
            Some((seen, at)) if seen == revision => at,
            _ => {
                self.seen = Some((revision, now));
                now
            }
        };
        if !doc.is_dirty() {
            if let Some(file) = self.current_file.take() {
                let _ = jobs.send(Job::Remove(file));
            }
            self.written_revision = None;
            return;
        }
        if self.written_revision == Some(revision) {
            return;
        }
        let focus_lost = ctx.input(|i| {
            i.events
                .iter()
                .any(|e| matches!(e, egui::Event::WindowFocused(false)))
        });
        let quiet = now.duration_since(changed_at);
        if !focus_lost && quiet < AUTOSAVE_DELAY {
            ctx.request_repaint_after(AUTOSAVE_DELAY - quiet);
            return;
        }
        let file = recovery::recovery_path(dir, instance.id(), belongs.saved.or(belongs.article));
        let job = Job::Write {
            file: file.clone(),
            set: Box::new(doc.set().clone()),
            saved: belongs.saved.map(Path::to_path_buf),
            article: belongs.article.map(Path::to_path_buf),
        };
        if jobs.send(job).is_ok() {
            self.written_revision = Some(revision);
            // Saved under a new name: the old recovery file is superseded.
            if let Some(old) = self.current_file.replace(file.clone())
                && old != file
            {
                let _ = jobs.send(Job::Remove(old));
            }
        }
    }

    /// The user threw the unsaved work away (Don't save): so is its recovery file.
    pub fn discard_current(&mut self) {
        if let (Some(file), Some(jobs)) = (self.current_file.take(), &self.jobs) {
            let _ = jobs.send(Job::Remove(file));
        }
        self.written_revision = None;
    }

    /// A recovered document now holds this recovery file's work.
    pub fn adopt(&mut self, recovery: &Recovery) {
        self.current_file = Some(recovery.file.clone());
        self.offers.retain(|r| r.file != recovery.file);
    }

    pub fn discard_offer(&mut self, file: &Path) -> Result<(), String> {
        self.offers.retain(|r| r.file != file);
        recovery::discard_recovery(file).map_err(|e| e.to_string())
    }
}

impl Drop for Autosave {
    /// Finishes queued writes and removals before the program ends.
    fn drop(&mut self) {
        self.jobs = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

fn run_worker(jobs: mpsc::Receiver<Job>, outcomes: mpsc::Sender<Option<String>>) {
    while let Ok(job) = jobs.recv() {
        let result = match job {
            Job::Write {
                file,
                set,
                saved,
                article,
            } => recovery::write_recovery(
                &file,
                &set,
                saved.as_deref(),
                article.as_deref(),
                jiff::Timestamp::now(),
            ),
            Job::Remove(file) => recovery::discard_recovery(&file),
        };
        let _ = outcomes.send(result.err().map(|e| format!("Autosave failed: {e}")));
    }
}

/// What the user chose in the restore prompt.
pub enum RestoreChoice {
    Restore(Recovery),
    Discard(PathBuf),
    Later,
}

/// "Unsaved work was found": one line per recovery file, with its counts and time.
pub fn restore_prompt(ctx: &egui::Context, offers: &[Recovery]) -> Option<RestoreChoice> {
    if offers.is_empty() {
        return None;
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
                        || "The built-in article".to_owned(),
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
                let count = |n: usize, one: &str| match n {
                    1 => format!("1 {one}"),
                    n => format!("{n} {one}s"),
                };
                ui.label(format!(
                    "{}, {}, autosaved {when} ({ago})",
                    count(offer.claims, "claim"),
                    count(offer.parties, "party").replace("partys", "parties")
                ));
                ui.horizontal(|ui| {
                    if ui.button("Restore").clicked() {
                        choice = Some(RestoreChoice::Restore(offer.clone()));
                    }
                    if ui
                        .button("Discard")
                        .on_hover_text("Delete this unsaved work for good")
                        .clicked()
                    {
                        choice = Some(RestoreChoice::Discard(offer.file.clone()));
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
            choice = Some(RestoreChoice::Later);
        }
        choice
    });
    if modal.should_close() {
        return Some(RestoreChoice::Later);
    }
    modal.inner
}
