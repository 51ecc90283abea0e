"""Measure the search as readers get it: bytes loaded per query and the time
from the last keystroke to results on screen, in headless Chromium, over HTTP
and from ``file://``.

From ``bench/run.py`` (which puts ``bench/`` on ``sys.path``)::

    import search_bench
    queries = search_bench.benchmark_queries(work / "source")
    numbers = search_bench.measure(work / "site", queries)          # needs node and chromium
    numbers = search_bench.measure(site, queries, browser=False)    # bytes only

``measure`` returns flat float keys ready for ``bench/results/*.json``:
``search_bytes_per_query`` and ``search_bytes_per_query_p95`` (every query),
``search_phrase_bytes_per_query`` and ``…_p95`` (phrase queries only),
``search_keystroke_ms`` and ``search_keystroke_ms_p95`` (over HTTP),
``search_keystroke_file_ms`` and ``search_keystroke_file_ms_p95`` (from
``file://``), and ``search_queries`` (how many were measured). A browser
number is left out, with the reason in ``notes``, when chromium is missing.

Alone, at any size, without rendering every article page::

    python bench/search_bench.py --size 100000 [--work DIR] [--queries 100] [--jobs 2]

writes the synthetic corpus, reads and tags it with the pipeline, computes the
search records (in ``--jobs`` processes) and the index, builds a minimal site
(home page, help page, the search assets and the index) twice, for HTTP and for
``file://``, and prints the index build's time and peak RSS with the numbers
above, as JSON.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import functools
import http.server
import itertools
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

QUERY_TOOL = REPO / "tests" / "js" / "query_cli.js"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INPUT = "input.md-search__input"
QUERIES = 100
PHRASE_EVERY = 5  # one query in five is a "phrase"
TIMEOUT_MS = 60_000


# --- queries -----------------------------------------------------------------


def _titles(source: Path) -> list[str]:
    titles = []
    for path in sorted(source.rglob("*.md")):
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle):
                if line.startswith("title:"):
                    titles.append(line.removeprefix("title:").strip().strip("\"'"))
                    break
                if number and line.rstrip() == "---":  # the end of the front matter
                    break
    return titles


def benchmark_queries(source: Path, count: int = QUERIES) -> list[str]:
    """Deterministic queries from the corpus' own titles: the longest word of a
    title, every fourth query the title's first two words, and every fifth a
    quoted phrase of two neighbouring words of the title."""
    titles = _titles(source)
    if not titles:
        return []
    step = max(1, len(titles) // count)
    queries = []
    for number, title in enumerate(titles[::step][:count]):
        words = [w for w in title.split() if len(w) > 2 and not w.isdigit()] or title.split()
        raw = [w.strip("()«»\"':،,.") for w in title.split()]
        pairs = [f"{a} {b}" for a, b in itertools.pairwise(raw) if len(a) > 1 and len(b) > 1]
        if number % PHRASE_EVERY == PHRASE_EVERY - 1 and pairs:
            queries.append(f'"{pairs[number % len(pairs)]}"')
        elif number % 4 == 3 and len(words) > 1:
            queries.append(" ".join(words[:2]))
        else:
            queries.append(max(words, key=len))
    return queries


# --- bytes per query (the browser engine, in node) -----------------------------


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, int(len(ordered) * share))])


def bytes_per_query(site: Path, queries: Sequence[str]) -> list[dict[str, Any]]:
    """Run each query with ``engine.js`` in node over ``site/search/``: the
    files it loads (manifest, shards, positions, display data of 10 results)."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not installed")
    run = subprocess.run(
        [node, str(QUERY_TOOL), str(site)],
        input=json.dumps(list(queries)),
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"query tool failed: {run.stderr.strip()[-500:]}")
    answers: list[dict[str, Any]] = json.loads(run.stdout)
    return answers


# --- keystroke to results, in Chromium ---------------------------------------

_PROBE = """
() => {
  const box = document.querySelector('[data-ar-search]');
  const bench = window.__arBench = { down: 0, shown: 0, query: null, key: false };
  // A key the keyboard layout lacks (Arabic letters, for Playwright) comes
  // without keydown, as text input: then the keystroke is its beforeinput.
  document.addEventListener('keydown', () => { bench.down = performance.now(); bench.key = true; }, true);
  document.addEventListener('beforeinput', () => {
    if (!bench.key) bench.down = performance.now();
    bench.key = false;
  }, true);
  new MutationObserver(() => {
    const done = box.getAttribute('data-ar-search-done');
    requestAnimationFrame(() => {
      window.__arBench.shown = performance.now();
      window.__arBench.query = done;
    });
  }).observe(box, { attributes: true, attributeFilter: ['data-ar-search-done'] });
}
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free loopback port; yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def keystroke_times(browser: Any, home: str, queries: Sequence[str]) -> list[float]:
    """Milliseconds from the keydown of each query's last character to the
    first frame after its results are in the page. Each query starts on a
    freshly loaded home page (nothing cached but the manifest, loaded on
    focus), with all but its last character already typed and answered."""
    times = []
    context = browser.new_context()
    page = context.new_page()
    for query in queries:
        page.goto(home)
        page.evaluate(_PROBE)
        page.focus(INPUT)
        page.wait_for_function("() => !!document.querySelector('[data-ar-search-state]')", timeout=TIMEOUT_MS)
        head, last = query[:-1], query[-1]
        page.fill(INPUT, head)
        page.dispatch_event(INPUT, "input")
        page.wait_for_function(
            "q => document.querySelector('[data-ar-search]').getAttribute('data-ar-search-done') === q",
            arg=head,
            timeout=TIMEOUT_MS,
        )
        page.type(INPUT, last)
        page.wait_for_function("q => window.__arBench.query === q", arg=query, timeout=TIMEOUT_MS)
        times.append(float(page.evaluate("window.__arBench.shown - window.__arBench.down")))
    context.close()
    return times


def _file_home(site: Path) -> str | None:
    page = site / "index.html"
    return page.as_uri() if page.is_file() else None


def measure(
    site: Path,
    queries: Sequence[str],
    *,
    file_site: Path | None = None,
    browser: bool = True,
    notes: list[str] | None = None,
) -> dict[str, float]:
    """Bytes per query (node) and keystroke-to-results times (Chromium, over
    HTTP from ``site`` and from ``file://`` of ``file_site``, by default
    ``site`` itself: build it with ``use_directory_urls: false`` for links that
    work from disk; the timing does not follow links)."""
    notes = notes if notes is not None else []
    answers = bytes_per_query(site, queries)
    loaded = [float(a["bytes"]) for a in answers]
    phrases = [float(a["bytes"]) for a, q in zip(answers, queries, strict=True) if q.startswith(('"', "«"))]
    out: dict[str, float] = {
        "search_queries": float(len(queries)),
        "search_bytes_per_query": statistics.median(loaded),
        "search_bytes_per_query_p95": _percentile(loaded, 0.95),
        "search_bytes_per_query_max": max(loaded),
    }
    if phrases:
        out["search_phrase_bytes_per_query"] = statistics.median(phrases)
        out["search_phrase_bytes_per_query_p95"] = _percentile(phrases, 0.95)
    if not browser:
        return out
    if not CHROMIUM.exists():
        notes.append(f"{CHROMIUM} is missing: keystroke times not measured")
        return out
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            with serve(site) as root:
                times = keystroke_times(chromium, root, queries)
            out["search_keystroke_ms"] = statistics.median(times)
            out["search_keystroke_ms_p95"] = _percentile(times, 0.95)
            home = _file_home(file_site or site)
            if home is None:
                notes.append("no index.html: file:// keystroke times not measured")
            else:
                times = keystroke_times(chromium, home, queries)
                out["search_keystroke_file_ms"] = statistics.median(times)
                out["search_keystroke_file_ms_p95"] = _percentile(times, 0.95)
        finally:
            chromium.close()
    return out


# --- the stand-alone run: corpus → index → minimal site ------------------------


def _records(articles: Sequence[Any], jobs: int) -> dict[str, Any]:
    from builder.search.index import search_record

    if jobs <= 1:
        return {a.source_path: search_record(a) for a in articles}
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        records = pool.map(search_record, articles, chunksize=256)
        return {a.source_path: r for a, r in zip(articles, records, strict=True)}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_HOME = "# الرئيسية\n\nموقع للقياس: البحث وحده، بلا صفحات المقالات.\n"


def minimal_site(work: Path, index_files: Sequence[Any]) -> tuple[Path, Path]:
    """Home page, help page, stub archive and tags pages, the hand-written
    assets and the search index, built by MkDocs twice (HTTP and ``file://``
    layouts). The index is linked into each site, not rendered."""
    from builder.publish import PublishOptions, build_site

    docs = work / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    docs.mkdir(parents=True)
    for entry in sorted((REPO / "docs").iterdir()):
        if entry.name in {"articles", "archive", "tags", "search", "index.md"} or entry.name.startswith("."):
            continue
        if entry.is_dir():
            shutil.copytree(entry, docs / entry.name)
        else:
            shutil.copy2(entry, docs / entry.name)
    (docs / "index.md").write_text(_HOME, encoding="utf-8")
    for stub in ("archive", "tags"):
        (docs / stub).mkdir()
        (docs / stub / "index.md").write_text(f"# {stub}\n", encoding="utf-8")
    index_root = work / "index"
    shutil.rmtree(index_root, ignore_errors=True)
    for file in index_files:
        path = index_root / file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(file.content, encoding="utf-8")
    sites = []
    for directory_urls in (True, False):
        site = work / ("site-http" if directory_urls else "site-file")
        options = PublishOptions(REPO / "mkdocs.yml", docs, site, strict=False, use_directory_urls=directory_urls)
        build_site(options)
        shutil.rmtree(site / "search", ignore_errors=True)
        (site / "search").symlink_to(index_root / "search", target_is_directory=True)
        sites.append(site)
    return sites[0], sites[1]


def _tree(root: Path) -> tuple[int, int]:
    files = [p for p in root.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def run_size(size: int, work: Path, *, count: int, jobs: int, browser: bool) -> dict[str, Any]:
    import synth

    from builder.pipeline import prepare
    from builder.search import build_search_files

    work.mkdir(parents=True, exist_ok=True)
    source = work / "source"
    if not (source / ".complete").is_file() or (source / ".complete").read_text() != str(size):
        shutil.rmtree(source, ignore_errors=True)
        synth.write_corpus(size, source, synth.default_material())
        (source / ".complete").write_text(str(size))
    result: dict[str, Any] = {"size": size}
    started = time.perf_counter()
    prepared = prepare(source, REPO / "mkdocs.yml", jobs=jobs)
    articles = prepared.articles
    result["read_and_tag_s"] = time.perf_counter() - started
    result["rss_after_reading_mb"] = _rss_mb()
    sample = articles[:: max(1, len(articles) // 1000)]
    started = time.perf_counter()
    _records(sample, 1)
    result["search_records_per_s_one_process"] = len(sample) / (time.perf_counter() - started)
    # The pipeline may compute the records while reading (in its workers): use them.
    records = dict(getattr(prepared.collected, "search_records", None) or {})
    if len(records) < len(articles):
        started = time.perf_counter()
        records = _records(articles, jobs)
        result["search_records_s"] = time.perf_counter() - started
    else:
        result["search_records_s"] = None  # part of read_and_tag_s
    started = time.perf_counter()
    files = build_search_files(articles, base_note="generated by builder: do not edit", records=records)
    result["search_index_build_s"] = time.perf_counter() - started
    result["search_index_peak_rss_mb"] = _rss_mb()
    del records
    site, file_site = minimal_site(work, files)
    del files
    result["search_index_bytes"], result["search_index_files"] = _tree(work / "index" / "search")
    queries = benchmark_queries(source, count)
    notes: list[str] = []
    result.update(measure(site, queries, file_site=file_site, browser=browser, notes=notes))
    result["notes"] = notes
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure the search alone on a synthetic corpus.")
    parser.add_argument("--size", type=int, default=10_000, help="number of synthetic articles")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default build/search-bench/<size>)")
    parser.add_argument("--queries", type=int, default=QUERIES, help="queries to measure")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)), help="processes for the records")
    parser.add_argument("--no-browser", action="store_true", help="bytes per query only")
    parser.add_argument("--out", type=Path, default=None, help="also write the JSON here")
    args = parser.parse_args(argv)
    work = (args.work or REPO / "build" / "search-bench" / str(args.size)).resolve()
    result = run_size(args.size, work, count=args.queries, jobs=args.jobs, browser=not args.no_browser)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
