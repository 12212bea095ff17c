//! The `factmark` binary's command line, run as a user would.

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
