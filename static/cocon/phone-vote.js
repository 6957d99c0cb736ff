// The phone's dot vote: the rules first, a line that stays in view with the points left,
// one large card per item with the participant's points and "+" / "−" buttons, and the
// results once the facilitator shows them.
//
// A tap queues vote.add / vote.remove in the outbox (kept while offline, resent with the
// same request_id after a reconnect or a reload): the card counts it at once and says it
// is waiting until the server answers; the answer (the participant's points) replaces
// the count. Rules: phone-vote-rules.js.

import { el, reconcile, setText, show } from "./dom.js";
import {
  addBlockedText,
  canAdd,
  canRemove,
  dotVotes,
  errorPlace,
  leftText,
  pointsText,
  ranking,
  voteRules,
  votersText,
  votingClosedReason,
  votingOpen,
} from "./phone-vote-rules.js";

export const CLOSED_MESSAGE = "Le vote est clos.";

/** What a card says while its command waits for the server. */
export function pendingText(offline) {
  return offline ? "En attente du réseau : ce sera envoyé au retour de la connexion." : "Envoi en cours…";
}

/** The rules box: one paragraph per sentence. */
export function renderRules(box, activity) {
  const sentences = voteRules(activity);
  const sig = JSON.stringify(sentences);
  if (box.dataset.sig === sig) return;
  box.dataset.sig = sig;
  box.replaceChildren(...sentences.map((text) => el("p", { text })));
}

/** After a render, a focused control that became disabled (it loses the focus) gives it
 * to `fallback(control)`. */
export function keepFocusOffDisabled(container, focused, fallback) {
  if (!focused || !container.contains(focused) || !focused.matches(":disabled")) return;
  const target = fallback(focused);
  if (target) target.focus({ preventScroll: true });
}

export class VoteScreen {
  constructor(ctx) {
    this.ctx = ctx;
    const bind = (name) => ctx.ui[name];
    this.section = bind("vote");
    this.rules = bind("vote-rules");
    this.left = bind("vote-left");
    this.notice = bind("vote-notice");
    this.topError = bind("vote-error");
    this.list = bind("vote-items");
    this.empty = bind("vote-empty");
    this.voters = bind("vote-voters");
    this.hiddenNote = bind("vote-hidden");
    this.ranking = bind("vote-ranking");
    this.cards = new Map(); // item id -> card parts
    this.errors = new Map(); // item id -> {code, message}: a refusal of the server
    this.error = ""; // a refusal about the whole vote (closed…)
    this.activityId = null;
    this.rankingSig = "";
    this.hadResults = null; // null: not rendered yet for this activity
    this.list.addEventListener("click", (event) => {
      const target = event.target.closest("button[data-vote]");
      if (target && !target.disabled) this.tap(target.dataset.vote, Number(target.dataset.item));
    });
  }

  /** The items of the current vote and the participant's points, outbox included. */
  view(activity) {
    const { state, client } = this.ctx;
    const items = state.voteItems.get(activity.id) || [];
    return { items, points: dotVotes(activity, items, state.myVotes.get(activity.id), client.pending()) };
  }

  render(activity) {
    const shown = Boolean(activity) && activity.kind === "vote";
    show(this.section, shown);
    if (!shown) return;
    const { state } = this.ctx;
    if (activity.id !== this.activityId) {
      this.activityId = activity.id;
      this.errors.clear();
      this.error = "";
      this.hadResults = null;
    }
    const focused = document.activeElement;
    const { items, points } = this.view(activity);
    const open = votingOpen(activity, state.workshop);
    renderRules(this.rules, activity);
    setText(this.left, leftText(points));

    const closedReason = votingClosedReason(activity, state.workshop);
    let notice = closedReason;
    if (!notice && points.left <= 0) notice = addBlockedText("budget", points.maxPerItem);
    setText(this.notice, notice);
    show(this.notice, Boolean(notice));
    this.notice.classList.toggle("cocon-vote__notice--closed", Boolean(closedReason));
    // Once the vote is closed, the notice says so: no need to repeat the refusal.
    const error = closedReason ? "" : this.error;
    setText(this.topError, error);
    show(this.topError, Boolean(error));

    const offline = this.ctx.root.dataset.status !== "online";
    const nodes = items.map((item) => this.card(item, points, open, offline));
    reconcile(this.list, nodes);
    for (const id of this.cards.keys()) if (!items.some((item) => item.id === id)) this.cards.delete(id);
    show(this.empty, items.length === 0);
    keepFocusOffDisabled(this.list, focused, (button) => {
      const card = this.cards.get(Number(button.dataset.item));
      const other = button === card?.plus ? card.minus : card?.plus;
      return other && !other.disabled ? other : card?.label;
    });
    this.renderResults(activity, items);
  }

  card(item, points, open, offline) {
    let card = this.cards.get(item.id);
    if (!card) {
      card = this.createCard(item.id);
      this.cards.set(item.id, card);
    }
    const mine = points.votes.get(item.id) || 0;
    const pending = points.pendingItems.has(item.id);
    const add = canAdd(points, item.id, open);
    const remove = canRemove(points, item.id, open);
    setText(card.label, item.label);
    setText(card.plusName, `Ajouter un point à « ${item.label} »`);
    setText(card.minusName, `Retirer un point de « ${item.label} »`);
    const slots = Math.max(points.maxPerItem, mine);
    setText(card.dots, "●".repeat(mine) + "○".repeat(slots - mine));
    setText(card.points, `Vos points : ${mine}`);
    card.plus.disabled = !add.allowed;
    card.minus.disabled = !remove.allowed;
    // The budget is said once, in the line that stays in view; the per-item max here.
    const why = add.reason === "item_max" ? addBlockedText("item_max", points.maxPerItem) : "";
    setText(card.why, why);
    show(card.why, Boolean(why));
    setText(card.pending, pending ? pendingText(offline) : "");
    show(card.pending, pending);
    card.item.classList.toggle("cocon-vote__item--pending", pending);
    card.item.classList.toggle("cocon-vote__item--chosen", mine > 0);
    card.item.setAttribute("aria-busy", String(pending));
    const error = this.errors.has(item.id) ? this.errors.get(item.id).message : "";
    setText(card.error, error);
    show(card.error, Boolean(error));
    return card.item;
  }

  createCard(id) {
    const prefix = `vote-item-${id}`;
    const ids = { label: prefix, mine: `${prefix}-mine`, why: `${prefix}-why`, error: `${prefix}-error` };
    const item = el("li", { className: "cocon-vote__item", attrs: { "data-item-id": String(id) } });
    const label = el("p", { className: "cocon-vote__label", attrs: { id: ids.label, tabindex: "-1" } });
    const mine = el("p", { className: "cocon-vote__mine", attrs: { id: ids.mine } });
    const dots = el("span", { className: "cocon-vote__dots", attrs: { "aria-hidden": "true" } });
    const points = el("span", { className: "cocon-vote__points" });
    mine.append(dots, points);
    const describedBy = `${ids.mine} ${ids.why} ${ids.error}`;
    const minus = el("button", {
      className: "fr-btn fr-btn--secondary cocon-vote__button",
      attrs: { type: "button", "data-vote": "remove", "data-item": String(id), "aria-describedby": describedBy },
    });
    const minusName = el("span", { className: "fr-sr-only" });
    minus.append(el("span", { text: "−", attrs: { "aria-hidden": "true" } }), minusName);
    const plus = el("button", {
      className: "fr-btn cocon-vote__button",
      attrs: { type: "button", "data-vote": "add", "data-item": String(id), "aria-describedby": describedBy },
    });
    const plusName = el("span", { className: "fr-sr-only" });
    plus.append(el("span", { text: "+", attrs: { "aria-hidden": "true" } }), plusName);
    const buttons = el("div", { className: "cocon-vote__buttons" });
    buttons.append(minus, plus);
    const row = el("div", { className: "cocon-vote__row" });
    row.append(mine, buttons);
    const why = el("p", { className: "fr-text--sm cocon-vote__why", attrs: { id: ids.why, hidden: true } });
    const pending = el("p", { className: "fr-text--sm cocon-vote__pending", attrs: { hidden: true } });
    const error = el("p", { className: "fr-error-text cocon-vote__error", attrs: { id: ids.error, hidden: true } });
    item.append(label, row, why, pending, error);
    return { item, label, dots, points, plus, plusName, minus, minusName, why, pending, error };
  }

  tap(action, itemId) {
    const { state, client } = this.ctx;
    const activity = state.currentActivity();
    if (!activity || activity.kind !== "vote") return;
    const { points } = this.view(activity);
    const open = votingOpen(activity, state.workshop);
    const check = action === "add" ? canAdd(points, itemId, open) : canRemove(points, itemId, open);
    if (!check.allowed) return;
    this.errors.delete(itemId);
    this.error = "";
    client.send({ type: action === "add" ? "vote.add" : "vote.remove", item_id: itemId });
    this.ctx.render();
  }

  renderResults(activity, items) {
    const tally = this.ctx.state.tallies.get(activity.id);
    const rows = ranking(items, tally);
    setText(this.voters, tally ? votersText(tally.voters) : "");
    show(this.voters, Boolean(tally));
    show(this.hiddenNote, !rows);
    show(this.ranking, Boolean(rows));
    const sig = JSON.stringify(rows ? rows.map((row) => [row.item.id, row.item.label, row.count]) : null);
    if (sig !== this.rankingSig) {
      this.rankingSig = sig;
      const top = rows && rows.length ? Math.max(1, rows[0].count) : 1;
      this.ranking.replaceChildren(
        ...(rows || []).map((row) => {
          const li = el("li", { className: "cocon-vote__rank" });
          const line = el("p", { className: "cocon-vote__rank-line" });
          line.append(
            el("span", { className: "cocon-vote__rank-label", text: row.item.label }),
            el("span", { className: "cocon-vote__rank-count", text: pointsText(row.count) }),
          );
          const bar = el("span", { className: "cocon-vote__bar", attrs: { "aria-hidden": "true" } });
          bar.style.width = `${Math.round((100 * row.count) / top)}%`;
          li.append(line, bar);
          return li;
        }),
      );
    }
    if (this.hadResults === false && rows) this.ctx.announce("Les résultats du vote sont affichés.");
    this.hadResults = Boolean(rows);
  }

  // Answers of the server ---------------------------------------------------------------

  acked(command) {
    if (command && command.item_id !== undefined) this.errors.delete(command.item_id);
    // The answer carries the true count: a refusal for want of points may no longer hold.
    for (const [id, error] of this.errors) if (error.code === "vote_budget") this.errors.delete(id);
  }

  refused(command, error) {
    if (errorPlace(error.code) === "top") {
      this.error = error.code === "activity_closed" ? CLOSED_MESSAGE : error.message;
      return;
    }
    this.errors.set(command.item_id, { code: error.code, message: error.message });
    if (error.code === "vote_budget") {
      // Spent from another device of the same person: no point left, whatever this phone
      // last heard (the refusal does not say where they went; a reload will).
      const { state } = this.ctx;
      for (const [activityId, items] of state.voteItems) {
        if (!items.some((item) => item.id === command.item_id)) continue;
        const mine = state.myVotes.get(activityId) || { votes: {}, ratings: {} };
        state.setMyVotes({ ...mine, activity_id: activityId, left: 0 });
      }
    }
  }

  /** A refusal that belongs to no command of this screen (shown at the top). */
  showError(message) {
    this.error = message;
  }
}
