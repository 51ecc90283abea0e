"""Publish: run MkDocs on ``docs/`` and swap the result into the site folder.

The site is built into a temporary folder next to the target and swapped in
only when MkDocs succeeded, so a failed build leaves the previous site intact.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.errors import BuilderError, ConfigError

# Material 9.8 prints an end-of-life banner on every build unless this is set.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@dataclass(frozen=True)
class PublishOptions:
    config_file: Path
    docs_dir: Path
    site_dir: Path
    strict: bool = True
    use_directory_urls: bool | None = None  # None: as mkdocs.yml says
    dirty: bool = False


class _MkDocsLogHandler(logging.Handler):
    """Shows MkDocs warnings and errors as one plain line each, keeps a count."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = f"mkdocs: {record.levelname.lower()}: {record.getMessage()}"
        self.messages.append(message)
        print(message, file=sys.stderr)


def build_site(options: PublishOptions) -> None:
    """Build the site atomically. Raises BuilderError with MkDocs' messages on failure."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    if not options.config_file.is_file():
        raise ConfigError(f"config file not found: {options.config_file}")
    site_dir = options.site_dir.resolve()
    staging = site_dir.with_name(f".{site_dir.name}.building")
    previous = site_dir.with_name(f".{site_dir.name}.previous")
    for leftover in (staging, previous):
        shutil.rmtree(leftover, ignore_errors=True)
    if options.dirty and site_dir.is_dir():
        shutil.copytree(site_dir, staging, symlinks=True)

    overrides: dict[str, Any] = {
        "docs_dir": str(options.docs_dir.resolve()),
        "site_dir": str(staging),
        "strict": options.strict,
    }
    if options.use_directory_urls is not None:
        overrides["use_directory_urls"] = options.use_directory_urls
    logger = logging.getLogger("mkdocs")
    handler = _MkDocsLogHandler()
    logger.addHandler(handler)
    previous_propagate, logger.propagate = logger.propagate, False
    try:
        config = load_config(config_file=str(options.config_file), **overrides)
        build(config, dirty=options.dirty)
    except (MkDocsException, SystemExit) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        detail = "; ".join(handler.messages[-5:]) or str(exc)
        raise BuilderError(f"MkDocs failed, the previous site is left as it was: {detail}") from None
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous_propagate

    if site_dir.exists():
        site_dir.rename(previous)
    staging.rename(site_dir)
    shutil.rmtree(previous, ignore_errors=True)
