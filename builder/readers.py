"""Readers: one per input format, each returning metadata + raw body.

Readers only decode and split; they do not clean or validate values. Anything
wrong with the file itself (encoding, size, broken front matter) raises
:class:`SourceError` naming the file and, where it helps, the line.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from builder.errors import SourceError
from builder.limits import MAX_FILE_BYTES as MAX_FILE_BYTES  # the limit lives in builder.limits
from builder.limits import size_problem
from builder.model import RawArticle

MAX_YAML_ALIASES = 0  # aliases have no use in an article header and enable "billion laughs"

_TEXT_SUFFIXES = (".txt",)
_MARKDOWN_SUFFIXES = (".md", ".markdown")
SUPPORTED_SUFFIXES = _TEXT_SUFFIXES + _MARKDOWN_SUFFIXES
_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})[-_ ]")
_FRONT_MATTER_FENCE = re.compile(r"^---[ \t]*$")


def decode(data: bytes, path: str) -> str:
    """UTF-8 with or without BOM, CRLF or LF. Anything else is rejected with a hint."""
    too_large = size_problem(len(data))
    if too_large:
        raise SourceError(path, f"{too_large} (is this a dump or an archive?)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(
            path,
            "file is UTF-16; save it as UTF-8 (or run 'python -m builder ingest', which converts)",
        )
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise SourceError(path, "file is binary (it contains NUL bytes), not an article", line)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            path,
            "file is not valid UTF-8 (perhaps Windows-1256 or ISO-8859-6); convert it to "
            "UTF-8, or run 'python -m builder ingest' on it, which detects the encoding",
            line,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _refuse_aliases(root: Any) -> None:
    """An alias makes one node appear twice in the composed tree: refuse the
    second sighting before anything is constructed (no "billion laughs")."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise yaml.MarkedYAMLError(
                "while reading the front matter",
                None,
                "YAML aliases (*name) are not allowed in front matter",
                node.start_mark,
            )
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((value, key))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


# libyaml's parser when PyYAML has it (about 8 times faster on front matter);
# the checks below work the same with the pure-Python one.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictSafeLoader(_BaseLoader):  # type: ignore[misc]
    """SafeLoader that also refuses duplicate keys and aliases, and keeps key lines."""

    key_lines: dict[str, int]
    _root: Any = None

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        _refuse_aliases(node)
        return self.construct_document(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.MarkedYAMLError(
                    "while reading the front matter",
                    None,
                    f"duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen.add(key)
            if node is self._root and isinstance(key, str):
                self.key_lines[key] = key_node.start_mark.line
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping

    def construct_yaml_timestamp(self, node: Any) -> Any:
        # An impossible date (2023-13-45) stays text, so the model step can say
        # which key is wrong and where, instead of the YAML library crashing.
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)

    def construct_document(self, node: Any) -> Any:
        self._root = node
        return super().construct_document(node)


_StrictSafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictSafeLoader.construct_yaml_timestamp)


def parse_front_matter(text: str, path: str, first_line: int) -> tuple[dict[str, object], dict[str, int]]:
    """Parse YAML front matter safely. Returns the mapping and each key's 1-based line."""
    try:
        # The reader checks characters as soon as it is built: that can fail too.
        loader = _StrictSafeLoader(text)
    except yaml.YAMLError as exc:
        raise SourceError(path, f"front matter is not valid YAML: {exc}", first_line) from None
    loader.key_lines = {}
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise SourceError(path, f"front matter is not valid YAML: {problem}", line) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise SourceError(path, f"front matter is not valid YAML: {exc}", first_line) from None
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SourceError(path, "front matter must be a mapping of keys to values", first_line)
    for key in data:
        if not isinstance(key, str):
            raise SourceError(path, f"front matter key {key!r} must be text", first_line)
    lines = {key: first_line + line for key, line in loader.key_lines.items()}
    return data, lines


def read_markdown(text: str, path: str) -> RawArticle:
    """Markdown with YAML front matter between ``---`` fences.

    A Markdown file without front matter is accepted: its first ``# `` heading
    (or first non-empty line) is the title.
    """
    lines = text.split("\n")
    if lines and _FRONT_MATTER_FENCE.match(lines[0]):
        for index in range(1, len(lines)):
            if _FRONT_MATTER_FENCE.match(lines[index]) or lines[index].rstrip() == "...":
                header = "\n".join(lines[1:index])
                metadata, key_lines = parse_front_matter(header, path, first_line=2)
                metadata = dict(metadata)
                metadata["__lines__"] = key_lines
                body = "\n".join(lines[index + 1 :])
                return RawArticle(path, metadata, body, body_line=index + 2)
        raise SourceError(path, "front matter opened with '---' is never closed", 1)
    title, body, body_line = _split_title(lines, markdown=True)
    return RawArticle(path, {"title": title, "__lines__": {"title": body_line - 1}}, body, body_line)


def read_text(text: str, path: str) -> RawArticle:
    """Plain text: first non-empty line is the title, the rest is the body."""
    title, body, body_line = _split_title(text.split("\n"), markdown=False)
    metadata: dict[str, object] = {"title": title, "__lines__": {"title": body_line - 1}}
    match = _DATE_PREFIX.match(Path(path).name)
    if match:
        metadata["date"] = match.group(1)
    return RawArticle(path, metadata, body, body_line)


def _split_title(lines: list[str], *, markdown: bool) -> tuple[str, str, int]:
    for index, line in enumerate(lines):
        stripped = line.replace("\u00a0", " ").strip()
        if stripped:
            if markdown:
                stripped = stripped.lstrip("#").strip()
            return stripped, "\n".join(lines[index + 1 :]), index + 2
    return "", "", 1


def _read_regular_file(file: Path, relative: str) -> bytes:
    """The file's bytes, at most one past the size limit. Opened without
    blocking and checked to be a regular file: a FIFO swapped in after the
    source folder was listed would otherwise wait for a writer for ever."""
    try:
        descriptor = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise SourceError(relative, f"cannot read the file: {exc.strerror}") from None
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise SourceError(relative, "not a regular file (a FIFO, socket or device); only files are articles")
        if status.st_size > MAX_FILE_BYTES:
            raise SourceError(
                relative,
                f"file is {status.st_size / (1024 * 1024):.1f} MB; articles are limited to "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB (is this a dump or an archive?)",
            )
        try:
            return handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise SourceError(relative, f"cannot read the file: {exc.strerror}") from None


READERS: dict[str, Callable[[str, str], RawArticle]] = {
    **{suffix: read_text for suffix in _TEXT_SUFFIXES},
    **{suffix: read_markdown for suffix in _MARKDOWN_SUFFIXES},
}


def read_file(file: Path, relative: str) -> RawArticle:
    """Read one source file with the reader for its suffix."""
    reader = READERS.get(file.suffix.lower())
    if reader is None:
        raise SourceError(
            relative,
            f"unsupported file type '{file.suffix or '(none)'}': use .md (Markdown with front "
            "matter) or .txt (title on the first line); run 'python -m builder ingest' for HTML, "
            "JSON or XML",
        )
    data = _read_regular_file(file, relative)
    text = decode(data, relative)
    if not text.strip():
        raise SourceError(relative, "file is empty")
    return reader(text, relative)
