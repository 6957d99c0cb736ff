// Unit tests of the shared DOM helpers (static/cocon/dom.js) on a minimal stand-in for
// the DOM: `reconcile` gives the children asked for, in order, moving only what must
// move (a moved node loses focus). Run by `make test` as `node --test tests/js/`.

import assert from "node:assert/strict";
import { test } from "node:test";

import { reconcile, show } from "../../static/cocon/dom.js";

/** Just enough of a DOM node for reconcile: children, siblings, insertBefore, remove. */
class FakeNode {
  constructor(name) {
    this.name = name;
    this.parent = null;
    this.childNodes = [];
    this.moves = 0; // times inserted while already in a parent
  }
  get firstChild() {
    return this.childNodes[0] || null;
  }
  get nextSibling() {
    if (!this.parent) return null;
    const siblings = this.parent.childNodes;
    return siblings[siblings.indexOf(this) + 1] || null;
  }
  insertBefore(node, before) {
    if (node.parent) {
      node.moves += 1;
      node.remove();
    }
    const index = before ? this.childNodes.indexOf(before) : this.childNodes.length;
    this.childNodes.splice(index, 0, node);
    node.parent = this;
    return node;
  }
  remove() {
    if (!this.parent) return;
    this.parent.childNodes.splice(this.parent.childNodes.indexOf(this), 1);
    this.parent = null;
  }
}

function parentWith(...names) {
  const parent = new FakeNode("parent");
  const nodes = names.map((name) => new FakeNode(name));
  for (const node of nodes) parent.insertBefore(node, null);
  return { parent, nodes };
}

const names = (parent) => parent.childNodes.map((node) => node.name);

test("reconcile gives exactly the nodes asked for, in order", () => {
  const { parent, nodes } = parentWith("a", "b", "c");
  const [a, , c] = nodes;
  const d = new FakeNode("d");
  reconcile(parent, [c, d, a]);
  assert.deepEqual(names(parent), ["c", "d", "a"]);
  reconcile(parent, []);
  assert.deepEqual(names(parent), []);
});

test("a node that stays after one that goes is not moved (it keeps focus)", () => {
  const { parent, nodes } = parentWith("pending", "note");
  const [, note] = nodes;
  const received = new FakeNode("received");
  reconcile(parent, [received, note]);
  assert.deepEqual(names(parent), ["received", "note"]);
  assert.equal(note.moves, 0);
});

test("show touches `hidden` only when it changes", () => {
  const writes = [];
  const node = {
    _hidden: false,
    get hidden() {
      return this._hidden;
    },
    set hidden(value) {
      writes.push(value);
      this._hidden = value;
    },
  };
  show(node, true);
  assert.deepEqual(writes, []);
  show(node, false);
  show(node, false);
  assert.deepEqual(writes, [true]);
});
