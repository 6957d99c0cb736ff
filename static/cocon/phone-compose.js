// The phone's compose form: how notes will be signed, the column, the text (a draft kept
// per activity), the note limit, and sending (queued in the outbox, so it survives going
// offline and reloads).

import { setText, show } from "./dom.js";
import { bodyError, columnError, identityNotice, privacyNotice, sendBlockedReason } from "./drafts.js";
import { checkRadio, columnFieldset } from "./phone-widgets.js";

export class Compose {
  /** ctx: the phone's shared parts (state, ui, drafts, client, render, me). */
  constructor(ctx) {
    this.ctx = ctx;
    this.ui = ctx.ui;
    this.form = ctx.ui.compose;
    this.textarea = this.form.querySelector("textarea");
    this.columnsSig = "";
    this.fieldset = null;
    this.textarea.addEventListener("input", () => this.ctx.drafts.update(this.ctx.drafts.current, { body: this.textarea.value }));
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
  }

  /** Before writing: how the notes of the activity (or the first one, before the start) are signed. */
  renderIdentity(activity) {
    const { state, ui } = this.ctx;
    const upcoming = activity || (state.workshop && state.workshop.state === "draft" ? state.agenda()[0] : null);
    const text = upcoming ? identityNotice(upcoming.identity, this.ctx.me) : "";
    setText(ui.identity, text);
    const privacy = privacyNotice(activity);
    setText(ui.privacy, privacy);
    show(ui.privacy, Boolean(privacy));
    show(ui["identity-box"], Boolean(text || privacy));
  }

  render(activity, counts) {
    const { state, drafts } = this.ctx;
    const draft = drafts.get(drafts.current);
    if (this.textarea.value !== draft.body) this.textarea.value = draft.body;
    const columns = (activity && activity.columns) || [];
    const sig = JSON.stringify([activity && activity.id, columns]);
    if (sig !== this.columnsSig) {
      this.columnsSig = sig;
      this.fieldset = columns.length
        ? columnFieldset("compose-column", columns, (key) => {
            drafts.update(drafts.current, { column: key });
            if (this.ui["compose-error"].dataset.kind === "column") this.error("");
          })
        : null;
      this.ui.columns.replaceChildren(...(this.fieldset ? [this.fieldset] : []));
    }
    if (this.fieldset) checkRadio(this.fieldset, draft.column);

    const sent = activity ? counts.get(activity.id) || 0 : 0;
    setText(this.ui.limit, activity ? `${sent} / ${activity.max_notes} contributions envoyées` : "");
    show(this.ui.limit, Boolean(activity));
    const reason = sendBlockedReason(state.workshop, activity, sent);
    setText(this.ui["compose-hint"], reason);
    show(this.ui["compose-hint"], Boolean(reason));
    this.ui.send.disabled = Boolean(reason);
  }

  /** Show (or clear, with "") a refusal under the form; `kind` says which field it is about. */
  error(message, kind = "") {
    const line = this.ui["compose-error"];
    setText(line, message);
    line.dataset.kind = kind;
    show(line, Boolean(message));
    if (message) this.textarea.setAttribute("aria-invalid", "true");
    else this.textarea.removeAttribute("aria-invalid");
  }

  submit() {
    const { state, drafts } = this.ctx;
    const activity = state.currentActivity();
    const counts = this.ctx.counts();
    const reason = sendBlockedReason(state.workshop, activity, activity ? counts.get(activity.id) || 0 : 0);
    if (reason) {
      this.error(reason);
      return;
    }
    const draft = drafts.get(activity.id);
    const bodyProblem = bodyError(this.textarea.value);
    const columnProblem = columnError(activity, draft.column);
    if (bodyProblem || columnProblem) {
      this.error(bodyProblem || columnProblem, bodyProblem ? "body" : "column");
      const first = this.fieldset && this.fieldset.querySelector("input");
      (bodyProblem || !first ? this.textarea : first).focus();
      return;
    }
    this.error("");
    this.queueCreate(activity, this.textarea.value, draft.column);
    // Queued and saved in the outbox: only now may the draft go (its column choice stays).
    drafts.update(activity.id, { body: "" });
    this.ctx.render();
  }

  /** Queue a new note in the outbox (saved at once: it survives offline and reloads). */
  queueCreate(activity, body, column) {
    const hasColumns = (activity.columns || []).length > 0;
    this.ctx.client.send({
      type: "contribution.create",
      activity_id: activity.id,
      body: body.trim(),
      column: hasColumns ? column : "",
    });
  }

  /** After a draft panel goes away: back to writing, or to one's notes if there is no form. */
  focus() {
    if (this.form.hidden) document.getElementById("mine-title").focus();
    else this.textarea.focus();
  }
}
