"""The records ingest passes between its stages."""

from __future__ import annotations

from dataclasses import dataclass

from builder.dateparse import ParsedDate


@dataclass(frozen=True)
class Candidate:
    """One article found in an input, metadata extracted, body plain text
    (paragraphs separated by blank lines) but not yet cleaned."""

    origin: str  # the input file, with "#<n>" for the n-th record of a multi-record file
    title: str
    body: str
    date: ParsedDate | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()
    summary: str | None = None
    fallback_slug: str = ""  # from the file name or record id, when the title makes none
    slug: str | None = None  # given by the input (a Markdown front matter), wins over the title
    markdown: bool = False  # body is Markdown already (from a .md input), not plain text
    dateline: str | None = None  # a wire dateline read off the body's start, as written
    note: str | None = None  # a wire note moved out of the title ("إضافة أولى")
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rejected:
    """An input (or one record of it) that cannot become an article."""

    origin: str
    reason: str


Item = Candidate | Rejected


@dataclass(frozen=True)
class Outcome:
    """What ingest did with one input item; one line of the report."""

    origin: str
    status: str  # written | duplicate | joined | unchanged | rejected
    output: str | None = None  # the source file written or found unchanged
    reason: str | None = None  # why rejected, or "duplicate of <origin>"
    warnings: tuple[str, ...] = ()

    def describe(self) -> str:
        """The report line: ``origin: status (reason) -> output``."""
        text = f"{self.origin}: {self.status}"
        if self.reason:
            text += f" ({self.reason})" if self.status == "rejected" else f": {self.reason}"
        if self.output and self.status in ("written", "unchanged"):
            text += f" -> {self.output}"
        return text
