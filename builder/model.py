"""The data model: frozen records that flow one way through the pipeline.

read → clean → model → tag → relate → render → write → publish
"""

from __future__ import annotations

import datetime as dt
import functools
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
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

    def __reduce__(self) -> tuple[Callable[[str, str, str], EntityRef], tuple[str, str, str]]:
        # Articles come back from worker processes and the build cache one
        # pickle each: unpickled plainly, every article would get its own
        # copies of the same few thousand tags (0.25 GB at 100k articles).
        return (_shared_entity_ref, (self.type, self.slug, self.name))


@functools.cache  # one instance per tag, for the life of the process
def _shared_entity_ref(type_: str, slug: str, name: str) -> EntityRef:
    return EntityRef(type_, slug, name)


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
    dateline: str | None = None  # a wire dateline as written ("الرياض 25 شوال 1436 هـ … واس")
    note: str | None = None  # an editor's or wire note shown under the title ("إضافة أولى")

    def __reduce__(self) -> tuple[Callable[..., Article], tuple[object, ...]]:
        # Pickling a str makes CPython keep a UTF-8 copy inside it for good:
        # saving the build cache would double every body held in memory
        # (0.5 GB at 100k articles). Text goes as bytes instead, and no field
        # is bytes of its own, so loading decodes every bytes value back.
        values = (getattr(self, name) for name in _ARTICLE_FIELDS)
        return (_article_from_pickle, tuple(v.encode() if isinstance(v, str) else v for v in values))

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


_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))


def _article_from_pickle(*values: object) -> Article:
    return Article(*(v.decode() if isinstance(v, bytes) else v for v in values))  # type: ignore[arg-type]


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
