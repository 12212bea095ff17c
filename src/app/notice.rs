//! The one feedback channel: everything factmark tells the user about what it
//! did or could not do is a [`Notice`] with a severity. Information and
//! warnings go to the status line; errors also open a dialog that stays until
//! dismissed, so a failed save can never scroll past unread.

/// How much a notice matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something happened as asked ("Saved notes.ron").
    Info,
    /// It happened, but not quite as asked ("Saved, but the backup failed").
    Warning,
    /// It did not happen; nothing was changed.
    Error,
}

/// Something to tell the user.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub severity: Severity,
    pub text: String,
}

impl Notice {
    pub fn info(text: impl Into<String>) -> Self {
        Self {
            severity: Severity::Info,
            text: text.into(),
        }
    }

    pub fn warning(text: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            text: text.into(),
        }
    }

    pub fn error(text: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            text: text.into(),
        }
    }
}

/// What is being shown: the latest notice on the status line, and the
/// errors waiting to be read, oldest first.
#[derive(Debug, Default)]
pub struct Notices {
    status: Option<Notice>,
    errors: Vec<String>,
}

impl Notices {
    pub fn push(&mut self, notice: Notice) {
        if notice.severity == Severity::Error && self.errors.last() != Some(&notice.text) {
            self.errors.push(notice.text.clone());
        }
        self.status = Some(notice);
    }

    /// The notice on the status line.
    pub fn status(&self) -> Option<&Notice> {
        self.status.as_ref()
    }

    /// The error the dialog shows now, if any.
    pub fn error(&self) -> Option<&str> {
        self.errors.first().map(String::as_str)
    }

    /// The user read the error shown.
    pub fn dismiss_error(&mut self) {
        if !self.errors.is_empty() {
            self.errors.remove(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_wait_in_order_and_the_status_line_shows_the_latest() {
        let mut notices = Notices::default();
        notices.push(Notice::error("Could not save"));
        notices.push(Notice::info("Opened x"));
        notices.push(Notice::error("Could not open y"));
        notices.push(Notice::error("Could not open y"));
        assert_eq!(
            notices.status().map(|n| n.text.as_str()),
            Some("Could not open y")
        );
        assert_eq!(notices.error(), Some("Could not save"));
        notices.dismiss_error();
        assert_eq!(notices.error(), Some("Could not open y"));
        notices.dismiss_error();
        assert_eq!(notices.error(), None);
    }
}
