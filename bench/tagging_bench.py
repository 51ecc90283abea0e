"""Tagging benchmark: CPU per article, the archive pass's growth, and quality on unseen text.

Speed (CPU time of this process, one core):
- per article, on a synthetic archive (bench/synth.py) at each size: the taxonomy tagger
  and pass one of discovery (what the reading workers do), then pass two over the archive;
- per article on real news copy: every article of ../shared/corpora's ANT sets, when present.

Quality (when ../shared is present): per-type precision and recall of the whole tagger on the
discovery gold set (tune, held-out and fresh parts) and on the ANERcorp test split; see
tests/tagging/discovery_eval.py for how they are scored.

    .venv/bin/python bench/tagging_bench.py [--sizes 1k,10k] [--out bench/results/tagging.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import synth  # noqa: E402

from builder.cleaning import default_rules  # noqa: E402
from builder.model import Article  # noqa: E402
from builder.modeling import model_article  # noqa: E402
from builder.readers import read_file  # noqa: E402
from builder.tagging.archive import apply_discovery, discover_entities  # noqa: E402
from builder.tagging.discovery import discover_in  # noqa: E402
from builder.tagging.lexicon import lexicon  # noqa: E402
from builder.tagging.matching import tag_article  # noqa: E402
from builder.taxonomy import Taxonomy, load_taxonomy  # noqa: E402


def cpu_per_article(articles: Sequence[Article], taxonomy: Taxonomy) -> dict[str, float]:
    """Milliseconds of CPU per article: taxonomy tagging, pass one, pass two."""
    tagged, found = [], []
    started = time.process_time()
    for article in articles:
        tagged.append(tag_article(article, taxonomy)[0])
    taxonomy_done = time.process_time()
    for article in tagged:
        found.append((article.source_path, discover_in(article.title, article.summary, article.body, taxonomy)))
    pass_one_done = time.process_time()
    apply_discovery(tagged, discover_entities(found, taxonomy, taxonomy.editorial))
    done = time.process_time()
    n = max(1, len(articles))
    return {
        "articles": len(articles),
        "taxonomy_ms": round(1000 * (taxonomy_done - started) / n, 3),
        "pass_one_ms": round(1000 * (pass_one_done - taxonomy_done) / n, 3),
        "pass_two_ms": round(1000 * (done - pass_one_done) / n, 3),
        "total_ms": round(1000 * (done - started) / n, 3),
        "pass_two_s": round(done - pass_one_done, 3),
    }


def synthetic(size: int) -> list[Article]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        synth.write_corpus(size, root, synth.default_material())
        rules = default_rules()
        articles = []
        for path in sorted(root.rglob("*.md")):
            article, _ = model_article(read_file(path, path.relative_to(root).as_posix()), rules)
            if article is not None:
                articles.append(article)
        return articles


def parse_sizes(text: str) -> list[int]:
    return [int(part[:-1]) * 1000 if part.endswith("k") else int(part) for part in text.split(",") if part]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,10k", help="synthetic archive sizes (default: 1k,10k)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "tagging.json")
    args = parser.parse_args(argv)
    taxonomy = load_taxonomy()
    lexicon()  # loaded once per process, as in a worker: not part of the per-article cost
    result: dict[str, object] = {"synthetic": {}}
    for size in parse_sizes(args.sizes):
        numbers = cpu_per_article(synthetic(size), taxonomy)
        result["synthetic"][str(size)] = numbers  # type: ignore[index]
        print(f"synthetic {size:>6}: {numbers}")

    from tests.tagging import discovery_eval as evaluation

    if evaluation.CORPORA.exists():
        numbers = cpu_per_article(evaluation.ant_archive(), taxonomy)
        result["ant_news"] = numbers
        print(f"ANT news copy: {numbers}")
        quality: dict[str, dict[str, dict[str, float]]] = {}
        for split, scores in evaluation.evaluate_gold(taxonomy).items():
            quality[f"gold-{split}"] = {t: {"precision": s.precision, "recall": s.recall} for t, s in scores.items()}
        if evaluation.ANERCORP.exists():
            scores = evaluation.evaluate_aner(taxonomy)
            quality["anercorp-test"] = {t: {"precision": s.precision, "recall": s.recall} for t, s in scores.items()}
        result["quality"] = quality
        for name, by_type in quality.items():
            for type_, s in by_type.items():
                print(f"{name:14} {type_:13} precision {s['precision']:.2f} recall {s['recall']:.2f}")
    else:
        print(f"quality skipped: {evaluation.CORPORA} is absent (the shared corpora live next to the repository)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
