//! Reading and writing files: articles, annotation files, atomic saves.

use super::{BindReport, FormatError, from_ron, to_ron_with};
use crate::model::{AnnotationSet, Article};
use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

/// Larger files are refused before reading them into memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

fn io_error(path: &Path, source: std::io::Error) -> FormatError {
    FormatError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn read_limited(path: &Path) -> Result<Vec<u8>, FormatError> {
    let meta = fs::metadata(path).map_err(|e| io_error(path, e))?;
    if meta.is_dir() {
        return Err(FormatError::Invalid(format!(
            "{} is a folder, not a file",
            path.display()
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(FormatError::Invalid(format!(
            "{} is {} MB; factmark opens files up to {} MB",
            path.display(),
            meta.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    fs::read(path).map_err(|e| io_error(path, e))
}

/// Reads a text file (article or annotations) as UTF-8, refusing anything
/// else with its byte offset, and refusing files over the size limit.
pub fn read_text(path: &Path) -> Result<String, FormatError> {
    let bytes = read_limited(path)?;
    String::from_utf8(bytes).map_err(|e| FormatError::NotUtf8 {
        path: path.display().to_string(),
        offset: e.utf8_error().valid_up_to(),
    })
}

/// A readable title: a Markdown file's first `# heading`, else the file name.
pub fn article_title_from_path(path: &Path, text: &str) -> String {
    let is_markdown = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    if is_markdown
        && let Some(heading) = text.lines().find_map(|l| l.strip_prefix("# "))
        && !heading.trim().is_empty()
    {
        return heading.trim().to_owned();
    }
    path.file_stem()
        .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
        .unwrap_or_else(|| "Untitled article".to_owned())
}

/// Reads and normalises an article file (plain text or Markdown shown as text).
pub fn load_article(path: &Path) -> Result<Article, FormatError> {
    let text = read_text(path)?;
    Ok(Article::new(article_title_from_path(path, &text), &text))
}

/// The article path a file records, resolved against the file's folder.
pub fn resolve_source(annotation_path: &Path, source: &str) -> PathBuf {
    let base = annotation_path.parent().unwrap_or(Path::new("."));
    base.join(source)
}

/// `to` relative to the folder `from_dir`, with `/` separators so files written
/// on one OS read on another. Falls back to the absolute path across drives.
pub fn relative_path(from_dir: &Path, to: &Path) -> String {
    let absolute = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (from, to) = (absolute(from_dir), absolute(to));
    let from: Vec<Component> = from.components().collect();
    let to_parts: Vec<Component> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return to.to_string_lossy().replace('\\', "/");
    }
    let ups = std::iter::repeat_n("..".to_owned(), from.len() - common);
    let downs = to_parts[common..]
        .iter()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    ups.chain(downs).collect::<Vec<_>>().join("/")
}

/// Where an opened file's article text came from.
#[derive(Clone, Debug, PartialEq)]
pub enum ArticleOrigin {
    /// Read from this file.
    File(PathBuf),
    /// Carried inside the annotation file (saved "with article").
    Embedded,
    /// Not found, at this path when the file records one: the set shows its
    /// claims over a stand-in text until the article is located.
    Missing(Option<PathBuf>),
    /// The file points outside its folder and the folder above it (an
    /// absolute path, or `../../..`). It is not read until the user confirms,
    /// so a file sent by mail cannot pull in a private file.
    Unconfirmed(PathBuf),
}

impl ArticleOrigin {
    pub fn path(&self) -> Option<&Path> {
        match self {
            ArticleOrigin::File(path) => Some(path),
            _ => None,
        }
    }
}

/// An annotation file bound to its article.
#[derive(Debug)]
pub struct LoadedFile {
    pub set: AnnotationSet,
    pub report: BindReport,
    pub article: ArticleOrigin,
    /// The file carried its article text.
    pub embedded: bool,
}

/// Whether a recorded article path may be read without asking: it must be
/// relative and stay within the annotation file's folder or the one above it
/// (`saves/x.ron` may name `../assets/articles/x.txt`), links resolved.
pub fn source_is_near(annotation_path: &Path, source: &str) -> bool {
    let relative = Path::new(source);
    if relative.is_absolute() || source.starts_with(['/', '\\']) || source.contains(':') {
        return false;
    }
    let dir = annotation_path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let root = dir.join("..");
    let (Ok(root), Ok(target)) = (
        fs::canonicalize(&root),
        fs::canonicalize(dir.join(relative)),
    ) else {
        // Nothing there to read; climbing is judged on the words alone.
        let mut depth: i64 = 1;
        for part in relative.components() {
            match part {
                Component::ParentDir => depth -= 1,
                Component::Normal(_) => depth += 1,
                _ => {}
            }
            if depth < 0 {
                return false;
            }
        }
        return true;
    };
    target.starts_with(root)
}

/// Opens an annotation file and its article. `article` (chosen by the user)
/// overrides the recorded path; otherwise the recorded file is read when it
/// is near (see [`source_is_near`]) and holds the same text, else the text
/// the file carries, else the claims are shown over a stand-in.
pub fn load_annotations(path: &Path, article: Option<&Path>) -> Result<LoadedFile, FormatError> {
    let parsed = from_ron(&read_text(path)?)?;
    let embedded = parsed.embedded.is_some();
    let loaded = |(set, report), article| LoadedFile {
        set,
        report,
        article,
        embedded,
    };
    if let Some(chosen) = article {
        let text = load_article(chosen)?;
        return Ok(loaded(
            parsed.bind(text),
            ArticleOrigin::File(chosen.to_path_buf()),
        ));
    }
    let recorded = parsed
        .source
        .as_deref()
        .map(|s| (resolve_source(path, s), s));
    let mut origin = ArticleOrigin::Missing(recorded.as_ref().map(|(p, _)| p.clone()));
    if let Some((file, source)) = recorded {
        if !source_is_near(path, source) {
            origin = ArticleOrigin::Unconfirmed(file);
        } else if file.is_file() {
            let text = load_article(&file)?;
            if parsed.embedded.is_none() || text.sha256() == parsed.sha256 {
                return Ok(loaded(parsed.bind(text), ArticleOrigin::File(file)));
            }
        }
    }
    Ok(match parsed.embedded_article() {
        Some(text) => loaded(parsed.bind(text), ArticleOrigin::Embedded),
        None => loaded(parsed.bind_missing(), origin),
    })
}

/// Saves `set` to `path` atomically, recording the article path relative to
/// it, and the article text itself when `embed_article` is set.
pub fn save_annotations(
    path: &Path,
    set: &AnnotationSet,
    article_path: Option<&Path>,
    embed_article: bool,
) -> Result<(), FormatError> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let source = match article_path {
        Some(article) => Some(relative_path(dir, article)),
        None => set.article_source.clone(),
    };
    let text = to_ron_with(set, source.as_deref(), embed_article)?;
    write_atomic(path, text.as_bytes())
}

/// Writes `bytes` to `path` so that `path` holds either the old or the new
/// content, never a mix: temp file in the same folder, fsync, rename, fsync folder.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FormatError> {
    // Write through a symbolic link to its target, so the link survives.
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let target = if is_link {
        fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
    } else {
        path.to_path_buf()
    };
    // A replaced file keeps its permissions (a private 0600 file stays private).
    let permissions = fs::metadata(&target).ok().map(|m| m.permissions());
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.factmark-tmp", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&temp)?;
        if let Some(permissions) = permissions.clone() {
            file.set_permissions(permissions)?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, &target)?;
        #[cfg(unix)]
        if let Ok(dir) = fs::File::open(dir) {
            // Persist the rename itself; failure here cannot corrupt the file.
            let _ = dir.sync_all();
        }
        Ok(())
    };
    write().map_err(|e| {
        let _ = fs::remove_file(&temp);
        io_error(path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_and_descend() {
        let root = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let saves = root.path().join("saves");
        let articles = root.path().join("assets/articles");
        fs::create_dir_all(&saves).unwrap_or_default();
        fs::create_dir_all(&articles).unwrap_or_default();
        let article = articles.join("a.txt");
        fs::write(&article, "x").unwrap_or_default();
        assert_eq!(relative_path(&saves, &article), "../assets/articles/a.txt");
        assert_eq!(relative_path(&articles, &article), "a.txt");
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("f.ron");
        write_atomic(&path, b"one").unwrap_or_else(|e| panic!("{e}"));
        write_atomic(&path, b"two").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fs::read(&path).unwrap_or_default(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
            .collect();
        assert_eq!(names.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_keeps_links_and_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let real = dir.path().join("real.ron");
        let link = dir.path().join("link.ron");
        fs::write(&real, "old").unwrap_or_default();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).unwrap_or_default();
        std::os::unix::fs::symlink(&real, &link).unwrap_or_default();
        write_atomic(&link, b"new").unwrap_or_else(|e| panic!("{e}"));
        assert!(
            fs::symlink_metadata(&link).is_ok_and(|m| m.file_type().is_symlink()),
            "still a link"
        );
        assert_eq!(fs::read(&real).unwrap_or_default(), b"new");
        let mode = fs::metadata(&real)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or_default();
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn failed_write_reports_the_path() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("missing-folder/f.ron");
        let err = write_atomic(&path, b"x")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("missing-folder"), "{err}");
    }

    #[test]
    fn markdown_titles_come_from_the_heading() {
        assert_eq!(
            article_title_from_path(Path::new("x/notes.md"), "intro\n# Big News\n"),
            "Big News"
        );
        assert_eq!(
            article_title_from_path(Path::new("peace-talks.txt"), "# no"),
            "peace talks"
        );
    }

    #[test]
    fn non_utf8_articles_are_refused_with_the_offset() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("latin1.txt");
        fs::write(&path, b"caf\xe9").unwrap_or_default();
        let err = load_article(&path)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("not UTF-8") && err.contains("offset 3"),
            "{err}"
        );
    }
}
