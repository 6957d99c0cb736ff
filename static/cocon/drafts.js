// The phone's compose rules: what it keeps of the text a participant is typing, what it
// may do with it, and what it tells the participant before they write.
//
// A draft is bound to the activity it was started for (and the column chosen for it).
// Drafts are kept per activity in localStorage, so changing activity or reloading the
// page never throws away what was typed: a draft for another activity is shown apart,
// and can be sent there if that activity still accepts it, moved to the current one,
// or erased by the participant. Pure logic: no DOM; storage is passed in.

export const UNBOUND = "none"; // slot of a draft typed before any activity was shown
export const BODY_MAX = 500; // settings.CONTRIBUTION_MAX_LENGTH

export function draftStorageKey(workshopId) {
  return `cocon.phone.draft.${workshopId}`;
}

/** The slot of an activity's draft in the store (`null`: no activity). */
export function slotOf(activityId) {
  return activityId === null || activityId === undefined ? UNBOUND : String(activityId);
}

export function emptyStore() {
  return { current: null, drafts: {} };
}

/** The stored drafts (`current`: the activity the compose form last wrote for). */
export function loadDrafts(storage, key) {
  try {
    const data = JSON.parse(storage.getItem(key) || "null");
    if (!data || typeof data !== "object" || typeof data.drafts !== "object" || !data.drafts) return emptyStore();
    const drafts = {};
    for (const [slot, draft] of Object.entries(data.drafts)) {
      if (draft && typeof draft.body === "string") drafts[slot] = normalise(draft);
    }
    return { current: typeof data.current === "number" ? data.current : null, drafts };
  } catch {
    return emptyStore();
  }
}

export function saveDrafts(storage, key, store) {
  try {
    if (Object.keys(store.drafts).length === 0 && store.current === null) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(store));
    return true;
  } catch {
    return false; // storage full or refused: the draft still lives in the page
  }
}

function normalise(draft) {
  return {
    activityId: typeof draft.activityId === "number" ? draft.activityId : null,
    activityTitle: typeof draft.activityTitle === "string" ? draft.activityTitle : "",
    body: draft.body,
    column: typeof draft.column === "string" ? draft.column : "",
    updatedAt: typeof draft.updatedAt === "number" ? draft.updatedAt : 0,
  };
}

export function isBlank(draft) {
  return !draft || draft.body.trim() === "";
}

/** The draft for an activity (an empty one if there is none). */
export function getDraft(store, activityId) {
  return (
    store.drafts[slotOf(activityId)] || {
      activityId: activityId ?? null,
      activityTitle: "",
      body: "",
      column: "",
      updatedAt: 0,
    }
  );
}

/** A new store where the activity's draft has `patch` applied; an emptied draft is dropped. */
export function updateDraft(store, activity, patch, now = Date.now()) {
  const activityId = activity ? activity.id : null;
  const draft = {
    ...getDraft(store, activityId),
    ...patch,
    activityId,
    activityTitle: activity ? activity.title : "",
    updatedAt: now,
  };
  const drafts = { ...store.drafts };
  if (draft.body === "" && draft.column === "") delete drafts[slotOf(activityId)];
  else drafts[slotOf(activityId)] = draft;
  return { ...store, drafts };
}

export function discardDraft(store, activityId) {
  const drafts = { ...store.drafts };
  delete drafts[slotOf(activityId)];
  return { ...store, drafts };
}

/** Join two texts without losing either (a blank line between them). */
export function joinBodies(first, second) {
  const a = first.trimEnd();
  const b = second.trim();
  if (!a) return b;
  if (!b) return a;
  return `${a}\n\n${b}`;
}

/** Move the draft of `fromId` to `activity` (added after any text already there). The
 * column is dropped: column keys belong to one activity. */
export function rebindDraft(store, fromId, activity, now = Date.now()) {
  const from = getDraft(store, fromId);
  if (activity && fromId === activity.id) return store;
  const target = getDraft(store, activity ? activity.id : null);
  const moved = discardDraft(store, fromId);
  return updateDraft(moved, activity, { body: joinBodies(target.body, from.body), column: target.column }, now);
}

/** Is this activity a board of notes? (Votes and ratings take no written notes.) */
export function isBoard(activity) {
  return Boolean(activity) && (activity.kind === undefined || activity.kind === "ideation");
}

export function acceptsContributions(activity, workshop) {
  return Boolean(isBoard(activity) && workshop && workshop.state === "live" && activity.state === "open");
}

/** A draft typed before any activity existed joins the first activity that accepts it. */
export function adoptUnbound(store, activity, workshop, now = Date.now()) {
  const unbound = store.drafts[UNBOUND];
  if (!unbound || !acceptsContributions(activity, workshop)) return store;
  return rebindDraft(store, null, activity, now);
}

/** Non-empty drafts for other activities than `currentId`, oldest first (all of them
 * with `includeCurrent`: when the current activity has no compose form, a vote). */
export function parkedDrafts(store, currentId, { includeCurrent = false } = {}) {
  const here = slotOf(currentId);
  return Object.entries(store.drafts)
    .filter(([slot, draft]) => (includeCurrent || slot !== here) && !isBlank(draft))
    .map(([, draft]) => draft)
    .sort((a, b) => a.updatedAt - b.updatedAt);
}

/** How many notes the participant has sent or queued, per activity id: their notes,
 * plus the creations waiting in the outbox, minus the withdrawals waiting there. */
export function contributionCounts(ownNotes, pending) {
  const counts = new Map();
  const add = (activityId, n) => counts.set(activityId, (counts.get(activityId) || 0) + n);
  const activityOf = new Map();
  for (const note of ownNotes) {
    activityOf.set(note.id, note.activity_id);
    add(note.activity_id, 1);
  }
  for (const command of pending) {
    if (command.type === "contribution.create") add(command.activity_id, 1);
    if (command.type === "contribution.withdraw" && activityOf.has(command.contribution_id)) {
      add(activityOf.get(command.contribution_id), -1);
    }
  }
  return counts;
}

function lookup(activities, id) {
  if (id === null || id === undefined) return null;
  if (activities instanceof Map) return activities.get(id) || null;
  return (activities || []).find((a) => a.id === id) || null;
}

/**
 * What the participant may do with a draft that is not the current activity's.
 *
 * Returns `{status, actions, target, current}`: `status` says where the draft's activity
 * stands (open, limit, closed, pending, removed, unbound, not-started, workshop-closed);
 * `actions` lists what is allowed, in display order, among "send" (to its activity),
 * "rebind" (use it for the current activity) and "discard" (always).
 */
export function draftActions(draft, activities, currentId, { workshop = null, counts = new Map() } = {}) {
  const target = lookup(activities, draft.activityId);
  const current = lookup(activities, currentId);
  let status;
  if (draft.activityId === null) status = "unbound";
  else if (!target) status = "removed";
  else if (!workshop || workshop.state === "draft") status = "not-started";
  else if (workshop.state === "closed") status = "workshop-closed";
  else if (!isBoard(target)) status = "no-notes";
  else if (target.state === "closed") status = "closed";
  else if (target.state !== "open") status = "pending";
  else if ((counts.get(target.id) || 0) >= target.max_notes) status = "limit";
  else status = "open";
  const actions = [];
  const elsewhere = !target || !current || target.id !== current.id;
  if (status === "open" && elsewhere) actions.push("send");
  if (current && elsewhere && acceptsContributions(current, workshop)) actions.push("rebind");
  actions.push("discard");
  return { status, actions, target, current };
}

/** The heading of a draft's panel. */
export function draftTitle(draft) {
  return draft.activityTitle ? `Brouillon pour « ${draft.activityTitle} »` : "Brouillon";
}

/** One sentence saying where a draft's activity stands and that the text is kept. */
export function draftNotice(draft, status) {
  const name = `« ${draft.activityTitle || "activité"} »`;
  switch (status) {
    case "open":
      return `${name} accepte encore des contributions : vous pouvez y envoyer ce texte.`;
    case "limit":
      return `Vous avez atteint le maximum de contributions pour ${name} : votre texte est conservé ici.`;
    case "closed":
      return `${name} est fermée : votre texte est conservé ici.`;
    case "no-notes":
      return `${name} ne reçoit pas de contributions écrites : votre texte est conservé ici.`;
    case "pending":
      return `${name} n'est pas ouverte pour le moment : votre texte est conservé ici.`;
    case "removed":
      return `${name} a été retirée du programme : votre texte est conservé ici.`;
    case "unbound":
      return "Écrit alors qu'aucune activité n'était affichée : votre texte est conservé ici.";
    case "not-started":
      return "L'atelier n'a pas encore commencé : votre texte est conservé ici.";
    case "workshop-closed":
      return "L'atelier est clôturé : votre texte est conservé ici, vous pouvez le copier.";
    default:
      return "Votre texte est conservé ici.";
  }
}

/** Why a text cannot be sent as it is ("" if it can). */
export function bodyError(body) {
  const text = body.trim();
  if (!text) return "Écrivez votre contribution avant de l'envoyer.";
  if (text.length > BODY_MAX) {
    return `Votre contribution fait ${text.length} caractères : ${BODY_MAX} au plus. Raccourcissez-la avant de l'envoyer.`;
  }
  return "";
}

/** Why a column choice is missing ("" if the activity needs none or one is chosen). */
export function columnError(activity, column) {
  const columns = (activity && activity.columns) || [];
  if (columns.length === 0) return "";
  return columns.some((c) => c.key === column) ? "" : "Choisissez une catégorie pour votre contribution.";
}

/** Why the compose form cannot send now ("" if it can); `sent`: the participant's notes
 * on `activity`, queued ones included. */
export function sendBlockedReason(workshop, activity, sent) {
  if (!workshop) return "Chargement de l'atelier… Vous pouvez déjà écrire.";
  if (workshop.state === "draft") {
    return "L'atelier n'a pas encore commencé : écrivez votre idée, vous pourrez l'envoyer dès l'ouverture.";
  }
  if (workshop.state === "closed") return "L'atelier est clôturé : il n'accepte plus de contributions.";
  if (!activity) return "Aucune activité en cours pour le moment.";
  if (!isBoard(activity)) return "Cette activité ne reçoit pas de contributions écrites.";
  if (activity.state !== "open") {
    return "Cette activité n'accepte pas de contributions pour le moment : votre texte reste en brouillon sur ce téléphone.";
  }
  if (sent >= activity.max_notes) {
    const plural = activity.max_notes > 1 ? "s" : "";
    return `Vous avez envoyé ${activity.max_notes} contribution${plural}, le maximum pour cette activité : vous pouvez modifier ou retirer les vôtres.`;
  }
  return "";
}

/** How the participant's notes on an activity will be signed (`me`: snapshot.me). */
export function identityNotice(identity, me) {
  const pseudonym = me && me.pseudonym;
  const name = me && me.display_name;
  switch (identity) {
    case "anonymous":
      return "Vos contributions sont anonymes : personne ne verra qui les a écrites.";
    case "pseudonymous":
      return pseudonym
        ? `Vos contributions seront signées de votre pseudonyme « ${pseudonym} ».`
        : "Vos contributions seront signées d'un pseudonyme.";
    case "named":
      if (name) return `Vos contributions seront signées de votre nom « ${name} ».`;
      return pseudonym
        ? `Vous n'avez pas donné de nom : vos contributions seront signées de votre pseudonyme « ${pseudonym} ».`
        : "Vos contributions seront signées de votre nom.";
    default:
      return "";
  }
}

/** What private mode means for the activity's notes now ("" when not private). */
export function privacyNotice(activity) {
  if (!activity || !activity.private) return "";
  return activity.revealed
    ? "Les contributions de cette activité ont été révélées à tous."
    : "Mode privé : vos contributions restent masquées jusqu'à ce que l'animation les révèle.";
}
