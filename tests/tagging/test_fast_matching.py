"""The tagger's fast path gives exactly what the straightforward algorithm gives.

``reference_*`` below is the tagger as it was first written: tokenize every word
into a ``Token``, then try every name at every token; find protected regions with
``_PROTECTED.finditer``; link by tokenizing the body again. The fast path (one
``split``, per-word memos, only candidate words visited, first mentions recorded
at tag time) must agree with it match for match and byte for byte, on the sample
corpus, on a synthetic corpus, on the shared corpora when present, and on random
Arabic-ish Markdown.
"""

from __future__ import annotations

import pickle
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.arabic import normalize
from builder.cleaning import default_rules
from builder.model import Article, EntityRef
from builder.pipeline import SourceFile, discover, load_article
from builder.slugs import slugify
from builder.tagging import links
from builder.tagging import matching as tagger
from builder.tagging import tokens as tokenizing
from builder.tagging.links import link_first_mentions
from builder.tagging.matching import find_matches, tag_article
from builder.tagging.tokens import NAME_GAP, TOKEN, words_and_gaps
from builder.taxonomy import Entity, Taxonomy, keep_shadda, load_taxonomy

from conftest import REPO, require_shared

sys.path.insert(0, str(REPO / "bench"))
import synth  # the benchmark's generator (bench/ is not a package)


@cache
def taxonomy() -> Taxonomy:
    return load_taxonomy()


# --- the reference: straightforward, one Token per word, every name tried at every word --


@dataclass(frozen=True)
class RefToken:
    start: int
    end: int
    norm: str
    joined: bool  # separated from the previous token only by a name gap
    marked: str


def reference_tokenize(text: str) -> list[RefToken]:
    tokens: list[RefToken] = []
    previous_end: int | None = None
    for found in TOKEN.finditer(text):
        norm, marked = normalize(found.group()), keep_shadda(found.group())
        if not norm:
            continue
        joined = previous_end is not None and NAME_GAP.fullmatch(text, previous_end, found.start()) is not None
        tokens.append(RefToken(found.start(), found.end(), norm, joined, marked))
        previous_end = found.end()
    return tokens


def reference_is_family_name(stem: str, tokens: list[RefToken], i: int, nisba_singular: frozenset[str]) -> bool:
    if not stem.startswith("ال") or stem not in nisba_singular:
        return False
    if i == 0 or not tokens[i].joined:
        return True
    previous = tokens[i - 1].norm
    return not (tagger._is_definite(previous) or previous.endswith(tagger._PRONOUN_ENDINGS))


def reference_matches(text: str, taxonomy: Taxonomy) -> list[tuple[int, int, Entity]]:
    m = tagger._matcher(taxonomy)  # the tables only; none of the memos
    tokens = reference_tokenize(text)
    matches: list[tuple[int, int, Entity]] = []
    i = 0
    while i < len(tokens):
        best: tuple[int, int] | None = None  # (length in tokens, target)
        for stem in tagger._stems(tokens[i].marked) if m.written else ():
            if stem in m.written:
                best = (1, m.written[stem])
                break
        for stem in tagger._stems(tokens[i].norm) if best is None else ():
            for length in m.lengths.get(stem, ()):
                if best is not None and length <= best[0]:
                    break
                if i + length > len(tokens) or not all(t.joined for t in tokens[i + 1 : i + length]):
                    continue
                target = m.names.get((stem, *(t.norm for t in tokens[i + 1 : i + length])))
                if target is not None:
                    best = (length, target)
                    break
        if best is None:
            for stem in tagger._stems(tokens[i].norm):
                target = m.demonyms.get(stem)
                if target is None and stem.startswith("ال"):
                    target = m.demonyms.get(stem[2:])
                if target is not None:
                    if not reference_is_family_name(stem, tokens, i, m.nisba_singular):
                        best = (1, target)
                    break
        if best is None:
            i += 1
            continue
        length, target = best
        if target != tagger._IGNORE:
            matches.append((tokens[i].start, tokens[i + length - 1].end, m.entities[target]))
        i += length
    return matches


def reference_entities(article: Article, taxonomy: Taxonomy) -> tuple[EntityRef, ...]:
    """``tag_article``'s entities as first written (front-matter tags included)."""
    found: dict[tuple[str, str], EntityRef] = {}

    def add(entity: Entity) -> None:
        found.setdefault((entity.type, entity.slug), entity.ref)
        if entity.implies is not None:
            country = taxonomy.get("country", entity.implies)
            if country is not None:
                found.setdefault((country.type, country.slug), country.ref)

    for text in (article.title, article.summary, article.body):
        for _, _, entity in reference_matches(text, taxonomy):
            add(entity)
    for tag in article.tags:
        entity = taxonomy.by_name(tag)
        if entity is not None:
            add(entity)
            continue
        name = " ".join(tag.split())
        slug = slugify(name)
        if not slug:
            continue
        known = taxonomy.get("topic", slug)
        if known is not None:
            add(known)
            continue
        found.setdefault(("topic", slug), EntityRef("topic", slug, name))
    return tuple(sorted(found.values(), key=tagger.entity_order.__wrapped__))


def reference_protected(markdown: str) -> list[tuple[int, int]]:
    return [m.span() for m in links._PROTECTED.finditer(markdown)]


def reference_link(body: str, article: Article, taxonomy: Taxonomy, href_for: Callable[[EntityRef], str]) -> str:
    """``link_first_mentions`` as first written: tokenize the body again at render time."""
    wanted = {(ref.type, ref.slug): ref for ref in article.entities}
    protected = reference_protected(body)
    edits: list[tuple[int, int, str]] = []
    seen: set[tuple[str, str]] = set()
    for start, end, entity in reference_matches(body, taxonomy):
        key = (entity.type, entity.slug)
        if key in seen or key not in wanted:
            continue
        if any(s < end and start < e for s, e in protected):
            continue
        seen.add(key)
        target = links._link_target(href_for(wanted[key]))
        edits.append((start, end, f"[{body[start:end]}]({target}){{ {links.MENTION_CLASS} }}"))
    out = body
    for start, end, replacement in reversed(edits):
        out = out[:start] + replacement + out[end:]
    return out


def href(ref: EntityRef) -> str:
    return f"../../tags/{ref.type}/{ref.slug}/"


def fast_matches(text: str, taxonomy: Taxonomy) -> list[tuple[int, int, Entity]]:
    return [(m.start, m.end, m.entity) for m in find_matches(text, taxonomy)]


def fields(tokens: list[tagger.Token] | list[RefToken]) -> list[tuple[int, int, str, bool, str]]:
    return [(t.start, t.end, t.norm, t.joined, t.marked) for t in tokens]


def assert_same(article: Article, taxonomy: Taxonomy) -> None:
    for text in (article.title, article.summary, article.body):
        assert fast_matches(text, taxonomy) == reference_matches(text, taxonomy)
    assert fields(tagger.tokenize(article.body)) == fields(reference_tokenize(article.body))
    tagged, _ = tag_article(article, taxonomy)
    assert tagged.entities == reference_entities(article, taxonomy)
    assert links.protected_spans(article.body) == reference_protected(article.body)
    assert link_first_mentions(tagged, href) == reference_link(article.body, tagged, taxonomy, href)


# --- corpora ---------------------------------------------------------------------------


def _load(files: list[SourceFile]) -> list[Article]:
    rules = default_rules()
    articles = [load_article(f, rules=rules).article for f in files]
    return [a for a in articles if a is not None]


def sample_articles() -> list[Article]:
    files, _, _ = discover(REPO / "source")
    return _load(files)


@pytest.fixture(scope="module")
def synthetic_articles(tmp_path_factory: pytest.TempPathFactory) -> list[Article]:
    root = tmp_path_factory.mktemp("synthetic")
    synth.write_corpus(150, root, synth.default_material())
    files, _, _ = discover(root)
    return _load(files)


def test_the_sample_corpus_is_tagged_and_linked_as_by_the_reference() -> None:
    articles = sample_articles()
    assert len(articles) >= 15
    assert sum(len(tag_article(a, taxonomy())[0].mentions) for a in articles) > 50  # it finds things
    for article in articles:
        assert_same(article, taxonomy())


def test_a_synthetic_corpus_is_tagged_and_linked_as_by_the_reference(synthetic_articles: list[Article]) -> None:
    assert len(synthetic_articles) == 150
    for article in synthetic_articles:
        assert_same(article, taxonomy())


def _shared_texts() -> Iterator[str]:
    corpora = require_shared() / "corpora"
    for corpus in ("ant-multisource", "ant-jawharafm"):
        for path in sorted((corpora / corpus).rglob("*.txt")):
            yield path.read_text(encoding="utf-8", errors="replace")


@pytest.mark.corpus
def test_the_shared_corpora_are_matched_as_by_the_reference() -> None:
    texts = list(_shared_texts())
    assert texts
    for text in texts:
        assert_same(Article(source_path="x.md", slug="x", title="", body=text, summary=""), taxonomy())


def test_results_do_not_depend_on_the_memos(synthetic_articles: list[Article], monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold matcher, and one that keeps forgetting (tiny memo limits), tag alike."""
    warm = [tag_article(a, taxonomy())[0] for a in synthetic_articles[:40]]
    fresh = Taxonomy(taxonomy().entities, taxonomy().ignore)
    tagger._MATCHERS.clear()
    monkeypatch.setattr(tagger, "_MAX_WORDS", 50)
    monkeypatch.setattr(tagger, "_MAX_GAPS", 3)
    forgetful = [tag_article(a, fresh)[0] for a in synthetic_articles[:40]]
    assert forgetful == warm
    matcher = tagger._matcher(fresh)
    assert len(matcher.norms) < 1000 and len(matcher.gaps) <= 4  # it did forget
    tagger._MATCHERS.clear()


def test_a_pickled_taxonomy_carries_no_memos_and_shares_the_matcher(synthetic_articles: list[Article]) -> None:
    """Worker processes receive the taxonomy with every batch of files: its matcher
    travels as a reference, not with its memos, and copies share one matcher."""
    tax = Taxonomy(taxonomy().entities, taxonomy().ignore)
    for article in synthetic_articles[:20]:
        tag_article(article, tax)
    matcher = tagger._matcher(tax)
    assert len(matcher.norms) > 500
    data = pickle.dumps(tax)
    untouched = Taxonomy(tax.entities, tax.ignore)
    untouched.by_name("قطر"), untouched.get("country", "قطر")  # the taxonomy's own indexes, normalised names
    bare = pickle.dumps(untouched)
    learned = [w.encode("utf-8") for w in matcher.norms if w.encode("utf-8") not in bare]
    assert len(learned) > 100
    assert not [w for w in learned if w in data]
    copy = pickle.loads(data)
    assert tagger._matcher(copy) is matcher
    assert [tag_article(a, copy)[0] for a in synthetic_articles[:20]] == [
        tag_article(a, tax)[0] for a in synthetic_articles[:20]
    ]


# --- first mentions ----------------------------------------------------------------------


def test_mentions_are_recorded_at_tag_time_outside_protected_regions() -> None:
    body = "## قطر\n\nزار [قطر](https://x.org) ثم `قطر` ثم وصل إلى قطر والدوحة، ثم قطر مرة أخرى."
    tagged, _ = tag_article(Article(source_path="a.md", slug="a", title="", body=body, summary=""), taxonomy())
    spans = [(m.type, m.slug, body[m.start : m.end]) for m in tagged.mentions]
    assert spans == [("country", "قطر", "قطر"), ("place", "الدوحة", "والدوحة")]
    assert tagged.mentions[0].start == body.index("إلى قطر") + len("إلى ")


def test_only_the_articles_entities_are_linked_and_an_untagged_article_gets_no_links() -> None:
    body = "قطر والأمم المتحدة"
    tagged, _ = tag_article(Article(source_path="a.md", slug="a", title="", body=body, summary=""), taxonomy())
    assert link_first_mentions(tagged, href).count("tag-mention") == 2
    only_un = Article(
        source_path="a.md",
        slug="a",
        title="",
        body=body,
        summary="",
        entities=tuple(e for e in tagged.entities if e.type == "organization"),
        mentions=tagged.mentions,
    )
    assert link_first_mentions(only_un, href) == (
        "قطر [والأمم المتحدة](../../tags/organization/الأمم-المتحدة/){ .tag-mention }"
    )
    untagged = Article(source_path="a.md", slug="a", title="", body=body, summary="", entities=tagged.entities)
    assert link_first_mentions(untagged, href) == body


def test_a_word_that_normalises_to_nothing_breaks_a_name() -> None:
    """A lone tatweel or haraka is a token of the regex but no word: a name never spans it."""
    for text in ("الأمم ـ المتحدة", "الأمم \u064e المتحدة", "الأمم\u200d المتحدة ـ قطر"):
        assert fast_matches(text, taxonomy()) == reference_matches(text, taxonomy())
    assert [e.name for _, _, e in fast_matches("الأمم ـ المتحدة", taxonomy())] == []
    assert [e.name for _, _, e in fast_matches("الأمم المتحدة", taxonomy())] == ["الأمم المتحدة"]


# --- properties --------------------------------------------------------------------------


@cache
def _names() -> tuple[str, ...]:
    """Every name, demonym and ignored phrase of the taxonomy, as written."""
    names: set[str] = set(taxonomy().ignore)
    for entity in taxonomy().entities:
        names.update((*entity.names, *entity.demonyms, *entity.written, *entity.no_match))
    return tuple(sorted(names))


@cache
def _name_words() -> tuple[str, ...]:
    return tuple(sorted({word for name in _names() for word in name.split()}))


_PROCLITICS = ["", "", "", "", "و", "ف", "ب", "ل", "ك", "وب", "لل", "ال", "ولل"]
_SUFFIXES = ["", "", "", "", "", "ي", "ية", "يون", "يين", "ه", "ها", "نا"]
_MARKS = ["\u064b", "\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u0640", "\u200c", "\u200d", "\u0670"]
# Neighbours that matter: definite nouns and pronoun suffixes (``الوزير السويدي``,
# ``نظيره القطري``), given names (``سيف السويدي``), honorifics, words that are only
# marks or tatweel (tokens that normalise to nothing), digits, Latin.
_OTHER_WORDS = [
    "في",
    "من",
    "الوزير",
    "نظيره",
    "نظيرها",
    "سيف",
    "الشيخ",
    "عبد",
    "أبو",
    "بن",
    "الله",
    "وزير",
    "١٢",
    "abc",
    "ـ",
    "\u064e",
    "\u200d",
]
_NAME_GAPS = [" ", " ", " ", "  ", "\n", "-", " - ", '"', "«", " »", "\u00a0", "\t"]  # may join a name
_GAPS = [*_NAME_GAPS, "\n\n", "، ", ". ", "_", "/", " ـ ", "\n## ", "\n\n# ", "\n===\n", "\n- "]
_MARKDOWN = [
    "[",
    "](",
    ")",
    "`",
    "```\n",
    "<a href=x>",
    "</a>",
    "<!-- ",
    " -->",
    "<br>",
    "https://x.org/",
    "www.",
    "![",
]


@st.composite
def arabic_words(draw: st.DrawFn, base: st.SearchStrategy[str] | None = None) -> str:
    word = draw(base if base is not None else st.sampled_from(_name_words()) | st.sampled_from(_OTHER_WORDS))
    word = draw(st.sampled_from(_PROCLITICS)) + word + draw(st.sampled_from(_SUFFIXES))
    if draw(st.integers(0, 3)) == 0 and len(word) > 1:  # a mark inside the word
        at = draw(st.integers(1, len(word) - 1))
        word = word[:at] + draw(st.sampled_from(_MARKS)) + word[at:]
    return word


@st.composite
def names_as_written(draw: st.DrawFn) -> str:
    """A whole name, a proclitic on its first word, its words usually separated by name gaps."""
    words = draw(st.sampled_from(_names())).split()
    first = draw(arabic_words(st.just(words[0])))
    gaps = st.sampled_from(_NAME_GAPS) if draw(st.integers(0, 4)) else st.sampled_from(_GAPS)
    return first + "".join(draw(gaps) + word for word in words[1:])


@cache
def _nisba_demonyms() -> tuple[str, ...]:
    return tuple(sorted(d for e in taxonomy().entities for d in e.demonyms if d.endswith("ي")))


@st.composite
def nisba_after_a_word(draw: st.DrawFn) -> str:
    """``سيف السويدي`` (a man) or ``الوزير السويدي`` (Swedish): it depends on the word before."""
    before = draw(arabic_words(st.sampled_from(_OTHER_WORDS)) | arabic_words())
    nisba = draw(st.sampled_from(["", "", "و", "ف"])) + "ال" + draw(st.sampled_from(_nisba_demonyms()))
    return before + draw(st.sampled_from(_NAME_GAPS) | st.sampled_from(_GAPS)) + nisba


@st.composite
def arabic_markdown(draw: st.DrawFn) -> str:
    phrase = names_as_written() | nisba_after_a_word() | arabic_words() | arabic_words(st.sampled_from(_OTHER_WORDS))
    separator = st.sampled_from(_NAME_GAPS) | st.sampled_from(_GAPS) | st.sampled_from(_MARKDOWN)
    pieces = draw(st.lists(st.tuples(phrase, separator), max_size=25))
    return "".join(word + gap for word, gap in pieces)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(arabic_markdown())
def test_random_arabic_markdown_is_matched_and_linked_as_by_the_reference(text: str) -> None:
    assert_same(Article(source_path="a.md", slug="a", title=text[:40], body=text, summary=text[:80]), taxonomy())


_MARKDOWN_BITS = [
    *"ab hHfFwWtp:/.`~#=-[]()!<>\n\t",
    "www.",
    "WWW.",
    "http://",
    "HTTPS://",
    "ftp://",
    "```",
    "~~~",
    "## ",
    "\n===",
    "\n---",
    "<a ",
    "</a>",
    "<!--",
    "-->",
    " قطر",
    "[x]: ",
]
_MARKDOWNISH = st.lists(st.sampled_from(_MARKDOWN_BITS), max_size=60).map("".join)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(_MARKDOWNISH)
def test_protected_spans_are_those_of_a_full_scan(text: str) -> None:
    assert links.protected_spans(text) == reference_protected(text)


def test_no_protected_region_starts_at_a_character_the_fast_scan_skips() -> None:
    """``_protected_spans`` only tries line starts and ``_PROTECTED_START`` characters:
    away from a line start, no other character (any case-folding included) can begin one."""
    tails = ["ttp://a", "tp://a", "ww.a", "a`", "[a](b)", "a>", "!--a-->", "a>b</a>", "ftp://a", "https://a"]
    for code in range(0x10000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF or links._PROTECTED_START.match(char):
            continue
        for tail in tails:
            assert links._PROTECTED.match("x" + char + tail, 1) is None, (hex(code), tail)


def test_only_h_f_and_w_begin_a_url_in_any_case() -> None:
    """Case-insensitive matching folds some letters onto ASCII ones (K, ſ): none onto
    the first letters of the URL alternatives, in all of Unicode."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    firsts = re.compile(r"(?:https?|ftp)://\S+|www\.\S+", re.IGNORECASE)
    found = set(re.findall(r"h|f|w", every, re.IGNORECASE))
    assert found == set("hHfFwW")
    assert all(links._PROTECTED_START.match(c) for c in found)
    assert firsts.match("\u212attp://x") is None  # the Kelvin sign is no h


def test_tokens_are_those_of_the_token_pattern() -> None:
    """The splits used by the fast path find the tokens ``TOKEN`` finds, with and
    without "_" in the text (the faster one is only used without)."""
    every = "".join(chr(c) for c in range(0x20, 0x30000) if not 0xD800 <= c <= 0xDFFF)
    arabic = " قطرـ\u064e\u200dالدوحة_غزة ١٢٣ \u0651\u0670x_"
    for text in (every + arabic, (every + arabic).replace("_", " ")):
        expected = re.compile(f"({TOKEN.pattern})").split(text)
        assert words_and_gaps(text) == expected
        assert words_and_gaps(text)[1::2] == TOKEN.findall(text)
    no_underscore = every.replace("_", "")
    assert tokenizing._WORDS_AND_GAPS_NO_UNDERSCORE.split(no_underscore) == tokenizing._WORDS_AND_GAPS.split(
        no_underscore
    )
