"""Coverage over time as inline SVG, drawn at build time (no script at view time).

Bars of articles per year, then per month of the latest year, laid out right to
left (the earliest year and January on the right), labelled in Arabic. The SVG
is one line of markup, so it can sit inside a Markdown page; colours follow the
text colour (``currentColor``) so the light and dark palettes both work.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence
from html import escape

from builder.datefmt import month_name
from builder.plurals import ARTICLE

WIDTH = 640
BAR_AREA = 80  # tallest bar
MARGIN = 16
CAPTION_SIZE = 13  # font size of a panel's caption
LABEL_SIZE = 10  # font size of a bar's count, and of its year or month when there is room
# Bounds of a text box around its baseline, in em: Noto Naskh Arabic's box is
# 1.09 em above and 0.62 em below (measured with getBBox in Chromium).
ASCENT = 1.15
DESCENT = 0.65
GAP = 4  # between a caption's box and the count above the tallest bar
CAPTION_BASELINE = 16  # below the panel's top
COUNT_LIFT = 3  # from a bar's top to its count's baseline
# The tallest bar starts where its count's box clears the caption's box.
BARS_TOP = math.ceil(CAPTION_BASELINE + DESCENT * CAPTION_SIZE + GAP + ASCENT * LABEL_SIZE + COUNT_LIFT)
NAME_DROP = 13  # from the bars' baseline to the baseline of their year or month
PANEL_HEIGHT = math.ceil(BARS_TOP + BAR_AREA + NAME_DROP + DESCENT * LABEL_SIZE) + 2
PANEL_GAP = 10


def _attr(text: str) -> str:
    return escape(text, quote=True)


def _panel(top: int, caption: str, bars: Sequence[tuple[str, int]]) -> list[str]:
    """One row of bars under a caption; ``bars`` in reading order (first on the right)."""
    parts = [
        f'<text x="{WIDTH - MARGIN}" y="{top + CAPTION_BASELINE}" text-anchor="start" direction="rtl" '
        f'font-size="{CAPTION_SIZE}" font-weight="bold" fill="currentColor">{escape(caption)}</text>'
    ]
    peak = max((count for _, count in bars), default=0) or 1
    slot = (WIDTH - 2 * MARGIN) / max(len(bars), 1)
    bar_width = max(min(slot * 0.7, 40.0), 2.0)
    baseline = top + BARS_TOP + BAR_AREA
    for position, (label, count) in enumerate(bars):
        centre = WIDTH - MARGIN - slot * (position + 0.5)
        height = BAR_AREA * count / peak
        parts.append(
            f'<rect x="{centre - bar_width / 2:.1f}" y="{baseline - height:.1f}" '
            f'width="{bar_width:.1f}" height="{height:.1f}" fill="currentColor" opacity="0.8">'
            f"<title>{escape(label)}: {count}</title></rect>"
        )
        if count:
            parts.append(
                f'<text x="{centre:.1f}" y="{baseline - height - COUNT_LIFT:.1f}" text-anchor="middle" '
                f'font-size="{LABEL_SIZE}" fill="currentColor">{count}</text>'
            )
        font = LABEL_SIZE if slot >= 34 else 8
        parts.append(
            f'<text x="{centre:.1f}" y="{baseline + NAME_DROP}" text-anchor="middle" '
            f'font-size="{font}" fill="currentColor">{escape(label)}</text>'
        )
    return parts


def svg_timeline(dates: Sequence[dt.date], *, subject: str | None = None) -> str:
    """Inline SVG: articles per year, and per month of the latest year.

    ``subject`` (e.g. a tag name) goes into the accessible title.
    """
    about = f" عن {subject}" if subject else ""
    if not dates:
        label = f"لا توجد مقالات مؤرخة{about}"
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} 40" '
            f'width="100%" aria-label="{_attr(label)}"><title>{escape(label)}</title>'
            f'<text x="{WIDTH - MARGIN}" y="24" text-anchor="start" direction="rtl" '
            f'font-size="13" fill="currentColor">{escape(label)}</text></svg>'
        )
    per_year = Counter(d.year for d in dates)
    first, last = min(per_year), max(per_year)
    years = [(str(year), per_year.get(year, 0)) for year in range(first, last + 1)]
    per_month = Counter(d.month for d in dates if d.year == last)
    months = [(month_name(m), per_month.get(m, 0)) for m in range(1, 13)]
    span = f"من {first} إلى {last}" if first != last else f"في {first}"
    label = f"عدد المقالات{about} حسب السنة {span} (المجموع: {ARTICLE.counted(len(dates))})، وحسب الشهر في {last}"
    height = 2 * PANEL_HEIGHT + PANEL_GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" class="timeline-chart" aria-label="{_attr(label)}">'
        f"<title>{escape(label)}</title>",
        *_panel(0, "المقالات حسب السنة", years),
        *_panel(PANEL_HEIGHT + PANEL_GAP, f"المقالات حسب الشهر في {last}", months),
        "</svg>",
    ]
    return "".join(parts)
