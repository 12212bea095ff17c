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
    pub recent: Vec<PathBuf>,
    pub theme: ThemeChoice,
    pub font_size: f32,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            author: default_author(),
            recent: Vec::new(),
            theme: ThemeChoice::System,
            font_size: 17.0,
        }
    }
}

impl Prefs {
    pub const STORAGE_KEY: &'static str = "factmark-prefs";

    /// Moves `path` to the top of the recent list.
    pub fn remember(&mut self, path: PathBuf) {
        let path = std::fs::canonicalize(&path).unwrap_or(path);
        self.recent.retain(|p| p != &path);
        self.recent.insert(0, path);
        self.recent.truncate(RECENT_LIMIT);
    }

    pub fn forget(&mut self, path: &std::path::Path) {
        self.recent.retain(|p| p != path);
    }
}

/// The OS user name, or "anonymous".
pub fn default_author() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "anonymous".to_owned())
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
