//! Notices when the open annotation file or its article changes on disk
//! (another program, a colleague's copy, a `git pull`), so the user decides
//! what happens instead of the next save silently overwriting it.
//!
//! All looking happens on a thread of its own, woken by the system's file
//! notifications (inotify, FSEvents, ReadDirectoryChangesW, through `notify`)
//! or, where there are none, by a look every couple of seconds: an idle
//! window is never woken for nothing. The folders are watched rather than
//! the files, because a save by rename replaces the file. A file rewritten
//! with the same bytes (a `touch`, a no-op checkout) is not reported. Every
//! read goes through the bounded reader of [`crate::format::read_text`]
//! (regular files only, size-capped), and a path that now leads to another
//! file (a link planted over it) is reported without being read.
//!
//! Tests use [`Watcher::inline`]: the same checks, made on the caller's
//! thread when the window regains focus or [`Watcher::check`] is called.

use crate::format::{self, access};
use crate::model::{fingerprint, normalize_text};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

/// How often the files are looked at when the system gives no notifications.
pub const POLL_EVERY: Duration = Duration::from_secs(2);
/// How often they are looked at anyway with notifications (a network drive
/// may not send them).
const SAFETY_POLL: Duration = Duration::from_secs(30);
/// A file found changed is read again after this long, until two reads
/// agree: a program that truncates and then writes (most editors, `echo >`)
/// is caught between the two, and its half-written file must not be shown.
const SETTLE: Duration = Duration::from_millis(120);
/// Reads before a file still changing is reported as it is then.
const SETTLE_READS: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some(Stamp {
        len: meta.len(),
        modified: meta.modified().ok(),
    })
}

/// What changed on disk.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// The annotation file now holds `disk` (someone else's version).
    Annotations { disk: String },
    /// The annotation file was deleted or moved away.
    AnnotationsGone,
    /// The annotation path now leads to another file, `target` (a link
    /// planted over it): it was not read, and a save will not write there.
    Relinked { target: PathBuf },
    /// The annotation file is there but cannot be read (`why`).
    Unreadable { why: String },
    /// The article's text changed, or its path now leads elsewhere.
    Article,
}

/// A file to watch: its path, the file it led to when watching began (links
/// resolved), and the fingerprint of its content then.
#[derive(Clone, Debug, PartialEq)]
pub struct Watched {
    pub path: PathBuf,
    pub identity: PathBuf,
    /// SHA-256 of the annotation file's text as read or written, or of the
    /// article's normalised text.
    pub sha256: String,
}

/// What to watch: the annotation file and the article, either or both.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WatchSpec {
    pub annotations: Option<Watched>,
    pub article: Option<Watched>,
}

impl WatchSpec {
    fn paths(&self) -> impl Iterator<Item = &Path> {
        [&self.annotations, &self.article]
            .into_iter()
            .flatten()
            .map(|w| w.path.as_path())
    }
}

/// The checks themselves: what the files looked like last, and whether a
/// change is waiting for the user.
#[derive(Default)]
struct Looker {
    spec: WatchSpec,
    stamps: [Option<Stamp>; 2],
    /// A change was reported and not yet acknowledged: not reported again.
    pending: bool,
    /// How long a changed file must stay the same before it is reported
    /// ([`SETTLE`] on the watching thread; nothing inline, where tests write
    /// whole files).
    settle: Duration,
}

impl Looker {
    /// Starts watching `spec`, whose fingerprints say what the files held
    /// when the caller read or wrote them; the first look compares contents,
    /// so a change made in between is not missed.
    fn watch(&mut self, spec: WatchSpec) {
        self.stamps = [None, None];
        self.spec = spec;
        self.pending = false;
    }

    /// The user has seen `change` and keeps their own version: what is on
    /// disk now is the new normal, and is not reported again.
    fn acknowledge(&mut self, change: &Change) {
        self.pending = false;
        match change {
            Change::AnnotationsGone => self.spec.annotations = None,
            Change::Annotations { disk } => {
                if let Some(w) = &mut self.spec.annotations {
                    w.sha256 = fingerprint(disk);
                    self.stamps[0] = stamp(&w.path);
                }
            }
            // Still the file that was opened; what the path leads to now is
            // never read or written, and reported again only if it changes.
            Change::Relinked { target } => {
                if let Some(w) = &mut self.spec.annotations {
                    w.identity = target.clone();
                    self.stamps[0] = stamp(&w.path);
                }
            }
            Change::Unreadable { .. } => {
                if let Some(w) = &self.spec.annotations {
                    self.stamps[0] = stamp(&w.path);
                }
            }
            Change::Article => {
                if let Some(w) = &mut self.spec.article {
                    w.identity = access::identity(&w.path);
                    self.stamps[1] = stamp(&w.path);
                }
            }
        }
    }

    /// Looks at both files; a change not reported before, if any.
    fn check(&mut self) -> Option<Change> {
        if self.pending {
            return None;
        }
        let change = self.annotation_change().or_else(|| self.article_change());
        self.pending = change.is_some();
        change
    }

    fn annotation_change(&mut self) -> Option<Change> {
        let watched = self.spec.annotations.as_ref()?;
        if let Some(target) = relinked(watched) {
            return Some(Change::Relinked { target });
        }
        let now = stamp(&watched.path);
        if now == self.stamps[0] {
            return None;
        }
        match self.settled_read(&watched.path) {
            Ok(disk) if fingerprint(&disk) == watched.sha256 => {
                self.stamps[0] = now;
                None
            }
            Ok(disk) => Some(Change::Annotations { disk }),
            Err(format::FormatError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                Some(Change::AnnotationsGone)
            }
            Err(err) => Some(Change::Unreadable {
                why: err.to_string(),
            }),
        }
    }

    /// The file's text once two reads [`Self::settle`] apart agree.
    fn settled_read(&self, path: &Path) -> Result<String, format::FormatError> {
        let mut text = format::read_text(path)?;
        if self.settle.is_zero() {
            return Ok(text);
        }
        for _ in 0..SETTLE_READS {
            std::thread::sleep(self.settle);
            let again = format::read_text(path)?;
            if again == text {
                break;
            }
            text = again;
        }
        Ok(text)
    }

    fn article_change(&mut self) -> Option<Change> {
        let watched = self.spec.article.as_ref()?;
        if relinked(watched).is_some() {
            return Some(Change::Article);
        }
        let now = stamp(&watched.path);
        if now == self.stamps[1] {
            return None;
        }
        self.stamps[1] = now;
        match format::read_text(&watched.path) {
            Ok(text) if fingerprint(&normalize_text(&text)) == watched.sha256 => None,
            Ok(_) => Some(Change::Article),
            // A deleted or unreadable article changes nothing for the open document.
            Err(_) => None,
        }
    }
}

/// Where the path leads now, when that is not the file being watched.
fn relinked(watched: &Watched) -> Option<PathBuf> {
    let there = std::fs::symlink_metadata(&watched.path).is_ok();
    let now = access::identity(&watched.path);
    (there && now != watched.identity).then_some(now)
}

enum Msg {
    Watch(WatchSpec),
    Acknowledge(Change),
    Check,
    /// Something happened in a watched folder.
    Touched(Vec<PathBuf>),
}

enum Mode {
    Thread {
        to_thread: mpsc::Sender<Msg>,
        changes: mpsc::Receiver<Change>,
    },
    Inline(Looker),
}

/// Watches the files of the open document.
pub struct Watcher {
    mode: Mode,
    /// A change waiting for the user's decision.
    pub change: Option<Change>,
}

impl Watcher {
    /// Watches on a thread of its own; `wake` is called when it has news.
    pub fn threaded(wake: impl Fn() + Send + 'static) -> Self {
        let (to_thread, from_app) = mpsc::channel();
        let (changes_tx, changes) = mpsc::channel();
        let touched = to_thread.clone();
        let started = std::thread::Builder::new()
            .name("factmark-watch".into())
            .spawn(move || run(from_app, touched, changes_tx, wake));
        match started {
            Ok(_) => Self {
                mode: Mode::Thread { to_thread, changes },
                change: None,
            },
            Err(_) => Self::inline(),
        }
    }

    /// Watches on the caller's thread, when [`Self::check`] is called.
    pub fn inline() -> Self {
        Self {
            mode: Mode::Inline(Looker::default()),
            change: None,
        }
    }

    /// Watches these files from now on, as they are now.
    pub fn watch(&mut self, spec: WatchSpec) {
        self.change = None;
        match &mut self.mode {
            Mode::Thread { to_thread, changes } => {
                // A change found for the files watched before no longer matters.
                while changes.try_recv().is_ok() {}
                let _ = to_thread.send(Msg::Watch(spec));
            }
            Mode::Inline(looker) => looker.watch(spec),
        }
    }

    /// The user has decided about `change` (taken from [`Self::change`]):
    /// what is on disk now is the new normal.
    pub fn acknowledge(&mut self, change: Change) {
        self.change = None;
        match &mut self.mode {
            Mode::Thread { to_thread, .. } => {
                let _ = to_thread.send(Msg::Acknowledge(change));
            }
            Mode::Inline(looker) => looker.acknowledge(&change),
        }
    }

    /// Puts back a change whose handling failed, so it is asked about again.
    pub fn reopen(&mut self, change: Change) {
        self.change = Some(change);
    }

    /// Asks for a look now (the window regained focus). Inline, it looks at once.
    pub fn check(&mut self) {
        match &mut self.mode {
            Mode::Thread { to_thread, .. } => {
                let _ = to_thread.send(Msg::Check);
            }
            Mode::Inline(looker) => {
                if self.change.is_none() {
                    self.change = looker.check();
                }
            }
        }
    }

    /// Takes in what the watching thread found.
    pub fn poll(&mut self) {
        if let Mode::Thread { changes, .. } = &self.mode
            && self.change.is_none()
            && let Ok(change) = changes.try_recv()
        {
            self.change = Some(change);
        }
    }
}

/// The watching thread: looks when told to, when a watched folder changes,
/// and every [`POLL_EVERY`] (or [`SAFETY_POLL`] with notifications).
fn run(
    from_app: mpsc::Receiver<Msg>,
    touched: mpsc::Sender<Msg>,
    changes: mpsc::Sender<Change>,
    wake: impl Fn(),
) {
    use notify::Watcher as _;
    let mut notifier = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            let _ = touched.send(Msg::Touched(event.paths));
        }
    })
    .ok();
    let poll = if notifier.is_some() {
        SAFETY_POLL
    } else {
        POLL_EVERY
    };
    let mut looker = Looker {
        settle: SETTLE,
        ..Looker::default()
    };
    let mut folders: Vec<PathBuf> = Vec::new();
    loop {
        let look = match from_app.recv_timeout(poll) {
            Ok(Msg::Watch(spec)) => {
                let wanted: Vec<PathBuf> = spec
                    .paths()
                    .map(|p| access::folder_of(p).to_path_buf())
                    .collect();
                if let Some(notifier) = &mut notifier {
                    for old in folders.iter().filter(|f| !wanted.contains(f)) {
                        let _ = notifier.unwatch(old);
                    }
                    for new in wanted.iter().filter(|f| !folders.contains(f)) {
                        let _ = notifier.watch(new, notify::RecursiveMode::NonRecursive);
                    }
                }
                folders = wanted;
                looker.watch(spec);
                false
            }
            Ok(Msg::Acknowledge(change)) => {
                looker.acknowledge(&change);
                false
            }
            Ok(Msg::Check) => true,
            Ok(Msg::Touched(paths)) => {
                let names: Vec<_> = looker.spec.paths().filter_map(Path::file_name).collect();
                paths
                    .iter()
                    .any(|p| p.file_name().is_some_and(|n| names.contains(&n)))
            }
            Err(mpsc::RecvTimeoutError::Timeout) => true,
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if look && let Some(change) = looker.check() {
            if changes.send(change).is_err() {
                return;
            }
            wake();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watched(path: &Path, text: &str) -> Watched {
        Watched {
            path: path.to_path_buf(),
            identity: access::identity(path),
            sha256: fingerprint(text),
        }
    }

    fn annotations(path: &Path, text: &str) -> WatchSpec {
        WatchSpec {
            annotations: Some(watched(path, text)),
            article: None,
        }
    }

    #[test]
    fn only_real_changes_are_reported() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("a.ron");
        std::fs::write(&path, "mine").unwrap_or_default();
        let mut looker = Looker::default();
        looker.watch(annotations(&path, "mine"));
        assert_eq!(looker.check(), None);
        // The same bytes written again (a touch, a no-op checkout): nothing to say.
        std::fs::write(&path, "mine").unwrap_or_default();
        assert_eq!(looker.check(), None);
        std::fs::write(&path, "theirs, longer").unwrap_or_default();
        let change = looker.check();
        assert_eq!(
            change,
            Some(Change::Annotations {
                disk: "theirs, longer".into()
            })
        );
        assert_eq!(looker.check(), None, "reported once");
        looker.acknowledge(&change.unwrap_or(Change::Article));
        assert_eq!(looker.check(), None, "theirs is the new normal");
        std::fs::remove_file(&path).unwrap_or_default();
        assert_eq!(looker.check(), Some(Change::AnnotationsGone));
    }

    #[test]
    fn an_article_counts_as_changed_when_its_text_does() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "text\n").unwrap_or_default();
        let mut looker = Looker::default();
        looker.watch(WatchSpec {
            annotations: None,
            article: Some(watched(&path, "text\n")),
        });
        // CRLF normalises to the same text.
        std::fs::write(&path, "text\r\n").unwrap_or_default();
        assert_eq!(looker.check(), None);
        std::fs::write(&path, "new text\n").unwrap_or_default();
        assert_eq!(looker.check(), Some(Change::Article));
    }

    /// Checks on another thread, failing instead of hanging.
    #[cfg(unix)]
    #[test]
    fn a_file_caught_half_written_is_reported_once_it_is_whole() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("a.ron");
        std::fs::write(&path, "mine").unwrap_or_default();
        let mut looker = Looker {
            settle: Duration::from_millis(400),
            ..Looker::default()
        };
        looker.watch(annotations(&path, "mine"));
        assert_eq!(looker.check(), None);
        // As an editor saves: the file is emptied, then written.
        std::fs::write(&path, "").unwrap_or_default();
        let writer = {
            let path = path.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(20));
                std::fs::write(&path, "theirs").unwrap_or_default();
            })
        };
        let change = looker.check();
        let _ = writer.join();
        assert_eq!(
            change,
            Some(Change::Annotations {
                disk: "theirs".into()
            })
        );
    }

    fn check_in_time(mut looker: Looker) -> (Option<Change>, Looker) {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let change = looker.check();
            let _ = tx.send((change, looker));
        });
        rx.recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("the check hung"))
    }

    #[cfg(unix)]
    #[test]
    fn a_device_or_a_pipe_planted_over_the_file_is_never_read() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("a.ron");
        std::fs::write(&path, "mine").unwrap_or_default();
        let mut looker = Looker::default();
        looker.watch(annotations(&path, "mine"));
        // A link to an endless device: reported, not read (once 1.8 GB in 8 s).
        std::fs::remove_file(&path).unwrap_or_default();
        std::os::unix::fs::symlink("/dev/zero", &path).unwrap_or_default();
        let (change, mut looker) = check_in_time(looker);
        assert_eq!(
            change,
            Some(Change::Relinked {
                target: PathBuf::from("/dev/zero")
            })
        );
        // A pipe with no writer in the file's place: refused at once (the
        // window once froze for good).
        std::fs::remove_file(&path).unwrap_or_default();
        std::fs::write(&path, "mine").unwrap_or_default();
        looker.watch(annotations(&path, "mine"));
        std::fs::remove_file(&path).unwrap_or_default();
        let fifo = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap_or_default();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        let (change, _) = check_in_time(looker);
        assert!(
            matches!(&change, Some(Change::Unreadable { why }) if why.contains("not a regular file")),
            "{change:?}"
        );
    }

    #[test]
    fn the_thread_reports_a_change_and_wakes_the_window() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("a.ron");
        std::fs::write(&path, "mine").unwrap_or_default();
        let (woken_tx, woken) = mpsc::channel();
        let mut watcher = Watcher::threaded(move || {
            let _ = woken_tx.send(());
        });
        watcher.watch(annotations(&path, "mine"));
        // Let the thread take the files in before they change.
        watcher.check();
        std::thread::sleep(Duration::from_millis(200));
        std::fs::write(&path, "theirs").unwrap_or_default();
        // Notified (or, without notifications, found by the next look).
        let woke = woken.recv_timeout(Duration::from_secs(10)).is_ok() || {
            watcher.check();
            woken.recv_timeout(Duration::from_secs(10)).is_ok()
        };
        assert!(woke, "woken");
        watcher.poll();
        assert_eq!(
            watcher.change,
            Some(Change::Annotations {
                disk: "theirs".into()
            })
        );
    }
}
