"""Who may change what: pull requests simulated in real git repositories, checked as CI checks them.

One repository holds tests/data/base on ``main``; each case is a branch in its own worktree,
with its changes committed, then checked with the workflow's commands: ``trombi validate`` on
the changed files and ``trombi check-pr``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.directory.settings import Settings
from generator.problems import said
from generator.review.ownership import FileChange, PullRequest, check_pull_request
from tests.conftest import DATA, make_directory

Change = Callable[[Path], None]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV}, check=True)
    return result.stdout


def trombi(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    return subprocess.run([sys.executable, "-m", "generator.cli.main", *args], cwd=cwd, capture_output=True, text=True, env=env)


PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def make_origin(root: Path) -> Path:
    """The directory of tests/data/base with the rest of a real repository, committed on main of a repository."""
    make_directory(root)
    extra = {
        "pyproject.toml": "[project]\nname = 'trombi'\n",
        "Makefile": "test:\n\tpytest\n",
        ".ci/run": "#!/bin/sh\nmake test\n",
        ".gitlab-ci.yml": "stages: [validate]\n",
        "docs/index.md": "# Accueil\n",
        "pairings/2026-09.yaml": "pairs: []\n",
        "schemas/person.schema.json": "{}\n",
    }
    for path, text in extra.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    (root / ".ci/run").chmod(0o755)
    (root / "photos").mkdir()
    (root / "photos/lead.png").write_bytes(PNG)
    (root / "photos/claire-portrait.png").write_bytes(PNG)
    for handle, photo in (("lead", "photos/lead.png"), ("ceo", "photos/claire-portrait.png")):
        profile = root / f"people/{handle}.yaml"
        profile.write_text(profile.read_text(encoding="utf-8") + f"photo: {photo}\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "The directory")
    return root


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_origin(tmp_path_factory.mktemp("pr") / "origin")


def clone(origin: Path, tree: Path, branch: str, start: str = "origin/main") -> Path:
    """A checkout like actions/checkout leaves one: origin/HEAD names the default branch, HEAD is the pull request."""
    git(origin.parent, "clone", "-q", str(origin), str(tree))
    git(tree, "checkout", "-q", "-b", branch, start)
    return tree


@pytest.fixture(scope="module")
def pull_request(repo: Path) -> Callable[[str, Change], Path]:
    """Make branch ``name`` from main in a clone of ``repo``, apply ``change``, commit; return the clone."""

    return lambda name, change: branch_with(repo, name, change)


def branch_with(origin: Path, name: str, change: Change) -> Path:
    """A clone of ``origin`` on a new branch ``name`` from main, with ``change`` applied and committed."""
    tree = clone(origin, origin.parent / name, name)
    change(tree)
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", name)
    return tree


def check_pr(tree: Path, author: str, *approved: str, extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """``trombi check-pr`` as the workflow runs it: from trusted code, outside the pull request, which it reads as data."""
    args = ["check-pr", "--root", str(tree), "--author", author, "--rules-from", "origin/main", "--base", "origin/main", *extra]
    for login in approved:
        args += ["--approved-by", login]
    return trombi(tree.parent, *args)


def edit(path: str, old: str, new: str) -> Change:
    def change(tree: Path) -> None:
        file = tree / path
        text = file.read_text(encoding="utf-8")
        assert old in text, (path, old)
        file.write_text(text.replace(old, new), encoding="utf-8")

    return change


def write(path: str, text: str) -> Change:
    def change(tree: Path) -> None:
        (tree / path).write_text(text, encoding="utf-8")

    return change


NEW_PERSON = """# yaml-language-server: $schema=../schemas/person.schema.json
name: Nina Petit
title: Développeuse
team: platform
manager: lead
contact:
  github: {login}
"""

NEW_GROUP = """# yaml-language-server: $schema=../schemas/group.schema.json
name: Club jeux
type: interest
owners: [{owner}]
"""


@pytest.fixture(scope="module")
def edited_dev(pull_request: Callable[[str, Change], Path]) -> Path:
    return pull_request("dev-title", edit("people/dev.yaml", "title: Développeuse", "title: Développeuse senior"))


def test_own_profile_passes_validation_and_ownership(edited_dev: Path) -> None:
    changed = git(edited_dev, "diff", "--name-only", "--diff-filter=d", "origin/main...HEAD").split()
    assert changed == ["people/dev.yaml"]
    validated = trombi(edited_dev, "validate", *changed, "--format", "github")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    result = check_pr(edited_dev, "ana-gh")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "chaque modification est permise à ana-gh" in result.stdout


def test_someone_elses_profile_fails_and_says_who_may_approve(edited_dev: Path) -> None:
    result = check_pr(edited_dev, "mallory")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        # The changed line, and the column where it starts to differ: " senior" added to the title.
        "people/dev.yaml:3:20: error: people/dev.yaml appartient à dev (GitHub : ana-gh) ; les modifications de mallory doivent être approuvées "
        "par ana-gh, lead (manager de la personne, GitHub : leo-gh) ou un admin (admin-gh) [ownership]"
    )


@pytest.mark.parametrize("approver", ["ana-gh", "Leo-GH", "admin-gh"])
def test_someone_elses_profile_passes_with_an_approval(edited_dev: Path, approver: str) -> None:
    assert check_pr(edited_dev, "mallory", "someone-else", approver).returncode == 0


def test_an_approval_by_someone_unrelated_does_not_count(edited_dev: Path) -> None:
    assert check_pr(edited_dev, "mallory", "claire-gh").returncode == 1


@pytest.mark.parametrize("author", ["leo-gh", "admin-gh"], ids=["manager", "admin"])
def test_manager_and_admin_may_change_a_profile(edited_dev: Path, author: str) -> None:
    assert check_pr(edited_dev, author).returncode == 0


def test_github_annotations(edited_dev: Path) -> None:
    result = check_pr(edited_dev, "mallory", extra=("--format", "github"))
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=people/dev.yaml,line=3,col=20,title=ownership::people/dev.yaml appartient à dev")


def test_taking_over_a_profile_by_editing_its_github_login_fails(pull_request: Callable[[str, Change], Path]) -> None:
    tree = pull_request("takeover", edit("people/dev.yaml", "github: ana-gh", "github: mallory"))
    result = check_pr(tree, "mallory")
    assert result.returncode == 1
    assert result.stdout.startswith("people/dev.yaml:11:11: error: people/dev.yaml appartient à dev (GitHub : ana-gh)")
    assert "contact.github indique désormais 'mallory', mais qui peut approuver se lit dans la version de base" in result.stdout


def test_renaming_a_profile_is_for_admins(pull_request: Callable[[str, Change], Path]) -> None:
    tree = pull_request("rename", lambda tree: (tree / "people/dev.yaml").rename(tree / "people/ana.yaml"))
    result = check_pr(tree, "ana-gh")
    assert result.returncode == 1
    assert "renommer people/dev.yaml en people/ana.yaml (le profil d’une personne) est réservé aux admins" in result.stdout
    assert "doivent être approuvées par un admin (admin-gh)" in result.stdout
    assert check_pr(tree, "admin-gh").returncode == 0


def test_deleting_a_profile_is_for_admins(pull_request: Callable[[str, Change], Path]) -> None:
    tree = pull_request("delete", lambda tree: (tree / "people/dev.yaml").unlink())
    assert git(tree, "diff", "--name-only", "--diff-filter=d", "origin/main...HEAD") == ""  # nothing for validate to read
    result = check_pr(tree, "ana-gh")
    assert result.returncode == 1
    assert "people/dev.yaml:1:1: error: supprimer people/dev.yaml (le profil d’une personne) est réservé aux admins" in result.stdout
    assert check_pr(tree, "admin-gh").returncode == 0


def test_anyone_may_add_their_own_profile(pull_request: Callable[[str, Change], Path]) -> None:
    tree = pull_request("new-person", write("people/nina.yaml", NEW_PERSON.format(login="nina-gh")))
    validated = trombi(tree, "validate", "people/nina.yaml")
    assert validated.returncode == 0, validated.stdout
    assert check_pr(tree, "nina-gh").returncode == 0
    assert check_pr(tree, "admin-gh").returncode == 0
    assert check_pr(tree, "leo-gh", "nina-gh").returncode == 0  # her manager, with her approval
    for author in ("mallory", "leo-gh"):
        result = check_pr(tree, author)
        assert result.returncode == 1
        assert result.stdout.startswith("people/nina.yaml:7:3: error: people/nina.yaml est un nouveau profil qui revendique l’identifiant nina-gh")


def test_nobody_else_may_claim_a_login_not_even_the_manager_the_profile_names(pull_request: Callable[[str, Change], Path]) -> None:
    # Naming oneself the manager of a made-up colleague must not let one take a login nobody uses
    # yet: its real holder could never add their own profile afterwards (duplicate-login).
    tree = pull_request("claim", write("people/ghost.yaml", NEW_PERSON.format(login="victim")))
    result = check_pr(tree, "leo-gh")
    assert result.returncode == 1
    assert "il peut être ajouté par victim ou par un admin" in result.stdout


def test_a_manager_may_add_a_report_who_has_no_login(pull_request: Callable[[str, Change], Path]) -> None:
    tree = pull_request("no-login", write("people/nina.yaml", NEW_PERSON.replace("contact:\n  github: {login}\n", "")))
    assert check_pr(tree, "leo-gh").returncode == 0
    result = check_pr(tree, "ana-gh")
    assert result.returncode == 1
    assert "est un nouveau profil sans identifiant" in result.stdout


def test_a_broken_profile_fails_validation_where_it_is_broken(pull_request: Callable[[str, Change], Path]) -> None:
    tree = pull_request("broken", edit("people/dev.yaml", "manager: lead", "manager: laed"))
    changed = git(tree, "diff", "--name-only", "--diff-filter=d", "origin/main...HEAD").split()
    result = trombi(tree, "validate", *changed, "--format", "text")
    assert result.returncode == 1
    assert "people/dev.yaml:5:10: error: le manager 'laed' n’est pas une personne" in result.stdout  # the directory's language


def test_group_owners_may_change_their_group(pull_request: Callable[[str, Change], Path]) -> None:
    tree = pull_request("group", edit("groups/guild-python.yaml", 'chat: "#guild-python"', 'chat: "#python"'))
    assert check_pr(tree, "leo-gh").returncode == 0
    assert check_pr(tree, "admin-gh").returncode == 0
    result = check_pr(tree, "ana-gh")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "groups/guild-python.yaml:6:20: error: groups/guild-python.yaml est tenu par ses responsables lead (GitHub: leo-gh) ; "
        "les modifications de ana-gh doivent être approuvées par un responsable (leo-gh) ou un admin (admin-gh) [ownership]"
    )
    assert check_pr(tree, "ana-gh", "leo-gh").returncode == 0


def test_a_new_group_is_open_to_anyone_who_owns_it(pull_request: Callable[[str, Change], Path]) -> None:
    tree = pull_request("new-group", write("groups/club-jeux.yaml", NEW_GROUP.format(owner="dev")))
    assert check_pr(tree, "ana-gh").returncode == 0
    result = check_pr(tree, "mallory")
    assert result.returncode == 1
    said = "groups/club-jeux.yaml est un nouveau groupe dont les responsables sont dev (GitHub: ana-gh) : son auteur (mallory) doit en faire partie"
    assert said in result.stdout


def test_skills_and_configuration_are_for_admins(pull_request: Callable[[str, Change], Path]) -> None:
    def change(tree: Path) -> None:
        with (tree / "skills.yaml").open("a", encoding="utf-8") as file:
            file.write("Go: {category: Langages}\n")

    tree = pull_request("skills", change)
    result = check_pr(tree, "ana-gh")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "skills.yaml:7:1: error: skills.yaml est réservé aux admins : seuls votre propre profil (people/<handle>.yaml), une photo qu’il utilise "
        "(photos/) et les groupes dont vous êtes responsable vous sont ouverts ; les modifications de ana-gh doivent être approuvées par un admin "
        "(admin-gh) [ownership]"
    )
    assert check_pr(tree, "admin-gh").returncode == 0
    assert check_pr(tree, "ana-gh", "admin-gh").returncode == 0


def test_a_pull_request_cannot_make_its_author_an_admin(pull_request: Callable[[str, Change], Path]) -> None:
    tree = pull_request("admin-grab", edit("mkdocs.yml", "admins: [admin-gh]", "admins: [admin-gh, mallory]"))
    result = check_pr(tree, "mallory")
    assert result.returncode == 1
    assert result.stdout.startswith("mkdocs.yml:8:22: error: mkdocs.yml est réservé aux admins")


def test_a_base_that_looks_like_an_option_is_refused(edited_dev: Path) -> None:
    result = trombi(edited_dev, "check-pr", "--author", "ana-gh", "--base=--output=/tmp/x")
    assert result.returncode == 1
    assert "n’est pas une révision" in result.stderr
    result = trombi(edited_dev, "check-pr", "--author", "ana-gh", "--base", "no-such-branch")
    assert result.returncode == 1
    assert "révision 'no-such-branch' introuvable pour --base" in result.stderr


def test_without_admins_only_self_service_passes() -> None:
    # Default-deny: no admins means nobody may approve the configuration, not that anyone may change it.
    files = {"skills.yaml": b"Go: {category: Langages}\n"}
    pull = PullRequest((FileChange("M", "skills.yaml"),), files.get, files.get)
    [problem] = check_pull_request(Settings(root=Path(".")), pull, "anyone")
    assert problem.message.endswith("nobody: the default branch's mkdocs.yml lists no admins (extra.trombi.admins); an admin must add them there")
    assert check_pull_request(Settings(root=Path("."), admins=("boss",)), pull, "boss") == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            "people/dev.yaml appartient à dev, qui n’a pas d’identifiant GitHub (contact.github) ; les modifications de anyone doivent être "
            "approuvées par lead (manager de la personne, GitHub : leo-gh) ou un admin (boss)",
        ),
        (
            "en",
            "people/dev.yaml belongs to dev, who has no GitHub login (contact.github); changes by anyone need the approval of their manager "
            "lead (GitHub: leo-gh) or an admin (boss)",
        ),
    ],
)
def test_a_refusal_is_said_in_the_sites_language(language: str, expected: str) -> None:
    # Every part of the sentence is said in the site's language: who owns the file, who may approve.
    files = {"people/dev.yaml": b"name: Ana\nmanager: lead\n", "people/lead.yaml": b"name: Leo\ncontact: {github: leo-gh}\n"}
    pull = PullRequest((FileChange("M", "people/dev.yaml"),), files.get, files.get)
    settings = Settings(root=Path("."), admins=("boss",), language=language)
    [problem] = check_pull_request(settings, pull, "anyone")
    assert said(problem.message, settings.words) == expected


# --- CODEOWNERS --------------------------------------------------------------------------------


def test_codeowners_is_generated_and_checked(tmp_path: Path) -> None:
    root = make_directory(tmp_path / "directory")
    assert trombi(root, "codeowners", "--check").returncode == 1
    assert trombi(root, "codeowners").returncode == 0
    text = (root / ".github/CODEOWNERS").read_text(encoding="utf-8")
    rules = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert rules == [
        "* @admin-gh",  # default-deny: everything is the admins' but what follows
        "/people/",
        "/photos/",
        "/groups/",
        "/groups/acme.yaml @claire-gh",
        "/groups/engineering.yaml @claire-gh",
        "/groups/guild-python.yaml @leo-gh",
        "/groups/platform.yaml @leo-gh",
        "/groups/secret-project.yaml @claire-gh",
    ]
    assert "`trombi check-pr`" in text
    fresh = trombi(root, "codeowners", "--check")
    assert fresh.returncode == 0, fresh.stderr

    (root / "groups/platform.yaml").write_text(
        (root / "groups/platform.yaml").read_text(encoding="utf-8").replace("owners: [lead]", "owners: [lead, dev, ceo]"), encoding="utf-8"
    )
    stale = trombi(root, "codeowners", "--check")
    assert stale.returncode == 1
    assert stale.stderr.startswith(".github/CODEOWNERS:1:1: error: pas à jour par rapport à groups/ et extra.trombi.admins : lancez `trombi codeowners`")
    assert trombi(root, "codeowners").returncode == 0
    assert "/groups/platform.yaml @ana-gh @claire-gh @leo-gh" in (root / ".github/CODEOWNERS").read_text(encoding="utf-8")


def test_owners_without_a_github_login_are_commented(tmp_path: Path) -> None:
    root = make_directory(tmp_path / "directory")
    shutil.copyfile(DATA / "base/people/ceo.yaml", root / "people/nogh.yaml")
    person = (root / "people/nogh.yaml").read_text(encoding="utf-8").replace("  github: claire-gh\n", "")
    (root / "people/nogh.yaml").write_text(person, encoding="utf-8")
    (root / "groups/club.yaml").write_text("name: Club\ntype: interest\nowners: [nogh]\n", encoding="utf-8")
    assert trombi(root, "codeowners").returncode == 0
    text = (root / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert "# groups/club.yaml: owner nogh has no GitHub login (contact.github)\n" in text
    assert "\n/groups/club.yaml @admin-gh\n" in text


@pytest.mark.parametrize(("language", "wrote", "up_to_date"), [("fr", "{} est écrit", "{} est à jour."), ("en", "Wrote {}", "{} is up to date.")])
def test_codeowners_speaks_the_sites_language(tmp_path: Path, language: str, wrote: str, up_to_date: str) -> None:
    root = make_directory(tmp_path / "directory")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: fr", f"language: {language}"), encoding="utf-8")
    assert trombi(root, "codeowners").stdout == wrote.format(".github/CODEOWNERS") + "\n"
    assert trombi(root, "codeowners").stdout == up_to_date.format(".github/CODEOWNERS") + "\n"


@pytest.mark.parametrize("platform", ["github", "gitlab"])
def test_the_demo_codeowners_is_up_to_date(platform: str) -> None:
    result = trombi(Path(__file__).parent.parent, "codeowners", "--check", "--platform", platform)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "change", "said"),
    [
        ("second-company", write("groups/acme-bis.yaml", NEW_GROUP.format(owner="lead").replace("interest", "company")), "nouveau groupe de type company"),
        ("new-team", write("groups/shadow.yaml", NEW_GROUP.format(owner="lead").replace("interest", "team\nparent: acme")), "nouveau groupe de type team"),
        ("team-to-interest", edit("groups/platform.yaml", "type: team", "type: interest"), "passe du type team au type interest"),
        ("team-moved", edit("groups/platform.yaml", "parent: engineering", "parent: acme"), "passe de engineering à acme"),
    ],
)
def test_the_org_chart_is_for_admins_even_for_a_groups_owners(pull_request: Callable[[str, Change], Path], name: str, change: Change, said: str) -> None:
    tree = pull_request(name, change)
    result = check_pr(tree, "leo-gh")  # lead, who owns platform and would own the new group
    assert result.returncode == 1
    assert said in result.stdout and "organigramme" in result.stdout
    assert check_pr(tree, "admin-gh").returncode == 0
    assert check_pr(tree, "leo-gh", "admin-gh").returncode == 0
