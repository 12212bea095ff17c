//! Recovery files: unsaved work written a few seconds after each edit to the
//! user's data folder (never over the user's own file), so a crash or power
//! cut loses seconds, not an afternoon.
//!
//! A recovery file is a short header (where the work belongs, when it was
//! written, counts for the prompt) followed by the annotation file exactly as
//! it would be saved; the article text is kept beside, in the data folder's
//! article store ([`super::store`]), found again by its fingerprint. So a
//! recovery file is never much larger than the file it will be saved to, and
//! is read with the same limits.
//!
//! Each running factmark is an [`Instance`]: its recovery files carry its id,
//! and it holds a lock file while it runs. Two windows on one file keep two
//! recovery files, and the work of a window still open is never offered to
//! another. Work is offered back whenever its content differs from the file
//! on disk, whatever the files' times say.

use super::{BindReport, FormatError, from_ron, limits, read_text, read_text_bounded, store};
use super::{to_ron_with, write_atomic};
use crate::model::{AnnotationSet, Article};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::{Path, PathBuf};

const RECOVERY_FORMAT: &str = "factmark-recovery";
const RECOVERY_VERSION: u32 = 2;
/// The line between the header and the annotation file's text.
const ANNOTATIONS_FOLLOW: &str = "\n--- the annotation file follows ---\n";
/// Room for the header (two paths of at most 4 KB, times and counts).
const MAX_HEADER_BYTES: u64 = 64 * 1024;
/// Largest recovery file read: a header and a whole annotation file.
pub const MAX_RECOVERY_BYTES: u64 = limits::MAX_FILE_BYTES + MAX_HEADER_BYTES;

#[derive(Serialize, Deserialize)]
struct RecoveryHeader {
    format: String,
    version: u32,
    /// The annotation file the work belongs to, if it was ever saved.
    saved_path: Option<String>,
    /// Where the article was read from, if from a file.
    article_path: Option<String>,
    written: Timestamp,
    claims: usize,
    parties: usize,
    /// The article's title, to name work never saved to a file (absent
    /// from older recovery files).
    #[serde(default)]
    title: String,
}

/// Version 1 (written by factmark before instances): the annotation file as
/// a string inside the record, the article carried in it.
#[derive(Deserialize)]
struct RecoveryRecordV1 {
    saved_path: Option<String>,
    article_path: Option<String>,
    written: Timestamp,
    claims: usize,
    parties: usize,
    annotations: String,
}

fn io_error(path: &Path, source: std::io::Error) -> FormatError {
    FormatError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The folder for recovery files: `$FACTMARK_DATA_DIR`, else the platform's
/// per-user data folder (`$XDG_DATA_HOME/factmark`, `~/.local/share/factmark`,
/// `%APPDATA%\factmark`). `None` when none can be found.
pub fn default_data_dir() -> Option<PathBuf> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = var("FACTMARK_DATA_DIR") {
        return Some(dir);
    }
    if cfg!(windows) {
        return var("APPDATA").map(|d| d.join("factmark"));
    }
    if cfg!(target_os = "macos") {
        return var("HOME").map(|h| h.join("Library/Application Support/factmark"));
    }
    var("XDG_DATA_HOME")
        .or_else(|| var("HOME").map(|h| h.join(".local/share")))
        .map(|d| d.join("factmark"))
}

fn recovery_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("recovery")
}

const LOCK_EXTENSION: &str = "lock";

/// One running factmark: the id its recovery files carry, and the lock file
/// it holds while it runs (released by the system when the process ends,
/// however it ends).
#[derive(Debug)]
pub struct Instance {
    id: String,
    lock_path: PathBuf,
    _lock: fs::File,
}

impl Instance {
    /// Starts an instance in `data_dir`: a fresh id and its lock, taken
    /// under a temporary name and renamed into place, so no other instance
    /// ever sees the lock file unlocked.
    pub fn start(data_dir: &Path) -> Result<Self, FormatError> {
        let dir = recovery_dir(data_dir);
        fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
        let nanos = Timestamp::now().as_nanosecond();
        let id = format!("{}-{:x}", std::process::id(), nanos.unsigned_abs());
        let temp = dir.join(format!(".{id}.{LOCK_EXTENSION}.new"));
        let lock = fs::File::create(&temp).map_err(|e| io_error(&temp, e))?;
        lock.try_lock().map_err(|e| {
            let _ = fs::remove_file(&temp);
            io_error(&temp, std::io::Error::other(e.to_string()))
        })?;
        let lock_path = dir.join(format!("{id}.{LOCK_EXTENSION}"));
        fs::rename(&temp, &lock_path).map_err(|e| io_error(&lock_path, e))?;
        Ok(Self {
            id,
            lock_path,
            _lock: lock,
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.lock_path);
    }
}

/// Whether the instance `id` is still running: its lock file is held.
fn instance_alive(dir: &Path, id: &str) -> bool {
    let Ok(file) = fs::File::open(dir.join(format!("{id}.{LOCK_EXTENSION}"))) else {
        return false;
    };
    // Taken (and released at once) only when nobody holds it.
    matches!(file.try_lock(), Err(fs::TryLockError::WouldBlock))
}

/// The recovery file of instance `instance` for work that belongs to `key`
/// (the annotation file, or the article before the first save, or nothing
/// for the built-in article): `NAME-HASH.INSTANCE.ron`.
pub fn recovery_path(data_dir: &Path, instance: &str, key: Option<&Path>) -> PathBuf {
    let key = key.map(|k| fs::canonicalize(k).unwrap_or_else(|_| k.to_path_buf()));
    let name = key
        .as_ref()
        .and_then(|k| k.file_stem())
        .map(|s| {
            s.to_string_lossy()
                .replace(|c: char| !c.is_alphanumeric(), "-")
        })
        .unwrap_or_else(|| "untitled".to_owned());
    let name: String = name.chars().take(40).collect();
    // The full path decides the file, so two "notes.ron" never share one.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let full = key
        .map(|k| k.to_string_lossy().into_owned())
        .unwrap_or_default();
    for byte in full.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    recovery_dir(data_dir).join(format!("{name}-{hash:016x}.{instance}.ron"))
}

/// The instance a recovery file belongs to (`None`: written before instances).
fn instance_of(file: &Path) -> Option<&str> {
    let stem = file.file_stem()?.to_str()?;
    stem.rsplit_once('.').map(|(_, instance)| instance)
}

/// What a recovery file holds, ready to be offered to the user.
#[derive(Clone, Debug, PartialEq)]
pub struct Recovery {
    pub file: PathBuf,
    pub saved_path: Option<PathBuf>,
    pub article_path: Option<PathBuf>,
    pub written: Timestamp,
    pub claims: usize,
    pub parties: usize,
    /// The article's title (empty in older recovery files).
    pub title: String,
    /// The annotation file as it would have been saved.
    annotations: String,
}

impl Recovery {
    /// The data folder this recovery file is in (its article store).
    fn data_dir(&self) -> Option<&Path> {
        self.file.parent()?.parent()
    }

    /// Rebuilds the work: the claims on the article they were made on (kept
    /// in the store, or carried in the file), or over a stand-in again when
    /// the work was done without its article.
    pub fn restore(&self) -> Result<(AnnotationSet, BindReport), FormatError> {
        let parsed = from_ron(&self.annotations)?;
        let kept = || store::kept_article(self.data_dir()?, &parsed.sha256);
        let article = parsed
            .embedded_article()
            .or_else(|| Some(Article::new(parsed.title.clone(), &kept()?)));
        Ok(match article {
            Some(article) => parsed.bind(article),
            None => parsed.bind_missing(),
        })
    }

    /// Whether the work differs from the file it belongs to (or that file is
    /// gone or unreadable): only then is it worth offering. The contents are
    /// compared, never the files' times (a clock set wrong, a sync or a
    /// checkout that touches the file must not hide work).
    pub fn differs_from_saved(&self) -> bool {
        let Some(saved) = &self.saved_path else {
            return true;
        };
        let on_disk = read_text(saved).and_then(|text| from_ron(&text));
        let mine = from_ron(&self.annotations);
        match (on_disk, mine) {
            (Ok(disk), Ok(mine)) => {
                disk.title != mine.title
                    || disk.parties != mine.parties
                    || disk.claims != mine.claims
            }
            _ => true,
        }
    }
}

/// Writes `set` as the recovery file `file`, atomically, and keeps its
/// article in the data folder's store (`file` is in `DATA/recovery/`).
pub fn write_recovery(
    file: &Path,
    set: &AnnotationSet,
    saved_path: Option<&Path>,
    article_path: Option<&Path>,
    written: Timestamp,
) -> Result<(), FormatError> {
    let absolute = |p: &Path| {
        std::path::absolute(p)
            .unwrap_or_else(|_| p.to_path_buf())
            .to_string_lossy()
            .into_owned()
    };
    let header = RecoveryHeader {
        format: RECOVERY_FORMAT.to_owned(),
        version: RECOVERY_VERSION,
        saved_path: saved_path.map(absolute),
        article_path: article_path.map(absolute),
        written,
        claims: set.claims().len(),
        parties: set.parties().len(),
        title: set.article.title().to_owned(),
    };
    let dir = file.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    if set.missing_article.is_none()
        && let Some(data_dir) = dir.parent()
    {
        store::keep_article(data_dir, &set.article)?;
    }
    let annotations = to_ron_with(set, None, false)?;
    let mut text = ron::to_string(&header)
        .map_err(|e| FormatError::Invalid(format!("could not write the recovery file: {e}")))?;
    text.push_str(ANNOTATIONS_FOLLOW);
    text.push_str(&annotations);
    write_atomic(file, text.as_bytes())
}

/// Reads one recovery file (this version's, or an older factmark's).
pub fn read_recovery(file: &Path) -> Result<Recovery, FormatError> {
    let text = read_text_bounded(file, MAX_RECOVERY_BYTES)?;
    let not_recovery = |why: String| FormatError::Invalid(format!("not a recovery file: {why}"));
    let parse = || ron::Options::default().with_recursion_limit(8);
    let recovery = |header: RecoveryHeader, annotations: &str| Recovery {
        file: file.to_path_buf(),
        saved_path: header.saved_path.map(PathBuf::from),
        article_path: header.article_path.map(PathBuf::from),
        written: header.written,
        claims: header.claims,
        parties: header.parties,
        title: header.title,
        annotations: annotations.to_owned(),
    };
    if let Some((head, annotations)) = text.split_once(ANNOTATIONS_FOLLOW) {
        let header: RecoveryHeader = parse()
            .from_str(head)
            .map_err(|e| not_recovery(e.code.to_string()))?;
        if header.format != RECOVERY_FORMAT || header.version > RECOVERY_VERSION {
            return Err(not_recovery(
                "it was written by another program or a newer factmark".into(),
            ));
        }
        return Ok(recovery(header, annotations));
    }
    let old: RecoveryRecordV1 = parse()
        .from_str(&text)
        .map_err(|e| not_recovery(e.code.to_string()))?;
    let header = RecoveryHeader {
        format: RECOVERY_FORMAT.to_owned(),
        version: 1,
        saved_path: old.saved_path,
        article_path: old.article_path,
        written: old.written,
        claims: old.claims,
        parties: old.parties,
        title: String::new(),
    };
    Ok(recovery(header, &old.annotations))
}

/// Recovery files in `data_dir` worth offering, newest first: those of
/// instances no longer running (never `own`'s) whose work differs from the
/// file on disk. Work that the file on disk already holds is removed, and so
/// are the lock files of instances that ended. Files that cannot be read are
/// left alone (and not offered).
pub fn pending_recoveries(data_dir: &Path, own: Option<&str>) -> Vec<Recovery> {
    let dir = recovery_dir(data_dir);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    let ended = |id: &str| Some(id) != own && !instance_alive(&dir, id);
    let mut found = Vec::new();
    for path in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
    {
        if !instance_of(path).is_none_or(ended) {
            continue;
        }
        let Ok(recovery) = read_recovery(path) else {
            continue;
        };
        if recovery.differs_from_saved() {
            found.push(recovery);
        } else {
            let _ = fs::remove_file(path);
        }
    }
    for lock in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == LOCK_EXTENSION))
    {
        if lock.file_stem().and_then(|s| s.to_str()).is_some_and(ended) {
            let _ = fs::remove_file(lock);
        }
    }
    found.sort_by_key(|r| std::cmp::Reverse(r.written));
    found
}

/// Removes a recovery file (after a clean save or an explicit discard).
pub fn discard_recovery(file: &Path) -> Result<(), FormatError> {
    match fs::remove_file(file) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(file, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, EditContext};

    fn sample() -> AnnotationSet {
        let mut set =
            AnnotationSet::new(Article::new("t", "Russia called the talks satisfactory."));
        let ctx = EditContext {
            author: "me".into(),
            now: Timestamp::UNIX_EPOCH,
        };
        let claim = set
            .new_claim(24..36, &ctx)
            .unwrap_or_else(|e| panic!("{e}"));
        set.apply(crate::model::Edit::AddClaim(Box::new(claim)), &ctx)
            .unwrap_or_else(|e| panic!("{e}"));
        set
    }

    fn start(dir: &Path) -> Instance {
        Instance::start(dir).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn recovered_work_is_the_work_written() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let saved = dir.path().join("notes.ron");
        let crashed = start(dir.path());
        let file = recovery_path(dir.path(), crashed.id(), Some(&saved));
        let set = sample();
        write_recovery(&file, &set, Some(&saved), None, Timestamp::now())
            .unwrap_or_else(|e| panic!("{e}"));
        drop(crashed);
        let offered = pending_recoveries(dir.path(), None);
        assert_eq!(offered.len(), 1);
        assert_eq!(offered[0].claims, 1);
        // Named by its title, for work never saved to a file.
        assert_eq!(offered[0].title, set.article.title());
        let (restored, report) = offered[0].restore().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(restored.claims(), set.claims());
        assert_eq!(restored.article.text(), set.article.text());
        assert!(report.fingerprint_matches);
        discard_recovery(&file).unwrap_or_else(|e| panic!("{e}"));
        assert!(pending_recoveries(dir.path(), None).is_empty());
    }

    #[test]
    fn a_recovery_file_is_the_annotation_file_plus_a_short_header() {
        // Once the annotations were escaped into a string (a third larger),
        // so a large autosave was over the read limit and never offered.
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let set = sample();
        let file = recovery_path(dir.path(), "1-1", None);
        write_recovery(&file, &set, None, None, Timestamp::now()).unwrap_or_else(|e| panic!("{e}"));
        let annotations = to_ron_with(&set, None, false).unwrap_or_default();
        let written = fs::metadata(&file).map(|m| m.len()).unwrap_or_default();
        assert!(written <= annotations.len() as u64 + 1024, "{written}");
    }

    #[test]
    fn work_is_offered_when_it_differs_from_the_file_whatever_the_times() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let saved = dir.path().join("notes.ron");
        let set = sample();
        fs::write(&saved, to_ron_with(&set, None, false).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}"));
        let mut changed = set.clone();
        let ctx = EditContext {
            author: "me".into(),
            now: Timestamp::UNIX_EPOCH,
        };
        let id = set.claims()[0].id.clone();
        changed
            .apply(
                crate::model::Edit::SetStatus {
                    claim: id,
                    status: crate::model::Status::Disputed,
                },
                &ctx,
            )
            .unwrap_or_else(|e| panic!("{e}"));
        // Written long ago, while the saved file is touched (a checkout with
        // the same bytes) and dated in the future: still offered.
        let file = recovery_path(dir.path(), "1-2", Some(&saved));
        write_recovery(&file, &changed, Some(&saved), None, Timestamp::UNIX_EPOCH)
            .unwrap_or_else(|e| panic!("{e}"));
        let future = std::time::SystemTime::now() + std::time::Duration::from_secs(86_400 * 365);
        fs::File::options()
            .write(true)
            .open(&saved)
            .and_then(|f| f.set_modified(future))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pending_recoveries(dir.path(), None).len(), 1);
        // Work the file already holds is not offered, and is cleared away.
        let same = recovery_path(dir.path(), "1-3", Some(&saved));
        write_recovery(&same, &set, Some(&saved), None, Timestamp::now())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pending_recoveries(dir.path(), None).len(), 1);
        assert!(!same.exists());
    }

    #[test]
    fn two_windows_on_one_file_keep_their_own_work_and_a_running_ones_is_not_offered() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let saved = dir.path().join("notes.ron");
        let (first, second) = (start(dir.path()), start(dir.path()));
        let a = recovery_path(dir.path(), first.id(), Some(&saved));
        let b = recovery_path(dir.path(), second.id(), Some(&saved));
        assert_ne!(a, b, "one file each");
        write_recovery(&a, &sample(), Some(&saved), None, Timestamp::now())
            .unwrap_or_else(|e| panic!("{e}"));
        write_recovery(&b, &sample(), Some(&saved), None, Timestamp::now())
            .unwrap_or_else(|e| panic!("{e}"));
        // A third window sees neither while both run; each sees only the other's.
        let third = start(dir.path());
        assert!(pending_recoveries(dir.path(), Some(third.id())).is_empty());
        drop(first);
        let offered = pending_recoveries(dir.path(), Some(third.id()));
        assert_eq!(offered.iter().map(|r| &r.file).collect::<Vec<_>>(), [&a]);
        assert!(pending_recoveries(dir.path(), Some(second.id())).len() == 1);
        drop(second);
        assert_eq!(pending_recoveries(dir.path(), Some(third.id())).len(), 2);
    }

    #[test]
    fn work_on_a_missing_article_comes_back_over_a_stand_in() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let text = crate::format::to_ron(&sample(), Some("gone.txt")).unwrap_or_default();
        let parsed = from_ron(&text).unwrap_or_else(|e| panic!("{e}"));
        let (stand_in, _) = parsed.bind_missing();
        let file = recovery_path(dir.path(), "1-4", None);
        write_recovery(&file, &stand_in, None, None, Timestamp::now())
            .unwrap_or_else(|e| panic!("{e}"));
        let offered = read_recovery(&file).unwrap_or_else(|e| panic!("{e}"));
        let (restored, _) = offered.restore().unwrap_or_else(|e| panic!("{e}"));
        assert!(restored.missing_article.is_some());
        assert_eq!(restored.claims(), stand_in.claims());
        assert_eq!(
            restored.article_fingerprint(),
            stand_in.article_fingerprint()
        );
    }

    #[test]
    fn different_files_with_one_name_get_different_recovery_files() {
        let dir = Path::new("/data");
        let a = recovery_path(dir, "7-1", Some(Path::new("/a/notes.ron")));
        let b = recovery_path(dir, "7-1", Some(Path::new("/b/notes.ron")));
        assert_ne!(a, b);
        assert!(a.starts_with("/data/recovery"));
        assert_eq!(instance_of(&a), Some("7-1"));
        assert_eq!(instance_of(Path::new("/d/notes-00ff.ron")), None);
        assert!(
            recovery_path(dir, "7-1", None)
                .to_string_lossy()
                .contains("untitled")
        );
    }

    #[test]
    fn an_older_factmarks_recovery_file_still_restores() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let set = sample();
        let record = format!(
            "(format: \"factmark-recovery\", version: 1, saved_path: None, article_path: None, \
             written: \"2026-11-24T14:17:24Z\", claims: 1, parties: 0, annotations: {:?})",
            to_ron_with(&set, None, true).unwrap_or_default()
        );
        let file = dir.path().join("recovery/notes-00ff.ron");
        fs::create_dir_all(dir.path().join("recovery")).unwrap_or_else(|e| panic!("{e}"));
        fs::write(&file, record).unwrap_or_else(|e| panic!("{e}"));
        let offered = pending_recoveries(dir.path(), None);
        assert_eq!(offered.len(), 1);
        let (restored, _) = offered[0].restore().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(restored.claims(), set.claims());
        assert_eq!(restored.article.text(), set.article.text());
    }
}
