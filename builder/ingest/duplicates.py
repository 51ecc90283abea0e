"""Exact and near-duplicate bodies.

Exact: the same body after :func:`builder.arabic.normalize` and white space
folding. Near: word-shingle Jaccard similarity of at least 0.9. MinHash with
LSH banding (a fixed seed, so results never vary) proposes candidate pairs,
and the exact Jaccard of the shingle sets decides, so the threshold is exact.

Items are compared in the order given; callers pass them sorted by input path,
so the kept copy is always the first in that order.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from builder.arabic import normalize

NEAR_THRESHOLD = 0.9
SHINGLE_WORDS = 3
PERMUTATIONS = 64
BANDS = 16  # 16 bands of 4 rows: pairs at 0.9 similarity meet with p > 0.999
_ROWS = PERMUTATIONS // BANDS
_PRIME = (1 << 61) - 1
_SEED = 20240229
_rng = random.Random(_SEED)  # noqa: S311 - fixed hash coefficients, not secrets
_COEFFS = tuple((_rng.randrange(1, _PRIME), _rng.randrange(0, _PRIME)) for _ in range(PERMUTATIONS))
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
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class Match:
    index: int  # the later item
    original: int  # the earlier item it duplicates
    similarity: float  # 1.0 for an exact duplicate


def find_duplicates(bodies: Sequence[str]) -> dict[int, Match]:
    """Map each duplicate's index to the earliest item it repeats."""
    exact: dict[str, int] = {}
    buckets: dict[tuple[int, tuple[int, ...]], list[int]] = {}
    sets: dict[int, frozenset[int]] = {}
    found: dict[int, Match] = {}
    for index, body in enumerate(bodies):
        key = fingerprint(body)
        if key in exact:
            found[index] = Match(index, exact[key], 1.0)
            continue
        exact[key] = index
        grams = shingles(body)
        signature = minhash(grams)
        bands = [(band, signature[band * _ROWS : (band + 1) * _ROWS]) for band in range(BANDS)]
        candidates = sorted({other for band in bands for other in buckets.get(band, [])})
        best: Match | None = None
        for other in candidates:
            similarity = jaccard(grams, sets[other])
            if similarity >= NEAR_THRESHOLD:
                best = Match(index, other, similarity)
                break  # the earliest original wins
        if best is not None:
            found[index] = best
            continue
        sets[index] = grams
        for band in bands:
            buckets.setdefault(band, []).append(index)
    return found
