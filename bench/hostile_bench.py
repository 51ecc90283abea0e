"""Time every hostile input of the fault campaign (issue 16) at full size.

Each input is one source file, alone in a folder: the sizes the campaign
used, and files at the builder's size limit. For each, the worst of a few
runs of the builder stage (``pipeline.load_article``: read, clean, model, tag,
search record) and of rendering the body it gave with Python-Markdown and the
site's extensions (what MkDocs does with it). The README states the bound:
any one source file is published or rejected within the worst of these.

    python bench/hostile_bench.py [--out bench/results/hostile.json] [--runs 2]

Nothing here asserts a time: the numbers are for reading.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import cast

import markdown  # type: ignore[import-untyped]

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from run import machine_info

from builder.cleaning import default_rules
from builder.pipeline import SourceFile, Tagging, load_article
from builder.readers import MAX_FILE_BYTES
from builder.taxonomy import load_taxonomy

EXTENSIONS = ["attr_list", "md_in_html", "admonition", "tables", "toc"]
HEAD = "---\ntitle: عنوان\ndate: 2024-01-01\n---\n\n"


def _article(body: str, head: str = HEAD) -> bytes:
    return (head + body + "\n").encode("utf-8")


def _fill(unit: str, budget: int) -> str:
    """``unit`` repeated to just under ``budget`` bytes of UTF-8 (with the header)."""
    room = budget - len(HEAD.encode()) - 1
    return unit * (room // len(unit.encode()))


def hostile_inputs(scale: float = 1.0) -> dict[str, bytes]:
    """File name → bytes of each hostile input; ``scale`` shrinks the counts
    (the fast tests use a small one, the fault tests and the bench 1)."""

    def n(count: int) -> int:
        return max(1, int(count * scale))

    limit = int(MAX_FILE_BYTES * scale)
    return {
        "emphasis.md": _article("*" * n(10_000) + "نص" + "*" * n(10_000)),
        "emphasis-words.md": _article("*أ " * n(10_000) + "نص" + " أ*" * n(10_000)),
        "images.md": _article("![" * n(40_000)),
        "brackets.md": _article("[" * n(100_000)),
        "nested-links.md": _article("[" * n(10_000) + "نص" + "](https://example.org)" * n(10_000)),
        "entities.md": _article("&amp;" * n(500_000)),
        "quotes.md": _article("> " * n(10_000) + "نص"),
        "quote-lines.md": _article("\n".join(">" * depth + " نص" for depth in range(1, n(2_000)))),
        "list.md": _article("- " * n(10_000) + "نص"),
        "ordered-list.md": _article("1. " * n(10_000) + "نص"),
        "open-targets.md": _article("[نص](https://example.org/ " * n(20_000)),
        "code-spans.md": _article("`ن`" * n(100_000)),
        "plain-marks.txt": ("عنوان\n\n" + "&*[_`<\\" * n(100_000)).encode(),
        "limit-emphasis.md": _article(_fill("*", limit)),
        "limit-brackets.md": _article(_fill("[", limit)),
        "limit-entities.md": _article(_fill("&amp;", limit)),
        "limit-words.md": _article(_fill("كلمة ", limit)),
        "limit-lines.txt": ("عنوان\n\n" + _fill("سطر قصير.\n", limit)).encode(),
        "tags.md": _article(
            "نص عن tags.", HEAD.replace("date:", "tags: [" + ", ".join(f"و{i}" for i in range(n(10_000))) + "]\ndate:")
        ),
        "date-2107.md": _article("نص عن date-2107.", HEAD.replace("2024-01-01", "2107-01-01")),
        "date-9999.md": _article("نص عن date-9999.", HEAD.replace("2024-01-01", "9999-12-31")),
        "date-overflow.md": _article("نص عن date-overflow.", HEAD.replace("2024-01-01", "9999-12-31T23:00:00-05:00")),
        "date-1900.md": _article("نص عن date-1900.", HEAD.replace("2024-01-01", "1900-01-01")),
        "title-diacritics.md": _article("نص عن title-diacritics.", HEAD.replace("عنوان", "\u064e\u064f\u0650\u0651")),
        "too-big.md": _article(_fill("ك", limit + 1024)),
    }


def _worst(runs: int, work: Callable[[], object]) -> tuple[float, object]:
    worst, result = 0.0, cast(object, None)
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        worst = max(worst, time.perf_counter() - started)
    return worst, result


def measure(runs: int = 2) -> dict[str, object]:
    tagging = Tagging(load_taxonomy())
    rules = default_rules()
    files: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, data in hostile_inputs().items():
            path = Path(folder) / name
            path.write_bytes(data)
            source = SourceFile(path, name)
            load: Callable[[], object] = functools.partial(load_article, source, rules=rules, tagging=tagging)
            seconds, loaded = _worst(runs, load)
            article = getattr(loaded, "article", None)
            problems = getattr(loaded, "problems", ())
            render_s = 0.0
            if article is not None:
                render: Callable[[], object] = functools.partial(markdown.markdown, article.body, extensions=EXTENSIONS)
                render_s, _ = _worst(1, render)
            files[name] = {
                "bytes": len(data),
                "outcome": "published" if article is not None else "rejected",
                "builder_s": round(seconds, 3),
                "markdown_s": round(render_s, 3),
                "messages": sorted({p.message for p in problems})[:3],
            }
            outcome = files[name]["outcome"]
            print(f"{name:22} {len(data):>9,} B  {outcome:9}  builder {seconds:6.2f} s  markdown {render_s:6.2f} s")
            path.unlink()
    worst_builder = max(float(f["builder_s"]) for f in files.values())  # type: ignore[arg-type]
    worst_markdown = max(float(f["markdown_s"]) for f in files.values())  # type: ignore[arg-type]
    return {
        "machine": machine_info(),
        "runs": runs,
        "worst_builder_s": worst_builder,
        "worst_markdown_s": worst_markdown,
        "files": files,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results" / "hostile.json")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args(argv)
    result = measure(args.runs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"worst: builder stage {result['worst_builder_s']} s, Python-Markdown {result['worst_markdown_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
