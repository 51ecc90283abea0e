// The JS analyzer against the shared vectors (the Python side: tests/search/test_analyzer.py).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const fs = require("node:fs");

const root = path.resolve(__dirname, "..", "..");
const analyzer = require(path.join(root, "docs", "assets", "search", "analyzer.js"));
const vectors = JSON.parse(
  fs.readFileSync(path.join(root, "tests", "fixtures", "search", "vectors.json"), "utf8"),
);

test("the vectors file holds at least 200 words", () => {
  assert.ok(vectors.words.length >= 200, `${vectors.words.length} words`);
});

test("Lucene's own stemmer cases", () => {
  for (const { input, stem } of vectors.checked) {
    const token = analyzer.normalize(input);
    assert.equal(analyzer.stem(analyzer.foldHamza(token)), stem, input);
  }
});

test("each word: normalised, surface, stem, alternative", () => {
  for (const v of vectors.words) {
    const normalized = analyzer.normalize(v.input);
    assert.equal(normalized, v.normalized, `normalize ${JSON.stringify(v.input)}`);
    assert.equal(analyzer.searchNormalize(v.input), v.token, `searchNormalize ${JSON.stringify(v.input)}`);
    const a = analyzer.analyzeToken(v.token);
    if (v.surface === null) {
      assert.equal(a, null, `stop word ${v.input}`);
    } else {
      assert.deepEqual([a.surface, a.stem, a.alt], [v.surface, v.stem, v.alt], v.input);
    }
  }
});

test("each text: words with positions", () => {
  for (const v of vectors.texts) {
    const words = analyzer.analyze(v.text).map((w) => [w.position, w.surface, w.stem, w.alt]);
    assert.deepEqual(words, v.words, v.text);
  }
});

test("normalize is idempotent on every vector", () => {
  for (const v of vectors.words) {
    assert.equal(analyzer.normalize(v.normalized), v.normalized, v.input);
  }
});

test("the name علي is searchable, the preposition على is a stop word", () => {
  const surfaces = (text) => analyzer.analyze(text).map((w) => w.surface);
  assert.deepEqual(surfaces("على"), []);
  assert.deepEqual(surfaces("ﻋﻠﻰ إلى"), []);
  assert.deepEqual(surfaces("علي"), ["علي"]);
  assert.deepEqual(surfaces("التقى علي بعلى"), ["التقي", "علي", "بعلي"]);
  assert.deepEqual(surfaces("آلي"), ["الي"]);
});
