"""Benchmark the real command line on synthetic corpora of several sizes.

For each size: the builder stage alone (``python -m builder generate``) in
articles/s and as a share of a full clean ``build``; MkDocs' part of that build
side by side with plain MkDocs + Material on the same article Markdown; peak
memory of the builder's whole process tree (PSS, sampled) and peak RSS of its
largest process; ``build --dirty`` after changing nothing, editing one article,
adding today's briefing and a back-dated one (and how many files each
rewrote); the size of ``site/``, its largest page, and of the search index
when there is one.

    python bench/run.py [--sizes 1000,10000] [--quick] [--results DIR] [--work DIR] [--profile]

A table goes to stdout and ``<results>/<size>.json`` (``1k.json``…) is written.
Nothing here asserts a time: the numbers are for reading.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search_bench  # the sibling modules (bench/ is not a package)
import synth

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
# Folders and files of docs/ the builder generates; everything else is hand-written
# (assets) and is copied into each benchmark's docs folder.
GENERATED = {"articles", "archive", "tags", "search", "index.md"}
PLAIN_MKDOCS_YML = """\
site_name: plain
docs_dir: docs
site_dir: site
use_directory_urls: true
theme:
  name: material
  language: ar
  direction: rtl
  font: false
nav:
  - index.md
markdown_extensions:
  - attr_list
  - md_in_html
  - admonition
  - tables
  - toc:
      permalink: true
"""


class BenchError(Exception):
    """A benchmark step failed; the message names the step and the command's output."""


@dataclass(frozen=True)
class Step:
    seconds: float
    peak_rss_mb: float  # of the largest single process (wait4)
    output: str
    peak_memory_mb: float = 0.0  # of the whole process tree at once (sampled, PSS)


@dataclass
class Result:
    size: int
    label: str
    machine: dict[str, str]
    generate_s: float = 0.0
    builder_articles_per_s: float = 0.0
    build_s: float = 0.0
    builder_share: float = 0.0
    mkdocs_s: float = 0.0
    plain_mkdocs_s: float | None = None
    mkdocs_vs_plain: float | None = None
    peak_rss_mb: float = 0.0
    peak_rss_by_step_mb: dict[str, float] = field(default_factory=dict)
    # The builder starts other processes (readers, the search index): what they hold together.
    peak_memory_mb: float = 0.0
    peak_memory_by_step_mb: dict[str, float] = field(default_factory=dict)
    rebuild_s: dict[str, float] = field(default_factory=dict)
    rebuild_share_of_full: dict[str, float] = field(default_factory=dict)
    rewritten: dict[str, dict[str, int]] = field(default_factory=dict)
    site_bytes: int = 0
    site_files: int = 0
    html_pages: int = 0
    largest_page_bytes: int = 0
    largest_page: str = ""
    nav_links_on_home: int = 0
    search_index_bytes: int | None = None
    search_index_files: int | None = None
    search_bytes_per_query: float | None = None  # median over search_bench.QUERIES queries
    search_bytes_per_query_p95: float | None = None
    search: dict[str, float] = field(default_factory=dict)  # every number of bench/search_bench.py
    regenerate_s: dict[str, float] = field(default_factory=dict)  # --builder-only: generate with a warm cache
    notes: list[str] = field(default_factory=list)


def label_for(size: int) -> str:
    if size >= 1000 and size % 1000 == 0:
        return f"{size // 1000}k"
    return str(size)


def machine_info() -> dict[str, str]:
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        first = meminfo.read_text(encoding="ascii").splitlines()[0]
        memory = f"{int(first.split()[1]) / 1024 / 1024:.1f} GiB"
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "cpus": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%MZ"),
    }


def run(name: str, argv: Sequence[str], *, cwd: Path = REPO) -> Step:
    """Run one child, timing it, reading its own peak RSS from wait4() and
    sampling the memory of it and its descendants together."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.perf_counter()
    with subprocess.Popen(
        list(argv), cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as child:
        assert child.stdout is not None
        sampler = TreeMemory(child.pid)
        sampler.start()
        output = child.stdout.read()
        sampler.stop()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise BenchError(f"{name} failed (exit {child.returncode}): {' '.join(argv)}\n{output[-3000:]}")
    # ru_maxrss is in KiB on Linux
    return Step(seconds, usage.ru_maxrss / 1024, output, max(sampler.peak_kib, usage.ru_maxrss) / 1024)


class TreeMemory(threading.Thread):
    """Samples, every ``interval`` s, the proportional set size (PSS: shared
    pages counted once across the processes sharing them) of a process and
    all its descendants, summed; keeps the peak in KiB."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_kib = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.interval):
            self.peak_kib = max(self.peak_kib, sum(_pss_kib(pid) for pid in _tree(self.pid)))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(pid: int) -> list[int]:
    found = [pid]
    for current in found:
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                found.extend(int(child) for child in task.read_text(encoding="ascii").split())
            except OSError:
                continue
    return found


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="ascii").splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def builder(command: str, work: Path, *extra: str) -> list[str]:
    return [
        PYTHON,
        "-m",
        "builder",
        command,
        "-q",
        "--source",
        str(work / "source"),
        "--docs-dir",
        str(work / "docs"),
        "--report",
        str(work / "report.json"),
        "--cache-dir",
        str(work / "cache"),
        *extra,
    ]


def reset_docs(work: Path) -> None:
    """A docs folder with the hand-written assets and nothing generated."""
    docs = work / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    docs.mkdir(parents=True)
    for entry in sorted((REPO / "docs").iterdir()):
        if entry.name in GENERATED or entry.name.startswith("."):
            continue
        if entry.is_dir():
            shutil.copytree(entry, docs / entry.name)
        else:
            shutil.copy2(entry, docs / entry.name)


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) per file: a file rewritten or replaced changes one of them."""
    state: dict[str, tuple[int, int]] = {}
    if root.is_dir():
        for path in root.rglob("*"):
            if path.is_file():
                stat = path.stat()
                state[path.relative_to(root).as_posix()] = (stat.st_ino, stat.st_mtime_ns)
    return state


def changes(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> dict[str, int]:
    return {
        "rewritten": sum(1 for k, v in after.items() if k in before and before[k] != v),
        "added": sum(1 for k in after if k not in before),
        "removed": sum(1 for k in before if k not in after),
    }


def tree_size(root: Path) -> tuple[int, int]:
    files = [p for p in root.rglob("*") if p.is_file()] if root.is_dir() else []
    return sum(p.stat().st_size for p in files), len(files)


def edit_one(work: Path, size: int, material: synth.Material) -> Path:
    """Append a sentence to the last paragraph of a middle article."""
    index = size // 2
    relative = synth.make_article(index, material).relative
    path = work / "source" / relative
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + " وأضاف المتحدث أن المشاورات ستستأنف الأسبوع المقبل.\n", encoding="utf-8")
    return path


def plain_mkdocs(work: Path) -> Step:
    """Material alone on the same article Markdown: no extra pages, no hooks."""
    plain = work / "plain"
    shutil.rmtree(plain, ignore_errors=True)
    (plain / "docs").mkdir(parents=True)
    shutil.copytree(work / "docs" / "articles", plain / "docs" / "articles")
    (plain / "docs" / "index.md").write_text("# الرئيسية\n\nمقالات فقط.\n", encoding="utf-8")
    (plain / "mkdocs.yml").write_text(PLAIN_MKDOCS_YML, encoding="utf-8")
    return run("plain mkdocs", [PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(plain / "mkdocs.yml")], cwd=plain)


REBUILDS = ("nothing", "edit_one", "add_one", "add_one_backdated")


def search_numbers(site: Path, source: Path, result: Result, *, browser: bool) -> None:
    """Index size; bytes loaded per query (the browser engine run by node over
    the built index); with ``browser``, keystroke-to-results time in Chromium."""
    search = site / "search"
    if not search.is_dir():
        result.notes.append(f"no {search}: search index not measured")
        return
    result.search_index_bytes, result.search_index_files = tree_size(search)
    queries = search_bench.benchmark_queries(source)
    if not queries or shutil.which("node") is None:
        result.notes.append("node or queries missing: bytes per query not measured")
        return
    try:
        numbers = search_bench.measure(site, queries, browser=browser, notes=result.notes)
    except Exception as exc:  # a measurement that fails is a note, not a lost benchmark
        result.notes.append(f"search measurement failed: {type(exc).__name__}: {str(exc)[-300:]}")
        return
    result.search = numbers
    result.search_bytes_per_query = numbers.get("search_bytes_per_query")
    result.search_bytes_per_query_p95 = numbers.get("search_bytes_per_query_p95")


def largest_page(site: Path) -> tuple[int, str, int]:
    pages = [p for p in site.rglob("*.html")]
    if not pages:
        return 0, "", 0
    biggest = max(pages, key=lambda p: p.stat().st_size)
    return biggest.stat().st_size, biggest.relative_to(site).as_posix(), len(pages)


def say(label: str, message: str) -> None:
    print(f"[{label}] {message}", flush=True)


def bench_size(
    size: int, work_root: Path, material: synth.Material, *, quick: bool, profile: bool, builder_only: bool = False
) -> Result:
    label = label_for(size)
    result = Result(size, label, machine_info())
    work = work_root / label
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    say(label, f"writing {size} synthetic articles to {work / 'source'}")
    synth.write_corpus(size, work / "source", material)
    reset_docs(work)

    # Clean runs start without the builder's cache (work/cache, named by
    # --cache-dir); the --dirty rebuilds below reuse the one the full build fills.
    shutil.rmtree(work / "cache", ignore_errors=True)
    step = run("generate", builder("generate", work))
    result.generate_s = step.seconds
    result.builder_articles_per_s = size / step.seconds
    result.peak_rss_by_step_mb["generate"] = step.peak_rss_mb
    result.peak_memory_by_step_mb["generate"] = step.peak_memory_mb
    say(label, f"builder stage (generate): {step.seconds:.2f} s, {result.builder_articles_per_s:,.0f} articles/s")
    if profile:
        profile_generate(work, label)
    if builder_only:
        return builder_only_rest(work, size, material, result)

    reset_docs(work)
    shutil.rmtree(work / "cache", ignore_errors=True)
    site = work / "site"
    shutil.rmtree(site, ignore_errors=True)
    step = run("build", builder("build", work, "--site-dir", str(site)))
    result.build_s = step.seconds
    result.mkdocs_s = max(0.0, step.seconds - result.generate_s)
    result.builder_share = result.generate_s / step.seconds
    result.peak_rss_by_step_mb["build"] = step.peak_rss_mb
    result.peak_memory_by_step_mb["build"] = step.peak_memory_mb
    say(label, f"full clean build: {step.seconds:.2f} s (MkDocs about {result.mkdocs_s:.2f} s)")

    if quick:
        result.notes.append("quick run: plain MkDocs comparison skipped")
    else:
        step = plain_mkdocs(work)
        result.plain_mkdocs_s = step.seconds
        result.mkdocs_vs_plain = result.mkdocs_s / step.seconds
        result.peak_rss_by_step_mb["plain_mkdocs"] = step.peak_rss_mb
        result.peak_memory_by_step_mb["plain_mkdocs"] = step.peak_memory_mb
        say(label, f"plain MkDocs + Material on the articles only: {step.seconds:.2f} s")

    dirty = builder("build", work, "--site-dir", str(site), "--dirty")
    scenarios = changes_to_make(work, size, material)
    for name, change in scenarios:
        change()
        docs_before, site_before = snapshot(work / "docs"), snapshot(site)
        step = run(f"rebuild ({name})", dirty)
        result.rebuild_s[name] = step.seconds
        result.rebuild_share_of_full[name] = step.seconds / result.build_s
        result.peak_rss_by_step_mb[f"rebuild_{name}"] = step.peak_rss_mb
        result.peak_memory_by_step_mb[f"rebuild_{name}"] = step.peak_memory_mb
        result.rewritten[name] = {
            **{f"docs_{k}": v for k, v in changes(docs_before, snapshot(work / "docs")).items()},
            **{f"site_{k}": v for k, v in changes(site_before, snapshot(site)).items()},
        }
        say(label, f"build --dirty after {name}: {step.seconds:.2f} s, files {result.rewritten[name]}")

    result.peak_rss_mb = _ours(result.peak_rss_by_step_mb)
    result.peak_memory_mb = _ours(result.peak_memory_by_step_mb)
    result.site_bytes, result.site_files = tree_size(site)
    result.largest_page_bytes, result.largest_page, result.html_pages = largest_page(site)
    home = site / "index.html"
    if home.is_file():
        result.nav_links_on_home = home.read_text(encoding="utf-8").count('class="md-nav__link')
    search_numbers(site, work / "source", result, browser=not quick)
    return result


def changes_to_make(work: Path, size: int, material: synth.Material) -> tuple[tuple[str, Callable[[], object]], ...]:
    """The rebuild scenarios, in order: nothing changed, one article edited, two added."""
    return (
        ("nothing", lambda: None),
        ("edit_one", lambda: edit_one(work, size, material)),
        # Today's briefing (how an archive grows), then one dated somewhere in
        # its past: older pages of its tags and month are counted from the
        # oldest, so a back-dated one shifts the pages after it.
        ("add_one", lambda: synth.write_corpus(1, work / "source", material, start=size, newest=True)),
        ("add_one_backdated", lambda: synth.write_corpus(1, work / "source", material, start=size + 1)),
    )


def builder_only_rest(work: Path, size: int, material: synth.Material, result: Result) -> Result:
    """No MkDocs (for sizes where a full build takes too long): the builder
    stage again with the cache it filled, after nothing, an edit and an
    addition, and the search index as the builder wrote it into docs/."""
    result.notes.append("builder only: no MkDocs build, so no site/ numbers; search measured on docs/search")
    scenarios = changes_to_make(work, size, material)
    for name, change in scenarios:
        change()
        step = run(f"generate again ({name})", builder("generate", work))
        result.regenerate_s[name] = step.seconds
        result.peak_rss_by_step_mb[f"regenerate_{name}"] = step.peak_rss_mb
        result.peak_memory_by_step_mb[f"regenerate_{name}"] = step.peak_memory_mb
        say(result.label, f"generate after {name}, cache warm: {step.seconds:.2f} s")
    result.peak_rss_mb = _ours(result.peak_rss_by_step_mb)
    result.peak_memory_mb = _ours(result.peak_memory_by_step_mb)
    search_numbers(work / "docs", work / "source", result, browser=False)
    return result


def profile_generate(work: Path, label: str) -> None:
    """cProfile the builder stage serially (workers hide their time from the profiler)."""
    reset_docs(work)
    stats_file = work / "generate.prof"
    argv = builder("generate", work, "--jobs", "1")
    run("profile", [PYTHON, "-m", "cProfile", "-o", str(stats_file), *argv[1:]])
    import pstats

    say(label, "profile of the builder stage, serial (top 25 by cumulative time):")
    pstats.Stats(str(stats_file), stream=sys.stdout).sort_stats("cumulative").print_stats(25)


def _ours(by_step: dict[str, float]) -> float:
    """The peak of our own steps (plain MkDocs, the comparison, is reported apart)."""
    return max(value for step, value in by_step.items() if step != "plain_mkdocs")


def mb(value: float) -> str:
    return f"{value / 1e6:.1f} MB"


def table(results: Sequence[Result]) -> str:
    rows: list[tuple[str, ...]] = [
        ("articles", *(f"{r.size:,}" for r in results)),
        ("builder stage (generate), s", *(f"{r.generate_s:.2f}" for r in results)),
        ("builder articles/s", *(f"{r.builder_articles_per_s:,.0f}" for r in results)),
        ("full clean build, s", *(f"{r.build_s:.2f}" for r in results)),
        ("builder share of build", *(f"{r.builder_share:.0%}" for r in results)),
        ("MkDocs part of build, s", *(f"{r.mkdocs_s:.2f}" for r in results)),
        ("plain MkDocs+Material, s", *(_opt(r.plain_mkdocs_s, "{:.2f}") for r in results)),
        ("ours / plain (MkDocs part)", *(_opt(r.mkdocs_vs_plain, "{:.2f}×") for r in results)),
        ("peak memory, ours (process tree, PSS)", *(f"{r.peak_memory_mb:.0f} MB" for r in results)),
        ("peak RSS, ours (largest process)", *(f"{r.peak_rss_mb:.0f} MB" for r in results)),
        ("peak RSS, plain MkDocs", *(_opt(r.peak_rss_by_step_mb.get("plain_mkdocs"), "{:.0f} MB") for r in results)),
        *((f"build --dirty, {name.replace('_', ' ')}", *(_rebuild(r, name) for r in results)) for name in REBUILDS),
        ("site/ size", *(f"{mb(r.site_bytes)} / {r.site_files:,} files" for r in results)),
        ("largest page", *(f"{r.largest_page_bytes / 1000:.0f} KB" for r in results)),
        ("nav links per page (home)", *(str(r.nav_links_on_home) for r in results)),
        ("search index", *(_opt(r.search_index_bytes, "{:,} B") for r in results)),
        ("search bytes/query, median", *(_opt(r.search_bytes_per_query, "{:,.0f} B") for r in results)),
        ("search bytes/query, p95", *(_opt(r.search_bytes_per_query_p95, "{:,.0f} B") for r in results)),
        *((label, *(_opt(r.search.get(key), spec) for r in results)) for label, key, spec in SEARCH_ROWS),
    ]
    if any(r.regenerate_s for r in results):
        rows += [
            (
                f"generate again, {name.replace('_', ' ')}",
                *(_opt(r.regenerate_s.get(name), "{:.2f} s") for r in results),
            )
            for name in REBUILDS
        ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        lines.append("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |")
        if number == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


SEARCH_ROWS = (
    ("search phrase bytes/query, median", "search_phrase_bytes_per_query", "{:,.0f} B"),
    ("search phrase bytes/query, p95", "search_phrase_bytes_per_query_p95", "{:,.0f} B"),
    ("keystroke → results (HTTP), median", "search_keystroke_ms", "{:.0f} ms"),
    ("keystroke → results (HTTP), p95", "search_keystroke_ms_p95", "{:.0f} ms"),
    ("keystroke → results (file://), median", "search_keystroke_file_ms", "{:.0f} ms"),
    ("keystroke → results (file://), p95", "search_keystroke_file_ms_p95", "{:.0f} ms"),
)


def _opt(value: float | None, spec: str) -> str:
    return "—" if value is None else spec.format(value)


def _rebuild(result: Result, name: str) -> str:
    if name not in result.rebuild_s:
        return "—"
    files = result.rewritten[name]
    written = files["site_rewritten"] + files["site_added"]
    return f"{result.rebuild_s[name]:.2f} s ({result.rebuild_share_of_full[name]:.0%}; {written} site files written)"


def parse_sizes(text: str) -> list[int]:
    sizes = []
    for part in text.split(","):
        part = part.strip().lower()
        factor = 1000 if part.endswith("k") else 1
        sizes.append(int(part.rstrip("k")) * factor)
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the builder and MkDocs on synthetic corpora.")
    parser.add_argument("--sizes", default="1k,10k", help="comma-separated sizes, e.g. 1k,10k or 200")
    parser.add_argument("--quick", action="store_true", help="skip the plain-MkDocs comparison (smoke runs)")
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "results", help="where the JSON goes")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "bench", help="scratch folder")
    parser.add_argument("--profile", action="store_true", help="also cProfile the builder stage")
    parser.add_argument(
        "--builder-only", action="store_true", help="measure the builder stage and search only (no MkDocs build)"
    )
    args = parser.parse_args(argv)
    try:
        sizes = parse_sizes(args.sizes)
    except ValueError:
        parser.error(f"--sizes: not a list of sizes: {args.sizes!r}")
    try:
        material = synth.default_material()
    except (synth.SynthError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    results: list[Result] = []
    try:
        for size in sizes:
            options = {"quick": args.quick, "profile": args.profile, "builder_only": args.builder_only}
            result = bench_size(size, args.work.resolve(), material, **options)
            results.append(result)
            args.results.mkdir(parents=True, exist_ok=True)
            target = args.results / f"{result.label}.json"
            target.write_text(json.dumps(asdict(result), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            say(result.label, f"results: {target}")
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    info = results[0].machine if results else machine_info()
    print()
    print(f"Machine: {info['cpus']} CPUs, {info['memory']} RAM, Python {info['python']}, {info['platform']}")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
