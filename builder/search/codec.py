"""Compact encodings of the index, mirrored by ``docs/assets/search/engine.js``.

* ``shard_of``: FNV-1a (32 bit) of the term's UTF-8 bytes, masked to the
  shard count (a power of two).
* Numbers are written as varints of 64-letter digits: each digit carries 5 bits,
  and digits ≥ 32 mean "more digits follow", least significant first.
* A score is one digit, 1–63, on a log scale up to the index's largest score.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from itertools import accumulate

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
SCORE_LEVELS = 63


def fnv1a(text: str) -> int:
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value ^= byte
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


def shard_of(term: str, shards: int) -> int:
    return fnv1a(term) & (shards - 1)


def varint(number: int) -> str:
    if 0 <= number < len(_SMALL):
        return _SMALL[number]
    return _varint(number)


def _varint(number: int) -> str:
    if number < 0:
        raise ValueError(f"varint of a negative number: {number}")
    out = []
    while True:
        low = number & 31
        number >>= 5
        if number:
            out.append(DIGITS[low | 32])
        else:
            out.append(DIGITS[low])
            return "".join(out)


_SMALL = tuple(_varint(n) for n in range(4096))


def decode_varints(text: str) -> list[int]:
    numbers: list[int] = []
    value = shift = 0
    for char in text:
        digit = DIGITS.index(char)
        value |= (digit & 31) << shift
        if digit & 32:
            shift += 5
        else:
            numbers.append(value)
            value = shift = 0
    return numbers


def deltas(sorted_numbers: Iterable[int]) -> str:
    """Ascending numbers as varint gaps from the previous one (from 0)."""
    small = _SMALL
    limit = len(small)
    previous = 0
    parts = []
    for number in sorted_numbers:
        gap = number - previous
        parts.append(small[gap] if 0 <= gap < limit else _varint(gap))
        previous = number
    return "".join(parts)


def members(sorted_ids: list[int], count: int) -> str:
    """A set of document ids, as gaps or, when shorter, as a bitmap: ``~``
    then 6 documents per digit (bit ``k`` of digit ``i`` is document ``6i+k``)."""
    gaps = deltas(sorted_ids)
    if len(gaps) <= count // 6 + 2:
        return gaps
    bits = bytearray((count + 5) // 6)
    for doc_id in sorted_ids:
        bits[doc_id // 6] |= 1 << (doc_id % 6)
    return "~" + "".join(DIGITS[b] for b in bits)


def decode_members(text: str) -> list[int]:
    if not text.startswith("~"):
        return list(accumulate(decode_varints(text)))
    return [6 * i + k for i, ch in enumerate(text[1:]) for k in range(6) if DIGITS.index(ch) >> k & 1]


def quantize(score: float, top: float) -> int:
    """Score → 1..63 on a log scale (never 0: a posting always counts)."""
    if top <= 0:
        return 1
    level = round(SCORE_LEVELS * math.log1p(score) / math.log1p(top))
    return max(1, min(SCORE_LEVELS, level))


def dequantize(level: int, top: float) -> float:
    return math.expm1(level / SCORE_LEVELS * math.log1p(top))


def shard_name(number: int, shards: int) -> str:
    """Hex name, padded so every name of one index has the same length."""
    width = max(1, (shards.bit_length() - 1 + 3) // 4)
    return f"{number:0{width}x}"
