//! Article texts kept in the user's data folder, named by their fingerprint
//! (`articles/SHA256.txt`): the text a recovery file's work was done on, so
//! the recovery file itself holds only the annotations and stays within the
//! same size limit as the file it will be saved to. Only texts the user had
//! open are kept, and a text is only ever found again by its fingerprint.

use super::{FormatError, limits, read_text_bounded, write_atomic};
use crate::model::{Article, fingerprint};
use std::path::{Path, PathBuf};

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
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| FormatError::Io {
            path: dir.display().to_string(),
            source,
        })?;
    }
    write_atomic(&path, article.text().as_bytes())
}

/// The kept text whose fingerprint is `sha256`, if the store has it intact.
pub fn kept_article(data_dir: &Path, sha256: &str) -> Option<String> {
    let path = kept_path(data_dir, sha256)?;
    let text = read_text_bounded(&path, limits::MAX_ARTICLE_BYTES as u64).ok()?;
    (fingerprint(&text) == sha256).then_some(text)
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
}
