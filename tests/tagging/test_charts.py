"""The timeline chart: inline SVG, right to left, Arabic labels, no script."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.charts import ASCENT, CAPTION_SIZE, DESCENT, GAP, LABEL_SIZE, NAME_DROP, PANEL_HEIGHT, svg_timeline
from builder.datefmt import MONTHS

from conftest import REPO

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


# The caption never overlaps a count: boxes measured in Chromium (getBBox) in the
# site's own Arabic face, and in the browser's default face as a fallback.
FIRST_BAR_TALLEST = [
    # January (the first month bar) and the first year are the tallest, with wide counts.
    [dt.date(2020, 1, 1)] * 1500 + [dt.date(2023, 1, d) for d in range(1, 29)] * 40 + [dt.date(2023, 2, 1)],
    # One year only: its single bar sits right under the caption.
    [dt.date(2023, 1, 5)] * 99 + [dt.date(2023, 12, 5)],
    # Every bar as tall as the first.
    [dt.date(year, month, 1) for year in (2022, 2023) for month in range(1, 13)],
]

_BOXES = """() => [...document.querySelectorAll('svg text')].map(t => {
  const b = t.getBBox();
  return {text: t.textContent, size: +t.getAttribute('font-size'), bold: t.getAttribute('font-weight') === 'bold',
          x: b.x, y: b.y, width: b.width, height: b.height};
})"""


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.mark.browser
@pytest.mark.parametrize("face", ["Noto Naskh Arabic", "default"])
@pytest.mark.parametrize("case", range(len(FIRST_BAR_TALLEST)))
def test_caption_never_overlaps_a_count(browser: Any, tmp_path: Path, face: str, case: int) -> None:
    svg = svg_timeline(FIRST_BAR_TALLEST[case])
    fonts = (REPO / "docs" / "assets" / "stylesheets" / "fonts.css").as_uri()
    family = '"Noto Naskh Arabic"' if face != "default" else "initial"
    page_file = tmp_path / "chart.html"
    page_file.write_text(
        f'<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><link rel="stylesheet" href="{fonts}">'
        f"<style>body {{ font-family: {family}; width: 40rem }}</style></head><body>{svg}</body></html>",
        encoding="utf-8",
    )
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri())
        page.evaluate("document.fonts.ready.then(() => true)")
        if face != "default":
            assert page.evaluate("document.fonts.check('13px \"Noto Naskh Arabic\"', 'المقالات')")
        boxes = page.evaluate(_BOXES)
    finally:
        page.close()
    captions = [b for b in boxes if b["bold"]]
    assert len(captions) == 2
    counts = [b for b in boxes if not b["bold"] and b["size"] == LABEL_SIZE and b["text"].isdigit()]
    counts = [b for b in counts if not (len(b["text"]) == 4 and b["text"].startswith(("19", "20")))]  # not a year
    assert counts, "the chart shows counts above its bars"
    for caption in captions:
        clashes = [c["text"] for c in counts if _overlap(caption, c)]
        assert clashes == [], f"{caption['text']} overlaps the counts {clashes}"
    # Everything stays inside the drawing.
    width, height = (float(v) for v in ET.fromstring(svg).attrib["viewBox"].split()[2:])
    for box in boxes:
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, box


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dates(dt.date(2015, 1, 1), dt.date(2024, 12, 31)), min_size=1, max_size=40), st.integers(1, 5000))
def test_every_count_clears_the_caption_by_the_font_bounds(dates: list[dt.date], extra: int) -> None:
    """Computed from the SVG: with the first bar the tallest, the top of every count's
    box (ASCENT above its baseline) lies GAP below the bottom of its panel's caption
    box (DESCENT below the caption's baseline)."""
    dates = [min(dates)] * extra + dates  # the first year and its first month: the tallest bars
    root = parse(svg_timeline(dates))
    texts = list(root.iter(f"{SVG}text"))
    captions = [float(t.attrib["y"]) for t in texts if t.attrib.get("font-weight") == "bold"]
    for t in texts:
        if t.attrib.get("font-weight") == "bold" or not (t.text or "").isdigit() or t.attrib["font-size"] != "10":
            continue
        baseline = float(t.attrib["y"])
        caption = max(c for c in captions if c < baseline)
        if baseline > caption + PANEL_HEIGHT - NAME_DROP - 1:
            continue  # a year under its bar, not a count
        assert baseline - ASCENT * LABEL_SIZE >= caption + DESCENT * CAPTION_SIZE + GAP - 0.05
