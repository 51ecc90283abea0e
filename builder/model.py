"""The data model: frozen records that flow one way through the pipeline.

read → clean → model → tag → relate → render → write → publish
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import overload


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file. ``line`` is 1-based when known."""

    path: str
    message: str
    severity: Severity = Severity.ERROR
    line: int | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.severity.value}: {self.message}"


@dataclass(frozen=True)
class RawArticle:
    """What a reader returns: metadata as found, body text not yet cleaned."""

    source_path: str  # posix, relative to the source folder
    metadata: dict[str, object]
    body: str
    body_line: int  # 1-based line of the body's first line in the file


@dataclass(frozen=True, slots=True)
class EntityRef:
    """A tag: an entity of the taxonomy (or a free topic) an article mentions."""

    type: str  # country | place | person | organization | topic
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class Mention:
    """The first mention of an entity in an article's body that may become a link
    (outside headings, code, links, raw HTML and URLs): offsets into ``Article.body``."""

    type: str
    slug: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mentions(Sequence[Mention]):
    """An article's first mentions, in body order, kept compact: the entities
    (shared objects) and their offsets packed as 32-bit integers. A synthetic
    100k archive has about 4 million of them; as objects they took ~500 MB."""

    refs: tuple[EntityRef, ...] = ()
    spans: bytes = b""  # start, end of each mention, as array("I")

    @classmethod
    def of(cls, mentions: Iterable[tuple[EntityRef, int, int]]) -> Mentions:
        refs: list[EntityRef] = []
        spans = array("I")
        for ref, start, end in mentions:
            refs.append(ref)
            spans.extend((start, end))
        return cls(tuple(refs), spans.tobytes())

    def __len__(self) -> int:
        return len(self.refs)

    @overload
    def __getitem__(self, index: int) -> Mention: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Mention]: ...
    def __getitem__(self, index: int | slice) -> Mention | Sequence[Mention]:
        return tuple(self)[index]  # rare (tests, debugging); rendering iterates

    def __iter__(self) -> Iterator[Mention]:
        spans = array("I")
        spans.frombytes(self.spans)
        for number, ref in enumerate(self.refs):
            yield Mention(ref.type, ref.slug, spans[2 * number], spans[2 * number + 1])


@dataclass(frozen=True, slots=True)  # slots: 100k articles stay small in memory
class Article:
    """A cleaned, validated article, ready to be tagged and rendered."""

    source_path: str  # posix, relative to the source folder
    slug: str  # page at docs/articles/<slug>.md, URL articles/<slug>/
    title: str
    body: str  # cleaned Markdown: paragraphs separated by blank lines, "## " subheadings
    summary: str  # from front matter, else the first sentence of the body
    date: dt.date | None = None
    published: dt.datetime | None = None  # when the source gives a time as well
    source: str | None = None  # the outlet
    url: str | None = None  # the original article
    author: str | None = None
    tags: tuple[str, ...] = ()  # explicit front-matter tags, as written
    draft: bool = False
    publish_after: dt.datetime | None = None  # embargo: withheld until then
    entities: tuple[EntityRef, ...] = ()  # filled by the tagger
    mentions: Mentions = Mentions()  # filled by the tagger, in body order

    @property
    def page_path(self) -> str:
        """Path of the generated page, relative to ``docs/``."""
        return f"articles/{self.slug}.md"

    @property
    def sort_key(self) -> tuple[int, float, str]:
        """Newest first, undated last; the slug makes the order total."""
        ordinal = self.date.toordinal() if self.date else 0
        moment = self.published
        seconds = moment.hour * 3600 + moment.minute * 60 + moment.second if moment else 0
        return (-ordinal, -seconds, self.slug)


@dataclass(frozen=True)
class Rejection:
    """An input file that did not become a page, and why."""

    source_path: str
    reason: str
    line: int | None = None


@dataclass(frozen=True)
class GeneratedFile:
    """A file the builder owns, relative to ``docs/``."""

    path: str
    content: str


@dataclass(frozen=True)
class BuildResult:
    articles: tuple[Article, ...]
    rejections: tuple[Rejection, ...]
    problems: tuple[Problem, ...]
    files: tuple[GeneratedFile, ...] = field(default=())
