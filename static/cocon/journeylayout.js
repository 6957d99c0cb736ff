// Pure rules of a journey map on the facilitator's pages: which lanes show, which cards
// go in which cell (stage × lane, grouped by cluster), how dense the map gets, which map
// is paired with which, and the commands a move or a merge sends. No DOM here:
// tests/js/journeylayout.test.mjs runs it under node. curve.js draws the emotion curve.

import { groupByCluster } from "./layout.js";

/** What a lane of each kind is called when the facilitator left its label empty. */
export const LANE_KINDS = {
  actions: "Ce que fait la personne",
  touchpoints: "Points de contact et canaux",
  thoughts: "Ce qu'elle pense et ressent",
  pain_points: "Irritants",
  opportunities: "Opportunités",
  other: "Autre",
};

export const HORIZONS = { as_is: "Parcours actuel", to_be: "Parcours souhaité" };

export function isJourney(activity) {
  return Boolean(activity && activity.kind === "journey");
}

/** "Parcours actuel" or "Parcours souhaité" (an unknown horizon reads as today's). */
export function horizonLabel(activity) {
  const horizon = activity && activity.journey ? activity.journey.horizon : "as_is";
  return HORIZONS[horizon] || HORIZONS.as_is;
}

/** The lanes the big screen shows: enabled ones, in order, each with its label and kind. */
export function shownLanes(activity) {
  const lanes = (activity && activity.journey && activity.journey.lanes) || [];
  return lanes
    .filter((lane) => lane.enabled !== false)
    .map((lane) => ({
      key: lane.key,
      kind: lane.kind,
      label: lane.label || LANE_KINDS[lane.kind] || lane.key,
      painPoints: lane.kind === "pain_points",
    }));
}

/** The cell key of a stage and a lane. */
export const cellKey = (stage, lane) => `${stage}|${lane}`;

/**
 * The map: stages (columns) and shown lanes (rows), each cell's cards grouped by cluster
 * (clusters first in their order, then loose cards; oldest first), and the cards that
 * have no cell on screen (`offMap`: their lane is turned off or their stage or lane was
 * removed), counted so the screen can say so rather than lose them silently.
 * notes: the visible cards of the map.
 */
export function mapLayout(activity, notes, clusters) {
  const stages = ((activity && activity.columns) || []).map((c) => ({ key: c.key, label: c.label, count: 0 }));
  const lanes = shownLanes(activity).map((lane) => ({ ...lane, count: 0 }));
  const stageByKey = new Map(stages.map((s) => [s.key, s]));
  const laneByKey = new Map(lanes.map((l) => [l.key, l]));
  const inCell = new Map();
  let offMap = 0;
  for (const note of notes.slice().sort((a, b) => a.id - b.id)) {
    const stage = stageByKey.get(note.column);
    const lane = laneByKey.get(note.lane);
    if (!stage || !lane) {
      offMap += 1;
      continue;
    }
    stage.count += 1;
    lane.count += 1;
    const key = cellKey(stage.key, lane.key);
    if (!inCell.has(key)) inCell.set(key, []);
    inCell.get(key).push(note);
  }
  const cells = new Map();
  let maxPerCell = 0;
  for (const stage of stages) {
    for (const lane of lanes) {
      const key = cellKey(stage.key, lane.key);
      const cards = inCell.get(key) || [];
      maxPerCell = Math.max(maxPerCell, cards.length);
      cells.set(key, { key, stage: stage.key, lane: lane.key, count: cards.length, groups: groupByCluster(cards, clusters) });
    }
  }
  const shown = notes.length - offMap;
  return { stages, lanes, cells, shown, offMap, maxPerCell };
}

/**
 * How dense the map is drawn: the cards' font size (rem) and how many lines of a card
 * show before it is cut (0: all), from the fullest cell; a map of many stages has
 * narrower cells, and one of five lanes or more shorter rows, so each starts it one
 * level denser.
 */
export const MAP_DENSITY = [
  { level: 1, upTo: 2, fontSize: 1.5, lines: 0 },
  { level: 2, upTo: 4, fontSize: 1.25, lines: 0 },
  { level: 3, upTo: 8, fontSize: 1.05, lines: 4 },
  { level: 4, upTo: 15, fontSize: 0.95, lines: 3 },
  { level: 5, upTo: Infinity, fontSize: 0.85, lines: 2 },
];

export function mapDensity(maxPerCell, stageCount = 0, laneCount = 0) {
  const n = Math.max(0, Number(maxPerCell) || 0);
  const index = MAP_DENSITY.findIndex((d) => n <= d.upTo) + (stageCount > 6 ? 1 : 0) + (laneCount >= 5 ? 1 : 0);
  return MAP_DENSITY[Math.min(index, MAP_DENSITY.length - 1)];
}

/**
 * The map paired with this one, or null: the one its `pair_id` names, else a journey
 * whose `pair_id` names this one (a to-be map points at its as-is map).
 */
export function pairedJourney(activity, activities) {
  if (!isJourney(activity)) return null;
  const list = Array.from(activities).filter((a) => isJourney(a) && a.id !== activity.id);
  const pairId = activity.journey && activity.journey.pair_id;
  if (pairId !== null && pairId !== undefined) return list.find((a) => a.id === pairId) || null;
  return list.find((a) => a.journey && a.journey.pair_id === activity.id) || null;
}

const norm = (text) => String(text || "").trim().toLocaleLowerCase("fr-FR");

/**
 * Which stage of the paired map matches each stage of this one (key -> paired key):
 * by label (the to-be map usually keeps the as-is stages' names); when no label
 * matches and both maps have as many stages, by position. A stage without a match has
 * no paired point.
 */
export function alignStages(stages, pairedStages) {
  const byLabel = new Map();
  for (const stage of pairedStages) if (!byLabel.has(norm(stage.label))) byLabel.set(norm(stage.label), stage.key);
  const matched = new Map();
  for (const stage of stages) if (byLabel.has(norm(stage.label))) matched.set(stage.key, byLabel.get(norm(stage.label)));
  if (matched.size === 0 && stages.length === pairedStages.length) {
    stages.forEach((stage, index) => matched.set(stage.key, pairedStages[index].key));
  }
  return matched;
}

/**
 * The visible cards of the map's pain-point lanes that are on, in a stage of the map:
 * what a vote on irritants takes (participation.journeys.pain_point_cards).
 */
export function painPoints(activity, notes) {
  const lanes = new Set(shownLanes(activity).filter((l) => l.painPoints).map((l) => l.key));
  const stages = new Set(((activity && activity.columns) || []).map((c) => c.key));
  return notes.filter((n) => n.status === "visible" && lanes.has(n.lane) && stages.has(n.column));
}

/** The dot vote already taking its items from this map, if any (the latest). */
export function irritantsVote(activity, activities) {
  if (!activity) return null;
  const votes = Array.from(activities).filter((a) => a.kind === "vote" && a.vote && a.vote.source_id === activity.id);
  votes.sort((a, b) => b.position - a.position);
  return votes[0] || null;
}

/** The URL the "Voter sur les irritants" button posts to. */
export function irritantsVoteUrl(workshopId, activityId) {
  return `/ateliers/${workshopId}/activites/${activityId}/voter-irritants/`;
}

/** contribution.place to move a card to (stage, lane), or null when it is already there. */
export function placeCommand(note, stage, lane) {
  if (!note || !stage || !lane || (note.column === stage && note.lane === lane)) return null;
  return { type: "contribution.place", contribution_id: note.id, column: stage, lane };
}

/**
 * What dropping card `dragged` onto card `target` sends: it goes to the target's cell
 * (if elsewhere) and joins the target's cluster. When the target is in no cluster, the
 * page must ask for a title first: `needsTitle` true, and `clusterCreate(title)` gives
 * the command that makes a cluster of both. Returns { commands, needsTitle, clusterCreate }.
 */
export function mergePlan(dragged, target) {
  const none = { commands: [], needsTitle: false, clusterCreate: null };
  if (!dragged || !target || dragged.id === target.id) return none;
  const commands = [];
  const place = placeCommand(dragged, target.column, target.lane);
  if (place) commands.push(place);
  if (target.cluster_id !== null && target.cluster_id !== undefined) {
    if (dragged.cluster_id !== target.cluster_id) {
      commands.push({ type: "contribution.move", contribution_id: dragged.id, cluster_id: target.cluster_id });
    }
    return { commands, needsTitle: false, clusterCreate: null };
  }
  return {
    commands,
    needsTitle: true,
    clusterCreate: (title) => ({
      type: "cluster.create",
      activity_id: target.activity_id,
      title,
      contribution_ids: [target.id, dragged.id],
    }),
  };
}

/** "Une mère isolée · Obtenir une place en crèche": who travels, toward what goal. */
export function frameText(activity) {
  const journey = activity && activity.journey;
  if (!journey) return "";
  const parts = [];
  if (journey.persona) parts.push(`Qui : ${journey.persona}`);
  if (journey.scenario) parts.push(`Objectif : ${journey.scenario}`);
  return parts.join(" · ");
}
