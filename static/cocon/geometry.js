// Pure geometry of a two-axis rating's matrix (1–5 on each axis): the scale, each item's
// point at its means with its spread, labels placed so they do not cover each other,
// and the numbers of the legend. No DOM here: tests/js/geometry.test.mjs runs it under
// node; matrix.js draws it. docs/big-screen.md explains the choices.

export const SCALE = [1, 2, 3, 4, 5];
const LOW = SCALE[0];
const HIGH = SCALE[SCALE.length - 1];

/**
 * The matrix's drawing area in SVG units: the plot (where 1–5 × 1–5 maps) inside
 * margins that hold the ticks and axis titles.
 */
export function matrixGeometry({ width = 720, height = 620, margin = { top: 20, right: 24, bottom: 84, left: 92 } } = {}) {
  const plot = {
    x: margin.left,
    y: margin.top,
    width: width - margin.left - margin.right,
    height: height - margin.top - margin.bottom,
  };
  const steps = HIGH - LOW;
  return { width, height, plot, unitX: plot.width / steps, unitY: plot.height / steps, dotRadius: 11 };
}

const clampScale = (value) => Math.min(HIGH, Math.max(LOW, Number(value)));

/** A value on the x axis (1 on the left, 5 on the right) to SVG x. */
export function scaleX(geometry, value) {
  return geometry.plot.x + (clampScale(value) - LOW) * geometry.unitX;
}

/** A value on the y axis (1 at the bottom, 5 at the top) to SVG y. */
export function scaleY(geometry, value) {
  return geometry.plot.y + geometry.plot.height - (clampScale(value) - LOW) * geometry.unitY;
}

/** The ticks: each value of the scale with its position on both axes. */
export function matrixTicks(geometry) {
  return SCALE.map((value) => ({ value, x: scaleX(geometry, value), y: scaleY(geometry, value) }));
}

/**
 * Every item numbered in the vote's order (1, 2, …), with its tally; the items someone
 * rated get a position: the dot at the means and an ellipse of one standard deviation
 * on each axis (rx, ry in SVG units; 0 when everyone agreed).
 */
export function matrixPoints(items, tally, geometry) {
  const byItem = new Map(((tally && tally.items) || []).map((t) => [t.item_id, t]));
  return items.map((item, index) => {
    const t = byItem.get(item.id) || {};
    const n = Number(t.n) || 0;
    const rated = n > 0 && t.x_mean !== null && t.x_mean !== undefined && t.y_mean !== null && t.y_mean !== undefined;
    const point = {
      number: index + 1,
      id: item.id,
      label: item.label,
      n,
      rated,
      xMean: rated ? t.x_mean : null,
      yMean: rated ? t.y_mean : null,
      xSd: rated ? Number(t.x_sd) || 0 : null,
      ySd: rated ? Number(t.y_sd) || 0 : null,
    };
    if (!rated) return point;
    return {
      ...point,
      cx: scaleX(geometry, t.x_mean),
      cy: scaleY(geometry, t.y_mean),
      rx: point.xSd * geometry.unitX,
      ry: point.ySd * geometry.unitY,
    };
  });
}

/** How much two boxes ({x, y, width, height}) overlap (area, 0 when apart). */
export function overlapArea(a, b) {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** How much of a box falls outside `bounds` (area). */
function outside(box, bounds) {
  return box.width * box.height - overlapArea(box, bounds);
}

/**
 * Where to write each dot's number so labels do not cover each other or other dots:
 * for each rated point in order, the first of eight places around its dot (right, left,
 * above, below, then the corners) that is clear and inside `bounds`; when none is, the
 * one with the least overlap. `charWidth` and `height` size a label (SVG units).
 * Returns [{ id, x, y, width, height }] (the label's box; its text is centred in it).
 */
export function placeLabels(points, { bounds, dotRadius = 11, charWidth = 14, height = 24, gap = 3 }) {
  const rated = points.filter((p) => p.rated);
  const dots = rated.map((p) => ({ x: p.cx - dotRadius, y: p.cy - dotRadius, width: 2 * dotRadius, height: 2 * dotRadius }));
  const placed = [];
  return rated.map((point, index) => {
    const width = String(point.number).length * charWidth + 8;
    const r = dotRadius + gap;
    const candidates = [
      [r, -height / 2],
      [-r - width, -height / 2],
      [-width / 2, -r - height],
      [-width / 2, r],
      [r * 0.7, -r * 0.7 - height],
      [-r * 0.7 - width, -r * 0.7 - height],
      [r * 0.7, r * 0.7],
      [-r * 0.7 - width, r * 0.7],
    ].map(([dx, dy]) => ({ x: point.cx + dx, y: point.cy + dy, width, height }));
    let best = null;
    let bestScore = Infinity;
    for (const box of candidates) {
      let score = outside(box, bounds) * 4;
      for (const other of placed) score += overlapArea(box, other);
      dots.forEach((dot, d) => {
        if (d !== index) score += overlapArea(box, dot);
      });
      if (score < bestScore) {
        best = box;
        bestScore = score;
      }
      if (score === 0) break;
    }
    placed.push(best);
    return { id: point.id, ...best };
  });
}

/** "3,4" (French decimal comma, one decimal). */
export function decimal(value) {
  return Number(value).toLocaleString("fr-FR", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/** "3,4 ± 0,8" for a rated item's mean and spread on one axis, "—" otherwise. */
export function meanText(mean, sd) {
  if (mean === null || mean === undefined) return "—";
  return `${decimal(mean)} ± ${decimal(sd || 0)}`;
}
