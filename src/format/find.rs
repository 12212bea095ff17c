//! Finding the annotation files that belong to an article, so that opening
//! `x.txt` opens its claims too: a `.ron` file in the article's folder
//! belongs to it when it has the same name (`x.ron`), records the article's
//! path, or records its fingerprint.
//!
//! The folder may be anyone's (a download folder, a shared drive), so the
//! search is bounded and reads as little as it can: at most
//! [`MAX_FOLDER_ENTRIES`] names are listed and [`MAX_CANDIDATES`] files
//! looked at, each only as far as its first [`HEAD_BYTES`], where factmark
//! writes the article record (title, path, fingerprint; a carried article
//! text comes after them). A file is read only when [`judge_read`] lets the
//! article's folder read it without asking (no links out of the folder, no
//! hidden files, no secrets); a file that cannot be read, or is not a
//! factmark file, is passed over in silence.

use super::access::{Access, doubt_in_words, folder_of, judge_read};
use super::io::{read_prefix, resolve_source};
use super::{FORMAT_NAME, from_ron, ron_options};
use serde::de::DeserializeOwned;
use std::fs;
use std::path::{Path, PathBuf};

/// At most this many names of a folder are listed.
pub const MAX_FOLDER_ENTRIES: usize = 20_000;
/// At most this many `.ron` files are looked at (the one with the article's
/// name first, then the others in name order).
pub const MAX_CANDIDATES: usize = 500;
/// How much of each file is read to learn which article it records; a file
/// no longer than this is read whole and its claims counted.
pub const HEAD_BYTES: u64 = 64 * 1024;

/// Why an annotation file belongs to an article, the surest reason first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Belongs {
    /// It has the article's name: `x.ron` beside `x.txt`.
    SameName,
    /// The article path it records leads to the article.
    RecordedPath,
    /// It records the article's fingerprint (made on this very text).
    Fingerprint,
}

/// An annotation file that belongs to an article (see [`annotations_for_article`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub path: PathBuf,
    /// The surest reason it belongs to the article.
    pub belongs: Belongs,
    /// It records the article's fingerprint: its claims were made on this text.
    pub same_text: bool,
    /// The article title it records, when that was read.
    pub title: Option<String>,
    /// How many claims it holds, when it was small enough to read whole.
    pub claims: Option<usize>,
}

/// The annotation files in `article`'s folder that belong to it, the surest
/// first (same name, then recorded path, then fingerprint; those made on
/// this very text before others; then by name). `sha256` is the article's
/// fingerprint ([`crate::model::Article::sha256`]). The same folder always
/// gives the same list.
pub fn annotations_for_article(article: &Path, sha256: &str) -> Vec<Candidate> {
    let folder = folder_of(article);
    let article_real = fs::canonicalize(article).ok();
    let same_name = article
        .file_stem()
        .filter(|_| !is_ron(article))
        .map(|stem| {
            // Not `with_extension`: the stem of `x.v2.txt` is `x.v2`.
            let mut name = stem.to_os_string();
            name.push(".ron");
            folder.join(name)
        });
    let mut names: Vec<PathBuf> = fs::read_dir(folder)
        .into_iter()
        .flatten()
        .take(MAX_FOLDER_ENTRIES)
        .filter_map(|entry| entry.ok().map(|e| folder.join(e.file_name())))
        .filter(|path| is_ron(path) && Some(path) != same_name.as_ref())
        .collect();
    names.sort();
    let same_name = same_name.filter(|p| fs::symlink_metadata(p).is_ok());
    let mut found: Vec<Candidate> = same_name
        .iter()
        .chain(&names)
        .take(MAX_CANDIDATES)
        .filter_map(|path| {
            let same_name = same_name.as_ref() == Some(path);
            candidate(folder, path, same_name, article_real.as_deref(), sha256)
        })
        .collect();
    found.sort_by(|a, b| {
        (a.belongs, !a.same_text, &a.path).cmp(&(b.belongs, !b.same_text, &b.path))
    });
    found
}

fn is_ron(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}

/// `path` as a candidate, when it is a readable factmark file that belongs
/// to the article.
fn candidate(
    folder: &Path,
    path: &Path,
    same_name: bool,
    article: Option<&Path>,
    sha256: &str,
) -> Option<Candidate> {
    let Access::Allowed { resolved } = judge_read(folder, path, None) else {
        return None;
    };
    let (bytes, whole) = read_prefix(&resolved, HEAD_BYTES).ok()?;
    let text = utf8_prefix(&bytes, whole)?;
    let head = read_head(text);
    if head.format.as_deref() != Some(FORMAT_NAME) {
        return None;
    }
    let same_text = head.sha256.as_deref() == Some(sha256);
    let leads_here = |source: &str| {
        // A path shown to be absolute is not even looked up (see `doubt_in_words`).
        doubt_in_words(source).is_none()
            && fs::canonicalize(resolve_source(path, source))
                .ok()
                .as_deref()
                == article
    };
    let belongs = if same_name {
        Belongs::SameName
    } else if article.is_some() && head.source.as_deref().is_some_and(leads_here) {
        Belongs::RecordedPath
    } else if same_text {
        Belongs::Fingerprint
    } else {
        return None;
    };
    Some(Candidate {
        path: path.to_path_buf(),
        belongs,
        same_text,
        title: head.title,
        claims: whole
            .then(|| from_ron(text).ok().map(|f| f.claims.len()))
            .flatten(),
    })
}

/// The bytes as text, when they are UTF-8 up to a char the cut split.
fn utf8_prefix(bytes: &[u8], whole: bool) -> Option<&str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text),
        // Cut inside a char: the text up to it.
        Err(e) if !whole && e.error_len().is_none() => {
            std::str::from_utf8(&bytes[..e.valid_up_to()]).ok()
        }
        Err(_) => None,
    }
}

/// What the start of an annotation file says about itself and its article;
/// `None` for what was not read (cut off, or not where factmark puts it).
#[derive(Debug, Default, PartialEq)]
struct Head {
    format: Option<String>,
    title: Option<String>,
    source: Option<String>,
    sha256: Option<String>,
}

/// Reads the top-level fields of an annotation file's text as far as it
/// goes. The text is scanned value by value (strings with their escapes,
/// brackets, comments), so nothing inside a string is taken for a field;
/// each field wanted is decoded by the RON parser itself.
fn read_head(text: &str) -> Head {
    let mut head = Head::default();
    let mut scan = Scan {
        text: text.strip_prefix('\u{feff}').unwrap_or(text),
        at: 0,
    };
    let _ = scan.file(&mut head);
    head
}

/// Brackets nest no deeper than this in a file factmark opens.
const MAX_DEPTH: usize = super::limits::MAX_NESTING;

struct Scan<'a> {
    text: &'a str,
    at: usize,
}

fn decode<T: DeserializeOwned>(value: &str) -> Option<T> {
    ron_options().from_str(value).ok()
}

impl<'a> Scan<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    /// The top-level record, until everything wanted is read.
    fn file(&mut self, head: &mut Head) -> Option<()> {
        self.open_record()?;
        loop {
            let Some(key) = self.field()? else {
                return Some(());
            };
            match key {
                "format" => head.format = decode(self.value(0)?),
                "article" => self.article(head)?,
                _ => {
                    self.value(0)?;
                }
            }
            if head.format.is_some() && head.sha256.is_some() {
                return Some(());
            }
            self.separator()?;
        }
    }

    /// The article record; the carried text, last, is not needed.
    fn article(&mut self, head: &mut Head) -> Option<()> {
        self.open_record()?;
        loop {
            let Some(key) = self.field()? else {
                return Some(());
            };
            let value = self.value(0)?;
            match key {
                "title" => head.title = decode(value),
                "source" => head.source = decode::<Option<String>>(value).flatten(),
                "sha256" => head.sha256 = decode(value),
                _ => {}
            }
            self.separator()?;
        }
    }

    /// `(`, or a struct name and `(`.
    fn open_record(&mut self) -> Option<()> {
        self.blank()?;
        self.word();
        self.blank()?;
        self.eat('(').then_some(())
    }

    /// The next field's name and its `:`, or `None` at the record's end.
    fn field(&mut self) -> Option<Option<&'a str>> {
        self.blank()?;
        if self.eat(')') {
            return Some(None);
        }
        let key = self.word();
        if key.is_empty() {
            return None;
        }
        self.blank()?;
        self.eat(':').then_some(Some(key))
    }

    /// A `,` after a field, or the record's end (left for [`Self::field`]).
    fn separator(&mut self) -> Option<()> {
        self.blank()?;
        (self.eat(',') || self.rest().starts_with(')')).then_some(())
    }

    fn eat(&mut self, c: char) -> bool {
        let found = self.rest().starts_with(c);
        if found {
            self.at += c.len_utf8();
        }
        found
    }

    /// Skips white space and comments; `None` in an unclosed comment.
    fn blank(&mut self) -> Option<()> {
        loop {
            let rest = self.rest();
            let trimmed = rest.trim_start();
            self.at += rest.len() - trimmed.len();
            if trimmed.starts_with("//") {
                let end = trimmed.find('\n').unwrap_or(trimmed.len());
                self.at += end;
            } else if trimmed.starts_with("/*") {
                self.block_comment()?;
            } else {
                return Some(());
            }
        }
    }

    /// A `/* … */` comment; RON's nest.
    fn block_comment(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            let rest = self.rest();
            if rest.starts_with("/*") {
                depth += 1;
                self.at += 2;
            } else if rest.starts_with("*/") {
                depth -= 1;
                self.at += 2;
                if depth == 0 {
                    return Some(());
                }
            } else {
                self.at += rest.chars().next()?.len_utf8();
            }
        }
    }

    /// A name or a number (`None`, `Some`, `2423`, `-1.5e3`), maybe empty.
    fn word(&mut self) -> &'a str {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '.' | '+' | '-')))
            .unwrap_or(rest.len());
        self.at += len;
        &rest[..len]
    }

    /// One value, whole, as the text has it: a string, a bracketed list,
    /// map or record, or a word with its brackets (`Some("…")`).
    fn value(&mut self, depth: usize) -> Option<&'a str> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.blank()?;
        let start = self.at;
        let rest = self.rest();
        if rest.starts_with('"') {
            self.string()?;
        } else if rest.starts_with(['(', '[', '{']) {
            self.group(depth)?;
        } else if rest.starts_with("r#") || rest.starts_with("r\"") {
            self.raw_string()?;
        } else {
            if self.word().is_empty() {
                return None;
            }
            let after_word = self.at;
            self.blank()?;
            if self.rest().starts_with('(') {
                self.group(depth)?;
            } else {
                self.at = after_word;
            }
        }
        Some(&self.text[start..self.at])
    }

    /// A quoted string with its escapes.
    fn string(&mut self) -> Option<()> {
        self.at += 1;
        let mut escaped = false;
        for (i, c) in self.rest().char_indices() {
            match (escaped, c) {
                (false, '"') => {
                    self.at += i + 1;
                    return Some(());
                }
                (false, '\\') => escaped = true,
                _ => escaped = false,
            }
        }
        None
    }

    /// `r"…"` or `r#"…"#` (any number of `#`).
    fn raw_string(&mut self) -> Option<()> {
        let rest = &self.rest()[1..];
        let hashes = rest.len() - rest.trim_start_matches('#').len();
        let body = rest[hashes..].strip_prefix('"')?;
        let end = body.find(&format!("\"{}", "#".repeat(hashes)))?;
        self.at += 1 + hashes + 1 + end + 1 + hashes;
        Some(())
    }

    /// `(…)`, `[…]` or `{…}`: values separated by `,` and `:`.
    fn group(&mut self, depth: usize) -> Option<()> {
        let close = match self.rest().chars().next()? {
            '(' => ')',
            '[' => ']',
            _ => '}',
        };
        self.at += 1;
        loop {
            self.blank()?;
            if self.eat(close) {
                return Some(());
            }
            self.value(depth + 1)?;
            self.blank()?;
            if !self.eat(',') && !self.eat(':') && !self.rest().starts_with(close) {
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{save_annotations, to_ron_with};
    use crate::model::{AnnotationSet, Article, Edit, EditContext};

    const TEXT: &str =
        "Medinsky called the talks “satisfactory,” though Ukraine strongly disagreed.";

    fn head(text: &str) -> Head {
        read_head(text)
    }

    fn set_on(text: &str) -> AnnotationSet {
        let mut set = AnnotationSet::new(Article::new("Peace talks", text));
        let ctx = EditContext {
            author: "t".into(),
            now: jiff::Timestamp::UNIX_EPOCH,
        };
        if let Some(range) = set.article.find("satisfactory", 0) {
            let claim = set.new_claim(range, &ctx).unwrap_or_else(|e| panic!("{e}"));
            set.apply(Edit::AddClaim(Box::new(claim)), &ctx)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        set
    }

    fn sha(text: &str) -> String {
        Article::new("t", text).sha256().to_owned()
    }

    #[test]
    fn the_head_of_a_written_file_is_read_and_nothing_inside_a_string_counts() {
        let set = set_on(TEXT);
        let text = to_ron_with(&set, Some("../a \"b\".txt"), true).unwrap_or_default();
        assert_eq!(
            head(&text),
            Head {
                format: Some("factmark".into()),
                title: Some("Peace talks".into()),
                source: Some("../a \"b\".txt".into()),
                sha256: Some(sha(TEXT)),
            }
        );
        // Fields hidden in strings and comments, a struct name, raw strings,
        // another order: only the real fields are read.
        let tricky = format!(
            "\u{feff}// sha256: \"{fake}\"\nFileV1 ( /* format: \"x\" /* nested */ */ version: 2, \
             contributors: [\"sha256: \\\"{fake}\\\"\", r#\"a\"b\"#], article: ArticleRecord(\
             title: \"t\\\", sha256: \\\"{fake}\", source: None, chars: 3, sha256: \"{real}\"), \
             format: \"factmark\")",
            fake = "f".repeat(64),
            real = "e".repeat(64)
        );
        assert_eq!(
            head(&tricky),
            Head {
                format: Some("factmark".into()),
                title: Some(format!("t\", sha256: \"{}", "f".repeat(64))),
                source: None,
                sha256: Some("e".repeat(64)),
            }
        );
    }

    #[test]
    fn a_cut_or_strange_head_reads_as_unknown_never_as_something_else() {
        let set = set_on(TEXT);
        let text = to_ron_with(&set, Some("a.txt"), true).unwrap_or_default();
        let sha_at = text.find("sha256").unwrap_or_default();
        // Cut anywhere before the fingerprint's end: never a wrong fingerprint.
        for cut in (0..sha_at + 80).filter(|&i| text.is_char_boundary(i)) {
            let got = head(&text[..cut]).sha256;
            assert!(
                got.is_none() || got == Some(sha(TEXT)),
                "cut at {cut}: {got:?}"
            );
        }
        for strange in [
            "",
            "[1, 2]",
            "(format: \"other\", article: (sha256: \"x\"))",
            "(format: factmark)",
            "(((((((((((((((((((((((((((((((((((((((((((((((((((((",
            "(a: /* unclosed",
            "(format: \"factmark\" article: (sha256: \"x\"))",
        ] {
            let got = head(strange);
            assert!(
                got.format.as_deref() != Some("factmark") || got.sha256.is_none(),
                "{strange}: {got:?}"
            );
        }
    }

    proptest::proptest! {
        /// Any sequence of RON pieces after a factmark file's opening is read
        /// without a panic.
        #[test]
        fn any_head_is_read_without_panicking(pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "(", ")", "[", "]", "{", "}", "\"", "\\", "r#\"", "\"#", "r\"", ":", ",", "/*",
                "*/", "//", "\n", " ", "title", "sha256", "source", "text", "Some", "None",
                "\"factmark\"", "é", "1",
            ]),
            0..60,
        )) {
            let _ = read_head(&format!("(format: \"factmark\", article: ({}", pieces.concat()));
        }
    }

    fn write(path: &Path, text: &str) {
        fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    fn save(path: &Path, set: &AnnotationSet, article: Option<&Path>) {
        save_annotations(path, set, article, false).unwrap_or_else(|e| panic!("{e}"));
    }

    fn found(article: &Path, text: &str) -> Vec<(String, Belongs, bool, Option<usize>)> {
        let found = annotations_for_article(article, &sha(text));
        found
            .into_iter()
            .map(|c| {
                let name = c.path.file_name().map(|n| n.to_string_lossy().into_owned());
                (name.unwrap_or_default(), c.belongs, c.same_text, c.claims)
            })
            .collect()
    }

    #[test]
    fn the_files_of_an_article_are_found_surest_first() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let article = dir.path().join("x.txt");
        write(&article, TEXT);
        let namesake = dir.path().join("x.v2.ron");
        write(
            &namesake,
            &format!("(format: \"cargo\", sha256: \"{}\")", sha(TEXT)),
        );
        let v2 = dir.path().join("x.v2.txt");
        write(&v2, TEXT);
        // A path shown to be absolute is not looked up.
        let absolute = fs::canonicalize(&article).unwrap_or_else(|e| panic!("{e}"));
        let older_set = set_on(&format!("{TEXT} An older ending."));
        let by_absolute_path = to_ron_with(&older_set, absolute.to_str(), false);
        write(
            &dir.path().join("absolute.ron"),
            &by_absolute_path.unwrap_or_else(|e| panic!("{e}")),
        );
        assert_eq!(found(&article, TEXT), [], "none yet");
        assert_eq!(found(&v2, TEXT), [], "a namesake that is not factmark's");
        save(&namesake, &set_on(TEXT), None);
        assert_eq!(
            found(&v2, TEXT),
            [("x.v2.ron".into(), Belongs::SameName, true, Some(1))]
        );
        fs::remove_file(&namesake).unwrap_or_else(|e| panic!("{e}"));
        // The same name, saved on an older version of the text.
        let older = format!("{TEXT} An older ending.");
        save(&dir.path().join("x.ron"), &set_on(&older), Some(&article));
        assert_eq!(
            found(&article, TEXT),
            [("x.ron".into(), Belongs::SameName, false, Some(1))]
        );
        // One naming the article by its path, one on the same text elsewhere,
        // one on another article, and a decoy that is not factmark's.
        fs::create_dir_all(dir.path().join("sub")).unwrap_or_else(|e| panic!("{e}"));
        let moved = dir.path().join("sub/moved.txt");
        write(&moved, TEXT);
        save(
            &dir.path().join("b-notes.ron"),
            &set_on(&older),
            Some(&article),
        );
        save(&dir.path().join("a-copy.ron"), &set_on(TEXT), Some(&moved));
        save(
            &dir.path().join("other.ron"),
            &set_on("Another article."),
            None,
        );
        write(
            &dir.path().join("decoy.ron"),
            &format!("(format: \"cargo\", article: (sha256: \"{}\"))", sha(TEXT)),
        );
        write(&dir.path().join("notes.txt"), "not an annotation file");
        assert_eq!(
            found(&article, TEXT),
            [
                ("x.ron".into(), Belongs::SameName, false, Some(1)),
                ("b-notes.ron".into(), Belongs::RecordedPath, false, Some(1)),
                ("a-copy.ron".into(), Belongs::Fingerprint, true, Some(1)),
            ]
        );
        // Found the same way from a relative path and for an article without
        // a file of its name; a `.ron` article has no namesake.
        let moved_found = found(&moved, TEXT);
        assert_eq!(moved_found, [], "sub/ holds no annotation files");
        let ron_article = dir.path().join("a-copy.ron");
        assert!(
            found(&ron_article, "Another article.")
                .iter()
                .all(|c| c.1 != Belongs::SameName)
        );
    }

    #[test]
    fn a_huge_file_is_read_only_as_far_as_its_head() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let article = dir.path().join("x.txt");
        write(&article, TEXT);
        // A 300 MB file (sparse: its tail reads as zeros) whose head records
        // the article: found, its claims not counted, quickly.
        let head = to_ron_with(&set_on(TEXT), None, false).unwrap_or_default();
        let huge = dir.path().join("huge.ron");
        write(
            &huge,
            &head[..head.find("contributors").unwrap_or(head.len())],
        );
        fs::OpenOptions::new()
            .write(true)
            .open(&huge)
            .and_then(|f| f.set_len(300 << 20))
            .unwrap_or_else(|e| panic!("{e}"));
        let started = std::time::Instant::now();
        assert_eq!(
            found(&article, TEXT),
            [("huge.ron".into(), Belongs::Fingerprint, true, None)]
        );
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_folder_and_hidden_or_unreadable_files_are_passed_over() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let (folder, outside) = (dir.path().join("articles"), dir.path().join("private"));
        for d in [&folder, &outside] {
            fs::create_dir_all(d).unwrap_or_else(|e| panic!("{e}"));
        }
        let article = folder.join("x.txt");
        write(&article, TEXT);
        let theirs = outside.join("notes.ron");
        save(&theirs, &set_on(TEXT), None);
        for name in ["x.ron", "link.ron"] {
            std::os::unix::fs::symlink(&theirs, folder.join(name))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        save(&folder.join(".hidden.ron"), &set_on(TEXT), None);
        std::os::unix::fs::symlink("/dev/zero", folder.join("zero.ron"))
            .unwrap_or_else(|e| panic!("{e}"));
        fs::create_dir_all(folder.join("dir.ron")).unwrap_or_else(|e| panic!("{e}"));
        write(&folder.join("bad.ron"), "\u{0}\u{ff}");
        fs::write(folder.join("latin1.ron"), b"(format: \"factmark\", \xe9").unwrap_or_default();
        assert_eq!(found(&article, TEXT), []);
        // A link to a file inside the folder's tree is followed, and named as the link.
        fs::create_dir_all(folder.join("sub")).unwrap_or_else(|e| panic!("{e}"));
        save(&folder.join("sub/real.ron"), &set_on(TEXT), None);
        std::os::unix::fs::symlink("sub/real.ron", folder.join("inside.ron"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            found(&article, TEXT),
            [("inside.ron".into(), Belongs::Fingerprint, true, Some(1))]
        );
    }

    #[test]
    fn no_more_than_the_documented_number_of_files_is_looked_at() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let article = dir.path().join("x.txt");
        write(&article, TEXT);
        let text = to_ron_with(&set_on(TEXT), None, false).unwrap_or_default();
        for i in 0..MAX_CANDIDATES + 20 {
            write(&dir.path().join(format!("n{i:04}.ron")), &text);
        }
        write(&dir.path().join("x.ron"), &text);
        let found = found(&article, TEXT);
        assert_eq!(found.len(), MAX_CANDIDATES);
        assert_eq!(found[0].0, "x.ron", "the namesake always counts");
        assert_eq!(found[1].0, "n0000.ron");
        assert_eq!(found.last().map(|c| c.0.as_str()), Some("n0498.ron"));
    }
}
