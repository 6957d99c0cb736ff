// The big screen's view of a vote or a rating (the current activity). While its results
// are hidden: the number of voters in large type, the items' labels without any count,
// and "Révéler les résultats". Once shown: a dot vote's ranking as bars (the top large,
// the rest smaller), or one ranking per profile; a rating's matrix. Facilitators'
// sockets receive full tallies even while hidden: nothing of them but `voters` is drawn
// here until the reveal.

import { bind } from "./board.js";
import { setText } from "./dom.js";
import { Matrix } from "./matrix.js";
import { renderLabels, renderProfiles, renderRanking, showText } from "./ranking.js";
import { profileRankings, ranking, resultsHidden, splitTop, votersText } from "./results.js";

export class VoteBoard {
  /** root: the container (data-bind="vote"); onReveal(): send activity.reveal. */
  constructor(root, { onReveal }) {
    this.root = root;
    this.split = "all"; // "all" or "profile"
    this.matrix = new Matrix(bind(root, "vote-matrix"), { idPrefix: "screen-matrix" });
    this.splitButtons = Array.from(bind(root, "vote-split").querySelectorAll("[data-split]"));
    for (const button of this.splitButtons) {
      button.addEventListener("click", () => {
        this.split = button.dataset.split;
        if (this.last) this.render(this.last);
      });
    }
    bind(root, "vote-reveal").addEventListener("click", onReveal);
  }

  /** view: { activity (a vote or rating), items (in order), tally (or null), canReveal } */
  render(view) {
    this.last = view;
    const { activity, items, tally, canReveal } = view;
    const hidden = resultsHidden(activity);
    const rating = activity.kind === "rating";
    const hasProfiles = Boolean(tally && tally.by_profile && Object.keys(tally.by_profile).length);
    const byProfile = !hidden && !rating && hasProfiles && this.split === "profile";
    const mode = hidden ? "hidden" : rating ? "matrix" : byProfile ? "profiles" : "ranking";
    this.root.dataset.mode = mode;

    setText(bind(this.root, "vote-voters"), votersText(tally ? tally.voters : 0, activity.kind));
    bind(this.root, "vote-final").hidden = hidden || !(tally && tally.final);
    bind(this.root, "vote-split").hidden = hidden || rating || !hasProfiles;
    for (const button of this.splitButtons) button.setAttribute("aria-pressed", String(button.dataset.split === (byProfile ? "profile" : "all")));
    showText(bind(this.root, "vote-empty"), items.length ? "" : "Aucun élément n'est soumis au vote pour l'instant.");

    bind(this.root, "vote-hidden").hidden = mode !== "hidden";
    bind(this.root, "vote-ranking").hidden = mode !== "ranking";
    bind(this.root, "vote-profiles").hidden = mode !== "profiles";
    bind(this.root, "vote-matrix").hidden = mode !== "matrix";

    if (mode === "hidden") {
      renderLabels(bind(this.root, "vote-labels"), items); // labels only: no count reaches the page
      bind(this.root, "vote-reveal").hidden = !canReveal;
    } else if (mode === "ranking") {
      const { top, rest } = splitTop(ranking(items, tally));
      renderRanking(bind(this.root, "vote-top"), top);
      renderRanking(bind(this.root, "vote-rest"), rest);
      bind(this.root, "vote-rest-block").hidden = rest.length === 0;
    } else if (mode === "profiles") {
      renderProfiles(bind(this.root, "vote-profiles"), profileRankings(items, tally), { idPrefix: "screen-profile" });
    } else {
      this.matrix.render(activity, items, tally);
    }
  }
}
