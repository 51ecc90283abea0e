"""Untrusted text to inert Markdown.

Article bodies and metadata come from sites we do not control. Two layers keep
them inert (documented in the README):

1. Here, before rendering: plain text is escaped so that no character of it is
   Markdown or HTML syntax; Markdown bodies keep their Markdown, but raw HTML is
   escaped (``<`` → ``&lt;`` outside code) and link or image targets with a
   scheme other than http, https or mailto are replaced by ``#``.
2. After rendering, an MkDocs hook passes every page's HTML through nh3
   (the Ammonia sanitizer) with an allow-list (``builder/mkdocs_hooks.py``).
"""

from __future__ import annotations

import re

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

# Characters Python-Markdown lets a backslash escape, and those it does not
# (written as character references instead, so no backslash shows).
_MD_ESCAPABLE = re.compile(r"([\\`*_\[\]{}!])")
# "&" first: the references written after it must not be escaped again.
_REFERENCES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "&#124;"), ("~", "&#126;"), ("^", "&#94;"))
_BLOCK_MARKER = re.compile(r"^(\s*)([#+-]|\d+[.)])")
_CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.DOTALL)
_SCHEME = re.compile(r"^\s*<?\s*([a-zA-Z][a-zA-Z0-9+.\-]*)\s*:")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?[^)]*\)")
_INLINE_TARGET = re.compile(r"(\]\()([^)]*)")  # destination and optional title, up to the first ")"
_REFERENCE_TARGET = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*)(\S+)", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Make plain text render exactly as written, never as Markdown or HTML."""
    for character, reference in _REFERENCES:  # str.translate is far slower on Arabic text
        if character in text:
            text = text.replace(character, reference)
    text = _MD_ESCAPABLE.sub(r"\\\1", text)
    return "\n".join(_BLOCK_MARKER.sub(_escape_block_marker, line) for line in text.split("\n"))


def escape_plain_body(cleaned: str) -> str:
    """A cleaned plain-text body (paragraphs, ``## `` subheadings) becomes
    Markdown that shows exactly that text."""
    blocks = []
    for block in cleaned.split("\n\n"):
        if block.startswith("## "):
            blocks.append("## " + escape_markdown(block[3:]))
        else:
            blocks.append(escape_markdown(block))
    return "\n\n".join(blocks)


def _escape_block_marker(match: re.Match[str]) -> str:
    """``# …``, ``- …``, ``+ …`` and ``1. …`` at a line start would be headings or lists."""
    lead, marker = match.group(1), match.group(2)
    if marker[0].isdigit():
        return f"{lead}{marker[:-1]}\\{marker[-1]}"
    return f"{lead}\\{marker}"


def is_safe_url(url: str) -> bool:
    """Relative URLs and http(s)/mailto ones are safe; javascript:, data:, vbscript:… are not."""
    # Browsers ignore control characters and white space inside a scheme: "java\tscript:".
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", url)
    match = _SCHEME.match(squeezed)
    return match is None or match.group(1).lower() in SAFE_SCHEMES


def _is_kept_target(target: str) -> bool:
    """Links in article bodies may go to the web (http, https, mailto) or to an
    anchor on the same page. A relative link from scraped text points into the
    site it was scraped from, so it would be broken here (and fail the strict build)."""
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", target)
    return squeezed.startswith("#") or (is_safe_url(squeezed) and _SCHEME.match(squeezed) is not None)


def _defang_target(match: re.Match[str]) -> str:
    inner = match.group(2)
    # Browsers drop white space and control characters inside a scheme ("java\tscript:"),
    # so the destination is judged with them removed, and replaced whole when unsafe.
    destination = re.sub(r"[\x00-\x20\x7f]+", "", inner.strip().split(' "')[0].strip("<>"))
    return match.group(1) + (inner if _is_kept_target(destination) else "#")


def is_local_url(url: str) -> bool:
    """A URL inside the site: no scheme, no host (``//host/x`` is remote too)."""
    return _SCHEME.match(re.sub(r"[\x00-\x20\x7f]+", "", url)) is None and not url.lstrip().startswith("//")


def _image(match: re.Match[str]) -> str:
    """Images are never shown inline: a remote image would make every reader's
    browser call a host we do not control, and a relative one points into the
    site the text was scraped from. A web image becomes a link to it."""
    alt, target = match.group(1), match.group(2)
    if target and _is_kept_target(target) and not target.startswith("#"):
        return f"[صورة: {alt or 'بلا وصف'}]({target})"
    return alt


def neutralize_markdown(markdown: str) -> str:
    """Keep Markdown formatting but make raw HTML, remote images and dangerous
    links inert."""
    parts = _CODE.split(markdown)
    for index in range(0, len(parts), 2):  # even parts are outside code
        part = _IMAGE.sub(_image, parts[index].replace("<", "&lt;"))
        part = _INLINE_TARGET.sub(_defang_target, part)
        parts[index] = _REFERENCE_TARGET.sub(_defang_target, part)
    return "".join(parts)
