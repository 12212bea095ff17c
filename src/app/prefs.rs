//! User preferences, kept in eframe's key/value storage (not in annotation files).

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// How many recent files the File menu lists.
const RECENT_LIMIT: usize = 10;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// Recorded as the author of new claims.
    pub author: String,
    /// The user has said which name to record (asked before the first save).
    pub author_confirmed: bool,
    pub recent: Vec<PathBuf>,
    pub theme: ThemeChoice,
    /// The article's font family (`None`: the built-in font).
    pub article_font: Option<String>,
    pub font_size: f32,
    /// The side panels are shown (each can be collapsed).
    pub show_list: bool,
    pub show_editor: bool,
    /// Who publishes the desk's fact-checks, and each review's address
    /// (`{id}` the claim): offered for files that name no publisher.
    pub publisher_name: String,
    pub publisher_url: String,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            author: default_author(),
            author_confirmed: false,
            recent: Vec::new(),
            theme: ThemeChoice::System,
            article_font: None,
            font_size: 17.0,
            show_list: true,
            show_editor: true,
            publisher_name: String::new(),
            publisher_url: String::new(),
        }
    }
}

impl Prefs {
    pub const STORAGE_KEY: &'static str = "factmark-prefs";

    /// The desk's publisher, as the preferences record it.
    pub fn publisher(&self) -> crate::model::Publisher {
        crate::model::Publisher::new(
            self.publisher_name.trim().to_owned(),
            self.publisher_url.trim().to_owned(),
        )
    }

    /// Moves `path` (as the job that opened or saved it resolved it) to the
    /// top of the recent list.
    pub fn remember(&mut self, path: PathBuf) {
        self.recent.retain(|p| p != &path);
        self.recent.insert(0, path);
        self.recent.truncate(RECENT_LIMIT);
    }

    pub fn forget(&mut self, path: &std::path::Path) {
        self.recent.retain(|p| p != path);
    }
}

/// The OS user name, or "anonymous" (until the user says otherwise).
pub fn default_author() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "anonymous".to_owned())
}

/// The name to suggest when asking the user for theirs: their full name as
/// the system records it, else their user name.
pub fn suggested_author() -> String {
    os_full_name().unwrap_or_else(default_author)
}

/// The full-name field of the user's account (the first part of GECOS).
#[cfg(unix)]
fn os_full_name() -> Option<String> {
    let mut pwd: libc::passwd = unsafe {
        // SAFETY: a plain C struct of pointers and integers; all-zero is a
        // valid value, and getpwuid_r fills it in.
        std::mem::zeroed()
    };
    let mut buf = vec![0 as libc::c_char; 16 * 1024];
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer points into memory we own for the call's length.
    let rc = unsafe {
        libc::getpwuid_r(
            libc::getuid(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut found,
        )
    };
    if rc != 0 || found.is_null() || pwd.pw_gecos.is_null() {
        return None;
    }
    // SAFETY: getpwuid_r succeeded, so pw_gecos is a NUL-terminated string in `buf`.
    let gecos = unsafe { std::ffi::CStr::from_ptr(pwd.pw_gecos) }.to_string_lossy();
    let name = gecos.split(',').next()?.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

#[cfg(not(unix))]
fn os_full_name() -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_are_unique_newest_first_and_bounded() {
        let mut prefs = Prefs {
            recent: Vec::new(),
            ..Prefs::default()
        };
        for i in 0..15 {
            prefs.remember(PathBuf::from(format!("/nonexistent/{i}.ron")));
        }
        prefs.remember(PathBuf::from("/nonexistent/3.ron"));
        assert_eq!(prefs.recent.len(), RECENT_LIMIT);
        assert_eq!(prefs.recent[0], PathBuf::from("/nonexistent/3.ron"));
        assert_eq!(
            prefs.recent.iter().filter(|p| p.ends_with("3.ron")).count(),
            1
        );
    }
}
