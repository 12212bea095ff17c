//! factmark as a git merge driver, in a real repository: two branches annotate
//! the same article differently and git merges them through `factmark merge`.

use factmark::format;
use factmark::model::{AnnotationSet, ClaimId, Edit, EditContext, Status};
use std::path::{Path, PathBuf};
use std::process::Command;

fn git(repo: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .args(args)
        .current_dir(repo)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", repo)
        .output()
        .unwrap_or_else(|e| panic!("git {args:?}: {e}"))
}

fn ok(repo: &Path, args: &[&str]) {
    let out = git(repo, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A repository holding the reference article and its annotations, with the
/// merge driver configured as the README says.
fn repository() -> Option<(tempfile::TempDir, PathBuf)> {
    if Command::new("git").arg("--version").output().is_err() {
        println!("skipped: git is not installed");
        return None;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let repo = dir.path().to_path_buf();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(repo.join("assets/articles")).unwrap_or_default();
    std::fs::create_dir_all(repo.join("saves")).unwrap_or_default();
    std::fs::copy(
        manifest.join("assets/articles/peace-talks.txt"),
        repo.join("assets/articles/peace-talks.txt"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(
        manifest.join("saves/peace-talks.ron"),
        repo.join("saves/peace-talks.ron"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(repo.join(".gitattributes"), "*.ron merge=factmark\n").unwrap_or_default();
    ok(&repo, &["init", "-q", "-b", "main"]);
    ok(&repo, &["config", "user.name", "Test"]);
    ok(&repo, &["config", "user.email", "test@example.invalid"]);
    ok(&repo, &["config", "commit.gpgsign", "false"]);
    ok(
        &repo,
        &["config", "merge.factmark.name", "factmark annotations"],
    );
    let driver = format!("{} merge %O %A %B -o %A", env!("CARGO_BIN_EXE_factmark"));
    ok(&repo, &["config", "merge.factmark.driver", &driver]);
    ok(&repo, &["add", "."]);
    ok(&repo, &["commit", "-q", "-m", "base annotations"]);
    Some((dir, repo))
}

fn annotations(repo: &Path) -> AnnotationSet {
    format::load_annotations(&repo.join("saves/peace-talks.ron"), None)
        .unwrap_or_else(|e| panic!("{e}"))
        .set
}

/// On a new branch from main: apply edits to the annotations and commit.
fn branch_with(repo: &Path, name: &str, edits: impl FnOnce(&AnnotationSet) -> Vec<Edit>) {
    ok(repo, &["checkout", "-q", "-b", name, "main"]);
    let mut set = annotations(repo);
    let ctx = EditContext {
        author: name.into(),
        now: jiff::Timestamp::UNIX_EPOCH,
    };
    for edit in edits(&set) {
        set.apply(edit, &ctx).unwrap_or_else(|e| panic!("{e}"));
    }
    let article = repo.join("assets/articles/peace-talks.txt");
    format::save_annotations(
        &repo.join("saves/peace-talks.ron"),
        &set,
        Some(&article),
        false,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    ok(repo, &["commit", "-q", "-am", name]);
}

fn id_of(set: &AnnotationSet, quote: &str) -> ClaimId {
    set.claims()
        .iter()
        .find(|c| c.anchor.exact == quote)
        .map(|c| c.id.clone())
        .unwrap_or_else(|| panic!("{quote}"))
}

#[test]
fn git_merges_two_annotators_cleanly_through_the_driver() {
    let Some((_dir, repo)) = repository() else {
        return;
    };
    branch_with(&repo, "ana", |set| {
        vec![Edit::SetNote {
            claim: id_of(set, "satisfactory"),
            note: "Checked against the wire copy.".into(),
        }]
    });
    branch_with(&repo, "ben", |set| {
        let start = set
            .article
            .find("Ukraine strongly disagreed", 0)
            .unwrap_or_default();
        let ctx = EditContext {
            author: "ben".into(),
            now: jiff::Timestamp::UNIX_EPOCH,
        };
        let claim = set.new_claim(start, &ctx).unwrap_or_else(|e| panic!("{e}"));
        vec![
            Edit::AddClaim(Box::new(claim)),
            Edit::SetStatus {
                claim: id_of(set, "the negotiations collapsed in less than two hours"),
                status: Status::Disputed,
            },
        ]
    });
    ok(&repo, &["checkout", "-q", "ana"]);
    let merge = git(&repo, &["merge", "-q", "--no-edit", "ben"]);
    assert!(
        merge.status.success(),
        "clean merge: {}",
        String::from_utf8_lossy(&merge.stderr)
    );
    let set = annotations(&repo);
    assert_eq!(set.claims().len(), 9, "8 claims plus ben's new one");
    let satisfactory = set
        .claim(&id_of(&set, "satisfactory"))
        .cloned()
        .unwrap_or_else(|| panic!("claim"));
    assert_eq!(
        satisfactory.note, "Checked against the wire copy.",
        "ana's note"
    );
    let collapsed = id_of(&set, "the negotiations collapsed in less than two hours");
    assert_eq!(
        set.claim(&collapsed).map(|c| c.status),
        Some(Status::Disputed),
        "ben's status"
    );
    assert!(set.claims().iter().all(|c| c.conflict.is_none()));
    let text = std::fs::read_to_string(repo.join("saves/peace-talks.ron")).unwrap_or_default();
    assert!(
        text.contains("version: 1,") && !text.contains("<<<<<<<"),
        "a clean factmark file"
    );
}

#[test]
fn a_true_conflict_keeps_both_versions_and_fails_the_merge() {
    let Some((_dir, repo)) = repository() else {
        return;
    };
    branch_with(&repo, "carl", |set| {
        vec![Edit::SetStatus {
            claim: id_of(set, "satisfactory"),
            status: Status::Agreed,
        }]
    });
    branch_with(&repo, "dana", |set| {
        vec![Edit::SetStatus {
            claim: id_of(set, "satisfactory"),
            status: Status::Unreviewed,
        }]
    });
    ok(&repo, &["checkout", "-q", "carl"]);
    let merge = git(&repo, &["merge", "-q", "--no-edit", "dana"]);
    assert!(!merge.status.success(), "git reports the conflict");
    let text = std::fs::read_to_string(repo.join("saves/peace-talks.ron")).unwrap_or_default();
    assert!(
        text.contains("version: 2,"),
        "conflicts need file version 2"
    );
    let set = annotations(&repo);
    let versions: Vec<_> = set
        .claims()
        .iter()
        .filter(|c| c.anchor.exact == "satisfactory")
        .collect();
    assert_eq!(versions.len(), 2, "both versions kept");
    let statuses: std::collections::BTreeSet<_> = versions.iter().map(|c| c.status).collect();
    assert_eq!(
        statuses,
        [Status::Unreviewed, Status::Agreed].into_iter().collect()
    );
    assert!(versions.iter().all(|c| c.conflict.is_some()));
    // `factmark check` names the conflict and fails.
    let check = Command::new(env!("CARGO_BIN_EXE_factmark"))
        .args([
            "check",
            repo.join("saves/peace-talks.ron")
                .to_str()
                .unwrap_or_default(),
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(check.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&check.stdout).contains("merge conflict"),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}
