"""The project's own exceptions: each carries a message a user can act on."""

from __future__ import annotations


class BuilderError(Exception):
    """Base class: anything the CLI reports as a message, never as a traceback."""


class ConfigError(BuilderError):
    """The site configuration or a data file is invalid (exit code 2)."""


class SourceError(BuilderError):
    """One input file cannot become an article. Names the file and, when known, the line."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.message = message
        self.line = line
        where = path if line is None else f"{path}:{line}"
        super().__init__(f"{where}: {message}")
