// `npm test`: where the editor thinks the cursor is in the contract, from indentation alone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Text } from "@codemirror/state";
import { pathAt, nodeAt } from "../src/schema.js";

const doc = Text.of([
  "agreement:",            // 1
  "  reference: X",        // 2
  "  renewal:",            // 3
  "    automatic: true",   // 4
  "priorities:",           // 5
  "  - id: P1",            // 6
  "    name: Critical",    // 7
  "    response: 1h",      // 8
  "",                      // 9
]);

test("a key under a mapping", () => {
  assert.deepEqual(pathAt(doc, 3, 2, null), ["agreement"]);
  assert.deepEqual(pathAt(doc, 5, 4, null), ["agreement", "renewal"]);
});

test("a key inside a list item", () => {
  assert.deepEqual(pathAt(doc, 9, 4, null), ["priorities", "[]"]);
  assert.deepEqual(pathAt(doc, 9, 4, 2), ["priorities", "[]"]);
});

test("a key at the top", () => {
  assert.deepEqual(pathAt(doc, 9, 0, null), []);
});

test("the schema node of a path follows $ref, anyOf and items", () => {
  const schema = {
    $defs: { P: { properties: { id: {}, name: {} } }, R: { properties: { automatic: {} } } },
    properties: { priorities: { items: { $ref: "#/$defs/P" } }, renewal: { anyOf: [{ $ref: "#/$defs/R" }, { type: "null" }] } },
  };
  assert.deepEqual(Object.keys(nodeAt(schema, ["priorities", "[]"]).properties), ["id", "name"]);
  assert.deepEqual(Object.keys(nodeAt(schema, ["renewal"]).properties), ["automatic"]);
});
