// Runs the browser search engine over an index folder, outside a browser.
// Usage: node query_cli.js DOCS_DIR < queries.json  →  JSON on stdout, one
// object per query: total, complete, ids, slugs (first 10), and the bytes of
// every index file the query loaded (manifest included, display data for 10
// results). A query is a string, or {"q": string, "all": true} to also confirm
// every phrase candidate (engine.more) and list every id as allIds.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const engineLib = require(path.resolve(__dirname, "..", "..", "docs", "assets", "search", "engine.js"));

const docsDir = process.argv[2];
const queries = JSON.parse(fs.readFileSync(0, "utf8"));

function makeLoader(loaded) {
  const cache = {};
  return async (kind, id) => {
    const rel = kind === "manifest" ? "search/manifest.js" : `search/${kind}/${id}.js`;
    if (rel in cache) return cache[rel];
    const file = path.join(docsDir, rel);
    if (!fs.existsSync(file)) return (cache[rel] = null);
    const code = fs.readFileSync(file, "utf8");
    loaded.set(rel, Buffer.byteLength(code));
    let data = null;
    vm.runInNewContext(code, { __arSearchData: (_k, _i, d) => { data = d; } });
    return (cache[rel] = data);
  };
}

(async () => {
  const out = [];
  for (const item of queries) {
    const q = typeof item === "string" ? item : item.q;
    const loaded = new Map();
    const engine = new engineLib.Engine(makeLoader(loaded));
    const found = await engine.search(q);
    const firstTotal = found.total;
    const firstComplete = found.complete;
    let allIds;
    if (typeof item === "object" && item.all) {
      await engine.more(found, Infinity, Infinity);
      allIds = found.results.map((r) => r.id);
    }
    const top = found.results.slice(0, 10);
    const records = await engine.display(top.map((r) => r.id));
    let bytes = 0;
    const byKind = {};
    for (const [rel, b] of loaded) {
      bytes += b;
      const kind = rel.split("/")[1].replace(/\.js$/, "");
      byKind[kind] = (byKind[kind] || 0) + b;
    }
    out.push({
      query: q,
      total: firstTotal,
      complete: firstComplete,
      allIds,
      ids: top.map((r) => r.id),
      matched: top.map((r) => r.matched),
      slugs: records.map((r) => (r ? r.slug : null)),
      snippets: records.map((r) =>
        r ? engineLib.snippet(r.text, found.parsed.words, 240).filter((p) => p.mark).map((p) => p.text) : []),
      files: loaded.size,
      bytes,
      byKind,
    });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e));
  process.exit(1);
});
