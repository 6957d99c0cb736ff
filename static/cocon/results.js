// Pure rules of a vote's results on the facilitator's pages: the ranking (highest
// first, ties by item position), the part of it shown large, the split by profile under
// the small-group rule, which vote the moderation page shows, and its shortlist. The
// matrix of a rating is in geometry.js. No DOM here: tests/js/results.test.mjs runs it
// under node. docs/big-screen.md explains the choices.

import { isPrivateHidden, plural } from "./layout.js";

/** A dot vote or a two-axis rating. */
export function isVoting(activity) {
  return Boolean(activity && (activity.kind === "vote" || activity.kind === "rating"));
}

/** Results kept from the room until the facilitator reveals them. */
export function resultsHidden(activity) {
  return isVoting(activity) && isPrivateHidden(activity);
}

/** "23 personnes ont voté", "1 personne a noté", "Personne n'a encore voté". */
export function votersText(voters, kind = "vote") {
  const n = Number(voters) || 0;
  const verb = kind === "rating" ? "noté" : "voté";
  if (n <= 0) return `Personne n'a encore ${verb}`;
  return n === 1 ? `1 personne a ${verb}` : `${n} personnes ont ${verb}`;
}

/** "0 point", "1 point", "14 points". */
export function pointsText(count) {
  return plural(count, "point", "points");
}

/**
 * Rank entries ({ item, count }): highest count first, ties by item position (then id).
 * Each gets its competition rank (1, 2, 2, 4), whether it is tied, and `share`, its
 * bar's length as a fraction of the leader's count (the leader's bar is full).
 */
export function rankEntries(entries) {
  const sorted = entries
    .slice()
    .sort((a, b) => b.count - a.count || a.item.position - b.item.position || a.item.id - b.item.id);
  const max = sorted.length ? sorted[0].count : 0;
  let rank = 0;
  return sorted.map((entry, index) => {
    const before = sorted[index - 1];
    const after = sorted[index + 1];
    if (!before || before.count !== entry.count) rank = index + 1;
    return {
      id: entry.item.id,
      label: entry.item.label,
      position: entry.item.position,
      count: entry.count,
      rank,
      tied: Boolean((before && before.count === entry.count) || (after && after.count === entry.count)),
      share: max > 0 ? entry.count / max : 0,
    };
  });
}

/** The vote's items ranked by the tally's counts (an item absent from the tally: 0). */
export function ranking(items, tally) {
  const counts = new Map(((tally && tally.items) || []).map((t) => [t.item_id, Number(t.count) || 0]));
  return rankEntries(items.map((item) => ({ item, count: counts.get(item.id) || 0 })));
}

/**
 * The ranking split into what the big screen shows large (`top`) and the rest, smaller.
 * The top holds the first `size` ranks, so items tied with the last of them stay with it,
 * unless that would add more than `stretch` items (then exactly `size`).
 */
export function splitTop(entries, size = 10, stretch = 5) {
  let cut = entries.filter((e) => e.rank <= size).length;
  if (cut > size + stretch) cut = Math.min(size, entries.length);
  return { top: entries.slice(0, cut), rest: entries.slice(cut) };
}

/** Profiles in the order screens list them (others, unknown to this page, come last). */
export const PROFILES = [
  { key: "usager", label: "usager·es" },
  { key: "agent", label: "agent·es" },
  { key: "partenaire", label: "partenaires" },
  { key: "elu", label: "élu·es" },
  { key: "autre", label: "autres" },
  { key: "non_renseigne", label: "profil non renseigné" },
];
export const SMALL_GROUP_NOTE = "moins de 5 personnes : résultats non affichés";
export const HIDDEN_GROUP_NOTE = "effectif masqué (protection des petits groupes)";

/**
 * One ranking per profile that voted, from `tally.by_profile` (already under the
 * small-group rule): status "shown" with its entries, "small" (fewer than 5 voters) or
 * "hidden" (masked so that the total cannot reveal a small group), each with the text
 * to show instead of the ranking.
 */
export function profileRankings(items, tally) {
  const byProfile = tally && tally.by_profile;
  if (!byProfile) return [];
  const known = new Set(PROFILES.map((p) => p.key));
  const present = [
    ...PROFILES.filter((p) => p.key in byProfile),
    ...Object.keys(byProfile)
      .filter((key) => !known.has(key))
      .sort()
      .map((key) => ({ key, label: key })),
  ];
  return present.map(({ key, label }) => {
    const { voters, items: counts } = byProfile[key];
    const base = { profile: key, label, voters, entries: [] };
    if (voters === "<5") return { ...base, status: "small", note: SMALL_GROUP_NOTE };
    if (typeof voters !== "number" || !counts) return { ...base, status: "hidden", note: HIDDEN_GROUP_NOTE };
    const entries = rankEntries(items.map((item) => ({ item, count: Number(counts[String(item.id)]) || 0 })));
    return { ...base, status: "shown", note: plural(voters, "personne", "personnes"), entries };
  });
}

/**
 * The vote the moderation page shows: the current activity when it is a vote; else the
 * one the facilitator chose (`chosenId`), else the next vote of the agenda not closed
 * yet, else the last vote. `agenda`: activities in order. Returns the activity or null.
 */
export function voteActivityFor(agenda, currentId, chosenId = null) {
  const votes = agenda.filter(isVoting);
  const current = votes.find((a) => a.id === currentId);
  if (current) return current;
  const chosen = votes.find((a) => a.id === chosenId);
  if (chosen) return chosen;
  const here = agenda.findIndex((a) => a.id === currentId);
  const next = agenda.slice(here + 1).find((a) => isVoting(a) && a.state !== "closed");
  return next || votes.find((a) => a.state !== "closed") || votes[votes.length - 1] || null;
}

/** The shortlist may change until the first vote: a pending vote, or one nobody voted in. */
export function canShortlist(activity, tally) {
  if (!isVoting(activity) || activity.state === "closed") return false;
  return activity.state === "pending" || !tally || !tally.voters;
}

/**
 * What the shortlist picker offers: the source board's visible notes (oldest first) or
 * its clusters (in order), as [{ key, id, label }]; key "n<id>" for a note, "c<id>" for
 * a cluster. `notes` and `clusters`: everything the page knows (any activity).
 */
export function shortlistOptions(activity, notes, clusters) {
  const source = activity && activity.vote ? activity.vote.source_id : null;
  if (source === null || source === undefined) return [];
  if (activity.vote.target === "clusters") {
    return clusters
      .filter((c) => c.activity_id === source)
      .sort((a, b) => a.position - b.position || a.id - b.id)
      .map((c) => ({ key: `c${c.id}`, id: c.id, label: c.title }));
  }
  return notes
    .filter((n) => n.activity_id === source && n.status === "visible")
    .sort((a, b) => a.id - b.id)
    .map((n) => ({ key: `n${n.id}`, id: n.id, label: n.body }));
}

/** The keys of what the vote holds now (the picker starts from them). */
export function itemKeys(items) {
  return new Set(
    items.map((i) => (i.contribution_id !== null && i.contribution_id !== undefined ? `n${i.contribution_id}` : `c${i.cluster_id}`)),
  );
}

/** The vote.shortlist command for the ticked keys, in the order of `options`; null if none. */
export function shortlistCommand(activity, options, picked) {
  const chosen = options.filter((o) => picked.has(o.key));
  if (!chosen.length) return null;
  return {
    type: "vote.shortlist",
    activity_id: activity.id,
    contribution_ids: chosen.filter((o) => o.key[0] === "n").map((o) => o.id),
    cluster_ids: chosen.filter((o) => o.key[0] === "c").map((o) => o.id),
  };
}
