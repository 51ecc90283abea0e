"""Boilerplate learned per source: lines that open or close many stories of one outlet.

No phrase list knows every outlet's share bar, contact line or signature, but
each outlet repeats its own. A paragraph is *learned boilerplate* for a group
(the articles of one ``source``, or of one folder of plain files) when:

* it stands among the first or the last ``EDGE_PARAGRAPHS`` paragraphs;
* it has at most ``MAX_WORDS`` words (a long paragraph that recurs is a story
  published twice, not a footer);
* compared by :func:`line_key` (Arabic normalisation, every number folded to
  ``0``, punctuation and Latin case ignored), it recurs in at least
  ``MIN_STORIES`` *different stories* of the group, and in at least
  ``MIN_SHARE`` of them. Two articles are the same story when their longest
  paragraphs are equal: an updated wire item repeats its lede, so a lede
  repeated across updates never counts as boilerplate.

A learned line is removed only from the edge inwards: the first paragraphs are
dropped while each is learned (or holds no letters, like ``-----``), and the
same from the end. A line an author repeats mid-article (a recurring
subheading) is never reached, and a sentence that merely names the outlet is a
different line.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from builder.arabic import normalize

EDGE_PARAGRAPHS = 3
MAX_WORDS = 80
MIN_STORIES = 3
MIN_SHARE = 0.02

_NUMBER = re.compile(r"\d+(?:[.,٫]\d+)*")
_NOT_WORD = re.compile(r"[^\w]+|_")


def line_key(line: str) -> str:
    """The form lines are compared in: normalised, numbers folded, punctuation gone."""
    folded = _NUMBER.sub("0", normalize(line).lower())
    return " ".join(_NOT_WORD.sub(" ", folded).split())


@dataclass(frozen=True)
class EdgeSample:
    """What one article tells the learner: its group, the story it tells, and
    the keys of its first and last paragraphs."""

    group: str
    story: str
    keys: frozenset[str]


def sample(group: str, paragraphs: Sequence[str]) -> EdgeSample:
    """The edge sample of one article's paragraphs (blank ones already gone)."""
    edges = {*range(min(EDGE_PARAGRAPHS, len(paragraphs)))}
    edges |= {*range(max(0, len(paragraphs) - EDGE_PARAGRAPHS), len(paragraphs))}
    keys = set()
    for index in sorted(edges):
        paragraph = paragraphs[index]
        if len(paragraph.split()) <= MAX_WORDS:
            key = line_key(paragraph)
            if key:
                keys.add(key)
    longest = max(paragraphs, key=len, default="")
    story = hashlib.sha1(line_key(longest).encode("utf-8")).hexdigest()[:16]
    return EdgeSample(group, story, frozenset(keys))


@dataclass(frozen=True)
class Learned:
    """The learned lines of every group, with how many stories carried each."""

    lines: Mapping[str, frozenset[str]] = field(default_factory=dict)
    stories: Mapping[tuple[str, str], int] = field(default_factory=dict)  # (group, key) -> stories

    def for_group(self, group: str) -> frozenset[str]:
        return self.lines.get(group, frozenset())


def lines_fingerprint(lines: frozenset[str]) -> str:
    """Changes whenever a group's learned lines do (a cache key part)."""
    text = "\n".join(sorted(lines))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16] if text else ""


def learn(samples: Iterable[EdgeSample]) -> Learned:
    """Learn every group's boilerplate from its articles' edge samples."""
    stories_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    group_stories: dict[str, set[str]] = defaultdict(set)
    for item in samples:
        group_stories[item.group].add(item.story)
        for key in item.keys:
            stories_of[(item.group, key)].add(item.story)
    lines: dict[str, set[str]] = defaultdict(set)
    counts: dict[tuple[str, str], int] = {}
    for (group, key), stories in stories_of.items():
        needed = max(MIN_STORIES, MIN_SHARE * len(group_stories[group]))
        if len(stories) >= needed:
            lines[group].add(key)
            counts[(group, key)] = len(stories)
    return Learned({group: frozenset(keys) for group, keys in sorted(lines.items())}, dict(sorted(counts.items())))


def strip_edges(paragraphs: Sequence[str], learned: frozenset[str]) -> tuple[list[str], list[str]]:
    """``paragraphs`` without the learned lines at either edge, and what was removed."""
    if not learned or not paragraphs:
        return list(paragraphs), []
    keys = [line_key(p) if len(p.split()) <= MAX_WORDS else None for p in paragraphs]
    start = _edge_run(keys, learned, range(len(keys)))
    end = len(keys) - _edge_run(keys, learned, range(len(keys) - 1, start - 1, -1))
    if all(key == "" for key in keys[start:end]):
        return list(paragraphs), []  # nothing but learned lines: not ours to empty
    removed = [*paragraphs[:start], *paragraphs[end:]]
    return list(paragraphs[start:end]), removed


def _edge_run(keys: Sequence[str | None], learned: frozenset[str], order: Iterable[int]) -> int:
    """How many paragraphs, walking ``order`` from an edge, are learned lines or
    letterless separators (``-----``) next to one."""
    length = 0
    for run, index in enumerate(order, start=1):
        key = keys[index]
        if key is None or (key and key not in learned):
            break
        if key or length:
            length = run
    return length


def report_lines(
    learned: Learned, removed: Mapping[tuple[str, str], int], shown: Mapping[str, str]
) -> list[dict[str, object]]:
    """The report's entries: per group and line, the line as first seen and how often it was dropped."""
    return [
        {
            "source": group,
            "line": shown.get(key, key),
            "dropped": count,
            "stories": learned.stories.get((group, key), 0),
        }
        for (group, key), count in sorted(removed.items(), key=lambda item: (item[0][0], -item[1], item[0][1]))
    ]


def tally(removed_by_group: Iterable[tuple[str, Sequence[str]]]) -> tuple[Counter[tuple[str, str]], dict[str, str]]:
    """Count dropped lines per (group, key) and keep each key's first spelling."""
    counts: Counter[tuple[str, str]] = Counter()
    shown: dict[str, str] = {}
    for group, lines in removed_by_group:
        for line in lines:
            key = line_key(line)
            if key:
                counts[(group, key)] += 1
                shown.setdefault(key, line)
    return counts, shown
