"""The static, sharded search index, written from the article model.

Files (paths relative to ``docs/``, all JavaScript so they load from ``file://``
through ``<script>`` tags; each calls ``__arSearchData(kind, id, data)``):

* ``search/manifest.js``: counts, shard counts, the score scale.
* ``search/shards/<hex>.js``: for each term hashed there (``codec.shard_of``):
  ``[postings, {surface: docs}]``. ``postings`` is, per document in id order,
  the varint gap from the previous id and one score digit (BM25, precomputed).
  ``surface`` lists (as gaps) the documents containing that exact surface form
  ("" = all documents of the term). Filter terms (``#tag``, ``@year``,
  ``^source``) map to a plain list of gaps.
* ``search/positions/<hex>.js``: per stem, per document of its postings, the
  count of positions then their gaps; loaded only for ``"phrase"`` queries.
* ``search/docs/<n>.js``: display data of ``DOCS_PER_CHUNK`` documents: slug,
  title, date, tags, source, and the start of the text for the snippet.

Document ids follow the archive order (newest first), so a lower id is the
recency tie-break. Scores: BM25 (k1 1.2, b 0.75) over one bag of words where a
title word counts ``TITLE_WEIGHT`` times, a tag word ``TAG_WEIGHT`` times.
"""

from __future__ import annotations

import json
import math
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from builder.arabic import normalize
from builder.model import Article, GeneratedFile
from builder.search import codec
from builder.search.analyzer import analyze, fold_hamza

TITLE_WEIGHT = 4.0
TAG_WEIGHT = 3.0
TEXT_WEIGHT = 1.0
K1 = 1.2
B = 0.75
FIELD_GAP = 50  # positions between fields, so a phrase never spans two
DOCS_PER_CHUNK = 4
SNIPPET_CHARS = 600
TARGET_SHARD_BYTES = 24_000
HOT_POSTINGS = 1_000  # scored postings kept for a frequent term (see _entry)
FORMAT_VERSION = 1

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*\*|__|\*)(?=\S)(.+?)(?<=\S)\1")
_SPACES = re.compile(r"\s+")


def plain_text(markdown: str) -> str:
    """The reader-visible words of the cleaned Markdown body, on one line."""
    text = _LINK.sub(r"\1", markdown)
    text = _HEADING.sub("", text)
    text = _EMPHASIS.sub(r"\2", text)
    return _SPACES.sub(" ", text).strip()


def filter_key(kind: str, value: str) -> str:
    """Key of a filter term: ``#`` tag, ``@`` year, ``^`` source."""
    folded = fold_hamza(normalize(value)).replace("_", " ")
    return kind + _SPACES.sub(" ", folded).strip()


def display_tags(article: Article) -> tuple[str, ...]:
    """Front-matter tags, then entity names, each once."""
    seen: set[str] = set()
    tags: list[str] = []
    for tag in (*article.tags, *(entity.name for entity in article.entities)):
        key = filter_key("#", tag)
        if key != "#" and key not in seen:
            seen.add(key)
            tags.append(tag)
    return tuple(tags)


@dataclass
class _Term:
    weight: float = 0.0
    positions: list[int] = field(default_factory=list)
    surfaces: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _DocTerms:
    length: float
    terms: dict[str, _Term]
    filters: frozenset[str]


def _doc_terms(article: Article, tags: Sequence[str], text: str) -> _DocTerms:
    terms: dict[str, _Term] = defaultdict(_Term)
    fields = [(article.title, TITLE_WEIGHT), (" ".join(tags), TAG_WEIGHT)]
    fields += [(article.summary, TEXT_WEIGHT), (text, TEXT_WEIGHT)]
    fields.append((article.source or "", TEXT_WEIGHT))
    length = 0.0
    position = 0
    for value, weight in fields:
        words = analyze(value, first_position=position)
        for word in words:
            length += weight
            for term in word.terms:
                entry = terms[term]
                entry.weight += weight
                entry.positions.append(word.position)
            terms[word.stem].surfaces.add(word.surface)
        position = (words[-1].position if words else position) + FIELD_GAP
    filters = {filter_key("#", tag) for tag in tags}
    if article.date is not None:
        filters.add(f"@{article.date.year}")
    if article.source:
        filters.add(filter_key("^", article.source))
    return _DocTerms(length, dict(terms), frozenset(filters))


def _bm25(weight: float, length: float, average: float, idf: float) -> float:
    norm = K1 * (1 - B + B * length / average) if average else K1
    return idf * weight * (K1 + 1) / (weight + norm)


def _script(note: str, kind: str, name: str, data: object) -> str:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    head = f"/* {note.replace('*/', '* /')} */\n" if note else ""
    return f"{head}__arSearchData({json.dumps(kind)},{json.dumps(name)},{body});\n"


def _shard_count(sizes: Iterable[int]) -> int:
    total = sum(sizes)
    count = 1
    while count * TARGET_SHARD_BYTES < total and count < 65536:
        count *= 2
    return count


def _group(entries: Mapping[str, object], note: str, folder: str) -> tuple[int, list[GeneratedFile]]:
    sizes = (len(key.encode()) + len(json.dumps(v, ensure_ascii=False)) for key, v in entries.items())
    count = _shard_count(sizes)
    shards: dict[int, dict[str, object]] = defaultdict(dict)
    for key, value in entries.items():
        shards[codec.shard_of(key, count)][key] = value
    files = []
    for number in sorted(shards):
        name = codec.shard_name(number, count)
        files.append(GeneratedFile(f"search/{folder}/{name}.js", _script(note, folder, name, shards[number])))
    return count, files


@dataclass
class _Postings:
    """One term's postings, accumulated in document order. Arrays, not
    objects per posting, keep 100k articles within a few hundred MB."""

    docs: array[int] = field(default_factory=lambda: array("I"))
    scores: array[float] = field(default_factory=lambda: array("d"))  # weights until scored
    positions: list[str] = field(default_factory=list)
    surfaces: dict[str, array[int]] = field(default_factory=dict)


def build_search_files(articles: Sequence[Article], *, base_note: str = "") -> list[GeneratedFile]:
    """Every file of the search index for ``articles`` (drafts left out).

    Pure and deterministic: the same articles give byte-identical files.
    """
    ordered = sorted((a for a in articles if not a.draft), key=lambda a: a.sort_key)
    terms: dict[str, _Postings] = {}
    lengths: list[float] = []
    filters: dict[str, list[int]] = defaultdict(list)
    displays: list[list[object]] = []
    for doc_id, article in enumerate(ordered):
        tags = display_tags(article)
        text = plain_text(article.body)
        doc = _doc_terms(article, tags, text)
        lengths.append(doc.length)
        for term, found in doc.terms.items():
            postings = terms.get(term)
            if postings is None:
                postings = terms[term] = _Postings()
            postings.docs.append(doc_id)
            postings.scores.append(found.weight)
            postings.positions.append(_positions(found.positions))
            for surface in found.surfaces:
                postings.surfaces.setdefault(surface, array("I")).append(doc_id)
        for key in doc.filters:
            filters[key].append(doc_id)
        displays.append(_display(article, tags, text))

    count = len(ordered)
    average = sum(lengths) / count if count else 0.0
    top = 0.0
    for postings in terms.values():
        df = len(postings.docs)
        idf = math.log(1 + (count - df + 0.5) / (df + 0.5))
        for i, doc_id in enumerate(postings.docs):
            postings.scores[i] = _bm25(postings.scores[i], lengths[doc_id], average, idf)
        top = max(top, max(postings.scores))

    entries: dict[str, object] = {}
    positions: dict[str, str] = {}
    for term in sorted(terms):
        postings = terms.pop(term)  # free as we go
        entries[term] = _entry(postings, [codec.quantize(s, top) for s in postings.scores], count)
        positions[term] = "".join(postings.positions)
    for key in sorted(filters):
        entries[key] = codec.members(filters[key], count)

    shard_count, shard_files = _group(entries, base_note, "shards")
    position_count, position_files = _group(positions, base_note, "positions")
    chunk_files = [
        GeneratedFile(
            f"search/docs/{start // DOCS_PER_CHUNK}.js",
            _script(base_note, "docs", str(start // DOCS_PER_CHUNK), displays[start : start + DOCS_PER_CHUNK]),
        )
        for start in range(0, count, DOCS_PER_CHUNK)
    ]
    manifest = {
        "version": FORMAT_VERSION,
        "docs": count,
        "chunk": DOCS_PER_CHUNK,
        "shards": shard_count,
        "positions": position_count,
        "top": round(top, 6),
    }
    files = [GeneratedFile("search/manifest.js", _script(base_note, "manifest", "", manifest))]
    return files + shard_files + position_files + chunk_files


def _entry(postings: _Postings, levels: list[int], count: int) -> list[object]:
    """``[postings, surfaces]``, or for a frequent term
    ``[top postings, surfaces among them, all documents, tail level]``: only the
    ``HOT_POSTINGS`` best-scored documents carry a score, the others count as
    matches at the best score left out (and without the exact-spelling bonus),
    so the bytes a query loads stay bounded at any archive size."""
    docs = postings.docs
    kept: Sequence[int] = range(len(docs))
    tail: list[object] = []
    if len(docs) > HOT_POSTINGS:
        best = sorted(kept, key=lambda i: (-levels[i], docs[i]))
        kept = sorted(best[:HOT_POSTINGS])
        tail = [codec.members(list(docs), count), levels[best[HOT_POSTINGS]]]
    encoded = []
    previous = 0
    for i in kept:
        encoded.append(codec.varint(docs[i] - previous) + codec.DIGITS[levels[i]])
        previous = docs[i]
    kept_docs = {docs[i] for i in kept} if tail else None
    surfaces = {}
    for surface, ids in sorted(postings.surfaces.items()):
        chosen = list(ids) if kept_docs is None else [d for d in ids if d in kept_docs]
        if chosen:
            surfaces[surface] = "" if len(chosen) == len(kept) else codec.deltas(chosen)
    return ["".join(encoded), surfaces, *tail]


def _positions(numbers: list[int]) -> str:
    ordered = sorted(set(numbers))
    return codec.varint(len(ordered)) + codec.deltas(ordered)


def _display(article: Article, tags: Sequence[str], text: str) -> list[object]:
    summary = _SPACES.sub(" ", article.summary).strip()
    if summary and not text.startswith(summary[: max(1, len(summary) - 5)]):
        text = f"{summary} — {text}"
    if len(text) > SNIPPET_CHARS:
        cut = text.rfind(" ", 0, SNIPPET_CHARS)
        text = text[: cut if cut > 0 else SNIPPET_CHARS] + " …"
    date = article.date.isoformat() if article.date else ""
    return [article.slug, article.title, date, list(tags), article.source or "", text]
