"""Exact and near-duplicate bodies.

Exact: the same body after :func:`builder.arabic.normalize` and white space
folding. Near: word-shingle Jaccard similarity of at least 0.9. MinHash with
LSH banding (a fixed seed, so results never vary) proposes candidate pairs,
and the exact Jaccard of the shingle sets decides, so the threshold is exact.

The work per item is bounded, so a batch of many mutually similar records (a
template feed, where nearly every pair shares some bucket) stays near-linear:
a bucket keeps its first MAX_BUCKET members, and an item is compared exactly
with at most MAX_CHECKS candidates, those sharing the most bands (a pair at
0.9 similarity shares ~10.5 of the 16 bands, one at 0.8 ~6.5). With fewer
candidates than that, which is every ordinary batch, every candidate is compared.
Items of one template share every band, so each item is also bucketed by its
rare shingles, which set it apart from the template (see _rare_keys).

Items are compared in the order given; callers pass them sorted by input path,
so the kept copy is always the first in that order.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from builder.arabic import normalize

NEAR_THRESHOLD = 0.9
SHINGLE_WORDS = 3
PERMUTATIONS = 64
BANDS = 16  # 16 bands of 4 rows: pairs at 0.9 similarity meet with p > 0.999
_ROWS = PERMUTATIONS // BANDS
MAX_BUCKET = 100  # members kept per bucket
MAX_CHECKS = 50  # exact comparisons per item
RARE_KEYS = 8  # single-row buckets of rare shingles
_PRIME = (1 << 61) - 1
_SEED = 20240229
_rng = random.Random(_SEED)  # noqa: S311 - fixed hash coefficients, not secrets
_COEFFS = tuple((_rng.randrange(1, _PRIME), _rng.randrange(0, _PRIME)) for _ in range(PERMUTATIONS))
_RARE = _COEFFS[:RARE_KEYS]
_WORD = re.compile(r"\w+")


def fingerprint(body: str) -> str:
    """The exact-duplicate key of a body."""
    folded = " ".join(_WORD.findall(normalize(body)))
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def shingles(body: str) -> frozenset[int]:
    words = _WORD.findall(normalize(body))
    if len(words) < SHINGLE_WORDS:
        grams = [" ".join(words)] if words else []
    else:
        grams = [" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)]
    return frozenset(int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "big") for g in grams)


def minhash(items: frozenset[int]) -> tuple[int, ...]:
    if not items:
        return (0,) * PERMUTATIONS
    return tuple(min((a * x + b) % _PRIME for x in items) for a, b in _COEFFS)


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a and not b:
        return 1.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def _could_match(a: frozenset[int], b: frozenset[int]) -> bool:
    """Jaccard is at most the smaller set's size over the larger's: skip the rest."""
    small, large = sorted((len(a), len(b)))
    return not large or small >= NEAR_THRESHOLD * large


_Band = tuple[int, tuple[int, ...]]  # (band number, its rows of the signature)


@dataclass(frozen=True)
class Match:
    index: int  # the later item
    original: int  # the earlier item it duplicates
    similarity: float  # 1.0 for an exact duplicate


def find_duplicates(bodies: Sequence[str]) -> dict[int, Match]:
    """Map each duplicate's index to the earliest item it repeats."""
    exact: dict[str, int] = {}
    found: dict[int, Match] = {}
    firsts: dict[int, frozenset[int]] = {}
    for index, body in enumerate(bodies):
        key = fingerprint(body)
        if key in exact:
            found[index] = Match(index, exact[key], 1.0)
        else:
            exact[key] = index
            firsts[index] = shingles(body)
    frequency: Counter[int] = Counter()
    for grams in firsts.values():
        frequency.update(grams)
    buckets: dict[_Band, list[int]] = {}
    sets: dict[int, frozenset[int]] = {}
    for index, grams in firsts.items():
        signature = minhash(grams)
        bands = [(band, signature[band * _ROWS : (band + 1) * _ROWS]) for band in range(BANDS)]
        bands += _rare_keys(grams, frequency)
        best: Match | None = None
        for other in _candidates(bands, buckets):
            if not _could_match(grams, sets[other]):
                continue
            similarity = jaccard(grams, sets[other])
            if similarity >= NEAR_THRESHOLD:
                best = Match(index, other, similarity)
                break  # the earliest original wins
        if best is not None:
            found[index] = best
            continue
        sets[index] = grams
        for band in bands:
            members = buckets.setdefault(band, [])
            if len(members) < MAX_BUCKET:
                members.append(index)
    return dict(sorted(found.items()))


def _rare_keys(grams: frozenset[int], frequency: Counter[int]) -> list[_Band]:
    """Buckets by the item's rare shingles (in at most MAX_BUCKET bodies of the batch).

    Items of one template share every ordinary band, and a crowded bucket keeps
    only its first members; the shingles that set an item apart from its
    template still bring its near-duplicates together, in buckets no larger
    than MAX_BUCKET (each member holds the bucket's shingle)."""
    rare = [gram for gram in grams if frequency[gram] <= MAX_BUCKET]
    if not rare:
        return []
    return [(BANDS + number, (min((a * x + b) % _PRIME for x in rare),)) for number, (a, b) in enumerate(_RARE)]


def _candidates(bands: list[tuple[int, tuple[int, ...]]], buckets: dict[_Band, list[int]]) -> list[int]:
    """Earlier items sharing a bucket with this one, in order; the MAX_CHECKS sharing most bands.

    A shared rare-shingle bucket outweighs every ordinary band: it is what sets
    an item apart from the many that share its template."""
    shared: dict[int, int] = {}
    for band in bands:
        weight = 1 if band[0] < BANDS else BANDS + 1
        for other in buckets.get(band, ()):
            shared[other] = shared.get(other, 0) + weight
    if len(shared) <= MAX_CHECKS:
        return sorted(shared)
    return sorted(sorted(shared, key=lambda other: (-shared[other], other))[:MAX_CHECKS])
