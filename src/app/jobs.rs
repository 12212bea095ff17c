//! Work that reads or writes files, or may take long, runs here instead of
//! on the UI thread: opening, saving, reloading and locating articles,
//! comparing, finding an article's annotation files, opening links. The
//! window keeps drawing meanwhile and says what is being done.
//!
//! Jobs run one at a time, in the order they were started, on one worker
//! thread (so a save and the open after it can never overtake each other).
//! Each is a closure returning what the app must then do (`D`, the app's
//! result type). Tests use the inline runner: a job runs when it is started
//! and its result arrives at the next [`Jobs::finished`], so UI flows stay
//! deterministic.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// How long a job may run before the window shows that it is busy.
pub const SHOW_BUSY_AFTER: Duration = Duration::from_millis(100);

/// A job's number, in the order jobs were started.
pub type JobId = u64;

/// What a running job and the window share: the user's cancel, which a long
/// job looks at between steps (the result of a cancelled job is dropped),
/// and how far the job has got, which the window shows.
#[derive(Clone, Debug, Default)]
pub struct JobControl {
    cancelled: Arc<AtomicBool>,
    progress: Arc<Mutex<Option<String>>>,
}

impl JobControl {
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// Says how far the job has got ("1.2 MB of 3.4 MB").
    pub fn report(&self, progress: String) {
        if let Ok(mut slot) = self.progress.lock() {
            *slot = Some(progress);
        }
    }

    fn progress(&self) -> Option<String> {
        self.progress.lock().ok().and_then(|p| p.clone())
    }
}

type Work<D> = Box<dyn FnOnce(&JobControl) -> D + Send>;

/// A job that has not finished.
#[derive(Debug)]
pub struct Running {
    pub id: JobId,
    /// What is being done, for the busy indicator ("Opening notes.ron").
    pub label: String,
    pub started: Instant,
    /// Whether the user may cancel it.
    pub cancellable: bool,
    control: JobControl,
}

impl Running {
    /// How far it has got, when it says.
    pub fn progress(&self) -> Option<String> {
        self.control.progress()
    }
}

enum Runner<D> {
    /// One worker thread; `None` once it could not be started.
    Thread(Option<mpsc::Sender<(JobId, JobControl, Work<D>)>>),
    /// Runs each job when it is started (tests).
    Inline(Vec<(JobId, D)>),
}

pub struct Jobs<D> {
    runner: Runner<D>,
    results: mpsc::Receiver<(JobId, D)>,
    running: Vec<Running>,
    next: JobId,
}

impl<D: Send + 'static> Jobs<D> {
    /// Jobs on a worker thread; `wake` is called after each job, so the
    /// window draws its result at once.
    pub fn threaded(wake: impl Fn() + Send + 'static) -> Self {
        let (jobs_tx, jobs_rx) = mpsc::channel::<(JobId, JobControl, Work<D>)>();
        let (results_tx, results) = mpsc::channel();
        let worker = std::thread::Builder::new()
            .name("factmark-jobs".into())
            .spawn(move || {
                while let Ok((id, cancel, work)) = jobs_rx.recv() {
                    let done = work(&cancel);
                    if results_tx.send((id, done)).is_err() {
                        break;
                    }
                    wake();
                }
            });
        Self {
            runner: Runner::Thread(worker.ok().map(|_| jobs_tx)),
            results,
            running: Vec::new(),
            next: 1,
        }
    }

    /// Jobs that run as soon as they are started (deterministic tests).
    pub fn inline() -> Self {
        let (_, results) = mpsc::channel();
        Self {
            runner: Runner::Inline(Vec::new()),
            results,
            running: Vec::new(),
            next: 1,
        }
    }

    /// Starts `work`, described by `label`.
    pub fn start(
        &mut self,
        label: impl Into<String>,
        cancellable: bool,
        work: impl FnOnce(&JobControl) -> D + Send + 'static,
    ) -> JobId {
        let id = self.next;
        self.next += 1;
        let cancel = JobControl::default();
        self.running.push(Running {
            id,
            label: label.into(),
            started: Instant::now(),
            cancellable,
            control: cancel.clone(),
        });
        match &mut self.runner {
            Runner::Inline(done) => done.push((id, work(&cancel))),
            Runner::Thread(Some(jobs)) => {
                if let Err(mpsc::SendError((id, cancel, work))) =
                    jobs.send((id, cancel, Box::new(work)))
                {
                    // The worker is gone: do the work here rather than lose it.
                    let done = work(&cancel);
                    self.runner = Runner::Inline(vec![(id, done)]);
                }
            }
            Runner::Thread(None) => {
                let done = work(&cancel);
                self.runner = Runner::Inline(vec![(id, done)]);
            }
        }
        id
    }

    /// The results of jobs finished since the last call, in order; those of
    /// cancelled jobs are dropped.
    pub fn finished(&mut self) -> Vec<(JobId, D)> {
        let mut done: Vec<(JobId, D)> = match &mut self.runner {
            Runner::Inline(done) => std::mem::take(done),
            Runner::Thread(_) => self.results.try_iter().collect(),
        };
        let running = &mut self.running;
        done.retain(|(id, _)| {
            let at = running.iter().position(|r| r.id == *id);
            let job = at.map(|at| running.remove(at));
            job.is_some_and(|job| !job.control.is_cancelled())
        });
        done
    }

    /// The oldest job still running, once it has run long enough to show.
    pub fn busy(&self) -> Option<&Running> {
        self.running
            .iter()
            .find(|r| !r.control.is_cancelled() && r.started.elapsed() >= SHOW_BUSY_AFTER)
    }

    /// A job still running, shown yet or not.
    pub fn running(&self, id: JobId) -> Option<&Running> {
        self.running.iter().find(|r| r.id == id)
    }

    /// Whether any job is still running (shown or not yet).
    pub fn any_running(&self) -> bool {
        self.running.iter().any(|r| !r.control.is_cancelled())
    }

    /// Cancels a job: it stops at its next check, and its result is dropped.
    pub fn cancel(&mut self, id: JobId) {
        if let Some(job) = self.running.iter().find(|r| r.id == id) {
            job.control.cancel();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_jobs_finish_in_order_at_the_next_look() {
        let mut jobs = Jobs::inline();
        jobs.start("one", false, |_| 1);
        jobs.start("two", false, |_| 2);
        assert!(jobs.any_running());
        let done: Vec<i32> = jobs.finished().into_iter().map(|(_, d)| d).collect();
        assert_eq!(done, [1, 2]);
        assert!(!jobs.any_running());
    }

    #[test]
    fn threaded_jobs_run_in_order_off_this_thread_and_cancelled_ones_are_dropped() {
        let (woken_tx, woken) = mpsc::channel();
        let mut jobs = Jobs::threaded(move || {
            let _ = woken_tx.send(());
        });
        let here = std::thread::current().id();
        let (gate_tx, gate) = mpsc::channel::<()>();
        jobs.start("slow", false, move |_| {
            let _ = gate.recv_timeout(Duration::from_secs(10));
            std::thread::current().id() != here
        });
        let cancelled = jobs.start("cancelled", true, |_| true);
        jobs.cancel(cancelled);
        jobs.start("last", false, |_| true);
        assert!(jobs.finished().is_empty(), "the first job still waits");
        let _ = gate_tx.send(());
        let mut done = Vec::new();
        while done.len() < 2 {
            let _ = woken.recv_timeout(Duration::from_secs(10));
            done.extend(jobs.finished());
        }
        assert_eq!(done.iter().map(|(id, _)| *id).collect::<Vec<_>>(), [1, 3]);
        assert!(done.iter().all(|(_, off_thread)| *off_thread));
        assert!(!jobs.any_running());
    }
}
