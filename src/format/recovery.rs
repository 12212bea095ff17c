//! Recovery files: unsaved work written a few seconds after each edit to the
//! user's data folder (never over the user's own file), so a crash or power
//! cut loses seconds, not an afternoon.
//!
//! One recovery file per document, named after the file it will be saved to
//! (or its article, before the first save). It holds the annotation file as
//! it would be saved, with the article text carried inside, plus where it
//! belongs and when it was written: enough to rebuild the work anywhere.

use super::{BindReport, FormatError, from_ron, read_text, to_ron_with, write_atomic};
use crate::model::AnnotationSet;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::{Path, PathBuf};

const RECOVERY_FORMAT: &str = "factmark-recovery";
const RECOVERY_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct RecoveryRecord {
    format: String,
    version: u32,
    /// The annotation file the work belongs to, if it was ever saved.
    saved_path: Option<String>,
    /// Where the article was read from, if from a file.
    article_path: Option<String>,
    written: Timestamp,
    claims: usize,
    parties: usize,
    /// The annotation file as it would be saved, article text included.
    annotations: String,
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

/// The recovery file for work that belongs to `key` (the annotation file, or
/// the article before the first save, or nothing for the built-in article).
pub fn recovery_path(data_dir: &Path, key: Option<&Path>) -> PathBuf {
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
    data_dir
        .join("recovery")
        .join(format!("{name}-{hash:016x}.ron"))
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
    annotations: String,
}

impl Recovery {
    /// Rebuilds the work: the claims on the article text carried inside, or
    /// over a stand-in again when the work was done without its article.
    pub fn restore(&self) -> Result<(AnnotationSet, BindReport), FormatError> {
        let parsed = from_ron(&self.annotations)?;
        Ok(match parsed.embedded_article() {
            Some(article) => parsed.bind(article),
            None => parsed.bind_missing(),
        })
    }

    /// Whether the work is newer than the file it belongs to (or that file
    /// is gone): only then is it worth offering.
    pub fn is_newer_than_saved(&self) -> bool {
        let Some(saved) = &self.saved_path else {
            return true;
        };
        let saved_at = fs::metadata(saved)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| Timestamp::try_from(t).ok());
        saved_at.is_none_or(|saved_at| self.written > saved_at)
    }
}

/// Writes `set` as the recovery file `file`, atomically.
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
    let record = RecoveryRecord {
        format: RECOVERY_FORMAT.to_owned(),
        version: RECOVERY_VERSION,
        saved_path: saved_path.map(absolute),
        article_path: article_path.map(absolute),
        written,
        claims: set.claims().len(),
        parties: set.parties().len(),
        annotations: to_ron_with(set, None, true)?,
    };
    let text = ron::to_string(&record)
        .map_err(|e| FormatError::Invalid(format!("could not write the recovery file: {e}")))?;
    if let Some(dir) = file.parent() {
        fs::create_dir_all(dir).map_err(|e| FormatError::Io {
            path: dir.display().to_string(),
            source: e,
        })?;
    }
    write_atomic(file, text.as_bytes())
}

/// Reads one recovery file.
pub fn read_recovery(file: &Path) -> Result<Recovery, FormatError> {
    let text = read_text(file)?;
    let record: RecoveryRecord = ron::Options::default()
        .with_recursion_limit(8)
        .from_str(&text)
        .map_err(|e| FormatError::Invalid(format!("not a recovery file: {}", e.code)))?;
    if record.format != RECOVERY_FORMAT || record.version > RECOVERY_VERSION {
        return Err(FormatError::Invalid(
            "a recovery file from another program or a newer factmark".into(),
        ));
    }
    Ok(Recovery {
        file: file.to_path_buf(),
        saved_path: record.saved_path.map(PathBuf::from),
        article_path: record.article_path.map(PathBuf::from),
        written: record.written,
        claims: record.claims,
        parties: record.parties,
        annotations: record.annotations,
    })
}

/// Recovery files in `data_dir` worth offering, newest first. Files that
/// cannot be read are left alone (and not offered).
pub fn pending_recoveries(data_dir: &Path) -> Vec<Recovery> {
    let Ok(entries) = fs::read_dir(data_dir.join("recovery")) else {
        return Vec::new();
    };
    let mut found: Vec<Recovery> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .filter_map(|p| read_recovery(&p).ok())
        .filter(Recovery::is_newer_than_saved)
        .collect();
    found.sort_by_key(|r| std::cmp::Reverse(r.written));
    found
}

/// Removes a recovery file (after a clean save or an explicit discard).
pub fn discard_recovery(file: &Path) -> Result<(), FormatError> {
    match fs::remove_file(file) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(FormatError::Io {
            path: file.display().to_string(),
            source: e,
        }),
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

    #[test]
    fn recovered_work_is_the_work_written() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let saved = dir.path().join("notes.ron");
        let file = recovery_path(dir.path(), Some(&saved));
        let set = sample();
        write_recovery(&file, &set, Some(&saved), None, Timestamp::now())
            .unwrap_or_else(|e| panic!("{e}"));
        let offered = pending_recoveries(dir.path());
        assert_eq!(offered.len(), 1);
        assert_eq!(offered[0].claims, 1);
        let (restored, report) = offered[0].restore().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(restored.claims(), set.claims());
        assert_eq!(restored.article.text(), set.article.text());
        assert!(report.fingerprint_matches);
        discard_recovery(&file).unwrap_or_else(|e| panic!("{e}"));
        assert!(pending_recoveries(dir.path()).is_empty());
    }

    #[test]
    fn work_older_than_its_saved_file_is_not_offered() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let saved = dir.path().join("notes.ron");
        std::fs::write(&saved, "saved later").unwrap_or_default();
        let file = recovery_path(dir.path(), Some(&saved));
        write_recovery(&file, &sample(), Some(&saved), None, Timestamp::UNIX_EPOCH)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(pending_recoveries(dir.path()).is_empty());
    }

    #[test]
    fn different_files_with_one_name_get_different_recovery_files() {
        let dir = Path::new("/data");
        let a = recovery_path(dir, Some(Path::new("/a/notes.ron")));
        let b = recovery_path(dir, Some(Path::new("/b/notes.ron")));
        assert_ne!(a, b);
        assert!(a.starts_with("/data/recovery"));
        assert!(
            recovery_path(dir, None)
                .to_string_lossy()
                .contains("untitled")
        );
    }

    #[test]
    fn work_on_a_missing_article_comes_back_over_a_stand_in() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let text = crate::format::to_ron(&sample(), Some("gone.txt")).unwrap_or_default();
        let parsed = from_ron(&text).unwrap_or_else(|e| panic!("{e}"));
        let (stand_in, _) = parsed.bind_missing();
        let file = recovery_path(dir.path(), None);
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
}
