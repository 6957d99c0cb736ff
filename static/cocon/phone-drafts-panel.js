// Drafts kept for another activity than the current one (or for a vote, which has no
// compose form): each in a panel saying where its activity stands, with what may be done
// with it (send it there, use it here, erase it).

import { el, reconcile, setText, show } from "./dom.js";
import { bodyError, columnError, draftActions, draftNotice, draftTitle, isBoard, parkedDrafts, slotOf } from "./drafts.js";
import { button, checkRadio, columnFieldset } from "./phone-widgets.js";

export class DraftsPanel {
  constructor(ctx) {
    this.ctx = ctx;
    this.container = ctx.ui.drafts;
    this.panels = new Map(); // slot -> {section, sig, fieldset, error}
    this.errors = new Map(); // slot -> message
  }

  render(activity, counts) {
    const { state, drafts } = this.ctx;
    if (!state.workshop) return;
    // Without a compose form (a vote), even the current activity's draft is shown apart.
    const parked = parkedDrafts(drafts.store, activity ? activity.id : null, {
      includeCurrent: !isBoard(activity) && !!activity,
    });
    const sections = parked.map((draft) => this.panel(draft, activity, counts));
    reconcile(this.container, sections);
    const keep = new Set(parked.map((draft) => slotOf(draft.activityId)));
    for (const slot of this.panels.keys()) if (!keep.has(slot)) this.panels.delete(slot);
  }

  panel(draft, activity, counts) {
    const { state } = this.ctx;
    const slot = slotOf(draft.activityId);
    const decision = draftActions(draft, state.activities, activity ? activity.id : null, {
      workshop: state.workshop,
      counts,
    });
    const columns = decision.actions.includes("send") ? decision.target.columns || [] : [];
    const sig = JSON.stringify([
      draft.body,
      draft.activityTitle,
      decision.status,
      decision.actions,
      columns,
      activity && activity.title,
    ]);
    let panel = this.panels.get(slot);
    if (!panel || panel.sig !== sig) {
      const section = panel ? panel.section : el("section", { className: "cocon-draft fr-p-2w fr-mb-3w" });
      const titleId = `draft-${slot}-title`;
      section.setAttribute("aria-labelledby", titleId);
      const title = el("h2", { className: "fr-h6 fr-mb-1w", text: draftTitle(draft), attrs: { id: titleId, tabindex: "-1" } });
      const body = el("p", { className: "cocon-draft__body", text: draft.body });
      const notice = el("p", { className: "fr-text--sm cocon-draft__notice", text: draftNotice(draft, decision.status) });
      const parts = [title, body, notice];
      let fieldset = null;
      if (columns.length) {
        fieldset = columnFieldset(`draft-${slot}-column`, columns, (key) =>
          this.ctx.drafts.update(draft.activityId, { column: key }),
        );
        parts.push(fieldset);
      }
      const buttons = el("div", {
        className: "fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm cocon-draft__actions",
      });
      const target = decision.target;
      for (const action of decision.actions) {
        if (action === "send") {
          buttons.append(button(`Envoyer dans « ${target.title} »`, "", () => this.send(draft.activityId)));
        } else if (action === "rebind") {
          buttons.append(
            button(`Utiliser pour « ${activity.title} »`, "fr-btn--secondary", () => this.useHere(draft.activityId)),
          );
        } else {
          buttons.append(button("Effacer le brouillon", "fr-btn--tertiary", () => this.erase(draft.activityId)));
        }
      }
      const error = el("p", { className: "fr-error-text", attrs: { hidden: true } });
      parts.push(buttons, error);
      section.replaceChildren(...parts);
      panel = { section, sig, fieldset, error };
      this.panels.set(slot, panel);
    }
    if (panel.fieldset) checkRadio(panel.fieldset, this.ctx.drafts.get(draft.activityId).column);
    const message = this.errors.get(slot) || "";
    setText(panel.error, message);
    show(panel.error, Boolean(message));
    return panel.section;
  }

  /** Send a draft to the activity it was written for. */
  send(activityId) {
    const { state, drafts, compose } = this.ctx;
    const activity = state.activities.get(activityId);
    const draft = drafts.get(activityId);
    const error = bodyError(draft.body) || columnError(activity, draft.column);
    if (error) {
      this.errors.set(slotOf(activityId), error);
      this.ctx.render();
      const panel = this.panels.get(slotOf(activityId));
      const radio = panel && panel.fieldset && panel.fieldset.querySelector("input");
      if (radio && !bodyError(draft.body)) radio.focus();
      return;
    }
    this.errors.delete(slotOf(activityId));
    compose.queueCreate(activity, draft.body, draft.column);
    drafts.discard(activityId);
    this.ctx.announce(`Votre brouillon part dans « ${activity.title} ».`);
    this.ctx.render();
    compose.focus();
  }

  /** Move a draft into the compose form of the current activity. */
  useHere(activityId) {
    const { state, drafts, compose } = this.ctx;
    const activity = state.currentActivity();
    if (!activity) return;
    drafts.rebind(activityId, activity);
    this.errors.delete(slotOf(activityId));
    this.ctx.render();
    compose.textarea.focus();
    this.ctx.announce(`Le brouillon est maintenant dans le champ « Votre idée », pour « ${activity.title} ».`);
  }

  erase(activityId) {
    if (!window.confirm("Effacer ce brouillon ? Son texte sera perdu.")) return;
    this.ctx.drafts.discard(activityId);
    this.errors.delete(slotOf(activityId));
    this.ctx.render();
    this.ctx.compose.focus();
    this.ctx.announce("Brouillon effacé.");
  }
}
