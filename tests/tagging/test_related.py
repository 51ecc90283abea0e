"""Related briefings: Hugo-like scoring by shared entities."""

from __future__ import annotations

import datetime as dt
import math
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.arabic import normalize
from builder.model import Article, EntityRef
from builder.related import CARDINALITY_THRESHOLD, MIN_ARTICLES_FOR_THRESHOLD, WEIGHTS, related_articles


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


def _all_pairs(articles: list[Article], limit: int = 5) -> dict[str, tuple[str, ...]]:
    """The reference: every pair scored, as before the index (same weights and order)."""
    total = len(articles)
    frequency: dict[tuple[str, str], int] = {}
    for article in articles:
        for key in {(e.type, e.slug) for e in article.entities}:
            frequency[key] = frequency.get(key, 0) + 1

    def weight(key: tuple[str, str]) -> float:
        if total >= MIN_ARTICLES_FOR_THRESHOLD and frequency[key] / total > CARDINALITY_THRESHOLD:
            return 0.0
        return WEIGHTS[key[0]] * math.log(1 + total / frequency[key])

    def identity(a: Article) -> tuple[str, str]:
        return (" ".join(normalize(a.title).split()), a.date.isoformat() if a.date else "")

    result = {}
    for article in articles:
        mine = {(e.type, e.slug) for e in article.entities}
        scored = []
        for other in articles:
            shared = mine & {(e.type, e.slug) for e in other.entities}
            score = round(sum(weight(k) for k in sorted(shared)), 9)
            if other.slug != article.slug and score > 0:
                far = 10**9 if not (article.date and other.date) else abs((article.date - other.date).days)
                scored.append((-score, far, other.slug, other))
        chosen: list[str] = []
        seen = {identity(article)}
        for *_, other in sorted(scored, key=lambda t: t[:3]):
            if identity(other) not in seen and len(chosen) < limit:
                chosen.append(other.slug)
                seen.add(identity(other))
        result[article.slug] = tuple(chosen)
    return result


@settings(max_examples=150, deadline=None)
@given(_articles)
def test_below_the_caps_the_result_is_the_all_pairs_one(articles: list[Article]) -> None:
    assert related_articles(articles) == _all_pairs(articles)


def test_the_sample_corpus_keeps_its_related_lists() -> None:
    """The sample corpus is far below the caps: the index gives the all-pairs result."""
    from builder.pipeline import prepare

    from conftest import REPO

    articles = list(prepare(REPO / "source", REPO / "mkdocs.yml").articles)
    assert len(articles) >= 15
    assert related_articles(articles) == _all_pairs(articles)


def _dated(day: int, *entities: EntityRef) -> Article:
    return art(f"d{day:02d}", *entities, date=dt.date(2023, 1, 1) + dt.timedelta(days=day))


def test_a_common_entity_relates_only_the_articles_nearest_in_time() -> None:
    topic = ref("topic", "الوساطة")
    articles = [_dated(day, topic) for day in range(1, 21)]
    articles += [art(f"u{i}", ref("topic", f"آخر {i}")) for i in range(30)]  # so the topic is not on most
    result = related_articles(articles, window=4)
    assert result["d10"] == ("d09", "d11", "d08", "d12")
    assert result["d01"] == ("d02", "d03", "d04", "d05")  # at the edge, the window slides
    assert result["d20"] == ("d19", "d18", "d17", "d16")
    # Without the cap, the same order goes on further away.
    assert related_articles(articles, window=100)["d10"] == ("d09", "d11", "d08", "d12", "d07")


def test_candidates_come_through_the_strongest_entity_first() -> None:
    person, topic = ref("person", "بلينكن"), ref("topic", "الطاقة")
    articles = [
        _dated(1, person, topic),
        _dated(2, person),  # shares only the person
        _dated(30, person),
        *(_dated(day, topic) for day in range(3, 9)),  # share only the topic, nearer in time
        *(art(f"u{i}", ref("topic", f"آخر {i}")) for i in range(20)),
    ]
    # With room for two candidates only, they come through the rarer, heavier person.
    assert related_articles(articles, budget=2)["d01"] == ("d02", "d30")
    # Without the cap the topic's articles follow, nearest first.
    assert related_articles(articles)["d01"] == ("d02", "d30", "d03", "d04", "d05")


def test_a_candidate_gets_its_exact_score_over_every_shared_entity() -> None:
    person, place, country = ref("person", "بلينكن"), ref("place", "الدوحة"), ref("country", "فرنسا")
    articles = [
        _dated(10, person, place, country),
        _dated(11, person),  # through the person only
        _dated(40, person, place, country),  # found through the person too, but shares all three
        *(art(f"u{i}", ref("topic", f"آخر {i}")) for i in range(20)),
    ]
    # budget=1: candidates come through the person alone; the exact score still counts place and country.
    assert related_articles(articles, budget=1)["d10"] == ("d40", "d11")


def test_large_corpora_stay_deterministic_and_input_order_free() -> None:
    rng = random.Random(5)
    pool = [ref(t, f"{t}{i}") for t in ("person", "organization", "topic", "place", "country") for i in range(40)]
    articles = [
        art(f"s{i:04d}", *rng.sample(pool, 12), date=dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(4000)))
        for i in range(1500)
    ]
    result = related_articles(articles, budget=30, window=8)
    shuffled = list(articles)
    rng.shuffle(shuffled)
    assert related_articles(shuffled, budget=30, window=8) == result
    assert all(len(v) == 5 for v in result.values())
    by_slug = {a.slug: set(a.entities) for a in articles}
    assert all(by_slug[s] & by_slug[o] for s, related in result.items() for o in related)
