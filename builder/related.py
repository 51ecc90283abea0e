"""Related briefings, scored like Hugo's related content.

Two articles are related by the entities they share. Each shared entity adds
``weight(type) × idf(entity)``: a person says more than an organisation, which
says more than a topic, a place, a country; and an entity that almost every
article carries (قطر in a Qatar archive) says almost nothing, so its inverse
document frequency shrinks it, and above a cardinality threshold it is dropped.
Ties go to the nearer date, then to the slug, so the result is deterministic.
"""

from __future__ import annotations

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


def _distance(a: Article, b: Article) -> int:
    if a.date is None or b.date is None:
        return _UNDATED_DISTANCE
    return abs(a.date.toordinal() - b.date.toordinal())


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
    result: dict[str, tuple[str, ...]] = {}
    for index, article in enumerate(articles):
        scores: dict[int, float] = defaultdict(float)
        for key in sorted(keys_of[index]):  # sorted: float sums in a fixed order
            for other in holders.get(key, ()):
                scores[other] += weights[key]
        candidates = [other for other, score in scores.items() if score > 0 and articles[other].slug != article.slug]
        candidates.sort(key=lambda o: (-round(scores[o], 9), _distance(article, articles[o]), articles[o].slug))
        chosen: list[str] = []
        seen = {identities[index]}
        for other in candidates:
            slug = articles[other].slug
            # Two copies of one briefing take one place in the list.
            if slug not in chosen and identities[other] not in seen:
                chosen.append(slug)
                seen.add(identities[other])
            if len(chosen) == limit:
                break
        result[article.slug] = tuple(chosen)
    return result
