//! Autosave: a few seconds after the last edit, and whenever the window loses
//! focus, unsaved work is written to a recovery file by a worker thread (the
//! frame never waits for the disk). A clean save, going back to the saved
//! state, or throwing the work away removes it. It runs from the app's
//! per-frame logic, which eframe calls even while the window is minimised.

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
    /// The set revision last written to the recovery file, or thrown away.
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
    /// Autosave into `data_dir` (none: autosave off).
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
        Self {
            data_dir,
            instance,
            jobs,
            worker,
            outcomes,
            written_revision: None,
            seen: None,
            current_file: None,
            offers: Vec::new(),
            problem,
        }
    }

    /// The data folder (none: autosave off), where article versions are kept too.
    pub fn data_dir(&self) -> Option<&std::path::Path> {
        self.data_dir.as_deref()
    }

    /// What a look for earlier sessions' work needs: the data folder and
    /// this window's id (its own files are not offered).
    pub fn scan_input(&self) -> Option<(PathBuf, String)> {
        let dir = self.data_dir.clone()?;
        Some((dir, self.instance.as_ref()?.id().to_owned()))
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

    /// The user threw the unsaved work (at `revision`) away (Don't save): so
    /// is its recovery file, and that work is not written again.
    pub fn discard_current(&mut self, revision: u64) {
        if let (Some(file), Some(jobs)) = (self.current_file.take(), &self.jobs) {
            let _ = jobs.send(Job::Remove(file));
        }
        self.written_revision = Some(revision);
    }

    /// A recovered document now holds this recovery file's work.
    pub fn adopt(&mut self, recovery: &Recovery) {
        self.current_file = Some(recovery.file.clone());
        self.offers.retain(|r| r.file != recovery.file);
    }

    /// Deletes an offered recovery file (on the worker thread).
    pub fn discard_offer(&mut self, file: &Path) {
        self.offers.retain(|r| r.file != file);
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(Job::Remove(file.to_path_buf()));
        }
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
