"""The Python analyzer against the shared vectors, its properties, and parity
with the JS analyzer on generated text (the JS side of the vectors:
tests/js/analyzer.test.js)."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from builder.arabic import normalize
from builder.search.analyzer import (
    MAX_TOKEN,
    STOP_WORDS,
    alternative,
    analyze,
    analyze_token,
    fold_hamza,
    search_normalize,
    stem,
    token_list,
    token_terms,
)

from .helpers import ASSETS, FIXTURES, node

VECTORS = json.loads((FIXTURES / "vectors.json").read_text(encoding="utf-8"))
PUNCTUATION = "،؛؟«»\"()#_.,:;!?-/[]{}'“”…"


def test_vectors_hold_at_least_200_words() -> None:
    assert len(VECTORS["words"]) >= 200


@pytest.mark.parametrize("case", VECTORS["checked"], ids=lambda c: c["input"])
def test_lucene_stemmer_cases(case: dict[str, str]) -> None:
    assert stem(fold_hamza(normalize(case["input"]))) == case["stem"]


@pytest.mark.parametrize("case", VECTORS["words"], ids=lambda c: c["input"])
def test_word_vectors(case: dict[str, str | None]) -> None:
    assert isinstance(case["input"], str)
    normalized = normalize(case["input"])
    assert normalized == case["normalized"]
    assert search_normalize(case["input"]) == case["token"]
    assert case["token"].replace("ى", "ي") == normalized
    analyzed = analyze_token(case["token"])
    if case["surface"] is None:
        assert analyzed is None
    else:
        assert analyzed == (case["surface"], case["stem"], case["alt"])


@pytest.mark.parametrize("case", VECTORS["texts"], ids=lambda c: c["text"][:20])
def test_text_vectors(case: dict[str, object]) -> None:
    assert isinstance(case["text"], str)
    words = [[w.position, w.surface, w.stem, w.alt] for w in analyze(case["text"])]
    assert words == case["words"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(بريكست)", ["بريكست"]),
        ("#قطاع_غزة", ["قطاع", "غزه"]),
        ("«الحكومة»،", ["الحكومه"]),
        ("؟ماذا؛", ["ماذا"]),
    ],
)
def test_punctuation_never_sticks_to_words(text: str, expected: list[str]) -> None:
    assert [w.surface for w in analyze(text)] == expected


def test_stop_words_are_normalised() -> None:
    assert all(search_normalize(word) == word for word in STOP_WORDS)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("على", []),
        ("عَلَى", []),
        ("ﻋﻠﻰ", []),
        ("علي", ["علي"]),
        ("عَلِيّ", ["علي"]),
        ("إلى", []),
        ("فى هى الذى التى", []),  # stop words typed with ى for a final ي
        ("آلي", ["الي"]),
        ("التقى علي بعلى", ["التقي", "علي", "بعلي"]),
        ("وعلى وعلي", ["وعلي"]),
    ],
)
def test_the_name_ali_is_not_the_stop_word_ala(text: str, kept: list[str]) -> None:
    # على and علي normalise alike, but stop words are matched before ى → ي.
    assert [w.surface for w in analyze(text)] == kept


def test_variants_of_one_word_share_a_term() -> None:
    forms = ["الحكومة", "الحكومه", "الحُكُومَة", "الحكـــومة", "والحكومة", "بالحكومة", "حكومة", "للحكومة"]
    term_sets = [set(analyze(form)[0].terms) for form in forms]
    assert set.intersection(*term_sets)


def test_wa_prefix_keeps_an_alternative() -> None:
    assert alternative("وزير") == "وزير"
    assert stem("الوزير") == "وزير"


arabic_text = st.text(
    alphabet=st.sampled_from(
        "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأؤإئىة"
        "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640\u0670"
        "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹0123456789ﻻﺍﺑ\u200c\u200f ی ک ۀ"
        "abcXYZ" + PUNCTUATION
    ),
    max_size=60,
)


@given(arabic_text)
def test_tokens_hold_no_punctuation_or_marks(text: str) -> None:
    for word in analyze(text):
        assert word.surface
        assert not any(ch in PUNCTUATION for ch in word.surface)
        assert not any(unicodedata.category(ch).startswith("M") for ch in word.surface)
        assert len(word.surface) <= MAX_TOKEN


@given(arabic_text)
def test_analysis_is_stable_under_normalisation(text: str) -> None:
    # Indexing a normalised copy must give the same terms as the original. Not across ى: search keeps it on
    # purpose, since it alone tells a stop word from a name (على / علي), and normalize() folds it (هى → هي).
    assume("ى" not in text)
    assert [w.terms for w in analyze(normalize(text))] == [w.terms for w in analyze(text)]


@given(st.text(alphabet="ابتجحدرسعفقكلمنهوي", min_size=1, max_size=12))
def test_stem_only_shortens(word: str) -> None:
    stemmed = stem(word)
    assert len(stemmed) <= len(word)
    assert stemmed in word


_JS_DUMP = """
const a = require(process.argv[1]);
const texts = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(texts.map(t => a.analyze(t).map(w => [w.position, w.surface, w.stem, w.alt]))));
"""


def _js_analyze(texts: list[str]) -> list[list[list[object]]]:
    result = subprocess.run(
        [node(), "-e", _JS_DUMP, str(ASSETS / "analyzer.js")],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    answer: list[list[list[object]]] = json.loads(result.stdout)
    return answer


@settings(max_examples=15, deadline=None)
@given(st.lists(arabic_text, min_size=20, max_size=40))
def test_python_and_js_analyzers_agree(texts: list[str]) -> None:
    python = [[[w.position, w.surface, w.stem, w.alt] for w in analyze(t)] for t in texts]
    assert _js_analyze(texts) == python


def test_js_constants_match_python() -> None:
    script = (
        "const a = require(process.argv[1]);"
        "process.stdout.write(JSON.stringify({stop: [...a.STOP_WORDS].sort(), max: a.MAX_TOKEN}));"
    )
    result = subprocess.run(
        [node(), "-e", script, str(ASSETS / "analyzer.js")], capture_output=True, text=True, check=True
    )
    js = json.loads(result.stdout)
    assert js["max"] == MAX_TOKEN
    assert sorted(js["stop"]) == sorted(STOP_WORDS)


def test_js_digit_table_matches_python_unicode_data() -> None:
    digits = (chr(c) for c in range(sys.maxunicode + 1))
    zeros = [ord(ch) for ch in digits if unicodedata.category(ch) == "Nd" and unicodedata.decimal(ch) == 0]
    source = (ASSETS / "analyzer.js").read_text(encoding="utf-8")
    table = source.split("var DIGIT_ZEROS = [", 1)[1].split("]", 1)[0]
    assert [int(x, 16) for x in table.split(",")] == zeros


@given(arabic_text)
def test_search_normalize_is_normalize_but_for_alef_maqsura(text: str) -> None:
    assert search_normalize(text).replace("ى", "ي") == normalize(text)
    assert search_normalize(search_normalize(text)) == search_normalize(text)


@given(arabic_text)
def test_the_memoized_token_path_agrees_with_analyze(text: str) -> None:
    fast = [found for token in token_list(search_normalize(text)) if (found := token_terms(token)) is not None]
    assert [(w.surface, w.stem, w.terms) for w in analyze(text)] == fast
