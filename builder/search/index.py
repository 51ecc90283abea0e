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
* ``search/positions/<hex>.js``: per term, per document of its postings, the
  count of positions then their gaps; loaded only for ``"phrase"`` queries.
  A term whose positions exceed ``PIECE_BYTES`` is split, in document order,
  into pieces of about that size: its entry is then ``[k, starts]``, ``starts``
  the gaps between the posting indexes where each piece begins (the first is
  0), and piece ``j`` is ``search/positions/<hex>-<k>-<j>.js`` (``k`` numbers
  the split terms of the shard in sorted order). A phrase query loads only the
  pieces holding its candidate documents (see ``engine.js``).
* ``search/docs/<n>.js``: display data of ``DOCS_PER_CHUNK`` documents: slug,
  title, date, tags, source, and the start of the text for the snippet.

Document ids count from the oldest article (the archive order reversed), so a
higher id is the recency tie-break, and a new briefing, the newest, takes the
next id: the display chunks, position pieces and postings of every older
document stay byte-identical when one is added. Scores: BM25 (k1 1.2, b 0.75) over one bag of words where a
title word counts ``TITLE_WEIGHT`` times, a tag word ``TAG_WEIGHT`` times.
"""

from __future__ import annotations

import bisect
import json
import math
import re
import zlib
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from builder.arabic import normalize
from builder.model import Article, GeneratedFile
from builder.search import codec
from builder.search.analyzer import _TERMS, _UNSET, fold_hamza, search_normalize, token_list, token_terms

TITLE_WEIGHT = 4  # integers: a term's weight is a sum of them, exact everywhere
TAG_WEIGHT = 3
TEXT_WEIGHT = 1
K1 = 1.2
B = 0.75
FIELD_GAP = 50  # positions between fields, so a phrase never spans two
DOCS_PER_CHUNK = 4
SNIPPET_CHARS = 600
TARGET_SHARD_BYTES = 24_000
HOT_POSTINGS = 1_000  # scored postings kept for a frequent term (see _entry)
PIECE_BYTES = 2048  # positions of a frequent term are cut into pieces this big
POSITION_SHARD_BYTES = 8_000  # smaller than term shards: a phrase loads one per term
FORMAT_VERSION = 3  # 3: document ids count from the oldest
# Bump when search_record's output changes (analyzer, weights, encoding): an
# on-disk cache of records must be keyed on it.
RECORD_VERSION = 1

# Linear: a link's text stops at the next bracket, its target at the next bracket or ")".
_LINK = re.compile(r"!?\[([^\[\]]*+)\]\([^)\[\]]*+\)")
_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)
_SPACES = re.compile(r"\s+")


def plain_text(markdown: str) -> str:
    """The reader-visible words of the cleaned Markdown body, on one line."""
    text = _LINK.sub(r"\1", markdown) if "[" in markdown else markdown  # (the tests are cheap, the scans not)
    text = _HEADING.sub("", text) if "#" in text else text
    text = strip_emphasis(text) if "*" in text or "_" in text else text
    return " ".join(text.split())  # = _SPACES.sub(" ", text).strip(): the same white space


def strip_emphasis(text: str) -> str:
    r"""``re.sub(r"(\*\*|__|\*)(?=\S)(.+?)(?<=\S)\1", r"\2", text)``, in linear time:
    that pattern rescans to the line's end from every unclosed marker. Each
    opener's closer is found by bisection in the sorted closers of its kind."""
    closers = {delimiter: _closers(text, delimiter) for delimiter in ("**", "__", "*")}
    out: list[str] = []
    copied = index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char not in "*_":
            index += 1
            continue
        for delimiter in ("**", "__", "*"):
            size = len(delimiter)
            if not text.startswith(delimiter, index) or index + size >= length or text[index + size].isspace():
                continue
            line_end = text.find("\n", index)
            found = closers[delimiter]
            at = bisect.bisect_left(found, index + size + 1)
            if at < len(found) and (line_end < 0 or found[at] < line_end):
                end = found[at]
                out.append(text[copied:index])
                out.append(text[index + size : end])
                copied = index = end + size
                break
        else:
            index += 1
    out.append(text[copied:])
    return "".join(out)


def _closers(text: str, delimiter: str) -> list[int]:
    """Where ``delimiter`` may close emphasis: after a character that is not white space."""
    found: list[int] = []
    at = text.find(delimiter, 1)
    while at >= 0:
        if not text[at - 1].isspace():
            found.append(at)
        at = text.find(delimiter, at + 1)
    return found


@lru_cache(maxsize=1 << 16)  # tags and outlets repeat from article to article
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


@dataclass(frozen=True)
class SearchRecord:
    """What the index needs from one article, computed from that article alone.

    Compact (one zlib-compressed byte string, about 4 KB for a 500-word
    article; no object per word) and picklable, so it can be computed in worker
    processes and cached on disk between builds. ``packed`` holds six UTF-8
    fields separated by NUL, the first four aligned per term (terms are letters
    and digits only, never a space):

    * terms: the article's index terms, space-separated, first use first;
    * weights: per term, its weight in the bag of words (a title word counts
      ``TITLE_WEIGHT``, a tag word ``TAG_WEIGHT``), as ``codec`` varints;
    * positions: per term, the count of its positions then their gaps
      (varints), space-separated;
    * surfaces: per term, the exact spellings whose stem it is,
      comma-separated, terms space-separated ("" for none);
    * filters: the filter keys (``#tag``, ``@year``, ``^source``), one a line;
    * display: the JSON of the result's display data.
    """

    length: int  # of the bag of words, weights included (BM25's document length)
    packed: bytes

    def unpack(self) -> tuple[str, str, bytes, str, str, str]:
        terms, weights, positions, surfaces, filters, display = zlib.decompress(self.packed).split(b"\0")
        return (
            terms.decode(),
            weights.decode("ascii"),
            positions,
            surfaces.decode(),
            filters.decode(),
            display.decode(),
        )


def search_record(article: Article) -> SearchRecord:
    """The search record of one article. Pure: depends only on ``article``."""
    tags = display_tags(article)
    text = plain_text(article.body)
    fields = (
        (article.title, TITLE_WEIGHT),
        (" ".join(tags), TAG_WEIGHT),
        (article.summary, TEXT_WEIGHT),
        (text, TEXT_WEIGHT),
        (article.source or "", TEXT_WEIGHT),
    )
    weights: dict[str, int] = {}
    positions: dict[str, list[int]] = {}
    surfaces: dict[str, set[str]] = {}
    length = 0
    position = 0
    cache = _TERMS
    for value, weight in fields:
        at = position
        for token in token_list(search_normalize(value)):
            found = cache.get(token, _UNSET)
            if found is _UNSET:
                found = token_terms(token)
            if found is None:
                continue
            surface, stemmed, terms = found
            for term in terms:
                if term in weights:
                    weights[term] += weight
                    positions[term].append(at)
                else:
                    weights[term] = weight
                    positions[term] = [at]
            if stemmed in surfaces:
                surfaces[stemmed].add(surface)
            else:
                surfaces[stemmed] = {surface}
            at += 1
        length += weight * (at - position)
        position = (at - 1 if at > position else position) + FIELD_GAP
    filters = {filter_key("#", tag) for tag in tags}
    if article.date is not None:
        filters.add(f"@{article.date.year}")
    if article.source:
        filters.add(filter_key("^", article.source))
    varint = codec.varint
    once = varint(1)  # most terms occur once in an article: their count, then the position
    encoded = [
        once + varint(numbers[0]) if len(numbers) == 1 else varint(len(numbers)) + codec.deltas(numbers)
        for numbers in positions.values()
    ]
    display = json.dumps(_display(article, tags, text), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    spellings = [surfaces.get(term) for term in weights]
    fields_text = (
        " ".join(weights),
        "".join(map(varint, weights.values())),
        " ".join(encoded),
        " ".join(("".join(s) if len(s) == 1 else ",".join(sorted(s))) if s else "" for s in spellings),
        "\n".join(sorted(filters)),
        display,
    )
    # Level 1: a record is read back once or twice; compressing harder costs more than it saves.
    return SearchRecord(length, zlib.compress("\0".join(fields_text).encode(), 1))


def _script(note: str, kind: str, name: str, data: object) -> str:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return _script_text(note, kind, name, body)


def _script_text(note: str, kind: str, name: str, body: str) -> str:
    head = f"/* {note.replace('*/', '* /')} */\n" if note else ""
    return f"{head}__arSearchData({json.dumps(kind)},{json.dumps(name)},{body});\n"


def _shard_count(sizes: Iterable[int], target: int = TARGET_SHARD_BYTES) -> int:
    total = sum(sizes)
    count = 1
    while count * target < total and count < 65536:
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


class _Postings:
    """One term's postings, accumulated in document order. Arrays and one byte
    buffer, never an object per posting: 100k articles fit in a few hundred MB."""

    __slots__ = ("docs", "piece_at", "pieces", "positions", "sole", "surfaces", "weights")

    def __init__(self, spellings: str) -> None:
        self.docs = array("I")
        # Scored twice (for the top, then per term), so kept rather than the
        # scores: 2 bytes each, capped (see _weights) where BM25 has long saturated.
        self.weights = array("H")
        self.positions = bytearray()
        self.pieces = array("I", (0, 0))  # (first posting, first byte) of each piece of positions
        self.piece_at = 0  # first byte of the current piece
        # The documents of each exact spelling. Most terms are written one way
        # in every document that has them: until a posting says otherwise, that
        # one spelling is kept as ``sole`` and no list is built (``surfaces`` None).
        single = bool(spellings) and "," not in spellings
        self.sole = spellings if single else ""
        self.surfaces: dict[str, array[int]] | None = None if single else {}

    def spelled(self, spellings: str, doc_id: int) -> None:
        """Note the spellings of the posting just added for ``doc_id``."""
        surfaces = self.surfaces
        if surfaces is None:
            if spellings == self.sole:
                return
            surfaces = self.surfaces = {self.sole: array("I", self.docs[:-1])}
        if spellings:
            for surface in spellings.split(","):
                ids = surfaces.get(surface)
                if ids is None:
                    surfaces[surface] = array("I", (doc_id,))
                else:
                    ids.append(doc_id)

    def spellings(self) -> list[tuple[str, array[int] | None]]:
        """Each exact spelling and its documents (None: every document of the term)."""
        if self.surfaces is None:
            return [(self.sole, None)]
        return sorted(self.surfaces.items())


MAX_WEIGHT = 0xFFFF  # a word 65,535 times in one article scores as if that many
_CONTINUED = re.compile(f"[{re.escape(codec.DIGITS[32:])}]")
_DIGIT_VALUE = {ch: i for i, ch in enumerate(codec.DIGITS)}


def _weights(text: str) -> list[int]:
    if _CONTINUED.search(text) is None:  # every weight below 32: one digit each
        value = _DIGIT_VALUE
        return [value[ch] for ch in text]
    return [min(weight, MAX_WEIGHT) for weight in codec.decode_varints(text)]


def build_search_files(
    articles: Sequence[Article], *, base_note: str = "", records: Mapping[str, SearchRecord] | None = None
) -> list[GeneratedFile]:
    """Every file of the search index for ``articles`` (drafts left out):
    the manifest, shards, positions, then display chunks.

    ``records`` maps ``article.source_path`` to its ``search_record`` (computed
    here when missing). Pure and deterministic: the same articles give
    byte-identical files, with or without ``records``.
    """
    files = list(iter_search_files(articles, base_note=base_note, records=records))
    return sorted(files, key=lambda f: _FILE_ORDER[f.path.split("/")[1]])  # stable: each group keeps its order


_FILE_ORDER = {"manifest.js": 0, "shards": 1, "positions": 2, "docs": 3}


def iter_search_files(
    articles: Sequence[Article], *, base_note: str = "", records: Mapping[str, SearchRecord] | None = None
) -> Iterator[GeneratedFile]:
    """The files of ``build_search_files``, as soon as each is ready: display
    chunks while the articles are indexed, then shards, positions and the
    manifest last. A caller that writes each file and drops it keeps the
    display data (the largest part) out of memory."""
    found = records or {}
    in_order = (found.get(a.source_path) or search_record(a) for a in indexed_in_order(articles))
    return iter_index_files(in_order, base_note=base_note)


def indexed_in_order(articles: Iterable[Article]) -> list[Article]:
    """The articles the index holds, in document-id order: oldest first."""
    return sorted((a for a in articles if not a.draft), key=lambda a: a.sort_key, reverse=True)


def iter_index_files(records: Iterable[SearchRecord], *, base_note: str = "") -> Iterator[GeneratedFile]:
    """``iter_search_files`` from the records alone, in document-id order."""
    terms: dict[str, _Postings] = {}
    lengths: list[int] = []
    filters: dict[str, list[int]] = defaultdict(list)
    displays: list[str] = []  # of the chunk being filled
    for doc_id, record in enumerate(records):
        lengths.append(record.length)
        names, weight_digits, places_text, surfaces_text, filter_text, display = record.unpack()
        if names:
            found = zip(
                names.split(" "),
                _weights(weight_digits),
                places_text.split(b" "),
                surfaces_text.split(" "),
                strict=True,
            )
            for term, weight, places, spellings in found:
                postings = terms.get(term)
                if postings is None:
                    postings = terms[term] = _Postings(spellings)
                buffer = postings.positions
                if len(buffer) - postings.piece_at >= PIECE_BYTES:
                    postings.piece_at = len(buffer)
                    postings.pieces.extend((len(postings.docs), len(buffer)))
                postings.docs.append(doc_id)
                postings.weights.append(weight)
                buffer += places
                # spelled()'s own first test, inline: the common case costs no call in this loop.
                if spellings != postings.sole or postings.surfaces is not None:
                    postings.spelled(spellings, doc_id)
        if filter_text:
            for key in filter_text.split("\n"):
                filters[key].append(doc_id)
        displays.append(display)
        if len(displays) == DOCS_PER_CHUNK:
            yield _chunk(base_note, doc_id // DOCS_PER_CHUNK, displays)
            displays = []
    count = len(lengths)
    if displays:
        yield _chunk(base_note, count // DOCS_PER_CHUNK, displays)
        displays = []

    average = sum(lengths) / count if count else 0.0
    norms = [K1 * (1 - B + B * length / average) if average else K1 for length in lengths]
    k1_plus_1 = K1 + 1

    def scores(postings: _Postings) -> list[float]:
        """BM25 (k1, b) of every posting: idf · w · (k1 + 1) / (w + k1 · (1 − b + b · length / average))."""
        df = len(postings.docs)
        idf = math.log(1 + (count - df + 0.5) / (df + 0.5))
        return [idf * w * k1_plus_1 / (w + norms[d]) for w, d in zip(postings.weights, postings.docs, strict=True)]

    top = max((max(scores(postings)) for postings in terms.values()), default=0.0)
    entries: dict[str, object] = {}
    positions: dict[str, list[str]] = {}
    log_top = math.log1p(top)
    for term in sorted(terms):
        postings = terms.pop(term)  # free as we go
        entries[term] = _entry(postings, _levels(scores(postings), top, log_top), count)
        positions[term] = _pieces(postings)
    for key in sorted(filters):
        entries[key] = codec.members(filters[key], count)

    shard_count, shard_files = _group(entries, base_note, "shards")
    del entries
    yield from shard_files
    del shard_files
    position_count, position_files = _position_files(positions, base_note)
    del positions
    yield from position_files
    manifest = {
        "version": FORMAT_VERSION,
        "docs": count,
        "chunk": DOCS_PER_CHUNK,
        "shards": shard_count,
        "positions": position_count,
        "top": round(top, 6),
    }
    yield GeneratedFile("search/manifest.js", _script(base_note, "manifest", "", manifest))


def _chunk(note: str, number: int, displays: Sequence[str]) -> GeneratedFile:
    body = "[" + ",".join(displays) + "]"
    return GeneratedFile(f"search/docs/{number}.js", _script_text(note, "docs", str(number), body))


def _pieces(postings: _Postings) -> list[str]:
    """The positions of a term as ``[first posting of each piece (gaps), piece…]``."""
    text = postings.positions.decode("ascii")
    bounds = postings.pieces
    firsts = bounds[0::2]
    offsets = [*bounds[1::2], len(text)]
    return [codec.deltas(firsts), *(text[offsets[j] : offsets[j + 1]] for j in range(len(firsts)))]


def _position_files(positions: Mapping[str, list[str]], note: str) -> tuple[int, list[GeneratedFile]]:
    """``search/positions/``: a shard per term hash, and the pieces of split terms."""
    sizes = (len(key.encode()) + (len(value[1]) + 3 if len(value) == 2 else 16) for key, value in positions.items())
    count = _shard_count(sizes, POSITION_SHARD_BYTES)
    shards: dict[int, list[str]] = defaultdict(list)
    for key in positions:
        shards[codec.shard_of(key, count)].append(key)
    files = []
    for number in sorted(shards):
        name = codec.shard_name(number, count)
        entries: dict[str, object] = {}
        split = 0
        for term in sorted(shards[number]):
            value = positions[term]
            if len(value) == 2:
                entries[term] = value[1]
                continue
            entries[term] = [split, value[0]]
            for j, piece in enumerate(value[1:]):
                piece_name = f"{name}-{split}-{j}"
                body = json.dumps(piece)
                files.append(
                    GeneratedFile(
                        f"search/positions/{piece_name}.js", _script_text(note, "positions", piece_name, body)
                    )
                )
            split += 1
        files.append(GeneratedFile(f"search/positions/{name}.js", _script(note, "positions", name, entries)))
    files.sort(key=lambda f: f.path)
    return count, files


def _levels(scores: Sequence[float], top: float, log_top: float) -> list[int]:
    """``codec.quantize`` of every score, inlined: it runs once per posting."""
    if top <= 0:
        return [1] * len(scores)
    levels = [round(codec.SCORE_LEVELS * math.log1p(s) / log_top) for s in scores]
    return [1 if level < 1 else codec.SCORE_LEVELS if level > codec.SCORE_LEVELS else level for level in levels]


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
        best = sorted(kept, key=lambda i: (-levels[i], -docs[i]))  # newer first among equals
        kept = sorted(best[:HOT_POSTINGS])
        tail = [codec.members(list(docs), count), levels[best[HOT_POSTINGS]]]
    encoded = []
    previous = 0
    for i in kept:
        encoded.append(codec.varint(docs[i] - previous) + codec.DIGITS[levels[i]])
        previous = docs[i]
    kept_docs = {docs[i] for i in kept} if tail else None
    surfaces = {}
    for surface, ids in postings.spellings():
        if ids is None:  # in every document of the term, so in every one kept
            surfaces[surface] = ""
            continue
        chosen = list(ids) if kept_docs is None else [d for d in ids if d in kept_docs]
        if chosen:
            surfaces[surface] = "" if len(chosen) == len(kept) else codec.deltas(chosen)
    return ["".join(encoded), surfaces, *tail]


def _display(article: Article, tags: Sequence[str], text: str) -> list[object]:
    summary = _SPACES.sub(" ", article.summary).strip()
    if summary and not text.startswith(summary[: max(1, len(summary) - 5)]):
        text = f"{summary} — {text}"
    if len(text) > SNIPPET_CHARS:
        cut = text.rfind(" ", 0, SNIPPET_CHARS)
        text = text[: cut if cut > 0 else SNIPPET_CHARS] + " …"
    date = article.date.isoformat() if article.date else ""
    return [article.slug, article.title, date, list(tags), article.source or "", text]
