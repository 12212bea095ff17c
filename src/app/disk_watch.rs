//! Notices when the open annotation file or its article changes on disk
//! (another program, a colleague's copy, a `git pull`), so the user decides
//! what happens instead of the next save silently overwriting it.
//!
//! Checking is cheap: a `stat` of two files every couple of seconds and when
//! the window regains focus. Only when size or time changed is the file read,
//! and a file rewritten with the same bytes (a `touch`, a no-op checkout) is
//! not reported.

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
    /// The article's text changed.
    Article,
}

#[derive(Default)]
pub struct DiskWatch {
    annotations: Option<(PathBuf, Option<Stamp>)>,
    /// The annotation file's text as last read or written: a merge's base.
    base: Option<String>,
    article: Option<(PathBuf, Option<Stamp>, String)>,
    last_check: Option<Instant>,
    /// A change waiting for the user's decision.
    pub change: Option<Change>,
}

impl DiskWatch {
    /// Starts watching the annotation file as it is now (just opened or
    /// saved), whose text is `text` when the caller has it (else it is read);
    /// `None` stops watching it.
    pub fn watch_annotations(&mut self, path: Option<&Path>, text: Option<String>) {
        self.annotations = path.map(|p| (p.to_path_buf(), stamp(p)));
        self.base = path.and_then(|p| text.or_else(|| std::fs::read_to_string(p).ok()));
        if matches!(
            self.change,
            Some(Change::Annotations { .. } | Change::AnnotationsGone)
        ) {
            self.change = None;
        }
    }

    /// Starts watching the article, whose normalised text has `sha256`.
    pub fn watch_article(&mut self, path: Option<&Path>, sha256: &str) {
        self.article = path.map(|p| (p.to_path_buf(), stamp(p), sha256.to_owned()));
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
        match self.change.take() {
            Some(Change::Annotations { disk }) => {
                if let Some((path, old)) = &mut self.annotations {
                    *old = stamp(path);
                }
                self.base = Some(disk);
            }
            Some(Change::AnnotationsGone) => self.annotations = None,
            Some(Change::Article) => {
                if let Some((path, old, _)) = &mut self.article {
                    *old = stamp(path);
                }
            }
            None => {}
        }
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
        if let Some((path, old)) = &mut self.annotations {
            let now = stamp(path);
            if now != *old {
                match std::fs::read_to_string(&*path) {
                    Ok(disk) if Some(&disk) == self.base.as_ref() => *old = now,
                    Ok(disk) => self.change = Some(Change::Annotations { disk }),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        self.change = Some(Change::AnnotationsGone)
                    }
                    // Unreadable for now (being written?): look again next time.
                    Err(_) => {}
                }
            }
        }
        if self.change.is_none()
            && let Some((path, old, sha256)) = &mut self.article
        {
            let now = stamp(path);
            if now != *old {
                match crate::format::read_text(path) {
                    Ok(text)
                        if crate::model::fingerprint(&crate::model::normalize_text(&text))
                            == *sha256 =>
                    {
                        *old = now
                    }
                    Ok(_) => self.change = Some(Change::Article),
                    // A deleted article changes nothing for the open document.
                    Err(_) => *old = now,
                }
            }
        }
        self.change.is_some()
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
        watch.watch_annotations(Some(&path), None);
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
        watch.watch_article(Some(&path), &crate::model::fingerprint("text\n"));
        // CRLF normalises to the same text.
        std::fs::write(&path, "text\r\n").unwrap_or_default();
        assert!(!watch.check_now());
        std::fs::write(&path, "new text\n").unwrap_or_default();
        assert!(watch.check_now());
        assert_eq!(watch.change, Some(Change::Article));
    }
}
