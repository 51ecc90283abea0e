"""Command line: a thin layer over the pipeline.

Exit codes: 0 success, 1 when any input was rejected (or the site build
failed, or the machine refused: a read-only folder, a full disk), 2 on usage or
configuration errors, 75 when another run is writing to the same folder, 130
on Ctrl-C and 143 on SIGTERM (both leave the previous site as it was).
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from builder import __version__, bundle, linkcheck, readyhtml, shards
from builder.cache import default_folder as default_cache_folder
from builder.cache import secret_notice
from builder.errors import BuilderError, ConfigError, Terminated, environment_message
from builder.feeds import feed_notices
from builder.ingest import cli as ingest_cli
from builder.locking import BusyError, folder_lock
from builder.memory import release_freed_memory
from builder.model import Severity
from builder.pipeline import Collected, Progress, prepare, report_for
from builder.publish import PublishOptions, build_site
from builder.report import DEFAULT_REPORT_PATH, format_rejections, write_report
from builder.tagging.archive import Discovery
from builder.tagging.listing import entity_json, entity_table
from builder.writer import WriteProgress, write_files

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
EXIT_BUSY, EXIT_INTERRUPTED, EXIT_TERMINATED = 75, 130, 143


class _Output:
    def __init__(self, quiet: bool, verbose: bool) -> None:
        self.quiet, self.verbose = quiet, verbose

    def info(self, message: str) -> None:
        if not self.quiet:
            print(message)

    def detail(self, message: str) -> None:
        if self.verbose:
            print(message)

    def error(self, message: str) -> None:
        print(message, file=sys.stderr)

    def stage(self, message: str) -> None:
        """What a long step is doing, on a terminal only (logs and tests stay quiet)."""
        if not self.quiet and sys.stderr.isatty():
            print(message, file=sys.stderr, flush=True)


def _add_common(parser: argparse.ArgumentParser, *, writes_docs: bool, builds_site: bool) -> None:
    parser.add_argument(
        "--source", type=Path, default=Path("source"), metavar="DIR", help="folder of source articles (default: source)"
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("mkdocs.yml"),
        metavar="FILE",
        help="MkDocs configuration (default: mkdocs.yml)",
    )
    if writes_docs:
        parser.add_argument(
            "--docs-dir",
            type=Path,
            default=Path("docs"),
            metavar="DIR",
            help="MkDocs docs folder to generate into (default: docs)",
        )
        parser.add_argument(
            "--report",
            type=Path,
            default=DEFAULT_REPORT_PATH,
            metavar="FILE",
            help=f"where to write the JSON build report (default: {DEFAULT_REPORT_PATH})",
        )
        parser.add_argument(
            "--drafts",
            action="store_true",
            help="preview: include drafts and embargoed articles (never for publication)",
        )
        parser.add_argument(
            "--cache-dir",
            type=Path,
            default=None,
            metavar="DIR",
            help="keep what reading each file produced here, so unchanged files are not read "
            "again (default: build/cache next to the --config file)",
        )
        parser.add_argument("--no-cache", action="store_true", help="read every file; neither use nor fill the cache")
    if builds_site:
        parser.add_argument(
            "--site-dir",
            type=Path,
            default=Path("site"),
            metavar="DIR",
            help="where the built site goes (default: site)",
        )
        parser.add_argument(
            "--dirty", action="store_true", help="let MkDocs rebuild only changed pages (faster, for previews)"
        )
        parser.add_argument(
            "--shard",
            type=_shard,
            default=None,
            metavar="K/N",
            help="build shard K of N alone into --site-dir (clean builds; then merge-shards)",
        )
        parser.add_argument(
            "--no-ready-html",
            action="store_true",
            help="let MkDocs render every page itself (slower; the site is the same)",
        )
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="processes for reading, the search index, the HTML and MkDocs' shards "
        "(default: one per core; 1: all in this one)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="treat warnings (unknown front-matter keys) as rejections"
    )
    volume = parser.add_mutually_exclusive_group()
    volume.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    volume.add_argument("-v", "--verbose", action="store_true", help="print every warning and file")


def _shard(text: str) -> shards.Shard:
    try:
        return shards.Shard.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m builder",
        description="Build the Arabic briefing archive: source/ articles → docs/ Markdown → site/.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = commands.add_parser(
        "build",
        help="generate docs/ and build the site with MkDocs (strict)",
        description="Generate the Markdown pages into docs/, then run MkDocs in strict mode into the site folder.",
    )
    _add_common(build, writes_docs=True, builds_site=True)
    generate = commands.add_parser(
        "generate",
        help="generate the Markdown pages into docs/ only",
        description="Generate the Markdown pages into docs/ (no MkDocs run).",
    )
    _add_common(generate, writes_docs=True, builds_site=False)
    check = commands.add_parser(
        "check",
        help="validate the sources, print every problem, write nothing",
        description="Validate every source file and print every problem. "
        "Unknown front-matter keys are errors here. Writes nothing.",
    )
    _add_common(check, writes_docs=False, builds_site=False)
    entities = commands.add_parser(
        "entities",
        help="list the people, organisations and places discovered in the articles",
        description="List the entities the archive discovered in the articles (beyond the taxonomy): "
        "type, whether it is a tag, how many articles and mentions, variants, evidence and roles. "
        "Edit them in the site taxonomy's 'discovered:' section (block, promote, rename, retype, merge).",
    )
    _add_common(entities, writes_docs=False, builds_site=False)
    entities.add_argument("--json", action="store_true", help="print JSON instead of a table")
    entities.add_argument(
        "--type", choices=("person", "organization", "place"), action="append", help="only this type (repeatable)"
    )
    entities.add_argument("--tagged", action="store_true", help="only the entities that are tags")
    entities.add_argument(
        "--min-articles", type=int, default=1, metavar="N", help="only entities named in at least N articles"
    )
    ingest_cli.add_parser(commands)
    bundle.add_parser(commands)
    linkcheck.add_parser(commands)
    shards.add_parser(commands)
    return parser


def _print_problems(out: _Output, collected: Collected, *, every_problem: bool) -> None:
    """``check`` lists every problem on its own line; builds list one line per
    rejected file and count the warnings unless asked for them."""
    warnings = [p for p in collected.problems if p.severity is Severity.WARNING]
    if every_problem:
        for problem in collected.problems:
            out.error(str(problem))
        return
    for line in format_rejections(collected.rejections):
        out.error(line)
    for problem in warnings:
        if out.verbose:
            out.error(str(problem))
    if warnings and not out.verbose:
        out.info(f"{len(warnings)} warnings (run with -v to list them, or see the report)")


def tty_progress() -> Progress | None:
    """A one-line counter on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(stage: str, done: int, total: int) -> None:
        if done == total or done % 50 == 0:
            end = "\n" if done == total else ""
            print(f"\r{stage}: {done}/{total}", end=end, file=sys.stderr, flush=True)

    return show


def tty_write_progress() -> WriteProgress | None:
    """A counter of the files written so far (their total is known only at the
    end: pages are rendered as they are written), on a terminal only."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, finished: bool) -> None:
        if finished or done % 500 == 0:
            print(f"\rwriting: {done:,} files", end="\n" if finished else "", file=sys.stderr, flush=True)

    return show


def _cache_dir(args: argparse.Namespace) -> Path | None:
    if args.command in ("check", "entities") or args.no_cache:
        return None
    # The project's own folder, never one found from --report: a file planted
    # next to an arbitrary report must not even be looked at.
    folder: Path = args.cache_dir or default_cache_folder(args.config)
    return folder


def _run(args: argparse.Namespace, out: _Output) -> int:
    checking = args.command == "check"
    prepared = prepare(
        args.source,
        args.config,
        strict=args.strict,
        unknown_keys_are_errors=checking,
        include_drafts=getattr(args, "drafts", False),
        jobs=args.jobs,
        progress=None if out.quiet else tty_progress(),
        cache_dir=_cache_dir(args),
    )
    collected = prepared.collected
    if args.command == "entities":
        return _list_entities(args, prepared.discovery)
    if _cache_dir(args) is not None and (notice := secret_notice()) is not None:
        out.info(notice)
    _print_problems(out, collected, every_problem=checking)
    if checking:
        out.info(
            f"checked {collected.inputs} files: {len(collected.articles)} ok, {len(collected.rejections)} rejected"
        )
        return EXIT_REJECTED if collected.rejections else EXIT_OK
    if args.strict and collected.rejections:
        out.error("strict: nothing was written because some inputs were rejected")
        return EXIT_REJECTED

    out.stage(f"rendering the pages of {len(prepared.articles)} articles into {args.docs_dir}…")
    keys = _ready_keys(args, out)
    pages = keys.observe(prepared.pages()) if keys is not None else prepared.pages()
    stats = write_files(args.docs_dir, pages, progress=None if out.quiet else tty_write_progress())
    file_stats = {"written": stats.written, "unchanged": stats.unchanged, "removed": stats.removed}
    out.detail(f"docs: {stats.written} written, {stats.unchanged} unchanged, {stats.removed} removed")
    report = report_for(collected, file_stats)
    write_report(report, args.report)
    rejected = bool(collected.rejections)
    summary = report.summary()
    if args.command == "build":
        extra = prepared.publication_files(stats.paths, directory_urls=True)
        site_url = prepared.site.site_url
        # MkDocs reads docs/ from disk: the articles need not stay in memory under its peak.
        jobs = prepared.jobs
        del prepared, collected, stats, report
        release_freed_memory()
        ready = None
        if keys is not None:
            out.stage(f"rendering {len(keys.wanted)} pages to HTML…")
            wanted = keys.wanted
            if args.shard is not None:  # only this shard's pages
                mine = shards.pages_of(args.config, args.docs_dir, args.shard)
                wanted = [(path, key) for path, key in wanted if path in mine]
            ready, rendered = readyhtml.render_ready_pages(
                args.config, args.docs_dir, wanted, jobs=jobs, cache_dir=_cache_dir(args)
            )
            out.detail(f"ready HTML: {rendered.pages} pages, {rendered.rendered} rendered, the rest cached")
            del keys
        out.stage(f"building the site with MkDocs into {args.site_dir}…")
        try:
            build_site(
                PublishOptions(
                    args.config,
                    args.docs_dir,
                    args.site_dir,
                    dirty=args.dirty,
                    extra_files=extra,
                    ready=ready,
                    check_links=True,
                    jobs=jobs,
                    processes=jobs,
                    shard=args.shard,
                )
            )
        finally:
            if ready is not None:
                ready.close()
        for notice in feed_notices(site_url):
            out.info(notice)
        if args.shard is not None:
            out.info(f"shard {args.shard} built in {args.site_dir} (merge the N folders with merge-shards)")
        else:
            out.info(f"site built in {args.site_dir}")
    out.info(summary)
    out.detail(f"report: {args.report}")
    return EXIT_REJECTED if rejected else EXIT_OK


def _ready_keys(args: argparse.Namespace, out: _Output) -> readyhtml.PageKeys | None:
    """Whether this run renders its pages to HTML itself (``builder.readyhtml``)."""
    if args.command != "build" or args.no_ready_html or args.dirty:
        # --dirty: MkDocs renders only the changed pages itself; the ready-HTML cache (90 MB at
        # 10k, rewritten whole on any change) made a one-article rebuild 22 s slower at 10k.
        return None
    untested = readyhtml.untested_versions()
    if untested is not None:
        out.error(f"warning: {untested}")
        return None
    return readyhtml.PageKeys()


def _list_entities(args: argparse.Namespace, discovery: Discovery) -> int:
    chosen = [
        e
        for e in discovery.entities
        if (not args.type or e.type in args.type) and (e.tagged or not args.tagged) and e.articles >= args.min_articles
    ]
    sys.stdout.write(entity_json(chosen) if args.json else entity_table(chosen))
    return EXIT_OK


def _locked_folder(args: argparse.Namespace) -> Path | None:
    """The folder a command writes into (None: it writes nothing)."""
    if args.command == "ingest":
        into: Path = args.into
        # Not a folder: ingest says so itself, in its own words.
        return into if into.is_dir() or not into.exists() else None
    if args.command in ("build", "generate", "bundle"):
        return Path(args.config).resolve().parent  # the project
    if args.command == "merge-shards":
        site: Path = args.site_dir
        return site.resolve().parent  # (the project, when the site is in it, as by default)
    return None


@contextlib.contextmanager
def _terminate_like_ctrl_c() -> Iterator[None]:
    """SIGTERM (CI runners, systemd, ``timeout``) unwinds like Ctrl-C, so every
    cleanup on the way out runs."""

    def raise_terminated(signum: int, frame: object) -> None:
        raise Terminated(signum)

    try:
        previous = signal.signal(signal.SIGTERM, raise_terminated)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _dispatch(args: argparse.Namespace) -> int:
    # Commands with their own runner (and their own messages and exit codes).
    runners = {"ingest": ingest_cli.run, "bundle": bundle.run, "linkcheck": linkcheck.run, "merge-shards": shards.run}
    if args.command in runners:
        return runners[args.command](args)
    out = _Output(args.quiet, args.verbose)
    try:
        return _run(args, out)
    except ConfigError as exc:
        out.error(f"error: {exc}")
        return EXIT_USAGE
    except BuilderError as exc:
        out.error(f"error: {exc}")
        return EXIT_REJECTED


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if getattr(args, "shard", None) is not None and args.dirty:
        parser.error("--shard builds are clean: drop --dirty")
    folder = _locked_folder(args)
    try:
        lock = folder_lock(folder, args.command) if folder is not None else contextlib.nullcontext()
        with _terminate_like_ctrl_c(), lock:
            return _dispatch(args)
    except BusyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except KeyboardInterrupt:
        print("interrupted: the previous site is left as it was", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print("terminated: the previous site is left as it was", file=sys.stderr)
        return EXIT_TERMINATED
    except OSError as exc:
        print(f"error: {environment_message(exc)}", file=sys.stderr)
        return EXIT_REJECTED
