// The JS plural rule against the shared vectors (the Python side: tests/test_plurals.py).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const fs = require("node:fs");

const root = path.resolve(__dirname, "..", "..");
const plurals = require(path.join(root, "docs", "assets", "search", "plurals.js"));
const vectors = JSON.parse(fs.readFileSync(path.join(root, "tests", "fixtures", "plurals", "vectors.json"), "utf8"));

test("every count from 0 up, in CLDR's category", () => {
  assert.ok(vectors.upto.length >= 1000);
  vectors.upto.forEach((expected, n) => assert.equal(plurals.category(n), expected, String(n)));
});

test("large counts", () => {
  for (const [n, expected] of Object.entries(vectors.large)) {
    assert.equal(plurals.category(Number(n)), expected, n);
  }
});

test("the search's noun in each form", () => {
  for (const [n, expected] of Object.entries(vectors.phrases.document)) {
    assert.equal(plurals.counted(Number(n), plurals.DOCUMENT), expected, n);
  }
});

test("the numeral as shown (Arabic-Indic digits, N+) keeps the count's form", () => {
  assert.equal(plurals.counted(15, plurals.DOCUMENT, "١٥"), "١٥ مستندًا");
  assert.equal(plurals.counted(103, plurals.DOCUMENT, "١٠٣+"), "١٠٣+ مستندات");
});

test("not a whole number: other; a negative one counts by its absolute value, as in CLDR", () => {
  assert.equal(plurals.category(1.5), "other");
  assert.equal(plurals.category(-3), "few");
});
