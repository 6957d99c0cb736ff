// The phone's two-axis rating: the rules first, a line that stays in view with how many
// items are rated, one card per item with a 1–5 scale on each axis, "Valider" and
// "Effacer ma note", and the means once the facilitator shows the results.
//
// Commands go through the outbox like votes (kept offline, resent after a reconnect);
// a card says its rating is waiting until the server answers. Rules: phone-vote-rules.js.

import { el, reconcile, setText, show } from "./dom.js";
import {
  RATING_VALUES,
  errorPlace,
  myRatings,
  ratedCount,
  ratedText,
  ratingError,
  ratingResultText,
  ratingResults,
  validRating,
  votersText,
  votingClosedReason,
  votingOpen,
} from "./phone-vote-rules.js";
import { keepFocusOffDisabled, pendingText, renderRules } from "./phone-vote.js";
import { checkRadio, radioFieldset } from "./phone-widgets.js";

const SCALE_HINT = "1 = faible, 5 = fort";

export class RatingScreen {
  constructor(ctx) {
    this.ctx = ctx;
    const bind = (name) => ctx.ui[name];
    this.section = bind("rating");
    this.rules = bind("rating-rules");
    this.progress = bind("rating-progress");
    this.notice = bind("rating-notice");
    this.topError = bind("rating-error");
    this.list = bind("rating-items");
    this.empty = bind("rating-empty");
    this.voters = bind("rating-voters");
    this.hiddenNote = bind("rating-hidden");
    this.results = bind("rating-results");
    this.cards = new Map(); // item id -> card parts
    this.choices = new Map(); // item id -> {x, y} picked on the phone, not yet validated
    this.errors = new Map(); // item id -> message (the phone's or the server's)
    this.error = "";
    this.activityId = null;
    this.resultsSig = "";
    this.hadResults = null;
  }

  ratings(activity) {
    const { state, client } = this.ctx;
    const items = state.voteItems.get(activity.id) || [];
    return { items, ratings: myRatings(items, state.myVotes.get(activity.id), client.pending()) };
  }

  render(activity) {
    const shown = Boolean(activity) && activity.kind === "rating";
    show(this.section, shown);
    if (!shown) return;
    const { state } = this.ctx;
    if (activity.id !== this.activityId) {
      this.activityId = activity.id;
      this.choices.clear();
      this.errors.clear();
      this.error = "";
      this.hadResults = null;
    }
    const focused = document.activeElement;
    const { items, ratings } = this.ratings(activity);
    const open = votingOpen(activity, state.workshop);
    renderRules(this.rules, activity);
    setText(this.progress, ratedText(ratedCount(ratings), items.length));
    const closedReason = votingClosedReason(activity, state.workshop);
    setText(this.notice, closedReason);
    show(this.notice, Boolean(closedReason));
    this.notice.classList.toggle("cocon-vote__notice--closed", Boolean(closedReason));
    const error = closedReason ? "" : this.error;
    setText(this.topError, error);
    show(this.topError, Boolean(error));

    const settings = activity.vote || {};
    reconcile(
      this.list,
      items.map((item) => this.card(item, ratings.get(item.id), settings, open)),
    );
    for (const id of this.cards.keys()) if (!items.some((item) => item.id === id)) this.cards.delete(id);
    show(this.empty, items.length === 0);
    keepFocusOffDisabled(this.list, focused, (control) => {
      const card = this.cards.get(Number(control.closest("[data-item-id]").dataset.itemId));
      return card ? card.label : null;
    });
    this.renderResults(activity, items, settings);
  }

  card(item, rating, settings, open) {
    let card = this.cards.get(item.id);
    if (!card || card.axes !== `${settings.axis_x}|${settings.axis_y}`) {
      card = this.createCard(item.id, settings);
      this.cards.set(item.id, card);
    }
    setText(card.label, item.label);
    setText(card.submitName, ` la note de « ${item.label} »`);
    setText(card.clearName, ` de « ${item.label} »`);
    const saved = rating && validRating(rating.x, rating.y) ? rating : null;
    const pending = Boolean(rating && rating.pending);
    let status = saved ? `Noté : ${saved.x} / ${saved.y} (${settings.axis_x} / ${settings.axis_y})` : "Pas encore noté.";
    if (pending) status += ` · ${saved ? "" : "Effacement : "}${pendingText(this.ctx.root.dataset.status !== "online")}`;
    setText(card.status, status);
    card.item.classList.toggle("cocon-vote__item--pending", pending);
    card.item.classList.toggle("cocon-vote__item--chosen", Boolean(saved));
    card.item.setAttribute("aria-busy", String(pending));

    const choice = this.choices.get(item.id);
    const x = choice ? choice.x : saved ? saved.x : null;
    const y = choice ? choice.y : saved ? saved.y : null;
    checkRadio(card.x, x);
    checkRadio(card.y, y);
    const unsaved = Boolean(choice) && open && (!saved || choice.x !== saved.x || choice.y !== saved.y);
    setText(card.hint, unsaved ? "Touchez « Valider » pour enregistrer cette note." : "");
    show(card.hint, unsaved);
    card.x.disabled = !open;
    card.y.disabled = !open;
    card.submit.disabled = !open;
    card.clear.disabled = !open;
    show(card.clear, Boolean(saved));
    const error = this.errors.get(item.id) || "";
    setText(card.error, error);
    show(card.error, Boolean(error));
    return card.item;
  }

  createCard(id, settings) {
    const ids = { label: `rating-item-${id}`, status: `rating-item-${id}-status`, error: `rating-item-${id}-error` };
    const item = el("li", { className: "cocon-vote__item cocon-rating__item", attrs: { "data-item-id": String(id) } });
    const form = el("form", { className: "cocon-rating__form", attrs: { "aria-labelledby": ids.label, novalidate: true } });
    const label = el("p", { className: "cocon-vote__label", attrs: { id: ids.label, tabindex: "-1" } });
    const status = el("p", { className: "fr-text--sm cocon-rating__status", attrs: { id: ids.status } });
    const scale = (axis, name) =>
      radioFieldset({
        prefix: `rating-${id}-${axis}`,
        legend: name,
        hint: SCALE_HINT,
        options: RATING_VALUES.map((value) => ({ value, label: String(value) })),
        onChange: (value) => this.pick(id, axis, value),
        className: "cocon-rating__scale",
        inline: true,
      });
    const x = scale("x", settings.axis_x);
    const y = scale("y", settings.axis_y);
    const hint = el("p", { className: "fr-text--sm cocon-rating__hint", attrs: { hidden: true } });
    const error = el("p", { className: "fr-error-text cocon-vote__error", attrs: { id: ids.error, hidden: true } });
    const buttons = el("div", { className: "fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm cocon-rating__actions" });
    const describedBy = `${ids.status} ${ids.error}`;
    const submit = el("button", {
      className: "fr-btn",
      text: "Valider",
      attrs: { type: "submit", "data-item": String(id), "aria-describedby": describedBy },
    });
    const submitName = el("span", { className: "fr-sr-only" });
    submit.append(submitName);
    const clear = el("button", {
      className: "fr-btn fr-btn--secondary",
      text: "Effacer ma note",
      attrs: { type: "button", "data-item": String(id), "aria-describedby": describedBy },
    });
    const clearName = el("span", { className: "fr-sr-only" });
    clear.append(clearName);
    clear.addEventListener("click", () => this.clear(id));
    buttons.append(submit, clear);
    form.append(label, status, x, y, hint, error, buttons);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.validate(id);
    });
    item.append(form);
    const axes = `${settings.axis_x}|${settings.axis_y}`;
    return { item, axes, label, status, x, y, hint, error, submit, submitName, clear, clearName };
  }

  /** The rating shown on a card now: the phone's choice, else the saved one. */
  current(itemId) {
    const activity = this.ctx.state.currentActivity();
    const choice = this.choices.get(itemId);
    if (choice) return choice;
    const rating = activity ? this.ratings(activity).ratings.get(itemId) : null;
    return rating ? { x: rating.x, y: rating.y } : { x: null, y: null };
  }

  pick(itemId, axis, value) {
    const choice = { ...this.current(itemId), [axis]: value };
    this.choices.set(itemId, choice);
    if (this.errors.has(itemId) && validRating(choice.x, choice.y)) this.errors.delete(itemId);
    this.ctx.render();
  }

  validate(itemId) {
    const { state, client } = this.ctx;
    const activity = state.currentActivity();
    if (!activity || activity.kind !== "rating" || !votingOpen(activity, state.workshop)) return;
    const { x, y } = this.current(itemId);
    const problem = ratingError(x, y, activity.vote || {});
    if (problem) {
      this.errors.set(itemId, problem);
      this.ctx.render();
      const card = this.cards.get(itemId);
      const missing = validRatingValue(x) ? card.y : card.x;
      missing.querySelector("input").focus();
      return;
    }
    this.errors.delete(itemId);
    this.error = "";
    this.choices.delete(itemId);
    client.send({ type: "rating.set", item_id: itemId, x, y });
    this.ctx.render();
  }

  clear(itemId) {
    const { state, client } = this.ctx;
    const activity = state.currentActivity();
    if (!activity || activity.kind !== "rating" || !votingOpen(activity, state.workshop)) return;
    this.errors.delete(itemId);
    this.error = "";
    this.choices.delete(itemId);
    client.send({ type: "rating.clear", item_id: itemId });
    this.ctx.render();
    const card = this.cards.get(itemId);
    if (card && (card.clear.hidden || card.clear.disabled)) card.label.focus();
  }

  renderResults(activity, items, settings) {
    const tally = this.ctx.state.tallies.get(activity.id);
    const rows = ratingResults(items, tally);
    setText(this.voters, tally ? votersText(tally.voters, "rating") : "");
    show(this.voters, Boolean(tally));
    show(this.hiddenNote, !rows);
    show(this.results, Boolean(rows));
    const lines = rows ? rows.map((row) => [row.item.label, ratingResultText(row, settings)]) : null;
    const sig = JSON.stringify(lines);
    if (sig !== this.resultsSig) {
      this.resultsSig = sig;
      this.results.replaceChildren(
        ...(lines || []).map(([label, text]) => {
          const li = el("li", { className: "cocon-rating__result" });
          li.append(el("p", { className: "cocon-vote__rank-label", text: label }), el("p", { className: "fr-text--sm", text }));
          return li;
        }),
      );
    }
    if (this.hadResults === false && rows) this.ctx.announce("Les résultats de la notation sont affichés.");
    this.hadResults = Boolean(rows);
  }

  // Answers of the server ---------------------------------------------------------------

  acked(command) {
    if (command && command.item_id !== undefined) this.errors.delete(command.item_id);
  }

  refused(command, error) {
    if (errorPlace(error.code) === "top") {
      this.error = error.code === "activity_closed" ? "La notation est close." : error.message;
    } else {
      this.errors.set(command.item_id, error.message);
    }
  }

  showError(message) {
    this.error = message;
  }
}

function validRatingValue(value) {
  return RATING_VALUES.includes(value);
}
