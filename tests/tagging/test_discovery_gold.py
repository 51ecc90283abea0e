"""Discovery measured on text it was not written for: the gold set stays sound, and the
measured quality does not fall below where it stands.

The floors sit a little under the numbers measured when the discovery code last changed
(README, «Entity discovery»); they guard against regressions, they are not the issue's
targets, most of which are not met yet. Both sets live in ../shared (measurement only);
the tests skip when it is absent.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml

from builder.taxonomy import Taxonomy, load_taxonomy
from tests.conftest import require_shared
from tests.tagging import discovery_eval as evaluation

# (set, type): (precision floor, recall floor). Measured: see the README.
FLOORS = {
    ("tune", "person"): (0.88, 0.71),
    ("tune", "organization"): (0.62, 0.56),
    ("tune", "place"): (0.76, 0.62),
    ("tune", "country"): (0.94, 0.89),
    ("heldout", "person"): (0.73, 0.62),
    ("heldout", "organization"): (0.55, 0.54),
    ("heldout", "place"): (0.65, 0.69),
    ("heldout", "country"): (0.90, 0.86),
    ("fresh", "person"): (0.72, 0.64),
    ("fresh", "organization"): (0.58, 0.53),
    ("fresh", "place"): (0.71, 0.65),
    ("fresh", "country"): (0.89, 0.90),
    ("anercorp", "person"): (0.68, 0.34),
    ("anercorp", "organization"): (0.42, 0.30),
    ("anercorp", "location"): (0.56, 0.78),
}


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    require_shared()
    return load_taxonomy()


@pytest.fixture(scope="module")
def scores(taxonomy: Taxonomy) -> Iterator[dict[str, dict[str, evaluation.Score]]]:
    results = evaluation.evaluate_gold(taxonomy)
    if evaluation.ANERCORP.exists():
        results["anercorp"] = evaluation.evaluate_aner(taxonomy)
    yield results


def test_the_gold_set_is_large_enough_split_and_points_at_real_articles() -> None:
    require_shared()
    data = yaml.safe_load(evaluation.GOLD.read_text(encoding="utf-8"))
    articles = data["articles"]
    assert len(articles) >= 60
    splits = [a["split"] for a in articles]
    assert splits.count("tune") >= 30 and splits.count("heldout") >= 30 and splits.count("fresh") >= 40
    assert len({a["file"] for a in articles}) == len(articles), "an article is annotated twice"
    for article in articles:
        corpus, rel = article["file"].split(":", 1)
        assert (evaluation.CORPORA / corpus / rel).is_file(), article["file"]
        for entity in article["entities"]:
            assert entity["type"] in evaluation.TYPES and entity["name"].strip(), (article["file"], entity)
    assert (evaluation.GOLD.parent / "RULES.md").is_file(), "the annotation rules stay beside the gold"


def test_the_gold_set_uses_no_article_of_the_taxonomy_gold() -> None:
    require_shared()
    discovery = {a["file"] for a in yaml.safe_load(evaluation.GOLD.read_text(encoding="utf-8"))["articles"]}
    older = evaluation.GOLD.parent.parent / "gold.yml"
    if not older.exists():
        pytest.skip(f"{older} is absent")
    assert not discovery & {a["file"] for a in yaml.safe_load(older.read_text(encoding="utf-8"))["articles"]}


@pytest.mark.parametrize(("split", "type_"), sorted(FLOORS))
def test_quality_stays_above_its_floor(scores: dict[str, dict[str, evaluation.Score]], split: str, type_: str) -> None:
    if split not in scores:
        pytest.skip(f"{evaluation.ANERCORP} is absent")
    score = scores[split][type_]
    precision, recall = FLOORS[(split, type_)]
    assert score.precision >= precision, f"{split} {type_}: {score}"
    assert score.recall >= recall, f"{split} {type_}: {score}"
