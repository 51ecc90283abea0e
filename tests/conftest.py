"""Shared test helpers: paths, the shared corpora, site builds and the browser."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.writer import OWNED_FILES, OWNED_FOLDERS

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = REPO.parent / "shared"
REFERENCE = SHARED / "reference" / "000_09eac59f0622c205.txt"
# Debian's chromium here; CI elsewhere (the GitHub workflow) points this at its own.
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_shared(path: Path = SHARED) -> Path:
    """Skip (with the reason) when the shared corpora are not next to the repo."""
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared corpora live next to the repository (../shared)")
    return path


def make_site_project(root: Path, source: Path | None = None) -> dict[str, Path]:
    """A throw-away copy of the site project (config, theme overrides, assets)."""
    root.mkdir(parents=True, exist_ok=True)
    hooks = REPO / "builder" / "mkdocs_hooks.py"
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("builder/mkdocs_hooks.py", str(hooks))
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(REPO / "overrides", root / "overrides")
    # The hand-written part of docs/ (assets, help pages); generated folders are left behind.
    generated = shutil.ignore_patterns(*OWNED_FOLDERS, *OWNED_FILES)
    shutil.copytree(
        REPO / "docs", root / "docs", ignore=lambda d, names: generated(d, names) if d == str(REPO / "docs") else set()
    )
    if source is not None:
        shutil.copytree(source, root / "source")
    return {
        "root": root,
        "config": root / "mkdocs.yml",
        "source": root / "source",
        "docs": root / "docs",
        "site": root / "site",
        "report": root / "build" / "report.json",
    }


def build_args(project: dict[str, Path], command: str = "build") -> list[str]:
    args = [command, "--source", str(project["source"]), "--config", str(project["config"]), "-q"]
    if command in ("build", "generate"):
        args += ["--docs-dir", str(project["docs"]), "--report", str(project["report"])]
    if command == "build":
        args += ["--site-dir", str(project["site"])]
    return args


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample corpus in source/, built once for the whole session."""
    from builder.cli import main

    project = make_site_project(tmp_path_factory.mktemp("sample"), REPO / "source")
    code = main(build_args(project))
    assert code == 0, "the sample corpus must build without rejections"
    return project


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free loopback port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian chromium driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (make test installs it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(autouse=True, scope="session")
def _cache_secret(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The cache's per-user secret in a folder of the test session, never the
    runner's own ~/.config (subprocesses inherit it through the environment)."""
    from builder.cache import SECRET_ENV

    path = tmp_path_factory.mktemp("secret") / "cache-secret"
    previous = os.environ.get(SECRET_ENV)
    os.environ[SECRET_ENV] = str(path)
    yield path
    if previous is None:
        os.environ.pop(SECRET_ENV, None)
    else:
        os.environ[SECRET_ENV] = previous
