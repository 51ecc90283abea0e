"""The pipeline: read → clean → model → tag → relate → render → write → publish.

``prepare`` reads the settings and the taxonomy, then ``collect`` turns the
source folder into tagged articles, duplicates, withheld articles and
rejections (no output); ``render_site`` turns the articles into every page as
plain data. The CLI (and the bundle) then write what changed into ``docs/``
(``builder.writer``) and publish with MkDocs (``builder.publish``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import os
import posixpath
import stat
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from builder.arabic import normalize, normalize_words
from builder.archive import build_archive, neighbours
from builder.cache import LoadCache, Stat, fingerprint, stat_of
from builder.charts import svg_timeline
from builder.cleaning import BoilerplateRules, default_rules
from builder.config import SiteConfig, load_site_config
from builder.errors import ConfigError, SourceError
from builder.feeds import FeedSettings, publication_files
from builder.memory import release_freed_memory
from builder.model import Article, EntityRef, GeneratedFile, Problem, Rejection, Severity
from builder.modeling import model_article, plain_body
from builder.readers import read_file
from builder.recurring import EdgeSample, learn, line_key, lines_fingerprint, sample
from builder.related import related_articles
from builder.render import ArticleContext, link, render_archive, render_article, render_home, tag_page_path
from builder.report import BuildReport
from builder.search.background import BackgroundIndex
from builder.search.index import SearchRecord, indexed_in_order, iter_search_files, search_record
from builder.search.spool import RecordSpool
from builder.structured_data import headline_entities
from builder.tagging.archive import Discovery, apply_discovery, discover_entities
from builder.tagging.discovery import Discovered, discover_in
from builder.tagging.links import link_first_mentions
from builder.tagging.matching import tag_article
from builder.tagpages import INDEX_PATH as TAGS_INDEX
from builder.tagpages import iter_tag_pages
from builder.taxonomy import Taxonomy, load_taxonomy
from builder.wire import dateline_place

Progress = Callable[[str, int, int], None]
PLAIN_SUFFIX = ".txt"


@dataclass(frozen=True)
class SourceFile:
    path: Path
    relative: str  # posix, relative to the source folder: how the report names it
    # Lines learned as boilerplate of the plain files of its folder (``learn_plain_boilerplate``).
    edge_lines: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Collected:
    """Everything read from the source folder, before any output."""

    inputs: int
    articles: tuple[Article, ...]  # published
    withheld: tuple[tuple[Article, str], ...]
    duplicates: tuple[tuple[Article, str], ...]  # (the copy, source path of the kept original)
    ignored: tuple[tuple[str, str], ...]
    rejections: tuple[Rejection, ...]
    problems: tuple[Problem, ...]
    previews: frozenset[str] = frozenset()  # slugs of unpublished articles a preview build shows
    # What each article gives the search index, by source path (built with the article, cached with it).
    search_records: Mapping[str, SearchRecord] = field(default_factory=dict)
    # Pass one of entity discovery, by source path (cached with the article).
    discovered: Mapping[str, Discovered] = field(default_factory=dict)
    # Boilerplate learned from plain files, per folder: {"folder", "line", "stories"}.
    learned: tuple[Mapping[str, object], ...] = ()


def discover(source_dir: Path) -> tuple[list[SourceFile], list[tuple[str, str]], list[Rejection]]:
    """Every file under ``source_dir``, in a stable order. Hidden files are
    ignored (and reported); links that lead outside the folder or nowhere,
    FIFOs, sockets and devices, and names that are not UTF-8 are refused."""
    root = source_dir.resolve()
    files: list[SourceFile] = []
    ignored: list[tuple[str, str]] = []
    rejections: list[Rejection] = []
    for directory, subdirs, names in os.walk(source_dir, followlinks=False):
        subdirs.sort()
        here = Path(directory)
        for name in sorted(names) + sorted(d for d in subdirs if (here / d).is_symlink()):
            path = here / name
            relative = path.relative_to(source_dir).as_posix()
            if any(part.startswith(".") for part in Path(relative).parts):
                ignored.append((printable_path(relative), "hidden file"))
                continue
            refused = _refusal(path, root)
            if refused is not None:
                rejections.append(Rejection(printable_path(relative), refused))
                continue
            if path.is_symlink() and path.resolve().is_dir():
                ignored.append((relative, "link to a folder inside the source folder (read there)"))
                continue
            files.append(SourceFile(path, relative))
        subdirs[:] = [d for d in subdirs if not d.startswith(".") and not (here / d).is_symlink()]
    return files, ignored, rejections


def printable_path(relative: str) -> str:
    """``relative`` as text a report can hold: bytes that are not UTF-8 as ``\\xNN``."""
    return os.fsencode(relative).decode("utf-8", "backslashreplace")


def _refusal(path: Path, root: Path) -> str | None:
    """Why ``path`` cannot be an article before it is opened, or None."""
    try:
        os.fsencode(path).decode("utf-8")
    except UnicodeDecodeError:
        # Names from a Windows zip (CP1256): no report, page or cache could spell them.
        return "file name is not UTF-8 (perhaps Windows-1256 from a zip); rename the file in UTF-8"
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):  # a loop, or a link to nothing
            return "symbolic link that loops or leads to nothing"
        if not target.is_relative_to(root):
            return "symbolic link pointing outside the source folder"
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot read the file: {exc.strerror}"
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        # Opening a FIFO would wait for a writer for ever.
        return "not a regular file (a FIFO, socket or device); only files are articles"
    return None


@dataclass(frozen=True)
class Tagging:
    """How to tag articles as they are loaded."""

    taxonomy: Taxonomy
    strict: bool = False  # a front-matter tag outside the taxonomy rejects the article


@dataclass(frozen=True, slots=True)
class Loaded:
    """One file's outcome: the article (None if rejected), its problems and,
    for a tagged article, what it gives the search index and its identity for
    duplicate detection: all of it computed in a worker and cached."""

    article: Article | None
    problems: tuple[Problem, ...]
    search: SearchRecord | None = None
    identity: str = ""
    discovered: Discovered | None = None  # pass one of entity discovery


def identity(article: Article) -> str:
    """Equal for the same story saved twice: same title and body once normalised."""
    text = normalize(article.title) + "\0" + normalize_words(article.body)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_article(
    file: SourceFile,
    *,
    rules: BoilerplateRules,
    unknown_keys_are_errors: bool = False,
    tagging: Tagging | None = None,
) -> Loaded:
    """Read, clean, model, tag and analyse one file for search: all of it per
    article and pure, so it runs in worker processes. Never raises for bad input."""
    try:
        raw = read_file(file.path, file.relative)
        if file.edge_lines:
            rules = dataclasses.replace(rules, edge_lines=file.edge_lines)
        article, problems = model_article(raw, rules, unknown_keys_are_errors=unknown_keys_are_errors)
        if article is None or tagging is None:
            return Loaded(article, problems, None, identity(article) if article else "")
        tagged, found = tag_article(article, tagging.taxonomy, strict=tagging.strict)
        problems += found
        if any(p.severity is Severity.ERROR for p in found):
            return Loaded(None, problems)
        discovered = discover_in(
            tagged.title,
            tagged.summary,
            tagged.body,
            tagging.taxonomy,
            dateline_place=dateline_place(tagged.dateline),
        )
        return Loaded(tagged, problems, search_record(tagged), identity(tagged), discovered)
    except SourceError as exc:
        return Loaded(None, (Problem(exc.path, exc.message, Severity.ERROR, exc.line),))
    except Exception as exc:  # a bug of ours must not cost the other articles their pages
        message = f"internal error while reading this file ({type(exc).__name__}: {exc}); please report it"
        return Loaded(None, (Problem(file.relative, message, Severity.ERROR),))


PARALLEL_THRESHOLD = 400  # below this, starting worker processes costs more than it saves


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def load_all(
    files: Sequence[SourceFile],
    rules: BoilerplateRules,
    *,
    unknown_keys_are_errors: bool = False,
    tagging: Tagging | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    cache: LoadCache | None = None,
    records: RecordSpool | None = None,
) -> list[Loaded]:
    """Read, clean, model and tag every file, in parallel across cores for
    large corpora. Results come back in input order, so the output is the same
    as a serial run's. Files unchanged since the build that filled ``cache``
    are not read again. With ``records``, search records go there as they
    arrive, keyed by the file's relative path, and the results keep none."""
    jobs = jobs or default_jobs()
    load = functools.partial(
        load_article, rules=rules, unknown_keys_are_errors=unknown_keys_are_errors, tagging=tagging
    )
    results: list[Loaded | None] = [None] * len(files)
    # Stat before reading: a file changed while it is read is read again next time.
    stats = [_cache_stat(file) for file in files] if cache is not None else []
    todo: list[int] = []
    for index, file in enumerate(files):
        hit = cache.get(file.relative, stats[index]) if cache is not None else None
        if hit is None:
            todo.append(index)
        else:
            results[index] = hit
    done = len(files) - len(todo)

    def keep(index: int, result: Loaded) -> None:
        nonlocal done
        if records is not None:
            result = spool_record(records, files[index].relative, result)
        results[index] = result
        if cache is not None:
            cache.put(files[index].relative, stats[index], result)
        done += 1
        if progress:
            progress("reading", done, len(files))

    if jobs > 1 and len(todo) >= PARALLEL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for index, result in zip(todo, pool.map(load, [files[i] for i in todo], chunksize=64), strict=True):
                keep(index, result)
    else:
        for index in todo:
            keep(index, load(files[index]))
    return [result for result in results if result is not None]


def _cache_stat(file: SourceFile) -> Stat | None:
    """What a cached result of ``file`` is valid for: its size and time, and the
    lines learned from its folder (a new file there can change them)."""
    stat = stat_of(file.path)
    return stat if stat is None or not file.edge_lines else (*stat, lines_fingerprint(file.edge_lines))


def plain_group(relative: str) -> str:
    """Whose boilerplate a plain file shares: the files of its folder."""
    return posixpath.dirname(relative) or "."


def learn_plain_boilerplate(
    files: Sequence[SourceFile], rules: BoilerplateRules, progress: Progress | None = None
) -> tuple[list[SourceFile], list[dict[str, object]]]:
    """Each plain (``.txt``) file with the lines learned as boilerplate of its
    folder (``builder.recurring``), and those lines for the report. Markdown is
    written by editors, so nothing is learned from it or taken out of it."""
    plain = [f for f in files if f.relative.lower().endswith(PLAIN_SUFFIX)]
    samples: list[EdgeSample] = []
    spelled: dict[str, str] = {}
    for done, file in enumerate(plain, start=1):
        try:
            paragraphs = plain_body(read_file(file.path, file.relative).body, rules).paragraphs
        except SourceError:
            continue  # reported when the file is loaded
        samples.append(sample(plain_group(file.relative), paragraphs))
        for paragraph in paragraphs:
            spelled.setdefault(line_key(paragraph), paragraph)
        if progress and (done % 1000 == 0 or done == len(plain)):
            progress("learning boilerplate", done, len(plain))
    learned = learn(samples)
    if not learned.lines:
        return list(files), []
    lines = [
        {"folder": group, "line": spelled.get(key, key), "stories": learned.stories[(group, key)]}
        for group, keys in learned.lines.items()
        for key in sorted(keys, key=lambda k: (-learned.stories[(group, k)], k))
    ]
    with_lines = [
        dataclasses.replace(f, edge_lines=learned.for_group(plain_group(f.relative)))
        if f.relative.lower().endswith(PLAIN_SUFFIX)
        else f
        for f in files
    ]
    return with_lines, lines


def spool_record(records: RecordSpool, relative: str, result: Loaded) -> Loaded:
    """``result`` without its search record, which goes to ``records``."""
    if result.search is None:
        records.discard(relative)  # a stale record of an earlier build
        return result
    records.add(relative, result.search)
    return Loaded(result.article, result.problems, None, result.identity, result.discovered)


def unspool_record(records: RecordSpool, relative: str, result: Loaded) -> Loaded:
    """``result`` with its search record back from ``records`` (to be cached)."""
    if result.search is not None or relative not in records:
        return result
    return Loaded(result.article, result.problems, records[relative], result.identity, result.discovered)


def _rejection(problems: Sequence[Problem]) -> Rejection:
    errors = [p for p in problems if p.severity is Severity.ERROR]
    return Rejection(errors[0].path, "; ".join(p.message for p in errors), errors[0].line)


def _slug_conflicts(articles: Sequence[Article]) -> tuple[list[Article], list[Rejection]]:
    """Two files claiming one address: both are refused, each naming the other."""
    by_slug: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_slug[article.slug.casefold()].append(article)
    kept: list[Article] = []
    rejections: list[Rejection] = []
    for claimants in by_slug.values():
        if len(claimants) == 1:
            kept.append(claimants[0])
            continue
        for article in claimants:
            others = ", ".join(a.source_path for a in claimants if a is not article)
            rejections.append(
                Rejection(
                    article.source_path,
                    f"address articles/{article.slug}/ is also claimed by {others}; "
                    "give one of them a different 'slug:' (or rename the file)",
                )
            )
    return kept, rejections


def _exact_duplicates(
    articles: Sequence[Article], identities: Mapping[str, str]
) -> tuple[list[Article], list[tuple[Article, str]]]:
    """The same story saved twice (same ``identity``, by source path) is
    published once: the first file in path order is kept."""
    kept: list[Article] = []
    duplicates: list[tuple[Article, str]] = []
    seen: dict[str, str] = {}
    for article in sorted(articles, key=lambda a: a.source_path):
        key = identities.get(article.source_path) or identity(article)
        if key in seen:
            duplicates.append((article, seen[key]))
        else:
            seen[key] = article.source_path
            kept.append(article)
    return kept, duplicates


def withheld_reason(article: Article, now: dt.datetime) -> str | None:
    if article.draft:
        return "draft"
    embargo = article.publish_after
    if embargo is not None:
        moment = embargo if embargo.tzinfo else embargo.replace(tzinfo=dt.UTC)
        if moment > now:
            return f"embargoed until {embargo.isoformat()}"
    return None


def collect(
    source_dir: Path,
    *,
    rules: BoilerplateRules | None = None,
    unknown_keys_are_errors: bool = False,
    include_drafts: bool = False,
    tagging: Tagging | None = None,
    now: dt.datetime | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    cache: LoadCache | None = None,
    records: RecordSpool | None = None,
) -> Collected:
    """The source folder as articles (tagged when ``tagging`` is given),
    duplicates, withheld articles, ignored files and rejections. Search
    records wait in ``records`` (a new spool when not given: see ``prepare``)."""
    rules = rules or default_rules()
    records = records if records is not None else RecordSpool()
    now = now or dt.datetime.now(dt.UTC)
    files, ignored, refused = discover(source_dir)
    files, learned = learn_plain_boilerplate(files, rules, progress)
    rejections = list(refused)
    articles: list[Article] = []
    problems: list[Problem] = []
    identities: dict[str, str] = {}
    discovered: dict[str, Discovered] = {}
    loaded = load_all(
        files,
        rules,
        unknown_keys_are_errors=unknown_keys_are_errors,
        tagging=tagging,
        jobs=jobs,
        progress=progress,
        cache=cache,
        records=records,
    )
    for result in loaded:
        article = result.article
        problems.extend(result.problems)
        if article is None:
            rejections.append(_rejection(result.problems))
            continue
        articles.append(article)
        identities[article.source_path] = result.identity
        if result.discovered is not None:
            discovered[article.source_path] = result.discovered
    articles, duplicates = _exact_duplicates(articles, identities)
    articles, conflicts = _slug_conflicts(articles)
    rejections.extend(conflicts)
    # Rejections found outside a file's own reading still appear as problems, so
    # that `check` lists them like every other.
    problems.extend(Problem(r.source_path, r.reason, Severity.ERROR, r.line) for r in [*refused, *conflicts])
    published: list[Article] = []
    withheld: list[tuple[Article, str]] = []
    previews: set[str] = set()
    for article in sorted(articles, key=lambda a: a.sort_key):
        reason = withheld_reason(article, now)
        if reason and not include_drafts:
            withheld.append((article, reason))
            continue
        if reason:
            previews.add(article.slug)
        published.append(article)
    for article in published:
        if article.date is None:
            problems.append(
                Problem(article.source_path, "no date: listed under 'بلا تاريخ' in the archive", Severity.WARNING)
            )
    return Collected(
        inputs=len(files) + len(ignored) + len(refused),
        articles=tuple(published),
        withheld=tuple(withheld),
        duplicates=tuple(duplicates),
        previews=frozenset(previews),
        ignored=tuple(ignored),
        rejections=tuple(sorted(rejections, key=lambda r: r.source_path)),
        problems=tuple(problems),
        # On disk until the index is built: held, they would sit under the build's peak.
        search_records=records.only(a.source_path for a in published),
        discovered={a.source_path: discovered[a.source_path] for a in published if a.source_path in discovered},
        learned=tuple(learned),
    )


def _tag_href_from(page: str) -> Callable[[EntityRef], str]:
    return lambda entity: link(page, tag_page_path(entity))


def render_site(
    articles: Sequence[Article],
    taxonomy: Taxonomy,
    previews: frozenset[str] = frozenset(),
    search_records: Mapping[str, SearchRecord] | None = None,
    *,
    jobs: int = 1,
    descriptions: Mapping[tuple[str, str], str] | None = None,
    feeds: FeedSettings | None = None,
) -> Iterator[GeneratedFile]:
    """Every generated page, as plain data, one at a time (at 100k articles the
    pages together are gigabytes: the writer takes them as they come). Pure:
    articles are already tagged (and ``search_records``, when given, analysed:
    see ``collect``). The tags' feeds are written for ``feeds``."""
    background = _background_index(articles, search_records) if jobs > 1 else None
    finished = False
    try:
        yield from _pages(articles, taxonomy, previews, descriptions or {}, feeds or FeedSettings())
        if background is not None:
            yield from background.files()
        else:
            yield from iter_search_files(articles, base_note=SEARCH_NOTE, records=search_records)
        finished = True
    finally:
        if background is not None and not finished:
            background.cancel()


SEARCH_NOTE = "generated by builder: do not edit"


def _background_index(
    articles: Sequence[Article], records: Mapping[str, SearchRecord] | None
) -> BackgroundIndex | None:
    """The search index built on another core, when the archive is large enough
    for that to pay and every record is ready (see ``builder.search.background``)."""
    if not isinstance(records, RecordSpool) or len(articles) < PARALLEL_THRESHOLD:
        return None
    keys = [a.source_path for a in indexed_in_order(articles)]
    if not all(key in records for key in keys):
        return None
    return BackgroundIndex(keys, records, SEARCH_NOTE)


def _pages(
    articles: Sequence[Article],
    taxonomy: Taxonomy,
    previews: frozenset[str],
    descriptions: Mapping[tuple[str, str], str],
    feeds: FeedSettings,
) -> Iterator[GeneratedFile]:
    """Every page but the search index's files."""
    archive = build_archive(articles)
    around = neighbours(articles)
    related = related_articles(articles)
    by_slug = {a.slug: a for a in articles}
    for article in articles:
        older, newer = around.get(article.slug, (None, None))
        body = link_first_mentions(article, _tag_href_from(article.page_path))
        context = ArticleContext(
            body=body,
            related=tuple(by_slug[s] for s in related.get(article.slug, ())),
            older=older,
            newer=newer,
            unpublished=article.slug in previews,
            headline_tags=headline_entities(article, taxonomy),
        )
        yield render_article(article, context)
    chart = svg_timeline([a.date for a in articles if a.date])
    yield render_home(articles, archive, chart=chart, tags_index=TAGS_INDEX)
    yield from render_archive(archive)
    yield from iter_tag_pages(articles, taxonomy, descriptions, feeds)


def report_for(collected: Collected, file_stats: dict[str, int] | None = None) -> BuildReport:
    return BuildReport(
        inputs=collected.inputs,
        pages=collected.articles,
        rejections=collected.rejections,
        withheld=collected.withheld,
        duplicates=collected.duplicates,
        ignored=collected.ignored,
        problems=collected.problems,
        files=file_stats or {},
        learned=collected.learned,
    )


@dataclass(frozen=True)
class Prepared:
    """The source folder read, checked and tagged, with the site settings: what
    every command (check, generate, build, bundle) starts from."""

    site: SiteConfig
    taxonomy: Taxonomy
    collected: Collected
    articles: tuple[Article, ...]  # published and tagged (taxonomy and discovered entities)
    jobs: int = 1  # processes rendering may use
    discovery: Discovery = field(default_factory=lambda: Discovery(()))

    def pages(self, *, directory_urls: bool = True) -> Iterator[GeneratedFile]:
        """Every generated file; the tags' feeds link as ``publication_files`` do."""
        return render_site(
            self.articles,
            self.taxonomy,
            self.collected.previews,
            self.collected.search_records,
            jobs=self.jobs,
            descriptions=self.discovery.descriptions(),
            feeds=self.feed_settings(directory_urls=directory_urls),
        )

    def feed_settings(self, *, directory_urls: bool) -> FeedSettings:
        # The offline bundle is opened from disk: its links must stay relative.
        site_url = self.site.site_url if directory_urls else None
        return FeedSettings(self.site.site_name, site_url, directory_urls)

    def publication_files(self, paths: Sequence[str], *, directory_urls: bool) -> dict[str, bytes]:
        """Atom feed and sitemap (they replace MkDocs' sitemap), dated by the
        articles; ``paths`` are those of the generated pages."""
        listings = [p for p in paths if p.endswith(".md") and not p.startswith("articles/")]
        return publication_files(
            self.articles,
            listings,
            # The offline bundle is opened from disk: its links must stay relative.
            site_url=self.site.site_url if directory_urls else None,
            title=self.site.site_name,
            directory_urls=directory_urls,
        )


def prepare(
    source_dir: Path,
    config_file: Path,
    *,
    strict: bool = False,
    unknown_keys_are_errors: bool = False,
    include_drafts: bool = False,
    jobs: int | None = None,
    progress: Progress | None = None,
    cache_dir: Path | None = None,
) -> Prepared:
    """Settings first (every configuration error at once, before any work),
    then read → clean → model → tag. With ``cache_dir``, files unchanged since
    the last build there are not read again (``builder.cache``)."""
    if not source_dir.is_dir():
        raise ConfigError(f"source folder not found: {source_dir} (use --source DIR)")
    site = load_site_config(config_file)
    taxonomy = load_taxonomy(site.taxonomy_file)
    unknown_keys_are_errors = unknown_keys_are_errors or strict
    tagging = Tagging(taxonomy, strict=site.strict_tags or strict)
    records = RecordSpool()
    cache = None
    if cache_dir is not None:
        key = fingerprint(
            source_dir, unknown_keys_are_errors, tagging.strict, files=[f for f in [site.taxonomy_file] if f]
        )
        # Cached records go to the spool as the cache is read, and come back as it is written.
        cache = LoadCache.open(
            cache_dir,
            key,
            loading=functools.partial(spool_record, records),
            saving=functools.partial(unspool_record, records),
        )
    collected = collect(
        source_dir,
        unknown_keys_are_errors=unknown_keys_are_errors,
        include_drafts=include_drafts,
        tagging=tagging,
        jobs=jobs,
        progress=progress,
        cache=cache,
        records=records,
    )
    if cache is not None:
        cache.save()
    del cache
    release_freed_memory()
    # Pass two of entity discovery: over the whole archive, every build (so a name an
    # article teaches reaches older articles in a --dirty build too).
    discovery = discover_entities(sorted(collected.discovered.items()), taxonomy, taxonomy.editorial)
    articles = apply_discovery(collected.articles, discovery)
    return Prepared(site, taxonomy, collected, articles, jobs or default_jobs(), discovery)
