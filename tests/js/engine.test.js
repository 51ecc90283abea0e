// Unit tests of the DOM-free engine (query syntax, decoding, highlighting).
// Ranking over real index files is tested from pytest: tests/search/test_index.py.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const E = require(path.resolve(__dirname, "..", "..", "docs", "assets", "search", "engine.js"));

test("FNV-1a matches the published test values", () => {
  assert.equal(E.fnv1a(""), 0x811c9dc5);
  assert.equal(E.fnv1a("a"), 0xe40c292c);
  assert.equal(E.fnv1a("foobar"), 0xbf9cf968);
});

test("shard names are padded hex of the masked hash", () => {
  assert.equal(E.shardName(3, 256), "03");
  assert.equal(E.shardName(0, 1), "0");
  assert.equal(E.shardOf("a", 16), (0xe40c292c & 15).toString(16));
});

test("gaps and postings decode", () => {
  // 1, 33 (gap 32 = two digits), 34
  assert.deepEqual(E.decodeDeltas("1W11"), [1, 33, 34]);
  assert.deepEqual(E.decodePostings("2a3b"), [[2, 36], [5, 37]]);
});

test("query syntax: words, phrases and filters", () => {
  const q = E.parseQuery('"رئيس الوزراء" وسم:قطاع_غزة سنة:٢٠١٦-٢٠١٨ مصدر:«بي بي سي» في الحكومة');
  assert.deepEqual(q.words.map((w) => w.surface), ["رييس", "الوزرا", "الحكومه"]);
  assert.deepEqual(q.phrases, [[0, 1]]);
  assert.deepEqual(q.tags, ["#قطاع غزه"]);
  assert.deepEqual(q.years, [[2016, 2018]]);
  assert.deepEqual(q.sources, ["^بي بي سي"]);
});

test("an unknown key: is searched as words", () => {
  const q = E.parseQuery("الساعة:10");
  assert.deepEqual(q.words.map((w) => w.surface), ["الساعه", "10"]);
  assert.equal(q.tags.length + q.years.length + q.sources.length, 0);
});

test("an unfinished quote while typing is a phrase so far", () => {
  const q = E.parseQuery('"قطاع غز');
  assert.deepEqual(q.phrases, [[0, 1]]);
});

test("highlight marks other spellings and keeps the text intact", () => {
  const words = E.parseQuery("الحكومه").words;
  const text = "قالت «الحُكومة» وبالحكومة: حكومات";
  const parts = E.highlight(text, words);
  assert.equal(parts.map((p) => p.text).join(""), text);
  assert.deepEqual(parts.filter((p) => p.mark).map((p) => p.text), ["الحُكومة", "وبالحكومة", "حكومات"]);
});

test("the snippet is a window around the first match", () => {
  const words = E.parseQuery("النهر").words;
  const text = "كلمة ".repeat(100) + "فاض النهر اليوم " + "نص ".repeat(100);
  const parts = E.snippet(text, words, 120);
  const joined = parts.map((p) => p.text).join("");
  assert.ok(joined.startsWith("… ") && joined.endsWith(" …"));
  assert.ok(joined.length < 140);
  assert.deepEqual(parts.filter((p) => p.mark).map((p) => p.text), ["النهر"]);
});

test("document sets decode from gaps and from bitmaps", () => {
  assert.deepEqual(E.decodeMembers("07"), [0, 7]);
  // bitmap: digit 0 holds docs 0-5 (bit 0 → doc 0), digit 1 holds docs 6-11 (bit 1 → doc 7)
  assert.deepEqual(E.decodeMembers("~12"), [0, 7]);
  assert.deepEqual(E.decodeMembers("~_"), [0, 1, 2, 3, 4, 5]);
});

test("a missing index is an error the UI can show, not a hang", async () => {
  const engine = new E.Engine(async () => null);
  await assert.rejects(engine.search("غزة"), /manifest/);
});

test("stop words and empty queries find nothing without loading shards", async () => {
  const loaded = [];
  const engine = new E.Engine(async (kind, id) => {
    loaded.push(kind);
    return kind === "manifest" ? { docs: 0, chunk: 4, shards: 1, positions: 1, top: 1 } : {};
  });
  const found = await engine.search("في من على");
  assert.equal(found.total, 0);
  assert.deepEqual(loaded, ["manifest"]);
});
