"""Candidates to source files: the cleaned body, the front matter, the path."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

import yaml

from builder.arabic import normalize
from builder.cleaning import clean_body
from builder.errors import BuilderError
from builder.ingest.boilerplate import drop_policy
from builder.ingest.records import Candidate
from builder.limits import size_problem
from builder.modeling import model_article
from builder.readers import read_markdown
from builder.safety import escape_plain_body
from builder.slugs import slugify


@dataclass(frozen=True)
class Prepared:
    """A candidate made into the exact file ingest would write."""

    candidate: Candidate
    folder: str  # "YYYY/MM" or "undated"
    slug: str
    clean_text: str  # the cleaned body as plain text, for duplicate detection
    warnings: tuple[str, ...]

    def render(self, slug: str | None = None) -> str:
        return render(self.candidate, slug or self.slug, self.clean_text)


class NotAnArticle(BuilderError):
    """The candidate cannot become a source file the builder accepts."""


def clean(candidate: Candidate) -> str:
    return clean_body(drop_policy(candidate.body), plain_text=False)


def _markdown_body(candidate: Candidate, cleaned: str) -> str:
    if candidate.markdown:
        return cleaned
    # Plain text must show as written: escape what Markdown would read as syntax.
    return escape_plain_body(cleaned)


def folder_of(candidate: Candidate) -> str:
    if candidate.date is None:
        return "undated"
    return f"{candidate.date.date.year:04d}/{candidate.date.date.month:02d}"


def slug_of(candidate: Candidate) -> str:
    for text in (candidate.slug, candidate.title, candidate.fallback_slug):
        slug = slugify(text) if text else ""
        if slug:
            return slug
    return "article-" + hashlib.sha1(candidate.origin.encode("utf-8")).hexdigest()[:10]


def render(candidate: Candidate, slug: str, cleaned: str) -> str:
    header: dict[str, object] = {"title": candidate.title}
    if candidate.date is not None:
        header["date"] = candidate.date.value
    for key in ("source", "url", "author", "dateline", "note"):
        value = getattr(candidate, key)
        if value:
            header[key] = value
    if candidate.tags:
        header["tags"] = list(candidate.tags)
    header["slug"] = slug
    if candidate.summary:
        header["summary"] = candidate.summary
    front = yaml.safe_dump(header, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{front}---\n\n{_markdown_body(candidate, cleaned)}\n"


def prepare(candidate: Candidate) -> Prepared:
    """Clean and check one candidate; raises :class:`NotAnArticle` with the reason."""
    warnings = list(candidate.warnings)
    if candidate.url and not candidate.url.lower().startswith(("http://", "https://")):
        warnings.append(f"dropped url that is not http(s): {candidate.url[:80]!r}")
        candidate = replace(candidate, url=None)
    cleaned = clean(candidate)
    if not cleaned.strip():
        raise NotAnArticle("no body text (empty, or only boilerplate, after cleaning)")
    prepared = Prepared(candidate, folder_of(candidate), slug_of(candidate), cleaned, tuple(warnings))
    check(prepared.render(), f"{prepared.folder}/{prepared.slug}.md")
    return prepared


def check(text: str, relative: str) -> None:
    """Read the file back as the builder will; refuse what it would refuse."""
    too_large = size_problem(len(text.encode("utf-8")))
    if too_large:
        # The same limit the build applies (builder.limits): never write what it refuses.
        raise NotAnArticle(f"too large for the build: the source {too_large}")
    try:
        raw = read_markdown(text, relative)
    except BuilderError as exc:
        raise NotAnArticle(str(exc)) from None
    article, problems = model_article(raw)
    if article is None:
        errors = [p.message for p in problems if p.severity.value == "error"]
        raise NotAnArticle("; ".join(errors) or "the builder would not accept it")


def identity(text: str, relative: str) -> tuple[str, str] | None:
    """What makes an existing source file "the same article": its URL, else its title."""
    try:
        raw = read_markdown(text, relative)
    except BuilderError:
        return None
    url = raw.metadata.get("url")
    if isinstance(url, str) and url.strip():
        return ("url", url.strip())
    title = raw.metadata.get("title")
    return ("title", normalize(str(title)).strip()) if title else None


def identity_of(candidate: Candidate) -> tuple[str, str]:
    if candidate.url:
        return ("url", candidate.url.strip())
    return ("title", normalize(candidate.title).strip())
