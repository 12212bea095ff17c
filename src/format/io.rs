//! Reading and writing files: articles, annotation files, atomic saves.
//!
//! Every read goes through [`read_bounded`]: regular files only (a device or
//! a pipe could be endless or block forever), opened without blocking and
//! checked on the open handle (so a file swapped for a pipe after the check
//! cannot hang the reader), and never more than a limit, whatever the file
//! claims its size is.

use super::access::{self, Access, Doubt, folder_of};
use super::limits::MAX_FILE_BYTES;
use super::{BindReport, FormatError, from_ron, to_ron_with};
use crate::model::{AnnotationSet, Article};
use std::fs;
use std::io::{Read as _, Write as _};
use std::path::{Component, Path, PathBuf};

fn io_error(path: &Path, source: std::io::Error) -> FormatError {
    FormatError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn megabytes(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

/// Opens `path` for reading without waiting on it: a pipe with no writer or
/// a device opens at once instead of blocking, and is then refused.
fn open_without_blocking(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: never wait in open(); O_NOCTTY: a terminal device never
        // becomes our controlling terminal. Neither changes how a regular
        // file reads.
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    options.open(path)
}

/// Opens a regular file for reading; returns it and the size it says it has.
fn open_regular(path: &Path) -> Result<(fs::File, u64), FormatError> {
    let not_a_file = |what: &str| FormatError::Invalid(format!("{} is {what}", path.display()));
    // Refuse what is plainly not a file before opening it at all.
    let meta = fs::metadata(path).map_err(|e| io_error(path, e))?;
    if meta.is_dir() {
        return Err(not_a_file("a folder, not a file"));
    }
    if !meta.is_file() {
        return Err(not_a_file("not a regular file"));
    }
    let file = open_without_blocking(path).map_err(|e| io_error(path, e))?;
    // What was opened is what counts: the path may have been replaced since.
    let meta = file.metadata().map_err(|e| io_error(path, e))?;
    if !meta.is_file() {
        return Err(not_a_file("not a regular file"));
    }
    Ok((file, meta.len()))
}

/// The first `max` bytes of a regular file, and whether that is all of it.
pub(super) fn read_prefix(path: &Path, max: u64) -> Result<(Vec<u8>, bool), FormatError> {
    let (file, len) = open_regular(path)?;
    let mut bytes = Vec::with_capacity(len.min(max) as usize);
    // One byte more tells whether there is more, whatever the size said.
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, e))?;
    let whole = bytes.len() as u64 <= max;
    bytes.truncate(max as usize);
    Ok((bytes, whole))
}

/// Reads a regular file of at most `max` bytes.
pub fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, FormatError> {
    let (file, len) = open_regular(path)?;
    let too_large = || {
        FormatError::OverLimit(format!(
            "{} is larger than {} MB; factmark opens files up to {} MB",
            path.display(),
            megabytes(max),
            megabytes(max)
        ))
    };
    if len > max {
        return Err(too_large());
    }
    // The size can change while reading (a file being written): read at most
    // one byte past the limit, whatever it said.
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, e))?;
    if bytes.len() as u64 > max {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Reads a text file (article or annotations) as UTF-8, refusing anything
/// else with its byte offset, and refusing files over the size limit.
pub fn read_text(path: &Path) -> Result<String, FormatError> {
    read_text_bounded(path, MAX_FILE_BYTES)
}

/// [`read_text`] with another size limit.
pub fn read_text_bounded(path: &Path, max: u64) -> Result<String, FormatError> {
    let bytes = read_bounded(path, max)?;
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
        // A title, not a paragraph: long headings are cut.
        return heading.trim().chars().take(200).collect();
    }
    path.file_stem()
        .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
        .unwrap_or_else(|| "Untitled article".to_owned())
}

/// Whether `path` names a saved web page (its article is extracted, see
/// `web`; it is never read as text).
pub fn is_web_page(path: &Path) -> bool {
    path.extension().is_some_and(|e| {
        ["html", "htm", "xhtml"]
            .iter()
            .any(|page| e.eq_ignore_ascii_case(page))
    })
}

/// Reads and normalises an article file (plain text or Markdown shown as
/// text). A web page is refused: its markup is not the article.
pub fn load_article(path: &Path) -> Result<Article, FormatError> {
    if is_web_page(path) {
        return Err(FormatError::Invalid(format!(
            "{} is a web page: open it with File → Open to take its article, then save",
            path.display()
        )));
    }
    let text = read_text(path)?;
    super::check_article_text(&text)?;
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
    /// Extracted from this web page, opened on its own: there is no text
    /// file yet (the first save writes one beside the annotations).
    Page(PathBuf),
    /// A text factmark already holds, recognised by its fingerprint (the
    /// built-in reference article): nothing was read from the recorded path.
    Known,
    /// Not found, at this path when the file records one: the set shows its
    /// claims over a stand-in text until the article is located.
    Missing(Option<PathBuf>),
    /// The recorded path was not read without asking (see
    /// [`access::judge_read`]): it names `named`, which really leads to
    /// `resolved`. The claims are shown over a stand-in until the user agrees
    /// to read it or locates the article.
    Unconfirmed {
        named: PathBuf,
        resolved: PathBuf,
        doubt: Doubt,
    },
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
    /// The file's text as read (what a later three-way merge starts from).
    pub text: String,
}

/// Opens an annotation file and its article. `article` (chosen by the user)
/// overrides the recorded path. Otherwise the recorded path is read when
/// [`access::judge_read`] allows it without asking (and, when the file
/// carries its article, only if it holds that same text); else the carried
/// text, else a text factmark knows by its fingerprint, else the claims are
/// shown over a stand-in. A path that needs asking is never read here.
pub fn load_annotations(path: &Path, article: Option<&Path>) -> Result<LoadedFile, FormatError> {
    load_annotations_with(path, article, None)
}

/// [`load_annotations`], with the article versions kept in `kept_in` (the
/// data folder, see [`super::store`]): when the article changed since the
/// file was saved and the version the claims were made on is kept there,
/// the claims are followed through the changes instead of searched for.
pub fn load_annotations_with(
    path: &Path,
    article: Option<&Path>,
    kept_in: Option<&Path>,
) -> Result<LoadedFile, FormatError> {
    let text = read_text(path)?;
    let mut parsed = from_ron(&text)?;
    // Read only when needed: the article differs from the one the file names.
    let find_made_on = |parsed: &mut super::ParsedFile, article: &Article| {
        if article.sha256() != parsed.sha256 && parsed.known_text.is_none() {
            parsed.known_text =
                kept_in.and_then(|dir| super::store::kept_article(dir, &parsed.sha256));
        }
    };
    let embedded = parsed.embedded.is_some();
    let loaded = |(set, report), article| LoadedFile {
        set,
        report,
        article,
        embedded,
        text,
    };
    if let Some(chosen) = article {
        let text = load_article(chosen)?;
        find_made_on(&mut parsed, &text);
        return Ok(loaded(
            parsed.bind(text),
            ArticleOrigin::File(chosen.to_path_buf()),
        ));
    }
    let mut origin = ArticleOrigin::Missing(None);
    if let Some(source) = parsed.source.as_deref() {
        let named = resolve_source(path, source);
        let verdict = match access::doubt_in_words(source) {
            // Not even looked up: the path is shown as the file names it.
            Some(doubt) => Access::Ask {
                resolved: named.clone(),
                doubt,
            },
            None => access::judge_read(folder_of(path), &named, None),
        };
        origin = match verdict {
            Access::Allowed { resolved } => {
                let text = load_article(&resolved)?;
                if parsed.embedded.is_none() || text.sha256() == parsed.sha256 {
                    find_made_on(&mut parsed, &text);
                    return Ok(loaded(parsed.bind(text), ArticleOrigin::File(named)));
                }
                ArticleOrigin::Missing(Some(named))
            }
            Access::Missing => ArticleOrigin::Missing(Some(named)),
            Access::Ask { resolved, doubt } => ArticleOrigin::Unconfirmed {
                named,
                resolved,
                doubt,
            },
        };
    }
    if let Some(text) = parsed.embedded_article() {
        return Ok(loaded(parsed.bind(text), ArticleOrigin::Embedded));
    }
    if let Some(text) = super::known_article(&parsed.sha256) {
        let article = Article::new(parsed.title.clone(), text);
        return Ok(loaded(parsed.bind(article), ArticleOrigin::Known));
    }
    Ok(loaded(parsed.bind_missing(), origin))
}

/// What happened to the previous version of a file when it was saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Backup {
    /// The previous file is now `NAME.ron.bak` (see [`backup_path`]).
    Kept,
    /// There was no previous file, so there was nothing to keep.
    NoPrevious,
    /// The previous file already held exactly the new bytes: the existing
    /// backup was left alone, so saving twice keeps the real previous version.
    Unchanged,
    /// The backup could not be made; the message says why. The save itself
    /// went ahead and succeeded, and any older `.bak` is still there, intact.
    Failed(String),
}

impl Backup {
    /// A sentence for the user when the backup could not be made.
    pub fn warning(&self) -> Option<String> {
        match self {
            Backup::Failed(why) => Some(format!(
                "Saved, but the previous version could not be kept as a backup: {why}"
            )),
            _ => None,
        }
    }
}

/// Saves `set` to `path`, recording the article path relative to it (and the
/// article text itself when `embed_article` is set); returns what happened to
/// the previous version.
///
/// Order of work, each step safe to interrupt at any moment (a killed process,
/// or a power cut on a file system that honours fsync):
/// 1. the new text goes to a temp file beside the file, which is fsynced;
/// 2. unless the old file is missing or byte-identical, it becomes
///    `NAME.ron.bak`: hard-linked (or, where links are not supported, copied
///    and fsynced) to a temp name, then renamed over the old backup, and the
///    folder is fsynced so the backup is durable before the file is replaced;
/// 3. the temp file is renamed over the file and the folder is fsynced.
///
/// So the file is always the old or the new version, and the backup is
/// always a complete earlier version, never a partial file. Failure policy:
/// if step 2 fails the save still happens (refusing would leave the user's
/// work unsaved over a lost safety net) and [`Backup::Failed`] says why; a
/// failure in step 1 or 3 is an error and the file is left as it was.
pub fn save_annotations(
    path: &Path,
    set: &AnnotationSet,
    article_path: Option<&Path>,
    embed_article: bool,
) -> Result<Saved, FormatError> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let source = match article_path {
        Some(article) => Some(relative_path(dir, article)),
        None => set.article_source.clone(),
    };
    let text = to_ron_with(set, source.as_deref(), embed_article)?;
    let mut backup = Backup::NoPrevious;
    write_atomic_then(path, text.as_bytes(), &mut |target| {
        backup = keep_backup(target, text.as_bytes(), true);
    })?;
    Ok(Saved { backup, text })
}

/// What a save wrote, and what became of the previous version.
#[derive(Debug)]
pub struct Saved {
    pub backup: Backup,
    /// The file's new text, so nobody has to read it back.
    pub text: String,
}

/// Where the backup of `path` lives: `NAME.ron.bak` beside the file. For a
/// symbolic link this is beside the file the link points to (where the data
/// and the temp files are), so every link to one file shares one backup.
pub fn backup_path(path: &Path) -> PathBuf {
    with_suffix(&access::resolve_link(path), ".bak")
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    match path.file_name() {
        Some(name) => {
            let mut name = name.to_os_string();
            name.push(suffix);
            path.with_file_name(name)
        }
        None => {
            let mut whole = path.as_os_str().to_os_string();
            whole.push(suffix);
            PathBuf::from(whole)
        }
    }
}

/// Makes the current `target` the backup, unless there is none or it already
/// holds `new_bytes`. Never leaves a partial `.bak`: the backup is complete
/// under a temp name before it is renamed into place. `try_link` is false
/// only in tests of the copying fallback.
fn keep_backup(target: &Path, new_bytes: &[u8], try_link: bool) -> Backup {
    let meta = match fs::metadata(target) {
        Ok(meta) if meta.is_file() => meta,
        // Nothing (or nothing that is a file) to keep; replacing a folder
        // fails later with a clear error.
        _ => return Backup::NoPrevious,
    };
    let old = (meta.len() == new_bytes.len() as u64)
        .then(|| fs::read(target).ok())
        .flatten();
    if old.as_deref() == Some(new_bytes) {
        return Backup::Unchanged;
    }
    let backup = backup_path(target);
    let temp = temp_path(&backup);
    let result = make_backup(target, &backup, &temp, &meta, try_link);
    // Also when the rename succeeded: renaming a name onto another link of
    // the same file does nothing (a backup already linked to `target` by an
    // interrupted save), which leaves the temp name behind.
    let _ = fs::remove_file(&temp);
    match result {
        Ok(()) => Backup::Kept,
        Err(e) => Backup::Failed(format!("{}: {e}", backup.display())),
    }
}

fn make_backup(
    target: &Path,
    backup: &Path,
    temp: &Path,
    meta: &fs::Metadata,
    try_link: bool,
) -> std::io::Result<()> {
    let _ = fs::remove_file(temp);
    // A second name for the old file: instant, and complete by construction.
    let linked = try_link && fs::hard_link(target, temp).is_ok();
    if !linked {
        copy_synced(target, temp, meta)?;
    }
    fs::rename(temp, backup)?;
    sync_folder(folder_of(backup));
    Ok(())
}

/// Copies `from` to `to` (a fresh name) with its permissions and modification
/// time, and fsyncs it.
fn copy_synced(from: &Path, to: &Path, meta: &fs::Metadata) -> std::io::Result<()> {
    let bytes = fs::read(from)?;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(to)?;
    file.set_permissions(meta.permissions())?;
    file.write_all(&bytes)?;
    if let Ok(modified) = meta.modified() {
        // Cosmetic: the backup shows when the previous version was saved.
        let _ = file.set_modified(modified);
    }
    file.sync_all()
}

/// Persists renames and new names in `dir` (a no-op where folders cannot be
/// opened). Failure cannot corrupt a file, only delay its durability.
fn sync_folder(dir: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// The temp file name this process uses for writing `path`:
/// `.NAME.PID.factmark-tmp` beside it.
fn temp_path(path: &Path) -> PathBuf {
    folder_of(path).join(format!(
        ".{}.{}{TEMP_SUFFIX}",
        file_name_lossy(path),
        std::process::id()
    ))
}

const TEMP_SUFFIX: &str = ".factmark-tmp";

/// A temp file of a process that may still be alive is removed after this long.
const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(60 * 60);

fn file_name_lossy(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Removes temp files other processes left beside `path` (and its backup)
/// when they were killed mid-save, so they cannot accumulate: those of
/// processes that no longer exist (known where `/proc` lists processes, i.e.
/// Linux), and any older than [`STALE_TEMP_AGE`]. Only names of the exact
/// form `.NAME.PID.factmark-tmp` / `.NAME.bak.PID.factmark-tmp` are touched,
/// never this process's own. Best effort: errors are ignored.
fn remove_stale_temps(path: &Path) {
    let Ok(entries) = fs::read_dir(folder_of(path)) else {
        return;
    };
    let name = file_name_lossy(path);
    let prefixes = [format!(".{name}."), format!(".{name}.bak.")];
    let own = std::process::id();
    let proc_lists_processes = cfg!(target_os = "linux") && Path::new("/proc/self").exists();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let Some(pid) = prefixes.iter().find_map(|prefix| {
            let digits = file_name.strip_prefix(prefix.as_str())?;
            let digits = digits.strip_suffix(TEMP_SUFFIX)?;
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            digits.parse::<u32>().ok()
        }) else {
            continue;
        };
        if pid == own {
            continue;
        }
        let Ok(meta) = fs::symlink_metadata(entry.path()) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let dead = proc_lists_processes && !Path::new(&format!("/proc/{pid}")).exists();
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > STALE_TEMP_AGE);
        if dead || old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Writes `bytes` to `path` so that `path` holds either the old or the new
/// content, never a mix: temp file in the same folder, fsync, rename, fsync folder.
/// A symbolic link is written through (the link stays, its target changes);
/// a replaced file keeps its permissions; the temp file is removed on error,
/// and stale temp files of killed processes are cleared away.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FormatError> {
    write_atomic_then(path, bytes, &mut |_| {})
}

/// [`write_atomic`], running `before_replace` with the real target after the
/// new content is durable in the temp file and before it replaces the target.
fn write_atomic_then(
    path: &Path,
    bytes: &[u8],
    before_replace: &mut dyn FnMut(&Path),
) -> Result<(), FormatError> {
    // Write through a symbolic link to its target, so the link survives, but
    // only to a target inside the link's own folder.
    let target = access::write_target(path, None)?;
    // A replaced file keeps its permissions (a private 0600 file stays private).
    let permissions = fs::metadata(&target).ok().map(|m| m.permissions());
    let dir = folder_of(&target);
    remove_stale_temps(&target);
    let temp = temp_path(&target);
    let mut write = || -> std::io::Result<()> {
        // A stale temp of a dead process with this PID may be read-only. The
        // name must be new: anything there now (a planted link) is not followed.
        let _ = fs::remove_file(&temp);
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        if let Some(permissions) = permissions.clone() {
            file.set_permissions(permissions)?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        before_replace(&target);
        fs::rename(&temp, &target)?;
        // Persist the rename itself; failure here cannot corrupt the file.
        sync_folder(dir);
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

    fn set_titled(title: &str) -> AnnotationSet {
        AnnotationSet::new(Article::new(title, "Some article text."))
    }

    fn save(path: &Path, title: &str) -> Backup {
        save_annotations(path, &set_titled(title), None, false)
            .map(|saved| saved.backup)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn ron_of(title: &str) -> Vec<u8> {
        to_ron_with(&set_titled(title), None, false)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_bytes()
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn saving_keeps_the_previous_version_as_a_backup() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("f.ron");
        assert_eq!(backup_path(&path), dir.path().join("f.ron.bak"));
        assert_eq!(save(&path, "One"), Backup::NoPrevious);
        assert!(!backup_path(&path).exists(), "nothing to back up yet");
        assert_eq!(save(&path, "Two"), Backup::Kept);
        assert_eq!(fs::read(&path).unwrap_or_default(), ron_of("Two"));
        assert_eq!(
            fs::read(backup_path(&path)).unwrap_or_default(),
            ron_of("One")
        );
        // The backup is a whole annotation file that opens.
        assert!(from_ron(&read_text(&backup_path(&path)).unwrap_or_default()).is_ok());
        assert_eq!(names_in(dir.path()), ["f.ron", "f.ron.bak"]);
    }

    #[test]
    fn an_identical_save_does_not_overwrite_the_backup() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("f.ron");
        save(&path, "One");
        save(&path, "Two");
        assert_eq!(save(&path, "Two"), Backup::Unchanged);
        assert_eq!(save(&path, "Two"), Backup::Unchanged);
        assert_eq!(
            fs::read(backup_path(&path)).unwrap_or_default(),
            ron_of("One")
        );
        assert_eq!(save(&path, "Three"), Backup::Kept);
        assert_eq!(
            fs::read(backup_path(&path)).unwrap_or_default(),
            ron_of("Two")
        );
        assert_eq!(names_in(dir.path()), ["f.ron", "f.ron.bak"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_file_is_backed_up_beside_its_target() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        // A link to a file in a folder below its own (links elsewhere are
        // not written through, see `access::write_target`).
        let link_dir = dir.path().join("links");
        let real_dir = link_dir.join("real");
        fs::create_dir_all(&real_dir).unwrap_or_else(|e| panic!("{e}"));
        fs::create_dir_all(&link_dir).unwrap_or_else(|e| panic!("{e}"));
        let real = real_dir.join("real.ron");
        let link = link_dir.join("link.ron");
        std::os::unix::fs::symlink(&real, &link).unwrap_or_else(|e| panic!("{e}"));
        // The link may point to a file that does not exist yet.
        assert_eq!(save(&link, "One"), Backup::NoPrevious);
        assert!(
            fs::symlink_metadata(&link).is_ok_and(|m| m.file_type().is_symlink()),
            "still a link"
        );
        fs::set_permissions(&real, fs::Permissions::from_mode(0o600))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(save(&link, "Two"), Backup::Kept);
        assert!(
            fs::symlink_metadata(&link).is_ok_and(|m| m.file_type().is_symlink()),
            "still a link"
        );
        let bak = backup_path(&link);
        let canonical_dir = fs::canonicalize(&real_dir).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(bak, canonical_dir.join("real.ron.bak"));
        assert_eq!(fs::read(&real).unwrap_or_default(), ron_of("Two"));
        assert_eq!(fs::read(&bak).unwrap_or_default(), ron_of("One"));
        assert!(
            fs::symlink_metadata(&bak).is_ok_and(|m| m.file_type().is_file()),
            "the backup is a file, not a link"
        );
        for file in [&real, &bak] {
            let mode = fs::metadata(file)
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or_default();
            assert_eq!(mode, 0o600, "{} stays private", file.display());
        }
        assert_eq!(names_in(&link_dir), ["link.ron", "real"]);
        assert_eq!(names_in(&real_dir), ["real.ron", "real.ron.bak"]);
    }

    #[cfg(unix)]
    #[test]
    fn the_copying_fallback_makes_the_same_backup() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("f.ron");
        fs::write(&path, "old").unwrap_or_else(|e| panic!("{e}"));
        fs::write(backup_path(&path), "older").unwrap_or_else(|e| panic!("{e}"));
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(keep_backup(&path, b"new", false), Backup::Kept);
        assert_eq!(fs::read(backup_path(&path)).unwrap_or_default(), b"old");
        let ino = |p: &Path| {
            use std::os::unix::fs::MetadataExt;
            fs::metadata(p).map(|m| m.ino()).unwrap_or_default()
        };
        assert_ne!(ino(&path), ino(&backup_path(&path)), "a copy, not a link");
        let mode = fs::metadata(backup_path(&path))
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or_default();
        assert_eq!(mode, 0o640);
        assert_eq!(names_in(dir.path()), ["f.ron", "f.ron.bak"]);
    }

    #[test]
    fn a_failed_backup_still_saves_and_says_why() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("f.ron");
        save(&path, "One");
        // A non-empty folder where the backup goes cannot be replaced.
        let blocker = backup_path(&path);
        fs::create_dir_all(blocker.join("keep")).unwrap_or_else(|e| panic!("{e}"));
        let backup = save(&path, "Two");
        let warning = backup.warning().unwrap_or_default();
        assert!(
            matches!(backup, Backup::Failed(_)) && warning.contains("f.ron.bak"),
            "{backup:?}"
        );
        assert_eq!(fs::read(&path).unwrap_or_default(), ron_of("Two"));
        assert!(blocker.join("keep").is_dir(), "the folder is untouched");
        assert_eq!(names_in(dir.path()), ["f.ron", "f.ron.bak"]);
        // The plain API still succeeds (the warning goes to stderr).
        save_annotations(&path, &set_titled("Three"), None, false)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fs::read(&path).unwrap_or_default(), ron_of("Three"));
    }

    #[test]
    fn a_backup_left_linked_by_an_interrupted_save_leaves_no_temp_file() {
        // Killed after making the backup, before replacing the file: the
        // backup and the file are one file under two names.
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("f.ron");
        save(&path, "One");
        if fs::hard_link(&path, backup_path(&path)).is_err() {
            return; // no hard links on this file system
        }
        assert_eq!(save(&path, "Two"), Backup::Kept);
        assert_eq!(
            fs::read(backup_path(&path)).unwrap_or_default(),
            ron_of("One")
        );
        assert_eq!(fs::read(&path).unwrap_or_default(), ron_of("Two"));
        assert_eq!(names_in(dir.path()), ["f.ron", "f.ron.bak"]);
    }

    #[test]
    fn stale_temp_files_are_cleared_and_others_left_alone() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("f.ron");
        let touch = |name: &str| {
            fs::write(dir.path().join(name), "partial").unwrap_or_else(|e| panic!("{e}"));
        };
        // Long ago, by a process that may be alive: stale everywhere.
        let old = dir.path().join(".f.ron.1.factmark-tmp");
        touch(".f.ron.1.factmark-tmp");
        let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        fs::File::options()
            .write(true)
            .open(&old)
            .and_then(|f| f.set_modified(two_hours_ago))
            .unwrap_or_else(|e| panic!("{e}"));
        // Fresh, by process ids that cannot exist (above Linux's pid_max).
        touch(".f.ron.4294967295.factmark-tmp");
        touch(".f.ron.bak.4294967294.factmark-tmp");
        // Not ours to touch.
        let others = [
            ".f.ron.notes.factmark-tmp",
            ".g.ron.4294967295.factmark-tmp",
            ".f.ron.4294967295.tmp",
            "f.ron.4294967295.factmark-tmp",
        ];
        for name in others {
            touch(name);
        }
        save(&path, "One");
        let mut expected: Vec<String> = others.iter().map(|n| (*n).to_owned()).collect();
        expected.push("f.ron".into());
        if !(cfg!(target_os = "linux") && Path::new("/proc/self").exists()) {
            // Without a process list, fresh temp files wait for the age limit.
            expected.push(".f.ron.4294967295.factmark-tmp".into());
            expected.push(".f.ron.bak.4294967294.factmark-tmp".into());
        }
        expected.sort();
        assert_eq!(names_in(dir.path()), expected);
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_temp_file_of_a_dead_namesake_does_not_block_saving() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("f.ron");
        let mine = temp_path(&path);
        fs::write(&mine, "partial").unwrap_or_else(|e| panic!("{e}"));
        fs::set_permissions(&mine, fs::Permissions::from_mode(0o444))
            .unwrap_or_else(|e| panic!("{e}"));
        write_atomic(&path, b"new").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fs::read(&path).unwrap_or_default(), b"new");
        assert_eq!(names_in(dir.path()), ["f.ron"]);
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

    #[cfg(unix)]
    #[test]
    fn pipes_and_devices_are_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let fifo = dir.path().join("pipe.txt");
        let c_path =
            std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap_or_default();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let link = dir.path().join("zero.txt");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap_or_else(|e| panic!("{e}"));
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send((read_text(&fifo).err(), read_text(&link).err()));
        });
        let (pipe, zero) = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("reading hung"));
        for err in [pipe, zero] {
            let message = err.map(|e| e.to_string()).unwrap_or_default();
            assert!(message.contains("not a regular file"), "{message}");
        }
    }

    #[test]
    fn reads_stop_at_the_limit_whatever_the_size_says() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("big.txt");
        fs::write(&path, "x".repeat(2048)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read_bounded(&path, 2048).map(|b| b.len()).ok(), Some(2048));
        let err = read_bounded(&path, 1024)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("larger than"), "{err}");
    }

    #[test]
    fn a_file_too_large_to_reopen_is_never_written() {
        // Every field within its own limit, the whole over the file limit
        // (lowered here from 256 MB): the save fails and the file is untouched.
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("f.ron");
        fs::write(&path, "the previous version").unwrap_or_else(|e| panic!("{e}"));
        let small = ron_of("One").len() as u64;
        let err = super::super::limits::with_write_limit(small - 1, || {
            save_annotations(&path, &set_titled("One"), None, false).err()
        })
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(
            err.contains("would be") && err.contains("not written"),
            "{err}"
        );
        assert_eq!(
            fs::read_to_string(&path).unwrap_or_default(),
            "the previous version"
        );
        // Within the limit it saves.
        assert!(
            super::super::limits::with_write_limit(small, || {
                save_annotations(&path, &set_titled("One"), None, false).ok()
            })
            .is_some()
        );
    }
}
