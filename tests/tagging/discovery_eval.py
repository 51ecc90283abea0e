"""Measure the whole tagger (taxonomy + discovery) on text it was not tuned on.

Two sets, both read from ../shared (measurement only; nothing of them is copied):
- the discovery gold (tests/fixtures/tagging/discovery/gold.yml): 72 ANT articles annotated
  from the text alone by independent sessions (RULES.md beside it), split into `tune` and `heldout`,
  and 40 more articles annotated the same way later (`fresh`), never looked at while tuning;
- the ANERcorp test split (its last 25,008 tokens), cut into pseudo-articles at sentence ends.

Both are scored per article, as tags are: an entity the tagger gives an article is right when
the gold lists an entity of the same type that shares a spelling with it (normalised, without
proclitics or an administrative head such as «ولاية»). ANERcorp's LOC is our country + place,
and its gold spellings are the tagged token spans.

The tagger always runs over an archive: the gold articles together with every other article of
the same corpora, so that pass two can learn names across articles, as it does in a real build.

Run by hand:  .venv/bin/python -m tests.tagging.discovery_eval [--split tune] [--verbose]
"""

from __future__ import annotations

import argparse
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from builder.arabic import normalize
from builder.model import Article
from builder.tagging.archive import apply_discovery, discover_entities
from builder.tagging.discovery import Discovered, discover_in
from builder.tagging.lexicon import PLACE_HEADS_ADMIN
from builder.tagging.matching import find_matches, tag_article
from builder.taxonomy import Taxonomy, load_taxonomy

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "tests" / "fixtures" / "tagging" / "discovery" / "gold.yml"
CORPORA = REPO / ".." / "shared" / "corpora"
ANERCORP = CORPORA / "anercorp" / "ANERCorp.txt"
ANER_TEST_TOKENS = 25_008  # the published test split: the file's last 25,008 tokens
ANER_ARTICLE_TOKENS = 400  # pseudo-article size, cut at the next sentence end
TYPES = ("person", "organization", "place", "country")
_CLITICS = ("وال", "بال", "فال", "كال", "لل", "و", "ف", "ب", "ل", "ك")


def _field(name: str, text: str) -> str:
    found = re.search(rf"<{name}>(.*?)</{name}>", text, re.DOTALL)
    return found.group(1).strip() if found else ""


def ant_article(corpus: str, rel: str) -> Article:
    raw = (CORPORA / corpus / rel).read_text(encoding="utf-8", errors="replace")
    body = "\n\n".join(line.strip() for line in _field("TEXT", raw).splitlines() if line.strip())
    return Article(
        source_path=f"{corpus}:{rel}",
        slug=Path(rel).stem,
        title=_field("TITLE", raw),
        body=body,
        summary=_field("ABSTRACT", raw),
    )


def ant_archive() -> list[Article]:
    articles = []
    for corpus in ("ant-multisource", "ant-jawharafm"):
        for path in sorted((CORPORA / corpus).rglob("*.txt")):
            articles.append(ant_article(corpus, str(path.relative_to(CORPORA / corpus))))
    return articles


def keys(form: str) -> set[str]:
    """The normalised spellings a form may be compared by."""
    words = normalize(form).split()
    if not words:
        return set()
    found = {" ".join(words)}
    first = words[0]
    for clitic in _CLITICS:
        if first.startswith(clitic) and len(first) - len(clitic) >= 2:
            rest = (
                ("ال" + first[2:])
                if clitic == "لل"
                else ("ال" + first[3:] if clitic.endswith("ال") else first[len(clitic) :])
            )
            found.add(" ".join([rest, *words[1:]]))
    for key in list(found):
        head, _, rest = key.partition(" ")
        if head in PLACE_HEADS_ADMIN and rest:
            found.add(rest)
    return found


@dataclass(frozen=True)
class Tagged:
    """One article's entities as the tagger gives them: type -> list of spellings sets."""

    entities: dict[str, list[set[str]]]


def tag_archive(articles: Sequence[Article], taxonomy: Taxonomy) -> tuple[dict[str, Tagged], float]:
    """Tag every article as a build does (pass one, then pass two); the spellings of each
    entity in each article. Also the CPU seconds per article of tagging."""
    started = time.process_time()
    tagged: list[Article] = []
    found: list[tuple[str, Discovered]] = []
    for article in articles:
        with_tags, _ = tag_article(article, taxonomy)
        tagged.append(with_tags)
        found.append((article.source_path, discover_in(article.title, article.summary, article.body, taxonomy)))
    discovery = discover_entities(found, taxonomy, taxonomy.editorial)
    final = apply_discovery(tagged, discovery)
    per_article = (time.process_time() - started) / max(1, len(articles))
    result: dict[str, Tagged] = {}
    for article in final:
        text = "\n\n".join((article.title, article.summary, article.body))
        spelled: dict[tuple[str, str], set[str]] = defaultdict(set)
        for match in find_matches(text, taxonomy):
            for e in (match.entity,):
                spelled[(e.type, e.slug)] |= keys(text[match.start : match.end])
        for key, forms in discovery.forms.get(article.source_path, {}).items():
            for form in forms:
                spelled[key] |= keys(form)
        entities: dict[str, list[set[str]]] = defaultdict(list)
        for ref in article.entities:
            if ref.type in TYPES:
                entity = taxonomy.get(ref.type, ref.slug)
                names = set(keys(ref.name))
                if entity is not None:
                    for name in entity.names:
                        names |= keys(name)
                entities[ref.type].append(names | spelled.get((ref.type, ref.slug), set()))
        result[article.source_path] = Tagged(dict(entities))
    return result, per_article


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def __str__(self) -> str:
        return f"P {self.precision:.2f} R {self.recall:.2f} (tp {self.tp}, fp {self.fp}, fn {self.fn})"


def score_article(
    predicted: dict[str, list[set[str]]], gold: dict[str, list[set[str]]], scores: dict[str, Score]
) -> tuple[list[tuple[str, set[str]]], list[tuple[str, set[str]]]]:
    """Add one article to ``scores`` (its keys are the types scored); the wrong and the missed entities."""
    wrong: list[tuple[str, set[str]]] = []
    missed: list[tuple[str, set[str]]] = []
    for type_ in scores:
        golds = list(gold.get(type_, []))
        used = [False] * len(golds)
        for forms in predicted.get(type_, []):
            hit = next((i for i, g in enumerate(golds) if not used[i] and g & forms), None)
            if hit is None:
                scores[type_].fp += 1
                wrong.append((type_, forms))
            else:
                used[hit] = True
                scores[type_].tp += 1
        for i, g in enumerate(golds):
            if not used[i]:
                scores[type_].fn += 1
                missed.append((type_, g))
    return wrong, missed


def load_gold(split: str | None = None) -> list[tuple[str, str, dict[str, list[set[str]]]]]:
    """(corpus:path, split, type -> spellings of each gold entity)."""
    data = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    cases = []
    for item in data["articles"]:
        if split is not None and item["split"] != split:
            continue
        gold: dict[str, list[set[str]]] = defaultdict(list)
        for e in item["entities"]:
            forms = set().union(*(keys(f) for f in [e["name"], *e.get("forms", [])]))
            gold[e["type"]].append(forms)
        cases.append((item["file"], item["split"], dict(gold)))
    return cases


def evaluate_gold(
    taxonomy: Taxonomy, *, verbose: bool = False, splits: Iterable[str] = ("tune", "heldout", "fresh")
) -> dict[str, dict[str, Score]]:
    tagged, _ = tag_archive(ant_archive(), taxonomy)
    results: dict[str, dict[str, Score]] = {}
    for split in splits:
        scores = {t: Score() for t in TYPES}
        for path, _, gold in load_gold(split):
            wrong, missed = score_article(tagged[path].entities, gold, scores)
            if verbose and (wrong or missed):
                print(path)
                for type_, forms in wrong:
                    print("   wrong: ", type_, sorted(forms)[:3])
                for type_, forms in missed:
                    print("   missed:", type_, sorted(forms)[:3])
        results[split] = scores
    return results


def aner_articles(path: Path = ANERCORP, part: str = "test") -> list[tuple[Article, dict[str, list[set[str]]]]]:
    """The ANERcorp test split (or, ``part="tune"``, as many tokens of its training part right
    before it: rules are tuned there, never on the test split) as pseudo-articles, each with its
    gold entities."""
    lines = [line.rstrip("\n") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [line.rsplit(None, 1) if len(line.split()) >= 2 else [line, "O"] for line in lines]
    rows = rows[-ANER_TEST_TOKENS:] if part == "test" else rows[-2 * ANER_TEST_TOKENS : -ANER_TEST_TOKENS]
    mapping = {"PERS": "person", "ORG": "organization", "LOC": "location"}
    out: list[tuple[Article, dict[str, list[set[str]]]]] = []
    chunk: list[tuple[str, str]] = []

    def close() -> None:
        text = " ".join(token for token, _ in chunk)
        gold: dict[str, list[set[str]]] = defaultdict(list)
        span: list[str] = []
        kind = ""
        for token, tag in [*chunk, ("", "O")]:
            if tag.startswith("B-") or tag == "O" or (tag.startswith("I-") and tag[2:] != kind):
                if span and kind in mapping:
                    forms = keys(" ".join(span))
                    if not any(forms & g for g in gold[mapping[kind]]):
                        gold[mapping[kind]].append(forms)
                span, kind = ([token], tag[2:]) if tag != "O" else ([], "")
            else:
                span.append(token)
        number = len(out) + 1
        out.append(
            (Article(source_path=f"anercorp:{number}", slug=f"a{number}", title="", body=text, summary=""), dict(gold))
        )

    for token, tag in rows:
        chunk.append((token, tag))
        if len(chunk) >= ANER_ARTICLE_TOKENS and token in (".", "!", "؟", "?"):
            close()
            chunk = []
    if chunk:
        close()
    return out


def evaluate_aner(taxonomy: Taxonomy, *, verbose: bool = False, part: str = "test") -> dict[str, Score]:
    cases = aner_articles(part=part)
    tagged, _ = tag_archive([a for a, _ in cases], taxonomy)
    scores = {t: Score() for t in ("person", "organization", "location")}
    for article, gold in cases:
        predicted = dict(tagged[article.source_path].entities)
        predicted["location"] = predicted.pop("place", []) + predicted.pop("country", [])
        wrong, missed = score_article(predicted, gold, scores)
        if verbose:
            for type_, forms in wrong:
                print("   wrong: ", type_, sorted(forms)[:2])
            for type_, forms in missed:
                print("   missed:", type_, sorted(forms)[:2])
    return scores


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("tune", "heldout", "fresh"), action="append")
    parser.add_argument("--aner", action="store_true", help="also score the ANERcorp test split")
    parser.add_argument(
        "--aner-tune", action="store_true", help="score the 25,008 ANERcorp training tokens before the test split"
    )
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    taxonomy = load_taxonomy()
    splits = args.split or (() if args.aner_tune else ("tune",))
    for split, scores in evaluate_gold(taxonomy, verbose=args.verbose, splits=splits).items():
        for type_, s in scores.items():
            print(f"gold {split:8} {type_:13} {s}")
    if args.aner:
        for type_, s in evaluate_aner(taxonomy, verbose=args.verbose).items():
            print(f"anercorp test  {type_:13} {s}")
    if args.aner_tune:
        for type_, s in evaluate_aner(taxonomy, verbose=args.verbose, part="tune").items():
            print(f"anercorp tune  {type_:13} {s}")


if __name__ == "__main__":
    main()
