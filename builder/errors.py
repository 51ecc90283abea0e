"""The project's own exceptions: each carries a message a user can act on."""

from __future__ import annotations

import errno


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


class Terminated(BaseException):
    """SIGTERM arrived: raised where the program is, so cleanup runs as for Ctrl-C.
    (A BaseException, like KeyboardInterrupt, so no ``except Exception`` swallows it.)"""


_ENVIRONMENT_ADVICE = {
    errno.EROFS: "the file system is read-only; choose a writable folder",
    errno.EACCES: "permission denied; give this user write access or choose another folder",
    errno.EPERM: "operation not permitted; give this user write access or choose another folder",
    errno.ENOSPC: "no space left on the disk; free some space and run again",
    errno.EDQUOT: "the disk quota is used up; free some space and run again",
}


def environment_message(error: OSError) -> str:
    """One line for an error of the machine rather than of the input: the path and what to do."""
    where = error.filename if error.filename is not None else "a file"
    advice = _ENVIRONMENT_ADVICE.get(error.errno or 0)
    if advice is None:
        return f"cannot use {where}: {error.strerror or error}"
    return f"cannot write {where}: {advice}"
