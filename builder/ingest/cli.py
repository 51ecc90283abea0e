"""``python -m builder ingest PATH... [--into DIR]``: the command line of ingest."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from builder.errors import BuilderError
from builder.ingest.jsonrecords import DEFAULT_MAPPING, FieldMapping, MappingError, load_mapping
from builder.ingest.report import as_json, learned_lines, summary_line
from builder.ingest.run import reads_its_output, run_ingest
from builder.wire import Outlets, default_outlets, parse_outlets, with_extra

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2
EXIT_ENVIRONMENT = 1  # the machine refused (read-only folder, full disk), as for build and bundle
LEARNED_SHOWN = 10  # learned boilerplate lines printed without --verbose


def load_outlets(path: Path | None) -> Outlets:
    """The built-in outlet table, extended by a site's own file."""
    if path is None:
        return default_outlets()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BuilderError(f"--outlets {path}: cannot read the file: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise BuilderError(f"--outlets {path}: not valid YAML or JSON: {exc}") from None
    return with_extra(default_outlets(), parse_outlets(data, str(path)).names)


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "ingest",
        help="turn raw articles (HTML, JSON, TREC, text) into cleaned source files",
        description=(
            "Read raw articles (HTML pages, JSON arrays or JSON Lines, TREC-style pseudo-XML, "
            "plain text or Markdown, in UTF-8, UTF-16, Windows-1256 or ISO-8859-6) and write one "
            "cleaned source file per article under DIR/YYYY/MM/<slug>.md. Every input is reported "
            "as written, duplicate, unchanged or rejected (with the reason). Existing files are "
            "never overwritten: a difference is reported as a conflict."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", type=Path, help="input files or folders")
    parser.add_argument(
        "--into", type=Path, default=Path("source"), metavar="DIR", help="source folder (default: source/)"
    )
    parser.add_argument(
        "--mapping",
        metavar="FILE|JSON",
        help="field mapping for JSON inputs: a JSON file, or the JSON itself inline (text starting with '{'), "
        'e.g. --mapping \'{"title": "headline", "body": ["content", "text"]}\'',
    )
    parser.add_argument(
        "--outlets",
        type=Path,
        metavar="FILE",
        help='YAML or JSON table of outlet identifiers and display names ({"was": "وكالة الأنباء السعودية"}); '
        "extends the built-in table of Arab news agencies and outlets",
    )
    parser.add_argument("--report", type=Path, metavar="FILE", help="also write the report as JSON to FILE")
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="print a line for every item")
    parser.set_defaults(handler=run)


def _progress(done: int, total: int) -> None:
    end = "\n" if done == total else ""
    print(f"\ringest: read {done}/{total} files", end=end, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        for path in missing:
            print(f"ingest: {path}: no such file or folder", file=sys.stderr)
        return EXIT_USAGE
    if args.into.exists() and not args.into.is_dir():
        print(f"ingest: --into {args.into}: not a folder", file=sys.stderr)
        return EXIT_USAGE
    overlap = reads_its_output(args.paths, args.into)
    if overlap:
        print(f"ingest: {overlap}", file=sys.stderr)
        return EXIT_USAGE
    mapping: FieldMapping = DEFAULT_MAPPING
    if args.mapping is not None:
        try:
            mapping = load_mapping(args.mapping)
        except MappingError as exc:
            print(f"ingest: {exc}", file=sys.stderr)
            return EXIT_USAGE
    try:
        outlets = load_outlets(args.outlets)
    except BuilderError as exc:
        print(f"ingest: {exc}", file=sys.stderr)
        return EXIT_USAGE
    show_progress = not args.quiet and sys.stderr.isatty()
    try:
        result = run_ingest(args.paths, args.into, mapping, _progress if show_progress else None, outlets)
    except OSError as exc:  # the --into folder itself (read-only, full disk): one line, no traceback
        where = exc.filename or args.into
        print(f"ingest: cannot write {where}: {exc.strerror or exc}; check the --into folder", file=sys.stderr)
        return EXIT_ENVIRONMENT
    outcomes = result.outcomes
    for outcome in outcomes:
        if args.verbose or (outcome.status == "rejected" and not args.quiet):
            print(outcome.describe())
        if args.verbose:
            for warning in outcome.warnings:
                print(f"  warning: {warning}")
    if not args.quiet:
        print(summary_line(outcomes))
        if result.learned:
            dropped = sum(int(str(entry["dropped"])) for entry in result.learned)
            print(f"ingest: dropped {dropped} lines learned as boilerplate of their source:")
            print("\n".join(learned_lines(result.learned, None if args.verbose else LEARNED_SHOWN)))
    if args.report is not None:
        try:
            args.report.parent.mkdir(parents=True, exist_ok=True)
            args.report.write_text(as_json(outcomes, result.learned), encoding="utf-8")
        except OSError as exc:
            print(f"ingest: cannot write the report {args.report}: {exc.strerror}", file=sys.stderr)
            return EXIT_ENVIRONMENT
    return EXIT_REJECTED if any(o.status == "rejected" for o in outcomes) else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point, until the builder's CLI wires the subcommand in."""
    parser = argparse.ArgumentParser(prog="python -m builder.ingest")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.handler(args))
