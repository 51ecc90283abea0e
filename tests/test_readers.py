"""Readers and the model step: every bad file gives a named, located rejection."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from builder.errors import SourceError
from builder.model import Severity
from builder.modeling import model_article, plain_summary
from builder.readers import decode, read_file

from conftest import FIXTURES

FRONT = FIXTURES / "front_matter"


def model(path: Path, **kwargs: bool):  # type: ignore[no-untyped-def]
    return model_article(read_file(path, path.name), **kwargs)


def read_error(path: Path) -> SourceError:
    with pytest.raises(SourceError) as caught:
        read_file(path, path.name)
    return caught.value


def test_utf8_with_bom_and_crlf() -> None:
    text = decode("\ufeff---\r\ntitle: عنوان\r\n---\r\n\r\nنص.\r\n".encode(), "a.md")
    assert text == "---\ntitle: عنوان\n---\n\nنص.\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("عنوان".encode("utf-16"), "UTF-16"),
        ("عنوان\nنص".encode("cp1256"), "not valid UTF-8"),
        (b"\x00\x01binary", "binary"),
    ],
)
def test_other_encodings_are_rejected_with_a_hint(data: bytes, expected: str) -> None:
    with pytest.raises(SourceError) as caught:
        decode(data, "x.txt")
    assert expected in caught.value.message
    assert caught.value.path == "x.txt"


def test_non_utf8_error_names_the_line() -> None:
    data = "سطر سليم\n".encode() + "سطر بترميز آخر".encode("cp1256")
    with pytest.raises(SourceError) as caught:
        decode(data, "x.txt")
    assert caught.value.line == 2


def test_huge_file_is_rejected() -> None:
    with pytest.raises(SourceError, match="limited to"):
        decode(b"a" * (6 * 1024 * 1024), "huge.txt")


def test_duplicate_keys_are_rejected_with_line() -> None:
    error = read_error(FRONT / "duplicate_key.md")
    assert "duplicate key 'title'" in error.message
    assert error.line == 3


def test_python_tags_are_never_constructed() -> None:
    error = read_error(FRONT / "python_tag.md")
    assert "not valid YAML" in error.message
    assert error.line == 2


def test_yaml_aliases_are_refused() -> None:
    error = read_error(FRONT / "alias_bomb.md")
    assert "aliases" in error.message


def test_unclosed_front_matter() -> None:
    assert "never closed" in read_error(FRONT / "unclosed.md").message


def test_bad_date_and_unknown_key_point_at_their_lines() -> None:
    article, problems = model(FRONT / "bad_date_unknown_key.md")
    assert article is None
    date_problem = next(p for p in problems if "'date'" in p.message)
    unknown = next(p for p in problems if "unknown key" in p.message)
    assert date_problem.line == 3 and date_problem.severity is Severity.ERROR
    assert unknown.line == 4 and unknown.severity is Severity.WARNING


def test_unknown_key_is_an_error_when_asked() -> None:
    path = FIXTURES / "bad_input" / "good.md"
    raw = read_file(path, "good.md")
    raw.metadata["colour"] = "أحمر"
    article, problems = model_article(raw, unknown_keys_are_errors=True)
    assert article is None
    assert problems[0].severity is Severity.ERROR


def test_multiline_title_is_rejected() -> None:
    article, problems = model(FRONT / "multiline_title.md")
    assert article is None
    assert any("single line" in p.message for p in problems)


def test_txt_date_from_file_name_prefix(tmp_path: Path) -> None:
    path = tmp_path / "2023-06-13-خبر.txt"
    path.write_text("العنوان\n\nالنص الأول. والثاني.\n", encoding="utf-8")
    article, problems = model(path)
    assert article is not None and not problems
    assert article.date == dt.date(2023, 6, 13)
    assert article.slug == "2023-06-13-خبر"
    assert article.summary == "النص الأول."


def test_markdown_without_front_matter_uses_first_heading(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# عنوان المذكرة\n\nنص المذكرة.\n", encoding="utf-8")
    article, _ = model(path)
    assert article is not None and article.title == "عنوان المذكرة"


def test_datetime_with_offset_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: ع\ndate: 2024-02-01T09:30:00+03:00\n---\n\nنص.\n", encoding="utf-8")
    article, _ = model(path)
    assert article is not None and article.published is not None
    assert article.published.utcoffset() == dt.timedelta(hours=3)
    assert article.date == dt.date(2024, 2, 1)


def test_unsafe_url_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: ع\nurl: javascript:alert(1)\n---\n\nنص.\n", encoding="utf-8")
    article, problems = model(path)
    assert article is None and "http" in problems[0].message


def test_plain_summary_strips_markup() -> None:
    assert plain_summary("## عنوان\n\n**قال** [الوزير](https://x.org) إن الأمر مهم. وأضاف.") == (
        "قال الوزير إن الأمر مهم."
    )
