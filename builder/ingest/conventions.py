"""News-wire conventions, read across one ingest batch.

Per item (see :mod:`builder.wire` for the forms):

* a desk prefix leaves the title and becomes a topic tag («سياسي / …» → «سياسي»);
* a dateline at the start of the body leaves the body for the ``dateline`` key.
  Its date becomes the article's date when the item has none; a disagreement of
  more than a day with the item's own date is reported. Its agency becomes the
  source when the item names none;
* wire trailers («// انتهى //», «13:53 ت م», a closing «(واس)») go;
* an outlet identifier (``was``) becomes its display name.

Across the batch:

* a continuation («… / إضافة أولى») is joined to the item it continues, when that
  item is in the batch (same source, same base title, dates at most a day
  apart); otherwise it is kept, its suffix moved from the title to a note;
* lines learned as boilerplate of each source (:mod:`builder.recurring`) leave
  the edges of its articles.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from builder.arabic import normalize_words
from builder.ingest.records import Candidate, Item, Outcome
from builder.recurring import Learned, learn, report_lines, sample, strip_edges, tally
from builder.wire import Outlets, WireTitle, date_disagreement, default_outlets, read_body, split_title

JOIN_WINDOW = dt.timedelta(days=1)
_ORDINALS = ("أولى", "ثانية", "ثالثة", "رابعة", "خامسة", "سادسة", "سابعة", "ثامنة", "تاسعة", "عاشرة")


@dataclass(frozen=True)
class Applied:
    """The batch after the conventions: items to write, continuations joined, learned lines."""

    items: list[Item]
    joined: list[Outcome]
    learned: list[dict[str, object]]


def _paragraphs(body: str) -> list[str]:
    return [p for p in body.split("\n\n") if p.strip()]


def read_wire(candidate: Candidate, outlets: Outlets) -> tuple[Candidate, WireTitle]:
    """One item with its wire conventions read: title, dateline, trailers, outlet."""
    title = split_title(candidate.title)
    warnings = list(candidate.warnings)
    tags = candidate.tags + ((title.desk,) if title.desk and title.desk not in candidate.tags else ())
    body = read_body(_paragraphs(candidate.body), outlets=outlets) if not candidate.markdown else None
    dateline = body.dateline if body is not None else None
    date, source = candidate.date, candidate.source
    if dateline is not None:
        if date is None:
            date = dateline.date
        elif (warning := date_disagreement(date.date, dateline)) is not None:
            warnings.append(warning)
        if source is None and dateline.agency:
            source = dateline.agency
    rewritten = replace(
        candidate,
        title=title.title or candidate.title,
        body="\n\n".join(body.paragraphs) if body is not None else candidate.body,
        date=date,
        source=outlets.display(source) if source else None,
        tags=tags,
        dateline=dateline.text if dateline is not None else candidate.dateline,
        warnings=tuple(warnings),
    )
    return rewritten, title


def _order(continuation: str) -> int:
    """Where a continuation goes: numbered ones in order, «أخيرة» and running coverage last."""
    words = normalize_words(continuation).split()
    for number, ordinal in enumerate(_ORDINALS, start=1):
        if normalize_words(ordinal) in words:
            return number
    return len(_ORDINALS) + 1


def _related(base: Candidate, part: Candidate) -> bool:
    """Same outlet (a part without a dateline may name none) and at most a day apart."""
    if base.source and part.source and base.source != part.source:
        return False
    if base.date is None or part.date is None:
        return base.date is None and part.date is None
    return abs(base.date.date - part.date.date) <= JOIN_WINDOW


def join_continuations(
    items: Sequence[tuple[Candidate, WireTitle]],
) -> tuple[list[Candidate], list[Outcome]]:
    """Continuations joined to the item they continue, or kept with a note."""
    bases: dict[str, list[int]] = defaultdict(list)
    for index, (candidate, title) in enumerate(items):
        if title.continuation is None:
            bases[normalize_words(candidate.title)].append(index)
    extra: dict[int, list[tuple[int, int, Candidate]]] = defaultdict(list)
    joined: list[Outcome] = []
    kept: dict[int, Candidate] = {}
    for index, (candidate, title) in enumerate(items):
        if title.continuation is None:
            kept[index] = candidate
            continue
        base = next(
            (b for b in bases.get(normalize_words(candidate.title), ()) if _related(items[b][0], candidate)), None
        )
        if base is None:
            kept[index] = replace(candidate, note=title.continuation)
            continue
        extra[base].append((_order(title.continuation), index, candidate))
        reason = f"joined to {items[base][0].origin} ({title.continuation})"
        joined.append(Outcome(candidate.origin, "joined", reason=reason, warnings=candidate.warnings))
    for base, parts in extra.items():
        bodies = [kept[base].body, *(part.body for _, _, part in sorted(parts, key=lambda p: (p[0], p[1])))]
        kept[base] = replace(kept[base], body="\n\n".join(b for b in bodies if b.strip()))
    return [kept[index] for index in sorted(kept)], joined


def group_of(candidate: Candidate) -> str:
    """Whose boilerplate an item shares: its source, else its input file (a feed
    export) or its input folder (one page per file)."""
    if candidate.source:
        return candidate.source
    origin = candidate.origin
    return origin.rsplit("#", 1)[0] if "#" in origin else posixpath.dirname(origin)


def drop_learned(candidates: Sequence[Candidate]) -> tuple[list[Candidate], list[dict[str, object]]]:
    """Each source's learned boilerplate gone from its items' edges, and the report of it."""
    groups = [group_of(c) for c in candidates]
    paragraphs = [_paragraphs(c.body) for c in candidates]
    learned: Learned = learn(sample(g, p) for g, p in zip(groups, paragraphs, strict=True))
    kept: list[Candidate] = []
    removed: list[tuple[str, list[str]]] = []
    for candidate, group, parts in zip(candidates, groups, paragraphs, strict=True):
        body, dropped = strip_edges(parts, learned.for_group(group))
        if dropped:
            removed.append((group, dropped))
            candidate = replace(candidate, body="\n\n".join(body))
        kept.append(candidate)
    counts, shown = tally(removed)
    return kept, report_lines(learned, counts, shown)


def apply_conventions(items: Sequence[Item], outlets: Outlets | None = None) -> Applied:
    """The wire conventions applied to a batch; rejected items pass through untouched."""
    outlets = outlets or default_outlets()
    read = [read_wire(item, outlets) for item in items if isinstance(item, Candidate)]
    candidates, joined = join_continuations(read)
    candidates, learned = drop_learned(candidates)
    rejected = [item for item in items if not isinstance(item, Candidate)]
    return Applied([*candidates, *rejected], joined, learned)
