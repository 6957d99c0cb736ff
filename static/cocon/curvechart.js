// A journey map's emotion curve drawn as SVG under the map (each stage's point under its
// column): the mean line with its points and values, the spread as a band, the number of
// people per stage; split by profile, one line per profile that may be shown; with a
// paired map, its curve dashed. A table (visually hidden) is the text equivalent with
// every value; the legend says what each line is, and why a profile is not drawn.
// The geometry is in curve.js (pure, tested under node).

import { el, svg } from "./dom.js";
import {
  bandPath,
  countsText,
  curveFrame,
  curveTicks,
  FEELING_WORDS,
  linePath,
  peopleText,
  pointText,
  profileCurves,
  runs,
  signed,
  stagePoints,
  stageXs,
} from "./curve.js";


// One look per profile: a colour and a marker shape (never the colour alone).
const PROFILE_STYLES = [
  { color: "#000091", shape: "circle" },
  { color: "#b34000", shape: "square" },
  { color: "#18753c", shape: "triangle" },
  { color: "#6e445a", shape: "diamond" },
  { color: "#3a3a3a", shape: "cross" },
];

function marker(shape, x, y, r, attrs) {
  switch (shape) {
    case "square":
      return svg("rect", { x: x - r, y: y - r, width: 2 * r, height: 2 * r, ...attrs });
    case "triangle":
      return svg("path", { d: `M${x} ${y - r * 1.2} L${x + r * 1.1} ${y + r * 0.8} L${x - r * 1.1} ${y + r * 0.8} Z`, ...attrs });
    case "diamond":
      return svg("path", { d: `M${x} ${y - r * 1.3} L${x + r * 1.3} ${y} L${x} ${y + r * 1.3} L${x - r * 1.3} ${y} Z`, ...attrs });
    case "cross":
      return svg("path", { d: `M${x - r} ${y - r} L${x + r} ${y + r} M${x + r} ${y - r} L${x - r} ${y + r}`, "stroke-width": 4, ...attrs });
    default:
      return svg("circle", { cx: x, cy: y, r, ...attrs });
  }
}

/** A small line sample for the legend (decoration: the text says what it is). */
function sample({ dashed = false, band = false, color = "#000091", shape = "circle" } = {}) {
  const node = svg("svg", { class: "cocon-curve__sample", viewBox: "0 0 48 20", width: 48, height: 20, "aria-hidden": "true", focusable: "false" });
  if (band) {
    node.append(svg("rect", { class: "cocon-curve__band", x: 2, y: 3, width: 44, height: 14 }));
    return node;
  }
  node.append(svg("line", { x1: 2, y1: 10, x2: 46, y2: 10, stroke: color, "stroke-width": 4, "stroke-dasharray": dashed ? "8 5" : "none" }));
  node.append(marker(shape, 24, 10, 5, { fill: dashed ? "#fff" : color, stroke: color, "stroke-width": 2 }));
  return node;
}

export class CurveChart {
  /**
   * chart: where the SVG goes (sized by CSS); legend: a <ul>; table: the text
   * equivalent's container; idPrefix keeps ids unique.
   */
  constructor({ chart, legend, table, idPrefix = "curve" }) {
    this.chart = chart;
    this.legend = legend;
    this.table = table;
    this.idPrefix = idPrefix;
    this.signature = null;
  }

  /**
   * view: { stages, curve, mode ("all" | "profile"), paired ({ label, curve, keys } | null),
   * label (this map's line, e.g. "Parcours actuel"), size ({ width, height, left, right,
   * centers }) }. Redrawn only when something it shows changed.
   */
  render(view) {
    const signature = JSON.stringify([view.stages, view.curve, view.mode, view.paired, view.label, view.size]);
    if (signature === this.signature) return;
    this.signature = signature;
    const { stages, curve, size } = view;
    const frame = curveFrame({ width: size.width, height: size.height, left: size.left, right: size.right });
    const xs = stageXs(frame, stages.length, size.centers);
    const points = stagePoints(stages, curve ? curve.stages : [], xs, frame);
    const profiles = view.mode === "profile" ? profileCurves(curve, stages, xs, frame) : [];
    const paired = view.mode === "all" && view.paired ? { ...view.paired, points: stagePoints(stages, view.paired.curve ? view.paired.curve.stages : [], xs, frame, view.paired.keys) } : null;

    this.chart.replaceChildren(this.drawing(frame, points, profiles, paired, view));
    this.renderLegend(view, profiles, paired);
    this.renderTable(view, points, profiles, paired);
  }

  drawing(frame, points, profiles, paired, view) {
    const { plot } = frame;
    const titleId = `${this.idPrefix}-title`;
    const root = svg("svg", {
      class: "cocon-curve__svg",
      viewBox: `0 0 ${frame.width} ${frame.height}`,
      width: frame.width,
      height: frame.height,
      role: "img",
      "aria-labelledby": titleId,
      "data-rated": points.filter((p) => p.rated).length,
    });
    root.append(
      svg("title", { id: titleId }, "Courbe des émotions : le ressenti moyen de chaque étape, de −2 à +2. Le tableau qui suit donne les valeurs."),
    );
    const back = svg("g", { "aria-hidden": "true" });
    back.append(svg("rect", { class: "cocon-curve__plot", x: plot.x, y: plot.y, width: plot.width, height: plot.height }));
    for (const tick of curveTicks(frame)) {
      back.append(
        svg("line", { class: `cocon-curve__grid${tick.value === 0 ? " cocon-curve__grid--zero" : ""}`, x1: plot.x, x2: plot.x + plot.width, y1: tick.y, y2: tick.y }),
        svg("text", { class: "cocon-curve__tick", x: plot.x - 10, y: tick.y + 7, "text-anchor": "end" }, tick.label),
      );
    }
    if (plot.x > 150) {
      back.append(
        svg("text", { class: "cocon-curve__word", x: plot.x - 48, y: plot.y + 7, "text-anchor": "end" }, FEELING_WORDS[2]),
        svg("text", { class: "cocon-curve__word", x: plot.x - 48, y: plot.y + plot.height + 7, "text-anchor": "end" }, FEELING_WORDS[-2]),
      );
    }
    // Under each stage, how many people rated it (or why it has no point).
    for (const point of points) {
      const text = point.rated ? peopleText(point.n) : point.n === 0 ? "aucun ressenti" : pointText(point);
      back.append(svg("text", { class: "cocon-curve__count", x: point.x, y: frame.height - 14, "text-anchor": "middle", "data-stage": point.key }, text));
    }
    root.append(back);

    const front = svg("g", { "aria-hidden": "true" });
    if (view.mode === "profile") {
      profiles.forEach((profile, index) => {
        if (profile.status !== "shown") return;
        const style = PROFILE_STYLES[index % PROFILE_STYLES.length];
        front.append(this.line(profile.points, { className: "cocon-curve__line cocon-curve__line--profile", color: style.color, shape: style.shape, profile: profile.profile }));
        const last = runs(profile.points).flat().pop();
        if (last) front.append(svg("text", { class: "cocon-curve__direct", x: last.x + 14, y: last.y - 12, fill: style.color }, profile.label));
      });
    } else {
      const band = bandPath(points, Math.min(18, plot.width / Math.max(1, points.length) / 5));
      if (band) front.append(svg("path", { class: "cocon-curve__band", d: band }));
      if (paired) front.append(this.line(paired.points, { className: "cocon-curve__line cocon-curve__line--paired", color: "#000091", shape: "circle", dashed: true }));
      front.append(this.line(points, { className: "cocon-curve__line", color: "#000091", shape: "circle", values: true }));
    }
    root.append(front);
    return root;
  }

  /** A line through rated points, its markers, and (values) each mean written beside it. */
  line(points, { className, color, shape, dashed = false, values = false, profile = null }) {
    const group = svg("g", { class: className, ...(profile ? { "data-profile": profile } : {}) });
    const d = linePath(points);
    if (d) group.append(svg("path", { d, fill: "none", stroke: color, "stroke-width": dashed ? 3 : 4, "stroke-dasharray": dashed ? "10 7" : "none" }));
    for (const p of points.filter((point) => point.rated)) {
      group.append(marker(shape, p.x, p.y, dashed ? 6 : 8, { class: "cocon-curve__point", fill: dashed ? "#fff" : color, stroke: dashed ? color : "#fff", "stroke-width": dashed ? 3 : 2, "data-stage": p.key }));
      if (values) {
        const above = p.mean < 1.2;
        group.append(
          svg("text", { class: "cocon-curve__value", x: p.x + 12, y: above ? p.y - 12 : p.y + 28, "text-anchor": "start" }, signed(p.mean)),
        );
      }
    }
    return group;
  }

  renderLegend(view, profiles, paired) {
    const items = [];
    const item = (look, text, attrs = {}) => {
      const li = el("li", { className: "cocon-curve__legend-item", attrs });
      if (look) li.append(sample(look));
      li.append(el("span", { text }));
      items.push(li);
    };
    if (view.mode === "profile") {
      profiles.forEach((profile, index) => {
        const style = PROFILE_STYLES[index % PROFILE_STYLES.length];
        item(profile.status === "shown" ? style : null, profile.caption, { "data-profile": profile.profile, "data-status": profile.status });
      });
    } else {
      item({}, paired ? view.label : "Ressenti moyen");
      if (paired) item({ dashed: true }, paired.label);
      item({ band: true }, "Dispersion (écart-type)");
    }
    this.legend.replaceChildren(...items);
  }

  renderTable(view, points, profiles, paired) {
    const shownProfiles = profiles.filter((p) => p.status === "shown");
    const table = el("table", { attrs: { "data-bind": "curve-values" } });
    const caption = el("caption", { text: "Ressenti par étape : moyenne ± écart-type, de −2 (très mal vécu) à +2 (très bien vécu)" });
    const notes = profiles.filter((p) => p.status !== "shown").map((p) => p.caption);
    if (notes.length) caption.append(el("span", { text: `. ${notes.join(". ")}.` }));
    const head = el("tr");
    const titles = ["Étape", "Personnes", paired ? `${view.label} : moyenne ± écart-type` : "Moyenne ± écart-type", "Répartition des réponses"];
    if (paired) titles.push(`${paired.label} : moyenne ± écart-type`);
    for (const profile of shownProfiles) titles.push(profile.label);
    for (const title of titles) head.append(el("th", { text: title, attrs: { scope: "col" } }));
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    points.forEach((point, index) => {
      const row = el("tr", { attrs: { "data-stage": point.key } });
      row.append(
        el("th", { text: point.label, attrs: { scope: "row" } }),
        el("td", { text: point.n === "<5" ? "moins de 5" : String(Number(point.n) || 0) }),
        el("td", { text: pointText(point), attrs: { "data-value": "mean" } }),
        el("td", { text: countsText(point.counts) || "—" }),
      );
      if (paired) row.append(el("td", { text: pointText(paired.points[index]), attrs: { "data-value": "paired" } }));
      for (const profile of shownProfiles) {
        const p = profile.points[index];
        row.append(el("td", { text: p.rated ? `${pointText(p)} (${peopleText(p.n)})` : pointText(p), attrs: { "data-profile": profile.profile } }));
      }
      tbody.append(row);
    });
    table.append(caption, thead, tbody);
    this.table.replaceChildren(table);
  }
}
