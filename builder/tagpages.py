"""Tag pages: one page per tag (with stable older pages), the tags index, and
each type's alphabetical list of tags (``type_index_path``).

Pure: articles (already tagged) and the taxonomy in, Markdown files out, under
``tags/`` relative to ``docs/``. Names and titles are escaped so they render as
text; links are relative Markdown links that MkDocs checks in strict mode.

A tag's own page (``tags/<type>/<slug>.md``) shows its newest 50 briefings
and links to the tag's Atom feed of its newest 20 (``<slug>/feed.xml``, see
:mod:`builder.feeds`), which depends on those 20 only.
Older briefings are on numbered pages (``<slug>/1.md``, ``<slug>/2.md``…)
counted from the *oldest*: page 1 holds the tag's oldest 50 briefings, page 2
the next 50, and so on (see :func:`builder.archive.stable_pages`). A briefing
newer than the others therefore never changes an older page: it changes the
tag's own page, and, once every 50 briefings, publishes one more numbered page
(and gives the page before it a link to it). Older pages carry no count and no
"page n of m", which would change with every addition.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from urllib.parse import quote

from builder.arabic import sort_key
from builder.archive import StablePages, numbered_path, stable_pages
from builder.charts import svg_timeline
from builder.datefmt import short_date
from builder.feeds import TAG_FEED_LIMIT, FeedSettings, TagFeeds, tag_feed_path, tag_feed_title
from builder.model import Article, EntityRef, GeneratedFile
from builder.render import PAGE_SIZE, count_label, front_matter, link, older_pages_nav, tag_page_path
from builder.safety import escape_markdown
from builder.structured_data import Link, collection_data
from builder.taxonomy import TYPE_LABELS, TYPE_PLURALS, TYPES, Taxonomy

INDEX_PATH = "tags/index.md"
TOP_COOCCURRING = 10
MOST_MENTIONED = 20
MOST_MENTIONED_PER_TYPE = 10  # shown for each type on the tags index
TYPE_PAGE_SIZE = 200  # tags listed on one page of a type's alphabetical list
# A tag's first page is at tags/<type>/<slug>.md and its older pages one folder
# deeper (tags/<type>/<slug>/<n>.md): the link to an article is the same from
# every first page, and from every older page.
_UP_FROM_A_TAG_PAGE = "../../"
_UP_FROM_AN_OLDER_PAGE = "../../../"

_Key = tuple[str, str]


def _type_rank(type_: str) -> int:
    return TYPES.index(type_) if type_ in TYPES else len(TYPES)


class _Listing:
    """What tag pages show of each article, by its position in date order, made
    once for all its tags (a briefing is on dozens of tag pages)."""

    def __init__(self, oldest_first: Sequence[Article]) -> None:
        self.date = [a.date for a in oldest_first]
        self.year = [d.year if d else None for d in self.date]
        # Each entry in two halves, around the climb to the docs root (which
        # depends on the page): "- [title](" and "articles/….md) — date".
        self.head = [f"- [{escape_markdown(a.title)}](" for a in oldest_first]
        self.tail = [a.page_path + (f") — {short_date(a.date)}\n" if a.date else ")\n") for a in oldest_first]

    def dates(self, indices: Sequence[int]) -> list[dt.date]:
        date = self.date
        return [d for d in map(date.__getitem__, indices) if d is not None]

    def by_year(self, newest_first: Sequence[int], up: str) -> str:
        """The entries under one heading per year; undated (last) under «بلا تاريخ».
        ``up`` climbs from the page to the docs root."""
        parts: list[str] = []
        current: int | str | None = ""  # no group yet
        year, head, tail = self.year, self.head, self.tail
        for index in newest_first:
            if year[index] != current:
                current = year[index]
                if parts:
                    parts.append("\n")
                parts.append(f"### {current if current is not None else 'بلا تاريخ'}\n\n")
            parts += (head[index], up, tail[index])
        if parts:
            parts.append("\n")
        return "".join(parts)


def render_tag_pages(articles: Sequence[Article], taxonomy: Taxonomy) -> list[GeneratedFile]:
    """Every tag page and the index; deterministic for the same input."""
    return list(iter_tag_pages(articles, taxonomy))


def iter_tag_pages(
    articles: Sequence[Article],
    taxonomy: Taxonomy,
    descriptions: Mapping[tuple[str, str], str] | None = None,
    feeds: FeedSettings | None = None,
) -> Iterator[GeneratedFile]:
    """The files of :func:`render_tag_pages`, one at a time, in the same order:
    a large archive's tag pages (hundreds of megabytes at 100k briefings) can be
    written as they come instead of being held all at once. Each tag's pages
    are followed by its feed (written for ``feeds``: the defaults when None)."""
    feeds = feeds or FeedSettings()
    # One sort for every tag: oldest first (the reverse of the newest-first
    # order of ``Article.sort_key``, so undated briefings come first).
    oldest_first = sorted((a for a in articles if not a.draft), key=lambda a: a.sort_key, reverse=True)
    refs: dict[_Key, EntityRef] = {}
    number: dict[_Key, int] = {}
    tagged: list[list[int]] = []  # per tag number: positions in oldest_first
    keys_of: list[list[int]] = []
    for position, article in enumerate(oldest_first):
        mine: set[int] = set()
        for entity in article.entities:
            key = (entity.type, entity.slug)
            found = number.get(key)
            if found is None:
                found = number[key] = len(tagged)
                tagged.append([])
            if found not in mine:  # the newest article's spelling of a name wins
                refs[key] = entity
                mine.add(found)
        keys = sorted(mine)
        for n in keys:
            tagged[n].append(position)
        keys_of.append(keys)
    together = cooccurrence(keys_of, len(tagged))
    names = {key: (sort_key(ref.name), ref.slug) for key, ref in refs.items()}  # computed once per tag
    key_of = sorted(refs, key=number.__getitem__)
    listing = _Listing(oldest_first)
    tag_feeds = TagFeeds(feeds)

    for key in sorted(refs):
        n = number[key]
        counts = together[n]
        top = sorted(counts.items(), key=lambda kv: (-kv[1], names[key_of[kv[0]]], key_of[kv[0]]))[:TOP_COOCCURRING]
        related = [(refs[key_of[other]], count) for other, count in top]
        yield from _tag_pages(refs[key], tagged[n], related, taxonomy, listing, descriptions or {}, feeds)
        newest = [oldest_first[position] for position in reversed(tagged[n][-TAG_FEED_LIMIT:])]
        yield tag_feeds.feed(refs[key], tag_page_path(refs[key]), newest)
    yield from _index(refs, names, {key: len(tagged[number[key]]) for key in refs})


def cooccurrence(keys_of: Sequence[Sequence[int]], tags: int, dense: int | None = None) -> list[Counter[int]]:
    """How many articles each pair of tags shares: ``result[a][b]`` for tags ``a != b``.

    ``keys_of`` holds each article's distinct tag numbers (``0 <= n < tags``).
    Counting every pair of tags of every article costs the sum of the squares of
    the articles' tag counts, which a large archive (dozens of tags per briefing)
    makes the slowest step of its tag pages. So a tag on at least ``dense``
    articles gets a bit set of its articles instead, and two such tags are
    compared by one ``&`` of their bit sets; the others count through their own
    articles, and the dense tags take their counts from them (the count is
    symmetric). The result is exact either way."""
    total = len(keys_of)
    if dense is None:
        dense = max(64, total // 100)
    holders: list[list[int]] = [[] for _ in range(tags)]
    for index, keys in enumerate(keys_of):
        for n in keys:
            holders[n].append(index)
    together: list[Counter[int]] = [Counter() for _ in range(tags)]
    big = [n for n in range(tags) if len(holders[n]) >= dense]
    bits: dict[int, int] = {}
    for n in big:
        row = bytearray((total + 7) // 8)
        for index in holders[n]:
            row[index >> 3] |= 1 << (index & 7)
        bits[n] = int.from_bytes(row, "little")
    for position, a in enumerate(big):
        mine = bits[a]
        for b in big[position + 1 :]:
            shared = (mine & bits[b]).bit_count()
            if shared:
                together[a][b] = shared
                together[b][a] = shared
    for n in range(tags):
        if n in bits:
            continue
        counts = together[n]
        for index in holders[n]:
            counts.update(keys_of[index])
        del counts[n]
        for other in bits.keys() & counts.keys():
            together[other][n] = counts[other]
    return together


def _tag_pages(
    ref: EntityRef,
    oldest_first: list[int],
    together: list[tuple[EntityRef, int]],
    taxonomy: Taxonomy,
    listing: _Listing,
    descriptions: Mapping[tuple[str, str], str],
    feeds: FeedSettings,
) -> list[GeneratedFile]:
    path = tag_page_path(ref)
    pages = stable_pages(oldest_first, PAGE_SIZE)
    entity = taxonomy.get(ref.type, ref.slug)
    name = escape_markdown(ref.name)
    type_label = TYPE_LABELS.get(ref.type, ref.type)
    structured = collection_data(ref.name, _type_trail(ref.type), path, about=ref, about_path=path)
    feed = tag_feed_path(ref)
    # The theme's <head> links the feed from these (overrides/partials/feed-links.html).
    parts = [
        front_matter(ref.name, structured, feed=quote(feed, safe="/"), feed_title=tag_feed_title(ref, feeds)),
        f"# {name}\n\n",
    ]
    parts.append(f'<p class="tag-meta"><span class="tag-type">{type_label}</span> · {count_label(pages.total)}</p>\n\n')
    parts.append(f"[تابع عبر RSS]({link(path, feed)}){{ .feed-link }}\n\n")
    if entity is not None and entity.description:
        parts.append(escape_markdown(entity.description) + "\n\n")
    elif (ref.type, ref.slug) in descriptions:  # a discovered entity: who or what it is, from the archive
        parts.append(escape_markdown(descriptions[(ref.type, ref.slug)]) + "\n\n")
    if entity is not None and entity.implies is not None:
        country = taxonomy.get("country", entity.implies)
        if country is not None:
            parts.append(f"يقع في: [{escape_markdown(country.name)}]({link(path, tag_page_path(country.ref))})\n\n")
    parts.append("## التغطية عبر الزمن\n\n")
    parts.append(f'<figure class="timeline">{svg_timeline(listing.dates(oldest_first), subject=ref.name)}</figure>\n\n')
    older = older_pages_nav(path, len(pages.blocks))
    parts.append(older)
    parts.append(f"## الإحاطات التي تذكر {name}\n\n")
    parts.append(listing.by_year(pages.newest, _UP_FROM_A_TAG_PAGE))
    if together:
        parts.append("## وسوم تظهر معه كثيرًا\n\n")
        for other, count in together:
            parts.append(
                f"- [{escape_markdown(other.name)}]({link(path, tag_page_path(other))}) "
                f"({TYPE_LABELS.get(other.type, other.type)}، {count_label(count)})\n"
            )
        parts.append("\n")
    parts.append(older)
    parts.append(f"[كل الوسوم]({link(path, INDEX_PATH)})\n")
    files = [GeneratedFile(path, "".join(parts))]
    files.extend(_numbered_page(ref, path, number, pages, listing) for number in range(1, len(pages.blocks) + 1))
    return files


def _numbered_page(ref: EntityRef, path: str, number: int, pages: StablePages[int], listing: _Listing) -> GeneratedFile:
    """Older page ``number``: its content depends only on its own block (and on
    whether a newer block is published, for the link to it)."""
    block = pages.blocks[number - 1]
    here = numbered_path(path, number)
    title = f"{ref.name} (الصفحة {number})"
    newer = numbered_path(path, number + 1) if number < len(pages.blocks) else path
    nav = [f"[→ إحاطات أحدث]({link(here, newer)})"]
    if newer != path:
        nav.append(f"[الأحدث]({link(here, path)})")
    if number > 1:
        nav.append(f"[إحاطات أقدم ←]({link(here, numbered_path(path, number - 1))})")
    pager = '<nav class="pager" markdown>' + " · ".join(nav) + "</nav>\n\n"
    dates = listing.dates(block)
    if not dates:
        span = "إحاطات بلا تاريخ"
    elif dates[0] == dates[-1]:
        span = f"إحاطات {short_date(dates[0])}"
    else:
        span = f"إحاطات من {short_date(dates[0])} إلى {short_date(dates[-1])}"
    type_label = TYPE_LABELS.get(ref.type, ref.type)
    trail = (*_type_trail(ref.type), (ref.name, path))
    structured = collection_data(title, trail, here, crumb=f"الصفحة {number}", about=ref, about_path=path)
    parts = [
        front_matter(title, structured),
        f"# {escape_markdown(title)}\n\n",
        f'<p class="tag-meta"><span class="tag-type">{type_label}</span> · {span} (الصفحات مرقّمة من الأقدم)</p>\n\n',
        pager,
        f"## الإحاطات التي تذكر {escape_markdown(ref.name)}\n\n",
        listing.by_year(block[::-1], _UP_FROM_AN_OLDER_PAGE),
        pager,
        f"[كل الوسوم]({link(here, INDEX_PATH)})\n",
    ]
    return GeneratedFile(here, "".join(parts))


_TAGS_TRAIL: tuple[Link, ...] = (("الوسوم", INDEX_PATH),)


def _type_trail(type_: str) -> tuple[Link, ...]:
    """The breadcrumb above a tag's pages: the tags index, then its type's list."""
    return (*_TAGS_TRAIL, (TYPE_PLURALS.get(type_, type_), type_index_path(type_)))


def type_index_path(type_: str, number: int = 1) -> str:
    """Page ``number`` of the alphabetical list of one type's tags: ``tags/<type>.md``,
    then ``tags/<type>-2.md`` … (a tag's own slug is never ``index``, so
    ``tags/<type>.md`` and the tag pages under ``tags/<type>/`` never meet)."""
    return f"tags/{type_}.md" if number == 1 else f"tags/{type_}-{number}.md"


def _index(
    refs: dict[_Key, EntityRef], names: dict[_Key, tuple[tuple[str, str], str]], counts: dict[_Key, int]
) -> Iterator[GeneratedFile]:
    """The tags index (the most mentioned tags, overall and per type), then each
    type's alphabetical list in pages of ``TYPE_PAGE_SIZE``: no page grows with
    the number of tags but those lists' pagers (one link per 200 tags)."""
    parts = [front_matter("الوسوم", collection_data("الوسوم", (), INDEX_PATH)), "# الوسوم\n\n"]
    parts.append(
        "الدول والأماكن والشخصيات والمنظمات والموضوعات التي تذكرها الإحاطات، "
        "ومع كل وسم عدد الإحاطات التي تذكره. لكل نوع قائمة كاملة مرتبة أبجديًا.\n\n"
    )

    def item(from_page: str, key: _Key) -> str:
        ref = refs[key]
        return f"- [{escape_markdown(ref.name)}]({link(from_page, tag_page_path(ref))}) ({counts[key]})\n"

    def most_mentioned(keys: Iterable[_Key]) -> list[_Key]:
        return sorted(keys, key=lambda k: (-counts[k], names[k], _type_rank(k[0])))

    if refs:
        parts.append("## الأكثر ذكرًا\n\n")
        parts.extend(item(INDEX_PATH, key) for key in most_mentioned(refs)[:MOST_MENTIONED])
        parts.append("\n")
    else:
        parts.append("لا توجد وسوم بعد.\n\n")
    types = sorted({key[0] for key in refs}, key=lambda t: (_type_rank(t), t))
    by_type = {type_: sorted((k for k in refs if k[0] == type_), key=names.__getitem__) for type_ in types}
    for type_, keys in by_type.items():
        plural = TYPE_PLURALS.get(type_, type_)
        parts.append(f"## {plural} ({len(keys)})\n\n")
        parts.extend(item(INDEX_PATH, key) for key in most_mentioned(keys)[:MOST_MENTIONED_PER_TYPE])
        parts.append(f"\n[كل {plural}، مرتبة أبجديًا ←]({link(INDEX_PATH, type_index_path(type_))})\n\n")
    yield GeneratedFile(INDEX_PATH, "".join(parts))

    for type_, keys in by_type.items():
        blocks = [keys[at : at + TYPE_PAGE_SIZE] for at in range(0, len(keys), TYPE_PAGE_SIZE)]
        plural = TYPE_PLURALS.get(type_, type_)
        for number, block in enumerate(blocks, start=1):
            here = type_index_path(type_, number)
            title = plural if number == 1 else f"{plural} (الصفحة {number})"
            if number == 1:
                structured = collection_data(title, _TAGS_TRAIL, here)
            else:
                trail = (*_TAGS_TRAIL, (plural, type_index_path(type_)))
                structured = collection_data(title, trail, here, crumb=f"الصفحة {number}")
            page = [front_matter(title, structured), f"# {title}\n\n"]
            page.append(f"كل {plural} التي تذكرها الإحاطات ({len(keys)})، مرتبة أبجديًا، ومع كل وسم عدد إحاطاته.\n\n")
            pager = _alphabet_pager(here, type_, blocks, refs) if len(blocks) > 1 else ""
            page.append(pager)
            page.extend(item(here, key) for key in block)
            page.append("\n" + pager + f"[→ الوسوم]({link(here, INDEX_PATH)})\n")
            yield GeneratedFile(here, "".join(page))


def _alphabet_pager(here: str, type_: str, blocks: list[list[_Key]], refs: dict[_Key, EntityRef]) -> str:
    """Every page of a type's list, each named by its first and last tag."""
    entries = []
    for number, block in enumerate(blocks, start=1):
        span = f"{escape_markdown(refs[block[0]].name)} – {escape_markdown(refs[block[-1]].name)}"
        target = type_index_path(type_, number)
        entries.append(f"**{span}**" if target == here else f"[{span}]({link(here, target)})")
    return '<nav class="pager" markdown>' + " · ".join(entries) + "</nav>\n\n"
