"""Arabic number agreement by CLDR's six plural categories.

The category of a count comes from CLDR's Arabic rule, as Babel ships it:
0 zero, 1 one, 2 two, n % 100 in 3..10 few, n % 100 in 11..99 many, anything
else (100, 101, 102, 1000…) other. Each category asks for its own form of the
counted noun: «إحاطة واحدة»، «إحاطتان»، «3 إحاطات»، «11 إحاطةً»، «100 إحاطة».

``docs/assets/search/plurals.js`` implements the same rule for the search page;
both are checked against one file of vectors (``tests/fixtures/plurals/vectors.json``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from babel import Locale

CATEGORIES = ("zero", "one", "two", "few", "many", "other")

_ARABIC_RULE = Locale("ar").plural_form


@functools.lru_cache(maxsize=4096)  # archives count the same small numbers again and again
def plural_category(count: int) -> str:
    """CLDR's plural category of ``count`` in Arabic (one of ``CATEGORIES``)."""
    return str(_ARABIC_RULE(count))


@dataclass(frozen=True)
class Noun:
    """A counted noun in the form each plural category takes."""

    zero: str  # no numeral: «لا إحاطات»
    one: str  # no numeral, with the adjective «واحد(ة)»: «إحاطة واحدة»
    two: str  # the dual, no numeral: «إحاطتان»
    few: str  # 3–10: the plural, «3 إحاطات»
    many: str  # 11–99: the accusative singular (tamyiz), «11 إحاطةً»
    other: str  # 100, 101, 102…: the genitive singular, «100 إحاطة»

    def counted(self, count: int, shown: str | None = None) -> str:
        """``count`` of this noun; ``shown`` is the numeral as written (default: ASCII digits)."""
        category = plural_category(count)
        if category in ("zero", "one", "two"):
            return str(getattr(self, category))
        number = str(count) if shown is None else shown
        return f"{number} {getattr(self, category)}"


BRIEFING = Noun(zero="لا إحاطات", one="إحاطة واحدة", two="إحاطتان", few="إحاطات", many="إحاطةً", other="إحاطة")
ARTICLE = Noun(zero="لا مقالات", one="مقال واحد", two="مقالان", few="مقالات", many="مقالًا", other="مقال")
