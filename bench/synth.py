"""Deterministic synthetic corpus: N realistic Arabic articles in the source format.

Sentences, titles, outlets and tags come from the sample corpus in ``source/``
(read at run time); names come from ``builder/data/taxonomy.yml`` when it
exists. Article ``i`` depends only on the seed and ``i``, so the first 1,000
articles of a 10,000-article corpus are the 1,000-article corpus.

    python bench/synth.py N OUTDIR [--seed S] [--source DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SEED = 20260101
FIRST_DAY = dt.date(2006, 1, 1)
DAYS = 20 * 365  # dates spread over twenty years
UNDATED_SHARE = 0.03  # some articles carry no date at all
TAXONOMY_TYPES = ("country", "place", "person", "organization", "topic")
_SENTENCE_END = re.compile(r"(?<=[.!؟])\s+")


class SynthError(Exception):
    """The sample corpus cannot feed the generator."""


@dataclass(frozen=True)
class Material:
    """What articles are recombined from."""

    sentences: tuple[str, ...]
    titles: tuple[str, ...]
    subheadings: tuple[str, ...]
    outlets: tuple[tuple[str, str], ...]  # (outlet, url host)
    tags: tuple[str, ...]
    names: dict[str, tuple[str, ...]]  # taxonomy type -> canonical names


@dataclass(frozen=True)
class SynthArticle:
    relative: str  # path under the output folder
    text: str


def _split_front_matter(text: str) -> tuple[dict[str, object], str]:
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            meta = yaml.safe_load(text[4:end]) or {}
            return (meta if isinstance(meta, dict) else {}), text[end + 4 :]
    return {}, text


def _host(url: object) -> str:
    match = re.match(r"https?://([^/]+)/", str(url or ""))
    return match.group(1) if match else "example.org"


def read_material(source_dir: Path, taxonomy: Path | None) -> Material:
    """Read the sample corpus and the taxonomy. I/O at the edge of the module."""
    sentences: list[str] = []
    titles: list[str] = []
    subheadings: list[str] = []
    outlets: set[tuple[str, str]] = set()
    tags: set[str] = set()
    for path in sorted(p for p in source_dir.rglob("*") if p.suffix in {".md", ".txt"} and p.is_file()):
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        if path.suffix == ".md":
            meta, body = _split_front_matter(text)
            if meta.get("title"):
                titles.append(str(meta["title"]))
            if meta.get("source"):
                outlets.add((str(meta["source"]), _host(meta.get("url"))))
            raw_tags = meta.get("tags")
            if isinstance(raw_tags, list):
                tags.update(str(t) for t in raw_tags)
        else:
            first, _, body = text.strip().partition("\n")
            titles.append(first.strip())
        for line in body.split("\n"):
            line = line.strip().replace("\xa0", " ")
            if not line:
                continue
            if line.startswith("#"):
                subheadings.append(line.lstrip("# ").strip())
                continue
            for sentence in _SENTENCE_END.split(line):
                if len(sentence.split()) >= 6 and sentence[-1] in ".!؟":
                    sentences.append(sentence)
    if len(sentences) < 20 or not titles:
        raise SynthError(f"{source_dir}: too few sample articles to recombine (found {len(sentences)} sentences)")
    names: dict[str, tuple[str, ...]] = {}
    if taxonomy is not None and taxonomy.is_file():
        data = yaml.safe_load(taxonomy.read_text(encoding="utf-8")) or {}
        for kind in TAXONOMY_TYPES:
            entries = data.get(kind) or []
            names[kind] = tuple(str(e["name"]) for e in entries if isinstance(e, dict) and e.get("name"))
    return Material(
        sentences=tuple(sentences),
        titles=tuple(titles),
        subheadings=tuple(subheadings) or ("تفاصيل إضافية",),
        outlets=tuple(sorted(outlets)) or (("وكالة الأنباء", "example.org"),),
        tags=tuple(sorted(tags)),
        names=names,
    )


_LINKING_SENTENCES = (
    "وبحث الجانبان مع {person} في {place} آخر التطورات المتعلقة بملف {topic}.",
    "وأكد {person} أن {country} تتابع عن كثب ملف {topic} بالتنسيق مع {organization}.",
    "وشارك ممثلون عن {organization} في الاجتماع الذي عقد في {place} لبحث {topic}.",
    "وقال مصدر دبلوماسي في {place} إن المشاورات مع {country} ستتواصل خلال الأسابيع المقبلة.",
    "وجدد {person} دعوته إلى تعزيز التعاون الإقليمي في مجال {topic}.",
)
_TITLE_TEMPLATES = (
    "{person} يبحث مع نظيره ملف {topic}",
    "{country} و{organization} تبحثان {topic}",
    "اجتماع في {place} حول {topic}",
    "{person} في {place} لبحث العلاقات مع {country}",
)


def _pick(rng: random.Random, material: Material, kind: str, fallback: Sequence[str]) -> str:
    pool = material.names.get(kind) or tuple(fallback)
    return rng.choice(pool)


def _fill(rng: random.Random, material: Material, template: str) -> str:
    return template.format(
        person=_pick(rng, material, "person", ("المتحدث الرسمي",)),
        place=_pick(rng, material, "place", ("الدوحة",)),
        country=_pick(rng, material, "country", ("قطر",)),
        organization=_pick(rng, material, "organization", ("الأمم المتحدة",)),
        topic=_pick(rng, material, "topic", material.tags or ("الدبلوماسية",)),
    )


def _yaml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def make_article(index: int, material: Material, seed: int = DEFAULT_SEED, *, newest: bool = False) -> SynthArticle:
    """Article number ``index``: a pure function of (seed, index, material).
    ``newest``: dated the day after the corpus's last day (today's briefing)."""
    rng = random.Random(f"{seed}:{index}")  # noqa: S311 (reproducible test data, not secrets)
    if rng.random() < 0.5 or not material.names:
        title = rng.choice(material.titles)
        title = f"{title} ({index})"  # unique titles keep list pages realistic
    else:
        title = f"{_fill(rng, material, rng.choice(_TITLE_TEMPLATES))} ({index})"
    undated = rng.random() < UNDATED_SHARE and not newest
    day = FIRST_DAY + dt.timedelta(days=DAYS if newest else rng.randrange(DAYS))
    outlet, host = rng.choice(material.outlets)
    tag_pool = list(material.tags) + list(material.names.get("topic", ()))
    tags = sorted(set(rng.sample(tag_pool, k=min(len(tag_pool), rng.randint(1, 3))))) if tag_pool else []
    paragraphs: list[str] = []
    for number in range(rng.randint(4, 9)):
        if number and rng.random() < 0.2:
            paragraphs.append("## " + rng.choice(material.subheadings))
        chosen = [rng.choice(material.sentences) for _ in range(rng.randint(1, 3))]
        if material.names and rng.random() < 0.6:
            chosen.insert(rng.randrange(len(chosen) + 1), _fill(rng, material, rng.choice(_LINKING_SENTENCES)))
        paragraphs.append(" ".join(chosen))
    lines = ["---", f"title: {_yaml_string(title)}"]
    if not undated:
        lines.append(f"date: {day.isoformat()}")
    lines += [
        f"source: {_yaml_string(outlet)}",
        f"url: https://{host}/archive/{index:07d}",
        "tags: [" + ", ".join(_yaml_string(t) for t in tags) + "]",
        "---",
        "",
        "",
    ]
    folder = "undated" if undated else str(day.year)
    relative = f"{folder}/synth-{index:07d}.md"
    return SynthArticle(relative, "\n".join(lines) + "\n\n".join(paragraphs) + "\n")


def default_material() -> Material:
    return read_material(REPO / "source", REPO / "builder" / "data" / "taxonomy.yml")


def write_corpus(
    count: int, out_dir: Path, material: Material, seed: int = DEFAULT_SEED, start: int = 0, *, newest: bool = False
) -> int:
    """Write articles ``start .. start+count-1`` under ``out_dir``; returns bytes written."""
    total = 0
    for index in range(start, start + count):
        article = make_article(index, material, seed, newest=newest)
        target = out_dir / article.relative
        target.parent.mkdir(parents=True, exist_ok=True)
        data = article.text.encode("utf-8")
        target.write_bytes(data)
        total += len(data)
    return total


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write N deterministic synthetic Arabic articles into OUTDIR.")
    parser.add_argument("count", type=int, metavar="N")
    parser.add_argument("out_dir", type=Path, metavar="OUTDIR")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--source", type=Path, default=REPO / "source", help="sample corpus to recombine")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("N must be zero or more")
    try:
        material = read_material(args.source, REPO / "builder" / "data" / "taxonomy.yml")
    except (SynthError, OSError, yaml.YAMLError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    written = write_corpus(args.count, args.out_dir, material, args.seed)
    print(f"wrote {args.count} articles ({written / 1e6:.1f} MB) to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
