//! Notices when the open annotation file or its article changes on disk
//! (another program, a colleague's copy, a `git pull`), so the user decides
//! what happens instead of the next save silently overwriting it.
//!
//! Checking is cheap: a `stat` of two files every couple of seconds and when
//! the window regains focus. Only when size or time changed is the file read,
//! and a file rewritten with the same bytes (a `touch`, a no-op checkout) is
//! not reported. Every read goes through the bounded reader of
//! [`crate::format::read_text`] (regular files only, size-capped), and a path
//! that now leads to another file (a link planted over it) is reported
//! without being read.

use crate::format::{self, access};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// How often the files are looked at while the window is open.
pub const CHECK_EVERY: Duration = Duration::from_secs(2);

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

/// One watched file: its path, the file it led to when watching began
/// (links resolved), and its stamp when last looked at.
struct Watched {
    path: PathBuf,
    identity: PathBuf,
    stamp: Option<Stamp>,
}

impl Watched {
    fn new(path: &Path, identity: Option<&Path>) -> Self {
        Self {
            path: path.to_path_buf(),
            identity: identity.map_or_else(|| access::identity(path), Path::to_path_buf),
            stamp: stamp(path),
        }
    }

    /// Where the path leads now, when that is not the file being watched.
    fn relinked(&self) -> Option<PathBuf> {
        let now = access::identity(&self.path);
        let there = std::fs::symlink_metadata(&self.path).is_ok();
        (now != self.identity && there).then_some(now)
    }
}

#[derive(Default)]
pub struct DiskWatch {
    annotations: Option<Watched>,
    /// The annotation file's text as last read or written: a merge's base.
    base: Option<String>,
    /// The article and the fingerprint of the text read from it.
    article: Option<(Watched, String)>,
    last_check: Option<Instant>,
    /// A change waiting for the user's decision.
    pub change: Option<Change>,
}

impl DiskWatch {
    /// Starts watching the annotation file as it is now (just opened or
    /// saved), whose text is `text` when the caller has it (else it is read)
    /// and which is the file `identity` (links resolved; `None`: where the
    /// path leads now). `path` `None` stops watching it.
    pub fn watch_annotations(
        &mut self,
        path: Option<&Path>,
        text: Option<String>,
        identity: Option<&Path>,
    ) {
        self.annotations = path.map(|p| Watched::new(p, identity));
        self.base = path.and_then(|p| text.or_else(|| format::read_text(p).ok()));
        if matches!(
            self.change,
            Some(
                Change::Annotations { .. }
                    | Change::AnnotationsGone
                    | Change::Relinked { .. }
                    | Change::Unreadable { .. }
            )
        ) {
            self.change = None;
        }
    }

    /// Starts watching the article, whose normalised text has `sha256` and
    /// was read from `identity` (links resolved).
    pub fn watch_article(&mut self, path: Option<&Path>, sha256: &str, identity: Option<&Path>) {
        self.article = path.map(|p| (Watched::new(p, identity), sha256.to_owned()));
        if self.change == Some(Change::Article) {
            self.change = None;
        }
    }

    /// The annotation file's text when it was opened or last saved.
    pub fn base(&self) -> Option<&str> {
        self.base.as_deref()
    }

    /// The user has seen the file on disk and keeps their own version: the
    /// disk version becomes the base, and is not reported again.
    pub fn acknowledge(&mut self) {
        let refresh = |watched: &mut Watched| watched.stamp = stamp(&watched.path);
        match self.change.take() {
            Some(Change::Annotations { disk }) => {
                if let Some(watched) = &mut self.annotations {
                    refresh(watched);
                }
                self.base = Some(disk);
            }
            Some(Change::AnnotationsGone) => self.annotations = None,
            // Still the file that was opened; what the path leads to now is
            // never read or written, and reported again only if it changes.
            Some(Change::Relinked { target }) => {
                if let Some(watched) = &mut self.annotations {
                    refresh(watched);
                    watched.identity = target;
                }
            }
            Some(Change::Unreadable { .. }) => {
                if let Some(watched) = &mut self.annotations {
                    refresh(watched);
                }
            }
            Some(Change::Article) => {
                if let Some((watched, _)) = &mut self.article {
                    refresh(watched);
                    watched.identity = access::identity(&watched.path);
                }
            }
            None => {}
        }
    }

    /// Puts back a change whose handling failed, so it is asked about again.
    pub fn reopen(&mut self, change: Change) {
        self.change = Some(change);
    }

    /// Looks at the files when it is time (or the window regained focus).
    pub fn poll(&mut self, ctx: &egui::Context) {
        if self.annotations.is_none() && self.article.is_none() {
            return;
        }
        let refocused = ctx.input(|i| {
            i.events
                .iter()
                .any(|e| matches!(e, egui::Event::WindowFocused(true)))
        });
        let due = self.last_check.is_none_or(|at| at.elapsed() >= CHECK_EVERY);
        if refocused || due {
            self.check_now();
        }
        ctx.request_repaint_after(CHECK_EVERY);
    }

    /// Checks both files at once; true when a change waits for a decision.
    pub fn check_now(&mut self) -> bool {
        self.last_check = Some(Instant::now());
        if self.change.is_some() {
            return true;
        }
        if let Some(watched) = &mut self.annotations {
            self.change = Self::annotation_change(watched, self.base.as_deref());
        }
        if self.change.is_none()
            && let Some((watched, sha256)) = &mut self.article
        {
            let now = stamp(&watched.path);
            if watched.relinked().is_some() {
                self.change = Some(Change::Article);
            } else if now != watched.stamp {
                match format::read_text(&watched.path) {
                    Ok(text)
                        if crate::model::fingerprint(&crate::model::normalize_text(&text))
                            == *sha256 =>
                    {
                        watched.stamp = now
                    }
                    Ok(_) => self.change = Some(Change::Article),
                    // A deleted article changes nothing for the open document.
                    Err(_) => watched.stamp = now,
                }
            }
        }
        self.change.is_some()
    }

    fn annotation_change(watched: &mut Watched, base: Option<&str>) -> Option<Change> {
        if let Some(target) = watched.relinked() {
            return Some(Change::Relinked { target });
        }
        let now = stamp(&watched.path);
        if now == watched.stamp {
            return None;
        }
        match format::read_text(&watched.path) {
            Ok(disk) if Some(disk.as_str()) == base => {
                watched.stamp = now;
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_changes_are_reported() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("a.ron");
        std::fs::write(&path, "mine").unwrap_or_default();
        let mut watch = DiskWatch::default();
        watch.watch_annotations(Some(&path), None, None);
        assert!(!watch.check_now());
        // The same bytes written again (a touch, a no-op checkout): nothing to say.
        std::fs::write(&path, "mine").unwrap_or_default();
        assert!(!watch.check_now());
        std::fs::write(&path, "theirs, longer").unwrap_or_default();
        assert!(watch.check_now());
        assert_eq!(
            watch.change,
            Some(Change::Annotations {
                disk: "theirs, longer".into()
            })
        );
        watch.acknowledge();
        assert_eq!(watch.base(), Some("theirs, longer"));
        assert!(!watch.check_now());
        std::fs::remove_file(&path).unwrap_or_default();
        assert!(watch.check_now());
        assert_eq!(watch.change, Some(Change::AnnotationsGone));
    }

    #[test]
    fn an_article_counts_as_changed_when_its_text_does() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "text\n").unwrap_or_default();
        let mut watch = DiskWatch::default();
        watch.watch_article(Some(&path), &crate::model::fingerprint("text\n"), None);
        // CRLF normalises to the same text.
        std::fs::write(&path, "text\r\n").unwrap_or_default();
        assert!(!watch.check_now());
        std::fs::write(&path, "new text\n").unwrap_or_default();
        assert!(watch.check_now());
        assert_eq!(watch.change, Some(Change::Article));
    }

    /// Checks on another thread, failing instead of hanging; gives the watch back.
    #[cfg(unix)]
    fn check_in_time(mut watch: DiskWatch) -> DiskWatch {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            assert!(watch.check_now(), "a change is reported");
            let _ = tx.send(watch);
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
        let mut watch = DiskWatch::default();
        watch.watch_annotations(Some(&path), None, None);
        // A link to an endless device: reported, not read (once 1.8 GB in 8 s).
        std::fs::remove_file(&path).unwrap_or_default();
        std::os::unix::fs::symlink("/dev/zero", &path).unwrap_or_default();
        let watch = check_in_time(watch);
        assert_eq!(
            watch.change,
            Some(Change::Relinked {
                target: PathBuf::from("/dev/zero")
            })
        );
        // A pipe with no writer in the file's place: refused at once (the
        // window once froze for good).
        let mut watch = watch;
        watch.watch_annotations(None, None, None);
        std::fs::remove_file(&path).unwrap_or_default();
        std::fs::write(&path, "mine").unwrap_or_default();
        watch.watch_annotations(Some(&path), None, None);
        std::fs::remove_file(&path).unwrap_or_default();
        let fifo = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap_or_default();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        let watch = check_in_time(watch);
        assert!(
            matches!(&watch.change, Some(Change::Unreadable { why }) if why.contains("not a regular file")),
            "{:?}",
            watch.change
        );
    }
}
