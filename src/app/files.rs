//! The file work behind the window, as plain functions the job runner calls
//! (see [`super::jobs`]): opening, saving, reading an article, reading a
//! colleague's file, merging the file on disk, restoring autosaved work,
//! opening a link. They touch the disk and may take long; none touches egui,
//! so each runs off the UI thread (or inline in tests) and hands back what
//! the app must then do.

use super::merge_base::MergeBase;
use crate::format::access::{self, Access, Doubt};
use crate::format::recovery::Recovery;
use crate::format::{self, ArticleOrigin, BindReport, FormatError, ParsedFile};
use crate::model::{AnnotationSet, Article, Document, fingerprint};
use crate::web::WebArticle;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The example annotation file opened when no path is given.
const DEFAULT_ANNOTATIONS: &str = "saves/peace-talks.ron";

/// The example file: next to the working directory, or in the source tree.
pub fn default_annotations() -> Option<PathBuf> {
    let here = PathBuf::from(DEFAULT_ANNOTATIONS);
    let source_tree = Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_ANNOTATIONS);
    [here, source_tree].into_iter().find(|p| p.is_file())
}

/// The built-in reference article with no annotations, for when nothing else opens.
pub fn built_in() -> Document {
    let article = Article::new("Russia and Ukraine peace talks", format::REFERENCE_ARTICLE);
    Document::new(AnnotationSet::new(article))
}

/// A document read from disk, and where everything in it came from.
pub struct Opened {
    pub doc: Document,
    pub annotation_path: Option<PathBuf>,
    /// The file the annotation path led to (links resolved).
    pub annotation_identity: Option<PathBuf>,
    /// The annotation file's text as read: what a later merge starts from.
    pub merge_base: Option<MergeBase>,
    pub article: ArticleOrigin,
    /// The file the article text was read from (links resolved).
    pub article_identity: Option<PathBuf>,
    pub embedded: bool,
    /// Shown above the article while the file and its article disagree.
    pub banner: Option<String>,
    /// For an article opened on its own: the annotation files in its folder
    /// that belong to it (see [`format::annotations_for_article`]).
    pub annotation_files: Vec<format::Candidate>,
    /// The web page the article was extracted from, when it was.
    pub page: Option<KeptPage>,
}

impl Opened {
    /// A document with no annotation file yet, on `article` (and the page
    /// it came from, if it did).
    fn without_file(doc: Document, article: ArticleOrigin, page: Option<KeptPage>) -> Self {
        Self {
            doc,
            annotation_path: None,
            annotation_identity: None,
            merge_base: None,
            article_identity: article.path().map(access::identity),
            article,
            embedded: false,
            banner: None,
            annotation_files: Vec::new(),
            page,
        }
    }
}

/// The web page an article was extracted from, to keep beside the annotations.
#[derive(Clone, Debug)]
pub enum KeptPage {
    /// A page file on disk: opened, or kept by an earlier save.
    File(PathBuf),
    /// Fetched and not yet kept: the next save writes it beside the annotations.
    Fetched(Arc<[u8]>),
}

/// A document for an article extracted from a web page (read from a file
/// or fetched): its text and details, nothing on disk of it yet.
fn page_document(web: WebArticle) -> Document {
    let mut set = AnnotationSet::new(web.article);
    set.details = web.details;
    Document::new(set)
}

/// Opens the page fetched from an address: its article, its details (the
/// fetch recorded), the page kept in memory until the first save.
pub fn open_fetched(fetched: crate::web::fetch::Fetched) -> Result<Opened, String> {
    let web = crate::web::article_from_fetched(&fetched).map_err(|e| e.to_string())?;
    let mut doc = page_document(web);
    // Nothing of it is on disk yet: closing without saving would lose it.
    doc.mark_unsaved();
    let page = KeptPage::Fetched(Arc::from(fetched.body));
    Ok(Opened::without_file(doc, ArticleOrigin::Known, Some(page)))
}

/// Opens an annotation file (with `article` instead of the recorded one,
/// if given) or an article. `kept_in` is the data folder, where the article
/// versions files were saved against are kept (see `format::store`).
pub fn open(
    path: &Path,
    article: Option<&Path>,
    kept_in: Option<&Path>,
) -> Result<Opened, FormatError> {
    let is_annotations = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"));
    if format::is_web_page(path) {
        let web =
            crate::web::read_page_file(path).map_err(|e| FormatError::Invalid(e.to_string()))?;
        let annotation_files = format::annotations_for_article(path, web.article.sha256());
        let page = KeptPage::File(path.to_path_buf());
        let origin = ArticleOrigin::Page(path.to_path_buf());
        return Ok(Opened {
            annotation_files,
            ..Opened::without_file(page_document(web), origin, Some(page))
        });
    }
    if !is_annotations {
        let article = format::load_article(path)?;
        let annotation_files = format::annotations_for_article(path, article.sha256());
        let doc = Document::new(AnnotationSet::new(article));
        return Ok(Opened {
            annotation_files,
            ..Opened::without_file(doc, ArticleOrigin::File(path.to_path_buf()), None)
        });
    }
    let loaded = format::load_annotations_with(path, article, kept_in)?;
    if loaded.report.fingerprint_matches {
        keep_version(kept_in, &loaded.set);
    }
    let mut doc = Document::new(loaded.set);
    if loaded.report.moved > 0 {
        // The new offsets are worth saving, so say the file is out of date.
        doc.mark_unsaved();
    }
    // Over a stand-in the article notice explains; the counts would only repeat it.
    let banner = match loaded.article {
        ArticleOrigin::File(_)
        | ArticleOrigin::Embedded
        | ArticleOrigin::Known
        | ArticleOrigin::Page(_) => loaded.report.banner(),
        _ => None,
    };
    Ok(Opened {
        annotation_files: Vec::new(),
        doc,
        annotation_path: Some(path.to_path_buf()),
        annotation_identity: Some(access::identity(path)),
        merge_base: Some(MergeBase::new(&loaded.text)),
        article_identity: loaded.article.path().map(access::identity),
        article: loaded.article,
        embedded: loaded.embedded,
        banner,
        page: None,
    })
}

/// What takes the open document's place.
#[derive(Clone, Debug, PartialEq)]
pub enum Opening {
    /// An annotation file, an article or a saved web page.
    File(PathBuf),
    /// A web page fetched from this address.
    Url(String),
    /// A text typed or pasted in (File → New from text).
    Text(Box<NewArticle>),
    /// Another tool's annotations, placed on the open article.
    Import(PathBuf),
}

impl Opening {
    /// What it is, for "Save before opening …?".
    pub fn describe(&self) -> String {
        match self {
            Opening::File(path) => path.display().to_string(),
            Opening::Url(url) => url.clone(),
            Opening::Text(new) => format!("the new article “{}”", new.title),
            Opening::Import(path) => format!("the annotations in {}", path.display()),
        }
    }
}

/// An article typed or pasted in, with what the user knows of it.
#[derive(Clone, Debug, PartialEq)]
pub struct NewArticle {
    pub title: String,
    pub text: String,
    pub details: crate::model::ArticleDetails,
}

/// What is missing or wrong in a new article, in words for its dialog.
pub fn check_new_article(new: &NewArticle) -> Result<(), String> {
    if new.title.trim().is_empty() {
        return Err("Give the article a title".into());
    }
    if new.text.trim().is_empty() {
        return Err("Paste or type the article's text".into());
    }
    format::check_article_text(&new.text).map_err(|e| e.to_string())
}

/// A document for a new article: nothing on disk yet; its first save
/// writes the text beside the annotations.
pub fn new_document(new: NewArticle) -> Result<Document, String> {
    check_new_article(&new)?;
    let text = crate::model::normalize_text(&new.text);
    let mut set = AnnotationSet::new(Article::new(new.title.trim(), &text));
    set.details = new.details;
    let mut doc = Document::new(set);
    // Nothing of it is on disk: closing without saving would lose it.
    doc.mark_unsaved();
    Ok(doc)
}

/// Another tool's annotations (`json`) as a new document on `article`
/// (read from `article_path`, if it was); the report says what came in.
pub fn import_annotations(
    json: &Path,
    article: Article,
    article_path: Option<PathBuf>,
) -> Result<(Opened, String), String> {
    let text = format::read_text(json).map_err(|e| e.to_string())?;
    let imported = crate::import::import(&text, article).map_err(|e| e.to_string())?;
    let a = imported.set.counts().anchors;
    let mut report = format!(
        "Imported {} claims from {} annotations: {} exact, {} moved, {} fuzzy, {} not found",
        imported.set.claims().len(),
        imported.annotations,
        a.exact,
        a.moved,
        a.fuzzy,
        a.orphaned
    );
    for (what, n) in &imported.left_out {
        report.push_str(&format!("; left out {n} × {what}"));
    }
    let mut doc = Document::new(imported.set);
    doc.mark_unsaved();
    let article = article_path.map_or(ArticleOrigin::Known, ArticleOrigin::File);
    Ok((Opened::without_file(doc, article, None), report))
}

/// What to do once a save has gone well.
#[derive(Clone, Debug, PartialEq)]
pub enum AfterSave {
    Nothing,
    /// The user chose Save in the unsaved-changes question before opening this.
    Open(Opening),
    /// … before closing the window.
    Quit,
}

/// Everything a save needs, taken from the document when it was asked for:
/// edits made while it runs are not in it and stay unsaved.
pub struct SavePlan {
    pub path: PathBuf,
    pub set: AnnotationSet,
    /// The history state of `set` (see `Document::mark_saved_at`).
    pub state: u64,
    /// The article's file, recorded relative to the annotation file.
    pub article_path: Option<PathBuf>,
    pub embed_article: bool,
    /// Where the annotation file led when it was opened or last saved
    /// (links resolved), when saving over it: a save writes nowhere else.
    pub opened: Option<PathBuf>,
    /// Fingerprint of the file's text as opened or last saved, when saving
    /// over it: a file changed on disk since is not overwritten.
    pub base_sha256: Option<String>,
    /// The article has no file (the built-in one): write it beside.
    pub write_article: bool,
    /// The page the article was extracted from: recorded, and written
    /// beside the file when it is only in memory.
    pub page: Option<KeptPage>,
    pub then: AfterSave,
    /// The data folder, where the article version saved against is kept.
    pub keep_in: Option<PathBuf>,
}

/// A save that went well.
pub struct SavedFile {
    pub path: PathBuf,
    pub identity: PathBuf,
    /// The file's new text (the next merge's base).
    pub base: MergeBase,
    /// Where the article is now, if the save wrote it beside the file.
    pub article_written: Option<PathBuf>,
    /// The page file as kept (written beside, or where it was) and as the
    /// file records it.
    pub page_kept: Option<(PathBuf, String)>,
    pub state: u64,
    /// A warning about the backup, if it could not be kept.
    pub warning: Option<String>,
    pub then: AfterSave,
}

/// Why a save did not happen. Nothing was written.
pub enum SaveFailed {
    /// The file on disk holds someone else's version (`disk`).
    ChangedOnDisk {
        disk: String,
    },
    Failed(String),
}

/// Saves as planned: refuses to write through a link planted over the file
/// or over a version someone else saved, writes the article beside the file
/// when it has none, and keeps a backup.
/// Keeps the article's text in the data folder, so a later version of the
/// article can be diffed against it. Best effort: a failure only means the
/// claims will be searched for instead (the save itself has succeeded).
fn keep_version(kept_in: Option<&Path>, set: &AnnotationSet) {
    if let Some(dir) = kept_in
        && set.missing_article.is_none()
    {
        let _ = format::store::keep_article(dir, &set.article);
    }
}

pub fn save(plan: SavePlan) -> Result<SavedFile, SaveFailed> {
    let failed = |e: FormatError| SaveFailed::Failed(e.to_string());
    access::write_target(&plan.path, plan.opened.as_deref()).map_err(failed)?;
    if let Some(base) = &plan.base_sha256
        && let Ok(disk) = format::read_text(&plan.path)
        && &fingerprint(&disk) != base
    {
        return Err(SaveFailed::ChangedOnDisk { disk });
    }
    let mut article_written = None;
    if plan.write_article {
        let text = plan.set.article.text().as_bytes();
        let written = save_beside(&plan.path, &["txt", "article.txt"], text).map_err(|e| {
            SaveFailed::Failed(format!(
                "could not save the article beside the annotations: {e}"
            ))
        })?;
        article_written = Some(written);
    }
    let mut set = plan.set;
    let page_kept = match plan.page {
        Some(page) => {
            let kept = match page {
                KeptPage::File(path) => path,
                KeptPage::Fetched(bytes) => save_beside(&plan.path, &["html", "page.html"], &bytes)
                    .map_err(|e| {
                        SaveFailed::Failed(format!(
                            "could not keep the web page beside the annotations: {e}"
                        ))
                    })?,
            };
            let recorded = format::relative_path(access::folder_of(&plan.path), &kept);
            if let Some(source) = set.details.page.as_mut() {
                source.file = Some(recorded.clone());
            }
            Some((kept, recorded))
        }
        None => None,
    };
    let article_path = article_written.as_deref().or(plan.article_path.as_deref());
    let saved = format::save_annotations(&plan.path, &set, article_path, plan.embed_article)
        .map_err(failed)?;
    keep_version(plan.keep_in.as_deref(), &set);
    Ok(SavedFile {
        identity: access::identity(&plan.path),
        path: plan.path,
        base: MergeBase::new(&saved.text),
        article_written,
        page_kept,
        state: plan.state,
        warning: saved.backup.warning(),
        then: plan.then,
    })
}

/// Writes `bytes` beside `annotations` as `NAME.EXT`, trying each of
/// `extensions` in turn (unless a file there already holds them, which is
/// kept) and returns its path. A file with other content is never replaced.
fn save_beside(
    annotations: &Path,
    extensions: &[&str],
    bytes: &[u8],
) -> Result<PathBuf, FormatError> {
    for extension in extensions {
        let candidate = annotations.with_extension(extension);
        if candidate == annotations {
            // The annotation file itself, written next.
            continue;
        }
        // Only a plain file or nothing: a link there (planted or not) is
        // neither read nor written through.
        match std::fs::symlink_metadata(&candidate) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                format::write_atomic(&candidate, bytes)?;
                return Ok(candidate);
            }
            Ok(meta) if meta.is_file() => {
                let limit = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
                let same = format::read_bounded(&candidate, limit)
                    .is_ok_and(|existing| same_content(&existing, bytes));
                if same {
                    return Ok(candidate);
                }
            }
            _ => {}
        }
    }
    Err(FormatError::Invalid(format!(
        "files named {} already exist with other content",
        extensions
            .iter()
            .map(|e| annotations.with_extension(e).display().to_string())
            .collect::<Vec<_>>()
            .join(" and ")
    )))
}

/// Whether an existing file holds `wanted`; for text, line endings aside.
fn same_content(existing: &[u8], wanted: &[u8]) -> bool {
    existing == wanted
        || std::str::from_utf8(existing).is_ok_and(|existing| {
            std::str::from_utf8(wanted)
                .is_ok_and(|wanted| crate::model::normalize_text(existing) == wanted)
        })
}

/// A request to place the claims on an article read from a file.
pub struct ArticleRequest {
    /// The path as the document names it.
    pub named: PathBuf,
    /// The folder whose tree may be read without asking.
    pub root: PathBuf,
    /// A resolved path the user agreed to read (or chose), read without asking.
    pub accepted: Option<PathBuf>,
    /// The claims, to be placed on the text read.
    pub claims: ParsedFile,
    /// The article's path now, and the fingerprint of the text shown, so a
    /// reload that finds nothing changed changes nothing.
    pub current: Option<PathBuf>,
    pub current_sha256: String,
}

/// What reading an article came to.
pub enum ArticleRead {
    /// Read, and the claims placed on it.
    Read {
        named: PathBuf,
        resolved: PathBuf,
        set: Box<AnnotationSet>,
        report: BindReport,
        /// The path was already the document's article.
        reload: bool,
        unchanged: bool,
    },
    /// A reload found the same text: nothing to do.
    Unchanged,
    /// Not read: the user must agree first.
    Ask {
        named: PathBuf,
        resolved: PathBuf,
        doubt: Doubt,
    },
    Failed(String),
}

/// Reads the article the request names, if it may be read without asking,
/// and places the claims on it.
pub fn read_article(request: ArticleRequest) -> ArticleRead {
    let named = request.named;
    let resolved = match access::judge_read(&request.root, &named, request.accepted.as_deref()) {
        Access::Allowed { resolved } => resolved,
        Access::Missing => {
            return ArticleRead::Failed(format!(
                "There is no article at {}.\n\nNothing was changed.",
                named.display()
            ));
        }
        Access::Ask { resolved, doubt } => {
            return ArticleRead::Ask {
                named,
                resolved,
                doubt,
            };
        }
    };
    let article = match format::load_article(&resolved) {
        Ok(article) => article,
        Err(err) => {
            return ArticleRead::Failed(format!(
                "Could not read the article: {err}\n\nNothing was changed."
            ));
        }
    };
    let reload = request.current.as_deref() == Some(named.as_path());
    let unchanged = article.sha256() == request.current_sha256;
    if reload && unchanged {
        return ArticleRead::Unchanged;
    }
    let (set, report) = request.claims.bind(article);
    ArticleRead::Read {
        named,
        resolved,
        set: Box::new(set),
        report,
        reload,
        unchanged,
    }
}

/// A colleague's file, its claims placed on my article.
pub struct TheirFile {
    pub theirs: AnnotationSet,
    /// Who made it (its contributors), for headings.
    pub who: String,
}

/// Reads a colleague's file and places its claims on `article` (mine, whose
/// claims were made on the text with fingerprint `my_sha256`).
pub fn read_their_file(
    path: &Path,
    article: Article,
    my_sha256: &str,
) -> Result<TheirFile, String> {
    let text = format::read_text(path).map_err(|e| e.to_string())?;
    let parsed = format::from_ron(&text).map_err(|e| e.to_string())?;
    let their_sha = parsed.sha256.clone();
    let contributors: Vec<String> = parsed.contributors.iter().cloned().collect();
    let (theirs, report) = parsed.bind(article);
    if their_sha != my_sha256 && report.exact + report.moved == 0 {
        return Err(format!(
            "{} was made on a different article: none of its {} claims is in this one",
            path.display(),
            theirs.claims().len()
        ));
    }
    let name = path.file_name().map_or_else(
        || "their file".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let who = if contributors.is_empty() {
        name
    } else {
        format!("{name} ({})", contributors.join(", "))
    };
    Ok(TheirFile { theirs, who })
}

/// Work restored from a recovery file, with the article file it belongs
/// to when that still holds the same text.
pub struct Restored {
    pub recovery: Recovery,
    pub set: AnnotationSet,
    pub article_path: Option<PathBuf>,
}

pub fn restore(recovery: Recovery) -> Result<Restored, String> {
    let (set, _) = recovery.restore().map_err(|e| {
        format!(
            "Could not restore {}: {e}\n\nThe recovery file was kept.",
            recovery.file.display()
        )
    })?;
    let same_article =
        |p: &&PathBuf| format::load_article(p).is_ok_and(|a| a.sha256() == set.article.sha256());
    let article_path = recovery.article_path.as_ref().filter(same_article).cloned();
    Ok(Restored {
        recovery,
        set,
        article_path,
    })
}

/// Opens a web link in the system's browser; says why when there is none.
pub fn open_link(url: &str) -> Result<(), String> {
    webbrowser::open(url).map_err(|e| format!("Could not open {url} in a browser: {e}"))
}
