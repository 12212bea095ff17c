//! factmark as a git merge driver, in a real repository: two branches annotate
//! the same article differently and git merges them through `factmark merge`.
//! Every merge must end in a file `factmark check` opens: clean, or with its
//! conflicts listed.

use factmark::format;
use factmark::model::merge;
use factmark::model::{AnnotationSet, ClaimId, Edit, EditContext, PartyId, Rgb, Stance, Status};
use std::path::{Path, PathBuf};
use std::process::Command;

const FILE: &str = "saves/peace-talks.ron";

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
    std::fs::copy(manifest.join(FILE), repo.join(FILE)).unwrap_or_else(|e| panic!("{e}"));
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

fn ctx(who: &str) -> EditContext {
    EditContext {
        author: who.into(),
        now: jiff::Timestamp::UNIX_EPOCH,
    }
}

fn annotations_at(repo: &Path, rel: &str) -> AnnotationSet {
    format::load_annotations(&repo.join(rel), None)
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
        .set
}

fn annotations(repo: &Path) -> AnnotationSet {
    annotations_at(repo, FILE)
}

fn save(repo: &Path, rel: &str, set: &AnnotationSet) {
    let article = repo.join("assets/articles/peace-talks.txt");
    format::save_annotations(&repo.join(rel), set, Some(&article), false)
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Applies edits to the annotations in `rel`, saves and commits.
fn commit_edits(
    repo: &Path,
    name: &str,
    rel: &str,
    set: AnnotationSet,
    edits: impl FnOnce(&AnnotationSet) -> Vec<Edit>,
) {
    let mut set = set;
    for edit in edits(&set) {
        set.apply(edit, &ctx(name))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    save(repo, rel, &set);
    ok(repo, &["add", rel]);
    ok(repo, &["commit", "-q", "-m", name]);
}

/// On a new branch from main: apply edits to the annotations and commit.
fn branch_with(repo: &Path, name: &str, edits: impl FnOnce(&AnnotationSet) -> Vec<Edit>) {
    ok(repo, &["checkout", "-q", "-b", name, "main"]);
    commit_edits(repo, name, FILE, annotations(repo), edits);
}

/// Checks out `ours` and merges `theirs` into it; true when git merged cleanly.
fn merge_branches(repo: &Path, ours: &str, theirs: &str) -> bool {
    ok(repo, &["checkout", "-q", ours]);
    git(repo, &["merge", "-q", "--no-edit", theirs])
        .status
        .success()
}

/// `factmark check` on a file: its exit code and output. The file must have
/// opened (the summary line is printed only then).
fn check(repo: &Path, rel: &str) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_factmark"))
        .args(["check", repo.join(rel).to_str().unwrap_or_default()])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.contains(" parties; exact="),
        "the file must open:\n{text}"
    );
    (out.status.code(), text)
}

fn id_of(set: &AnnotationSet, quote: &str) -> ClaimId {
    set.claims()
        .iter()
        .find(|c| c.anchor.exact == quote)
        .map(|c| c.id.clone())
        .unwrap_or_else(|| panic!("{quote}"))
}

fn party(id: &str) -> PartyId {
    PartyId(id.into())
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
        let claim = set
            .new_claim(start, &ctx("ben"))
            .unwrap_or_else(|e| panic!("{e}"));
        vec![
            Edit::AddClaim(Box::new(claim)),
            Edit::SetStatus {
                claim: id_of(set, "the negotiations collapsed in less than two hours"),
                status: Status::Disputed,
            },
        ]
    });
    assert!(merge_branches(&repo, "ana", "ben"), "a clean merge");
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
    let text = std::fs::read_to_string(repo.join(FILE)).unwrap_or_default();
    assert!(
        text.contains("version: 4,") && !text.contains("<<<<<<<"),
        "a clean factmark file"
    );
    assert_eq!(check(&repo, FILE).0, Some(0));
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
    assert!(
        !merge_branches(&repo, "carl", "dana"),
        "git reports the conflict"
    );
    let text = std::fs::read_to_string(repo.join(FILE)).unwrap_or_default();
    assert!(
        text.contains("version: 4,") && text.contains("conflict: Some("),
        "a version 4 file (it has a publisher) carrying the marks"
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
    let (code, report) = check(&repo, FILE);
    assert_eq!(code, Some(1));
    assert!(report.contains("merge conflict"), "{report}");
}

#[test]
fn their_conflicting_version_keeps_a_party_we_deleted() {
    let Some((_dir, repo)) = repository() else {
        return;
    };
    branch_with(&repo, "ana", |_| vec![Edit::RemoveParty(party("ukraine"))]);
    // Russia now disputes too; their version still has Ukraine's stance.
    branch_with(&repo, "ben", |set| {
        vec![Edit::SetStance {
            claim: id_of(set, "satisfactory"),
            party: party("russia"),
            stance: Some(Stance::Disputes),
        }]
    });
    assert!(!merge_branches(&repo, "ana", "ben"), "a conflict");
    let (code, report) = check(&repo, FILE);
    assert_eq!(code, Some(1), "{report}");
    assert!(report.contains("merge conflict: claim"), "{report}");
    assert!(
        report.contains("merge conflict: party ukraine"),
        "our deletion is marked too: {report}"
    );
    let set = annotations(&repo);
    let theirs = set
        .claims()
        .iter()
        .find(|c| c.anchor.exact == "satisfactory" && c.stances.contains_key(&party("ukraine")));
    assert!(theirs.is_some(), "their version, with Ukraine's stance");
}

#[test]
fn a_conflict_resolved_on_one_side_and_edited_on_the_other_still_opens() {
    let Some((_dir, repo)) = repository() else {
        return;
    };
    // Main carries an unresolved conflict from an earlier merge.
    let base = annotations(&repo);
    let id = id_of(&base, "satisfactory");
    let edited = |who: &str, status| {
        let mut set = base.clone();
        set.apply(
            Edit::SetStatus {
                claim: id.clone(),
                status,
            },
            &ctx(who),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        set
    };
    let (ours, theirs) = (edited("x", Status::Agreed), edited("y", Status::Unreviewed));
    let mut merged = merge::merge((&base).into(), (&ours).into(), (&theirs).into());
    merged.mark_conflicts();
    let mut file = format::ParsedFile::from_set(&ours);
    file.source = Some("../assets/articles/peace-talks.txt".into());
    file.claims = merged.claims;
    std::fs::write(
        repo.join(FILE),
        file.to_ron().unwrap_or_else(|e| panic!("{e}")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    ok(&repo, &["commit", "-q", "-am", "an unresolved conflict"]);
    let copy = ClaimId(format!("{id}~theirs"));
    // Ana keeps their version (the copy): the other is deleted, the mark cleared.
    let keep_copy = |set: &AnnotationSet| {
        let mut kept = set.claim(&copy).cloned().unwrap_or_else(|| panic!("copy"));
        kept.conflict = None;
        vec![
            Edit::RemoveClaim(id.clone()),
            Edit::PutClaim(Box::new(kept)),
        ]
    };
    branch_with(&repo, "ana", keep_copy);
    // Ben leaves the conflict and writes a note on the copy.
    branch_with(&repo, "ben", |_| {
        vec![Edit::SetNote {
            claim: copy.clone(),
            note: "Unreviewed until the transcript is out.".into(),
        }]
    });
    // Merged either way round.
    ok(&repo, &["branch", "ana-first", "ana"]);
    ok(&repo, &["branch", "ben-first", "ben"]);
    for (ours, theirs) in [("ana-first", "ben"), ("ben-first", "ana")] {
        let clean = merge_branches(&repo, ours, theirs);
        let (code, report) = check(&repo, FILE);
        assert_eq!(code, Some(0), "{ours}: {report}");
        assert!(clean, "{ours}: ana resolved, ben only added a note");
        let set = annotations(&repo);
        let kept = set.claim(&copy).cloned().unwrap_or_else(|| panic!("copy"));
        assert_eq!(kept.note, "Unreviewed until the transcript is out.");
        assert!(set.claim(&id).is_none(), "{ours}: ana's resolution holds");
    }
}

#[test]
fn a_party_renamed_on_one_side_and_recoloured_on_the_other_takes_both() {
    let Some((_dir, repo)) = repository() else {
        return;
    };
    branch_with(&repo, "ana", |_| {
        vec![Edit::RenameParty {
            party: party("russia"),
            name: "Russian Federation".into(),
        }]
    });
    branch_with(&repo, "ben", |_| {
        vec![Edit::RecolorParty {
            party: party("russia"),
            color: Rgb([0x80, 0x00, 0x00]),
        }]
    });
    assert!(merge_branches(&repo, "ana", "ben"), "a clean merge");
    assert_eq!(check(&repo, FILE).0, Some(0));
    let set = annotations(&repo);
    let russia = set.party(&party("russia")).cloned();
    let russia = russia.unwrap_or_else(|| panic!("russia"));
    assert_eq!(
        (russia.name.as_str(), russia.color),
        ("Russian Federation", Rgb([0x80, 0x00, 0x00]))
    );
}

#[test]
fn both_sides_adding_a_party_with_one_id_is_a_marked_conflict() {
    let Some((_dir, repo)) = repository() else {
        return;
    };
    let add = |name: &'static str| {
        move |set: &AnnotationSet| {
            vec![Edit::AddParty {
                party: set.new_party(name),
                index: None,
            }]
        }
    };
    branch_with(&repo, "ana", add("EU"));
    branch_with(&repo, "ben", add("Eu"));
    assert!(!merge_branches(&repo, "ana", "ben"), "a conflict");
    let (code, report) = check(&repo, FILE);
    assert_eq!(code, Some(1), "{report}");
    assert!(report.contains("merge conflict: party eu"), "{report}");
    assert!(
        report.contains("“EU”") && report.contains("“Eu”"),
        "{report}"
    );
    let text = std::fs::read_to_string(repo.join(FILE)).unwrap_or_default();
    assert!(text.contains("version: 4,"), "{text}");
}

#[test]
fn two_branches_adding_the_same_file_merge_as_both_added() {
    let Some((_dir, repo)) = repository() else {
        return;
    };
    let new_file = "saves/second-look.ron";
    let example = annotations(&repo);
    let first = example.claims()[0].id.clone();
    let second = example.claims()[1].id.clone();
    // Both start a new file from the example: ana keeps the first two claims
    // with a note on the first, ben the first three with another status.
    let start = |keep: usize| {
        let mut set = example.clone();
        let gone: Vec<Edit> = example.claims()[keep..]
            .iter()
            .map(|c| Edit::RemoveClaim(c.id.clone()))
            .collect();
        set.apply(Edit::Batch(gone), &ctx("start"))
            .unwrap_or_else(|e| panic!("{e}"));
        set
    };
    ok(&repo, &["checkout", "-q", "-b", "ana", "main"]);
    commit_edits(&repo, "ana", new_file, start(2), |_| {
        vec![Edit::SetNote {
            claim: first.clone(),
            note: "ana's note".into(),
        }]
    });
    ok(&repo, &["checkout", "-q", "-b", "ben", "main"]);
    commit_edits(&repo, "ben", new_file, start(3), |_| {
        vec![Edit::SetStatus {
            claim: second.clone(),
            status: Status::Unreviewed,
        }]
    });
    assert!(
        !merge_branches(&repo, "ana", "ben"),
        "both added claim 1 differently"
    );
    let (code, report) = check(&repo, new_file);
    assert_eq!(code, Some(1), "{report}");
    assert!(report.contains("merge conflict"), "{report}");
    let set = annotations_at(&repo, new_file);
    // Ana's two claims, ben's third, and ben's version of the first two.
    assert_eq!(set.claims().len(), 5, "{report}");
    assert_eq!(
        set.claim(&first).map(|c| c.note.as_str()),
        Some("ana's note")
    );
}

#[test]
fn a_merge_that_cannot_be_done_writes_nothing_and_fails_the_merge() {
    let Some((_dir, repo)) = repository() else {
        return;
    };
    branch_with(&repo, "ana", |set| {
        vec![Edit::SetNote {
            claim: id_of(set, "satisfactory"),
            note: "ana".into(),
        }]
    });
    // Ben's file comes from a newer factmark: it cannot be merged, only refused.
    ok(&repo, &["checkout", "-q", "-b", "ben", "main"]);
    let text = std::fs::read_to_string(repo.join(FILE)).unwrap_or_default();
    std::fs::write(
        repo.join(FILE),
        text.replacen("version: 4,", "version: 9,", 1),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    ok(&repo, &["commit", "-q", "-am", "ben"]);
    ok(&repo, &["checkout", "-q", "ana"]);
    let before = std::fs::read(repo.join(FILE)).unwrap_or_default();
    let merge = git(&repo, &["merge", "--no-edit", "ben"]);
    assert!(!merge.status.success());
    let said = String::from_utf8_lossy(&merge.stderr);
    assert!(
        said.contains("newer factmark"),
        "the driver says why: {said}"
    );
    assert!(said.contains("failed"), "git stops the merge: {said}");
    assert_eq!(std::fs::read(repo.join(FILE)).unwrap_or_default(), before);
    let status = git(&repo, &["status", "--porcelain", "--untracked-files=no"]);
    assert_eq!(
        String::from_utf8_lossy(&status.stdout),
        "",
        "nothing half-merged"
    );
}

#[test]
fn a_result_factmark_would_refuse_is_never_written() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let example = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(FILE))
        .unwrap_or_else(|e| panic!("{e}"));
    // A claim id at the length limit: the copy of their version would need
    // a longer one, so the merged file could not be opened.
    let long = format!("c-{}", "x".repeat(format::limits::MAX_NAME_BYTES - 2));
    let base = example.replacen("c-36915b11", &long, 1);
    let at = base.find(&long).unwrap_or_default();
    let status = |status: &str| {
        let (head, claim) = base.split_at(at);
        format!("{head}{}", claim.replacen("status: Disputed,", status, 1))
    };
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        path
    };
    let (base, ours, theirs) = (
        write("base.ron", &base),
        write("ours.ron", &status("status: Agreed,")),
        write("theirs.ron", &status("status: Unreviewed,")),
    );
    assert!(format::from_ron(&std::fs::read_to_string(&ours).unwrap_or_default()).is_ok());
    let before = std::fs::read(&ours).unwrap_or_default();
    let out = Command::new(env!("CARGO_BIN_EXE_factmark"))
        .arg("merge")
        .args([&base, &ours, &theirs])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(255), "{said}");
    assert!(
        said.contains("could not merge") && said.contains("Nothing was written"),
        "{said}"
    );
    assert_eq!(
        std::fs::read(&ours).unwrap_or_default(),
        before,
        "ours untouched"
    );
}
