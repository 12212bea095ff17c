//! Crash during save: a child process (this test binary, re-run as
//! `child_saver`) saves a few-MB annotation file in a tight loop through the
//! real `format::save_annotations`, alternating between distinct versions,
//! and is killed with SIGKILL at a random moment. After every kill the file
//! must parse and be exactly one of the versions, the `.bak` likewise, and
//! temp files may only be the save's own `.NAME.PID.factmark-tmp` names.
//!
//! `FACTMARK_CRASH_RUNS` sets the number of runs (default 200),
//! `FACTMARK_CRASH_SEED` the random seed. A killed process cannot lose what it
//! already handed to the kernel, so this tests the order of the steps (temp
//! file, backup, rename), not durability after a power cut; that rests on the
//! fsyncs described in `save_annotations_with_backup`.

use factmark::format;
use factmark::model::{AnnotationSet, ClaimId, Evidence, PartyId, Stance, Status};
use std::fs;
use std::io::{BufRead as _, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Tells a re-run of this binary to be the saving child, and where to save.
const CHILD_ENV: &str = "FACTMARK_CRASH_CHILD";
/// Which version the child saves first.
const START_ENV: &str = "FACTMARK_CRASH_START";
const READY: &str = "factmark-crash-child-ready";
/// Distinct versions the child cycles through. Versions 0 and 1 have the
/// same length (so the backup compares bytes), 2 is longer.
const VERSIONS: usize = 3;
/// Claims per version (a multiple of 3, so versions 0 and 1 use each status
/// equally often and have the same length): about 2.3 MB of RON, which a
/// debug build takes ~120 ms to render and ~10 ms to write and fsync.
const CLAIMS: usize = 2400;
const TEMP_SUFFIX: &str = ".factmark-tmp";

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Version `version` of a large annotation set over the reference article:
/// the example's claims repeated with distinct ids, notes, stances, statuses
/// and evidence. Deterministic, so parent and child build the same sets.
fn big_set(version: usize) -> AnnotationSet {
    let example = format::load_annotations(&repo_file("saves/peace-talks.ron"), None)
        .unwrap_or_else(|e| panic!("example: {e}"))
        .set;
    let base = example.claims();
    let russia = PartyId("russia".into());
    let ukraine = PartyId("ukraine".into());
    let statuses = [Status::Agreed, Status::Disputed, Status::Unreviewed];
    let count = CLAIMS + if version == 2 { CLAIMS / 10 } else { 0 };
    let claims = (0..count)
        .map(|i| {
            let mut claim = base[i % base.len()].clone();
            claim.id = ClaimId(format!("c-{i:08x}"));
            claim.note = format!(
                "Version {version}, claim {i:05}: checked against the transcript and two \
                 wire reports; the quote matches the English text of the briefing."
            );
            claim.status = statuses[(i + version) % statuses.len()];
            let (a, b) = if (i + version).is_multiple_of(2) {
                (Stance::Agrees, Stance::Disputes)
            } else {
                (Stance::Disputes, Stance::Agrees)
            };
            claim.stances.insert(russia.clone(), a);
            claim.stances.insert(ukraine.clone(), b);
            claim.claimant = Some(
                if i.is_multiple_of(2) {
                    &russia
                } else {
                    &ukraine
                }
                .clone(),
            );
            if i.is_multiple_of(3) {
                claim.evidence = vec![Evidence {
                    url: format!("https://example.org/reports/{version}/{i}"),
                    quote: "Both delegations confirmed the meeting lasted under two hours.".into(),
                    supports: Some(ukraine.clone()),
                }];
            }
            claim
        })
        .collect();
    AnnotationSet::from_parts(example.article.clone(), example.parties().to_vec(), claims)
}

fn article_in(dir: &Path) -> PathBuf {
    dir.join("peace-talks.txt")
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// The child: saves the versions in turn, forever, until it is killed.
#[test]
#[ignore = "run by crash_during_save_leaves_old_or_new_file as its child"]
fn child_saver() {
    let Some(target) = std::env::var_os(CHILD_ENV).map(PathBuf::from) else {
        return;
    };
    let dir = target.parent().unwrap_or_else(|| panic!("no folder"));
    let article = article_in(dir);
    let sets: Vec<AnnotationSet> = (0..VERSIONS).map(big_set).collect();
    let mut next = env_number(START_ENV, 0) as usize;
    println!("{READY}");
    let _ = std::io::stdout().flush();
    loop {
        format::save_annotations(&target, &sets[next % VERSIONS], Some(&article), false)
            .unwrap_or_else(|e| panic!("child save: {e}"));
        next += 1;
    }
}

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

/// Temp files of saves to `name` (and to its backup) in `dir`.
fn temp_files(dir: &Path, name: &str) -> Vec<String> {
    let mut temps: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(TEMP_SUFFIX))
        .collect();
    for temp in &temps {
        let middle = temp
            .strip_prefix(&format!(".{name}."))
            .and_then(|rest| rest.strip_suffix(TEMP_SUFFIX))
            .map(|rest| rest.strip_prefix("bak.").unwrap_or(rest));
        assert!(
            middle.is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())),
            "unexpected temp file name {temp}"
        );
        // A temp file is hidden and does not end in .ron: nothing lists it
        // as an annotation file.
        assert!(temp.starts_with('.') && !temp.ends_with(".ron"));
    }
    temps.sort();
    temps
}

/// Which version `bytes` is, or what is wrong with it. The versions are
/// checked to parse once; a file equal to one of them parses too.
fn which_version(bytes: &[u8], versions: &[Vec<u8>]) -> Result<usize, String> {
    if let Some(v) = versions.iter().position(|v| v.as_slice() == bytes) {
        return Ok(v);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| format!("is not UTF-8: {e}"))?;
    format::from_ron(text).map_err(|e| format!("does not parse: {e}"))?;
    Err(format!(
        "parses but is none of the versions ({} bytes)",
        bytes.len()
    ))
}

#[derive(Default)]
struct Tally {
    runs: u64,
    aimed: u64,
    mid_write: u64,
    mid_backup: u64,
    changed: u64,
    max_temps: usize,
    failures: Vec<String>,
}

fn random_delay(rng: &mut Rng, max: Duration) -> Duration {
    Duration::from_micros(rng.next() % (max.as_micros() as u64 + 1))
}

/// Waits until `path` exists (the child has started writing), or `limit`.
fn wait_for(path: &Path, limit: Duration) -> bool {
    let started = Instant::now();
    while started.elapsed() < limit {
        if fs::symlink_metadata(path).is_ok() {
            return true;
        }
        std::thread::yield_now();
    }
    false
}

/// The slowest of three runs of `step` (the machine may be busy).
fn slowest(mut step: impl FnMut()) -> Duration {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            step();
            started.elapsed()
        })
        .max()
        .unwrap_or_default()
}

/// Starts the saving child. Retries a few times: starting a process can fail
/// for a moment (e.g. while another cargo relinks this test binary in a
/// shared target folder), which is not what this test is about.
fn spawn_child(exe: &Path, target: &Path, start: u64) -> std::process::Child {
    let mut last_error = None;
    for _ in 0..5 {
        let spawned = Command::new(exe)
            .args(["--exact", "child_saver", "--nocapture", "--ignored"])
            .env(CHILD_ENV, target)
            .env(START_ENV, start.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        match spawned {
            Ok(child) => return child,
            Err(e) => last_error = Some(e),
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("could not start {}: {last_error:?}", exe.display())
}

#[test]
fn crash_during_save_leaves_old_or_new_file() {
    let runs = env_number("FACTMARK_CRASH_RUNS", 200);
    let seed = env_number("FACTMARK_CRASH_SEED", 0x5eed_fac7);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let article = article_in(dir.path());
    fs::copy(repo_file("assets/articles/peace-talks.txt"), &article)
        .unwrap_or_else(|e| panic!("{e}"));
    let name = "work.ron";
    let target = dir.path().join(name);
    let bak = format::backup_path(&target);

    // The versions, written by the real save (to other names in the same
    // folder, so the recorded article path is the same).
    let versions: Vec<Vec<u8>> = (0..VERSIONS)
        .map(|v| {
            let path = dir.path().join(format!("version-{v}.ron"));
            let set = big_set(v);
            format::save_annotations(&path, &set, Some(&article), false)
                .unwrap_or_else(|e| panic!("{e}"));
            let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
            format::from_ron(&text).unwrap_or_else(|e| panic!("version {v}: {e}"));
            text.into_bytes()
        })
        .collect();
    assert_eq!(versions[0].len(), versions[1].len());
    for (i, v) in versions.iter().enumerate() {
        assert!(v.len() > 2_000_000, "version {i} is only {} bytes", v.len());
        assert!(versions[..i].iter().all(|w| w != v), "version {i} repeats");
    }
    // How long the parts of a save take: rendering the text, then writing it.
    let set = big_set(0);
    let render_time = slowest(|| {
        format::to_ron_with(&set, Some("peace-talks.txt"), false).unwrap_or_else(|e| panic!("{e}"));
    });
    let scratch = dir.path().join("scratch.ron");
    let mut turn = 0;
    let write_time = slowest(|| {
        turn += 1;
        format::write_atomic(&scratch, &versions[turn % VERSIONS])
            .unwrap_or_else(|e| panic!("{e}"));
    });
    let save_time = render_time + write_time;
    fs::write(&target, &versions[0]).unwrap_or_else(|e| panic!("{e}"));
    // A third of the kills land anywhere in the first one and a half saves
    // (mostly while the text is rendered, before any write); the rest are
    // aimed at the write: once the child's temp file appears, within twice
    // the time writing takes (so about half land after the rename).
    let anywhere = save_time * 3 / 2;
    let in_write = write_time * 2;
    println!(
        "crash-during-save: {} bytes per version; a save takes {render_time:.1?} to render \
         and {write_time:.1?} to write; kills at 0–{anywhere:.0?} after the child is ready \
         or 0–{in_write:.1?} after its temp file appears; seed {seed:#x}",
        versions[0].len()
    );

    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let mut rng = Rng(seed);
    let mut tally = Tally::default();
    let mut last = fs::read(&target).unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    for run in 0..runs {
        tally.runs += 1;
        let mut child = spawn_child(&exe, &target, run % VERSIONS as u64);
        let pid = child.id();
        let temp = dir.path().join(format!(".{name}.{pid}{TEMP_SUFFIX}"));
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        let mut lines = std::io::BufReader::new(stdout).lines();
        let ready = lines.any(|l| l.is_ok_and(|l| l.trim() == READY));
        let aim = !rng.next().is_multiple_of(3);
        let delay = if aim {
            random_delay(&mut rng, in_write)
        } else {
            random_delay(&mut rng, anywhere)
        };
        if ready {
            if aim && wait_for(&temp, save_time * 20 + Duration::from_secs(5)) {
                tally.aimed += 1;
            }
            std::thread::sleep(delay);
        }
        let _ = child.kill();
        let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
        #[cfg(unix)]
        let killed = std::os::unix::process::ExitStatusExt::signal(&status) == Some(9);
        #[cfg(not(unix))]
        let killed = !status.success();
        if !ready || !killed {
            let mut stderr = String::new();
            if let Some(mut err) = child.stderr.take() {
                let _ = err.read_to_string(&mut stderr);
            }
            tally.failures.push(format!(
                "run {run}: the child {} ({status}): {stderr}",
                if ready {
                    "stopped by itself"
                } else {
                    "never got ready"
                }
            ));
            continue;
        }

        let temps = temp_files(dir.path(), name);
        tally.max_temps = tally.max_temps.max(temps.len());
        let own = format!(".{pid}{TEMP_SUFFIX}");
        let own_temps = temps.iter().filter(|t| t.ends_with(&own));
        let (bak_temps, file_temps): (Vec<_>, Vec<_>) =
            own_temps.partition(|t| t.starts_with(&format!(".{name}.bak.")));
        tally.mid_write += u64::from(!file_temps.is_empty());
        tally.mid_backup += u64::from(!bak_temps.is_empty());
        let when = format!(
            "run {run}, kill {delay:?} after {}",
            if aim { "temp" } else { "ready" }
        );
        let now = fs::read(&target).unwrap_or_else(|e| panic!("{e}"));
        if let Err(why) = which_version(&now, &versions) {
            tally.failures.push(format!("{when}: {name} {why}"));
        }
        tally.changed += u64::from(now != last);
        last = now;
        match fs::read(&bak) {
            Ok(bytes) => {
                if let Err(why) = which_version(&bytes, &versions) {
                    tally.failures.push(format!("{when}: {name}.bak {why}"));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => tally.failures.push(format!("{when}: {name}.bak: {e}")),
        }
    }
    let elapsed = started.elapsed();

    // The loader reads the file itself, never a temp file beside it.
    let loaded = format::load_annotations(&target, None).unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.set.claims().len() >= CLAIMS);
    // One more save clears what the killed children left behind and keeps
    // the file it replaces as the backup.
    let before = fs::read(&target).unwrap_or_else(|e| panic!("{e}"));
    let other = (which_version(&before, &versions).unwrap_or(0) + 1) % VERSIONS;
    format::save_annotations(&target, &big_set(other), Some(&article), false)
        .unwrap_or_else(|e| panic!("{e}"));
    let leftover = temp_files(dir.path(), name);
    if !leftover.is_empty() {
        tally
            .failures
            .push(format!("temp files left after a clean save: {leftover:?}"));
    }
    if fs::read(&target).ok().as_ref() != Some(&versions[other]) {
        tally
            .failures
            .push(format!("a clean save did not write version {other}"));
    }
    if fs::read(&bak).ok() != Some(before) {
        tally
            .failures
            .push("a clean save did not keep the file it replaced as the backup".into());
    }

    println!(
        "crash-during-save: {} runs, {} killed mid-write (temp file present), {} failures",
        tally.runs,
        tally.mid_write,
        tally.failures.len()
    );
    println!(
        "crash-during-save: {} kills aimed at a write, {} landed while the backup was being \
         made, the file changed in {} runs, at most {} temp files at once; {elapsed:.1?}",
        tally.aimed, tally.mid_backup, tally.changed, tally.max_temps
    );
    assert!(
        tally.failures.is_empty(),
        "{} failures:\n{}",
        tally.failures.len(),
        tally.failures.join("\n")
    );
    // Each save clears temp files of dead processes, so they cannot pile up;
    // a few can meet when children are killed before their first save.
    assert!(
        tally.max_temps <= 8,
        "{} temp files at once",
        tally.max_temps
    );
    // The kills did land during writes, and saves did complete between them.
    if runs >= 50 {
        assert!(tally.mid_write > 0, "no kill landed mid-write");
        assert!(tally.changed > 0, "no save completed");
    }
}
