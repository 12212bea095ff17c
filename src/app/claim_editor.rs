//! The claim editor: status, claimant, stances, note and evidence of the
//! selected claim. It reads the model and returns [`Intent`]s; it never
//! changes the model itself.

use super::bidi_layout;
use super::command::Command;
use super::intent::Intent;
use super::parties::PartiesWindow;
use super::quote_change;
use super::theme;
use super::within;
use crate::format::limits;
use crate::model::{
    AnchorState, AnnotationSet, Claim, ClaimId, ClaimResolution, Document, Edit, Evidence, Stance,
    Status, StatusOrigin, Verdict, suggested_status,
};
use egui::{RichText, Ui};

/// How much of a changed quote's old and new text the editor shows: a
/// paragraph or two, from a little before the first change.
const CHANGED_QUOTE_CHARS: usize = 1200;

#[derive(Default)]
pub struct ClaimEditor {
    new_party: String,
    /// The evidence item just added: its link field takes the focus, so
    /// what the user types next goes into it.
    focus_evidence: Option<(ClaimId, usize)>,
    /// The quick party field was submitted with Enter: it keeps the focus.
    refocus_party: bool,
}

impl ClaimEditor {
    pub fn show(
        &mut self,
        ui: &mut Ui,
        doc: &Document,
        selected: Option<&ClaimId>,
        parties: &mut PartiesWindow,
    ) -> Vec<Intent> {
        let mut actions = Vec::new();
        ui.add_space(4.0);
        let Some(claim) = selected.and_then(|id| doc.set().claim(id)) else {
            ui.heading("No claim selected");
            ui.label(
                "Select text in the article and press Ctrl+Enter to make it a claim. \
                 Click a highlight or a list entry to edit a claim.",
            );
            ui.add_space(8.0);
            self.parties_section(ui, doc, parties, &mut actions);
            return actions;
        };
        egui::ScrollArea::vertical()
            .id_salt("claim-editor-scroll")
            .auto_shrink(false)
            .show(ui, |ui| {
                self.claim_ui(ui, doc, claim, parties, &mut actions);
            });
        actions
    }

    fn claim_ui(
        &mut self,
        ui: &mut Ui,
        doc: &Document,
        claim: &Claim,
        parties: &mut PartiesWindow,
        actions: &mut Vec<Intent>,
    ) {
        let set = doc.set();
        let id = &claim.id;
        let dark = ui.visuals().dark_mode;
        ui.horizontal_wrapped(|ui| {
            ui.heading("Claim");
            ui.label(RichText::new(&id.0).weak().monospace());
        });
        if let Some(other) = &claim.conflict {
            self.conflict_ui(ui, doc, claim, other, actions);
        }
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let background = theme::highlight_color(std::iter::once(claim.status), dark);
            let prefix = format!("…{}", claim.anchor.prefix);
            // One paragraph: line breaks in the context read as spaces.
            let whole = format!("{prefix}{}{}…", claim.anchor.exact, claim.anchor.suffix)
                .replace('\n', " ");
            let start = prefix.chars().count();
            let quote = start..start + claim.anchor.exact.chars().count();
            let format = egui::TextFormat::simple(
                egui::FontId::proportional(14.0),
                ui.visuals().strong_text_color(),
            );
            bidi_layout::highlighted_label(ui, &whole, &format, (&[quote], background), false);
        });
        match &claim.anchor_state {
            AnchorState::Exact => {}
            AnchorState::Excerpt { .. } => {
                ui.label(format!(
                    "The article is missing: this is the quote in its recorded context \
                     (chars {}–{} of the article).",
                    claim.anchor.start, claim.anchor.end
                ));
            }
            AnchorState::Moved { from } => {
                ui.label(format!(
                    "Found at a new place (was {}–{}).",
                    from.start, from.end
                ));
            }
            AnchorState::Fuzzy { at, score } => {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!(
                        "The text changed. Best match ({:.0}% sure), please confirm:",
                        score * 100.0
                    ),
                );
                // Old and new text one above the other, wrapped to the
                // panel, what changed marked on each.
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    quote_change::was_and_now(
                        ui,
                        &claim.anchor.exact,
                        doc.set().article.slice(at.clone()),
                        CHANGED_QUOTE_CHARS,
                        false,
                    );
                });
                ui.horizontal_wrapped(|ui| {
                    if ui.button("Confirm new place").clicked()
                        && let Ok(edit) = doc.set().confirm_placement(id)
                    {
                        actions.push(Intent::Edit(edit));
                    }
                    if ui
                        .button("Attach to selected text instead")
                        .on_hover_text("Select the right text in the article first")
                        .clicked()
                    {
                        actions.push(Intent::Reattach);
                    }
                });
            }
            AnchorState::Orphaned => {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "This claim's text is not in the article. It is kept in the file. \
                     Select the right text in the article, then re-attach it.",
                );
                if ui.button("Re-attach to selected text").clicked() {
                    actions.push(Intent::Reattach);
                }
            }
        }
        if claim.anchor_state.is_placed() && ui.button("Show in article").clicked() {
            actions.push(Intent::ScrollTo(claim.span().map_or(0, |s| s.start)));
        }
        ui.separator();

        // Status: one click each; the suggestion from stances is shown, never forced.
        ui.label(RichText::new("Status").strong());
        ui.horizontal_wrapped(|ui| {
            for status in Status::ALL {
                let text = RichText::new(status.label()).color(theme::status_color(status, dark));
                let key = match status {
                    Status::Unreviewed => "U",
                    Status::Agreed => "A",
                    Status::Disputed => "D",
                };
                if ui
                    .add(egui::Button::selectable(claim.status == status, text))
                    .on_hover_text(format!("Mark {} (key {key})", status.label()))
                    .clicked()
                {
                    actions.push(Intent::Edit(Edit::SetStatus {
                        claim: id.clone(),
                        status,
                    }));
                }
            }
        });
        // Always one line here, so the controls below never jump under the pointer.
        let suggestion = suggested_status(&claim.stances);
        ui.horizontal_wrapped(|ui| match claim.status_origin {
            StatusOrigin::Suggested if claim.stances.is_empty() => {
                ui.label(RichText::new("Set stances below for a suggested status").weak());
            }
            StatusOrigin::Suggested => {
                ui.label(RichText::new("Suggested by the stances below").weak());
            }
            StatusOrigin::Chosen if suggestion != claim.status && !claim.stances.is_empty() => {
                ui.label(
                    RichText::new(format!(
                        "Chosen by you; stances suggest {}",
                        suggestion.label()
                    ))
                    .weak(),
                );
                if ui.small_button("Use suggestion").clicked() {
                    actions.push(Intent::Edit(Edit::UseSuggestedStatus { claim: id.clone() }));
                }
            }
            StatusOrigin::Chosen => {
                ui.label(RichText::new("Chosen by you").weak());
            }
        });
        ui.separator();
        verdict_section(ui, set, claim, dark, actions);
        ui.separator();

        let claimant_name = claim
            .claimant
            .as_ref()
            .and_then(|p| set.party(p))
            .map_or_else(|| "— nobody —".to_owned(), |p| p.name.clone());
        // The label beside the box, not inside it: a long name is then cut to
        // the box's width instead of wrapping the pair across the panel.
        let label = ui.label(RichText::new("Claimant").strong());
        theme::name_combo("claimant", claimant_name, 220.0)
            .show_ui(ui, |ui| {
                if theme::name_choice(ui, claim.claimant.is_none(), "— nobody —").clicked() {
                    actions.push(Intent::Edit(Edit::SetClaimant {
                        claim: id.clone(),
                        party: None,
                    }));
                }
                for party in set.parties() {
                    let chosen = claim.claimant.as_ref() == Some(&party.id);
                    if theme::name_choice(ui, chosen, &party.name).clicked() {
                        actions.push(Intent::Edit(Edit::SetClaimant {
                            claim: id.clone(),
                            party: Some(party.id.clone()),
                        }));
                    }
                }
            })
            .response
            .labelled_by(label.id);

        ui.add_space(6.0);
        ui.label(RichText::new("Stances").strong());
        if set.parties().is_empty() {
            ui.label(RichText::new("No parties yet — add one below.").weak());
        }
        // One row per party, wrapping in a narrow panel: the name (cut when
        // long) never pushes the buttons out of the panel.
        let name_width = (ui.available_width() - 230.0).clamp(60.0, theme::NAME_WIDTH);
        for party in set.parties() {
            ui.horizontal_wrapped(|ui| {
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                ui.painter()
                    .circle_filled(rect.center(), 5.0, theme::party_color(party.color));
                theme::name_label(ui, &party.name, name_width);
                let current = claim.stances.get(&party.id).copied();
                for (stance, text) in [
                    (Some(Stance::Agrees), "agrees"),
                    (Some(Stance::Disputes), "disputes"),
                    (None, "no stance"),
                ] {
                    let button = egui::Button::selectable(current == stance, text);
                    if ui
                        .add(button)
                        .on_hover_text(format!("{} {text}", party.name))
                        .clicked()
                        && current != stance
                    {
                        actions.push(Intent::Edit(Edit::SetStance {
                            claim: id.clone(),
                            party: party.id.clone(),
                            stance,
                        }));
                    }
                }
            });
        }
        self.parties_section(ui, doc, parties, actions);
        ui.separator();

        ui.label(RichText::new("Note").strong());
        let mut note = claim.note.clone();
        // A long note scrolls in its own box: the fields below stay in reach.
        let response = egui::ScrollArea::vertical()
            .id_salt("note-scroll")
            .max_height(200.0)
            .show(ui, |ui| {
                ui.add(
                    egui::TextEdit::multiline(&mut note)
                        .char_limit(within(limits::MAX_NOTE_BYTES))
                        .hint_text("Why this status? Context, sources, caveats…")
                        .desired_rows(3)
                        .desired_width(f32::INFINITY),
                )
            })
            .inner;
        if response.changed() {
            actions.push(Intent::Edit(Edit::SetNote {
                claim: id.clone(),
                note,
            }));
        }
        if response.lost_focus() {
            actions.push(Intent::Seal);
        }
        ui.separator();
        self.evidence_ui(ui, doc, claim, actions);
        ui.separator();
        let stamp = |t: jiff::Timestamp| t.strftime("%Y-%m-%d %H:%M UTC").to_string();
        ui.label(
            RichText::new(format!(
                "Added by {} on {}; last changed {}",
                if claim.author.is_empty() {
                    "unknown"
                } else {
                    &claim.author
                },
                stamp(claim.created),
                stamp(claim.modified)
            ))
            .weak()
            .small(),
        );
        ui.add_space(6.0);
        let delete =
            egui::Button::new(RichText::new("Delete claim").color(ui.visuals().error_fg_color));
        if ui
            .add(delete)
            .on_hover_text("Delete (Del). Ctrl+Z brings it back.")
            .clicked()
        {
            actions.push(Intent::Run(Command::DeleteClaim));
        }
    }

    fn evidence_ui(
        &mut self,
        ui: &mut Ui,
        doc: &Document,
        claim: &Claim,
        actions: &mut Vec<Intent>,
    ) {
        let set = doc.set();
        ui.label(RichText::new("Evidence").strong());
        for (index, evidence) in claim.evidence.iter().enumerate() {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                let mut changed = evidence.clone();
                let mut focus_lost = false;
                let url = ui.add(
                    egui::TextEdit::singleline(&mut changed.url)
                        .char_limit(within(limits::MAX_URL_BYTES))
                        .hint_text("https://link to the source")
                        .desired_width(f32::INFINITY),
                );
                if self.focus_evidence.as_ref() == Some(&(claim.id.clone(), index)) {
                    url.request_focus();
                    self.focus_evidence = None;
                }
                let quote = ui.add(
                    egui::TextEdit::multiline(&mut changed.quote)
                        .char_limit(within(limits::MAX_NOTE_BYTES))
                        .hint_text("Quote from the source")
                        .desired_rows(2)
                        .desired_width(f32::INFINITY),
                );
                focus_lost |= url.lost_focus() || quote.lost_focus();
                ui.horizontal_wrapped(|ui| {
                    let name = changed
                        .supports
                        .as_ref()
                        .and_then(|p| set.party(p))
                        .map_or_else(|| "— nobody —".to_owned(), |p| p.name.clone());
                    let label = ui.label("supports");
                    theme::name_combo(("evidence-supports", index), name, theme::NAME_WIDTH)
                        .show_ui(ui, |ui| {
                            let choices = std::iter::once((None, "— nobody —"))
                                .chain(set.parties().iter().map(|p| (Some(&p.id), &*p.name)));
                            for (party, name) in choices {
                                let chosen = changed.supports.as_ref() == party;
                                if theme::name_choice(ui, chosen, name).clicked() {
                                    changed.supports = party.cloned();
                                }
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    let link = evidence.web_link();
                    let open = ui
                        .add_enabled(link.is_some(), egui::Button::new("Open link"))
                        .on_disabled_hover_text("Only http:// and https:// links open");
                    if open.clicked()
                        && let Some(link) = link
                    {
                        actions.push(Intent::OpenLink(link.to_owned()));
                    }
                    if ui.button("Remove").clicked() {
                        actions.push(Intent::Edit(Edit::RemoveEvidence {
                            claim: claim.id.clone(),
                            index,
                        }));
                    }
                });
                if &changed != evidence {
                    actions.push(Intent::Edit(Edit::SetEvidence {
                        claim: claim.id.clone(),
                        index,
                        evidence: changed,
                    }));
                }
                if focus_lost {
                    actions.push(Intent::Seal);
                }
            });
        }
        if ui.button("+ Add evidence").clicked() {
            self.focus_evidence = Some((claim.id.clone(), claim.evidence.len()));
            actions.push(Intent::Edit(Edit::AddEvidence {
                claim: claim.id.clone(),
                evidence: Evidence::default(),
            }));
        }
    }

    /// A claim a merge marked: keep this version (or this claim), one click, undoable.
    fn conflict_ui(
        &self,
        ui: &mut Ui,
        doc: &Document,
        claim: &Claim,
        other: &ClaimId,
        actions: &mut Vec<Intent>,
    ) {
        let resolve = |how| doc.set().resolve_claim_conflict(&claim.id, how).ok();
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let error = ui.visuals().error_fg_color;
            if other == &claim.id {
                ui.colored_label(
                    error,
                    "Merge conflict: one side deleted this claim, the other changed it.",
                );
                ui.horizontal_wrapped(|ui| {
                    if ui.button("Keep it").clicked() {
                        actions.extend(resolve(ClaimResolution::Keep).map(Intent::Edit));
                    }
                    if ui.button("Delete it").clicked() {
                        actions.extend(resolve(ClaimResolution::Delete).map(Intent::Edit));
                    }
                });
                return;
            }
            ui.colored_label(
                error,
                "Merge conflict: two people changed this claim differently.",
            );
            if let Some(theirs) = doc.set().claim(other) {
                let summary = |c: &Claim| {
                    let claimant = c
                        .claimant
                        .as_ref()
                        .and_then(|p| doc.set().party(p))
                        .map_or("nobody", |p| p.name.as_str());
                    format!(
                        "{} · claimant {} · {} stance(s) · note: {}",
                        c.status.label(),
                        claimant,
                        c.stances.len(),
                        c.note
                    )
                };
                ui.label(
                    RichText::new(format!("This version ({}): {}", claim.id, summary(claim)))
                        .small(),
                );
                ui.label(
                    RichText::new(format!(
                        "Other version ({}): {}",
                        theirs.id,
                        summary(theirs)
                    ))
                    .small(),
                );
            }
            if ui
                .button("Keep this version")
                .on_hover_text("Deletes the other version (Ctrl+Z undoes it)")
                .clicked()
            {
                actions.extend(resolve(ClaimResolution::Keep).map(Intent::Edit));
            }
        });
    }

    /// Quick "add party" field plus a button to the full parties window.
    fn parties_section(
        &mut self,
        ui: &mut Ui,
        doc: &Document,
        parties: &mut PartiesWindow,
        actions: &mut Vec<Intent>,
    ) {
        ui.horizontal_wrapped(|ui| {
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.new_party)
                    .char_limit(within(limits::MAX_NAME_BYTES))
                    .hint_text("New party name")
                    .desired_width(140.0),
            );
            if std::mem::take(&mut self.refocus_party) {
                field.request_focus();
            }
            let submitted = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button("Add party").clicked() || submitted) && !self.new_party.trim().is_empty()
            {
                let party = doc.set().new_party(&self.new_party);
                actions.push(Intent::Edit(Edit::AddParty { party, index: None }));
                self.new_party.clear();
                // Enter adds the party and leaves the field ready for the next.
                self.refocus_party = submitted;
            }
            if ui.button("Manage parties…").clicked() {
                parties.open = true;
            }
        });
    }
}

/// The fact-checker's verdict: one click on a rating (again on it, or *No
/// verdict*, takes it away), and why, once there is one.
fn verdict_section(
    ui: &mut egui::Ui,
    set: &AnnotationSet,
    claim: &Claim,
    dark: bool,
    actions: &mut Vec<Intent>,
) {
    let id = &claim.id;
    ui.label(RichText::new("Verdict").strong())
        .on_hover_text("What you concluded, apart from where the parties stand");
    let current = claim.verdict.as_ref();
    ui.horizontal_wrapped(|ui| {
        for rating in set.ratings() {
            let chosen = current.is_some_and(|v| v.rating == rating.id);
            let text = RichText::new(&rating.label).color(theme::rating_color(rating.color, dark));
            if ui.add(egui::Button::selectable(chosen, text)).clicked() {
                let verdict = (!chosen).then(|| Verdict {
                    rating: rating.id.clone(),
                    explanation: current.map(|v| v.explanation.clone()).unwrap_or_default(),
                });
                let message = match &verdict {
                    Some(_) => format!("Verdict: {}", rating.label),
                    None => "Verdict taken away".to_owned(),
                };
                actions.push(Intent::Step(
                    Edit::SetVerdict {
                        claim: id.clone(),
                        verdict,
                    },
                    message,
                ));
            }
        }
    });
    // No rating lit says there is no verdict; an explanation needs one.
    let Some(verdict) = current else {
        return;
    };
    let mut explanation = verdict.explanation.clone();
    let response = ui.add(
        egui::TextEdit::multiline(&mut explanation)
            .char_limit(within(limits::MAX_NOTE_BYTES))
            .hint_text("Why this rating, in a sentence or two")
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    );
    if response.changed() {
        actions.push(Intent::Edit(Edit::SetExplanation {
            claim: id.clone(),
            explanation,
        }));
    }
    if response.lost_focus() {
        actions.push(Intent::Seal);
    }
}
