"""Hostile input: nothing becomes live markup, nothing escapes its folder,
nothing is lost, and nothing unpublished leaks."""

from __future__ import annotations

import html
import json
import os
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.structure.toc import get_toc

from builder import mkdocs_hooks
from builder.cli import main
from builder.errors import SourceError
from builder.modeling import model_article
from builder.readers import read_file, read_markdown
from builder.safety import escape_markdown

from conftest import FIXTURES, build_args, make_site_project, serve

ADVERSARIAL = FIXTURES / "adversarial"
CANARIES = (b"CANARY-DRAFT-7f3a9c", b"CANARY-EMBARGO-41d2e8")
EXPECTED_REJECTIONS = {
    "javascript_url.md": "'url' must be an http",
    "yaml_python_tag.md": "not valid YAML",
    "yaml_alias_bomb.md": "aliases",
    "yaml_duplicate_key.md": "duplicate key 'title'",
    "title_with_dashes.md": "must not contain '---'",
    "title_multiline.md": "single line",
    "binary.md": "binary",
    "empty_after_cleaning.txt": "no body text",
    "not_utf8.txt": "not valid UTF-8",
    "utf16.txt": "UTF-16",
    "unknown_front_matter_type.md": "'title' must be text",
    "front_matter_not_mapping.md": "must be a mapping",
    "huge.txt": "limited to",
    "long_title.md": "at most 300",
    "outside_link.md": "symbolic link pointing outside",
}
EXPECTED_SLUGS = {
    "slug_traversal.md": "etc-passwd",
    "slug_absolute.md": "tmp-evil",
    "slug_reserved.md": "con-1",
    "slug_windows_chars.md": "a-b-c-d-e-f-g-h",
    "slug_nul.md": "a-b",
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hostile")
    project = make_site_project(root / "project", ADVERSARIAL)
    source = project["source"]
    # Cases too big to keep as fixture files, or that need the file system.
    (source / "huge.txt").write_bytes(("عنوان\n\n" + "كلمة " * 700_000).encode())
    (source / "long_title.md").write_text(f"---\ntitle: {'ع' * 10_000}\n---\n\nنص.\n", encoding="utf-8")
    secret = root / "secret.md"
    secret.write_text("---\ntitle: سر\n---\n\nملف خارج المصدر.\n", encoding="utf-8")
    (source / "outside_link.md").symlink_to(secret)
    assert main(build_args(project)) == 1, "rejections make the exit code 1, the rest still builds"
    return project


def report(project: dict[str, Path]) -> dict[str, Any]:
    return json.loads(project["report"].read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_corpus_covers_at_least_30_cases() -> None:
    assert len(list(ADVERSARIAL.iterdir())) + 3 >= 30


def test_every_input_is_accounted_for(hostile_site: dict[str, Path]) -> None:
    data = report(hostile_site)
    counts = data["counts"]
    assert data["inputs"] == len(list(hostile_site["source"].iterdir()))
    assert data["inputs"] == (
        counts["pages"] + counts["duplicates"] + counts["withheld"] + counts["ignored"] + counts["rejected"]
    )
    rejected = {r["file"]: r["reason"] for r in data["rejected"]}
    for name, reason in EXPECTED_REJECTIONS.items():
        assert name in rejected, f"{name} should be rejected"
        assert reason in rejected[name], (name, rejected[name])
    assert set(rejected) == set(EXPECTED_REJECTIONS)
    assert {w["file"] for w in data["withheld"]} == {"draft.md", "embargo.md"}
    assert data["duplicates"] == [{"file": "script_in_body.md", "duplicate_of": "duplicate_copy.md"}]


def test_slugs_stay_in_their_folder(hostile_site: dict[str, Path]) -> None:
    pages = {p["file"]: p["page"] for p in report(hostile_site)["pages"]}
    for name, slug in EXPECTED_SLUGS.items():
        assert pages[name] == f"articles/{slug}.md"
        assert (hostile_site["site"] / "articles" / slug / "index.html").is_file()
    assert not Path("/tmp/evil").exists()
    site = hostile_site["site"].resolve()
    for path in site.rglob("*"):
        assert path.resolve().is_relative_to(site)


def test_bidi_controls_are_stripped(hostile_site: dict[str, Path]) -> None:
    page = (hostile_site["docs"] / "articles" / "bidi-controls.md").read_text(encoding="utf-8")
    assert "\u202e" not in page and "\u202c" not in page
    assert "قطر تعلن" in page


def test_unpublished_articles_leak_nowhere(hostile_site: dict[str, Path]) -> None:
    for folder in (hostile_site["site"], hostile_site["docs"]):
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                for canary in CANARIES:
                    assert canary not in data, f"{canary!r} leaked into {path}"


def test_unpublished_articles_leak_into_no_bundle(tmp_path: Path) -> None:
    from builder.bundle import build_bundle

    project = make_site_project(tmp_path / "p", ADVERSARIAL)
    result = build_bundle(project["source"], tmp_path / "bundle.zip", config_file=project["config"])
    with zipfile.ZipFile(result.path) as bundle:
        assert bundle.namelist()
        for name in bundle.namelist():
            data = bundle.read(name)
            for canary in CANARIES:
                assert canary not in data, f"{canary!r} leaked into the bundle's {name}"


def test_one_failing_article_does_not_stop_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from builder import pipeline

    real = pipeline.model_article

    def fragile(raw: Any, *args: Any, **kwargs: Any) -> Any:
        if raw.source_path in ("iframe.md", "style_tag.md"):
            raise RuntimeError("boom")
        return real(raw, *args, **kwargs)

    monkeypatch.setattr(pipeline, "model_article", fragile)
    collected = pipeline.collect(ADVERSARIAL)
    failed = [r for r in collected.rejections if "internal error" in r.reason]
    assert {r.source_path for r in failed} == {"iframe.md", "style_tag.md"}
    assert len(collected.articles) > 10


def test_preview_build_shows_drafts_clearly_marked(hostile_site: dict[str, Path], tmp_path: Path) -> None:
    project = make_site_project(tmp_path, ADVERSARIAL)
    main([*build_args(project, "generate"), "--drafts"])
    draft = (project["docs"] / "articles" / "draft.md").read_text(encoding="utf-8")
    assert "CANARY-DRAFT" in draft and "معاينة: مسودة" in draft


def test_no_live_markup_in_built_pages(hostile_site: dict[str, Path]) -> None:
    from bs4 import BeautifulSoup

    for page in sorted((hostile_site["site"] / "articles").rglob("index.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article")
        assert article is not None
        assert not article.find_all(["script", "iframe", "style", "object", "embed"]), page
        for element in article.find_all(True):
            for attribute, value in element.attrs.items():
                assert not attribute.lower().startswith("on"), (page, element.name, attribute)
                if attribute in ("href", "src"):
                    assert not str(value).strip().lower().startswith(("javascript:", "data:", "vbscript:")), page
            if element.name == "img":
                assert not str(element.get("src", "")).startswith(("http:", "https:", "//")), page
        # Anywhere in the page (head included: title, description), no script carries content.
        # The JSON-LD block does, as data that never runs: it must stay JSON, with no "<" to end it.
        for script in soup.find_all("script"):
            if script.get("type") == "application/ld+json":
                assert "<" not in script.string and json.loads(script.string)["@type"] == "NewsArticle", page
                continue
            assert "alert(" not in (script.string or ""), page
        for element in soup.find_all(True):
            assert not [a for a in element.attrs if a.lower().startswith("on")], (page, element.name)


def test_page_html_waits_for_its_template_on_disk_and_already_sanitized() -> None:
    """Between MkDocs' two passes a page holds only where its sanitized HTML and
    table of contents wait on disk (memory stays flat with the page count); the
    template gets both back whole."""
    toc = get_toc([{"level": 2, "id": "قسم", "name": "قسم", "html": "قسم", "data-toc-label": "", "children": []}])
    page = SimpleNamespace(
        markdown="# عنوان\n\nنص", content=None, toc=toc, meta={}, file=SimpleNamespace(src_uri="a.md")
    )
    config = SimpleNamespace(site_name="أرشيف", site_description="", site_url=None, use_directory_urls=True)
    html = '<p onclick="steal()">نص <a href="javascript:alert(1)">رابط</a></p><script>alert(1)</script>'
    mkdocs_hooks.on_pre_build(None)
    try:
        assert mkdocs_hooks.on_page_content(html, page, None, None) == ""
        assert page.markdown == ""
        assert list(page.toc) == [], "the table of contents waits on disk too"
        held = [value for value in vars(page).values() if isinstance(value, (str, bytes)) and value]
        assert held == [], "no copy of the page's HTML stays in memory"
        context = {"page": page}
        assert mkdocs_hooks.on_page_context(context, page, config, None) is context
        assert page.content == mkdocs_hooks.sanitize(html)
        assert "script" not in page.content and "onclick" not in page.content and "javascript" not in page.content
        assert [(a.title, a.id, a.level) for a in page.toc] == [("قسم", "قسم", 2)]
        mkdocs_hooks.on_post_page('<html lang="ar" class="no-js"><meta charset="utf-8"></html>', page, None)
        assert page.content == ""
        assert list(page.toc) == []
    finally:
        mkdocs_hooks.on_post_build(None)


@pytest.mark.browser
def test_no_script_from_content_runs(browser: Any, hostile_site: dict[str, Path]) -> None:
    pages = sorted((hostile_site["site"] / "articles").rglob("index.html"))
    with serve(hostile_site["site"]) as base:
        context = browser.new_context()
        dialogs: list[str] = []
        outside: list[str] = []

        def route(route: Any) -> None:
            if route.request.url.startswith(base):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for built in pages:
            url = base + built.relative_to(hostile_site["site"]).parent.as_posix() + "/"
            page.goto(url, wait_until="networkidle")
            for selector in ("article a", "article h2", "article p"):
                for element in page.query_selector_all(selector)[:5]:
                    element.hover()
        context.close()
    assert dialogs == [], f"content scripts ran: {dialogs}"
    assert outside == [], f"requests left the site: {outside}"


# Property tests: readers and the model step either give an article or raise
# the project's own error, on any bytes and any front matter.


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".md", ".txt"]))
def test_readers_never_crash_on_arbitrary_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"x{suffix}"
    path.write_bytes(data)
    try:
        raw = read_file(path, path.name)
    except SourceError:
        return
    model_article(raw)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30) | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=200)
@given(st.dictionaries(st.sampled_from(["title", "date", "tags", "slug", "draft", "url", "x"]), yaml_values))
def test_model_never_crashes_on_arbitrary_front_matter(front: dict[str, object]) -> None:
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\nنص.\n"
    try:
        raw = read_markdown(text, "x.md")
    except SourceError:
        return
    model_article(raw)


@settings(max_examples=200)
@given(st.text(max_size=200))
def test_model_never_crashes_on_arbitrary_front_matter_text(header: str) -> None:
    try:
        raw = read_markdown(f"---\n{header}\n---\n\nنص.\n", "x.md")
    except SourceError:
        return
    model_article(raw)


def test_symlinks_inside_the_source_folder_are_fine(tmp_path: Path) -> None:
    source = tmp_path / "source"
    (source / "a").mkdir(parents=True)
    (source / "a" / "real.md").write_text("---\ntitle: حقيقي\n---\n\nنص.\n", encoding="utf-8")
    os.symlink(source / "a" / "real.md", source / "alias.md")
    project = make_site_project(tmp_path / "p", source)
    main(build_args(project, "generate"))
    assert report(project)["counts"]["rejected"] == 0


@given(st.text(alphabet="&<>|~^ab ب#*-_.1\n`[]"))
def test_escaped_text_reads_back_as_written(text: str) -> None:
    # Every character reference is written once: "&" first, never re-escaped.
    assert html.unescape(escape_markdown(text).replace("\\", "")) == text
