"""What ingest writes, the build accepts: one address per file, site-wide.

The build cuts slugs to MAX_SLUG_LENGTH characters and refuses two files that
claim one address (slugs compared casefolded, across every folder). Ingest must
therefore number same-title articles so that the number survives the cut, and
count the addresses already taken under the source folder, in every month.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.ingest import cli
from builder.ingest.jsonrecords import MappingError, load_mapping
from builder.ingest.records import Outcome
from builder.ingest.run import _numbered_slug, ingest
from builder.pipeline import Collected, collect
from builder.slugs import MAX_SLUG_LENGTH, slugify

from .conftest import corpus

REPO = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
LATIN = ("economy", "summit", "ministers", "energy", "prices", "regional", "talks", "agreement", "council")
ARABIC = ("اقتصاد", "قمة", "وزراء", "الطاقة", "أسعار", "إقليمية", "محادثات", "اتفاق", "مجلس")
WORDS = {"latin": LATIN, "arabic": ARABIC}
# Body text: every article different enough not to be taken for a near duplicate.
BODY_TEXT = (
    "أعلنت الحكومة اليوم عن خطة جديدة لدعم المزارعين في المناطق الريفية وتوسيع شبكات الري "
    "وقال الوزير إن المشروع يشمل بناء مدارس ومستشفيات وطرق تربط القرى بالمدن الكبرى "
    "وأشار التقرير إلى ارتفاع الصادرات الزراعية خلال الربع الأول من العام مقارنة بالعام الماضي "
    "وتوقع خبراء أن تسهم الاستثمارات في خفض البطالة بين الشباب وتحسين مستوى المعيشة للأسر "
    "وناقش البرلمان مشروع قانون الميزانية وسط خلافات بين الكتل النيابية حول أولويات الإنفاق "
    "واستقبل الرئيس وفدا رفيع المستوى لبحث التعاون في مجالات التعليم والصحة والنقل والطاقة"
)
BODY_WORDS = tuple(BODY_TEXT.split())


def exact_slug(length: int, words: tuple[str, ...]) -> str:
    """A slug of exactly ``length`` characters made of ``words`` (cut to fit)."""
    slug = ""
    index = 0
    while len(slug) < length:
        word = words[index % len(words)]
        index += 1
        room = length - len(slug) - (1 if slug else 0)
        if room <= 0:  # room for the dash only: lengthen the last word instead
            slug += words[0][0]
            break
        slug += ("-" if slug else "") + (word * 3)[:room]
    assert len(slug) == length
    return slug


def title_of(length: int, script: str) -> str:
    """A title whose slug (before the build's cut) is ``length`` characters long."""
    slug = exact_slug(length, WORDS[script])
    title = slug.replace("-", " ")
    assert slugify(title) == slug if length <= MAX_SLUG_LENGTH else len(slugify(title)) <= MAX_SLUG_LENGTH
    return title


def body(seed: int) -> str:
    rng = random.Random(seed)
    return "\n\n".join(" ".join(rng.choices(BODY_WORDS, k=40)) + "." for _ in range(3))


def record(title: str, date: str | None, seed: int, **extra: str) -> dict[str, str]:
    data = {"title": title, "body": body(seed), **extra}
    if date:
        data["date"] = date
    return data


def export(folder: Path, records: list[dict[str, str]], name: str = "export.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def slug_in(path: Path) -> str:
    header = path.read_text(encoding="utf-8").split("---\n", 2)[1]
    return str(yaml.safe_load(header)["slug"])


def source_files(into: Path) -> list[Path]:
    return sorted(p for p in into.rglob("*.md") if not p.name.startswith("."))


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="builder")
    cli.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def build(into: Path) -> Collected:
    """The build's own reading of the source folder (no MkDocs, no pages)."""
    return collect(into, jobs=1, now=NOW)


def assert_builds_cleanly(into: Path, articles: int) -> None:
    collected = build(into)
    assert collected.rejections == (), [f"{r.source_path}: {r.reason}" for r in collected.rejections]
    assert len(collected.articles) == articles
    addresses = [a.slug.casefold() for a in collected.articles]
    assert len(set(addresses)) == len(addresses)


def assert_written_slugs_are_final(outcomes: list[Outcome]) -> list[str]:
    """Every written file is named by its slug, the slug survives the build's slugify, and fits."""
    slugs = []
    for outcome in outcomes:
        if outcome.status != "written":
            continue
        assert outcome.output
        path = Path(outcome.output)
        slug = slug_in(path)
        assert path.stem == slug
        assert slugify(slug) == slug
        assert len(slug) <= MAX_SLUG_LENGTH
        slugs.append(slug)
    assert len({s.casefold() for s in slugs}) == len(slugs), slugs
    return slugs


# -- the numbered slug itself ------------------------------------------------------------------


@pytest.mark.parametrize("script", ["latin", "arabic"])
@pytest.mark.parametrize("length", [79, 80, 81, 200])
def test_numbered_slugs_survive_the_builders_cut(length: int, script: str) -> None:
    base = slugify(title_of(length, script))
    assert len(base) <= MAX_SLUG_LENGTH
    numbers = [1, 2, 3, 9, 10, 12, 99, 100, 999]
    slugs = [_numbered_slug(base, number) for number in numbers]
    assert slugs[0] == base
    for number, slug in zip(numbers, slugs, strict=True):
        assert slugify(slug) == slug
        assert len(slug) <= MAX_SLUG_LENGTH
        if number > 1:
            assert slug.endswith(f"-{number}")
            assert not slug.endswith(f"--{number}")
    assert len({s.casefold() for s in slugs}) == len(slugs)


def test_the_base_is_cut_at_a_word_boundary() -> None:
    base = exact_slug(80, LATIN)  # economy-summit-…; the cut falls inside a word
    numbered = _numbered_slug(base, 2)
    assert numbered.endswith("-2") and len(numbered) <= MAX_SLUG_LENGTH
    assert base.startswith(numbered[: -len("-2")] + "-")  # whole words only


@settings(max_examples=300, deadline=None)
@given(text=st.text(min_size=1, max_size=250), number=st.integers(min_value=1, max_value=999))
def test_numbered_slug_is_stable_for_any_title(text: str, number: int) -> None:
    base = slugify(text) or "article"
    slug = _numbered_slug(base, number)
    assert slugify(slug) == slug
    assert 0 < len(slug) <= MAX_SLUG_LENGTH
    if number > 1:
        assert slug.endswith(f"-{number}")


# -- ingest, then the build -----------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 3, 12])
@pytest.mark.parametrize("script", ["latin", "arabic"])
@pytest.mark.parametrize("length", [79, 80, 81, 200])
def test_same_long_title_many_times(length: int, script: str, count: int, tmp_path: Path) -> None:
    title = title_of(length, script)
    records = [record(title, "2023-05-10", seed) for seed in range(count)]
    inputs = export(tmp_path / "in", records)
    into = tmp_path / "source"
    outcomes = ingest([inputs], into)
    assert [o.status for o in outcomes] == ["written"] * count, [o.describe() for o in outcomes]
    assert len(assert_written_slugs_are_final(outcomes)) == count
    assert_builds_cleanly(into, count)
    files = source_files(into)

    again = ingest([inputs], into)
    assert [o.status for o in again] == ["unchanged"] * count, [o.describe() for o in again]
    assert [o.output for o in again] == [o.output for o in outcomes]
    assert source_files(into) == files


def test_same_title_in_different_months(tmp_path: Path) -> None:
    title = title_of(80, "arabic")
    months = ["2023-01-05", "2023-02-05", "2023-03-05", None]
    inputs = export(tmp_path / "in", [record(title, date, seed) for seed, date in enumerate(months)])
    into = tmp_path / "source"
    outcomes = ingest([inputs], into)
    assert [o.status for o in outcomes] == ["written"] * 4
    folders = {Path(o.output or "").parent.relative_to(into).as_posix() for o in outcomes}
    assert folders == {"2023/01", "2023/02", "2023/03", "undated"}
    assert len(assert_written_slugs_are_final(outcomes)) == 4
    assert_builds_cleanly(into, 4)

    # A later export holding one of them again: found in place, not written twice.
    march = export(tmp_path / "later", [record(title, "2023-03-05", 2)])
    (again,) = ingest([march], into)
    assert again.status == "unchanged" and again.output == outcomes[2].output
    # A new month, in a later run: numbered past every month's copy.
    april = export(tmp_path / "april", [record(title, "2023-04-05", 99)])
    (new,) = ingest([april], into)
    assert new.status == "written" and new.output and "/2023/04/" in new.output
    assert slug_in(Path(new.output)).casefold() not in {
        slug_in(p).casefold() for p in source_files(into) if p != Path(new.output)
    }
    assert_builds_cleanly(into, 5)


def test_slugs_differing_only_by_case_and_existing_files(tmp_path: Path) -> None:
    into = tmp_path / "source"
    (into / "2023" / "06").mkdir(parents=True)
    # Written by hand: no slug, so the address comes from the file name, whatever its case.
    (into / "2023" / "06" / "Foo-Bar.md").write_text(
        f"---\ntitle: مقال مكتوب باليد\ndate: 2023-06-01\n---\n\n{body(500)}\n", encoding="utf-8"
    )
    (into / "2021" / "02").mkdir(parents=True)
    (into / "2021" / "02" / "other.md").write_text(
        f"---\ntitle: مقال آخر\ndate: 2021-02-01\nslug: Oil-Prices\n---\n\n{body(501)}\n", encoding="utf-8"
    )
    records = [
        record("Straße", "2023-06-02", 1),  # slug "straße": the build casefolds it to "strasse"
        record("STRASSE", "2023-06-03", 2),
        record("Foo Bar", "2023-06-04", 3),  # the hand-written Foo-Bar.md has that address
        record("Oil prices", "2023-07-01", 4),  # other.md's slug: Oil-Prices, in another year
    ]
    inputs = export(tmp_path / "in", records)
    outcomes = ingest([inputs], into)
    assert [o.status for o in outcomes] == ["written"] * 4, [o.describe() for o in outcomes]
    slugs = assert_written_slugs_are_final(outcomes)
    assert slugs[2] == "foo-bar-2" and slugs[3] == "oil-prices-2"
    assert {slugs[0].casefold(), slugs[1].casefold()} == {"strasse", "strasse-2"}
    assert_builds_cleanly(into, 6)
    again = ingest([inputs], into)
    assert [o.status for o in again] == ["unchanged"] * 4


def corpus_records() -> list[dict[str, str]]:
    """About thirty records built to collide: long titles, months, marks, same slugs."""
    long_arabic = title_of(200, "arabic")
    long_latin = title_of(81, "latin")
    at_limit = title_of(80, "arabic")
    records = [record(long_arabic, f"2022-03-{day:02d}", 100 + day) for day in range(1, 13)]  # twelve
    records += [record(long_latin, "2022-03-15", 200 + n) for n in range(3)]
    records += [record(at_limit, date, 300 + n) for n, date in enumerate(["2022-01-01", "2022-02-01", "2022-02-02"])]
    records += [record(title_of(79, "latin"), "2022-04-01", 400 + n) for n in range(2)]
    # Diacritics, tatweel and hamza: the first two give one slug, hamza forms are kept apart.
    records += [
        record("مؤتمر الطاقة العربي", "2022-05-01", 501),
        record("مُؤْتَمَرُ الطـــاقة العربيّ", "2022-05-02", 502),
        record("موتمر الطاقة العربي", "2022-05-03", 503),
        record("أمن الطاقة", "2022-05-04", 504),
        record("امن الطاقة", "2022-05-05", 505),
        record("إمن الطاقة", "2022-06-05", 506),
    ]
    # Titles that slugify to the same thing, or to numbered-looking slugs.
    records += [
        record("Oil prices: up!", "2022-07-01", 601),
        record("oil-prices up", "2022-07-02", 602),
        record("OIL PRICES — UP", "2022-08-01", 603),
        record("Oil prices up 2", "2022-07-03", 604),
        record("Index", "2022-07-04", 605),
        record("index 1", "2022-07-05", 606),
    ]
    return records


@pytest.mark.parametrize("with_corpus", [False, True], ids=["export", "export+ant-multisource"])
def test_ingest_output_builds_without_rejections(with_corpus: bool, tmp_path: Path) -> None:
    records = corpus_records()
    assert len(records) >= 30
    paths = [export(tmp_path / "in", records)]
    if with_corpus:
        paths.append(corpus("ant-multisource"))
    into = tmp_path / "source"
    outcomes = ingest(paths, into)
    written = [o for o in outcomes if o.status == "written"]
    ours = [o for o in outcomes if o.origin.startswith(paths[0].as_posix())]
    assert [o.status for o in ours] == ["written"] * len(records), [o.describe() for o in ours]
    assert_written_slugs_are_final(outcomes)
    assert len(source_files(into)) == len(written)

    collected = build(into)
    assert collected.rejections == (), [f"{r.source_path}: {r.reason}" for r in collected.rejections]
    assert len(collected.articles) == len(written)

    again = ingest(paths, into)
    assert {o.status for o in again if o.status != "unchanged"} <= {"duplicate", "rejected", "joined"}
    assert [o.origin for o in again if o.status == "unchanged"] == [o.origin for o in written]
    assert len(source_files(into)) == len(written)


# -- --mapping: a file, or inline JSON --------------------------------------------------------------


def headline_export(folder: Path) -> Path:
    data = [{"headline": "قمة الطاقة في الدوحة", "content": body(1), "published": "2024-03-05"}]
    return export(folder, data, "headlines.json")


def test_mapping_inline_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = headline_export(tmp_path / "in")
    mapping = '  {"title": "headline", "body": ["content", "text"], "date": "published"}'
    args = parse(["ingest", str(inputs), "--into", str(tmp_path / "s"), "--mapping", mapping])
    assert cli.run(args) == 0
    assert "1 written" in capsys.readouterr().out
    (written,) = source_files(tmp_path / "s")
    assert written.parent.relative_to(tmp_path / "s").as_posix() == "2024/03"
    assert load_mapping(mapping).keys["title"] == ("headline",)


def test_mapping_file_still_works(tmp_path: Path) -> None:
    file = tmp_path / "mapping.json"
    file.write_text('{"title": "headline", "body": "content"}', encoding="utf-8")
    assert load_mapping(str(file)).keys["body"] == ("content",)
    assert load_mapping(file).keys["title"] == ("headline",)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('{"title": "headline",}', ["neither a readable file nor valid inline JSON", "line 1 column 22"]),
        ('{"title": "headline"', ["neither a readable file nor valid inline JSON", "line 1 column 21"]),
        ("{'title': 'headline'}", ["neither a readable file nor valid inline JSON", "line 1 column 2"]),
        ("missing.json", ["missing.json", "neither a readable file", "inline JSON starts with"]),
        ('{"headline": "title"}', ["unknown field 'headline'"]),
        ('{"title": 3}', ["must map to a key"]),
    ],
)
def test_mapping_errors_say_what_is_wrong(
    value: str, expected: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = headline_export(tmp_path / "in")
    args = parse(["ingest", str(inputs), "--into", str(tmp_path / "s"), "--mapping", value])
    assert cli.run(args) == 2
    err = capsys.readouterr().err
    for part in expected:
        assert part in err, err
    assert "Traceback" not in err
    assert not (tmp_path / "s").exists()


def test_mapping_error_points_at_the_position() -> None:
    with pytest.raises(MappingError) as info:
        load_mapping('{"title": "headline" "body": "content"}')
    message = str(info.value)
    assert "Expecting ',' delimiter at line 1 column 22 (character 22)" in message
    pointer = message.splitlines()[-2:]
    assert pointer[1].index("^") == pointer[0].index('"body"')


def test_mapping_file_that_is_not_json(tmp_path: Path) -> None:
    file = tmp_path / "mapping.json"
    file.write_text("title: headline\n", encoding="utf-8")
    with pytest.raises(MappingError, match=r"mapping file is not valid JSON: .* line 1 column 1"):
        load_mapping(str(file))


def test_mapping_error_from_the_command_line_has_no_traceback(tmp_path: Path) -> None:
    inputs = headline_export(tmp_path / "in")
    result = subprocess.run(
        [sys.executable, "-m", "builder", "ingest", str(inputs), "--into", str(tmp_path / "s"), "--mapping", "{oops"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "neither a readable file nor valid inline JSON" in result.stderr
    assert "line 1 column 2" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_shows_inline_mapping(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse(["ingest", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--mapping FILE|JSON" in out
    assert "inline" in out
