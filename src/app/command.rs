//! Every user action is a [`Command`]: its label, tooltip, shortcuts and the
//! focus it needs live here, once. The menus, the shortcut handler, the help
//! window and the README's shortcut table are all made from this registry
//! (a test keeps the README in step and shortcuts unique).
//!
//! Single-letter shortcuts ([`Scope::Content`]) act only while the article or
//! the claim list has keyboard focus: never while a text field has it, never
//! under a dialog, and never in a frame where a click may just have moved the
//! focus, so typing into a field can never change a claim.

use egui::{Key, KeyboardShortcut, Modifiers};

/// A user action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    NewFromText,
    NewFromClipboard,
    Open,
    OpenUrl,
    ReloadArticle,
    LocateArticle,
    Compare,
    Import,
    Export,
    Save,
    SaveAs,
    Quit,
    Undo,
    Redo,
    NewClaim,
    DeleteClaim,
    MarkAgreed,
    MarkDisputed,
    MarkUnreviewed,
    NextClaim,
    PreviousClaim,
    Find,
    FindNext,
    ShowParties,
    ShowPublishing,
    ShowReview,
    ShowDetails,
    ShowPreferences,
    ToggleClaimList,
    ToggleClaimEditor,
    ZoomIn,
    ZoomOut,
    ShowShortcuts,
}

/// Where a shortcut works.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Anywhere in the window, also while typing in a field (Ctrl combinations
    /// and function keys), but not under a dialog.
    Window,
    /// Only while the article or the claim list has keyboard focus: plain
    /// keys, which a text field would type.
    Content,
}

/// The menu a command is listed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    File,
    Edit,
    View,
    Help,
}

/// A key with modifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Keys {
    pub modifiers: Modifiers,
    pub key: Key,
}

const fn plain(key: Key) -> Keys {
    Keys {
        modifiers: Modifiers::NONE,
        key,
    }
}

const fn ctrl(key: Key) -> Keys {
    Keys {
        modifiers: Modifiers::COMMAND,
        key,
    }
}

const fn ctrl_shift(key: Key) -> Keys {
    Keys {
        modifiers: Modifiers {
            alt: false,
            ctrl: false,
            shift: true,
            mac_cmd: false,
            command: true,
        },
        key,
    }
}

impl Keys {
    /// Plain keys that type text act only on the content; the rest anywhere.
    pub fn scope(self) -> Scope {
        let function_key = matches!(
            self.key,
            Key::F1
                | Key::F2
                | Key::F3
                | Key::F4
                | Key::F5
                | Key::F6
                | Key::F7
                | Key::F8
                | Key::F9
                | Key::F10
                | Key::F11
                | Key::F12
        );
        let m = self.modifiers;
        if m.command || m.ctrl || m.alt || function_key {
            Scope::Window
        } else {
            Scope::Content
        }
    }

    pub fn shortcut(self) -> KeyboardShortcut {
        KeyboardShortcut::new(self.modifiers, self.key)
    }

    /// As the README and the help window write it: `Ctrl+Shift+S`, `?`.
    pub fn text(self) -> String {
        let mut text = String::new();
        if self.modifiers.command || self.modifiers.ctrl {
            text.push_str("Ctrl+");
        }
        if self.modifiers.alt {
            text.push_str("Alt+");
        }
        if self.modifiers.shift {
            text.push_str("Shift+");
        }
        text.push_str(match self.key {
            Key::Questionmark => "?",
            Key::OpenBracket => "[",
            Key::CloseBracket => "]",
            Key::Plus => "+",
            Key::Equals => "=",
            Key::Minus => "-",
            Key::Comma => ",",
            Key::Num1 => "1",
            Key::Num2 => "2",
            key => key.name(),
        });
        text
    }
}

/// What the registry says about a command.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub label: &'static str,
    pub tooltip: &'static str,
    pub keys: &'static [Keys],
    pub menu: Menu,
}

/// A `&'static [Keys]` from `const fn` calls.
macro_rules! keys {
    ($($k:expr),* $(,)?) => {{
        const KEYS: &[Keys] = &[$($k),*];
        KEYS
    }};
}

impl Command {
    /// Every command, in menu order.
    pub const ALL: [Command; 33] = [
        Command::NewFromText,
        Command::NewFromClipboard,
        Command::Open,
        Command::OpenUrl,
        Command::ReloadArticle,
        Command::LocateArticle,
        Command::Compare,
        Command::Import,
        Command::Export,
        Command::Save,
        Command::SaveAs,
        Command::Quit,
        Command::Undo,
        Command::Redo,
        Command::NewClaim,
        Command::DeleteClaim,
        Command::MarkAgreed,
        Command::MarkDisputed,
        Command::MarkUnreviewed,
        Command::NextClaim,
        Command::PreviousClaim,
        Command::Find,
        Command::FindNext,
        Command::ShowParties,
        Command::ShowPublishing,
        Command::ShowReview,
        Command::ShowDetails,
        Command::ShowPreferences,
        Command::ToggleClaimList,
        Command::ToggleClaimEditor,
        Command::ZoomIn,
        Command::ZoomOut,
        Command::ShowShortcuts,
    ];

    /// Whether it changes the document or starts file work (see
    /// `Intent::changes_document`); looking, moving and the window's own
    /// settings do not.
    pub fn changes_document(self) -> bool {
        !matches!(
            self,
            Command::Quit
                | Command::NextClaim
                | Command::PreviousClaim
                | Command::Find
                | Command::FindNext
                | Command::ShowParties
                | Command::ShowPublishing
                | Command::ShowReview
                | Command::ShowDetails
                | Command::NewFromText
                | Command::NewFromClipboard
                | Command::ShowPreferences
                | Command::ToggleClaimList
                | Command::ToggleClaimEditor
                | Command::ZoomIn
                | Command::ZoomOut
                | Command::ShowShortcuts
        )
    }

    pub fn spec(self) -> Spec {
        use Command::*;
        let spec = |label, tooltip, keys, menu| Spec {
            label,
            tooltip,
            keys,
            menu,
        };
        match self {
            NewFromText => spec(
                "New article from text…",
                "Paste or type an article, with its title and where it was published",
                keys![ctrl(Key::N)],
                Menu::File,
            ),
            NewFromClipboard => spec(
                "New article from clipboard",
                "Start a new article with the text on the clipboard",
                // Not Ctrl+Shift+V: in a text field that pastes.
                &[],
                Menu::File,
            ),
            Open => spec(
                "Open…",
                "Open an article (.txt, .md), a saved web page (.html) or an annotation file (.ron)",
                keys![ctrl(Key::O)],
                Menu::File,
            ),
            OpenUrl => spec(
                "Open web address…",
                "Fetch a web page and annotate its article (the page is kept beside the annotations)",
                keys![ctrl_shift(Key::O)],
                Menu::File,
            ),
            ReloadArticle => spec(
                "Reload article",
                "Read the article again (after it changed on disk) and re-anchor the claims",
                keys![ctrl(Key::R)],
                Menu::File,
            ),
            LocateArticle => spec(
                "Locate article…",
                "Choose the article these annotations were made on",
                &[],
                Menu::File,
            ),
            Compare => spec(
                "Compare with a colleague's file…",
                "See where their claims differ from yours and take what is right",
                &[],
                Menu::File,
            ),
            Import => spec(
                "Import annotations…",
                "Take in W3C Web Annotation or Hypothesis JSON made on this article, as a new annotation file",
                &[],
                Menu::File,
            ),
            Export => spec(
                "Export…",
                "Write the claims as a ClaimReview, a report (HTML, Markdown), W3C annotations, brat or CSV",
                keys![ctrl(Key::E)],
                Menu::File,
            ),
            Save => spec(
                "Save",
                "Save the annotations",
                keys![ctrl(Key::S)],
                Menu::File,
            ),
            SaveAs => spec(
                "Save as…",
                "Save the annotations under another name",
                keys![ctrl_shift(Key::S)],
                Menu::File,
            ),
            Quit => spec(
                "Quit",
                "Close factmark (asks first about unsaved changes)",
                keys![ctrl(Key::Q)],
                Menu::File,
            ),
            Undo => spec(
                "Undo",
                "Undo the last change",
                keys![ctrl(Key::Z)],
                Menu::Edit,
            ),
            Redo => spec(
                "Redo",
                "Redo what was undone",
                keys![ctrl_shift(Key::Z), ctrl(Key::Y)],
                Menu::Edit,
            ),
            NewClaim => spec(
                "New claim from selection",
                "Turn the selected text into a claim",
                keys![ctrl(Key::Enter), plain(Key::N)],
                Menu::Edit,
            ),
            DeleteClaim => spec(
                "Delete claim",
                "Delete the selected claim (Ctrl+Z brings it back)",
                keys![plain(Key::Delete), plain(Key::Backspace)],
                Menu::Edit,
            ),
            MarkAgreed => spec(
                "Mark Agreed",
                "The parties agree with the selected claim",
                keys![plain(Key::A)],
                Menu::Edit,
            ),
            MarkDisputed => spec(
                "Mark Disputed",
                "A party disputes the selected claim",
                keys![plain(Key::D)],
                Menu::Edit,
            ),
            MarkUnreviewed => spec(
                "Mark Unreviewed",
                "The selected claim is not reviewed yet",
                keys![plain(Key::U)],
                Menu::Edit,
            ),
            NextClaim => spec(
                "Next claim",
                "Select the next claim in the list",
                keys![plain(Key::J), plain(Key::CloseBracket)],
                Menu::Edit,
            ),
            PreviousClaim => spec(
                "Previous claim",
                "Select the previous claim in the list",
                keys![plain(Key::K), plain(Key::OpenBracket)],
                Menu::Edit,
            ),
            Find => spec(
                "Find in article",
                "Type text to find in the article",
                keys![ctrl(Key::F)],
                Menu::Edit,
            ),
            FindNext => spec(
                "Find next",
                "Find the next place the text occurs",
                keys![plain(Key::F3)],
                Menu::Edit,
            ),
            ShowParties => spec(
                "Parties…",
                "Add, rename, recolour and delete parties",
                &[],
                Menu::Edit,
            ),
            ShowPublishing => spec(
                "Publisher and rating scale…",
                "Who publishes the fact-checks, and the ratings verdicts are given on",
                &[],
                Menu::Edit,
            ),
            ShowReview => spec(
                "Review changed claims…",
                "The claims found where their text changed: confirm each, or all close ones at once",
                &[],
                Menu::Edit,
            ),
            ShowDetails => spec(
                "Article details…",
                "Where, when and by whom the article was published: address, byline, dates, language",
                &[],
                Menu::Edit,
            ),
            ShowPreferences => spec(
                "Preferences…",
                "Your name, the theme and the article's text size",
                keys![ctrl(Key::Comma)],
                Menu::Edit,
            ),
            ToggleClaimList => spec(
                "Claim list",
                "Show or hide the claim list on the left",
                keys![ctrl(Key::Num1)],
                Menu::View,
            ),
            ToggleClaimEditor => spec(
                "Claim editor",
                "Show or hide the claim editor on the right",
                keys![ctrl(Key::Num2)],
                Menu::View,
            ),
            ZoomIn => spec(
                "Larger text",
                "Make the article's text larger",
                keys![ctrl(Key::Plus), ctrl(Key::Equals)],
                Menu::View,
            ),
            ZoomOut => spec(
                "Smaller text",
                "Make the article's text smaller",
                keys![ctrl(Key::Minus)],
                Menu::View,
            ),
            ShowShortcuts => spec(
                "Keyboard shortcuts",
                "Show every shortcut",
                keys![plain(Key::F1), plain(Key::Questionmark)],
                Menu::Help,
            ),
        }
    }

    /// The shortcuts as one line: `Ctrl+Shift+Z, Ctrl+Y`.
    pub fn keys_text(self) -> String {
        let keys: Vec<String> = self.spec().keys.iter().map(|k| k.text()).collect();
        keys.join(", ")
    }
}

/// Keys the article view handles itself, listed with the commands.
pub const TEXT_KEYS: &[(&str, &str)] = &[
    (
        "Shift+arrows, Ctrl+Shift+arrows",
        "Extend the selection by char / word (click the text first)",
    ),
    ("Home / End", "Start / end of paragraph"),
    ("Double-click", "Select a word"),
    ("Ctrl+A, Ctrl+C", "Select all / copy the selected text"),
    (
        "Esc",
        "Clear the selection, or close the window or dialog on top",
    ),
];

/// Every shortcut as (keys, command, what it does): the help window and
/// the README.
pub fn shortcut_rows() -> Vec<(String, &'static str, &'static str)> {
    let commands = Command::ALL
        .iter()
        .filter(|c| !c.spec().keys.is_empty())
        .map(|c| (c.keys_text(), c.spec().label, c.spec().tooltip));
    let text_keys = TEXT_KEYS
        .iter()
        .map(|(k, w)| ((*k).to_owned(), "In the article", *w));
    commands.chain(text_keys).collect()
}

/// The shortcut table as Markdown, as the README holds it.
pub fn shortcut_table() -> String {
    let mut table = String::from("| Keys | Command | What it does |\n| --- | --- | --- |\n");
    for (keys, label, what) in shortcut_rows() {
        table.push_str(&format!("| `{keys}` | {label} | {what} |\n"));
    }
    table
}

/// What decides whether a shortcut may act this frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Focus {
    /// A text field has keyboard focus.
    pub typing: bool,
    /// The article or the claim list has keyboard focus.
    pub content: bool,
    /// A dialog is open (it has its own keys).
    pub dialog: bool,
    /// A pointer button went down this frame: the focus may be moving.
    pub clicked: bool,
}

impl Focus {
    pub fn allows(self, scope: Scope) -> bool {
        !self.dialog
            && match scope {
                Scope::Window => true,
                Scope::Content => self.content && !self.typing && !self.clicked,
            }
    }
}

/// The commands whose shortcuts were pressed this frame, consuming their
/// key events. A command that gives a text field the focus (Find) counts as
/// typing for the rest of the frame, so letters typed right after Ctrl+F go
/// into the field, not to shortcuts.
pub fn pressed(ctx: &egui::Context, mut focus: Focus) -> Vec<Command> {
    // Longest modifier sets first: egui matches Ctrl+Z inside Ctrl+Shift+Z.
    let mut bindings: Vec<(Keys, Command)> = Command::ALL
        .iter()
        .flat_map(|&c| c.spec().keys.iter().map(move |&k| (k, c)))
        .collect();
    bindings.sort_by_key(|(k, _)| {
        let m = k.modifiers;
        std::cmp::Reverse(u8::from(m.command) + u8::from(m.shift) + u8::from(m.alt))
    });
    let mut out = Vec::new();
    for (keys, command) in bindings {
        if out.contains(&command) || !focus.allows(keys.scope()) {
            continue;
        }
        if ctx.input_mut(|i| i.consume_shortcut(&keys.shortcut())) {
            out.push(command);
            focus.typing |= command == Command::Find;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_commands_share_a_shortcut() {
        let mut seen = std::collections::HashMap::new();
        for command in Command::ALL {
            for keys in command.spec().keys {
                if let Some(other) = seen.insert(*keys, command) {
                    panic!("{} is both {other:?} and {command:?}", keys.text());
                }
            }
        }
        let texts: Vec<String> = TEXT_KEYS.iter().map(|(k, _)| (*k).to_owned()).collect();
        for command in Command::ALL {
            for keys in command.spec().keys {
                assert!(
                    !texts
                        .iter()
                        .any(|t| t.split(", ").any(|k| k == keys.text())),
                    "{} is also an article key",
                    keys.text()
                );
            }
        }
    }

    #[test]
    fn every_command_is_listed_once() {
        let mut all = Command::ALL.to_vec();
        all.dedup();
        assert_eq!(all.len(), Command::ALL.len());
        for command in Command::ALL {
            let spec = command.spec();
            assert!(
                !spec.label.is_empty() && !spec.tooltip.is_empty(),
                "{command:?}"
            );
        }
    }

    #[test]
    fn the_readme_table_is_the_registry() {
        let readme = include_str!("../../README.md");
        let table = shortcut_table();
        assert!(
            readme.contains(&table),
            "README.md's shortcut table differs from the registry; it should read:\n{table}"
        );
    }

    #[test]
    fn letters_act_only_on_the_article_or_the_list() {
        let content = Focus {
            content: true,
            ..Focus::default()
        };
        assert!(content.allows(Scope::Content));
        for blocked in [
            Focus::default(),
            Focus {
                typing: true,
                ..content
            },
            Focus {
                dialog: true,
                ..content
            },
            Focus {
                clicked: true,
                ..content
            },
        ] {
            assert!(!blocked.allows(Scope::Content), "{blocked:?}");
        }
        assert!(Focus::default().allows(Scope::Window));
        assert!(
            !Focus {
                dialog: true,
                ..Focus::default()
            }
            .allows(Scope::Window)
        );
    }

    #[test]
    fn keys_read_as_people_write_them() {
        assert_eq!(ctrl_shift(Key::S).text(), "Ctrl+Shift+S");
        assert_eq!(plain(Key::Questionmark).text(), "?");
        assert_eq!(Command::Redo.keys_text(), "Ctrl+Shift+Z, Ctrl+Y");
    }
}
