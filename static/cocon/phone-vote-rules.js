// The phone's rules for dot voting and two-axis rating: how many points are left, what
// "+" and "−" may do and why not, the order of the results, whether a rating is complete.
// Pure logic: no DOM. The server decides (participation/voting.py); these rules only let
// the phone say it first, and count the commands still waiting in the outbox.

export const RATING_VALUES = [1, 2, 3, 4, 5];

/** Is this activity a dot vote or a rating? */
export function isVoting(activity) {
  return Boolean(activity) && (activity.kind === "vote" || activity.kind === "rating");
}

/** May the participant vote (or rate) now? */
export function votingOpen(activity, workshop) {
  return Boolean(activity && workshop && workshop.state === "live" && activity.state === "open");
}

/** Why voting is not possible now ("" when it is). */
export function votingClosedReason(activity, workshop) {
  if (!activity || !workshop) return "";
  const rating = activity.kind === "rating";
  if (workshop.state === "closed") return "L'atelier est clôturé : le vote est clos.";
  if (workshop.state !== "live") return "L'atelier n'a pas encore commencé : le vote n'est pas ouvert.";
  if (activity.state === "closed") return rating ? "La notation est close." : "Le vote est clos.";
  if (activity.state !== "open") return rating ? "La notation n'est pas encore ouverte." : "Le vote n'est pas encore ouvert.";
  return "";
}

export function plural(n, one, many) {
  return Math.abs(n) >= 2 ? many : one;
}

export function pointsText(n) {
  return `${n} ${plural(n, "point", "points")}`;
}

/** Item id (number) -> value, from the JSON objects of a MyVotesOut (keys are strings). */
function numericKeys(object) {
  const map = new Map();
  for (const [key, value] of Object.entries(object || {})) map.set(Number(key), value);
  return map;
}

/**
 * The participant's points in a dot vote: the last answer of the server (`mine`, a
 * MyVotesOut, or undefined before any vote) plus the commands still in the outbox, applied
 * in order the way the server would (an add past the budget or the per-item max, or a
 * remove of a point that is not there, counts for nothing).
 *
 * Returns {votes: Map item id -> points, left, budget, maxPerItem, pendingItems: Set}.
 */
export function dotVotes(activity, items, mine, pending = []) {
  const settings = activity.vote || {};
  const budget = settings.votes_per_person || 0;
  const maxPerItem = settings.max_per_item || budget;
  const votes = numericKeys(mine && mine.votes);
  let left = mine && typeof mine.left === "number" ? mine.left : budget - sum(votes.values());
  const here = new Set(items.map((item) => item.id));
  const pendingItems = new Set();
  for (const command of pending) {
    if (!here.has(command.item_id)) continue;
    const points = votes.get(command.item_id) || 0;
    if (command.type === "vote.add") {
      pendingItems.add(command.item_id);
      if (left > 0 && points < maxPerItem) {
        votes.set(command.item_id, points + 1);
        left -= 1;
      }
    } else if (command.type === "vote.remove") {
      pendingItems.add(command.item_id);
      if (points > 0) {
        votes.set(command.item_id, points - 1);
        left += 1;
      }
    }
  }
  return { votes, left, budget, maxPerItem, pendingItems };
}

function sum(values) {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/**
 * Whether "+" may add a point to an item, and why not.
 * Returns {allowed, reason} where reason is "" | "closed" | "budget" | "item_max".
 */
export function canAdd(view, itemId, open) {
  if (!open) return { allowed: false, reason: "closed" };
  if ((view.votes.get(itemId) || 0) >= view.maxPerItem) return { allowed: false, reason: "item_max" };
  if (view.left <= 0) return { allowed: false, reason: "budget" };
  return { allowed: true, reason: "" };
}

/** Whether "−" may take a point back from an item, and why not ("closed" | "none"). */
export function canRemove(view, itemId, open) {
  if (!open) return { allowed: false, reason: "closed" };
  if ((view.votes.get(itemId) || 0) <= 0) return { allowed: false, reason: "none" };
  return { allowed: true, reason: "" };
}

/** What the participant reads next to a "+" they cannot use ("" when nothing to say). */
export function addBlockedText(reason, maxPerItem) {
  if (reason === "item_max") return `Maximum atteint : ${pointsText(maxPerItem)} au plus sur un même élément.`;
  if (reason === "budget") return "Vous avez utilisé tous vos points. Retirez-en un pour voter ailleurs.";
  return "";
}

/** The line that stays in view while voting. */
export function leftText(view) {
  return `Il vous reste ${pointsText(view.left)} sur ${view.budget}`;
}

/** Before voting: who will see what, and the rules (one sentence each). */
export function voteRules(activity) {
  const settings = activity.vote || {};
  const rating = activity.kind === "rating";
  const sentences = [];
  if (settings.anonymous === false) {
    sentences.push(rating ? "Les animateurs pourront voir qui a noté quoi." : "Les animateurs pourront voir qui a voté quoi.");
  } else {
    sentences.push(
      rating
        ? "Vos notes sont anonymes : personne ne verra qui a noté quoi."
        : "Vos votes sont anonymes : personne ne verra qui a voté quoi.",
    );
  }
  if (rating) {
    sentences.push(
      `Placez chaque élément sur deux axes, de 1 à 5 : « ${settings.axis_x} » et « ${settings.axis_y} » ` +
        "(1 = faible, 5 = fort), puis validez. Vous pouvez changer ou effacer votre note tant que la notation est ouverte.",
    );
  } else {
    const budget = settings.votes_per_person || 0;
    const max = settings.max_per_item || budget;
    sentences.push(
      `Vous avez ${pointsText(budget)} à répartir, ${pointsText(max)} au plus sur un même élément. ` +
        "Touchez « + » pour ajouter un point, « − » pour le reprendre tant que le vote est ouvert.",
    );
  }
  if (activity.private && !activity.revealed) {
    sentences.push("Les résultats resteront masqués jusqu'à ce que l'animation les révèle.");
  }
  return sentences;
}

/** "3 personnes ont voté." (or "ont noté" for a rating). */
export function votersText(count, kind = "vote") {
  const verb = kind === "rating" ? "noté" : "voté";
  if (!count) return kind === "rating" ? "Personne n'a encore noté." : "Personne n'a encore voté.";
  return count === 1 ? `1 personne a ${verb}.` : `${count} personnes ont ${verb}.`;
}

/**
 * A dot vote's results, highest count first, ties in the order of the items; null while
 * the results are hidden (the phone's tally has no items). Items unknown to the phone are
 * left out.
 */
export function ranking(items, tally) {
  if (!tally || !Array.isArray(tally.items)) return null;
  const order = new Map(items.map((item, index) => [item.id, index]));
  const byId = new Map(items.map((item) => [item.id, item]));
  return tally.items
    .filter((row) => byId.has(row.item_id))
    .map((row) => ({ item: byId.get(row.item_id), count: row.count || 0 }))
    .sort((a, b) => b.count - a.count || order.get(a.item.id) - order.get(b.item.id));
}

/** Is this a complete rating (both axes, whole numbers 1–5)? */
export function validRating(x, y) {
  return RATING_VALUES.includes(x) && RATING_VALUES.includes(y);
}

/** Why a rating cannot be sent as it is ("" if it can). */
export function ratingError(x, y, settings) {
  const missing = [];
  if (!RATING_VALUES.includes(x)) missing.push(`« ${settings.axis_x} »`);
  if (!RATING_VALUES.includes(y)) missing.push(`« ${settings.axis_y} »`);
  if (missing.length === 0) return "";
  return `Choisissez une note de 1 à 5 pour ${missing.join(" et pour ")} avant de valider.`;
}

/**
 * The participant's rating of each item: the server's last answer plus the commands in the
 * outbox (the last one for an item wins). Returns Map item id -> {x, y, pending} for rated
 * items, with `pending` true while a command for it is unanswered; a pending clear leaves
 * {x: null, y: null, pending: true}.
 */
export function myRatings(items, mine, pending = []) {
  const here = new Set(items.map((item) => item.id));
  const ratings = new Map();
  for (const [id, pair] of numericKeys(mine && mine.ratings)) {
    if (here.has(id) && Array.isArray(pair)) ratings.set(id, { x: pair[0], y: pair[1], pending: false });
  }
  for (const command of pending) {
    if (!here.has(command.item_id)) continue;
    if (command.type === "rating.set") ratings.set(command.item_id, { x: command.x, y: command.y, pending: true });
    if (command.type === "rating.clear") ratings.set(command.item_id, { x: null, y: null, pending: true });
  }
  return ratings;
}

/** How many items carry a rating (pending ones included, pending clears excluded). */
export function ratedCount(ratings) {
  let count = 0;
  for (const rating of ratings.values()) if (validRating(rating.x, rating.y)) count += 1;
  return count;
}

/** "Vous avez noté 2 éléments sur 5" */
export function ratedText(rated, total) {
  return `Vous avez noté ${rated} ${plural(rated, "élément", "éléments")} sur ${total}`;
}

/** A mean as French text, one decimal: 3.25 -> "3,3" (with "" for none). */
export function formatMean(value) {
  if (value === null || value === undefined) return "";
  return (Math.round(value * 10) / 10).toFixed(1).replace(".", ",");
}

/** A rating's results in the order of the items; null while hidden. */
export function ratingResults(items, tally) {
  if (!tally || !Array.isArray(tally.items)) return null;
  const rows = new Map(tally.items.map((row) => [row.item_id, row]));
  return items.map((item) => {
    const row = rows.get(item.id) || {};
    return { item, n: row.n || 0, xMean: row.x_mean ?? null, yMean: row.y_mean ?? null };
  });
}

/** One line of a rating's results: "Impact : 3,4 · Faisabilité : 2,8 · 5 personnes". */
export function ratingResultText(result, settings) {
  if (!result.n) return "Pas encore de note.";
  return (
    `${settings.axis_x} : ${formatMean(result.xMean)} · ${settings.axis_y} : ${formatMean(result.yMean)} · ` +
    `${result.n} ${plural(result.n, "personne", "personnes")}`
  );
}

/** Where a refused vote command's message goes: next to its item, or at the top. */
export function errorPlace(code) {
  return ["activity_closed", "workshop_not_live", "workshop_closed", "forbidden"].includes(code) ? "top" : "item";
}
