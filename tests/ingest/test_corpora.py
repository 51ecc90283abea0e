"""The real pages and corpora in ../shared/corpora (skipped when absent)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

import pytest
import yaml

from builder.dateparse import parse_date
from builder.ingest.html import extract
from builder.ingest.records import Outcome
from builder.ingest.run import find_inputs, ingest, read_bytes
from builder.ingest.trec import field

from .conftest import corpus

CNN = "codelucas+newspaper/tests/data/html/arabic_article.html"
CNN_GOLD = "codelucas+newspaper/tests/data/text/arabic.txt"
ASSABAH = "adbar+trafilatura/tests/eval/assabah.com.tn.article.html"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_text(name: str) -> str:
    data = (corpus("raw-html-fixtures") / name).read_bytes()
    return data.decode("utf-8")


def test_cnn_body_matches_gold() -> None:
    page = extract(page_text(CNN))
    gold = (corpus("raw-html-fixtures") / CNN_GOLD).read_text(encoding="utf-8")
    ratio = difflib.SequenceMatcher(None, squeeze(page.body), squeeze(gold), autojunk=False).ratio()
    assert ratio >= 0.90, ratio
    for junk in (
        "الصفحة الرئيسية",  # section nav
        "الشرق الأوسط",
        "الأكثر تصفحاً",  # "most read", written as character references in the page
        "القبض على شاب",  # a "most read" headline
        "Facebook",
        "LinkedIn",
        "Cable News Network",
        "الآراء الواردة",  # comment policy
        "ترحب شبكة CNN",
    ):
        assert junk not in page.body, junk
    assert page.title == "معارضون يسيطرون على مخازن للصواريخ بريف دمشق"
    assert page.date is not None and page.date.date == dt.date(2013, 8, 28)
    assert page.url == "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html"


def test_assabah_comment_form_gone_title_once_date_from_fevrier(tmp_path: Path) -> None:
    source = corpus("raw-html-fixtures") / ASSABAH
    (outcome,) = ingest([source], tmp_path / "source")
    assert outcome.status == "written" and outcome.output
    text = Path(outcome.output).read_text(encoding="utf-8")
    _, header, body = text.split("---\n", 2)
    meta = yaml.safe_load(header)
    title = (
        "الناشط الحقوقي السوداني خالد عبد الكريم ماسا لـ«الصباح»: كل الشروط متوفرة لثورة سودانية ولا حاجة لنستورد شيئا"
    )
    assert meta["title"] == title
    assert meta["date"] == dt.date(2019, 2, 8)
    assert "/2019/02/" in outcome.output
    assert text.count(title) == 1  # in the front matter, not repeated in the body
    for junk in ("إضافة تعليق جديد", "اسمك", "تعليقك", "نسخة للطباعة", "Tweet", "جميع الحقوق محفوظة"):
        assert junk not in body, junk
    assert "نحن في السودان لا نعرف من الفصول" in body


def _accounting(name: str, tmp_path: Path) -> tuple[list[Path], list[Outcome]]:
    folder = corpus(name)
    files = sorted(p for p in folder.rglob("*.txt"))
    outcomes = ingest([folder], tmp_path / "source")
    return files, outcomes


@pytest.mark.parametrize("name", ["ant-multisource", "ant-jawharafm"])
def test_every_file_is_accounted_for_and_dated(name: str, tmp_path: Path) -> None:
    files, outcomes = _accounting(name, tmp_path)
    seen = {Path(o.origin.split("#")[0]) for o in outcomes}
    assert {f.as_posix() for f in files} <= {p.as_posix() for p in seen}
    assert {o.status for o in outcomes} <= {"written", "duplicate", "unchanged", "rejected"}
    written = [o for o in outcomes if o.status == "written"]
    assert len(written) >= 0.9 * len(files)
    assert all(o.output and "/undated/" not in o.output for o in written)
    for file in files:  # every <TIME> in every format parses
        time = field(file.read_text(encoding="utf-8"), "TIME")
        if time and time.strip():
            assert parse_date(time.strip()) is not None, (file, time)
    again = ingest([corpus(name)], tmp_path / "source")
    assert {o.status for o in again} <= {"unchanged", "duplicate", "rejected"}
    assert [o.status for o in again if o.status != "unchanged"] == [o.status for o in outcomes if o.status != "written"]


def test_jawhara_quirks(tmp_path: Path) -> None:
    folder = corpus("ant-jawharafm")
    outcomes = {Path(o.origin).name: o for o in ingest([folder], tmp_path / "source")}
    malformed = outcomes["JA-politic-92-20170201.txt"]  # DOCNO "92", no SRC, CAT or AUTHOR
    assert malformed.status == "written" and malformed.output and "/2017/02/" in malformed.output
    assert outcomes["JA-culture-120-20170518.txt"].status == "duplicate"
    assert "JA-culture-110-20170518.txt" in (outcomes["JA-culture-120-20170518.txt"].reason or "")
    assert outcomes["JA-localNews-1115-20140702.txt"].status == "rejected"  # empty <TEXT>
    assert outcomes["JA-localNews-166-00000000.txt"].status == "rejected"  # blank <TITLE>
    compact = outcomes["JA-localNews-41-20170122.txt"]
    assert compact.output and "date: 2017-01-22 17:18:00\n" in Path(compact.output).read_text(encoding="utf-8")
    assert "/2016/05/" in (outcomes["JA-politic-53-20052016.txt"].output or "")  # DD/MM/YYYY <TIME>


def test_multisource_quirks(tmp_path: Path) -> None:
    outcomes = {Path(o.origin).name: o for o in ingest([corpus("ant-multisource")], tmp_path / "source")}
    for boilerplate_only in ("AL-culture-57-20130112.txt", "AL-culture-58-20130112.txt"):
        assert outcomes[boilerplate_only].status == "rejected"
    for empty in ("FR-internationalNews-2077-20180629.txt", "FR-sport-214-20180629.txt"):
        assert outcomes[empty].status == "rejected"
    rfc = outcomes["AL-culture-506-20180619.txt"]
    assert rfc.output and re.search(
        r"^date: 2018-06-19 \S+\+04:00$", Path(rfc.output).read_text(encoding="utf-8"), re.M
    )


def test_malformed_bytes_of_a_real_file_do_not_crash() -> None:
    file = next(iter(find_inputs([corpus("ant-jawharafm") / "politic"])))
    data = file.path.read_bytes()
    for cut in (0, 7, len(data) // 3, len(data) // 2, len(data) - 5):
        items = read_bytes(data[:cut] + b"\xff\xfe<" + data[cut + 9 :], "x.txt", "x", ".txt")
        assert items
