"""Tag pages: one page per tag (paginated), and the tags index.

Pure: articles (already tagged) and the taxonomy in, Markdown files out, under
``tags/`` relative to ``docs/``. Names and titles are escaped so they render as
text; links are relative Markdown links that MkDocs checks in strict mode.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from builder.arabic import sort_key
from builder.charts import svg_timeline
from builder.datefmt import short_date
from builder.model import Article, EntityRef, GeneratedFile
from builder.render import PAGE_SIZE, count_label, front_matter, link, pager, paginate, tag_page_path
from builder.safety import escape_markdown
from builder.taxonomy import TYPE_LABELS, TYPE_PLURALS, TYPES, Taxonomy

INDEX_PATH = "tags/index.md"
TOP_COOCCURRING = 10
MOST_MENTIONED = 20

_Key = tuple[str, str]


def _type_rank(type_: str) -> int:
    return TYPES.index(type_) if type_ in TYPES else len(TYPES)


def _by_name(ref: EntityRef) -> tuple[tuple[str, str], str]:
    return (sort_key(ref.name), ref.slug)


def render_tag_pages(articles: Sequence[Article], taxonomy: Taxonomy) -> list[GeneratedFile]:
    """Every tag page and the index; deterministic for the same input."""
    published = [a for a in articles if not a.draft]
    refs: dict[_Key, EntityRef] = {}
    tagged: dict[_Key, list[Article]] = defaultdict(list)
    together: dict[_Key, Counter[_Key]] = defaultdict(Counter)
    for article in published:
        keys = sorted({(e.type, e.slug) for e in article.entities})
        for entity in article.entities:
            refs.setdefault((entity.type, entity.slug), entity)
        for key in keys:
            tagged[key].append(article)
            together[key].update(k for k in keys if k != key)

    files: list[GeneratedFile] = []
    for key in sorted(refs):
        ref = refs[key]
        files.extend(_tag_pages(ref, tagged[key], together[key], refs, taxonomy))
    files.append(_index(refs, {k: len(v) for k, v in tagged.items()}))
    return files


def _tag_pages(
    ref: EntityRef,
    articles: list[Article],
    together: Counter[_Key],
    refs: dict[_Key, EntityRef],
    taxonomy: Taxonomy,
) -> list[GeneratedFile]:
    ordered = sorted(articles, key=lambda a: a.sort_key)
    pages = paginate(tag_page_path(ref), ordered, PAGE_SIZE)
    entity = taxonomy.get(ref.type, ref.slug)
    name = escape_markdown(ref.name)
    files: list[GeneratedFile] = []
    for page in pages:
        title = ref.name if page.number == 1 else f"{ref.name} (الصفحة {page.number})"
        parts = [front_matter(title), f"# {escape_markdown(title)}\n\n"]
        parts.append(
            f'<p class="tag-meta"><span class="tag-type">{TYPE_LABELS.get(ref.type, ref.type)}</span>'
            f" · {count_label(len(ordered))}</p>\n\n"
        )
        if page.number == 1:
            if entity is not None and entity.description:
                parts.append(escape_markdown(entity.description) + "\n\n")
            if entity is not None and entity.implies is not None:
                country = taxonomy.get("country", entity.implies)
                if country is not None:
                    target = link(page.path, tag_page_path(country.ref))
                    parts.append(f"يقع في: [{escape_markdown(country.name)}]({target})\n\n")
            dates = [a.date for a in ordered if a.date is not None]
            parts.append("## التغطية عبر الزمن\n\n")
            parts.append(f'<figure class="timeline">{svg_timeline(dates, subject=ref.name)}</figure>\n\n')
        parts.append(pager(page, pages))
        parts.append(f"## الإحاطات التي تذكر {name}\n\n")
        parts.append(_grouped_by_year(page.path, page.items))
        if page.number == 1 and together:
            parts.append("## وسوم تظهر معه كثيرًا\n\n")
            top = sorted(together.items(), key=lambda kv: (-kv[1], _by_name(refs[kv[0]])))
            for other_key, count in top[:TOP_COOCCURRING]:
                other = refs[other_key]
                target = link(page.path, tag_page_path(other))
                parts.append(
                    f"- [{escape_markdown(other.name)}]({target}) "
                    f"({TYPE_LABELS.get(other.type, other.type)}، {count_label(count)})\n"
                )
            parts.append("\n")
        parts.append(pager(page, pages))
        parts.append(f"[كل الوسوم]({link(page.path, INDEX_PATH)})\n")
        files.append(GeneratedFile(page.path, "".join(parts)))
    return files


def _grouped_by_year(from_page: str, articles: Sequence[Article]) -> str:
    groups: dict[int | None, list[Article]] = defaultdict(list)
    for article in articles:  # already newest first; undated last
        groups[article.date.year if article.date else None].append(article)
    parts: list[str] = []
    for year, items in groups.items():
        parts.append(f"### {year if year is not None else 'بلا تاريخ'}\n\n")
        for article in items:
            when = f" — {short_date(article.date)}" if article.date else ""
            parts.append(f"- [{escape_markdown(article.title)}]({link(from_page, article.page_path)}){when}\n")
        parts.append("\n")
    return "".join(parts)


def _index(refs: dict[_Key, EntityRef], counts: dict[_Key, int]) -> GeneratedFile:
    parts = [front_matter("الوسوم"), "# الوسوم\n\n"]
    parts.append(
        "الدول والأماكن والشخصيات والمنظمات والموضوعات التي تذكرها الإحاطات، "
        "مرتبة أبجديًا داخل كل نوع، ومع كل وسم عدد الإحاطات التي تذكره.\n\n"
    )

    def item(key: _Key) -> str:
        ref = refs[key]
        return f"- [{escape_markdown(ref.name)}]({link(INDEX_PATH, tag_page_path(ref))}) ({counts[key]})\n"

    if refs:
        parts.append("## الأكثر ذكرًا\n\n")
        top = sorted(refs, key=lambda k: (-counts[k], _by_name(refs[k]), _type_rank(k[0])))
        parts.extend(item(key) for key in top[:MOST_MENTIONED])
        parts.append("\n")
    else:
        parts.append("لا توجد وسوم بعد.\n\n")
    types = sorted({key[0] for key in refs}, key=lambda t: (_type_rank(t), t))
    for type_ in types:
        keys = sorted((k for k in refs if k[0] == type_), key=lambda k: _by_name(refs[k]))
        parts.append(f"## {TYPE_PLURALS.get(type_, type_)} ({len(keys)})\n\n")
        parts.extend(item(key) for key in keys)
        parts.append("\n")
    return GeneratedFile(INDEX_PATH, "".join(parts))
