// Pure geometry and wording of a journey map's emotion curve (−2…+2 for each stage):
// the mean of each stage as a point, a line through them, the spread (mean ± standard
// deviation, clipped to the scale) as a band, one line per profile under the small-group
// rule, and the paired map's curve (as-is vs to-be). No DOM here:
// tests/js/curve.test.mjs runs it under node; curvechart.js draws it.

import { PROFILES } from "./results.js";

export const LOW = -2;
export const HIGH = 2;
export const SCALE = [-2, -1, 0, 1, 2];
/** What each value means (the words at the ends of the axis, and the text table). */
export const FEELING_WORDS = { "-2": "très mal vécu", "-1": "mal vécu", 0: "neutre", 1: "bien vécu", 2: "très bien vécu" };

/**
 * The drawing area in SVG units: the plot spans the stages horizontally (`left` to
 * `width - right`) and the scale vertically (+2 at `top`, −2 at `height - bottom`).
 */
export function curveFrame({ width = 1200, height = 300, left = 160, right = 24, top = 24, bottom = 48 } = {}) {
  return { width, height, plot: { x: left, y: top, width: Math.max(1, width - left - right), height: Math.max(1, height - top - bottom) } };
}

const clamp = (value) => Math.min(HIGH, Math.max(LOW, Number(value)));

/** A value of the scale to SVG y (+2 at the top of the plot, −2 at its bottom). */
export function valueY(frame, value) {
  const { plot } = frame;
  return plot.y + ((HIGH - clamp(value)) / (HIGH - LOW)) * plot.height;
}

/** The horizontal ticks: each value with its y. */
export function curveTicks(frame) {
  return SCALE.map((value) => ({ value, y: valueY(frame, value), label: signed(value, 0) }));
}

/**
 * Each stage's x: the `centers` measured on the page (the middle of each stage's column
 * of the map, so the curve sits under its stage), else evenly spread over the plot.
 */
export function stageXs(frame, count, centers = null) {
  if (centers && centers.length === count && centers.every(Number.isFinite)) return centers.slice();
  const step = frame.plot.width / Math.max(1, count);
  return Array.from({ length: count }, (_, i) => frame.plot.x + step * (i + 0.5));
}

const isNumber = (value) => typeof value === "number" && Number.isFinite(value);

/**
 * One point per stage of the map, in stage order: its figures from `curveStages` (a
 * CurveOut's or a profile's `stages`, matched by stage key), whether it is drawn
 * (`rated`: someone rated it and the figures are given; `small`: fewer than 5 people of
 * a profile, not shown), its position, and the band's top and bottom (mean ± sd,
 * clipped to −2…+2). `keys` maps this map's stage keys to the keys of `curveStages`
 * (a paired map's stages; a Map or an object); by default the same.
 */
export function stagePoints(stages, curveStages, xs, frame, keys = null) {
  const byKey = new Map((curveStages || []).map((s) => [s.stage, s]));
  return stages.map((stage, index) => {
    const key = !keys ? stage.key : keys instanceof Map ? keys.get(stage.key) : Object.hasOwn(keys, stage.key) ? keys[stage.key] : undefined;
    const figures = key === undefined ? null : byKey.get(key) || null;
    const n = figures ? figures.n : 0;
    const rated = Boolean(figures && isNumber(n) && n > 0 && isNumber(figures.mean));
    const point = {
      key: stage.key,
      label: stage.label,
      x: xs[index],
      n,
      small: n === "<5",
      matched: key !== undefined,
      rated,
      mean: rated ? figures.mean : null,
      sd: rated ? Number(figures.sd) || 0 : null,
      counts: rated && Array.isArray(figures.counts) ? figures.counts : null,
    };
    if (!rated) return point;
    return {
      ...point,
      y: valueY(frame, point.mean),
      top: valueY(frame, Math.min(HIGH, point.mean + point.sd)),
      bottom: valueY(frame, Math.max(LOW, point.mean - point.sd)),
    };
  });
}

/** The rated points in runs of neighbouring stages (a stage nobody rated breaks the line). */
export function runs(points) {
  const out = [];
  let current = [];
  for (const point of points) {
    if (point.rated) current.push(point);
    else if (current.length) {
      out.push(current);
      current = [];
    }
  }
  if (current.length) out.push(current);
  return out;
}

const fmt = (n) => String(Math.round(n * 10) / 10);

/** The mean line: "M x y L x y …", broken where a stage has no mean ("" when none). */
export function linePath(points) {
  return runs(points)
    .filter((run) => run.length > 1)
    .map((run) => run.map((p, i) => `${i ? "L" : "M"}${fmt(p.x)} ${fmt(p.y)}`).join(" "))
    .join(" ");
}

/**
 * The spread band: for each run of rated stages, a closed shape along the tops then
 * back along the bottoms; a lone stage gets a bar `halfWidth` wide on each side. Only
 * where the spread is not nil ("" when everyone agreed everywhere).
 */
export function bandPath(points, halfWidth = 16) {
  const shapes = [];
  for (const run of runs(points)) {
    if (run.every((p) => p.top === p.bottom)) continue;
    if (run.length === 1) {
      const [p] = run;
      shapes.push(`M${fmt(p.x - halfWidth)} ${fmt(p.top)} H${fmt(p.x + halfWidth)} V${fmt(p.bottom)} H${fmt(p.x - halfWidth)} Z`);
      continue;
    }
    const upper = run.map((p, i) => `${i ? "L" : "M"}${fmt(p.x)} ${fmt(p.top)}`);
    const lower = run
      .slice()
      .reverse()
      .map((p) => `L${fmt(p.x)} ${fmt(p.bottom)}`);
    shapes.push(`${upper.join(" ")} ${lower.join(" ")} Z`);
  }
  return shapes.join(" ");
}

/** "+1,2", "−0,8" (a real minus sign, read "moins"), "0,0"; `digits` decimals. */
export function signed(value, digits = 1) {
  const rounded = Number(Number(value).toFixed(digits));
  const text = Math.abs(rounded).toLocaleString("fr-FR", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (rounded > 0) return `+${text}`;
  if (rounded < 0) return `\u2212${text}`;
  return text;
}

/** "1 personne", "12 personnes", "moins de 5", "personne". */
export function peopleText(n) {
  if (n === "<5") return "moins de 5";
  const count = Number(n) || 0;
  if (count <= 0) return "personne";
  return count === 1 ? "1 personne" : `${count} personnes`;
}

/** The people who rated the map, said for the room. */
export function ratersText(raters) {
  const n = Number(raters) || 0;
  if (n <= 0) return "Personne n'a encore donné son ressenti";
  return n === 1 ? "1 personne a donné son ressenti" : `${n} personnes ont donné leur ressenti`;
}

/**
 * A point's figures in words, as the server gave them (2 decimals: no second rounding),
 * "−0,57 ± 0,80", or why there is no mean.
 */
export function pointText(point) {
  if (point.rated) return `${signed(point.mean, 2)} ± ${signed(point.sd, 2).replace(/^\+/, "")}`;
  if (point.small) return "moins de 5 personnes";
  if (point.matched === false) return "étape sans équivalent";
  return "pas encore de ressenti";
}

/** How many chose each value, "−2 : 1, −1 : 3, 0 : 0, +1 : 1, +2 : 0" ("" without counts). */
export function countsText(counts) {
  if (!Array.isArray(counts)) return "";
  return SCALE.map((value, i) => `${signed(value, 0)} : ${counts[i] || 0}`).join(", ");
}

const capitalised = (text) => text.charAt(0).toLocaleUpperCase("fr-FR") + text.slice(1);

/** The profiles the split shows, in the order of results.js (usager·es and agent·es always). */
export const CURVE_PROFILES = PROFILES.map((p) => ({ key: p.key, label: capitalised(p.label) }));
const ALWAYS = new Set(["usager", "agent"]);

/**
 * The curve split by profile: usager·es and agent·es always, other profiles when
 * someone of them rated. Each is "shown" (drawn, its points) when the server gave its
 * stages, else "small" (fewer than 5 people), "hidden" (masked so a total cannot reveal
 * a small group) or "none" (nobody of them rated), with the caption to show instead.
 */
export function profileCurves(curve, stages, xs, frame) {
  const byProfile = (curve && curve.by_profile) || {};
  const known = new Set(CURVE_PROFILES.map((p) => p.key));
  const listed = [
    ...CURVE_PROFILES.filter((p) => ALWAYS.has(p.key) || p.key in byProfile),
    ...Object.keys(byProfile)
      .filter((key) => !known.has(key))
      .sort()
      .map((key) => ({ key, label: capitalised(key) })),
  ];
  return listed.map(({ key, label }) => {
    const entry = byProfile[key];
    const base = { profile: key, label, raters: entry ? entry.raters : 0, points: [] };
    if (!entry || entry.raters === 0) return { ...base, status: "none", caption: `${label} : personne n'a donné son ressenti` };
    if (entry.raters === "<5") return { ...base, status: "small", caption: `${label} : moins de 5 personnes` };
    if (!isNumber(entry.raters) || !entry.stages) {
      return { ...base, status: "hidden", caption: `${label} : effectif masqué (protection des petits groupes)` };
    }
    const points = stagePoints(stages, entry.stages, xs, frame);
    return { ...base, status: "shown", caption: `${label} : ${peopleText(entry.raters)}`, points };
  });
}
