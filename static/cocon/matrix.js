// A two-axis rating drawn as an SVG matrix (x = activity.vote.axis_x, y = axis_y, 1–5):
// each rated item a numbered dot at its means, inside a translucent ellipse of one
// standard deviation on each axis (the spread). The legend is a table (number, label,
// people, mean ± spread on each axis), which is also the text alternative of the drawing.
// The geometry is in geometry.js (pure, tested under node).

import { el, svg } from "./dom.js";
import { matrixGeometry, matrixPoints, matrixTicks, meanText, placeLabels } from "./geometry.js";


const axisNames = (activity) => ({
  x: (activity.vote && activity.vote.axis_x) || "Axe horizontal",
  y: (activity.vote && activity.vote.axis_y) || "Axe vertical",
});

/** The legend and text alternative: one row per item, in the vote's order. */
export function ratingTable(activity, points, caption) {
  const axes = axisNames(activity);
  const table = el("table");
  const captionNode = el("caption", { text: caption });
  captionNode.append(el("span", { className: "fr-table__caption__desc", text: "Moyenne ± écart-type, de 1 à 5." }));
  const head = el("tr");
  for (const title of ["N°", "Élément", "Avis", axes.x, axes.y]) head.append(el("th", { text: title, attrs: { scope: "col" } }));
  const thead = el("thead");
  thead.append(head);
  const tbody = el("tbody");
  for (const point of points) {
    const row = el("tr", { attrs: { "data-item-id": String(point.id) } });
    row.append(
      el("td", { text: String(point.number) }),
      el("th", { text: point.label, attrs: { scope: "row" } }),
      el("td", { text: point.rated ? String(point.n) : "0 (pas encore noté)" }),
      el("td", { className: "cocon-matrix__value", text: meanText(point.xMean, point.xSd) }),
      el("td", { className: "cocon-matrix__value", text: meanText(point.yMean, point.ySd) }),
    );
    tbody.append(row);
  }
  table.append(captionNode, thead, tbody);
  // DSFR 1.14 table markup.
  const wrapper = el("div", { className: "fr-table fr-table--sm fr-table--no-scroll fr-table--multiline cocon-matrix__legend" });
  let inner = wrapper;
  for (const name of ["fr-table__wrapper", "fr-table__container", "fr-table__content"]) {
    const node = el("div", { className: name });
    inner.append(node);
    inner = node;
  }
  inner.append(table);
  return wrapper;
}

export class Matrix {
  /** container: where the drawing and its legend go; idPrefix keeps ids unique. */
  constructor(container, { idPrefix = "matrix" } = {}) {
    this.container = container;
    this.idPrefix = idPrefix;
    this.geometry = matrixGeometry();
    this.signature = null;
  }

  render(activity, items, tally) {
    const signature = JSON.stringify([activity.vote, items.map((i) => [i.id, i.label]), tally && tally.items]);
    if (signature === this.signature) return;
    this.signature = signature;
    const points = matrixPoints(items, tally, this.geometry);
    const axes = axisNames(activity);
    const placed = points.filter((p) => p.rated).length;
    const figure = el("div", { className: "cocon-matrix" });
    figure.append(
      this.drawing(points, axes, placed),
      ratingTable(activity, points, `Positions moyennes : ${axes.x} × ${axes.y}`),
    );
    this.container.replaceChildren(figure);
  }

  drawing(points, axes, placed) {
    const g = this.geometry;
    const { plot } = g;
    const titleId = `${this.idPrefix}-title`;
    const clipId = `${this.idPrefix}-clip`;
    const root = svg("svg", {
      class: "cocon-matrix__svg",
      viewBox: `0 0 ${g.width} ${g.height}`,
      role: "img",
      "aria-labelledby": titleId,
      "data-placed": placed,
    });
    root.append(
      svg(
        "title",
        { id: titleId },
        `Matrice ${axes.x} (horizontal) × ${axes.y} (vertical), de 1 à 5 : ${placed} élément${placed > 1 ? "s" : ""} placé${placed > 1 ? "s" : ""}. Le tableau suivant donne les valeurs.`,
      ),
    );
    const clip = svg("clipPath", { id: clipId });
    clip.append(svg("rect", { x: plot.x, y: plot.y, width: plot.width, height: plot.height }));
    const defs = svg("defs");
    defs.append(clip);
    root.append(defs, svg("rect", { class: "cocon-matrix__plot", x: plot.x, y: plot.y, width: plot.width, height: plot.height }));

    for (const tick of matrixTicks(g)) {
      const middle = tick.value === 3 ? " cocon-matrix__grid--middle" : "";
      root.append(
        svg("line", { class: `cocon-matrix__grid${middle}`, x1: tick.x, x2: tick.x, y1: plot.y, y2: plot.y + plot.height }),
        svg("line", { class: `cocon-matrix__grid${middle}`, x1: plot.x, x2: plot.x + plot.width, y1: tick.y, y2: tick.y }),
        svg("text", { class: "cocon-matrix__tick", x: tick.x, y: plot.y + plot.height + 28, "text-anchor": "middle" }, String(tick.value)),
        svg("text", { class: "cocon-matrix__tick", x: plot.x - 14, y: tick.y + 7, "text-anchor": "end" }, String(tick.value)),
      );
    }
    root.append(
      svg("text", { class: "cocon-matrix__axis", x: plot.x + plot.width / 2, y: g.height - 16, "text-anchor": "middle" }, `${axes.x} →`),
      svg(
        "text",
        {
          class: "cocon-matrix__axis",
          x: 0,
          y: 0,
          "text-anchor": "middle",
          transform: `translate(30 ${plot.y + plot.height / 2}) rotate(-90)`,
        },
        `${axes.y} →`,
      ),
    );

    const rated = points.filter((p) => p.rated);
    const spreads = svg("g", { "clip-path": `url(#${clipId})` });
    for (const p of rated) {
      if (p.rx > 0 || p.ry > 0) {
        // At least around the dot: agreement on one axis reads as a narrow band, not a line.
        const least = g.dotRadius + 5;
        spreads.append(svg("ellipse", { class: "cocon-matrix__spread", cx: p.cx, cy: p.cy, rx: Math.max(p.rx, least), ry: Math.max(p.ry, least) }));
      }
    }
    const dots = svg("g");
    for (const p of rated) dots.append(svg("circle", { class: "cocon-matrix__dot", cx: p.cx, cy: p.cy, r: g.dotRadius, "data-item-id": p.id }));
    const labels = svg("g");
    for (const box of placeLabels(points, { bounds: plot, dotRadius: g.dotRadius })) {
      const number = points.find((p) => p.id === box.id).number;
      labels.append(
        svg("rect", { class: "cocon-matrix__label-box", x: box.x, y: box.y, width: box.width, height: box.height, rx: 4 }),
        svg("text", { class: "cocon-matrix__label", x: box.x + box.width / 2, y: box.y + box.height - 5, "text-anchor": "middle" }, String(number)),
      );
    }
    // The drawing repeats the table: screen readers read the table, not each shape.
    for (const group of [spreads, dots, labels]) group.setAttribute("aria-hidden", "true");
    root.append(spreads, dots, labels);
    return root;
  }
}
