/* Arabic search engine: query syntax, index decoding, ranking, snippets.
 * No DOM here (ui.js does that), so node --test can run it. The index format
 * is written by builder/search/index.py and codec.py; keep them in step.
 * Plain script: defines window.ArSearchEngine, or module.exports in node. */
(function (root) {
  "use strict";

  var A = typeof module === "object" && module.exports ? require("./analyzer.js") : root.ArSearchAnalyzer;

  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT_VALUE = {};
  for (var d = 0; d < DIGITS.length; d++) DIGIT_VALUE[DIGITS[d]] = d;
  var SCORE_LEVELS = 63;
  var ALT_WEIGHT = 0.8; // a match only through the alternative stem
  var EXACT_BONUS = 1.0; // the same surface form as typed: the score doubles
  var FILTER_KEYS = {
    "\u0648\u0633\u0645": "#", tag: "#", // وسم
    "\u0633\u0646\u0647": "@", year: "@", // سنة (normalised)
    "\u0645\u0635\u062f\u0631": "^", source: "^", // مصدر
  };
  var QUERY_PART = /([^\s:"«»“”]+):(?:"([^"]*)"?|«([^»]*)»?|“([^”]*)”?|(\S+))|"([^"]*)"?|«([^»]*)»?|“([^”]*)”?|(\S+)/g;

  function fnv1a(text) {
    var bytes = unescape(encodeURIComponent(text)); // UTF-8, one char per byte
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  function shardName(number, shards) {
    var bits = Math.round(Math.log2(shards));
    var width = Math.max(1, Math.ceil(bits / 4));
    var name = number.toString(16);
    while (name.length < width) name = "0" + name;
    return name;
  }

  function shardOf(term, shards) {
    return shardName(fnv1a(term) & (shards - 1), shards);
  }

  // Varints from `text` starting at `at`; returns [value, next index].
  function readVarint(text, at) {
    var value = 0;
    var scale = 1;
    for (;;) {
      var digit = DIGIT_VALUE[text[at++]];
      value += (digit & 31) * scale;
      if (!(digit & 32)) return [value, at];
      scale *= 32;
    }
  }

  // Ascending numbers stored as gaps; with `withLevel`, each gap is followed by
  // one digit (a score level) and the result is [[number, level], ...].
  function decodeGaps(text, withLevel) {
    var out = [];
    var at = 0;
    var previous = 0;
    while (at < text.length) {
      var r = readVarint(text, at);
      previous += r[0];
      at = r[1];
      out.push(withLevel ? [previous, DIGIT_VALUE[text[at++]]] : previous);
    }
    return out;
  }

  function decodeDeltas(text) {
    return decodeGaps(text, false);
  }

  // Ascending doc ids of a set: gaps, or "~" then a bitmap of 6 docs per digit.
  function decodeMembers(text) {
    if (text[0] !== "~") return decodeDeltas(text);
    var out = [];
    for (var i = 1; i < text.length; i++) {
      var bits = DIGIT_VALUE[text[i]];
      for (var k = 0; k < 6; k++) if (bits & (1 << k)) out.push(6 * (i - 1) + k);
    }
    return out;
  }

  // [[docId, level], ...] of an index entry: [postings, surfaces] or, for a
  // frequent term, [top postings, surfaces, all docs, level of the others].
  function entryPostings(entry) {
    var top = decodePostings(entry[0]);
    if (entry.length < 4) return top;
    var levels = new Map(top);
    return decodeMembers(entry[2]).map(function (id) {
      return [id, levels.has(id) ? levels.get(id) : entry[3]];
    });
  }

  // [[docId, level], ...] of a postings string.
  function decodePostings(text) {
    return decodeGaps(text, true);
  }

  // One Map docId → sorted positions, aligned with the term's postings.
  function decodePositions(text, postings) {
    var out = new Map();
    var at = 0;
    for (var i = 0; i < postings.length && at < text.length; i++) {
      var r = readVarint(text, at);
      var count = r[0];
      at = r[1];
      var list = [];
      var previous = 0;
      for (var k = 0; k < count; k++) {
        r = readVarint(text, at);
        previous += r[0];
        list.push(previous);
        at = r[1];
      }
      out.set(postings[i][0], list);
    }
    return out;
  }

  function dequantize(level, top) {
    return Math.expm1((level / SCORE_LEVELS) * Math.log1p(top));
  }

  function filterValue(kind, value) {
    var folded = A.foldHamza(A.normalize(value)).replace(/_/g, " ");
    return kind + folded.replace(/\s+/g, " ").trim();
  }

  // A year filter value: "2018" or "2016-2018" (any digits) → [from, to].
  function yearRange(value) {
    var m = A.normalize(value).match(/^(\d{4})(?:\s*[-–]\s*(\d{4}))?$/);
    if (!m) return null;
    var from = parseInt(m[1], 10);
    var to = m[2] ? parseInt(m[2], 10) : from;
    return from <= to ? [from, to] : [to, from];
  }

  /* Query syntax (documented for readers in the search help):
   *   words               any of the words; documents with all of them first
   *   "a b" or «a b»      the words next to each other (stop words skipped)
   *   وسم:X / tag:X       only documents tagged X ("…" or _ for spaces)
   *   سنة:2018 / year:    only that year, or a range سنة:2016-2018
   *   مصدر:X / source:X   only that outlet */
  function parseQuery(query) {
    var parsed = { words: [], phrases: [], tags: [], years: [], sources: [] };
    var m;
    QUERY_PART.lastIndex = 0;
    while ((m = QUERY_PART.exec(query)) !== null) {
      var kind = m[1] !== undefined ? FILTER_KEYS[A.normalize(m[1])] : undefined;
      if (kind !== undefined) {
        var value = [m[2], m[3], m[4], m[5]].find(function (v) { return v !== undefined; }) || "";
        if (kind === "@") {
          var range = yearRange(value);
          if (range) parsed.years.push(range);
        } else if (filterValue(kind, value) !== kind) {
          (kind === "#" ? parsed.tags : parsed.sources).push(filterValue(kind, value));
        }
        continue;
      }
      var phrase = [m[6], m[7], m[8]].find(function (v) { return v !== undefined; });
      var text = phrase !== undefined ? phrase : m[0];
      var words = A.analyze(text).map(function (w) {
        return { surface: w.surface, stem: w.stem, terms: w.terms };
      });
      var first = parsed.words.length;
      parsed.words.push.apply(parsed.words, words);
      if (phrase !== undefined && words.length > 1) {
        parsed.phrases.push(words.map(function (_, i) { return first + i; }));
      }
    }
    return parsed;
  }

  function Engine(load) {
    this.load = load; // (kind, id) → Promise of the data, or null when absent
    this.manifest = null;
  }

  Engine.prototype.ready = function () {
    var self = this;
    if (self.manifest) return Promise.resolve(self.manifest);
    return self.load("manifest", "").then(function (m) {
      if (!m) throw new Error("search index manifest missing");
      self.manifest = m;
      return m;
    });
  };

  Engine.prototype.entries = function (kind, keys) {
    var self = this;
    var shards = kind === "positions" ? self.manifest.positions : self.manifest.shards;
    var names = Array.from(new Set(keys.map(function (k) { return shardOf(k, shards); })));
    return Promise.all(names.map(function (n) { return self.load(kind, n); })).then(function (datas) {
      var found = {};
      keys.forEach(function (k) {
        var data = datas[names.indexOf(shardOf(k, shards))];
        if (data && Object.prototype.hasOwnProperty.call(data, k)) found[k] = data[k];
      });
      return found;
    });
  };

  // → {parsed, results: [{id, score, matched}], total, complete}. With a
  // phrase whose words are frequent, only the first results are confirmed:
  // `complete` is false and engine.more(found, n) confirms more.
  Engine.prototype.search = function (query) {
    var self = this;
    var parsed = parseQuery(query);
    return self.ready().then(function (manifest) {
      var keys = [];
      parsed.words.forEach(function (w) { keys.push.apply(keys, w.terms); });
      parsed.tags.forEach(function (k) { keys.push(k); });
      parsed.sources.forEach(function (k) { keys.push(k); });
      parsed.years.forEach(function (r) {
        for (var y = r[0]; y <= r[1] && y - r[0] < 200; y++) keys.push("@" + y);
      });
      if (!parsed.words.length && keys.length === 0) return { parsed: parsed, results: [], total: 0, complete: true };
      return self.entries("shards", keys).then(function (entries) {
        return self.rank(parsed, entries, manifest);
      });
    });
  };

  Engine.prototype.rank = function (parsed, entries, manifest) {
    var self = this;
    var allowed = null; // Set of docs passing the filters, null = all
    function restrict(keysAnyOf) {
      var set = new Set();
      keysAnyOf.forEach(function (k) {
        if (typeof entries[k] === "string") decodeMembers(entries[k]).forEach(function (id) { set.add(id); });
      });
      allowed = allowed === null ? set : new Set(Array.from(allowed).filter(function (id) { return set.has(id); }));
    }
    parsed.tags.forEach(function (k) { restrict([k]); });
    if (parsed.sources.length) restrict(parsed.sources);
    if (parsed.years.length) {
      var years = [];
      parsed.years.forEach(function (r) { for (var y = r[0]; y <= r[1] && y - r[0] < 200; y++) years.push("@" + y); });
      restrict(years);
    }

    var postingsOf = {};
    function postings(term) {
      if (!(term in postingsOf)) postingsOf[term] = Array.isArray(entries[term]) ? entryPostings(entries[term]) : [];
      return postingsOf[term];
    }
    // Per word: Map doc → score (best over its terms, doubled when exact).
    var perWord = parsed.words.map(function (w) {
      var scores = new Map();
      w.terms.forEach(function (term, i) {
        var weight = i === 0 ? 1 : ALT_WEIGHT;
        postings(term).forEach(function (p) {
          if (allowed !== null && !allowed.has(p[0])) return;
          var s = dequantize(p[1], manifest.top) * weight;
          if (!(scores.get(p[0]) >= s)) scores.set(p[0], s);
        });
      });
      var entry = entries[w.stem];
      if (Array.isArray(entry) && Object.prototype.hasOwnProperty.call(entry[1], w.surface)) {
        var list = entry[1][w.surface];
        var exact = list === "" ? decodePostings(entry[0]).map(function (p) { return p[0]; }) : decodeDeltas(list);
        exact.forEach(function (id) {
          if (scores.has(id)) scores.set(id, scores.get(id) * (1 + EXACT_BONUS));
        });
      }
      return scores;
    });

    var totals = new Map();
    if (parsed.words.length) {
      perWord.forEach(function (scores) {
        scores.forEach(function (s, id) {
          var t = totals.get(id) || { id: id, score: 0, matched: 0 };
          t.score += s;
          t.matched += 1;
          totals.set(id, t);
        });
      });
    } else if (allowed !== null) {
      allowed.forEach(function (id) { totals.set(id, { id: id, score: 0, matched: 0 }); });
    }

    var ranked = function () {
      var results = Array.from(totals.values());
      results.sort(function (a, b) {
        return b.matched - a.matched || b.score - a.score || b.id - a.id; // higher id: newer
      });
      return results;
    };
    if (!parsed.phrases.length) {
      var all = ranked();
      return { parsed: parsed, results: all, total: all.length, complete: true };
    }

    // Phrases: a candidate holds every word of every phrase; its positions decide.
    var phraseWords = [];
    parsed.phrases.forEach(function (ph) { ph.forEach(function (i) { phraseWords.push(i); }); });
    var docSets = {};
    phraseWords.forEach(function (i) {
      if (docSets[i]) return;
      var set = new Set();
      parsed.words[i].terms.forEach(function (t) { postings(t).forEach(function (p) { set.add(p[0]); }); });
      docSets[i] = set;
    });
    var candidates = ranked().filter(function (t) {
      return phraseWords.every(function (i) { return docSets[i].has(t.id); });
    });
    var phraseTerms = [];
    phraseWords.forEach(function (i) { phraseTerms.push.apply(phraseTerms, parsed.words[i].terms); });
    var found = { parsed: parsed, results: [], total: 0, complete: false };
    if (!candidates.length) {
      found.complete = true;
      return found;
    }
    return self.entries("positions", phraseTerms).then(function (posEntries) {
      var checker = new PhraseChecker(self, parsed, posEntries, postings, manifest);
      found.pending = candidates;
      found.checker = checker;
      // Every candidate when its pieces are few; else in rank order, a page at a time.
      var pieces = checker.piecesFor(candidates, EXACT_PIECES);
      if (pieces.length <= EXACT_PIECES) return self.more(found, candidates.length, Infinity);
      return self.more(found, PAGE);
    });
  };

  var PAGE = 10; // results a reader sees at once
  var EXACT_PIECES = 24; // position pieces a query may load to count its phrase matches exactly
  var PIECE_BUDGET = 64; // pieces one step of confirming loads at most (about 130 KB)

  // Continue checking the phrase candidates of `found` (in rank order) until
  // `want` results are confirmed, none are left, or about `budget` position
  // pieces (PIECE_BUDGET by default) were loaded by this call; resolves to
  // `found`, whose `total` is exact once `complete` (else a lower bound).
  Engine.prototype.more = function (found, want, budget) {
    if (budget === undefined) budget = PIECE_BUDGET;
    if (found.complete || found.results.length >= want || budget <= 0) return Promise.resolve(found);
    var checker = found.checker;
    var batch = found.pending.slice(0, Math.max(PAGE, want - found.results.length));
    found.pending = found.pending.slice(batch.length);
    var pieces = checker.piecesFor(batch);
    var self = this;
    return checker.load(pieces).then(function () {
      batch.forEach(function (t) { if (checker.matches(t.id)) found.results.push(t); });
      found.total = found.results.length;
      if (!found.pending.length) {
        found.complete = true;
        delete found.checker;
        delete found.pending;
      }
      return self.more(found, want, budget - Math.max(1, pieces.length));
    });
  };

  // Positions of phrase terms: inline strings, or split terms [k, starts] whose
  // pieces (search/positions/<shard>-<k>-<j>.js) load on demand.
  function PhraseChecker(engine, parsed, posEntries, postings, manifest) {
    this.engine = engine;
    this.parsed = parsed;
    this.entries = posEntries;
    this.postings = postings;
    this.manifest = manifest;
    this.inline = {}; // term → Map doc → positions
    this.pieces = {}; // piece id → Map doc → positions
  }

  // The posting index of `id` in a term's postings (sorted by id), or -1.
  function indexOf(list, id) {
    var lo = 0;
    var hi = list.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid][0] === id) return mid;
      if (list[mid][0] < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  PhraseChecker.prototype.split = function (term) {
    var entry = this.entries[term];
    if (!Array.isArray(entry)) return null;
    if (!entry.starts) {
      entry.starts = decodeDeltas(entry[1]);
      entry.shard = shardOf(term, this.manifest.positions);
    }
    return entry;
  };

  // [pieceId, term, j] of the piece holding `id` for `term`, or null.
  PhraseChecker.prototype.pieceOf = function (term, id) {
    var entry = this.split(term);
    if (!entry) return null;
    var at = indexOf(this.postings(term), id);
    if (at < 0) return null;
    var starts = entry.starts;
    var lo = 0; // the last piece starting at or before posting `at`
    var hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return [entry.shard + "-" + entry[0] + "-" + lo, term, lo];
  };

  PhraseChecker.prototype.termsOf = function () {
    var parsed = this.parsed;
    var terms = [];
    parsed.phrases.forEach(function (ph) {
      ph.forEach(function (i) { terms.push.apply(terms, parsed.words[i].terms); });
    });
    return terms;
  };

  // The pieces not loaded yet that checking `candidates` needs (counting
  // stops past `limit`, when given).
  PhraseChecker.prototype.piecesFor = function (candidates, limit) {
    var self = this;
    var terms = self.termsOf();
    var needed = new Map();
    for (var c = 0; c < candidates.length && !(needed.size > limit); c++) {
      for (var k = 0; k < terms.length; k++) {
        var piece = self.pieceOf(terms[k], candidates[c].id);
        if (piece && !(piece[0] in self.pieces)) needed.set(piece[0], piece);
      }
    }
    return Array.from(needed.values());
  };

  PhraseChecker.prototype.load = function (pieces) {
    var self = this;
    return Promise.all(pieces.map(function (piece) {
      return self.engine.load("positions", piece[0]).then(function (text) {
        var entry = self.split(piece[1]);
        var list = self.postings(piece[1]);
        var from = entry.starts[piece[2]];
        var to = piece[2] + 1 < entry.starts.length ? entry.starts[piece[2] + 1] : list.length;
        self.pieces[piece[0]] = typeof text === "string" ? decodePositions(text, list.slice(from, to)) : new Map();
      });
    }));
  };

  PhraseChecker.prototype.positions = function (term, id) {
    var entry = this.entries[term];
    if (typeof entry === "string") {
      if (!(term in this.inline)) this.inline[term] = decodePositions(entry, this.postings(term));
      return this.inline[term].get(id) || [];
    }
    var piece = this.pieceOf(term, id);
    var map = piece && this.pieces[piece[0]];
    return (map && map.get(id)) || [];
  };

  PhraseChecker.prototype.matches = function (id) {
    var self = this;
    var parsed = self.parsed;
    function wordPositions(i) {
      var set = new Set();
      parsed.words[i].terms.forEach(function (t) {
        self.positions(t, id).forEach(function (p) { set.add(p); });
      });
      return set;
    }
    return parsed.phrases.every(function (ph) {
      var starts = wordPositions(ph[0]);
      for (var k = 1; k < ph.length && starts.size; k++) {
        var next = wordPositions(ph[k]);
        var kept = new Set();
        starts.forEach(function (p) { if (next.has(p + k)) kept.add(p); });
        starts = kept;
      }
      return starts.size > 0;
    });
  };

  // Display records for doc ids, in the same order: {id, slug, title, date, tags, source, text}.
  Engine.prototype.display = function (ids) {
    var self = this;
    return self.ready().then(function (manifest) {
      var chunks = Array.from(new Set(ids.map(function (id) { return Math.floor(id / manifest.chunk); })));
      return Promise.all(chunks.map(function (c) { return self.load("docs", String(c)); })).then(function (datas) {
        return ids.map(function (id) {
          var chunk = datas[chunks.indexOf(Math.floor(id / manifest.chunk))] || [];
          var r = chunk[id % manifest.chunk];
          if (!r) return null;
          return { id: id, slug: r[0], title: r[1], date: r[2], tags: r[3], source: r[4], text: r[5] };
        });
      });
    });
  };

  // Does a word of the text match one of the query words (any spelling)?
  function matcher(queryWords) {
    var surfaces = new Set();
    var terms = new Set();
    queryWords.forEach(function (w) {
      surfaces.add(w.surface);
      w.terms.forEach(function (t) { terms.add(t); });
    });
    return function (word) {
      return surfaces.has(word.surface) || word.terms.some(function (t) { return terms.has(t); });
    };
  }

  // Original-text runs that are words (letters, digits, marks, tatweel, invisible joiners).
  var RUN = /[\p{L}\p{N}\p{M}\u0640\u200b-\u200f\u061c\u2066-\u2069\ufeff]+/gu;

  // [{text, mark}] covering `text`: the runs matching the query are marked.
  function highlight(text, queryWords) {
    var isMatch = matcher(queryWords);
    var out = [];
    var last = 0;
    var m;
    RUN.lastIndex = 0;
    while ((m = RUN.exec(text)) !== null) {
      var hit = A.analyze(m[0]).some(isMatch);
      if (!hit) continue;
      if (m.index > last) out.push({ text: text.slice(last, m.index), mark: false });
      out.push({ text: m[0], mark: true });
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push({ text: text.slice(last), mark: false });
    return out;
  }

  // A window of about `size` characters around the first match, highlighted.
  function snippet(text, queryWords, size) {
    size = size || 240;
    var parts = highlight(text, queryWords);
    var offset = 0;
    var first = -1;
    for (var i = 0; i < parts.length; i++) {
      if (parts[i].mark) { first = offset; break; }
      offset += parts[i].text.length;
    }
    var start = first <= 60 ? 0 : text.lastIndexOf(" ", first - 60) + 1;
    var end = Math.min(text.length, start + size);
    if (end < text.length) {
      var space = text.lastIndexOf(" ", end);
      if (space > start) end = space;
    }
    var out = [];
    var at = 0;
    parts.forEach(function (p) {
      var a = Math.max(at, start);
      var b = Math.min(at + p.text.length, end);
      if (b > a) out.push({ text: p.text.slice(a - at, b - at), mark: p.mark });
      at += p.text.length;
    });
    if (start > 0) out.unshift({ text: "… ", mark: false });
    if (end < text.length) out.push({ text: " …", mark: false });
    return out;
  }

  var api = { Engine: Engine, parseQuery: parseQuery, fnv1a: fnv1a, shardOf: shardOf, shardName: shardName,
    decodeDeltas: decodeDeltas, decodeMembers: decodeMembers, decodePostings: decodePostings, decodePositions: decodePositions,
    dequantize: dequantize, highlight: highlight, snippet: snippet, yearRange: yearRange };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.ArSearchEngine = api;
})(this);
