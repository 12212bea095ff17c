//! Hostile and broken files: every annotation file and article in
//! `tests/fixtures/hostile/` (plus a few generated ones too big to commit)
//! must end in a clear message or a sound set of claims. Never a panic, a
//! hang, memory without bound, a non-web link or an article read from a path
//! the user did not confirm.
//!
//! Corpus conventions: `ok-*.ron` must open, `bad-*.ron` must be refused, and
//! an optional first line `// expect: WORDS` names, for a refused file, words
//! its message must contain, and for an opened file where its article came
//! from (`file`, `embedded`, `known`, `missing` or `unconfirmed`). `*.txt` files are
//! articles; they are copied beside the `.ron` files, as is the reference
//! article at `../assets/articles/peace-talks.txt`.

#[path = "common/messages.rs"]
mod messages;
use factmark::format::{self, ArticleOrigin, FormatError, limits};
use factmark::model::{AnnotationSet, Article, EditContext, Evidence};
use std::fs;
use std::path::{Path, PathBuf};

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = repo_file("tests/fixtures/hostile");
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let bytes = fs::read(e.path()).unwrap_or_else(|err| panic!("{name}: {err}"));
            (name, bytes)
        })
        .collect();
    files.sort();
    assert!(files.len() > 50, "the corpus is there");
    files
}

fn annotation_files() -> Vec<(String, Vec<u8>)> {
    corpus()
        .into_iter()
        .filter(|(name, _)| name.ends_with(".ron"))
        .collect()
}

/// The words after `// expect:` on the first line, if any.
fn expectation(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next()?;
    Some(first.strip_prefix("// expect:")?.trim().to_owned())
}

/// The corpus laid out as a user would have it: `saves/` with every corpus
/// file, `assets/articles/peace-talks.txt` one folder up (outside the files'
/// folder, so not read: files naming it open on the built-in reference
/// article, known by its fingerprint).
fn layout() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let saves = dir.path().join("saves");
    let articles = dir.path().join("assets/articles");
    fs::create_dir_all(&saves).unwrap_or_else(|e| panic!("{e}"));
    fs::create_dir_all(&articles).unwrap_or_else(|e| panic!("{e}"));
    fs::copy(
        repo_file("assets/articles/peace-talks.txt"),
        articles.join("peace-talks.txt"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for (name, bytes) in corpus() {
        fs::write(saves.join(&name), bytes).unwrap_or_else(|e| panic!("{e}"));
    }
    (dir, saves)
}

fn reference_article() -> Article {
    format::load_article(&repo_file("assets/articles/peace-talks.txt"))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A message a person can read: a sentence, not Debug output, not a novel,
/// and nothing a terminal would act on.
fn assert_clear(name: &str, err: &FormatError) {
    let message = err.to_string();
    assert!(!message.trim().is_empty(), "{name}: empty message");
    assert!(message.len() < 1500, "{name}: message too long: {message}");
    assert!(
        !message.chars().any(char::is_control),
        "{name}: control characters in {message:?}"
    );
    let debug_output = [
        "Error {",
        "Os {",
        "kind:",
        "code:",
        "Position {",
        "Span {",
        "Some(\"",
    ];
    for &junk in messages::INTERNAL_WORDS.iter().chain(&debug_output) {
        assert!(
            !message.contains(junk),
            "{name}: Debug or internal junk {junk:?} in {message}"
        );
    }
}

/// Every claim is where the article can show it, every link the app would
/// open is a web link, and the set keeps its invariants.
fn assert_sound(name: &str, set: &AnnotationSet) {
    set.check_invariants()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let chars = set.article.char_count();
    for claim in set.claims() {
        if let Some(span) = claim.span() {
            assert!(
                span.start <= span.end && span.end <= chars,
                "{name}: claim {} at {span:?} outside the article ({chars} chars)",
                claim.id
            );
            // Slicing and context capture work on every shown span.
            let _ = set.article.slice(span.clone());
            let _ = factmark::model::Anchor::capture(&set.article, span);
        }
        for item in &claim.evidence {
            assert_web_link(name, item);
        }
    }
}

fn assert_web_link(name: &str, item: &Evidence) {
    if let Some(link) = item.web_link() {
        let lower = link.to_ascii_lowercase();
        assert!(
            lower.starts_with("http://") || lower.starts_with("https://"),
            "{name}: {link:?} would be opened"
        );
        assert!(
            !link.chars().any(|c| c.is_control() || c.is_whitespace()),
            "{name}: {link:?} would be opened"
        );
    }
}

/// Writing a loaded set and reading it back works: factmark never writes what
/// it would refuse.
fn assert_round_trip(name: &str, set: &AnnotationSet) {
    let text = format::to_ron(set, set.article_source.as_deref())
        .unwrap_or_else(|e| panic!("{name}: saving: {e}"));
    format::from_ron(&text).unwrap_or_else(|e| panic!("{name}: reading back: {e}"));
}

#[test]
fn every_corpus_file_opens_soundly_or_is_refused_clearly() {
    let (_dir, saves) = layout();
    let mut opened = 0;
    for (name, bytes) in annotation_files() {
        let path = saves.join(&name);
        let expect = expectation(&bytes);
        // The parser alone, on the text as far as it is text.
        match format::from_ron(&String::from_utf8_lossy(&bytes)) {
            Ok(parsed) => {
                let (set, _) = parsed.clone().bind(reference_article());
                assert_sound(&name, &set);
                assert_round_trip(&name, &set);
                let (set, _) = parsed.clone().bind_missing();
                assert_sound(&name, &set);
                assert_round_trip(&name, &set);
                if let Some(article) = parsed.embedded_article() {
                    let (set, _) = parsed.bind(article);
                    assert_sound(&name, &set);
                }
            }
            Err(err) => assert_clear(&name, &err),
        }
        // The loader, as the app and the command line open files.
        let loaded = format::load_annotations(&path, None);
        if name.starts_with("bad-") {
            let err = match loaded {
                Ok(_) => panic!("{name} must be refused"),
                Err(err) => err,
            };
            assert_clear(&name, &err);
            if let Some(words) = expect {
                assert!(
                    err.to_string().contains(&words),
                    "{name}: expected {words:?} in: {err}"
                );
            }
        } else {
            assert!(name.starts_with("ok-"), "{name}: name it ok-* or bad-*");
            let loaded = loaded.unwrap_or_else(|e| panic!("{name} must open: {e}"));
            opened += 1;
            assert_sound(&name, &loaded.set);
            assert_round_trip(&name, &loaded.set);
            let origin = match &loaded.article {
                ArticleOrigin::File(_) => "file",
                ArticleOrigin::Embedded => "embedded",
                ArticleOrigin::Known => "known",
                ArticleOrigin::Page(_) => "page",
                ArticleOrigin::Missing(_) => "missing",
                ArticleOrigin::Unconfirmed { .. } => "unconfirmed",
            };
            if let Some(expected) = expect {
                assert_eq!(origin, expected, "{name}: where the article came from");
            }
            if let ArticleOrigin::Unconfirmed { .. } = loaded.article {
                // Nothing was read from the path: the text is the stand-in.
                assert!(loaded.set.missing_article.is_some(), "{name}");
                assert!(!loaded.set.article.text().contains("root:"), "{name}");
            }
        }
        // Bad files are never changed by being opened.
        assert_eq!(
            fs::read(&path).unwrap_or_default(),
            bytes,
            "{name} unchanged"
        );
    }
    assert!(opened > 20, "{opened} files opened");
}

#[test]
fn evidence_links_other_than_web_links_never_open() {
    let (_dir, saves) = layout();
    let loaded = format::load_annotations(&saves.join("ok-evidence-links.ron"), None)
        .unwrap_or_else(|e| panic!("{e}"));
    let evidence = &loaded.set.claims()[0].evidence;
    assert!(evidence.len() > 20);
    let opened: Vec<&str> = evidence.iter().filter_map(Evidence::web_link).collect();
    // The plain web links; one holding a right-to-left override (it would
    // display as `…/exe.png`) does not open either.
    assert_eq!(
        opened,
        ["http://ok.example/a", "HTTPS://OK.EXAMPLE/B"],
        "only web links open"
    );
}

#[test]
fn every_corpus_article_loads_or_is_refused_clearly() {
    let (_dir, saves) = layout();
    for (name, bytes) in corpus() {
        if !name.ends_with(".txt") {
            continue;
        }
        match format::load_article(&saves.join(&name)) {
            Ok(article) => {
                let text = String::from_utf8_lossy(&bytes);
                assert!(format::check_article_text(&text).is_ok(), "{name}");
                assert!(!article.text().contains('\r'), "{name}: normalised");
                assert!(!article.text().starts_with('\u{feff}'), "{name}: BOM");
                assert_eq!(article.char_count(), article.text().chars().count());
                // Every file's claims can be bound to it.
                let parsed = format::from_ron(
                    &fs::read_to_string(repo_file("saves/peace-talks.ron")).unwrap_or_default(),
                )
                .unwrap_or_else(|e| panic!("{e}"));
                let (set, _) = parsed.bind(article);
                assert_sound(&name, &set);
            }
            Err(err) => {
                assert_clear(&name, &err);
                assert!(name.contains("invalid-utf8"), "{name}: {err}");
            }
        }
    }
}

#[test]
fn an_article_of_ten_megabytes_of_newlines_is_refused() {
    let text = "\n".repeat(10 * 1024 * 1024);
    let err = format::check_article_text(&text)
        .err()
        .unwrap_or_else(|| panic!("10 MB of newlines must be refused"));
    assert_clear("newlines", &err);
    assert!(err.to_string().contains("2,000,000 lines"), "{err}");
    let crs = "\r".repeat(limits::MAX_ARTICLE_LINES);
    assert!(format::check_article_text(&crs).is_err(), "CR counts too");
    let crlfs = "\r\n".repeat(limits::MAX_ARTICLE_LINES - 1);
    assert!(
        format::check_article_text(&crlfs).is_ok(),
        "CRLF is one line"
    );
    // Carried inside a file (written with escapes, 2 bytes per line), too.
    let file = minimal_file(
        &format!(
            "text: Some(\"{}\")",
            "\\n".repeat(limits::MAX_ARTICLE_LINES)
        ),
        "",
    );
    let err = format::from_ron(&file).err();
    assert!(
        matches!(&err, Some(FormatError::OverLimit(m)) if m.contains("carried in this file")),
        "{err:?}"
    );
    // …and in raw form, just below the limit, it opens.
    let file = minimal_file(
        &format!(
            "text: Some(\"{}\")",
            "\n".repeat(limits::MAX_ARTICLE_LINES - 1)
        ),
        "",
    );
    let parsed = format::from_ron(&file).unwrap_or_else(|e| panic!("{e}"));
    let article = parsed
        .embedded_article()
        .unwrap_or_else(|| panic!("carried"));
    assert_eq!(article.line_count(), limits::MAX_ARTICLE_LINES);
}

/// A file with nothing but `article` (extra fields appended inside it) and
/// `rest` after it.
fn minimal_file(article_extra: &str, rest: &str) -> String {
    format!(
        "(format: \"factmark\", version: 1, article: (title: \"t\", sha256: \"\", chars: 0, \
         {article_extra}), {rest})"
    )
}

fn claim_with(id: usize, fields: &str) -> String {
    format!("(id: \"c-{id}\", anchor: (start: 0, end: 1, exact: \"x\"), status: Agreed, {fields}),")
}

#[test]
fn nesting_a_hundred_thousand_deep_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    for (open, close) in [("[", "]"), ("(", ")"), ("{", "}"), ("Some(", ")")] {
        let nest = format!("{}{}", open.repeat(depth), close.repeat(depth));
        for text in [
            nest.clone(),
            minimal_file("", &format!("claims: {nest}")),
            minimal_file("", &format!("hologram: {nest}")),
            minimal_file(&format!("source: {nest}"), ""),
            minimal_file(
                "",
                &format!("claims: [{}]", claim_with(1, &format!("claimant: {nest}"))),
            ),
            minimal_file(
                "",
                &format!("claims: [{}]", claim_with(1, &format!("stances: {nest}"))),
            ),
        ] {
            let err = format::from_ron(&text)
                .err()
                .unwrap_or_else(|| panic!("{open}: must be refused"));
            assert_clear(open, &err);
        }
    }
    let err = format::from_ron(&minimal_file(
        "",
        &format!("hologram: {}", "[".repeat(depth)),
    ))
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    // Refused by its name, before the nesting is read.
    assert!(err.contains("a field `hologram`"), "{err}");
}

#[test]
fn lists_over_their_limits_are_refused_while_parsing() {
    let cases = [
        (
            // 300,000 empty evidence items: 900 KB of file, 21 MB as records.
            format!(
                "claims: [{}]",
                (0..300)
                    .map(|i| claim_with(i, &format!("evidence: [{}]", "(),".repeat(1000))))
                    .collect::<String>()
            ),
            "200,000 evidence items",
        ),
        (
            format!(
                "claims: [{}]",
                claim_with(1, &format!("evidence: [{}]", "(),".repeat(1001)))
            ),
            "1,000 evidence items",
        ),
        (
            format!(
                "claims: [{}]",
                claim_with(
                    1,
                    &format!(
                        "stances: {{{}}}",
                        (0..1001)
                            .map(|i| format!("\"p{i}\": Agrees,"))
                            .collect::<String>()
                    )
                )
            ),
            "1,000 stances",
        ),
        (
            format!(
                "parties: [{}]",
                (0..1001)
                    .map(|i| format!("(id: \"p{i}\", name: \"P\", color: \"#000000\"),"))
                    .collect::<String>()
            ),
            "1,000 parties",
        ),
        (
            format!("contributors: [{}]", "\"\",".repeat(10_001)),
            "10,000 contributors",
        ),
        (
            format!(
                "claims: [{}]",
                "(id: \"\", anchor: (start: 0, end: 0, exact: \"\"), status: Agreed),"
                    .repeat(150_001)
            ),
            "150,000 claims",
        ),
    ];
    for (rest, expected) in cases {
        let err = format::from_ron(&minimal_file("", &rest)).err();
        match &err {
            Some(FormatError::OverLimit(message)) => {
                assert!(message.contains(expected), "{expected}: {message}")
            }
            other => panic!("{expected}: {other:?}"),
        }
        if let Some(err) = err {
            assert_clear(expected, &err);
        }
    }
}

#[test]
fn strings_over_their_limits_are_refused_with_the_field_named() {
    let mb = 1024 * 1024;
    let long = |n: usize| "x".repeat(n);
    let cases = [
        (
            claim_with(1, "").replace("exact: \"x\"", &format!("exact: \"{}\"", long(mb + 1))),
            "its quote",
        ),
        (
            claim_with(1, "").replace(
                "exact: \"x\"",
                &format!("exact: \"x\", prefix: \"{}\"", long(1025)),
            ),
            "its prefix",
        ),
        (
            claim_with(1, &format!("note: \"{}\"", long(256 * 1024 + 1))),
            "its note",
        ),
        (
            claim_with(
                1,
                &format!("evidence: [(url: \"https://{}\")]", long(8 * 1024)),
            ),
            "its evidence link",
        ),
        (
            claim_with(1, &format!("author: \"{}\"", long(1025))),
            "its author",
        ),
        (claim_with(1, "").replace("c-1", &long(1025)), "a claim id"),
    ];
    for (claim, expected) in cases {
        let err = format::from_ron(&minimal_file("", &format!("claims: [{claim}]"))).err();
        assert!(
            matches!(&err, Some(FormatError::OverLimit(m)) if m.contains(expected)),
            "{expected}: {:?}",
            err.map(|e| e.to_string())
        );
    }
    // 17 quotes of 1 MB: each within its limit, 17 MB in all.
    let claims: String = (0..17)
        .map(|i| claim_with(i, "").replace("exact: \"x\"", &format!("exact: \"{}\"", long(mb))))
        .collect();
    let err = format::from_ron(&minimal_file("", &format!("claims: [{claims}]"))).err();
    assert!(
        matches!(&err, Some(FormatError::OverLimit(m)) if m.contains("16 MB of quotes")),
        "{:?}",
        err.map(|e| e.to_string())
    );
    // Quotes full of line breaks would make the stand-in text too long.
    let claims: String = (0..3)
        .map(|i| {
            claim_with(i, "").replace("exact: \"x\"", &format!("exact: \"{}\"", "\n".repeat(mb)))
        })
        .collect();
    let err = format::from_ron(&minimal_file("", &format!("claims: [{claims}]"))).err();
    assert!(
        matches!(&err, Some(FormatError::OverLimit(m)) if m.contains("line breaks")),
        "{:?}",
        err.map(|e| e.to_string())
    );
    // Long values are quoted short in messages.
    let err = format::from_ron(
        &minimal_file("", "").replace("\"factmark\"", &format!("\"{}\"", long(mb))),
    )
    .err()
    .unwrap_or_else(|| panic!("wrong format"));
    assert_clear("format", &err);
}

#[test]
fn saving_over_a_limit_fails_with_the_reason_and_writes_nothing() {
    let loaded = format::load_annotations(&repo_file("saves/peace-talks.ron"), None)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut doc = factmark::model::Document::new(loaded.set);
    let id = doc.set().claims()[0].id.clone();
    let ctx = EditContext {
        author: "tester".into(),
        now: jiff::Timestamp::UNIX_EPOCH,
    };
    doc.apply(
        factmark::model::Edit::SetNote {
            claim: id,
            note: "n".repeat(limits::MAX_NOTE_BYTES + 1),
        },
        &ctx,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let err = format::to_ron(doc.set(), None).err();
    assert!(
        matches!(&err, Some(FormatError::OverLimit(m)) if m.contains("its note")),
        "{err:?}"
    );
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("x.ron");
    assert!(format::save_annotations(&path, doc.set(), None, false).is_err());
    assert!(!path.exists(), "nothing written");
}

#[test]
fn the_command_line_survives_every_corpus_file() {
    // The real binary, as a user or a script runs it: a panic would show as
    // exit code 101, a crash as no exit code at all.
    let (_dir, saves) = layout();
    let run = |args: &[&std::ffi::OsStr]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_factmark"))
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("could not run factmark: {e}"));
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (out.status.code(), text(&out.stdout), text(&out.stderr))
    };
    let article = repo_file("assets/articles/peace-talks.txt");
    let reference = repo_file("saves/peace-talks.ron");
    for (i, (name, bytes)) in annotation_files().into_iter().enumerate() {
        let file = saves.join(&name);
        let ok = name.starts_with("ok-");
        let (code, out, err) = run(&["check".as_ref(), file.as_os_str()]);
        assert!(
            matches!(code, Some(0 | 1)),
            "{name}: check exited {code:?}: {err}"
        );
        assert!(
            out.starts_with(&file.display().to_string()),
            "{name}: {out}"
        );
        if ok {
            assert!(out.contains(" claims"), "{name}: {out}");
        } else {
            assert_eq!(code, Some(1), "{name}: a refused file fails the check");
            if let Some(words) = expectation(&bytes) {
                assert!(out.contains(words.as_str()), "{name}: {out}");
            }
        }
        let refused =
            |code: Option<i32>, err: &str| code == Some(1) && err.starts_with("factmark: ");
        let (code, out, err) = run(&["stats".as_ref(), file.as_os_str()]);
        match ok {
            true => assert!(
                code == Some(0) && out.contains("by status"),
                "{name}: {err}"
            ),
            false => assert!(refused(code, &err), "{name}: {code:?} {err}"),
        }
        let reanchor = ["reanchor".as_ref(), file.as_os_str(), article.as_os_str()];
        let (code, out, err) = run(&reanchor);
        match ok {
            true => assert!(code == Some(0) && out.contains("exact="), "{name}: {err}"),
            false => assert!(refused(code, &err), "{name}: {code:?} {err}"),
        }
        if i % 7 == 0 {
            let (code, out, err) = run(&["diff".as_ref(), reference.as_os_str(), file.as_os_str()]);
            match ok {
                true => assert!(code == Some(0) && !out.is_empty(), "{name}: {err}"),
                false => assert!(refused(code, &err), "{name}: {code:?} {err}"),
            }
        }
    }
}
