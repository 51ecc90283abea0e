"""Quality gate: precision and recall of the tagger against the hand-checked gold file."""

from __future__ import annotations

import pytest

from builder.taxonomy import load_taxonomy
from tests.tagging.gold_eval import ANT, SOURCE, load_gold, score

MIN_PRECISION = 0.90
MIN_RECALL = 0.85


def test_the_gold_file_has_at_least_40_articles() -> None:
    assert len(load_gold()) >= 40


def test_the_gold_file_has_no_duplicates_and_only_known_entities() -> None:
    cases = load_gold()
    assert len({(c.corpus, c.path) for c in cases}) == len(cases)
    taxonomy = load_taxonomy()
    known = {f"{e.type}:{e.name}" for e in taxonomy.entities}
    for case in cases:
        assert case.expected <= known, (case.path, sorted(case.expected - known))


@pytest.mark.parametrize("corpus", ["sample", pytest.param("ant-multisource", marks=pytest.mark.corpus)])
def test_precision_and_recall(corpus: str) -> None:
    cases = [c for c in load_gold() if c.corpus == corpus]
    if corpus == "ant-multisource" and not ANT.exists():
        pytest.skip(f"{ANT} is absent: the shared corpora live next to the repository (../shared)")
    if corpus == "sample":
        missing = [c.path for c in cases if not (SOURCE / c.path).exists()]
        if missing:
            pytest.fail(f"gold articles missing from source/: {missing}")
    if not cases:
        pytest.skip(f"no gold articles from {corpus}")
    result = score(cases, load_taxonomy(), verbose=True)
    print(f"{corpus}: {len(cases)} articles, precision {result.precision:.3f}, recall {result.recall:.3f}")
    assert result.precision >= MIN_PRECISION
    assert result.recall >= MIN_RECALL
