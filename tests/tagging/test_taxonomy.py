"""The taxonomy file: shipped content, site overrides, and clear errors."""

from __future__ import annotations

import re
import runpy
from functools import cache
from pathlib import Path

import pytest
from babel import Locale

from builder.arabic import normalize
from builder.errors import ConfigError
from builder.taxonomy import DEFAULT_TAXONOMY, TYPES, Taxonomy, load_taxonomy

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tagging"
REPO = Path(__file__).resolve().parents[2]

ARAB_LEAGUE = [
    "DZ",
    "BH",
    "KM",
    "DJ",
    "EG",
    "IQ",
    "JO",
    "KW",
    "LB",
    "LY",
    "MR",
    "MA",
    "OM",
    "PS",
    "QA",
    "SA",
    "SO",
    "SD",
    "SY",
    "TN",
    "AE",
    "YE",
]
P5 = ["CN", "FR", "RU", "GB", "US"]
EU = [
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
]
PARTNERS = ["TR", "IR", "IN", "JP", "CA", "AU", "BR", "PK", "ID", "UA", "IL"]
# Comoros: قمري is also "lunar", so it has no demonym on purpose.
NO_DEMONYM_ON_PURPOSE = {"KM"}


@cache
def default() -> Taxonomy:
    return load_taxonomy()


def test_the_default_taxonomy_loads_with_every_type() -> None:
    taxonomy = default()
    assert {e.type for e in taxonomy.entities} == set(TYPES)
    organizations = [e for e in taxonomy.entities if e.type == "organization"]
    assert len(organizations) >= 60


def test_every_cldr_territory_is_a_country() -> None:
    codes = {e.code for e in default().entities if e.type == "country"}
    cldr = {str(c) for c in Locale("ar").territories if len(str(c)) == 2 and str(c).isalpha()}
    assert cldr - codes == {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


@pytest.mark.parametrize("code", sorted(set(ARAB_LEAGUE + P5 + EU + PARTNERS) - NO_DEMONYM_ON_PURPOSE))
def test_demonyms_cover_the_arab_league_p5_eu_and_partners(code: str) -> None:
    country = next(e for e in default().entities if e.code == code)
    assert country.demonyms, f"{code} {country.name} has no demonym"


def test_capitals_imply_existing_countries() -> None:
    taxonomy = default()
    implying = [e for e in taxonomy.entities if e.implies]
    assert len(implying) >= 40
    for place in implying:
        assert place.type == "place" and place.implies is not None
        assert taxonomy.get("country", place.implies) is not None


def test_the_people_of_the_brief_are_in_the_taxonomy() -> None:
    taxonomy = default()
    for name in ("محمد بن عبد الرحمن آل ثاني", "أنتوني بلينكن", "إبراهيم الهاشمي", "أحمد الحمادي", "ماجد الأنصاري"):
        entity = taxonomy.by_name(name)
        assert entity is not None and entity.type == "person", name


def test_the_generator_output_is_committed() -> None:
    """tools/make_taxonomy.py regenerates exactly what is in the file."""
    before = DEFAULT_TAXONOMY.read_text(encoding="utf-8")
    namespace = runpy.run_path(str(REPO / "tools" / "make_taxonomy.py"), run_name="make_taxonomy")
    block = "\n".join(namespace["country_block"]())
    assert block in before


def test_a_site_file_extends_and_overrides() -> None:
    taxonomy = load_taxonomy(FIXTURES / "taxonomy_override.yml")
    person = taxonomy.by_name("الكعبي")
    assert person is not None and person.name == "سالم الكعبي"
    qatar = taxonomy.get("country", "قطر")
    assert qatar is not None and qatar.description == "دولة في الخليج العربي"
    assert [e.name for e in taxonomy.entities].count("قطر") == 1
    assert "الكعبة المشرفة" in taxonomy.ignore
    assert len(taxonomy.entities) == len(default().entities) + 2


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("taxonomy_bad_yaml.yml", r"taxonomy_bad_yaml\.yml:\d+: the taxonomy is not valid YAML"),
        ("taxonomy_missing_name.yml", r"taxonomy_missing_name\.yml: person entry 2: 'name' must be"),
        ("taxonomy_bad_implies.yml", r"taxonomy_bad_implies\.yml: place entry 1 \(مدينة الخيال\).*أتلانتس"),
        ("taxonomy_duplicate_alias.yml", r"taxonomy_duplicate_alias\.yml: organization entry 1 .*'قطر'.*country"),
        (
            "taxonomy_unknown_key.yml",
            r"taxonomy_unknown_key\.yml: topic entry 1 \(الزراعة\): unknown key\(s\) synonyms",
        ),
        ("taxonomy_unknown_section.yml", r"taxonomy_unknown_section\.yml: unknown section 'people'"),
    ],
)
def test_a_malformed_file_names_the_file_and_the_entry(fixture: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_taxonomy(FIXTURES / fixture)


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=re.escape(str(tmp_path / "nope.yml"))):
        load_taxonomy(tmp_path / "nope.yml")


def test_names_are_unique_once_normalised() -> None:
    seen: dict[str, str] = {}
    for entity in default().entities:
        for name in (*entity.names, *entity.demonyms):
            key = normalize(name)
            assert seen.setdefault(key, entity.slug) == entity.slug, name


def test_loading_twice_gives_equal_taxonomies() -> None:
    assert load_taxonomy() == load_taxonomy()
