//! Undo/redo stacks of inverse edits, with a state id per step so the dirty flag
//! is exact: undoing back to the saved state makes the document clean again.

use super::Edit;

#[derive(Clone, Debug)]
struct Step {
    /// The edit that takes the document back across this step.
    inverse: Edit,
    label: &'static str,
    coalesce_key: Option<String>,
    /// State id before and after the step.
    before: u64,
    after: u64,
}

/// Undo and redo stacks.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    state: u64,
    next_state: u64,
}

/// How many steps the undo stack keeps.
const UNDO_LIMIT: usize = 10_000;

impl History {
    /// Id of the current state; equal ids mean equal documents.
    pub fn state(&self) -> u64 {
        self.state
    }

    pub fn undo_label(&self) -> Option<&'static str> {
        self.undo.last().map(|s| s.label)
    }

    pub fn redo_label(&self) -> Option<&'static str> {
        self.redo.last().map(|s| s.label)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Records a newly applied edit (given as its label/key and inverse).
    pub(crate) fn record(&mut self, edit: &Edit, inverse: Edit) {
        self.redo.clear();
        let key = edit.coalesce_key();
        if let (Some(key), Some(top)) = (&key, self.undo.last_mut())
            && top.coalesce_key.as_ref() == Some(key)
            && top.after == self.state
        {
            // Keep the oldest inverse; the step now ends at a new state.
            self.next_state += 1;
            top.after = self.next_state;
            self.state = top.after;
            return;
        }
        self.next_state += 1;
        self.undo.push(Step {
            inverse,
            label: edit.label(),
            coalesce_key: key,
            before: self.state,
            after: self.next_state,
        });
        self.state = self.next_state;
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
    }

    /// Stops the next edit from merging into the last step (e.g. the note lost focus).
    pub fn seal(&mut self) {
        if let Some(top) = self.undo.last_mut() {
            top.coalesce_key = None;
        }
    }

    pub(crate) fn pop_undo(&mut self) -> Option<(Edit, &'static str, u64, u64)> {
        self.undo
            .pop()
            .map(|s| (s.inverse, s.label, s.before, s.after))
    }

    pub(crate) fn pop_redo(&mut self) -> Option<(Edit, &'static str, u64, u64)> {
        self.redo
            .pop()
            .map(|s| (s.inverse, s.label, s.before, s.after))
    }

    /// After undoing: `redo_edit` re-does the step that went from `before` to `after`.
    pub(crate) fn push_redo(
        &mut self,
        redo_edit: Edit,
        label: &'static str,
        before: u64,
        after: u64,
    ) {
        self.redo.push(Step {
            inverse: redo_edit,
            label,
            coalesce_key: None,
            before,
            after,
        });
        self.state = before;
    }

    /// After redoing: `undo_edit` undoes the step again.
    pub(crate) fn push_undo(
        &mut self,
        undo_edit: Edit,
        label: &'static str,
        before: u64,
        after: u64,
    ) {
        self.undo.push(Step {
            inverse: undo_edit,
            label,
            coalesce_key: None,
            before,
            after,
        });
        self.state = after;
    }
}
