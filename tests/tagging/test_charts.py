"""The timeline chart: inline SVG, right to left, Arabic labels, no script."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.charts import svg_timeline
from builder.datefmt import MONTHS

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def bars(root: ET.Element) -> list[tuple[float, str]]:
    """(x, tooltip) of every bar, in document order."""
    return [(float(r.attrib["x"]), r.findtext(f"{SVG}title") or "") for r in root.iter(f"{SVG}rect")]


DATES = [dt.date(2021, 5, 1), dt.date(2023, 1, 9), dt.date(2023, 1, 20), dt.date(2023, 11, 2)]


def test_one_line_accessible_svg_without_script() -> None:
    svg = svg_timeline(DATES)
    assert "\n" not in svg
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.attrib["role"] == "img"
    label = root.attrib["aria-label"]
    assert "المقالات" in label and "2021" in label and "2023" in label
    assert root.findtext(f"{SVG}title") == label
    assert "script" not in svg.lower() and "onload" not in svg.lower() and "href" not in svg


def test_years_then_months_of_the_latest_year_read_right_to_left() -> None:
    root = parse(svg_timeline(DATES))
    found = bars(root)
    years, months = found[:3], found[3:]
    assert [t for _, t in years] == ["2021: 1", "2022: 0", "2023: 3"]
    # The earliest year is on the right.
    assert years[0][0] > years[1][0] > years[2][0]
    assert [t.split(":")[0] for _, t in months] == list(MONTHS)
    assert months[0][0] > months[-1][0]
    assert dict((t.split(": ")[0], int(t.split(": ")[1])) for _, t in months)["يناير"] == 2
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "نوفمبر" in texts and "2022" in texts


def test_the_subject_is_in_the_accessible_name() -> None:
    assert "عن قطر" in parse(svg_timeline(DATES, subject="قطر")).attrib["aria-label"]


def test_a_subject_with_markup_is_escaped() -> None:
    root = parse(svg_timeline(DATES, subject='<b>"x"</b> & y'))
    assert '<b>"x"</b> & y' in root.attrib["aria-label"]


def test_no_dates_gives_an_arabic_message() -> None:
    root = parse(svg_timeline([]))
    assert root.attrib["role"] == "img"
    assert "لا توجد مقالات" in root.attrib["aria-label"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)), min_size=1, max_size=60))
def test_bar_counts_add_up(dates: list[dt.date]) -> None:
    root = parse(svg_timeline(dates))
    found = bars(root)
    span = max(d.year for d in dates) - min(d.year for d in dates) + 1
    assert len(found) == span + 12
    per_year = sum(int(t.rsplit(": ", 1)[1]) for _, t in found[:span])
    per_month = sum(int(t.rsplit(": ", 1)[1]) for _, t in found[span:])
    assert per_year == len(dates)
    assert per_month == sum(1 for d in dates if d.year == max(x.year for x in dates))
    heights = [float(r.attrib["height"]) for r in root.iter(f"{SVG}rect")]
    assert all(h >= 0 for h in heights)
