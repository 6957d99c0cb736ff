// The moderation page's vote section: the current vote (or, during another activity, a
// vote to prepare or to look back at), its items, the shortlist picker until the first
// vote, the results live, even while the room does not see them, and the buttons to
// reveal and to close it.

import { activityStatus, closeQuestion, labelFor } from "./controls.js";
import { el, reconcile, setText } from "./dom.js";
import { Matrix } from "./matrix.js";
import { renderLabels, renderRanking, showText } from "./ranking.js";
import {
  canShortlist,
  isVoting,
  ranking,
  resultsHidden,
  shortlistOptions,
  voteActivityFor,
  votersText,
} from "./results.js";
import { ShortlistPicker } from "./shortlist.js";

export class VotePanel {
  /** root: the section (data-bind="vote"); send(command, options): CommandTracker.send. */
  constructor(root, bindOf, { send }) {
    this.root = root;
    this.bindOf = bindOf;
    this.send = send;
    this.chosenId = null; // a vote picked in the select while another activity runs
    this.activity = null;
    this.shortlist = new ShortlistPicker(root, bindOf, { send });
    this.matrix = new Matrix(this.bind("vote-matrix"), { idPrefix: "moderate-matrix" });
    this.choice = this.bind("vote-choice");
    this.choice.addEventListener("change", () => {
      this.chosenId = Number(this.choice.value);
      if (this.state) this.render(this.state);
    });
    this.bind("vote-reveal").addEventListener("click", () => {
      if (this.activity) this.send({ type: "activity.reveal", activity_id: this.activity.id }, { once: true });
    });
    this.bind("vote-close").addEventListener("click", () => {
      if (this.activity && window.confirm(closeQuestion(this.activity))) {
        this.send({ type: "activity.close", activity_id: this.activity.id }, { once: true });
      }
    });
  }

  bind(name) {
    return this.bindOf(this.root, name);
  }

  /** state: the page's WorkshopState. */
  render(state) {
    this.state = state;
    const current = state.currentActivity();
    const agenda = state.agenda();
    const activity = voteActivityFor(agenda, current ? current.id : null, this.chosenId);
    this.activity = activity;
    this.root.hidden = !activity;
    if (!activity) return;
    const workshop = state.workshop;
    const notClosed = Boolean(workshop && workshop.state !== "closed");
    const items = state.voteItems.get(activity.id) || [];
    const tally = state.tallies.get(activity.id) || null;
    const rating = activity.kind === "rating";
    const isCurrent = Boolean(current && current.id === activity.id);

    setText(this.bind("vote-title"), `${rating ? "Notation" : "Vote"} : ${activity.title}`);
    setText(this.bind("vote-status"), `${isCurrent ? "En cours · " : ""}${activityStatus(activity)}`);
    this.renderChoice(agenda, activity, isVoting(current));

    // Nothing to reveal before the vote opens.
    this.bind("vote-reveal").hidden = !(notClosed && resultsHidden(activity) && activity.state !== "pending");
    this.bind("vote-close").hidden = !(workshop && workshop.state === "live" && activity.state === "open");
    setText(this.bind("vote-close"), labelFor("activity.close", activity));

    const source = activity.vote ? state.activities.get(activity.vote.source_id) : null;
    renderLabels(this.bind("vote-items"), items);
    showText(
      this.bind("vote-items-note"),
      items.length
        ? ""
        : activity.state === "pending"
          ? `Aucun élément choisi : à l'ouverture, ${source ? `tout « ${source.title} »` : "tout le tableau source"} sera soumis au vote, sauf si vous choisissez ci-dessous.`
          : "Aucun élément n'est soumis au vote.",
    );
    this.shortlist.render({
      activity,
      items,
      options: shortlistOptions(activity, Array.from(state.contributions.values()), Array.from(state.clusters.values())),
      sourceTitle: source ? source.title : "",
      allowed: notClosed && canShortlist(activity, tally),
    });

    const hasResults = activity.state !== "pending";
    this.bind("vote-results").hidden = !hasResults;
    if (!hasResults) return;
    setText(this.bind("vote-results-title"), activity.state === "closed" ? "Résultats" : "Résultats en direct");
    this.bind("vote-private").hidden = !resultsHidden(activity);
    this.bind("vote-final").hidden = !(tally && tally.final);
    setText(this.bind("vote-voters"), votersText(tally ? tally.voters : 0, activity.kind));
    this.bind("vote-ranking").hidden = rating;
    this.bind("vote-matrix").hidden = !rating;
    if (rating) this.matrix.render(activity, items, tally);
    else renderRanking(this.bind("vote-ranking"), ranking(items, tally));
  }

  /** The select of votes, offered while another kind of activity is current. */
  renderChoice(agenda, activity, currentIsVote) {
    const votes = agenda.filter(isVoting);
    const group = this.bind("vote-choice-group");
    group.hidden = currentIsVote || votes.length < 2;
    if (group.hidden) {
      if (currentIsVote) this.chosenId = null; // back to following the current vote afterwards
      return;
    }
    const options = votes.map((vote) => {
      let option = this.choice.querySelector(`option[value="${vote.id}"]`);
      if (!option) option = el("option", { attrs: { value: String(vote.id) } });
      setText(option, `${agenda.indexOf(vote) + 1}. ${vote.title} (${activityStatus(vote)})`);
      return option;
    });
    reconcile(this.choice, options);
    this.choice.value = String(activity.id);
  }
}
