"""Model step: a raw article (metadata as found + raw body) becomes a validated
:class:`Article`, or a list of problems that say how to fix the file."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from pathlib import PurePosixPath

from builder.arabic import ascii_digits
from builder.cleaning import BoilerplateRules, body_paragraphs, clean_body, finish_body, tidy_line
from builder.feeds import GZIP_LATEST
from builder.model import Article, Problem, RawArticle, Severity
from builder.safety import bound_markdown, escape_plain_body, is_safe_url, neutralize_markdown
from builder.slugs import slugify
from builder.wire import WireBody, date_disagreement, default_outlets, read_body

KNOWN_KEYS = (
    "title",
    "date",
    "source",
    "url",
    "author",
    "tags",
    "slug",
    "summary",
    "draft",
    "publish_after",
    "dateline",
    "note",
)
MAX_TITLE_CHARS = 300
MAX_SUMMARY_CHARS = 280
MAX_TAG_CHARS = 80
MAX_TAGS = 100  # front-matter tags kept per article: each may make a tag page
_SENTENCE = re.compile(r"^(.+?[.!؟?])(?:\s|$)")
# Linear: a link's text stops at the next bracket, its target at the next bracket or ")".
_MARKDOWN_MARKUP = re.compile(r"!?\[([^\[\]]*+)\]\([^)\[\]]*+\)|[*_`#]+|^>\s*|\\(?=.)")


class _Collector:
    """Gathers every problem in one file so the user can fix them in one pass."""

    def __init__(self, raw: RawArticle) -> None:
        self.path = raw.source_path
        lines = raw.metadata.get("__lines__")
        self.lines: dict[str, int] = lines if isinstance(lines, dict) else {}
        self.problems: list[Problem] = []

    def error(self, message: str, key: str | None = None) -> None:
        self.problems.append(Problem(self.path, message, Severity.ERROR, self.lines.get(key or "")))

    def warning(self, message: str, key: str | None = None) -> None:
        self.problems.append(Problem(self.path, message, Severity.WARNING, self.lines.get(key or "")))

    @property
    def failed(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)


def _text(value: object, key: str, out: _Collector) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        out.error(f"'{key}' must be text, not {type(value).__name__}", key)
        return None
    text = tidy_line(str(value))
    return text or None


def _title(value: object, out: _Collector) -> str:
    if isinstance(value, str) and ("\n" in value.strip() or "\r" in value):
        out.error("'title' must be a single line", "title")
        return ""
    title = _text(value, "title", out)
    if not title:
        out.error("no title: add 'title:' to the front matter (or a first line in a .txt file)", "title")
        return ""
    if not any(_is_visible(char) for char in title):
        out.error("'title' has no letters, only diacritics or other marks: it would be an invisible heading", "title")
        return ""
    if "---" in title:
        out.error("'title' must not contain '---' (it would break the page header)", "title")
    if len(title) > MAX_TITLE_CHARS:
        out.error(f"'title' has {len(title)} characters; at most {MAX_TITLE_CHARS} are allowed", "title")
    return title


def _is_visible(char: str) -> bool:
    """A character a title shows on its own: not a combining mark, tatweel or space."""
    return not (unicodedata.category(char).startswith("M") or char == "\u0640" or char.isspace())


def _date(value: object, out: _Collector, key: str = "date") -> tuple[dt.date | None, dt.datetime | None]:
    day, moment = _parse_date(value, out, key)
    if moment is not None and moment.tzinfo is not None:
        try:
            moment.astimezone(dt.UTC)
        except OverflowError:
            # The feed and the sitemap give every time in UTC: this one has none.
            out.error(f"'{key}' {value!s} falls outside the years 1–9999 once converted to UTC", key)
            return None, None
    when = moment or (dt.datetime.combine(day, dt.time()) if day else None)
    if key == "date" and when is not None and when.replace(tzinfo=when.tzinfo or dt.UTC) > GZIP_LATEST:
        out.warning(
            f"'date' {value!s} is after {GZIP_LATEST:%Y-%m-%d}, the latest time a gzip header holds: "
            "sitemap.xml.gz is stamped with that day instead (is the year right?)",
            key,
        )
    return day, moment


def _parse_date(value: object, out: _Collector, key: str) -> tuple[dt.date | None, dt.datetime | None]:
    if value is None or value == "":
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), value
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, str):
        text = ascii_digits(value.strip())
        try:
            if len(text) <= 10:
                return dt.date.fromisoformat(text), None
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            return moment.date(), moment
        except ValueError:
            pass
    out.error(f"'{key}' is not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM]): {value!r}", key)
    return None, None


def _tags(value: object, out: _Collector) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        out.error("'tags' must be a list of names", "tags")
        return ()
    tags: list[str] = []
    for item in items:
        tag = _text(item, "tags", out)
        if tag and len(tag) > MAX_TAG_CHARS:
            out.error(f"tag {tag[:30]!r}… is longer than {MAX_TAG_CHARS} characters", "tags")
        elif tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        out.warning(f"{len(tags)} tags; only the first {MAX_TAGS} are kept (each tag may make a page)", "tags")
        return tuple(tags[:MAX_TAGS])
    return tuple(tags)


def _bool(value: object, key: str, out: _Collector) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        out.error(f"'{key}' must be true or false", key)
        return False
    return value


def _slug(value: object, path: str, out: _Collector) -> str:
    if value is not None:
        given = _text(value, "slug", out) or ""
        slug = slugify(given)
        if not slug:
            out.error(f"'slug' {given!r} has no letters or digits to make an address from", "slug")
        return slug
    slug = slugify(PurePosixPath(path).stem)
    # A stem with no letters or digits still needs a stable address.
    return slug or "article-" + hashlib.sha1(path.encode("utf-8")).hexdigest()[:10]


def plain_body(text: str, rules: BoilerplateRules | None = None) -> WireBody:
    """A plain file's paragraphs after phrase-list boilerplate, with its wire
    dateline and trailers read: what the article shows and what the archive
    learns its recurring lines from (``pipeline.learn_plain_boilerplate``)."""
    return read_body(body_paragraphs(text, rules, plain_text=True))


def plain_summary(body_markdown: str) -> str:
    """The first sentence of the first paragraph, as plain text."""
    for paragraph in body_markdown.split("\n\n"):
        if paragraph.startswith("#"):
            continue
        text = _MARKDOWN_MARKUP.sub(lambda m: m.group(1) or "", paragraph).replace("\n", " ").strip()
        text = text.replace("&lt;", "<").replace("&amp;", "&")
        if not text:
            continue
        match = _SENTENCE.match(text)
        sentence = match.group(1) if match else text
        if len(sentence) > MAX_SUMMARY_CHARS:
            sentence = sentence[:MAX_SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"
        return sentence
    return ""


def model_article(
    raw: RawArticle,
    rules: BoilerplateRules | None = None,
    *,
    unknown_keys_are_errors: bool = False,
) -> tuple[Article | None, tuple[Problem, ...]]:
    """Validate metadata, clean the body and build the Article. Returns the
    article (None when any error was found) and every problem seen."""
    out = _Collector(raw)
    meta = {k: v for k, v in raw.metadata.items() if k != "__lines__"}
    for key in sorted(set(meta) - set(KNOWN_KEYS)):
        message = f"unknown key '{key}' (known: {', '.join(KNOWN_KEYS)})"
        (out.error if unknown_keys_are_errors else out.warning)(message, key)

    title = _title(meta.get("title"), out)
    date, published = _date(meta.get("date"), out)
    embargo_day, embargo = _date(meta.get("publish_after"), out, "publish_after")
    if embargo is None and embargo_day is not None:
        embargo = dt.datetime.combine(embargo_day, dt.time())
    url = _text(meta.get("url"), "url", out)
    if url and not (is_safe_url(url) and url.lower().startswith(("http://", "https://"))):
        out.error(f"'url' must be an http:// or https:// address: {url[:80]!r}", "url")
        url = None
    plain = raw.source_path.lower().endswith(".txt")
    source = _text(meta.get("source"), "source", out)
    dateline = _text(meta.get("dateline"), "dateline", out)
    if plain:
        # A plain file is read as wire copy: dateline, trailers, learned edges.
        wire = plain_body(raw.body, rules)
        cleaned = finish_body(wire.paragraphs, rules)
        found = wire.dateline
        if found is not None and dateline is None:
            dateline = found.text
            if date is None and found.date is not None:
                date, published = found.date.date, found.date.moment
            elif date is not None and (warning := date_disagreement(date, found)) is not None:
                out.warning(warning, "date")
            if source is None and found.agency:
                source = default_outlets().display(found.agency)
    else:
        cleaned = clean_body(raw.body, rules, plain_text=False)
    if not cleaned.strip():
        out.error("the article has no body text (it is empty, or only boilerplate, after cleaning)")
    body = bound_markdown(escape_plain_body(cleaned) if plain else neutralize_markdown(cleaned))
    summary = _text(meta.get("summary"), "summary", out) or plain_summary(body)
    article = Article(
        source_path=raw.source_path,
        slug=_slug(meta.get("slug"), raw.source_path, out),
        title=title,
        body=body,
        summary=summary,
        date=date,
        published=published,
        source=source,
        url=url,
        author=_text(meta.get("author"), "author", out),
        tags=_tags(meta.get("tags"), out),
        draft=_bool(meta.get("draft"), "draft", out),
        publish_after=embargo,
        dateline=dateline,
        note=_text(meta.get("note"), "note", out),
    )
    return (None if out.failed else article), tuple(out.problems)
