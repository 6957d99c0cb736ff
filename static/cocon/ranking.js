// A vote's ranking drawn as horizontal bars (big screen and moderation page): an ordered
// list where each item reads as text, "1. Un seul guichet 14 points"; the bar is
// decoration (aria-hidden) beside the count written out. Entries come from results.js.

import { el, setText } from "./dom.js";
import { pointsText } from "./results.js";

const drawn = new WeakMap(); // list -> signature of what it shows

/** Fill `list` (an <ol>) with `entries` (rankEntries); redrawn only when they changed. */
export function renderRanking(list, entries) {
  const signature = JSON.stringify(entries.map((e) => [e.id, e.label, e.count, e.rank, e.tied, e.share]));
  if (drawn.get(list) === signature) return;
  drawn.set(list, signature);
  list.replaceChildren(...entries.map(rankingItem));
}

function rankingItem(entry) {
  const li = el("li", { className: "cocon-ranking__item", attrs: { "data-item-id": String(entry.id) } });
  const rank = el("span", { className: "cocon-ranking__rank", text: `${entry.rank}.` });
  if (entry.tied) rank.append(el("span", { className: "fr-sr-only", text: " ex æquo" }));
  const bar = el("span", { className: "cocon-ranking__bar", attrs: { "aria-hidden": "true" } });
  const fill = el("span", { className: "cocon-ranking__fill" });
  fill.style.width = `${Math.round(entry.share * 1000) / 10}%`;
  bar.append(fill);
  li.append(
    rank,
    el("span", { className: "cocon-ranking__label", text: entry.label }),
    bar,
    el("span", { className: "cocon-ranking__count", text: pointsText(entry.count) }),
  );
  return li;
}

/** A list of labels only, in the vote's order (the big screen while results are hidden). */
export function renderLabels(list, items) {
  const signature = JSON.stringify(items.map((i) => [i.id, i.label]));
  if (drawn.get(list) === signature) return;
  drawn.set(list, signature);
  list.replaceChildren(...items.map((item) => el("li", { text: item.label, attrs: { "data-item-id": String(item.id) } })));
}

/**
 * One section per profile: its name as a heading, its number of voters (or why its
 * results are not shown) and its ranking (the first `top` entries).
 */
export function renderProfiles(container, profiles, { top = 10, headingLevel = "h3", idPrefix = "profile" } = {}) {
  const signature = JSON.stringify(profiles);
  if (drawn.get(container) === signature) return;
  drawn.set(container, signature);
  container.replaceChildren(
    ...profiles.map((profile) => {
      const titleId = `${idPrefix}-${profile.profile}-title`;
      const section = el("section", {
        className: `cocon-profile cocon-profile--${profile.status}`,
        attrs: { "aria-labelledby": titleId, "data-profile": profile.profile },
      });
      section.append(
        el(headingLevel, { className: "cocon-profile__title", text: profile.label, attrs: { id: titleId } }),
        el("p", { className: "cocon-profile__note", text: profile.note }),
      );
      if (profile.status === "shown") {
        const list = el("ol", { className: "cocon-ranking cocon-ranking--compact" });
        renderRanking(list, profile.entries.slice(0, top));
        section.append(list);
        const more = profile.entries.length - top;
        if (more > 0) section.append(el("p", { className: "cocon-profile__more", text: `… et ${more} autre${more > 1 ? "s" : ""}` }));
      }
      return section;
    }),
  );
}

/** Write `text` in `node` and show it only when there is some. */
export function showText(node, text) {
  setText(node, text);
  node.hidden = !text;
}
