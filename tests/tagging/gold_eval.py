"""Score the tagger against the hand-checked gold file (shared by the test and by hand).

Run by hand for a per-article diff:  .venv/bin/python -m tests.tagging.gold_eval
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from builder.model import Article
from builder.tagging.matching import tag_article
from builder.taxonomy import Taxonomy, load_taxonomy

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "tests" / "fixtures" / "tagging" / "gold.yml"
SHARED = REPO / ".." / "shared"
ANT = SHARED / "corpora" / "ant-multisource"
SOURCE = REPO / "source"


@dataclass(frozen=True)
class Case:
    corpus: str  # "sample" (the repo's source/) or "ant-multisource"
    path: str
    expected: frozenset[str]  # "type:canonical name"


def load_gold(path: Path = GOLD) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = []
    for item in data["articles"]:
        corpus, _, rel = item["file"].partition(":")
        cases.append(Case(corpus, rel, frozenset(item["entities"])))
    return cases


def _field(name: str, text: str) -> str:
    found = re.search(rf"<{name}>(.*?)</{name}>", text, re.DOTALL)
    return found.group(1).strip() if found else ""


def ant_article(rel: str) -> Article:
    """An ANT file (TREC-like pseudo-XML) as an Article: title, abstract, text."""
    raw = (ANT / rel).read_text(encoding="utf-8")
    body = "\n\n".join(line.strip() for line in _field("TEXT", raw).splitlines() if line.strip())
    return Article(
        source_path=rel, slug=Path(rel).stem, title=_field("TITLE", raw), body=body, summary=_field("ABSTRACT", raw)
    )


def sample_article(rel: str) -> Article:
    """A file of the sample corpus, read and cleaned by the pipeline's own reader."""
    from builder.modeling import model_article
    from builder.readers import read_file

    article, problems = model_article(read_file(SOURCE / rel, rel))
    if article is None:
        raise AssertionError(f"{rel}: {'; '.join(str(p) for p in problems)}")
    return article


def article_for(case: Case) -> Article:
    return ant_article(case.path) if case.corpus == "ant-multisource" else sample_article(case.path)


def predicted(article: Article, taxonomy: Taxonomy) -> frozenset[str]:
    tagged, _ = tag_article(article, taxonomy)
    return frozenset(f"{e.type}:{e.name}" for e in tagged.entities)


@dataclass(frozen=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


def score(cases: list[Case], taxonomy: Taxonomy, *, verbose: bool = False) -> Score:
    tp = fp = fn = 0
    for case in cases:
        got = predicted(article_for(case), taxonomy)
        tp += len(got & case.expected)
        fp += len(got - case.expected)
        fn += len(case.expected - got)
        if verbose and got != case.expected:
            print(f"{case.corpus}:{case.path}")
            print("   extra:  ", sorted(got - case.expected))
            print("   missing:", sorted(case.expected - got))
    return Score(tp, fp, fn)


if __name__ == "__main__":
    taxonomy = load_taxonomy()
    cases = [c for c in load_gold() if c.corpus != "ant-multisource" or ANT.exists()]
    result = score(cases, taxonomy, verbose=True)
    print(f"{len(cases)} articles: precision {result.precision:.3f}, recall {result.recall:.3f} {result}")
