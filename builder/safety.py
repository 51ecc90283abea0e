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
# Linear: the text stops at the next bracket and the target at the next bracket or
# closing parenthesis (possessive, no backtracking), so no attempt rescans the rest of the body.
_IMAGE = re.compile(r"!\[([^\[\]]*+)\]\(\s*+<?([^)\s>\[\]]*+)>?[^)\[\]]*+\)")
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


# Python-Markdown recurses once per nesting level (emphasis, brackets, quotes,
# lists) and rebuilds a block's text after every inline match, so a hostile
# body can exhaust the stack or take quadratic time, failing the whole site at
# render time. Bodies are bounded here; no article a person wrote comes near.
MAX_NESTING = 16  # nested emphasis, brackets, parentheses or block markers
MAX_INLINE_MARKS = 1000  # inline-markup characters in one paragraph, before it is split
_INLINE_MARKS = "&\\`*_[]"
_BLOCK_CHAIN = re.compile(r"(?: ?(?:>|[-+*](?= )|\d{1,9}[.)](?= )))+")
_ONE_BLOCK_MARKER = re.compile(r">|[-+*]|\d{1,9}[.)]")
_FENCE = ("```", "~~~")


def bound_markdown(markdown: str) -> str:
    """``markdown`` with pathological nesting escaped and paragraphs dense with
    markup split, so that Python-Markdown renders it in bounded depth and time.
    The identity for any ordinary article (the golden tests hold it)."""
    lines = markdown.split("\n")
    out: list[str] = []
    paragraph: list[str] = []
    in_fence = False
    for line in lines:
        if line.startswith(_FENCE):
            in_fence = not in_fence
        if in_fence or line.startswith(_FENCE) or not line:
            out.extend(_bound_paragraph(paragraph))
            paragraph = []
            out.append(line)
        else:
            paragraph.append(line)
    out.extend(_bound_paragraph(paragraph))
    return "\n".join(out)


def _bound_paragraph(lines: list[str]) -> list[str]:
    if not lines:
        return []
    lines = [_bound_block_chain(line) for line in lines]
    text = "\n".join(lines)
    if not any(mark in text for mark in "*_[]"):
        return lines if sum(text.count(m) for m in "&\\`") <= MAX_INLINE_MARKS else _split_dense(text).split("\n")
    parts = _CODE_SPAN.split(text)
    outside = parts[::2]
    if _emphasis_too_deep(outside):
        outside = [_UNESCAPED_EMPHASIS.sub(r"\\\1", p) for p in outside]
    if _brackets_too_deep("".join(outside)):
        outside = [_UNESCAPED_BRACKET.sub(r"\\\1", p) for p in outside]
    parts[::2] = outside
    text = "".join(parts)
    if sum(text.count(m) for m in _INLINE_MARKS) > MAX_INLINE_MARKS:
        text = _split_dense(text)
    return text.split("\n")


_CODE_SPAN = re.compile(r"(`[^`\n]*`)")
_UNESCAPED_EMPHASIS = re.compile(r"(?<!\\)([*_])")
_UNESCAPED_BRACKET = re.compile(r"(?<!\\)([\[\]])")
_EMPHASIS_RUN = re.compile(r"(?<!\\)[*_]+")


def _bound_block_chain(line: str) -> str:
    """``> > > …`` or ``- - - …`` at a line start nests one block per marker:
    the markers past ``MAX_NESTING`` are escaped (shown as written)."""
    chain = _BLOCK_CHAIN.match(line)
    if chain is None or len(_ONE_BLOCK_MARKER.findall(chain.group())) <= MAX_NESTING:
        return line
    kept = 0
    for seen, marker in enumerate(_ONE_BLOCK_MARKER.finditer(chain.group()), start=1):
        if seen == MAX_NESTING:
            kept = marker.end()
            break
    rest = _ONE_BLOCK_MARKER.sub(lambda m: m.group()[:-1] + "\\" + m.group()[-1], chain.group()[kept:])
    return chain.group()[:kept] + rest + line[chain.end() :]


def _emphasis_too_deep(parts: list[str]) -> bool:
    """Open emphasis markers (a run before a word) less closed ones (a run after
    one) exceed ``MAX_NESTING`` somewhere, or there are too many to render fast."""
    depth = count = 0
    for part in parts:
        for run in _EMPHASIS_RUN.finditer(part):
            start, end = run.span()
            count += end - start
            before = part[start - 1] if start else " "
            after = part[end] if end < len(part) else " "
            opens, closes = not after.isspace(), not before.isspace()
            if opens and not closes:
                depth += end - start
            elif closes and not opens:
                depth = max(0, depth - (end - start))
            if depth > MAX_NESTING or count > MAX_INLINE_MARKS:
                return True
    return False


def _brackets_too_deep(text: str) -> bool:
    """Brackets nested past ``MAX_NESTING``, left open (each makes Python-Markdown
    scan to the paragraph's end), too many, or a link target left open."""
    depth = parens = deepest_paren = count = 0
    for token in _BRACKET_TOKEN.finditer(text):
        char = token.group()
        if char == "[":
            depth += 1
            count += 1
        elif char == "]":
            depth = max(0, depth - 1)
            count += 1
        elif char == "(":
            parens += 1
            deepest_paren = max(deepest_paren, parens)
        elif char == ")":
            parens = max(0, parens - 1)
        if depth > MAX_NESTING or count > MAX_INLINE_MARKS:
            return True
    return deepest_paren > MAX_NESTING and "](" in text


_BRACKET_TOKEN = re.compile(r"\\.|[\[\]()]", re.DOTALL)
_CUT = re.compile(r"[&\\`*_\[\]]")


def _split_dense(text: str) -> str:
    """Cut a paragraph into paragraphs of about ``MAX_INLINE_MARKS`` markup
    characters each, before an unescaped ``&`` or ``\\``, or a backtick outside
    a code span: places where a new paragraph starts as plain text."""
    pieces: list[str] = []
    start = marks = ticks = 0
    for mark in _CUT.finditer(text):
        index, char = mark.start(), mark.group()
        if (
            marks >= MAX_INLINE_MARKS
            and index > start
            and text[index - 1] != "\\"
            and (char in "&\\" or (char == "`" and ticks % 2 == 0))
        ):
            pieces.append(text[start:index])
            start, marks, ticks = index, 0, 0
        marks += 1
        ticks += char == "`"
    pieces.append(text[start:])
    return "\n\n".join(piece.strip() for piece in pieces if piece.strip())
