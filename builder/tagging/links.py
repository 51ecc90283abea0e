"""Link the first mention of each tagged entity in an article's Markdown body."""

from __future__ import annotations

import re
from collections.abc import Callable

from builder.model import Article, EntityRef

# Markdown regions where a new link must not go: headings, code, existing links,
# raw HTML, URLs.
_PROTECTED = re.compile(
    r"^[ ]{0,3}(`{3,}|~{3,}).*?(?:^[ ]{0,3}\1[^\n]*$|\Z)"  # fenced code
    r"|^[ ]{0,3}#{1,6}(?:[ \t][^\n]*)?$"  # ATX heading
    r"|^[^\n]+\n[ ]{0,3}(?:=+|-+)[ \t]*$"  # setext heading
    r"|^[ ]{0,3}\[[^\]\n]+\]:[^\n]*$"  # link reference definition
    r"|`[^`\n]*`"  # inline code
    r"|<a\b.*?</a\s*>"  # HTML link
    r"|<!--.*?-->"  # HTML comment
    r"|<[^>\n]*>"  # any other tag or autolink
    r"|!?\[[^\]\n]*\](?:\([^)\n]*\)|\[[^\]\n]*\])?"  # Markdown link, image, bracketed text
    r"|(?:https?|ftp)://\S+|www\.\S+",  # bare URL
    re.MULTILINE | re.DOTALL | re.IGNORECASE,
)
# Where a protected region can start: a line start (the character after a line
# break), or one of the characters its other alternatives begin with (the URL
# schemes in either case). ``_PROTECTED`` is only tried there, which gives the
# spans ``_PROTECTED.finditer`` gives, without trying every character of the text.
_PROTECTED_START = re.compile(r"[\n`<!\[hHfFwW]")


# attr_list syntax: the link gets class="tag-mention" (styling, and a selector for tests).
MENTION_CLASS = ".tag-mention"


def protected_spans(markdown: str) -> list[tuple[int, int]]:
    """The spans of ``_PROTECTED.finditer(markdown)``, in order."""
    spans: list[tuple[int, int]] = []
    match, search = _PROTECTED.match, _PROTECTED_START.search
    at = 0  # a line start
    while True:
        found = match(markdown, at)
        if found is not None and found.end() > at:
            spans.append(found.span())
            at = found.end()
            if markdown[at - 1 : at] == "\n":
                continue  # a line start again
        else:
            at += 1
            if markdown[at - 1 : at] == "\n":
                continue
        following = search(markdown, at)
        if following is None:
            return spans
        at = following.start() + 1 if markdown[following.start()] == "\n" else following.start()


def _link_target(href: str) -> str:
    return f"<{href}>" if re.search(r"[\s()<>]", href) else href


def link_first_mentions(article: Article, href_for: Callable[[EntityRef], str]) -> str:
    """``article.body`` with the first mention of each of the article's entities
    turned into a link ``[text as written](href){ .tag-mention }`` (needs the
    ``attr_list`` extension); never in a heading, never inside a link or code.

    Uses the positions ``tag_article`` recorded (``article.mentions``): an
    article that was not tagged gets no links."""
    wanted = {(ref.type, ref.slug): ref for ref in article.entities}
    body = article.body
    pieces: list[str] = []
    done = 0
    for mention in article.mentions:
        ref = wanted.get((mention.type, mention.slug))
        if ref is None:
            continue
        text = body[mention.start : mention.end]
        pieces += (body[done : mention.start], f"[{text}]({_link_target(href_for(ref))}){{ {MENTION_CLASS} }}")
        done = mention.end
    pieces.append(body[done:])
    return "".join(pieces)
