"""Related briefings, scored like Hugo's related content, in near-linear time.

Two articles are related by the entities they share. Each shared entity adds
``weight(type) × idf(entity)``: a person says more than an organisation, which
says more than a topic, a place, a country; and an entity that almost every
article carries (قطر in a Qatar archive) says almost nothing, so its inverse
document frequency shrinks it, and above a cardinality threshold it is dropped.
Ties go to the nearer date, then to the slug, so the result is deterministic.

Comparing every article with every other is quadratic, and a large archive is
dense (a briefing names dozens of entities, many of them shared with a good part
of the archive), so candidates come from an inverted index, entity → articles
in date order, with caps that only bind on a large archive:

* an article looks for candidates through its strongest entities first (the
  highest weight: rare people and organisations), and stops once it has
  ``BUDGET`` candidates; common entities could rarely lift a candidate past
  those, and still count in its exact score;
* through one entity, only the ``WINDOW`` articles nearest in date order are
  candidates (ties go to the nearer date anyway).

Candidates are first ranked by the score through the entities used; the best
``SHORTLIST × limit`` of them (ties at the cut included) get their exact score,
over every entity the two articles share, and the final order. When no cap binds
(every entity used on at most ``WINDOW`` other articles, fewer than ``BUDGET``
candidates), this is exactly the all-pairs result. The cost is about
``N × (BUDGET + SHORTLIST × limit × entities per article)``, and the memory the
index (one integer per article and entity).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Sequence

from builder.arabic import normalize_words
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
BUDGET = 200  # candidates per article: its entities are used strongest first until this many are found
WINDOW = 48  # candidates through one entity: the articles nearest in date order
SHORTLIST = 3  # × limit: candidates that get their exact score
_UNDATED_DISTANCE = 10**9  # an undated article is "far" from every date
_UNDATED_ORDINAL = 10**8  # sorts after every date (dt.date.max is 3,652,059)

_Key = tuple[str, str]


def _identity(article: Article) -> tuple[str, str]:
    """Two articles with this in common are the same briefing (a duplicate)."""
    title = normalize_words(article.title)
    return (title, article.date.isoformat() if article.date else "")


def _distance(a: int, b: int) -> int:
    if a == _UNDATED_ORDINAL or b == _UNDATED_ORDINAL:
        return _UNDATED_DISTANCE
    return abs(a - b)


def related_articles(
    articles: Sequence[Article], limit: int = 5, *, budget: int = BUDGET, window: int = WINDOW
) -> dict[str, tuple[str, ...]]:
    """slug -> up to ``limit`` related slugs, best first; every slug is a key.

    Independent of the input order: articles are first put in date order
    (undated last, then by slug), and everything below works on that order."""
    ordinals = {id(a): a.date.toordinal() if a.date else _UNDATED_ORDINAL for a in articles}
    ordered = sorted(articles, key=lambda a: (ordinals[id(a)], a.slug, a.source_path))
    total = len(ordered)
    ordinal = [ordinals[id(a)] for a in ordered]
    slugs = [a.slug for a in ordered]

    frequency: dict[_Key, int] = defaultdict(int)
    for article in ordered:
        for key in {(e.type, e.slug) for e in article.entities}:
            frequency[key] += 1

    def weight(key: _Key) -> float:
        df = frequency[key]
        if total >= MIN_ARTICLES_FOR_THRESHOLD and df / total > CARDINALITY_THRESHOLD:
            return 0.0
        # Smoothed IDF: positive even for an entity on every article of a tiny archive.
        return WEIGHTS.get(key[0], 1.0) * math.log(1 + total / df)

    # Entities that count, as small integers numbered strongest first (then in key
    # order): an article's sorted numbers are its entities in the order they are
    # used, and every float sum below adds them in that one fixed order.
    strength = {key: weight(key) for key in frequency}
    counted = sorted((key for key in frequency if strength[key] > 0), key=lambda k: (-strength[k], k))
    entity_id = {key: number for number, key in enumerate(counted)}
    weights = [strength[key] for key in counted]
    keys_of: list[list[int]] = []
    postings: list[list[int]] = [[] for _ in counted]  # entity -> articles, in date order
    for index, article in enumerate(ordered):
        keys = sorted({entity_id[k] for k in ((e.type, e.slug) for e in article.entities) if k in entity_id})
        keys_of.append(keys)
        for number in keys:
            postings[number].append(index)

    identities: dict[int, tuple[str, str]] = {}

    def identity(index: int) -> tuple[str, str]:
        found = identities.get(index)
        if found is None:
            found = identities[index] = _identity(ordered[index])
        return found

    weight_of = weights.__getitem__
    same_slug = len(set(slugs)) < total  # two articles with one slug never relate to each other
    wanted = limit * SHORTLIST
    result: dict[str, tuple[str, ...]] = {}
    for index, keys in enumerate(keys_of):
        # Partial scores: through the strongest entities first, until enough
        # candidates are found, and through each only the nearest in date order.
        scores: dict[int, float] = {}
        capped = False
        for number in keys:
            if len(scores) > budget:
                capped = True
                break
            holders = postings[number]
            if len(holders) > window + 1:
                capped = True
                at = bisect_left(holders, index)
                start = min(max(at - window // 2, 0), len(holders) - window - 1)
                holders = holders[start : start + window + 1]
            w = weights[number]
            get = scores.get
            for other in holders:
                scores[other] = get(other, 0.0) + w
        scores.pop(index, None)
        if same_slug:
            scores = {other: score for other, score in scores.items() if slugs[other] != slugs[index]}
        if not scores:
            result[slugs[index]] = ()
            continue
        mine = set(keys)

        def score_of(
            other: int,
            mine: set[int] = mine,
            capped: bool = capped,
            scores: dict[int, float] = scores,
        ) -> float:
            """The exact score; the partial one is exact when no cap was reached
            (the same additions in the same order)."""
            if capped:
                # In number order, as the partial sums were added.
                return round(sum(map(weight_of, sorted(mine.intersection(keys_of[other])))), 9)
            return round(scores[other], 9)

        # Only the best few partial scores (all ties at the cut included) get the full ordering.
        if len(scores) > wanted:
            cutoff = sorted(scores.values(), reverse=True)[wanted - 1]
            pool = [other for other, score in scores.items() if score >= cutoff - 1e-6]
            rounded = {other: score_of(other) for other in pool}
            if not capped:  # as if every candidate were rounded first
                least = round(cutoff, 9)
                pool = [other for other in pool if rounded[other] >= least]
        else:
            pool = list(scores)
            rounded = {other: score_of(other) for other in pool}
        here = ordinal[index]

        def order(other: int, here: int = here, rounded: dict[int, float] = rounded) -> tuple[float, int, str]:
            return (-rounded[other], _distance(here, ordinal[other]), slugs[other])

        pool.sort(key=order)
        chosen = _pick(pool, identity, slugs, identity(index), limit)
        if len(chosen) < limit and len(pool) < len(scores):  # copies used up the pool: take them all
            rounded.update((other, score_of(other)) for other in scores if other not in rounded)
            chosen = _pick(sorted(scores, key=order), identity, slugs, identity(index), limit)
        result[slugs[index]] = tuple(chosen)
    return result


def _pick(
    ordered: Sequence[int],
    identity: Callable[[int], tuple[str, str]],
    slugs: Sequence[str],
    own_identity: tuple[str, str],
    limit: int,
) -> list[str]:
    """The first ``limit`` distinct briefings: two copies of one take one place."""
    chosen: list[str] = []
    seen = {own_identity}
    for other in ordered:
        if slugs[other] in chosen:
            continue
        found = identity(other)
        if found not in seen:
            chosen.append(slugs[other])
            seen.add(found)
        if len(chosen) == limit:
            break
    return chosen
