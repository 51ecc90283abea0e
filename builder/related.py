"""Related briefings, scored like Hugo's related content.

Two articles are related by the entities they share. Each shared entity adds
``weight(type) × idf(entity)``: a person says more than an organisation, which
says more than a topic, a place, a country; and an entity that almost every
article carries (قطر in a Qatar archive) says almost nothing, so its inverse
document frequency shrinks it, and above a cardinality threshold it is dropped.
Ties go to the nearer date, then to the slug, so the result is deterministic.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Sequence

from builder.arabic import normalize
from builder.model import Article

WEIGHTS: dict[str, float] = {
    "person": 10.0,
    "organization": 8.0,
    "topic": 6.0,
    "place": 4.0,
    "country": 3.0,
}
# An entity on more than this share of the articles is ignored (once the archive is
# big enough for a share to mean anything).
CARDINALITY_THRESHOLD = 0.5
MIN_ARTICLES_FOR_THRESHOLD = 10
_UNDATED_DISTANCE = 10**9  # an undated article is "far" from every date


def _identity(article: Article) -> tuple[str, str]:
    """Two articles with this in common are the same briefing (a duplicate)."""
    title = " ".join(normalize(article.title).split())
    return (title, article.date.isoformat() if article.date else "")


def _ordinal(article: Article) -> int | None:
    return article.date.toordinal() if article.date else None


def _distance(a: int | None, b: int | None) -> int:
    if a is None or b is None:
        return _UNDATED_DISTANCE
    return abs(a - b)


def related_articles(articles: Sequence[Article], limit: int = 5) -> dict[str, tuple[str, ...]]:
    """slug -> up to ``limit`` related slugs, best first; every slug is a key."""
    total = len(articles)
    frequency: dict[tuple[str, str], int] = defaultdict(int)
    keys_of: list[frozenset[tuple[str, str]]] = []
    for article in articles:
        keys = frozenset((e.type, e.slug) for e in article.entities)
        keys_of.append(keys)
        for key in keys:
            frequency[key] += 1

    def weight(key: tuple[str, str]) -> float:
        df = frequency[key]
        if total >= MIN_ARTICLES_FOR_THRESHOLD and df / total > CARDINALITY_THRESHOLD:
            return 0.0
        # Smoothed IDF: positive even for an entity on every article of a tiny archive.
        return WEIGHTS.get(key[0], 1.0) * math.log(1 + total / df)

    weights = {key: weight(key) for key in frequency}
    holders: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, keys in enumerate(keys_of):
        for key in keys:
            if weights[key] > 0:
                holders[key].append(index)

    identities = [_identity(a) for a in articles]
    ordinals = [_ordinal(a) for a in articles]
    slugs = [a.slug for a in articles]
    result: dict[str, tuple[str, ...]] = {}
    for index, article in enumerate(articles):
        scores: dict[int, float] = defaultdict(float)
        for key in sorted(keys_of[index]):  # sorted: float sums in a fixed order
            for other in holders.get(key, ()):
                scores[other] += weights[key]
        rounded = {o: round(s, 9) for o, s in scores.items() if s > 0 and slugs[o] != article.slug}
        here = ordinals[index]

        def order(other: int, here: int | None = here, rounded: dict[int, float] = rounded) -> tuple[float, int, str]:
            return (-rounded[other], _distance(here, ordinals[other]), slugs[other])

        # Only the best few scores (all ties at the cut included) need the full ordering;
        # sorting every candidate made this step the slowest of a large build.
        pool = list(rounded)
        wanted = limit * 3
        if len(pool) > wanted:
            cutoff = heapq.nlargest(wanted, rounded.values())[-1]
            pool = [other for other in pool if rounded[other] >= cutoff]
        pool.sort(key=order)
        chosen = _pick(pool, identities, slugs, identities[index], limit)
        if len(chosen) < limit and len(pool) < len(rounded):  # copies used up the pool: take them all
            chosen = _pick(sorted(rounded, key=order), identities, slugs, identities[index], limit)
        result[article.slug] = tuple(chosen)
    return result


def _pick(
    ordered: Sequence[int],
    identities: Sequence[tuple[str, str]],
    slugs: Sequence[str],
    own_identity: tuple[str, str],
    limit: int,
) -> list[str]:
    """The first ``limit`` distinct briefings: two copies of one take one place."""
    chosen: list[str] = []
    seen = {own_identity}
    for other in ordered:
        if slugs[other] not in chosen and identities[other] not in seen:
            chosen.append(slugs[other])
            seen.add(identities[other])
        if len(chosen) == limit:
            break
    return chosen
