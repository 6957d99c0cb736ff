// Pure layout rules of the facilitator's board: which notes the big screen shows, how
// they are laid out (columns, then clusters inside each column) and how dense the wall
// gets as notes pile up. No DOM here: tests/js/layout.test.mjs runs it under node.
// docs/big-screen.md explains the choices.

/**
 * Density levels by the number of notes on the wall. Each level sets the notes' font
 * size (rem), their minimum width (rem), how many lines of a note show before it is
 * cut (0: all), and whether clusters are summed up (title and count, unfolded on
 * demand) instead of listing their notes.
 */
export const DENSITY_LEVELS = [
  { level: 1, upTo: 12, fontSize: 1.9, noteWidth: 20, lines: 0, summarize: false },
  { level: 2, upTo: 30, fontSize: 1.5, noteWidth: 16, lines: 0, summarize: false },
  { level: 3, upTo: 60, fontSize: 1.2, noteWidth: 13, lines: 5, summarize: false },
  { level: 4, upTo: 120, fontSize: 1, noteWidth: 11, lines: 4, summarize: false },
  { level: 5, upTo: Infinity, fontSize: 0.85, noteWidth: 9, lines: 3, summarize: true },
];

/** The density level for `count` notes on the wall. */
export function densityFor(count) {
  const n = Math.max(0, Number(count) || 0);
  return DENSITY_LEVELS.find((d) => n <= d.upTo);
}

/** A private activity not revealed yet: the big screen shows counts, never bodies. */
export function isPrivateHidden(activity) {
  return Boolean(activity && activity.private && !activity.revealed);
}

/** The notes the big screen may show: visible ones (never hidden ones), oldest first. */
export function wallNotes(notes) {
  return notes.filter((n) => n.status === "visible").sort((a, b) => a.id - b.id);
}

/** The signature to show under a note on the big screen, or null. */
export function shownAuthor(workshop, note) {
  return workshop && workshop.show_authors && note.author ? note.author : null;
}

export const OTHER_COLUMN = "__other";

/**
 * The activity's notes by column: [{ key, label, notes }]. Without columns, a single
 * one with key "" and no label. Notes whose column is no longer defined (an edited
 * agenda) land in a last "Autres" column rather than vanishing.
 */
export function splitColumns(activity, notes) {
  const defined = activity && activity.columns && activity.columns.length ? activity.columns : null;
  const columns = defined
    ? defined.map((c) => ({ key: c.key, label: c.label, notes: [] }))
    : [{ key: "", label: "", notes: [] }];
  const byKey = new Map(columns.map((c) => [c.key, c]));
  let stray = null;
  for (const note of notes) {
    let column = defined ? byKey.get(note.column) : columns[0];
    if (!column) {
      stray = stray || { key: OTHER_COLUMN, label: "Autres", notes: [] };
      column = stray;
    }
    column.notes.push(note);
  }
  if (stray) columns.push(stray);
  return columns;
}

/**
 * Notes grouped by cluster, in the clusters' order, then the unclustered ones last
 * (cluster: null; always present, it is also a drop target). A note whose cluster is
 * unknown counts as unclustered. Empty clusters are kept only with `keepEmpty`.
 */
export function groupByCluster(notes, clusters, { keepEmpty = false } = {}) {
  const members = new Map(clusters.map((c) => [c.id, []]));
  const loose = [];
  for (const note of notes) (members.get(note.cluster_id) || loose).push(note);
  const groups = clusters
    .filter((c) => keepEmpty || members.get(c.id).length > 0)
    .map((c) => ({ cluster: c, notes: members.get(c.id) }));
  groups.push({ cluster: null, notes: loose });
  return groups;
}

/**
 * The whole wall: columns, each with its groups. With columns, a cluster shows in each
 * column holding some of its notes; without, every cluster shows, empty ones included
 * (so a new cluster is visible and can take notes). `emptyClusters` lists those holding
 * no note on the wall, for the drop bar.
 */
export function wallLayout(activity, notes, clusters) {
  const columns = splitColumns(activity, notes);
  const single = columns.length === 1 && columns[0].key === "";
  const used = new Set(notes.map((n) => n.cluster_id));
  return {
    single,
    columns: columns.map((column) => ({
      key: column.key,
      label: column.label,
      count: column.notes.length,
      groups: groupByCluster(column.notes, clusters, { keepEmpty: single }),
    })),
    emptyClusters: clusters.filter((c) => !used.has(c.id)),
  };
}

/** Notes received per column, for a private activity (counts only). */
export function columnCounts(activity, notes) {
  return splitColumns(activity, notes).map((c) => ({ key: c.key, label: c.label, count: c.notes.length }));
}

/** "1 contribution", "0 contribution", "3 contributions" (French: 0 and 1 are singular). */
export function plural(count, singular, pluralForm) {
  return `${count} ${count > 1 ? pluralForm : singular}`;
}
