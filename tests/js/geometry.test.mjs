// Unit tests of the two-axis matrix's geometry (static/cocon/geometry.js): the 1–5
// scale, each item's point and spread, labels kept apart and inside the plot.
// Run by `make test` as `node --test tests/js/`.

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  decimal,
  matrixGeometry,
  matrixPoints,
  matrixTicks,
  overlapArea,
  placeLabels,
  scaleX,
  scaleY,
} from "../../static/cocon/geometry.js";

const item = (id, position, label = `item ${id}`) => ({ id, activity_id: 4, label, contribution_id: id + 100, cluster_id: null, position });
const items = [item(31, 1), item(32, 2), item(33, 3)];

test("the matrix maps 1–5 onto the plot: x left to right, y bottom to top", () => {
  const g = matrixGeometry({ width: 500, height: 500, margin: { top: 50, right: 50, bottom: 50, left: 50 } });
  assert.equal(g.unitX, 100);
  assert.equal(scaleX(g, 1), 50);
  assert.equal(scaleX(g, 5), 450);
  assert.equal(scaleX(g, 3), 250);
  assert.equal(scaleY(g, 1), 450);
  assert.equal(scaleY(g, 5), 50);
  assert.equal(scaleY(g, 2.5), 300);
  assert.equal(scaleX(g, 9), 450, "out of the scale: clamped");
  assert.deepEqual(matrixTicks(g).map((t) => [t.value, t.x, t.y]), [
    [1, 50, 450],
    [2, 150, 350],
    [3, 250, 250],
    [4, 350, 150],
    [5, 450, 50],
  ]);
});

test("each rated item is a numbered point at its means, with one standard deviation as radii", () => {
  const g = matrixGeometry({ width: 500, height: 500, margin: { top: 50, right: 50, bottom: 50, left: 50 } });
  const t = {
    activity_id: 4,
    voters: 3,
    final: false,
    by_profile: null,
    items: [
      { item_id: 31, count: null, n: 3, x_mean: 4, y_mean: 2, x_sd: 0.5, y_sd: 0 },
      { item_id: 32, count: null, n: 0, x_mean: null, y_mean: null, x_sd: null, y_sd: null },
    ],
  };
  const points = matrixPoints(items, t, g);
  assert.deepEqual(points.map((p) => [p.number, p.id, p.rated]), [
    [1, 31, true],
    [2, 32, false],
    [3, 33, false],
  ]);
  assert.deepEqual([points[0].cx, points[0].cy, points[0].rx, points[0].ry], [350, 350, 50, 0]);
  assert.equal(points[1].cx, undefined, "nobody rated it: no position");
});

test("labels sit beside their dot, move aside for a neighbour, and stay inside the plot", () => {
  const bounds = { x: 0, y: 0, width: 400, height: 400 };
  const at = (id, cx, cy) => ({ id, number: id, rated: true, cx, cy });
  // Alone: right of the dot, vertically centred.
  const [alone] = placeLabels([at(1, 100, 100)], { bounds, dotRadius: 10, charWidth: 10, height: 20 });
  assert.deepEqual([alone.x, alone.y, alone.width], [113, 90, 18]);
  // Two dots at the same place: the second label goes elsewhere than the first.
  const same = placeLabels([at(1, 100, 100), at(2, 100, 100)], { bounds, dotRadius: 10, charWidth: 10, height: 20 });
  assert.equal(overlapArea(same[0], same[1]), 0);
  // A dot on the right edge: its label goes left, inside.
  const [edge] = placeLabels([at(1, 395, 200)], { bounds, dotRadius: 10, charWidth: 10, height: 20 });
  assert.ok(edge.x + edge.width <= 400, "inside the plot");
  // A crowd: no two labels overlap, none covers another dot, while room remains.
  const crowd = [at(1, 200, 200), at(2, 230, 200), at(3, 200, 230), at(4, 230, 230)];
  const boxes = placeLabels(crowd, { bounds, dotRadius: 10, charWidth: 10, height: 20 });
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) assert.equal(overlapArea(boxes[i], boxes[j]), 0, `labels ${i + 1} and ${j + 1}`);
    crowd.forEach((p, d) => {
      if (d !== i) assert.equal(overlapArea(boxes[i], { x: p.cx - 10, y: p.cy - 10, width: 20, height: 20 }), 0);
    });
  }
  // Unrated points get no label.
  assert.deepEqual(placeLabels([{ id: 9, number: 9, rated: false }], { bounds }), []);
});

test("the legend's numbers use a French decimal comma", () => {
  assert.equal(decimal(2), "2,0");
  assert.equal(decimal(1.118), "1,1");
});
