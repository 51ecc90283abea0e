"""Cleaning: scraped article text in, tidy Markdown body out.

A pure function of its input and the boilerplate rules. The author's words are
kept exactly (hamza, diacritics, spelling); only layout junk goes:

* Unicode NFC; zero-width and bidi-control characters removed;
* lines holding only spaces or no-break spaces become paragraph breaks, and runs
  of white space inside a line collapse to one space;
* site boilerplate (comment forms, share bars, "اقرأ أيضا" link lines) is
  dropped, by the phrases in ``data/boilerplate.yml``;
* a short line with no sentence-ending punctuation, standing between two
  paragraphs, is a subheading and becomes ``## …``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from builder.arabic import normalize, strip_invisible
from builder.errors import ConfigError
from builder.recurring import strip_edges

BOILERPLATE_FILE = Path(__file__).parent / "data" / "boilerplate.yml"
MAX_PREFIX_LINE_WORDS = 20
MAX_SUBHEADING_WORDS = 8
MAX_SUBHEADING_CHARS = 60

_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_EDGE_PUNCTUATION = " \t.:،,؛;!?؟*-–—_|«»\"'()[]"
_SENTENCE_END = tuple('.!?؟:؛;…»"”)')
# Markdown block starts that must never be mistaken for a subheading.
_MARKDOWN_BLOCK = re.compile(r"^(#|>|[-*+]\s|\d+[.)]\s|\||```|~~~|<|!\[|\[)")


@dataclass(frozen=True)
class BoilerplateRules:
    drop_lines: frozenset[str]
    drop_prefixes: tuple[str, ...]
    tail_markers: frozenset[str]
    longest: int = 0  # characters of the longest whole-line phrase
    # Lines learned as boilerplate of the file's group (``builder.recurring``): they
    # leave the body's edges only. Set per file by the pipeline for plain files.
    edge_lines: frozenset[str] = frozenset()


def _match_form(line: str) -> str:
    """The form boilerplate is compared in: normalised, punctuation trimmed."""
    return _SPACES.sub(" ", normalize(line)).strip(_EDGE_PUNCTUATION)


def parse_rules(data: object, origin: str) -> BoilerplateRules:
    """Validate the boilerplate data file; every problem is reported at once."""
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: expected a mapping with drop_lines, drop_prefixes, tail_markers")
    errors: list[str] = []
    lists: dict[str, list[str]] = {}
    for key in ("drop_lines", "drop_prefixes", "tail_markers"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            errors.append(f"{origin}: '{key}' must be a list of non-empty phrases")
            value = []
        lists[key] = value
    unknown = sorted(set(data) - set(lists))
    if unknown:
        errors.append(f"{origin}: unknown keys {', '.join(unknown)}")
    if errors:
        raise ConfigError("\n".join(errors))
    drop_lines = frozenset(_match_form(v) for v in lists["drop_lines"])
    tail_markers = frozenset(_match_form(v) for v in lists["tail_markers"])
    return BoilerplateRules(
        drop_lines=drop_lines,
        drop_prefixes=tuple(_match_form(v) for v in lists["drop_prefixes"]),
        tail_markers=tail_markers,
        longest=max((len(p) for p in drop_lines | tail_markers), default=0),
    )


@cache
def default_rules() -> BoilerplateRules:
    with BOILERPLATE_FILE.open(encoding="utf-8") as handle:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return parse_rules(yaml.load(handle, Loader=loader), str(BOILERPLATE_FILE))  # noqa: S506 - a safe loader


def tidy_line(line: str) -> str:
    """NFC, invisible characters gone, white space collapsed and trimmed."""
    # Invisible characters go first: removing one from between two marks would
    # otherwise leave a sequence that NFC reorders on the next pass.
    # " ".join(split()) collapses exactly _SPACES' white space, several times faster.
    return " ".join(unicodedata.normalize("NFC", strip_invisible(line)).split())


def is_boilerplate(line: str, rules: BoilerplateRules) -> bool:
    if line.count(" ") >= MAX_PREFIX_LINE_WORDS and len(line) > 2 * rules.longest:
        return False  # too long for any phrase, too many words for a prefix: skip normalising it
    form = _match_form(line)
    if not form:
        return False
    if form in rules.drop_lines:
        return True
    return len(form.split()) <= MAX_PREFIX_LINE_WORDS and form.startswith(rules.drop_prefixes)


def _paragraphs(text: str, *, line_is_paragraph: bool) -> list[str]:
    """Split into paragraphs. Plain text from scrapers puts one paragraph per line;
    Markdown joins consecutive lines into one paragraph."""
    paragraphs: list[str] = []
    current: list[str] = []
    in_fence = False
    for raw in text.split("\n"):
        line = tidy_line(raw) if not in_fence else raw.rstrip()
        if line.startswith(("```", "~~~")):
            in_fence = not in_fence
        if not line and not in_fence:
            if current:
                paragraphs.append("\n".join(current))
                current = []
            continue
        current.append(line)
        if line_is_paragraph and not in_fence:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return paragraphs


def _drop_boilerplate(paragraphs: list[str], rules: BoilerplateRules) -> list[str]:
    kept: list[str] = []
    half = len(paragraphs) // 2
    for index, paragraph in enumerate(paragraphs):
        lines = paragraph.split("\n")
        if index >= half and len(lines) == 1 and _match_form(lines[0]) in rules.tail_markers:
            break  # a comment form or footer: nothing after it belongs to the article
        lines = [line for line in lines if not is_boilerplate(line, rules)]
        if lines:
            kept.append("\n".join(lines))
    return kept


def looks_like_subheading(paragraph: str) -> bool:
    """A short single line with no sentence-ending punctuation."""
    if "\n" in paragraph or _MARKDOWN_BLOCK.match(paragraph):
        return False
    if len(paragraph) > MAX_SUBHEADING_CHARS or len(paragraph.split()) > MAX_SUBHEADING_WORDS:
        return False
    return not paragraph.endswith(_SENTENCE_END) and any(ch.isalpha() for ch in paragraph)


def _mark_subheadings(paragraphs: list[str]) -> list[str]:
    marked = list(paragraphs)
    for index in range(1, len(paragraphs) - 1):
        if (
            looks_like_subheading(paragraphs[index])
            and not looks_like_subheading(paragraphs[index - 1])
            and not looks_like_subheading(paragraphs[index + 1])
        ):
            marked[index] = "## " + paragraphs[index]
    return marked


def body_paragraphs(text: str, rules: BoilerplateRules | None = None, *, plain_text: bool = True) -> list[str]:
    """A body's paragraphs without the phrase-list boilerplate: what learning and
    wire reading look at, before :func:`finish_body`."""
    rules = rules or default_rules()
    return _drop_boilerplate(_paragraphs(text, line_is_paragraph=plain_text), rules)


def finish_body(paragraphs: Sequence[str], rules: BoilerplateRules | None = None) -> str:
    """The body text: learned boilerplate gone from its edges, subheadings marked."""
    kept = list(paragraphs)
    if rules is not None and rules.edge_lines:
        kept, _ = strip_edges(kept, rules.edge_lines)
    return "\n\n".join(_mark_subheadings(kept))


def clean_body(text: str, rules: BoilerplateRules | None = None, *, plain_text: bool = True) -> str:
    """Clean an article body. ``plain_text`` is True for ``.txt`` sources (one
    paragraph per line) and False for Markdown (blank lines separate paragraphs).

    Idempotent: cleaning a cleaned body changes nothing.
    """
    rules = rules or default_rules()
    return finish_body(body_paragraphs(text, rules, plain_text=plain_text), rules)
