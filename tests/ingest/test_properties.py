"""Property tests: ingest never raises on arbitrary bytes; ingesting twice is a no-op."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.ingest.records import Candidate, Rejected
from builder.ingest.run import ingest, read_bytes

SUFFIXES = st.sampled_from([".txt", ".md", ".html", ".json", ".jsonl", ".xml", ""])
ARABIC = st.text(alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءأإآ ،.0123456789\n")), max_size=300)
PREFIXES = st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"<DOC><TITLE>", b"<html><h1>", b"[{", b"---\n"])


@settings(max_examples=150, deadline=None)
@given(prefix=PREFIXES, data=st.binary(max_size=600), suffix=SUFFIXES)
def test_reading_arbitrary_bytes_never_raises(prefix: bytes, data: bytes, suffix: str) -> None:
    items = read_bytes(prefix + data, "in/x" + suffix, "x", suffix)
    assert items and all(isinstance(i, Candidate | Rejected) for i in items)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    files=st.lists(
        st.tuples(SUFFIXES, st.one_of(ARABIC.map(lambda t: t.encode("utf-8")), st.binary(max_size=200))),
        min_size=1,
        max_size=5,
    )
)
def test_ingesting_twice_is_a_no_op(files: list[tuple[str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        folder = root / "in"
        folder.mkdir()
        for number, (suffix, data) in enumerate(files):
            (folder / f"f{number}{suffix}").write_bytes(data)
        into = root / "source"
        first = ingest([folder], into)
        snapshot = {p: p.read_bytes() for p in into.rglob("*") if p.is_file()}
        second = ingest([folder], into)
        assert {p: p.read_bytes() for p in into.rglob("*") if p.is_file()} == snapshot
        assert all(o.status != "written" for o in second)
        assert len(first) == len(second)
