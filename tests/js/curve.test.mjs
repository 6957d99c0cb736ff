// Unit tests of a journey map's emotion curve (static/cocon/curve.js): the −2…+2 scale,
// each stage's point and spread band (clipped to the scale), the line broken where a
// stage has no mean, the split by profile under the small-group rule, a paired map's
// stages, and the words the screen reads out.
// Run by `make test` as `node --test tests/js/`.

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  bandPath,
  countsText,
  curveFrame,
  curveTicks,
  linePath,
  peopleText,
  pointText,
  profileCurves,
  ratersText,
  runs,
  signed,
  stagePoints,
  stageXs,
  valueY,
} from "../../static/cocon/curve.js";

// A plot 400 wide from x=100, 400 tall from y=0: one unit of the scale is 100.
const frame = curveFrame({ width: 500, height: 440, left: 100, right: 0, top: 0, bottom: 40 });
const stages = [
  { key: "c1", label: "Découvrir" },
  { key: "c2", label: "S'informer" },
  { key: "c3", label: "Faire la démarche" },
  { key: "c4", label: "Attendre" },
];
const figures = (stage, n, mean, sd, counts = null) => ({ stage, n, mean, sd, counts });

test("the scale maps +2 to the top of the plot and −2 to its bottom, clamped", () => {
  assert.deepEqual(frame.plot, { x: 100, y: 0, width: 400, height: 400 });
  assert.equal(valueY(frame, 2), 0);
  assert.equal(valueY(frame, 0), 200);
  assert.equal(valueY(frame, -2), 400);
  assert.equal(valueY(frame, -0.5), 250);
  assert.equal(valueY(frame, 7), 0, "out of the scale: clamped");
  assert.deepEqual(
    curveTicks(frame).map((t) => [t.label, t.y]),
    [["\u22122", 400], ["\u22121", 300], ["0", 200], ["+1", 100], ["+2", 0]],
  );
});

test("stages sit at the measured column centres, else evenly over the plot", () => {
  assert.deepEqual(stageXs(frame, 4), [150, 250, 350, 450]);
  assert.deepEqual(stageXs(frame, 2, [120, 380]), [120, 380]);
  assert.deepEqual(stageXs(frame, 2, [120]), [200, 400], "a measure that does not fit is ignored");
});

test("each stage's point is at its mean, its band mean ± sd clipped to −2…+2", () => {
  const curve = [figures("c1", 6, -0.5, 0.5, [0, 3, 3, 0, 0]), figures("c2", 4, 1.5, 1, [0, 0, 1, 0, 3]), figures("c3", 0, null, null)];
  const points = stagePoints(stages, curve, stageXs(frame, 4), frame);
  const [a, b, c, d] = points;
  assert.equal(a.rated, true);
  assert.equal(a.x, 150);
  assert.equal(a.y, 250);
  assert.equal(a.top, 200, "−0.5 + 0.5 = 0");
  assert.equal(a.bottom, 300, "−0.5 − 0.5 = −1");
  assert.deepEqual(a.counts, [0, 3, 3, 0, 0]);
  assert.equal(b.top, 0, "1.5 + 1 = 2.5 is clipped to +2");
  assert.equal(b.bottom, 150);
  assert.equal(c.rated, false, "nobody rated it: no point");
  assert.equal(c.n, 0);
  assert.equal(d.rated, false, "absent from the curve: no point");
  assert.equal(d.y, undefined);
});

test("the line joins neighbouring stages and breaks where one has no mean", () => {
  const curve = [figures("c1", 5, 0, 0), figures("c2", 5, 1, 0), figures("c3", 0, null, null), figures("c4", 5, -1, 0)];
  const points = stagePoints(stages, curve, stageXs(frame, 4), frame);
  assert.deepEqual(runs(points).map((run) => run.map((p) => p.key)), [["c1", "c2"], ["c4"]]);
  assert.equal(linePath(points), "M150 200 L250 100", "a lone stage is a point, not a line");
  assert.equal(linePath(stagePoints(stages, [], stageXs(frame, 4), frame)), "");
});

test("the band follows the spread of each run; a lone stage gets a bar; no spread, no band", () => {
  const curve = [figures("c1", 5, 0, 1), figures("c2", 5, 0, 0.5), figures("c4", 5, -1, 0.5)];
  const points = stagePoints(stages, curve, stageXs(frame, 4), frame);
  assert.equal(bandPath(points, 10), "M150 100 L250 150 L250 250 L150 300 Z M440 250 H460 V350 H440 Z");
  const agreed = stagePoints(stages, [figures("c1", 5, 1, 0), figures("c2", 5, 1, 0)], stageXs(frame, 4), frame);
  assert.equal(bandPath(agreed), "");
});

test("a small group of a profile has no point, and says so", () => {
  const points = stagePoints(stages, [figures("c1", "<5", null, null)], stageXs(frame, 4), frame);
  assert.equal(points[0].rated, false);
  assert.equal(points[0].small, true);
  assert.equal(pointText(points[0]), "moins de 5 personnes");
  assert.equal(pointText(points[1]), "pas encore de ressenti");
});

test("a paired map's figures are read through the matched stage keys", () => {
  const paired = [figures("p1", 5, 1, 0.4), figures("p2", 6, 0.5, 0.5)];
  const keys = new Map([["c1", "p1"], ["c3", "p2"]]);
  const points = stagePoints(stages, paired, stageXs(frame, 4), frame, keys);
  assert.deepEqual(points.map((p) => p.mean), [1, null, 0.5, null]);
  assert.equal(pointText(points[1]), "étape sans équivalent");
  const fromObject = stagePoints(stages, paired, stageXs(frame, 4), frame, { c1: "p1", c3: "p2" });
  assert.deepEqual(fromObject.map((p) => p.mean), [1, null, 0.5, null]);
});

test("figures are written the French way, with a real minus sign", () => {
  assert.equal(signed(-0.6), "\u22120,6");
  assert.equal(signed(1.25), "+1,3");
  assert.equal(signed(0), "0,0");
  assert.equal(signed(-0.04), "0,0", "rounds to zero: no sign");
  assert.equal(signed(2, 0), "+2");
  assert.equal(pointText({ rated: true, mean: -0.57, sd: 0.8 }), "\u22120,57 ± 0,80", "the server's 2 decimals");
  assert.equal(pointText({ rated: true, mean: 1.5, sd: 0 }), "+1,50 ± 0,00");
  assert.equal(countsText([1, 3, 0, 1, 0]), "\u22122 : 1, \u22121 : 3, 0 : 0, +1 : 1, +2 : 0");
  assert.equal(countsText(null), "");
  assert.equal(peopleText(0), "personne");
  assert.equal(peopleText(1), "1 personne");
  assert.equal(peopleText(12), "12 personnes");
  assert.equal(peopleText("<5"), "moins de 5");
  assert.equal(ratersText(0), "Personne n'a encore donné son ressenti");
  assert.equal(ratersText(1), "1 personne a donné son ressenti");
  assert.equal(ratersText(7), "7 personnes ont donné leur ressenti");
});

test("by profile: usager·es and agent·es always listed; only profiles with stages are drawn", () => {
  const curve = {
    activity_id: 9,
    raters: 14,
    stages: [],
    by_profile: {
      agent: { raters: 6, stages: [figures("c1", 6, -1, 0.5), figures("c2", "<5", null, null)] },
      partenaire: { raters: "<5", stages: null },
      elu: { raters: "hidden", stages: null },
    },
  };
  const profiles = profileCurves(curve, stages, stageXs(frame, 4), frame);
  assert.deepEqual(
    profiles.map((p) => [p.profile, p.status, p.caption]),
    [
      ["usager", "none", "Usager·es : personne n'a donné son ressenti"],
      ["agent", "shown", "Agent·es : 6 personnes"],
      ["partenaire", "small", "Partenaires : moins de 5 personnes"],
      ["elu", "hidden", "Élu·es : effectif masqué (protection des petits groupes)"],
    ],
  );
  const agents = profiles[1].points;
  assert.equal(agents[0].mean, -1);
  assert.equal(agents[0].y, 300);
  assert.equal(agents[1].small, true, "a stage rated by fewer than 5 agents: no point");
  assert.deepEqual(profiles[2].points, []);
  assert.deepEqual(profileCurves({ raters: 0, stages: [], by_profile: null }, stages, stageXs(frame, 4), frame).map((p) => p.status), ["none", "none"]);
});
