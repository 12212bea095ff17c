//! Which paths a file from someone else may make factmark read or write.
//!
//! An annotation file names its article by a path, and files arrive by mail,
//! shared folders and `git pull` (which materialises symbolic links). A path
//! from a file is therefore judged before it is followed:
//! - **reading**: an article path is read without asking only when, after
//!   every link is resolved, it lies inside the annotation file's own folder
//!   tree and passes through no hidden file or folder (`.ssh`, `.aws`, `.git`)
//!   and is not a known secret (private keys, credential files). Anything else
//!   is shown to the user with the place it really leads to, and read only if
//!   they agree ([`judge_read`]);
//! - **writing**: saving never follows a link out of the folder the link is
//!   in, nor to another file than the one that was opened ([`write_target`]).

use super::FormatError;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// Why a path is not read without asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Doubt {
    /// The file names an absolute path.
    Absolute,
    /// The path leads (perhaps through a link) outside the file's folder.
    Outside,
    /// The path passes through a hidden file or folder.
    Hidden,
    /// The name is that of a private key or a credentials file.
    Secret,
}

impl Doubt {
    /// Completes "It was not read because …".
    pub fn reason(self) -> &'static str {
        match self {
            Doubt::Absolute => "the file names it by an absolute path",
            Doubt::Outside => "it lies outside the annotation file's folder",
            Doubt::Hidden => "it is in a hidden folder or is a hidden file",
            Doubt::Secret => "its name is that of a private key or a credentials file",
        }
    }
}

/// The verdict on a path named by a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    /// May be read: `resolved` is where it leads, links followed.
    Allowed { resolved: PathBuf },
    /// Nothing is there to read.
    Missing,
    /// Ask first, naming `resolved`, the place the path really leads to.
    Ask { resolved: PathBuf, doubt: Doubt },
}

/// File names (compared without case) that hold secrets, never articles.
const SECRET_NAMES: &[&str] = &[
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    "id_ecdsa_sk",
    "id_ed25519_sk",
    "identity",
    "authorized_keys",
    "known_hosts",
    "credentials",
    "credentials.json",
    "credentials.db",
    "access_tokens.db",
    "secrets.json",
    "secrets.yaml",
    "secrets.yml",
    "shadow",
    "gshadow",
    "master.key",
    "wallet.dat",
    "login.keychain",
    "login.keychain-db",
    "key4.db",
    "logins.json",
    "cookies.sqlite",
];

/// Extensions (compared without case) of key stores and key files.
const SECRET_EXTENSIONS: &[&str] = &[
    "pem", "key", "p12", "pfx", "jks", "keystore", "kdbx", "kdb", "gpg", "pgp", "ppk", "ovpn",
];

/// Words that make a file name look like a secret (compared without case).
const SECRET_WORDS: &[&str] = &["secret", "password", "passwd", "credential", "private_key"];

/// Whether a file name is that of a known kind of secret.
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    let extension = lower.rsplit_once('.').map(|(_, e)| e);
    SECRET_NAMES.contains(&lower.as_str())
        || extension.is_some_and(|e| SECRET_EXTENSIONS.contains(&e))
        || SECRET_WORDS.iter().any(|w| lower.contains(w))
}

/// The folder a file is in (`.` for a bare name).
pub fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A doubt about a path recorded in a file that shows in its words alone,
/// judged before anything is looked up: an absolute path, a drive or a URL
/// scheme (`C:`, `file:`), a network path (`\\server\share`). Looking a
/// network path up could already reach out to another machine.
pub fn doubt_in_words(recorded: &str) -> Option<Doubt> {
    let absolute = Path::new(recorded).is_absolute()
        || recorded.starts_with(['/', '\\'])
        || recorded.contains(':');
    absolute.then_some(Doubt::Absolute)
}

/// Judges `named`, a path a file asks factmark to read, against `root`, the
/// folder whose tree may be read without asking (the annotation file's
/// folder). `accepted` is a resolved path the user already agreed to read
/// for this document: it is read without asking again, as long as the path
/// still leads there.
pub fn judge_read(root: &Path, named: &Path, accepted: Option<&Path>) -> Access {
    let Ok(resolved) = fs::canonicalize(named) else {
        return Access::Missing;
    };
    if accepted == Some(resolved.as_path()) {
        return Access::Allowed { resolved };
    }
    let ask = |doubt| Access::Ask {
        resolved: resolved.clone(),
        doubt,
    };
    if named.is_absolute() && !named.starts_with(root) {
        return ask(Doubt::Absolute);
    }
    let Ok(canonical_root) = fs::canonicalize(root) else {
        return ask(Doubt::Outside);
    };
    let Ok(inside) = resolved.strip_prefix(&canonical_root) else {
        return ask(Doubt::Outside);
    };
    let hidden = |path: &Path| {
        path.components()
            .any(|c| matches!(c, Component::Normal(n) if n.to_string_lossy().starts_with('.')))
    };
    // The path as written counts too: `.ssh/link` leads through a hidden
    // folder even when the link points somewhere plain.
    let as_written = named
        .strip_prefix(root)
        .or_else(|_| named.strip_prefix(&canonical_root))
        .unwrap_or(named);
    if hidden(inside) || hidden(as_written) {
        return ask(Doubt::Hidden);
    }
    let secret = |p: &Path| {
        p.file_name()
            .is_some_and(|n| is_secret_name(&n.to_string_lossy()))
    };
    if secret(&resolved) || secret(named) {
        return ask(Doubt::Secret);
    }
    if !resolved.is_file() {
        // A folder or a device inside the tree: nothing an article could be.
        return Access::Missing;
    }
    Access::Allowed { resolved }
}

/// Where writing `path` really writes: `path` itself, or the file a symbolic
/// link there points to when that file is inside the link's own folder tree
/// and, when `opened` is given (the resolved path of the file that was
/// opened or last saved there), is that same file. Anything else is refused
/// with a message, before anything is written: a link planted over an
/// annotation file (a sync, a `git pull`) must not turn a save into a write
/// to `~/.ssh/authorized_keys`.
pub fn write_target(path: &Path, opened: Option<&Path>) -> Result<PathBuf, FormatError> {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(path.to_path_buf());
    }
    let target = resolve_link(path);
    let refuse = |why: String| {
        Err(FormatError::Refused(format!(
            "{} is a link to {}, {why}; factmark did not write through it. Your work is still \
             open: use File > Save as… to save it under another name.",
            path.display(),
            target.display()
        )))
    };
    let folder = fs::canonicalize(folder_of(path)).unwrap_or_else(|_| folder_of(path).into());
    let target_folder =
        fs::canonicalize(folder_of(&target)).unwrap_or_else(|_| folder_of(&target).into());
    if !target_folder.starts_with(&folder) {
        return refuse("outside the folder the link is in".to_owned());
    }
    if let Some(opened) = opened
        && opened != target
    {
        return refuse(format!(
            "not the file that was opened ({})",
            opened.display()
        ));
    }
    Ok(target)
}

/// The resolved path of the file at `path` (links followed, also a link to
/// a file that does not exist), or `path` itself when there is nothing
/// there: what a later save compares against.
pub fn identity(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| resolve_link(path))
}

/// `path`, or the file it points to when it is a symbolic link, also when
/// that file does not exist yet (so saving creates it and the link stays).
pub(super) fn resolve_link(path: &Path) -> PathBuf {
    let is_link = |p: &Path| fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link(path) {
        return path.to_path_buf();
    }
    if let Ok(target) = fs::canonicalize(path) {
        return target;
    }
    // A dangling link: follow it by hand (bounded, as links may loop).
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match fs::read_link(&current) {
            Ok(next) => current = folder_of(&current).join(next),
            Err(_) => return current,
        }
        if !is_link(&current) {
            return current;
        }
    }
    path.to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let home = fs::canonicalize(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        for folder in ["Downloads/sub", ".aws", ".ssh", "articles"] {
            fs::create_dir_all(home.join(folder)).unwrap_or_else(|e| panic!("{e}"));
        }
        for file in [
            ".aws/credentials",
            ".ssh/id_rsa",
            "Downloads/a.txt",
            "Downloads/sub/b.txt",
            "Downloads/.hidden.txt",
            "Downloads/server.pem",
            "articles/c.txt",
        ] {
            fs::write(home.join(file), "text").unwrap_or_else(|e| panic!("{e}"));
        }
        (dir, home)
    }

    fn judge(home: &Path, folder: &str, source: &str) -> Access {
        let root = home.join(folder);
        judge_read(&root, &root.join(source), None)
    }

    #[test]
    fn paths_inside_the_files_folder_are_read() {
        let (_dir, home) = tree();
        for source in ["a.txt", "sub/b.txt", "./sub/../a.txt"] {
            assert!(
                matches!(judge(&home, "Downloads", source), Access::Allowed { .. }),
                "{source}"
            );
        }
        assert_eq!(judge(&home, "Downloads", "gone.txt"), Access::Missing);
    }

    #[test]
    fn everything_else_asks_and_names_the_real_target() {
        let (_dir, home) = tree();
        let asks = |folder: &str, source: &str, doubt: Doubt, target: &str| {
            assert_eq!(
                judge(&home, folder, source),
                Access::Ask {
                    resolved: home.join(target),
                    doubt
                },
                "{folder}/{source}"
            );
        };
        // One folder up is outside: the old "near" rule let this through.
        asks(
            "Downloads",
            "../.aws/credentials",
            Doubt::Outside,
            ".aws/credentials",
        );
        asks(
            "Downloads",
            "../articles/c.txt",
            Doubt::Outside,
            "articles/c.txt",
        );
        // A file saved in the home folder names a secret without `..`.
        asks("", ".ssh/id_rsa", Doubt::Hidden, ".ssh/id_rsa");
        asks(
            "Downloads",
            ".hidden.txt",
            Doubt::Hidden,
            "Downloads/.hidden.txt",
        );
        asks(
            "Downloads",
            "server.pem",
            Doubt::Secret,
            "Downloads/server.pem",
        );
        let absolute = home.join("Downloads/a.txt");
        assert!(matches!(
            judge_read(&home.join("articles"), &absolute, None),
            Access::Ask {
                doubt: Doubt::Outside | Doubt::Absolute,
                ..
            }
        ));
    }

    #[cfg(unix)]
    #[test]
    fn links_are_judged_by_where_they_lead() {
        let (_dir, home) = tree();
        let link = home.join("Downloads/notes.txt");
        std::os::unix::fs::symlink(home.join(".aws/credentials"), &link)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            judge(&home, "Downloads", "notes.txt"),
            Access::Ask {
                resolved: home.join(".aws/credentials"),
                doubt: Doubt::Outside
            }
        );
        let env = home.join("Downloads/env.txt");
        std::os::unix::fs::symlink("/proc/self/environ", &env).unwrap_or_else(|e| panic!("{e}"));
        if Path::new("/proc/self/environ").exists() {
            assert!(matches!(
                judge(&home, "Downloads", "env.txt"),
                Access::Ask { resolved, .. } if resolved.starts_with("/proc")
            ));
        }
        // Once the user agreed to that target, it is read while the path leads there.
        let accepted = home.join(".aws/credentials");
        assert!(matches!(
            judge_read(&home.join("Downloads"), &link, Some(&accepted)),
            Access::Allowed { .. }
        ));
        // A link inside the tree to a file inside the tree is fine.
        std::os::unix::fs::symlink(
            home.join("Downloads/sub/b.txt"),
            home.join("Downloads/l.txt"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            judge(&home, "Downloads", "l.txt"),
            Access::Allowed { .. }
        ));
    }

    #[test]
    fn secret_names_are_recognised() {
        for name in [
            "id_rsa",
            "ID_ED25519",
            "credentials",
            "x.PEM",
            "my-secrets.txt",
            "a.kdbx",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in ["peace-talks.txt", "article.md", "keynote.txt", "news.html"] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn saving_never_follows_a_link_out_of_its_folder_or_to_another_file() {
        let (_dir, home) = tree();
        let repo = home.join("Downloads");
        let notes = repo.join("notes.ron");
        fs::write(&notes, "mine").unwrap_or_else(|e| panic!("{e}"));
        let opened = identity(&notes);
        assert_eq!(
            write_target(&notes, Some(&opened)).ok(),
            Some(notes.clone())
        );
        // Replaced by a link out of the folder (as a git checkout can do).
        fs::remove_file(&notes).unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink("../.ssh/id_rsa", &notes).unwrap_or_else(|e| panic!("{e}"));
        let err = write_target(&notes, Some(&opened))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("outside") && err.contains("id_rsa"), "{err}");
        assert!(write_target(&notes, None).is_err());
        // A link to another file inside the folder: not the file opened.
        fs::remove_file(&notes).unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink("sub/b.txt", &notes).unwrap_or_else(|e| panic!("{e}"));
        let err = write_target(&notes, Some(&opened))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("not the file that was opened"), "{err}");
        // A link that was what the user opened, inside the tree, is written through.
        let through = identity(&notes);
        assert_eq!(
            write_target(&notes, Some(&through)).ok(),
            Some(repo.join("sub/b.txt"))
        );
    }
}
