"""Related briefings: Hugo-like scoring by shared entities."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.model import Article, EntityRef
from builder.related import related_articles


def ref(type_: str, name: str) -> EntityRef:
    return EntityRef(type_, name, name)


def art(
    slug: str, *entities: EntityRef, date: dt.date | None = dt.date(2023, 6, 1), title: str | None = None
) -> Article:
    return Article(
        source_path=f"{slug}.md", slug=slug, title=title or slug, body="", summary="", date=date, entities=entities
    )


QATAR = ref("country", "قطر")


def test_a_shared_person_outweighs_a_shared_place_and_country() -> None:
    articles = [
        art("a", ref("person", "بلينكن"), ref("place", "الدوحة"), ref("country", "فرنسا")),
        art("b", ref("place", "الدوحة"), ref("country", "فرنسا")),
        art("c", ref("person", "بلينكن")),
        art("d", ref("topic", "الطاقة")),
    ]
    assert related_articles(articles)["a"] == ("c", "b")


def test_type_weights_order_person_organization_topic_place_country() -> None:
    kinds = ["person", "organization", "topic", "place", "country"]
    hub = art("hub", *(ref(k, k) for k in kinds))
    others = [art(f"only-{k}", ref(k, k)) for k in kinds]
    assert related_articles([hub, *others])["hub"] == tuple(f"only-{k}" for k in kinds)


def test_a_tag_on_most_articles_says_nothing() -> None:
    # قطر is on every article: alone it relates nothing once the archive is big enough.
    articles = [art(f"n{i}", QATAR) for i in range(12)]
    articles.append(art("x", QATAR, ref("topic", "الطاقة")))
    articles.append(art("y", QATAR, ref("topic", "الطاقة")))
    result = related_articles(articles)
    assert result["n0"] == ()
    assert result["x"] == ("y",)


def test_a_rare_tag_counts_more_than_a_common_one() -> None:
    common = ref("topic", "شائع")
    rare = ref("topic", "نادر")
    filler = [art(f"f{i}", common) for i in range(3)]
    articles = [art("a", common, rare), art("b", common), art("c", rare), *filler]
    assert related_articles(articles)["a"][0] == "c"


def test_ties_go_to_the_nearer_date_then_the_slug() -> None:
    topic = ref("topic", "الوساطة")
    articles = [
        art("a", topic, date=dt.date(2023, 6, 10)),
        art("far", topic, date=dt.date(2020, 1, 1)),
        art("near", topic, date=dt.date(2023, 6, 11)),
        art("z-same", topic, date=dt.date(2023, 6, 8)),
        art("b-same", topic, date=dt.date(2023, 6, 8)),
        art("undated", topic, date=None),
    ]
    assert related_articles(articles)["a"] == ("near", "b-same", "z-same", "far", "undated")


def test_never_itself_nor_a_duplicate_and_at_most_the_limit() -> None:
    topic = ref("topic", "الوساطة")
    articles = [
        art("a", topic, title="خبر"),
        art("a-copy", topic, title="خبر"),  # same title and date: the same briefing
        *(art(f"o{i}", topic, title=f"خبر {i}") for i in range(8)),
        # Unrelated briefings, so that the shared topic is not on most of the archive.
        *(art(f"u{i}", ref("topic", f"آخر {i}")) for i in range(12)),
    ]
    result = related_articles(articles, limit=5)
    assert "a" not in result["a"] and "a-copy" not in result["a"]
    assert len(result["a"]) == 5
    assert all(len(v) <= 5 for v in result.values())


def test_every_article_has_an_entry_even_without_entities() -> None:
    assert related_articles([art("a"), art("b")]) == {"a": (), "b": ()}


_POOL = [ref(t, f"{t}{i}") for t in ("person", "organization", "topic", "place", "country") for i in range(3)]
_articles = st.lists(
    st.tuples(
        st.lists(st.sampled_from(_POOL), max_size=5, unique=True),
        st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2024, 12, 31))),
    ),
    max_size=15,
).map(lambda items: [art(f"s{i}", *ents, date=date) for i, (ents, date) in enumerate(items)])


@settings(max_examples=100, deadline=None)
@given(_articles, st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_input_order(articles: list[Article], rnd) -> None:  # type: ignore[no-untyped-def]
    shuffled = list(articles)
    rnd.shuffle(shuffled)
    assert related_articles(articles) == related_articles(shuffled)


@settings(max_examples=100, deadline=None)
@given(_articles)
def test_related_articles_share_an_entity(articles: list[Article]) -> None:
    by_slug = {a.slug: a for a in articles}
    for slug, related in related_articles(articles).items():
        assert slug not in related
        assert len(related) == len(set(related)) <= 5
        mine = set(by_slug[slug].entities)
        for other in related:
            assert mine & set(by_slug[other].entities)
