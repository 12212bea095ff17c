//! Article texts kept in the user's data folder, named by their fingerprint
//! (`articles/SHA256.txt`): the text a recovery file's work was done on, so
//! the recovery file itself holds only the annotations and stays within the
//! same size limit as the file it will be saved to. Only texts the user had
//! open are kept, and a text is only ever found again by its fingerprint.
//!
//! The store is a cache, not an archive: past [`MAX_KEPT_BYTES`] or
//! [`MAX_KEPT_TEXTS`], the texts used longest ago are removed (a text is
//! "used" when kept or found again), except those a recovery file still
//! names. A file whose old text was removed is placed by searching for its
//! claims, as a file from someone else is; a file saved with its article
//! carries its own.

use super::io::read_prefix;
use super::{FormatError, limits, read_text_bounded, write_atomic};
use crate::model::{Article, fingerprint};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The most text the store keeps (eight articles at the size limit, or
/// thousands of ordinary ones).
pub const MAX_KEPT_BYTES: u64 = 512 * 1024 * 1024;
/// The most texts the store keeps.
pub const MAX_KEPT_TEXTS: usize = 10_000;
/// Where a recovery file names its article's fingerprint: within its header
/// and the article section (title and paths are each capped well below).
const RECOVERY_NAMES_WITHIN: u64 = 64 * 1024;

fn kept_path(data_dir: &Path, sha256: &str) -> Option<PathBuf> {
    // Only a real fingerprint names a file: nothing from a file can climb out.
    let hex = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit());
    hex.then(|| data_dir.join("articles").join(format!("{sha256}.txt")))
}

/// Keeps `article`'s text in the store, unless it is there already.
pub fn keep_article(data_dir: &Path, article: &Article) -> Result<(), FormatError> {
    let Some(path) = kept_path(data_dir, article.sha256()) else {
        return Ok(());
    };
    // Kept already (a copy of another size was damaged: write it again).
    let kept_len = std::fs::metadata(&path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    if kept_len == Some(article.text().len() as u64) {
        touch(&path);
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| FormatError::Io {
            path: dir.display().to_string(),
            source,
        })?;
    }
    write_atomic(&path, article.text().as_bytes())?;
    prune(data_dir, article.sha256(), MAX_KEPT_BYTES, MAX_KEPT_TEXTS);
    Ok(())
}

/// The kept text whose fingerprint is `sha256`, if the store has it intact.
pub fn kept_article(data_dir: &Path, sha256: &str) -> Option<String> {
    let path = kept_path(data_dir, sha256)?;
    let text = read_text_bounded(&path, limits::MAX_ARTICLE_BYTES as u64).ok()?;
    let intact = fingerprint(&text) == sha256;
    if intact {
        touch(&path);
    }
    intact.then_some(text)
}

/// Marks a kept text used now. Best effort: a text whose time could not be
/// set is only removed sooner.
fn touch(path: &Path) {
    if let Ok(file) = std::fs::File::options().append(true).open(path) {
        let _ = file.set_modified(SystemTime::now());
    }
}

/// Removes the texts used longest ago until the store holds at most
/// `max_bytes` in at most `max_texts` texts, keeping `keep` (just kept) and
/// every text a recovery file names. Best effort, like keeping.
fn prune(data_dir: &Path, keep: &str, max_bytes: u64, max_texts: usize) {
    let Ok(entries) = std::fs::read_dir(data_dir.join("articles")) else {
        return;
    };
    // Only files named by a fingerprint (never a link: the entry's own type).
    let mut texts: Vec<(SystemTime, u64, PathBuf)> = entries
        .flatten()
        .take(max_texts.saturating_mul(4))
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let path = kept_path(data_dir, name.strip_suffix(".txt")?)?;
            let meta = entry.metadata().ok().filter(|m| m.is_file())?;
            Some((meta.modified().ok()?, meta.len(), path))
        })
        .collect();
    let mut bytes: u64 = texts.iter().map(|(_, len, _)| len).sum();
    let mut count = texts.len();
    if bytes <= max_bytes && count <= max_texts {
        return;
    }
    let named = recovery_prefixes(data_dir);
    texts.sort_unstable_by_key(|(used, _, _)| *used);
    for (_, len, path) in texts {
        if bytes <= max_bytes && count <= max_texts {
            break;
        }
        let sha = path.file_stem().and_then(|s| s.to_str()).unwrap_or(keep);
        if sha == keep || named.iter().any(|text| text.contains(sha)) {
            continue;
        }
        if std::fs::remove_file(&path).is_ok() {
            bytes -= len;
            count -= 1;
        }
    }
}

/// The start of every recovery file, where each names its article.
fn recovery_prefixes(data_dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(data_dir.join("recovery")) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "ron"))
        .filter_map(|e| read_prefix(&e.path(), RECOVERY_NAMES_WITHIN).ok())
        .map(|(bytes, _)| String::from_utf8_lossy(&bytes).into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_kept_once_and_found_by_fingerprint_only() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let article = Article::new("t", "The talks were satisfactory.\n");
        keep_article(dir.path(), &article).unwrap_or_else(|e| panic!("{e}"));
        keep_article(dir.path(), &article).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            kept_article(dir.path(), article.sha256()).as_deref(),
            Some(article.text())
        );
        assert_eq!(kept_article(dir.path(), &"0".repeat(64)), None);
        assert_eq!(kept_article(dir.path(), "../../etc/passwd"), None);
        // A damaged copy is not used.
        let path = kept_path(dir.path(), article.sha256()).unwrap_or_default();
        std::fs::write(&path, "tampered").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(kept_article(dir.path(), article.sha256()), None);
    }

    /// Keeps `text` and dates its use `age_secs` ago.
    fn kept(dir: &Path, text: &str, age_secs: u64) -> Article {
        let article = Article::new("t", text);
        keep_article(dir, &article).unwrap_or_else(|e| panic!("{e}"));
        let path = kept_path(dir, article.sha256()).unwrap_or_default();
        let used = SystemTime::now() - std::time::Duration::from_secs(age_secs);
        std::fs::File::options()
            .append(true)
            .open(&path)
            .and_then(|f| f.set_modified(used))
            .unwrap_or_else(|e| panic!("{e}"));
        article
    }

    fn is_kept(dir: &Path, article: &Article) -> bool {
        kept_path(dir, article.sha256()).is_some_and(|p| p.is_file())
    }

    #[test]
    fn past_its_limits_the_store_drops_the_texts_used_longest_ago() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let oldest = kept(dir.path(), "oldest\n", 400);
        let in_recovery = kept(dir.path(), "named by a recovery file\n", 300);
        let used_again = kept(dir.path(), "used again\n", 200);
        let recent = kept(dir.path(), "recent\n", 100);
        let recovery = dir.path().join("recovery");
        std::fs::create_dir_all(&recovery).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            recovery.join("notes-00ff.1.ron"),
            format!("(article: (sha256: \"{}\"))", in_recovery.sha256()),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        // Found again: now the most recently used.
        assert!(kept_article(dir.path(), used_again.sha256()).is_some());
        // An unrelated file in the folder is never touched.
        let stray = dir.path().join("articles").join("notes.txt");
        std::fs::write(&stray, "mine").unwrap_or_else(|e| panic!("{e}"));
        let newest = Article::new("t", "newest\n");
        keep_article(dir.path(), &newest).unwrap_or_else(|e| panic!("{e}"));
        // Under both limits: nothing goes.
        prune(dir.path(), newest.sha256(), MAX_KEPT_BYTES, MAX_KEPT_TEXTS);
        assert!(is_kept(dir.path(), &oldest));
        // Room for three texts: the two used longest ago go, but the one
        // the recovery file names stays.
        prune(dir.path(), newest.sha256(), u64::MAX, 3);
        assert!(!is_kept(dir.path(), &oldest));
        assert!(!is_kept(dir.path(), &recent));
        for stays in [&in_recovery, &used_again, &newest] {
            assert!(is_kept(dir.path(), stays), "{}", stays.text());
        }
        // Room for no bytes: only what must stay.
        prune(dir.path(), newest.sha256(), 0, MAX_KEPT_TEXTS);
        assert!(!is_kept(dir.path(), &used_again));
        assert!(is_kept(dir.path(), &in_recovery) && is_kept(dir.path(), &newest));
        assert!(stray.is_file());
    }
}
