// The phone's rules for a journey map (stages × lanes): which stage is shown, the
// participant's rating of each stage with the commands still waiting in the outbox, the
// cards of one cell, and what the phone says when it cannot add or rate. Pure logic: no
// DOM. The server decides (participation/journeys.py); these rules let the phone answer
// at once, and count what is still queued so nothing tapped or typed is lost.

import { BODY_MAX } from "./drafts.js";

/** The emotion scale, from very hard to very good (StageFeeling.value). */
export const FEELINGS = [
  { value: -2, label: "Très difficile" },
  { value: -1, label: "Difficile" },
  { value: 0, label: "Neutre" },
  { value: 1, label: "Bien" },
  { value: 2, label: "Très bien" },
];
const FEELING_COMMANDS = new Set(["feeling.set", "feeling.clear"]);

/** What each kind of lane holds, said under its title when it was renamed. */
const LANE_HINTS = {
  actions: "Ce que fait la personne",
  touchpoints: "Points de contact et canaux",
  thoughts: "Ce qu'elle pense et ressent",
  pain_points: "Ce qui bloque, agace ou fait perdre du temps",
  opportunities: "Ce qui pourrait être amélioré",
};

export const HORIZONS = { as_is: "Parcours actuel", to_be: "Parcours souhaité" };

export function isJourney(activity) {
  return Boolean(activity) && activity.kind === "journey";
}

/** The stages, in order (a journey's columns). */
export function stagesOf(activity) {
  return (activity && activity.columns) || [];
}

/** The lanes that take cards now (a lane turned off keeps its cards but is not shown). */
export function enabledLanes(activity) {
  const lanes = (activity && activity.journey && activity.journey.lanes) || [];
  return lanes.filter((lane) => lane.enabled !== false);
}

/** The hint under a lane's title ("" when its label already says it). */
export function laneHint(lane) {
  const hint = LANE_HINTS[lane.kind] || "";
  return hint && hint.toLowerCase() !== String(lane.label).trim().toLowerCase() ? hint : "";
}

/** The stage to show: `wanted` if the map still has it, else the first (null: no stages). */
export function currentStage(activity, wanted) {
  const stages = stagesOf(activity);
  if (stages.some((stage) => stage.key === wanted)) return wanted;
  return stages.length ? stages[0].key : null;
}

/** The key of the stage `step` places away from `key` (null past either end). */
export function neighbourStage(activity, key, step) {
  const stages = stagesOf(activity);
  const index = stages.findIndex((stage) => stage.key === key);
  const next = stages[index + step];
  return index >= 0 && next ? next.key : null;
}

/** "Étape 2 sur 5 : Dépôt du dossier". */
export function stageTitle(activity, key) {
  const stages = stagesOf(activity);
  const index = stages.findIndex((stage) => stage.key === key);
  if (index < 0) return "";
  return `Étape ${index + 1} sur ${stages.length} : ${stages[index].label}`;
}

export function feelingLabel(value) {
  const feeling = FEELINGS.find((f) => f.value === value);
  return feeling ? feeling.label : "";
}

/** "+1", "0", "−2" (a true minus sign). */
export function signed(value) {
  if (value > 0) return `+${value}`;
  if (value < 0) return `−${-value}`;
  return "0";
}

export function validFeeling(value) {
  return Number.isInteger(value) && value >= -2 && value <= 2;
}

/**
 * The participant's ratings of a journey's stages: the server's last word (`saved`,
 * {stage key: value}, from the snapshot's me.feelings or an ack) with the feeling
 * commands still in the outbox applied in order. A refused command leaves the outbox, so
 * the display falls back to what the server holds (the rollback).
 *
 * Returns a Map stage key -> {value: -2..2 | null, pending: boolean}; stages without a
 * rating and without a waiting command are absent.
 */
export function myFeelings(activityId, saved, pending = []) {
  const feelings = new Map();
  for (const [stage, value] of Object.entries(saved || {})) {
    if (validFeeling(value)) feelings.set(stage, { value, pending: false });
  }
  for (const command of pending) {
    if (!FEELING_COMMANDS.has(command.type) || command.activity_id !== activityId) continue;
    const value = command.type === "feeling.set" ? command.value : null;
    feelings.set(command.stage, { value, pending: true });
  }
  return feelings;
}

/** The command a tap on `value` sends for `stage`: the same value again takes it back. */
export function feelingCommand(activityId, stage, current, value) {
  if (current === value) return { type: "feeling.clear", activity_id: activityId, stage };
  return { type: "feeling.set", activity_id: activityId, stage, value };
}

/** "Votre ressenti : Bien (+1)" or "Pas encore noté." */
export function feelingText(value) {
  if (value === null || value === undefined) return "Vous n'avez pas encore dit comment se passe cette étape.";
  return `Votre ressenti : ${feelingLabel(value)} (${signed(value)})`;
}

/** How many stages the participant has rated (queued ratings included). */
export function ratedStages(activity, feelings) {
  return stagesOf(activity).filter((stage) => {
    const feeling = feelings.get(stage.key);
    return feeling && feeling.value !== null;
  }).length;
}

/** May the participant rate and add cards now? */
export function journeyOpen(activity, workshop) {
  return Boolean(isJourney(activity) && workshop && workshop.state === "live" && activity.state === "open");
}

/** Why the map takes nothing now ("" when it is open). */
export function journeyClosedReason(activity, workshop) {
  if (!activity || !workshop) return "";
  if (workshop.state === "draft") return "L'atelier n'a pas encore commencé : vous pouvez déjà parcourir les étapes.";
  if (workshop.state === "closed") return "L'atelier est clôturé : le parcours ne change plus.";
  if (activity.state === "closed") return "Le parcours est fermé : vous pouvez le consulter, plus le compléter.";
  if (activity.state !== "open") return "Le parcours n'est pas encore ouvert : vous pouvez déjà parcourir les étapes.";
  return "";
}

/** The key of a cell's draft in the phone's storage. */
export function cellKey(activityId, stage, lane) {
  return `${activityId}:${stage}:${lane}`;
}

/**
 * The cards of one cell (stage × lane), oldest first: those the room sees, the
 * participant's own (even while the map is private, or hidden by the facilitator), then
 * the participant's cards still waiting in the outbox.
 *
 * Returns [{key, body, author, own, status, cluster_id}], status among "visible",
 * "private", "hidden", "pending".
 */
export function cellCards(activity, stage, lane, { contributions = [], own = [], pending = [] } = {}) {
  const here = (card) => card.activity_id === activity.id && card.column === stage && card.lane === lane;
  const privateNow = Boolean(activity.private && !activity.revealed);
  const cards = new Map();
  for (const card of contributions) {
    if (here(card) && card.status !== "hidden") cards.set(card.id, { card, own: false, status: "visible" });
  }
  for (const card of own) {
    if (!here(card)) continue;
    let status = "visible";
    if (card.status === "hidden") status = "hidden";
    else if (privateNow) status = "private";
    cards.set(card.id, { card, own: true, status });
  }
  const list = Array.from(cards.values())
    .sort((a, b) => (a.card.created_at < b.card.created_at ? -1 : a.card.created_at > b.card.created_at ? 1 : a.card.id - b.card.id))
    .map(({ card, own: mine, status }) => ({
      key: `card-${card.id}`,
      id: card.id,
      body: card.body,
      author: card.author || "",
      own: mine,
      status,
      cluster_id: card.cluster_id || null,
    }));
  for (const command of pending) {
    const queued = command.type === "contribution.create" && command.activity_id === activity.id;
    if (!queued || command.column !== stage || command.lane !== lane) continue;
    list.push({ key: `req-${command.request_id}`, id: null, body: command.body, author: "", own: true, status: "pending", cluster_id: null });
  }
  return list;
}

/** What a card says about itself ("" for other people's cards the room sees). */
export function cardStatusText(card, offline = false) {
  switch (card.status) {
    case "pending":
      return offline ? "En attente du réseau : elle partira au retour de la connexion." : "En attente d'envoi";
    case "private":
      return "Votre carte · Masquée jusqu'à la révélation";
    case "hidden":
      return "Votre carte · Masquée par l'animation";
    default:
      return card.own ? "Votre carte" : "";
  }
}

/**
 * Why a card cannot be sent as it is ("" if it can): the map must be open, the text
 * written and short enough, the participant under the activity's card limit (`sent`:
 * their cards on it, queued ones included).
 */
export function cardError(activity, workshop, body, sent) {
  if (!workshop || workshop.state !== "live") {
    return workshop && workshop.state === "closed"
      ? "L'atelier est clôturé : votre carte n'a pas été envoyée, son texte reste ici."
      : "L'atelier n'a pas encore commencé : votre texte reste ici, vous pourrez l'envoyer dès l'ouverture.";
  }
  if (!activity || activity.state !== "open") {
    return "Le parcours n'accepte pas de cartes pour le moment : votre texte reste en brouillon sur ce téléphone.";
  }
  const text = body.trim();
  if (!text) return "Écrivez le texte de votre carte avant de l'envoyer.";
  if (text.length > BODY_MAX) {
    return `Votre carte fait ${text.length} caractères : ${BODY_MAX} au plus. Raccourcissez-la avant de l'envoyer.`;
  }
  if (typeof activity.max_notes === "number" && sent >= activity.max_notes) return limitText(activity.max_notes);
  return "";
}

function limitText(max) {
  const plural = max > 1 ? "s" : "";
  return `Vous avez envoyé ${max} carte${plural}, le maximum pour ce parcours : votre texte reste ici.`;
}

/** What the phone says when the server refuses a card (the text goes back in the form). */
export function cardRefusalText(error) {
  switch (error.code) {
    case "activity_closed":
      return "Le parcours n'accepte plus de cartes : votre carte n'a pas été envoyée, son texte reste ici.";
    case "workshop_closed":
    case "workshop_not_live":
      return "L'atelier n'est pas en cours : votre carte n'a pas été envoyée, son texte reste ici.";
    case "note_limit":
      return `${error.message} Votre texte reste ici.`;
    default:
      return `Votre carte n'a pas été envoyée : ${error.message}`;
  }
}

/** What the phone says when the server refuses a rating (the previous one shows again). */
export function feelingRefusalText(error) {
  switch (error.code) {
    case "activity_closed":
      return "Le parcours est fermé : votre ressenti n'a pas été enregistré.";
    case "workshop_closed":
    case "workshop_not_live":
      return "L'atelier n'est pas en cours : votre ressenti n'a pas été enregistré.";
    default:
      return `Votre ressenti n'a pas été enregistré : ${error.message}`;
  }
}

/** Is this ack's result a participant's ratings of a journey ({activity_id, stages})? */
export function isMyFeelings(result) {
  return Boolean(
    result &&
      typeof result.activity_id === "number" &&
      result.stages &&
      typeof result.stages === "object" &&
      !Array.isArray(result.stages),
  );
}
