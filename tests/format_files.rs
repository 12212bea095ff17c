//! Annotation files: the golden example, round trips, small diffs, and every
//! kind of bad input the loader must refuse clearly without touching the file.

use factmark::format::{self, FormatError};
use factmark::model::{
    AnchorState, AnnotationSet, Document, Edit, EditContext, PartyId, PartyKind, Publisher, Rating,
    RatingId, Stance, Status, Verdict,
};
use std::fs;
use std::path::{Path, PathBuf};

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn example() -> format::LoadedFile {
    format::load_annotations(&repo_file("saves/peace-talks.ron"), None)
        .unwrap_or_else(|e| panic!("example: {e}"))
}

/// The example without what needs versions 3 and 4 (details, verdicts, the
/// publisher): the claims, parties and stances of a version 1 file.
fn plain_example() -> Document {
    let full = example().set;
    let mut claims = full.claims().to_vec();
    for claim in &mut claims {
        claim.verdict = None;
    }
    let mut set = AnnotationSet::from_parts(full.article.clone(), full.parties().to_vec(), claims);
    set.contributors = full.contributors.clone();
    Document::new(set)
}

fn plain_example_text() -> String {
    let text = format::to_ron(plain_example().set(), Some("peace-talks.txt"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains("version: 1,"), "{text}");
    text
}

fn ctx() -> EditContext {
    EditContext {
        author: "tester".into(),
        now: jiff::Timestamp::UNIX_EPOCH,
    }
}

#[test]
fn the_example_file_holds_the_reference_claim() {
    let loaded = example();
    assert!(loaded.report.fingerprint_matches);
    assert_eq!(loaded.report.unplaced, 0);
    let set = &loaded.set;
    assert_eq!(
        set.article.sha256(),
        "4c0079181c8f815cc58e7851936a1b5aeef8a8ee92fe131808ecbcfc5cd05c6b"
    );
    let claim = set
        .claims()
        .iter()
        .find(|c| c.anchor.exact == "satisfactory");
    let claim = claim.unwrap_or_else(|| panic!("no “satisfactory” claim"));
    assert_eq!((claim.anchor.start, claim.anchor.end), (2374, 2386));
    assert_eq!(claim.status, Status::Disputed);
    assert_eq!(claim.claimant, Some(PartyId("russia".into())));
    assert_eq!(
        claim.stances.get(&PartyId("russia".into())),
        Some(&Stance::Agrees)
    );
    assert_eq!(
        claim.stances.get(&PartyId("ukraine".into())),
        Some(&Stance::Disputes)
    );
    let prisoners = set
        .claims()
        .iter()
        .find(|c| c.anchor.exact.contains("1,000 prisoners"));
    assert_eq!(prisoners.map(|c| c.status), Some(Status::Agreed));
    let withdrawal = set
        .claims()
        .iter()
        .find(|c| c.anchor.exact.contains("withdrawal of Ukrainian troops"));
    assert_eq!(withdrawal.map(|c| c.status), Some(Status::Disputed));
    assert!(
        set.claims()
            .iter()
            .any(|c| c.anchor.exact.contains("unrealistic and one-sided"))
    );
    assert!(set.claims().len() >= 6);
}

#[test]
fn loading_and_saving_the_example_gives_identical_bytes() {
    let original = fs::read_to_string(repo_file("saves/peace-talks.ron")).unwrap_or_default();
    let loaded = example();
    let again = format::to_ron(&loaded.set, loaded.set.article_source.as_deref())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, original);
    assert!(!again.contains('\r'));
    // Saving through the atomic writer into a copy of the layout is identical too.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    fs::create_dir_all(dir.path().join("saves")).unwrap_or_default();
    fs::create_dir_all(dir.path().join("assets/articles")).unwrap_or_default();
    let article = dir.path().join("assets/articles/peace-talks.txt");
    fs::copy(repo_file("assets/articles/peace-talks.txt"), &article).unwrap_or_default();
    let target = dir.path().join("saves/peace-talks.ron");
    format::save_annotations(&target, &loaded.set, Some(&article), false)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fs::read_to_string(&target).unwrap_or_default(), original);
}

#[test]
fn claims_are_written_in_text_order_with_sorted_stances() {
    let text = fs::read_to_string(repo_file("saves/peace-talks.ron")).unwrap_or_default();
    let starts: Vec<usize> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("start: "))
        .filter_map(|n| n.trim_end_matches(',').parse().ok())
        .collect();
    assert!(starts.len() >= 6);
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
}

#[test]
fn one_edit_gives_a_small_diff() {
    let loaded = example();
    let before = format::to_ron(&loaded.set, loaded.set.article_source.as_deref())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut doc = Document::new(loaded.set);
    let id = doc.set().claims()[1].id.clone();
    doc.apply(
        Edit::SetStatus {
            claim: id,
            status: Status::Disputed,
        },
        &ctx(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let after = format::to_ron(doc.set(), doc.set().article_source.as_deref())
        .unwrap_or_else(|e| panic!("{e}"));
    let changed = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(before.lines().count(), after.lines().count());
    assert!(
        changed <= 3,
        "{changed} lines changed: status, status_chosen, modified"
    );
}

#[test]
fn round_trip_keeps_every_field() {
    let loaded = example();
    let text = format::to_ron(&loaded.set, Some("x.txt")).unwrap_or_else(|e| panic!("{e}"));
    let parsed = format::from_ron(&text).unwrap_or_else(|e| panic!("{e}"));
    let (set, report) = parsed.bind(loaded.set.article.clone());
    assert!(report.fingerprint_matches);
    assert_eq!(set.claims(), loaded.set.claims());
    assert_eq!(set.parties(), loaded.set.parties());
    assert_eq!(set.article.title(), loaded.set.article.title());
}

fn load_text(text: &str) -> Result<format::ParsedFile, FormatError> {
    format::from_ron(text)
}

#[test]
fn malformed_and_truncated_files_report_line_and_column() {
    let good = fs::read_to_string(repo_file("saves/peace-talks.ron")).unwrap_or_default();
    let truncated = &good[..good.len() / 2];
    let err = load_text(truncated)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.starts_with("line "), "{err}");
    let err = load_text("(format: \"factmark\", version: 1, article: (title: 5))").err();
    assert!(
        matches!(err, Some(FormatError::Syntax { line: 1, .. })),
        "{err:?}"
    );
    for junk in [
        "",
        "   ",
        "not ron at all",
        "[1, 2, 3]",
        "\u{0}\u{0}",
        "(((((((((((",
    ] {
        assert!(load_text(junk).is_err(), "{junk:?} must be refused");
    }
}

#[test]
fn wrong_format_and_newer_versions_are_refused_before_reading_the_rest() {
    let err = load_text("(format: \"brat\", version: 1)").err();
    assert!(
        matches!(err, Some(FormatError::WrongFormat(ref f)) if f == "brat"),
        "{err:?}"
    );
    // A newer file may have fields this version does not know: still a clear message.
    let newer = "(format: \"factmark\", version: 7, hologram: (x: 1), article: ())";
    let err = load_text(newer).err();
    assert!(
        matches!(err, Some(FormatError::NewerVersion { found: 7 })),
        "{err:?}"
    );
    let message = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.contains("newer factmark") && message.contains("not changed"),
        "{message}"
    );
    assert!(matches!(
        load_text("(format: \"factmark\", version: 0)"),
        Err(FormatError::BadVersion(0))
    ));
}

#[test]
fn inconsistent_files_name_the_problem() {
    let good = fs::read_to_string(repo_file("saves/peace-talks.ron")).unwrap_or_default();
    let cases = [
        (
            good.replacen("claimant: Some(\"russia\")", "claimant: Some(\"mars\")", 1),
            "\"mars\"",
        ),
        (
            good.replacen("id: \"ukraine\"", "id: \"russia\"", 1),
            "used twice",
        ),
        (
            good.replacen("color: \"#c0392b\"", "color: \"red\"", 1),
            "#rrggbb",
        ),
        (good.replacen("c-dacfdd55", "c-36915b11", 1), "used twice"),
        (
            good.replacen("name: \"Ukraine\"", "name: \"  \"", 1),
            "has no name",
        ),
    ];
    for (text, expected) in cases {
        assert_ne!(text, good, "the case must change the file");
        let err = load_text(&text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains(expected), "expected {expected:?} in {err:?}");
    }
}

#[test]
fn unknown_fields_are_refused_by_name_instead_of_dropped() {
    let good = fs::read_to_string(repo_file("saves/peace-talks.ron")).unwrap_or_default();
    let cases = [
        ("version: 4,", "the file"),
        ("chars: 2423,", "the article"),
        ("color: \"#c0392b\",", "a party"),
        ("status_chosen: true,", "a claim"),
        ("exact: \"satisfactory\",", "an anchor"),
        ("supports: Some(\"ukraine\")", "an evidence item"),
        ("name: \"Example Fact Desk\",", "the publisher"),
        ("rating: \"misleading\",", "a verdict"),
    ];
    for (after, record) in cases {
        let field = if after.ends_with(',') {
            " hologram: (beam: 1),"
        } else {
            ", hologram: (beam: 1)"
        };
        let text = good.replacen(after, &format!("{after}{field}"), 1);
        assert_ne!(text, good, "{after}");
        let err = load_text(&text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        for words in ["`hologram`", record, "newer factmark", "not changed"] {
            assert!(err.contains(words), "{words:?} in {err:?}");
        }
    }
    // A newer version is still named as such, whatever fields it adds.
    let next = format::FORMAT_VERSION + 1;
    let newer = good
        .replacen("version: 4,", &format!("version: {next},"), 1)
        .replacen("chars: 2423,", "chars: 2423, hologram: 1,", 1);
    assert!(matches!(
        load_text(&newer),
        Err(FormatError::NewerVersion { found }) if found == next
    ));
}

#[test]
fn a_version_1_file_holding_conflict_marks_is_refused() {
    let good = plain_example_text();
    let marked = good.replacen(
        "modified: \"2026-11-24T14:17:54Z\",",
        "modified: \"2026-11-24T14:17:54Z\",\n            conflict: Some(\"c-36915b11\"),",
        1,
    );
    assert_ne!(marked, good);
    let err = load_text(&marked)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("version 1") && err.contains("merge conflict"),
        "{err:?}"
    );
    let as_version_2 = marked.replacen("version: 1,", "version: 2,", 1);
    assert!(load_text(&as_version_2).is_ok());
}

#[test]
fn bad_files_on_disk_are_never_changed() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cases: [(&str, &[u8]); 3] = [
        (
            "garbage.ron",
            b"(format: \"factmark\", version: 1, claims: [(id: ",
        ),
        ("latin1.ron", b"(format: \"factmark\" \xff\xfe)"),
        ("future.ron", b"(format: \"factmark\", version: 99)"),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        fs::write(&path, bytes).unwrap_or_default();
        let err = format::load_annotations(&path, None)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(!err.is_empty(), "{name} must fail");
        assert_eq!(
            fs::read(&path).unwrap_or_default(),
            bytes,
            "{name} unchanged"
        );
    }
}

/// The example file copied alone into a temp folder, as made on an article
/// that is not there (nor built in: its fingerprint is another one).
fn lonely_copy(dir: &Path) -> PathBuf {
    let path = dir.join("lonely.ron");
    let text = fs::read_to_string(repo_file("saves/peace-talks.ron")).unwrap_or_default();
    let reference = "4c0079181c8f815cc58e7851936a1b5aeef8a8ee92fe131808ecbcfc5cd05c6b";
    assert!(text.contains(reference));
    fs::write(&path, text.replace(reference, &"1".repeat(64))).unwrap_or_default();
    path
}

#[test]
fn a_missing_article_still_shows_every_claim_and_saves_them_unchanged() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = lonely_copy(dir.path());
    let loaded = format::load_annotations(&path, None).unwrap_or_else(|e| panic!("{e}"));
    match &loaded.article {
        format::ArticleOrigin::Missing(Some(expected)) => {
            assert!(
                expected.ends_with("assets/articles/peace-talks.txt"),
                "{expected:?}"
            )
        }
        other => panic!("expected a missing article, got {other:?}"),
    }
    let set = &loaded.set;
    assert!(set.missing_article.is_some());
    assert_eq!(set.claims().len(), example().set.claims().len());
    for claim in set.claims() {
        let Some(at) = claim.span() else {
            panic!("{} is shown", claim.id)
        };
        assert!(matches!(claim.anchor_state, AnchorState::Excerpt { .. }));
        assert_eq!(set.article.slice(at.clone()), claim.anchor.exact);
        // The stand-in shows the recorded context around the quote.
        let before: String = set.article.slice(0..at.start).to_owned();
        let prefix = claim.anchor.prefix.replace('\n', " ");
        assert!(before.ends_with(&prefix), "{}", claim.id);
    }
    // Nothing can be placed on the stand-in…
    let range = set.claims()[0].span().unwrap_or_default();
    assert!(set.new_claim(range.clone(), &ctx()).is_err());
    let mut doc = Document::new(set.clone());
    let anchor = factmark::model::Anchor::capture(&set.article, range);
    let moved = doc.apply(
        Edit::SetAnchor {
            claim: set.claims()[0].id.clone(),
            anchor,
        },
        &ctx(),
    );
    assert!(moved.is_err(), "claims cannot move onto the stand-in");
    // …but review works, and saving writes back the file's own anchors and fingerprint.
    let original = fs::read_to_string(&path).unwrap_or_default();
    let again =
        format::to_ron(set, set.article_source.as_deref()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, original);
    let id = set.claims()[0].id.clone();
    doc.apply(
        Edit::SetStatus {
            claim: id,
            status: Status::Agreed,
        },
        &ctx(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let edited = format::to_ron(doc.set(), set.article_source.as_deref()).unwrap_or_default();
    let changed = original
        .lines()
        .zip(edited.lines())
        .filter(|(a, b)| a != b)
        .count();
    assert!(changed <= 3, "{changed} lines differ");
}

#[test]
fn a_located_article_places_the_claims_of_a_stand_in() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let loaded =
        format::load_annotations(&lonely_copy(dir.path()), None).unwrap_or_else(|e| panic!("{e}"));
    let article = format::load_article(&repo_file("assets/articles/peace-talks.txt"))
        .unwrap_or_else(|e| panic!("{e}"));
    let (set, report) = format::ParsedFile::from_set(&loaded.set).bind(article);
    assert_eq!(report.exact, set.claims().len());
    assert!(set.missing_article.is_none());
    assert_eq!(set.claims(), example().set.claims());
}

#[test]
fn a_file_saved_with_its_article_opens_anywhere() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let set = example().set;
    let path = dir.path().join("shared.ron");
    format::save_annotations(&path, &set, None, true).unwrap_or_else(|e| panic!("{e}"));
    let text = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        text.contains("text: Some(\"In a long-awaited"),
        "the article is carried"
    );
    let loaded = format::load_annotations(&path, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.article, format::ArticleOrigin::Embedded);
    assert!(loaded.embedded);
    assert!(loaded.report.fingerprint_matches);
    assert_eq!(loaded.set.article.text(), set.article.text());
    assert_eq!(loaded.set.claims(), set.claims());
    // Saving again with the article gives the same bytes.
    let again = format::to_ron_with(&loaded.set, loaded.set.article_source.as_deref(), true)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, text);
    // A stand-in is never embedded as if it were the article.
    let missing =
        format::load_annotations(&lonely_copy(dir.path()), None).unwrap_or_else(|e| panic!("{e}"));
    let written = format::to_ron_with(&missing.set, None, true).unwrap_or_default();
    assert!(!written.contains("text:"), "{written}");
}

#[test]
fn the_recorded_article_wins_over_the_carried_copy_when_they_agree() {
    let set = example().set;
    let text = format::to_ron_with(&set, Some("assets/articles/peace-talks.txt"), true)
        .unwrap_or_else(|e| panic!("{e}"));
    let path = repo_file("saves/peace-talks.ron");
    let parsed = format::from_ron(&text).unwrap_or_else(|e| panic!("{e}"));
    assert!(parsed.embedded.is_some());
    // Written above the article's folder, it finds the real article file.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    fs::create_dir_all(dir.path().join("assets/articles")).unwrap_or_default();
    let article = dir.path().join("assets/articles/peace-talks.txt");
    fs::copy(repo_file("assets/articles/peace-talks.txt"), &article).unwrap_or_default();
    let copy = dir.path().join("peace-talks.ron");
    fs::write(&copy, &text).unwrap_or_default();
    let loaded = format::load_annotations(&copy, None).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(loaded.article, format::ArticleOrigin::File(_)));
    // If that file has changed, the carried copy (what the claims were made on) is used.
    fs::write(&article, "Something else entirely.").unwrap_or_default();
    let loaded = format::load_annotations(&copy, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.article, format::ArticleOrigin::Embedded);
    assert_eq!(loaded.report.exact, loaded.set.claims().len());
    assert!(path.is_file());
}

#[test]
fn article_paths_leading_away_are_not_read_without_asking() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let nested = dir.path().join("a/b/c");
    fs::create_dir_all(&nested).unwrap_or_default();
    let secret = dir.path().join("secret.txt");
    fs::write(&secret, "private words").unwrap_or_default();
    // On an article factmark does not know (else it would open on that).
    let original = fs::read_to_string(lonely_copy(dir.path())).unwrap_or_default();
    let source = "source: Some(\"../assets/articles/peace-talks.txt\")";
    assert!(original.contains(source));
    for hostile in [
        secret.display().to_string(),
        "../../../secret.txt".to_owned(),
    ] {
        let path = nested.join("mail.ron");
        fs::write(
            &path,
            original.replace(source, &format!("source: Some({hostile:?})")),
        )
        .unwrap_or_default();
        let loaded = format::load_annotations(&path, None).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            matches!(&loaded.article, format::ArticleOrigin::Unconfirmed { resolved, .. } if resolved.ends_with("secret.txt")),
            "{hostile}: {:?}",
            loaded.article
        );
        assert!(!loaded.set.article.text().contains("private"));
        // Saved "with article", the private file is still not carried off.
        let out = format::to_ron_with(&loaded.set, None, true).unwrap_or_default();
        assert!(!out.contains("private"));
    }
}

#[test]
fn a_mailed_file_cannot_read_a_secret_one_folder_up_or_in_a_hidden_folder() {
    // ~/Downloads/evil.ron names ../.aws/credentials (one folder up, which
    // the old rule allowed); a file saved in ~ names .ssh/id_rsa with no `..`.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let home = dir.path();
    for folder in ["Downloads", ".aws", ".ssh"] {
        fs::create_dir_all(home.join(folder)).unwrap_or_default();
    }
    let secret = "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG";
    fs::write(
        home.join(".aws/credentials"),
        format!("[default]\n{secret}\n"),
    )
    .unwrap_or_default();
    fs::write(
        home.join(".ssh/id_rsa"),
        format!("-----BEGIN KEY-----\n{secret}\n"),
    )
    .unwrap_or_default();
    let evil = |source: &str| {
        format!(
            "(format: \"factmark\", version: 1, article: (title: \"t\", source: Some({source:?}), \
             sha256: \"{}\", chars: 3), claims: [(id: \"c\", anchor: (start: 0, end: 21, exact: \
             \"aws_secret_access_key\", prefix: \"\", suffix: \"\"), status: Unreviewed)])",
            "0".repeat(64)
        )
    };
    for (file, source) in [
        (home.join("Downloads/evil.ron"), "../.aws/credentials"),
        (home.join("evil.ron"), ".ssh/id_rsa"),
    ] {
        fs::write(&file, evil(source)).unwrap_or_default();
        let loaded = format::load_annotations(&file, None).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            matches!(loaded.article, format::ArticleOrigin::Unconfirmed { .. }),
            "{source}: {:?}",
            loaded.article
        );
        assert!(!loaded.set.article.text().contains("wJalr"), "{source}");
        // Saving (with or without the article) writes nothing of the secret.
        let saved = format::to_ron_with(&loaded.set, loaded.set.article_source.as_deref(), true)
            .unwrap_or_default();
        assert!(!saved.contains("wJalr"), "{source}: {saved}");
    }
}

#[test]
fn files_record_every_contributor() {
    let mut set = example().set;
    set.contributors.insert("editor".into());
    let text = format::to_ron(&set, None).unwrap_or_else(|e| panic!("{e}"));
    let parsed = format::from_ron(&text).unwrap_or_else(|e| panic!("{e}"));
    assert!(parsed.contributors.contains("editor"));
    for claim in set.claims() {
        assert!(
            parsed.contributors.contains(&claim.author),
            "{}",
            claim.author
        );
    }
}

#[test]
fn an_edited_article_places_what_it_can_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let original =
        fs::read_to_string(repo_file("assets/articles/peace-talks.txt")).unwrap_or_default();
    let edited = format!(
        "Editor's note: this report was updated.\n{}",
        original.replace("Both countries agreed to release 1,000 prisoners. ", "")
    );
    let article = dir.path().join("edited.txt");
    fs::write(&article, &edited).unwrap_or_default();
    let loaded = format::load_annotations(&repo_file("saves/peace-talks.ron"), Some(&article))
        .unwrap_or_else(|e| panic!("{e}"));
    let total = loaded.set.claims().len();
    assert!(!loaded.report.fingerprint_matches);
    assert_eq!(loaded.report.unplaced, 1, "the deleted sentence's claim");
    assert_eq!(loaded.report.moved, total - 1);
    assert!(
        loaded
            .report
            .banner()
            .unwrap_or_default()
            .contains("1 unplaced")
    );
    for claim in loaded.set.claims() {
        match claim.anchor_state {
            AnchorState::Moved { .. } => assert_eq!(
                loaded.set.article.slice(claim.anchor.range()),
                claim.anchor.exact
            ),
            AnchorState::Orphaned => assert!(claim.anchor.exact.contains("1,000 prisoners")),
            AnchorState::Exact | AnchorState::Fuzzy { .. } | AnchorState::Excerpt { .. } => {
                panic!("every quote is intact but shifted")
            }
        }
    }
    // Saving keeps the unplaced claim, with its old anchor.
    let text = format::to_ron(&loaded.set, Some("edited.txt")).unwrap_or_else(|e| panic!("{e}"));
    let reparsed = format::from_ron(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reparsed.claims.len(), total);
    assert!(
        reparsed
            .claims
            .iter()
            .any(|c| c.anchor.exact.contains("1,000 prisoners"))
    );
}

#[test]
fn a_failed_save_reports_and_leaves_the_old_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let loaded = example();
    // The parent "folder" is a file: creating the temp file fails.
    let blocker = dir.path().join("not-a-folder");
    fs::write(&blocker, "x").unwrap_or_default();
    let err = format::save_annotations(&blocker.join("a.ron"), &loaded.set, None, false).err();
    assert!(err.is_some());
    assert_eq!(fs::read_to_string(&blocker).unwrap_or_default(), "x");
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .into_iter()
        .flatten()
        .flatten()
        .collect();
    assert_eq!(leftovers.len(), 1, "no temp files left behind");
}

/// A file of `claims` realistic claims (an 80-char quote with its context, a
/// 160-char note, an evidence item, a claimant and two stances) on a text of
/// plain sentences, as saved.
fn realistic_file(claims: usize) -> String {
    let sentence = "Officials said the talks were satisfactory, though others strongly disagreed. ";
    let article = factmark::model::Article::new("t", &sentence.repeat(claims + 1));
    let mut set = factmark::model::AnnotationSet::new(article);
    for name in ["Russia", "Ukraine"] {
        let party = set.new_party(name);
        set.apply(Edit::AddParty { party, index: None }, &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let (russia, ukraine) = (PartyId("russia".into()), PartyId("ukraine".into()));
    let len = sentence.chars().count();
    for i in 0..claims {
        let start = i * len;
        let mut claim = set
            .new_claim(start..start + 80, &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        claim.claimant = Some(russia.clone());
        claim.stances.insert(russia.clone(), Stance::Agrees);
        claim.stances.insert(ukraine.clone(), Stance::Disputes);
        claim.status = Status::Disputed;
        claim.note = "Why this is disputed, with the source and its context. ".repeat(3);
        claim.evidence.push(factmark::model::Evidence {
            url: "https://example.org/news/2026/11/24/the-talks-in-istanbul.html".into(),
            quote: "A quote from the evidence page that supports the other side.".into(),
            supports: Some(ukraine.clone()),
        });
        set.apply(Edit::AddClaim(Box::new(claim)), &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    format::to_ron(&set, Some("a.txt")).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_documented_number_of_realistic_claims_fits_beside_the_largest_article() {
    // Once 90,000 realistic claims saved as 77 MB and reopening refused it:
    // the limits must agree with each other.
    let one = realistic_file(1);
    let many = realistic_file(1001);
    let per_claim = (many.len() - one.len()) as u64 / 1000;
    assert!(per_claim > 600, "a realistic claim: {per_claim} bytes");
    let largest = format::limits::MAX_ARTICLE_BYTES as u64 * 105 / 100;
    let needed = largest + format::limits::MAX_CLAIMS as u64 * per_claim;
    assert!(
        needed <= format::MAX_FILE_BYTES,
        "{} claims of {per_claim} bytes beside a {largest}-byte article need {needed} bytes",
        format::limits::MAX_CLAIMS
    );
}

#[test]
fn verdicts_are_written_as_version_3_and_read_back_and_an_unknown_rating_is_refused() {
    let mut doc = plain_example();
    let id = doc.set().claims()[0].id.clone();
    let verdict = factmark::model::Verdict {
        rating: factmark::model::RatingId("mostly-false".into()),
        explanation: "Ukraine said nothing was agreed.".into(),
    };
    doc.apply(
        Edit::SetVerdict {
            claim: id.clone(),
            verdict: Some(verdict.clone()),
        },
        &ctx(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let text = format::to_ron(doc.set(), Some("peace-talks.txt")).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains("version: 3,"), "a verdict needs version 3");
    assert!(
        text.contains(
            "verdict: Some((\n                rating: \"mostly-false\",\n                \
             explanation: \"Ukraine said nothing was agreed.\",\n            )),"
        ),
        "{text}"
    );
    let parsed = load_text(&text).unwrap_or_else(|e| panic!("{e}"));
    let claim = parsed.claims.iter().find(|c| c.id == id);
    assert_eq!(claim.and_then(|c| c.verdict.clone()), Some(verdict));
    // A rating the scale does not have, or a verdict in an older version, is refused.
    let unknown = text.replacen("\"mostly-false\"", "\"pants-on-fire\"", 1);
    let err = load_text(&unknown)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("\"pants-on-fire\", which is not a rating of the scale"),
        "{err}"
    );
    let older = text.replacen("version: 3,", "version: 2,", 1);
    let err = load_text(&older)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("a verdict on claim") && err.contains("version 3"),
        "{err}"
    );
}

#[test]
fn a_scale_of_its_own_a_publisher_and_people_are_written_as_version_4_and_read_back() {
    let mut doc = plain_example();
    let claim = doc.set().claims()[0].id.clone();
    let russia = PartyId("russia".into());
    let pants = Rating {
        value: Some(0),
        ..Rating::labelled("Pants on fire", doc.set().ratings())
    };
    let edits = [
        Edit::AddRating {
            rating: pants.clone(),
            index: Some(0),
        },
        Edit::RemoveRating(RatingId("half-true".into())),
        Edit::SetVerdict {
            claim: claim.clone(),
            verdict: Some(Verdict {
                rating: pants.id.clone(),
                explanation: String::new(),
            }),
        },
        Edit::SetPublisher(Publisher::new(
            "Example Checks".into(),
            "https://checks.example/{id}".into(),
        )),
        Edit::SetPartyKind {
            party: russia.clone(),
            kind: PartyKind::Person {
                job_title: "Envoy".into(),
            },
        },
    ];
    for edit in edits {
        doc.apply(edit, &ctx()).unwrap_or_else(|e| panic!("{e}"));
    }
    let text = format::to_ron(doc.set(), Some("peace-talks.txt")).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains("version: 4,"), "{text}");
    for written in [
        "kind: Some(Person(\n                job_title: \"Envoy\",\n            )),",
        "id: \"pants-on-fire\",",
        "claim_url: \"https://checks.example/{id}\",",
    ] {
        assert!(text.contains(written), "{written} in {text}");
    }
    let parsed = load_text(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.ratings, doc.set().ratings());
    assert_eq!(parsed.publisher, doc.set().publisher);
    assert_eq!(parsed.parties, doc.set().parties());
    assert!(!parsed.ratings.iter().any(|r| r.id.0 == "half-true"));
    // A default scale is not written at all.
    assert!(!plain_example_text().contains("ratings:"));
    // Each is refused in an older version, and a scale that breaks its rules.
    let older = text.replacen("version: 4,", "version: 3,", 1);
    let err = load_text(&older)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("a publisher") && err.contains("version 4"),
        "{err}"
    );
    for (from, to, expected) in [
        (
            "label: \"Pants on fire\",",
            "label: \" \",",
            "rating \"pants-on-fire\" (or its other version) has no label",
        ),
        (
            "id: \"true\",",
            "id: \"pants-on-fire\",",
            "is empty or used twice",
        ),
        (
            "rating: \"pants-on-fire\"",
            "rating: \"half-true\"",
            "not a rating of the scale",
        ),
        (
            "claim_url: \"https://checks.example/{id}\",",
            "claim_url: \"https://checks.example/{id}\", theirs: Some((name: \"A\", \
             theirs: Some((name: \"B\")))),",
            "the publisher's other version carries another version",
        ),
    ] {
        let broken = text.replacen(from, to, 1);
        assert_ne!(broken, text, "{from}");
        let err = load_text(&broken)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains(expected), "{expected} in {err}");
    }
}
