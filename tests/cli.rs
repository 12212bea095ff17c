//! The `factmark` binary's command line, run as a user would.

#[path = "common/http.rs"]
mod http;

use std::process::Command;

fn factmark(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_factmark"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("could not run factmark: {e}"))
}

#[test]
fn help_describes_the_arguments() {
    let out = factmark(&["--help"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Usage: factmark"), "{text}");
    assert!(
        text.contains("[PATH]") && text.contains("--article"),
        "{text}"
    );
}

#[test]
fn version_is_printed() {
    let out = factmark(&["--version"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("factmark "));
}

#[test]
fn unknown_options_fail_with_a_message() {
    let out = factmark(&["--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--frobnicate"));
}

fn repo_file(rel: &str) -> String {
    format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn reanchor_reports_every_claim_exact_on_the_original_article() {
    let out = factmark(&[
        "reanchor",
        &repo_file("saves/peace-talks.ron"),
        &repo_file("assets/articles/peace-talks.txt"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.lines().last(),
        Some("exact=8 moved=0 fuzzy=0 orphaned=0"),
        "{text}"
    );
}

/// With the text the claims were made on (`--old`), they are followed
/// through a diff: the untouched ones move with certainty and the edited
/// one is reported with what is there now; a wrong OLD is refused.
#[test]
fn reanchor_with_the_old_text_follows_the_claims_through_a_diff() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let old = repo_file("assets/articles/peace-talks.txt");
    let original = std::fs::read_to_string(&old).unwrap_or_default();
    let edited = format!(
        "Editor's note: updated.\n{}",
        original
            .replace("withdrawal", "withdrawl")
            .replace("Both countries agreed to release 1,000 prisoners. ", "")
    );
    let article = dir.path().join("edited.txt");
    std::fs::write(&article, &edited).unwrap_or_else(|e| panic!("{e}"));
    let file = repo_file("saves/peace-talks.ron");
    let article = article.to_str().unwrap_or_default().to_owned();
    let out = factmark(&["reanchor", &file, &article, "--old", &old]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("followed through a diff"), "{text}");
    assert_eq!(
        text.lines().last(),
        Some("exact=0 moved=6 fuzzy=1 orphaned=1"),
        "{text}"
    );
    assert!(
        text.contains("now \"One of Russia’s key conditions was the withdrawl"),
        "{text}"
    );
    let json = factmark(&["reanchor", &file, &article, "--old", &old, "--json"]);
    let report: serde_json::Value =
        serde_json::from_slice(&json.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report["through_diff"], true);
    // An OLD the claims were not made on is refused, by name.
    let out = factmark(&["reanchor", &file, &article, "--old", &article]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("is not the text these annotations were made on")
    );
}

#[test]
fn reanchor_after_edits_moves_fixes_and_orphans() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let original =
        std::fs::read_to_string(repo_file("assets/articles/peace-talks.txt")).unwrap_or_default();
    let edited = format!(
        "Editor's note: updated.\n{}",
        original
            .replace("withdrawal", "withdrawl")
            .replace("Both countries agreed to release 1,000 prisoners. ", "")
    );
    let article = dir.path().join("edited.txt");
    std::fs::write(&article, edited).unwrap_or_else(|e| panic!("{e}"));
    let args = [
        "reanchor",
        &repo_file("saves/peace-talks.ron"),
        article.to_str().unwrap_or_default(),
    ];
    let out = factmark(&args);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.lines().last(),
        Some("exact=0 moved=6 fuzzy=1 orphaned=1"),
        "{text}"
    );

    let json = factmark(&[args[0], args[1], args[2], "--json"]);
    let report: serde_json::Value =
        serde_json::from_slice(&json.stdout).unwrap_or_else(|e| panic!("{e}"));
    let claims = report["claims"].as_array().cloned().unwrap_or_default();
    assert_eq!(claims.len(), 8);
    let fuzzy: Vec<_> = claims.iter().filter(|c| c["state"] == "fuzzy").collect();
    assert_eq!(fuzzy.len(), 1);
    assert!(
        fuzzy[0]["quote"]
            .as_str()
            .unwrap_or_default()
            .contains("withdrawal")
    );
    assert!(fuzzy[0]["score"].as_f64().unwrap_or_default() > 0.9);
    let orphan = claims.iter().find(|c| c["state"] == "orphaned");
    assert_eq!(orphan.map(|c| c["new_start"].is_null()), Some(true));
    assert_eq!(report["counts"]["moved"], 6);
}

#[test]
fn reanchor_explains_bad_input() {
    let out = factmark(&[
        "reanchor",
        "/no/such/file.ron",
        &repo_file("assets/articles/peace-talks.txt"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/file.ron"));
    let out = factmark(&[
        "reanchor",
        &repo_file("assets/articles/peace-talks.txt"),
        &repo_file("assets/articles/peace-talks.txt"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1"));
}

#[test]
fn check_validates_files_and_names_each_problem() {
    let ok = factmark(&["check", &repo_file("saves/peace-talks.ron")]);
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).contains("8 claims, 2 parties; exact=8"));

    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "(format: \"factmark\", version: 1, claims: [(").unwrap_or_default();
    // Alone in another folder, the example still checks: its article is the
    // built-in reference article, known by its fingerprint.
    let alone = dir.path().join("alone.ron");
    std::fs::copy(repo_file("saves/peace-talks.ron"), &alone).unwrap_or_default();
    // A file on an article factmark does not know, alone: nothing to check against.
    let lonely = dir.path().join("lonely.ron");
    let example = std::fs::read_to_string(repo_file("saves/peace-talks.ron")).unwrap_or_default();
    let reference_sha = "4c0079181c8f815cc58e7851936a1b5aeef8a8ee92fe131808ecbcfc5cd05c6b";
    std::fs::write(&lonely, example.replace(reference_sha, &"0".repeat(64))).unwrap_or_default();
    let out = factmark(&[
        "check",
        &repo_file("saves/peace-talks.ron"),
        broken.to_str().unwrap_or_default(),
        alone.to_str().unwrap_or_default(),
        lonely.to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(1), "a broken file fails the check");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("broken.ron: line 1"), "{text}");
    assert!(
        text.contains("alone.ron: 8 claims, 2 parties; exact=8"),
        "{text}"
    );
    assert!(
        text.contains("lonely.ron: valid, 8 claims; the article was not found"),
        "{text}"
    );
}

#[test]
fn stats_counts_by_status_party_and_anchor() {
    let out = factmark(&["stats", &repo_file("saves/peace-talks.ron")]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Disputed     4") && text.contains("Agreed       3"),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.trim_start().starts_with("Russia")
            && l.split_whitespace().collect::<Vec<_>>() == ["Russia", "2", "3", "2"]),
        "{text}"
    );
    assert!(text.contains("exact        8"), "{text}");
}

#[test]
fn diff_lists_differences_and_agreement_worked_out_by_hand() {
    use factmark::format;
    use factmark::model::{Edit, EditContext, Status};
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let article = std::path::PathBuf::from(repo_file("assets/articles/peace-talks.txt"));
    let loaded = format::load_annotations(
        std::path::Path::new(&repo_file("saves/peace-talks.ron")),
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut set = loaded.set;
    let ctx = EditContext {
        author: "colleague".into(),
        now: jiff::Timestamp::UNIX_EPOCH,
    };
    let id_of = |set: &factmark::model::AnnotationSet, quote: &str| {
        set.claims()
            .iter()
            .find(|c| c.anchor.exact == quote)
            .map(|c| c.id.clone())
            .unwrap_or_else(|| panic!("{quote}"))
    };
    let satisfactory = id_of(&set, "satisfactory");
    let prisoners = id_of(&set, "Both countries agreed to release 1,000 prisoners");
    let edits = [
        Edit::SetStatus {
            claim: satisfactory,
            status: Status::Agreed,
        },
        Edit::RemoveClaim(prisoners),
    ];
    for edit in edits {
        set.apply(edit, &ctx).unwrap_or_else(|e| panic!("{e}"));
    }
    let start = set.article.find("1,000 prisoners", 0).unwrap_or_default();
    let claim = set.new_claim(start, &ctx).unwrap_or_else(|e| panic!("{e}"));
    set.apply(Edit::AddClaim(Box::new(claim)), &ctx)
        .unwrap_or_else(|e| panic!("{e}"));
    let theirs = dir.path().join("theirs.ron");
    format::save_annotations(&theirs, &set, Some(&article), false)
        .unwrap_or_else(|e| panic!("{e}"));

    let out = factmark(&[
        "diff",
        &repo_file("saves/peace-talks.ron"),
        theirs.to_str().unwrap_or_default(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("“satisfactory”: status Disputed → Agreed"),
        "{text}"
    );
    assert!(
        text.contains("“Both countries agreed to release 1,000 prisoners” (Agreed) only in A"),
        "{text}"
    );
    assert!(
        text.contains("“1,000 prisoners” (Unreviewed) only in B"),
        "{text}"
    );
    // 7 of 8 claims on each side match: precision = recall = f1 = 0.875.
    assert!(
        text.contains("7 of 8 (A) and 8 (B) claims match; precision=0.875 recall=0.875 f1=0.875"),
        "{text}"
    );
    // Matched statuses: A = 2 Agreed, 1 Unreviewed, 4 Disputed; B = 3, 1, 3; 6 of 7 equal.
    // po = 6/7, pe = (2·3 + 1·1 + 4·3)/49 = 19/49, kappa = (42 - 19)/(49 - 19) = 23/30.
    assert!(text.contains("observed=0.857 kappa=0.767"), "{text}");
}

#[test]
fn files_carrying_their_article_are_checked_against_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let loaded = factmark::format::load_annotations(
        std::path::Path::new(&repo_file("saves/peace-talks.ron")),
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let shared = dir.path().join("shared.ron");
    factmark::format::save_annotations(&shared, &loaded.set, None, true)
        .unwrap_or_else(|e| panic!("{e}"));
    let out = factmark(&["check", shared.to_str().unwrap_or_default()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("8 claims, 2 parties; exact=8"), "{text}");
    // Its claims compare with the original's on the carried text.
    let diff = factmark(&[
        "diff",
        &repo_file("saves/peace-talks.ron"),
        shared.to_str().unwrap_or_default(),
    ]);
    let text = String::from_utf8_lossy(&diff.stdout);
    assert!(
        text.contains("precision=1.000 recall=1.000 f1=1.000"),
        "{text}"
    );
}

#[test]
fn check_is_no_oracle_for_files_outside_the_annotation_files_folder() {
    // `check` on a mailed file must not say whether a guessed string occurs
    // in a private file one folder up (it once answered moved=1).
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let downloads = dir.path().join("Downloads");
    std::fs::create_dir_all(&downloads).unwrap_or_default();
    std::fs::create_dir_all(dir.path().join(".aws")).unwrap_or_default();
    std::fs::write(
        dir.path().join(".aws/credentials"),
        "[default]\naws_secret_access_key = abc\n",
    )
    .unwrap_or_default();
    let evil = downloads.join("evil.ron");
    std::fs::write(
        &evil,
        format!(
            "(format: \"factmark\", version: 1, article: (title: \"t\", source: \
             Some(\"../.aws/credentials\"), sha256: \"{}\", chars: 9), claims: [(id: \"c\", \
             anchor: (start: 0, end: 21, exact: \"aws_secret_access_key\"), status: Unreviewed)])",
            "0".repeat(64)
        ),
    )
    .unwrap_or_default();
    let out = factmark(&["check", evil.to_str().unwrap_or_default()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("was not read (it lies outside the annotation file's folder)"),
        "{text}"
    );
    assert!(
        !text.contains("moved=") && !text.contains("orphaned="),
        "{text}"
    );
    let stats = factmark(&["stats", evil.to_str().unwrap_or_default()]);
    let stats = String::from_utf8_lossy(&stats.stdout);
    assert!(stats.contains("moved        0"), "{stats}");
}

#[test]
fn values_from_files_cannot_forge_lines_or_hide_text_in_the_output() {
    // An id and names holding line breaks, a line separator, a soft hyphen
    // and tag characters: every line of output must still be factmark's own.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let forged = "c-1\nforged.ron: 0 claims, all fine\u{2028}\u{ad}\u{e0041}";
    let party = "Russia\nforged.ron: merged cleanly";
    let text = format!(
        "(format: \"factmark\", version: 1, article: (title: {:?}, source: None, sha256: \"{}\", \
         chars: 9), parties: [(id: \"ru\", name: {party:?}, color: \"#c0392b\")], claims: [(id: \
         {forged:?}, anchor: (start: 0, end: 3, exact: \"a\\nb\"), status: Unreviewed, claimant: \
         Some(\"ru\"))])",
        "Title\nforged.ron: ok",
        "0".repeat(64)
    );
    let file = dir.path().join("hostile.ron");
    std::fs::write(&file, text).unwrap_or_default();
    let path = file.to_str().unwrap_or_default();
    for args in [
        vec!["check", path],
        vec!["stats", path],
        vec!["diff", path, path],
        vec![
            "reanchor",
            path,
            &repo_file("assets/articles/peace-talks.txt"),
        ],
    ] {
        let out = factmark(&args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!stdout.contains("\nforged.ron"), "{args:?}: {stdout}");
        assert!(
            !stdout.contains(['\u{2028}', '\u{ad}', '\u{e0041}']),
            "{args:?}: {stdout}"
        );
    }
}

#[test]
fn reanchor_json_is_valid_json_and_safe_to_print_whatever_the_quotes_hold() {
    use factmark::model::{AnnotationSet, Edit, EditContext};
    // C1 controls (U+009B starts a terminal escape sequence), DEL, a bidi
    // override and a char beyond the BMP that hides text.
    let quote = "\u{85}\u{9b}[31m\u{202e}x\u{7f}\u{e0041}";
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let article_path = dir.path().join("a.txt");
    std::fs::write(&article_path, format!("before {quote} after")).unwrap_or_default();
    let article = factmark::format::load_article(&article_path).unwrap_or_else(|e| panic!("{e}"));
    let mut set = AnnotationSet::new(article);
    let ctx = EditContext {
        author: "t".into(),
        now: jiff::Timestamp::UNIX_EPOCH,
    };
    let mut claim = set
        .new_claim(7..7 + quote.chars().count(), &ctx)
        .unwrap_or_else(|e| panic!("{e}"));
    claim.id = factmark::model::ClaimId(format!("c-{quote}"));
    set.apply(Edit::AddClaim(Box::new(claim)), &ctx)
        .unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("a.ron");
    factmark::format::save_annotations(&file, &set, Some(&article_path), false)
        .unwrap_or_else(|e| panic!("{e}"));
    let out = factmark(&[
        "reanchor",
        file.to_str().unwrap_or_default(),
        article_path.to_str().unwrap_or_default(),
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap_or_default();
    assert!(
        !stdout
            .chars()
            .any(|c| c != '\n' && (c.is_control() || factmark::model::is_invisible_format(c))),
        "{stdout:?}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(report["claims"][0]["quote"].as_str(), Some(quote));
    assert_eq!(
        report["claims"][0]["id"].as_str(),
        Some(format!("c-{quote}").as_str())
    );
    assert_eq!(report["claims"][0]["state"], "exact");
}

#[test]
fn stats_shows_excerpts_over_a_missing_article_and_merge_conflicts() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let example = std::fs::read_to_string(repo_file("saves/peace-talks.ron")).unwrap_or_default();
    let reference_sha = "4c0079181c8f815cc58e7851936a1b5aeef8a8ee92fe131808ecbcfc5cd05c6b";
    let lonely = dir.path().join("lonely.ron");
    std::fs::write(&lonely, example.replace(reference_sha, &"0".repeat(64))).unwrap_or_default();
    let out = factmark(&["stats", lonely.to_str().unwrap_or_default()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("excerpt      8") && text.contains("orphaned     0"),
        "{text}"
    );
    assert!(!text.contains("merge conflicts"), "{text}");
    // Both sides changed one claim's status: both versions, marked.
    let status = |from: &str, to: &str| example.replacen(from, to, 1);
    let (ours, theirs) = (dir.path().join("ours.ron"), dir.path().join("theirs.ron"));
    std::fs::write(&ours, status("status: Disputed", "status: Agreed")).unwrap_or_default();
    std::fs::write(&theirs, status("status: Disputed", "status: Unreviewed")).unwrap_or_default();
    let merged = dir.path().join("merged.ron");
    let merge = factmark(&[
        "merge",
        &repo_file("saves/peace-talks.ron"),
        ours.to_str().unwrap_or_default(),
        theirs.to_str().unwrap_or_default(),
        "-o",
        merged.to_str().unwrap_or_default(),
    ]);
    assert_eq!(
        merge.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&merge.stderr)
    );
    let out = factmark(&["stats", merged.to_str().unwrap_or_default()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("merge conflicts\n  claims       2\n  parties      0"),
        "{text}"
    );
}

#[test]
fn check_counts_claims_by_anchor_state_on_an_edited_article() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let original =
        std::fs::read_to_string(repo_file("assets/articles/peace-talks.txt")).unwrap_or_default();
    let edited = format!(
        "Editor's note: updated.\n{}",
        original
            .replace("withdrawal", "withdrawl")
            .replace("Both countries agreed to release 1,000 prisoners. ", "")
    );
    std::fs::write(dir.path().join("edited.txt"), edited).unwrap_or_default();
    let example = std::fs::read_to_string(repo_file("saves/peace-talks.ron")).unwrap_or_default();
    let notes = dir.path().join("notes.ron");
    std::fs::write(
        &notes,
        example.replace("../assets/articles/peace-talks.txt", "edited.txt"),
    )
    .unwrap_or_default();
    let out = factmark(&["check", notes.to_str().unwrap_or_default()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a fuzzy and an orphaned claim: {text}"
    );
    assert!(
        text.contains("notes.ron: 8 claims, 2 parties; exact=0 moved=6 fuzzy=1 orphaned=1"),
        "{text}"
    );
}

#[test]
fn extract_prints_a_pages_article_or_its_details_as_json() {
    let page = repo_file("tests/fixtures/web-pages/bbc-1/source.html");
    let out = factmark(&["extract", &page]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("President Barack Obama has admitted"),
        "{text}"
    );
    assert!(
        text.contains("\n\nIn an interview with the BBC"),
        "paragraphs kept"
    );
    let out = factmark(&["extract", "--json", &page]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert_eq!(
        json["title"],
        "Obama admits US gun laws are his 'biggest frustration'"
    );
    assert_eq!(json["byline"], "BBC News");
    assert_eq!(json["site_name"], "BBC News");
    assert_eq!(json["published"], "2015-07-24T05:36:09+01:00");
    assert_eq!(json["lang"], "en");
    assert!(
        json["dir"].is_null() && json["modified"].is_null(),
        "unknown is null"
    );
    assert!(
        json["text"]
            .as_str()
            .is_some_and(|t| t.contains("common sense gun safety laws"))
    );
}

#[test]
fn extract_fetches_an_address() {
    let base = http::serve(vec![(
        "/talks",
        http::Answer::Page("text/html", http::news_page()),
    )]);
    let out = factmark(&["extract", "--json", &format!("{base}/talks")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["title"], "Envoy calls talks satisfactory");
    assert_eq!(json["url"], format!("{base}/world/talks"));
    assert_eq!(json["fetched_from"], format!("{base}/talks"));
    assert_eq!(json["byline"], "Erin Cunningham");
}

#[test]
fn extract_explains_what_is_not_an_article_without_hanging() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
        path.display().to_string()
    };
    let huge = dir.path().join("huge.html");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(2 * 1024 * 1024 * 1024))
        .unwrap_or_else(|e| panic!("{e}"));
    let cases = [
        (
            write("notes.txt", b"Russia called the talks satisfactory."),
            "does not start with an HTML tag",
        ),
        (
            write("image.html", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            "binary data",
        ),
        (write("empty.html", b""), "the page is empty"),
        (
            write(
                "menu.html",
                b"<html><body><nav>Home | World</nav></body></html>",
            ),
            "no article was found",
        ),
        (
            write("deep.html", "<div>".repeat(50_000).as_bytes()),
            "far deeper than any real page",
        ),
        (huge.display().to_string(), "larger than"),
        (
            dir.path().join("missing.html").display().to_string(),
            "missing.html",
        ),
        ("ftp://example.org/a".to_owned(), "only http and https"),
    ];
    for (source, why) in cases {
        let started = std::time::Instant::now();
        let out = factmark(&["extract", &source]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{source}: {stderr}");
        assert!(stderr.contains(why), "{source}: {stderr}");
        assert!(out.stdout.is_empty());
        assert!(
            started.elapsed().as_secs() < 10,
            "{source} took {:?}",
            started.elapsed()
        );
    }
}

/// The example annotations with verdicts on two claims only, no publisher
/// and other details, its article beside.
fn rated_example(dir: &std::path::Path) -> std::path::PathBuf {
    use factmark::model::{Detail, Edit, EditContext, Publisher, RatingId, Verdict};
    let article = dir.join("peace-talks.txt");
    std::fs::copy(repo_file("assets/articles/peace-talks.txt"), &article)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut set = factmark::format::load_annotations(
        std::path::Path::new(&repo_file("saves/peace-talks.ron")),
        Some(&article),
    )
    .unwrap_or_else(|e| panic!("{e}"))
    .set;
    let ctx = EditContext {
        author: "t".into(),
        now: "2026-11-25T10:00:00Z"
            .parse()
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH),
    };
    let ids: Vec<_> = set.claims().iter().map(|c| c.id.clone()).collect();
    for id in &ids {
        let verdict = None;
        let claim = id.clone();
        set.apply(Edit::SetVerdict { claim, verdict }, &ctx)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    set.apply(Edit::SetPublisher(Publisher::default()), &ctx)
        .unwrap_or_else(|e| panic!("{e}"));
    for (id, rating, why) in [
        (
            &ids[0],
            "false",
            "Both delegations said the talks ended early.",
        ),
        (&ids[1], "unproven", ""),
    ] {
        let verdict = Some(Verdict {
            rating: RatingId(rating.into()),
            explanation: why.into(),
        });
        set.apply(
            Edit::SetVerdict {
                claim: id.clone(),
                verdict,
            },
            &ctx,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    for (detail, value) in [
        (Detail::Url, "https://news.example/2026/peace-talks"),
        (Detail::Published, "2026-11-24"),
        (Detail::SiteName, "Example News"),
    ] {
        set.apply(
            Edit::SetDetail {
                detail,
                value: value.into(),
            },
            &ctx,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let path = dir.join("rated.ron");
    let text =
        factmark::format::to_ron(&set, Some("peace-talks.txt")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}

#[test]
fn export_claimreview_gives_one_review_per_verdict_with_googles_properties() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = rated_example(dir.path()).display().to_string();
    let template = "https://factcheck.example/peace-talks#{id}";
    let out = factmark(&[
        "export",
        &file,
        "--to",
        "claimreview",
        "--publisher",
        "Example Checks",
        "--publisher-url",
        template,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "2 claims exported, 6 without a verdict left out\n"
    );
    let reviews: Vec<serde_json::Value> =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reviews.len(), 2);
    for review in &reviews {
        // Google's required properties, then its recommended ones.
        assert_eq!(review["@context"], "https://schema.org");
        assert_eq!(review["@type"], "ClaimReview");
        for required in ["claimReviewed", "url"] {
            assert!(
                review[required].as_str().is_some_and(|v| !v.is_empty()),
                "{required}"
            );
        }
        assert!(
            review["url"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://factcheck.example/peace-talks#c-"))
        );
        assert_eq!(review["author"]["name"], "Example Checks");
        assert_eq!(review["author"]["url"], "https://factcheck.example");
        assert!(review["reviewRating"]["alternateName"].is_string());
        assert_eq!(review["itemReviewed"]["@type"], "Claim");
        assert_eq!(review["itemReviewed"]["datePublished"], "2026-11-24");
        assert_eq!(
            review["itemReviewed"]["firstAppearance"]["url"],
            "https://news.example/2026/peace-talks"
        );
        assert!(review["datePublished"].is_string());
    }
    let rating = &reviews[0]["reviewRating"];
    assert_eq!(rating["alternateName"], "False");
    assert_eq!(
        (
            rating["ratingValue"].as_u64(),
            rating["bestRating"].as_u64(),
            rating["worstRating"].as_u64()
        ),
        (Some(1), Some(6), Some(1))
    );
    assert_eq!(
        rating["ratingExplanation"],
        "Both delegations said the talks ended early."
    );
    // Unproven is off the scale: a label, no number.
    assert!(reviews[1]["reviewRating"]["ratingValue"].is_null());
    assert_eq!(reviews[1]["reviewRating"]["alternateName"], "Unproven");
    // Without a publisher there is no ClaimReview, and it says why.
    let out = factmark(&["export", &file, "--to", "claimreview"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--publisher NAME"));
}

#[test]
fn export_csv_and_markdown_hold_every_claim_safely() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = rated_example(dir.path()).display().to_string();
    let csv = dir.path().join("claims.csv");
    let out = factmark(&[
        "export",
        &file,
        "--to",
        "csv",
        "-o",
        &csv.display().to_string(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "written to the file");
    let table = std::fs::read_to_string(&csv).unwrap_or_default();
    let rows: Vec<&str> = table.split("\r\n").filter(|r| !r.is_empty()).collect();
    assert_eq!(rows.len(), 9, "a header and eight claims");
    assert!(rows[0].starts_with("id,quote,start,end,status,verdict,explanation"));
    assert!(table.contains(",False,Both delegations said the talks ended early.,"));
    let out = factmark(&["export", &file, "--to", "md"]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.starts_with("# Russia and Ukraine peace talks\n"));
    assert!(report.contains("- **Address (URL):** https://news.example/2026/peace-talks"));
    assert!(report.contains("| # | Claim | Status | Verdict | Russia | Ukraine |"));
    assert!(report.contains("- **Verdict:** False — Both delegations said the talks ended early."));
    assert_eq!(report.matches("\n## ").count(), 8, "a section per claim");
}

/// The seed article's reviews as the reference file publishes them, with
/// its own publisher, verdicts and details: a golden file
/// (`FACTMARK_BLESS=1 cargo test --test cli` rewrites it after a deliberate change).
#[test]
fn export_claimreview_of_the_seed_article_matches_its_golden_file() {
    let file = repo_file("saves/peace-talks.ron");
    let out = factmark(&["export", &file, "--to", "claimreview"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "4 claims exported, 4 without a verdict left out\n"
    );
    let got = String::from_utf8_lossy(&out.stdout);
    let golden = repo_file("tests/fixtures/golden/peace-talks.claimreview.json");
    if std::env::var_os("FACTMARK_BLESS").is_some() {
        std::fs::write(&golden, got.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    }
    let want = std::fs::read_to_string(&golden).unwrap_or_else(|e| panic!("{golden}: {e}"));
    assert_eq!(got, want);
}

/// The file's publisher is used as it is, and each part given on the
/// command line overrides its part.
#[test]
fn export_uses_the_files_publisher_and_the_command_line_overrides_it() {
    let file = repo_file("saves/peace-talks.ron");
    let reviews = |extra: &[&str]| -> Vec<serde_json::Value> {
        let mut args = vec!["export", &file, "--to", "claimreview"];
        args.extend(extra);
        let out = factmark(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"))
    };
    let own = reviews(&[]);
    assert_eq!(own.len(), 4);
    assert_eq!(own[0]["author"]["name"], "Example Fact Desk");
    assert_eq!(own[0]["author"]["url"], "https://factcheck.example");
    let satisfactory = own.iter().find(|r| r["claimReviewed"] == "satisfactory");
    let satisfactory = satisfactory.unwrap_or_else(|| panic!("{own:?}"));
    assert_eq!(
        satisfactory["url"],
        "https://factcheck.example/2026/peace-talks#c-36915b11"
    );
    assert_eq!(satisfactory["reviewRating"]["alternateName"], "Misleading");
    assert_eq!(
        satisfactory["itemReviewed"]["author"],
        serde_json::json!({ "@type": "Organization", "name": "Russia" })
    );
    let renamed = reviews(&["--publisher", "Other Desk"]);
    assert_eq!(renamed[0]["author"]["name"], "Other Desk");
    assert_eq!(
        renamed[0]["url"], own[0]["url"],
        "the address stays the file's"
    );
    let moved = reviews(&["--publisher-url", "https://other.example/r/{id}"]);
    assert_eq!(moved[0]["author"]["name"], "Example Fact Desk");
    assert_eq!(moved[0]["author"]["url"], "https://other.example");
    assert!(
        moved[0]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://other.example/r/c-"))
    );
}

#[test]
fn export_html_brat_and_markup_page() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = rated_example(dir.path()).display().to_string();
    // A self-contained page: no script, no remote asset, the verdict shown.
    let out = factmark(&["export", &file, "--to", "html"]);
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(!page.contains("<script") && !page.contains("src=") && !page.contains("<link"));
    assert!(page.contains("Both delegations said the talks ended early."));
    assert_eq!(page.matches("<section class=\"claim\"").count(), 8);
    // brat: the .ann beside the text, each span's text what the offsets say.
    let ann = dir.path().join("talks.ann");
    let out = factmark(&[
        "export",
        &file,
        "--to",
        "brat",
        "-o",
        &ann.display().to_string(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text: Vec<char> = std::fs::read_to_string(dir.path().join("talks.txt"))
        .unwrap_or_default()
        .chars()
        .collect();
    let standoff = std::fs::read_to_string(&ann).unwrap_or_default();
    let spans: Vec<&str> = standoff.lines().filter(|l| l.starts_with('T')).collect();
    assert_eq!(spans.len(), 8);
    for line in spans {
        let fields: Vec<&str> = line.split('\t').collect();
        let pieces: Vec<String> = fields[1]
            .trim_start_matches("Claim ")
            .split(';')
            .map(|f| {
                let (s, e) = f.split_once(' ').unwrap_or_default();
                let (s, e) = (s.parse().unwrap_or(0), e.parse().unwrap_or(0));
                text[s..e].iter().collect()
            })
            .collect();
        assert_eq!(pieces.join(" "), fields[2], "{line}");
    }
    assert!(standoff.contains("\tVerdict T1 false\n"));
    // Google's markup page: the flat shape, one markup per verdict.
    let out = factmark(&[
        "export",
        &file,
        "--to",
        "markup-page",
        "--publisher",
        "Example Checks",
        "--publisher-url",
        "https://factcheck.example/peace-talks#{id}",
    ]);
    let page: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page["pageUrl"], "https://factcheck.example/peace-talks");
    assert_eq!(page["claimReviewAuthor"]["name"], "Example Checks");
    let markups = page["claimReviewMarkups"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(markups.len(), 2);
    assert_eq!(markups[0]["rating"]["textualRating"], "False");
    assert_eq!(
        markups[0]["claimAppearances"][0],
        "https://news.example/2026/peace-talks"
    );
}
