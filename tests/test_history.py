"""History from real git repositories made in tmp_path with scripted, dated commits."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.directory.settings import load_settings
from generator.history.git import read_history
from tests.conftest import make_directory

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, when: str = "2026-11-01T10:00:00Z", author: str = "Alice Admin", email: str = "a@example.com") -> str:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": author,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": author,
            "GIT_COMMITTER_EMAIL": "a@example.com",
            "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_DATE": when,
        }
        return subprocess.run(["git", *args], cwd=self.root, env=env, check=True, capture_output=True, text=True).stdout

    def commit(self, message: str, when: str, author: str = "Alice Admin", email: str = "a@example.com") -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, when=when, author=author, email=email)

    def write(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


PERSON = "# yaml-language-server: $schema=../schemas/person.schema.json\nname: {name}\ntitle: {title}\nteam: platform\nskills: [{skills}]\n"


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    make_directory(tmp_path / "d")
    repo = Repo(tmp_path / "d")
    repo.commit("initial directory", "2025-01-10T09:00:00Z")
    return repo


def test_last_change_and_first_seen_of_every_file(repo: Repo) -> None:
    repo.write("people/zoe.yaml", PERSON.format(name="Zoé Martin", title="Stagiaire", skills="Python"))
    repo.commit("Zoé arrive", "2026-10-01T08:00:00Z", author="Zoé Martin")
    repo.write("people/zoe.yaml", PERSON.format(name="Zoé Martin", title="Développeuse", skills="Python, Rust"))
    repo.commit("Zoé est embauchée", "2026-11-02T08:00:00Z", author="Léo Durand")
    history = read_history(load_settings(repo.root), now=NOW)
    assert history.notes == []
    change = history.last_change("people/zoe.yaml")
    assert change is not None and change.author == "Léo Durand" and change.when == datetime(2026, 11, 2, 8, tzinfo=UTC)
    assert history.first_seen["people/zoe.yaml"] == datetime(2026, 10, 1, 8, tzinfo=UTC)
    assert history.last_change("people/ceo.yaml").when == datetime(2025, 1, 10, 9, tzinfo=UTC)  # type: ignore[union-attr]


def test_the_last_change_knows_its_author_s_address_through_the_cache_too(repo: Repo, tmp_path: Path) -> None:
    repo.write("people/zoe.yaml", PERSON.format(name="Zoé Martin", title="Stagiaire", skills="Python"))
    repo.commit("Zoé arrive", "2026-10-01T08:00:00Z", author="Zoé\x1fMartin", email="zoe@example.com")
    settings = load_settings(repo.root)
    for _ in range(2):  # read, then read again from the cache
        change = read_history(settings, now=NOW, cache_dir=tmp_path / "cache").last_change("people/zoe.yaml")
        assert change is not None and (change.author, change.email) == ("Zoé\x1fMartin", "zoe@example.com")


def test_events_found_by_comparing_versions(repo: Repo) -> None:
    repo.write("people/zoe.yaml", PERSON.format(name="Zoé Martin", title="Stagiaire", skills="Python"))
    repo.commit("join", "2026-10-01T08:00:00Z")
    repo.write("people/zoe.yaml", PERSON.format(name="Zoé Martin", title="Développeuse", skills="{name: Python, level: expert}, Rust"))
    repo.commit("promotion", "2026-11-02T08:00:00Z")
    (repo.root / "people" / "dev.yaml").unlink()
    repo.write("groups/guild-rust.yaml", "name: Guilde Rust\ntype: community\nowners: [zoe]\n")
    repo.write("skills.yaml", (repo.root / "skills.yaml").read_text(encoding="utf-8") + "Go: {category: Langages}\n")
    repo.commit("Ana part; a Rust guild; Go", "2026-11-05T08:00:00Z")
    events = read_history(load_settings(repo.root), now=NOW).events
    found = [(e.when.date().isoformat(), e.kind, e.subject, e.data) for e in events]
    assert found == [
        ("2026-11-05", "skill-added", "Go", {"skill": "Go", "category": "Langages"}),
        ("2026-11-05", "left", "dev", {"name": "Ana Silva"}),
        ("2026-11-05", "group-created", "guild-rust", {"group": "guild-rust", "name": "Guilde Rust", "type": "community"}),
        ("2026-11-02", "title", "zoe", {"name": "Zoé Martin", "old": "Stagiaire", "new": "Développeuse"}),
        ("2026-11-02", "skill", "zoe", {"name": "Zoé Martin", "skill": "Rust", "level": "intermediate"}),
        ("2026-11-02", "level", "zoe", {"name": "Zoé Martin", "skill": "Python", "old": "intermediate", "level": "expert"}),
        ("2026-10-01", "joined", "zoe", {"name": "Zoé Martin", "title": "Stagiaire", "team": "platform"}),
    ]


def test_window_merges_renames_and_group_membership(repo: Repo) -> None:
    repo.write("people/zoe.yaml", PERSON.format(name="Zoé Martin", title="Stagiaire", skills="Python"))
    repo.commit("old join", "2026-01-01T08:00:00Z")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("people/zoe.yaml", PERSON.format(name="Zoé Martin", title="Stagiaire", skills="Python").replace("skills:", "groups: [guild-python]\nskills:"))
    repo.commit("Zoé rejoint la guilde", "2026-11-10T08:00:00Z", author="Zoé Martin")
    repo.git("checkout", "-q", "main")
    repo.git("mv", "people/lead.yaml", "people/leo.yaml", when="2026-11-11T08:00:00Z")
    for path in (repo.root / "people").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("manager: lead", "manager: leo"), encoding="utf-8")
    group = repo.root / "groups" / "secret-project.yaml"
    group.write_text(group.read_text(encoding="utf-8").replace("members: [lead, dev]", "members: [leo, dev, ceo]"), encoding="utf-8")
    repo.commit("Léo change d'identifiant; Claire rejoint le projet", "2026-11-11T08:00:00Z")
    repo.git("merge", "-q", "--no-ff", "feature", "-m", "Merge feature", when="2026-11-12T08:00:00Z", author="Merger")
    history = read_history(load_settings(repo.root), now=NOW, days=90)
    kinds = [(e.kind, e.subject, e.data.get("group", "")) for e in history.events]
    assert ("group-joined", "zoe", "guild-python") in kinds
    assert ("group-joined", "ceo", "secret-project") in kinds
    assert ("group-joined", "leo", "secret-project") in kinds  # renamed in the same list
    assert not any(kind in ("joined", "left") for kind, _, _ in kinds), "a rename is neither a join nor a departure"
    assert ("joined", "zoe", "") not in kinds, "outside the 90-day window"
    merged = history.last_change("people/zoe.yaml")
    assert merged is not None and merged.when == datetime(2026, 11, 12, 8, tzinfo=UTC), "dated when it landed on main"
    assert history.first_seen["people/leo.yaml"] == datetime(2025, 1, 10, 9, tzinfo=UTC), "a rename keeps the first date"


def test_outside_git_and_in_a_shallow_clone(repo: Repo, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(repo.root, plain, ignore=shutil.ignore_patterns(".git"))
    history = read_history(load_settings(plain), now=NOW)
    assert history.changes == {} and history.events == []
    assert history.notes and "not a git repository" in history.notes[0]

    repo.write("people/zoe.yaml", PERSON.format(name="Zoé", title="Dev", skills="Python"))
    repo.commit("zoe", "2026-11-01T08:00:00Z")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(shallow)], check=True)
    history = read_history(load_settings(shallow), now=NOW)
    assert history.shallow
    assert any("shallow clone" in note and "fetch-depth: 0" in note for note in history.notes)
    assert history.last_change("people/zoe.yaml") is not None
    assert history.events == [], "the oldest fetched commit seems to add every file: no false arrivals"


def test_directory_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    make_directory(tmp_path / "mono" / "annuaire")
    repo = Repo(tmp_path / "mono")
    repo.commit("directory in a subfolder", "2026-11-01T08:00:00Z")
    history = read_history(load_settings(tmp_path / "mono" / "annuaire"), now=NOW)
    assert "people/ceo.yaml" in history.changes
    assert [e.kind for e in history.events].count("joined") == 3


def test_a_bulk_import_is_one_event(repo: Repo) -> None:
    for n in range(25):
        repo.write(f"people/p{n:02d}.yaml", PERSON.format(name=f"Personne {n}", title="Dev", skills="Python"))
    repo.commit("import RH", "2026-11-03T08:00:00Z", author="HR Bot")
    repo.write("people/zoe.yaml", PERSON.format(name="Zoé Martin", title="Dev", skills="Python"))
    repo.write("people/p00.yaml", PERSON.format(name="Personne 0", title="Lead dev", skills="Python"))
    repo.commit("Zoé; a promotion", "2026-11-04T08:00:00Z")
    events = read_history(load_settings(repo.root), now=NOW).events
    found = [(e.when.date().isoformat(), e.kind, e.subject, e.data) for e in events]
    assert found == [
        ("2026-11-04", "title", "p00", {"name": "Personne 0", "old": "Dev", "new": "Lead dev"}),
        ("2026-11-04", "joined", "zoe", {"name": "Zoé Martin", "title": "Dev", "team": "platform"}),
        ("2026-11-03", "import", events[-1].commit[:12], {"people": "25", "groups": "0", "skills": "0"}),
    ]
    assert events[-1].author == "HR Bot"


def test_team_moves_and_closed_groups(repo: Repo) -> None:
    dev = repo.root / "people" / "dev.yaml"
    dev.write_text(dev.read_text(encoding="utf-8").replace("team: platform", "team: data"), encoding="utf-8")
    repo.write("groups/data.yaml", "name: Équipe Data\ntype: team\nparent: engineering\n")
    (repo.root / "groups" / "guild-python.yaml").unlink()
    for path in (repo.root / "people").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("groups: [guild-python]\n", ""), encoding="utf-8")
    repo.commit("Ana rejoint Data; la guilde Python ferme", "2026-11-06T08:00:00Z")
    kinds = {(e.kind, e.subject) for e in read_history(load_settings(repo.root), now=NOW).events}
    assert kinds == {("team", "dev"), ("group-created", "data"), ("group-closed", "guild-python")}


def test_the_cache_gives_what_a_full_read_gives(repo: Repo, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    settings = load_settings(repo.root)

    def same_as_full_read() -> None:
        cached = read_history(settings, now=NOW, cache_dir=cache)
        full = read_history(settings, now=NOW)
        assert (cached.changes, cached.first_seen, cached.events, cached.tenures) == (full.changes, full.first_seen, full.events, full.tenures)

    repo.write("people/zoe.yaml", PERSON.format(name="Zoé Martin", title="Stagiaire", skills="Python"))
    repo.commit("Zoé", "2026-10-01T08:00:00Z")
    same_as_full_read()
    assert (cache / "history.json").is_file()
    same_as_full_read()  # nothing new: everything from the cache

    repo.git("mv", "people/zoe.yaml", "people/zmartin.yaml")
    repo.write("people/zmartin.yaml", PERSON.format(name="Zoé Martin", title="Développeuse", skills="Python, Rust"))
    (repo.root / "people" / "dev.yaml").unlink()
    repo.commit("Zoé change d'identifiant et de poste; Ana part", "2026-11-02T08:00:00Z")
    same_as_full_read()  # only the new commit was read
    assert read_history(settings, now=NOW, cache_dir=cache).first_seen["people/zmartin.yaml"] == datetime(2026, 10, 1, 8, tzinfo=UTC)

    repo.git("commit", "-q", "--amend", "-m", "rewritten", when="2026-11-03T08:00:00Z")
    same_as_full_read()  # the cached commit is gone from the history: read everything again
    (cache / "history.json").write_text('{"head": "--output=/tmp/x"}', encoding="utf-8")
    same_as_full_read()  # a broken cache is ignored

    same_as_full_read()  # a good cache again
    kept = json.loads((cache / "history.json").read_text(encoding="utf-8"))
    assert len(kept["commits"]) < len(kept["changes"])  # each commit written once, its files pointing to it
    for wrong in (len(kept["commits"]), -1, "0", None):
        (cache / "history.json").write_text(json.dumps(kept | {"changes": kept["changes"] | {"people/zmartin.yaml": wrong}}), encoding="utf-8")
        same_as_full_read()  # a change that names no commit of the table: the cache is not used
    for commit in (["2026", *kept["commits"][0][1:]], kept["commits"][0][:3], None):
        (cache / "history.json").write_text(json.dumps(kept | {"commits": [commit, *kept["commits"][1:]]}), encoding="utf-8")
        same_as_full_read()  # a commit of the table that is not a time and three texts: the cache is not used


def test_tenures_are_the_teams_and_managers_of_each_person_over_time(repo: Repo, tmp_path: Path) -> None:
    """Every version of a profile is read for its team and manager, from the walk that finds the events, outside the news window too."""
    dev = repo.root / "people" / "dev.yaml"
    dev.write_text(dev.read_text(encoding="utf-8").replace("manager: lead", "manager: ceo"), encoding="utf-8")
    repo.commit("Ana change de manager", "2025-03-01T08:00:00Z")
    repo.write("groups/data.yaml", "name: Données\ntype: team\nparent: engineering\nowners: [ceo]\n")
    dev.write_text(dev.read_text(encoding="utf-8").replace("team: platform", "team: data") + "interests: [escalade]\n", encoding="utf-8")
    repo.commit("Ana rejoint l'équipe données", "2025-06-01T08:00:00Z")
    dev.write_text(dev.read_text(encoding="utf-8") + "bio: Bonjour\n", encoding="utf-8")
    repo.commit("Ana se présente", "2025-07-01T08:00:00Z")  # neither team nor manager: no new tenure
    # Written as a flow mapping, which only the YAML parser reads: the same tenure as a plain file.
    repo.write("people/zoe.yaml", '{name: Zoé Martin, title: Stagiaire, "team": platform, manager: lead}\n')
    repo.commit("Zoé", "2025-08-01T08:00:00Z")
    repo.git("mv", "people/lead.yaml", "people/leo.yaml")
    (repo.root / "people" / "zoe.yaml").write_text("{name: Zoé Martin, title: Stagiaire, team: platform, manager: leo}\n", encoding="utf-8")
    repo.commit("Léo change d'identifiant", "2025-09-01T08:00:00Z")
    cache = tmp_path / "cache"
    settings = load_settings(repo.root)
    read_history(settings, now=NOW, cache_dir=cache)
    (repo.root / "people" / "zoe.yaml").unlink()
    repo.commit("Zoé part", "2025-10-01T08:00:00Z")

    for history in (read_history(settings, now=NOW), read_history(settings, now=NOW, cache_dir=cache)):  # the cache reads only the last commit
        found = {handle: [(t.since.date().isoformat(), t.team, t.manager) for t in tenures] for handle, tenures in history.tenures.items()}
        assert found["dev"] == [("2025-01-10", "platform", "leo"), ("2025-03-01", "platform", "ceo"), ("2025-06-01", "data", "ceo")]
        # Léo's old handle is his handle of now: Zoé's manager did not change when he renamed his file.
        assert found["zoe"] == [("2025-08-01", "platform", "leo"), ("2025-10-01", "", "")]
        assert found["leo"] == [("2025-01-10", "platform", "ceo")] and "lead" not in found
        assert found["ceo"] == [("2025-01-10", "", "")]


def test_tenures_read_by_a_child_are_those_read_here(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """From TENURES_APART_FROM versions on, a forked child reads them with a git of its own while the events are read: the same history."""
    from generator.history import git

    dev = repo.root / "people" / "dev.yaml"
    dev.write_text(dev.read_text(encoding="utf-8").replace("manager: lead", "manager: ceo"), encoding="utf-8")
    repo.commit("Ana change de manager", "2026-10-01T08:00:00Z")
    repo.write("people/zoe.yaml", '{name: Zoé Martin, title: Stagiaire, "team": platform, manager: lead}\n')  # read by the parser
    repo.commit("Zoé", "2026-10-02T08:00:00Z")
    repo.git("mv", "people/lead.yaml", "people/leo.yaml")
    repo.commit("Léo change d'identifiant", "2026-10-03T08:00:00Z")
    settings = load_settings(repo.root)
    children: list[bool] = []
    in_child = git.InChild

    def counted(task: Callable[[], object], *, apart: bool = True) -> object:
        children.append(apart)
        return in_child(task, apart=apart)

    monkeypatch.setattr(git, "InChild", counted)
    here = read_history(settings, now=NOW)
    monkeypatch.setattr(git, "TENURES_APART_FROM", 1)
    apart = read_history(settings, now=NOW)
    assert children == [False, True]
    assert apart.tenures == here.tenures and apart.events == here.events and apart.changes == here.changes
    assert [(t.team, t.manager) for t in apart.tenures["zoe"]] == [("platform", "leo")]
    assert [(t.team, t.manager) for t in apart.tenures["dev"]][-1] == ("platform", "ceo")


def test_a_long_history_logged_in_pieces_reads_as_one_log(repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The main line cut in two at its middle commit, or in more pieces, logged two at a time: the same history, with a merge, a rename and the cache."""
    from generator.history import git

    monkeypatch.setattr(git, "cores", lambda: 2)
    for day in range(1, 8):
        repo.write("people/zoe.yaml", PERSON.format(name="Zoé Martin", title=f"Titre {day}", skills="Python"))
        repo.commit(f"Zoé, jour {day}", f"2026-10-{day:02d}T08:00:00Z")
    repo.git("checkout", "-q", "-b", "side")
    repo.git("mv", "people/zoe.yaml", "people/zmartin.yaml")
    repo.commit("Zoé change d'identifiant", "2026-10-10T08:00:00Z")
    repo.git("checkout", "-q", "main")
    (repo.root / "people" / "dev.yaml").unlink()
    repo.commit("Ana part", "2026-10-11T08:00:00Z")
    repo.git("merge", "-q", "--no-ff", "-m", "merge side", "side", when="2026-10-12T08:00:00Z")
    settings = load_settings(repo.root)

    def read(split_from: int, cache: Path | None = None, piece: int = 10**9) -> tuple[object, ...]:
        monkeypatch.setattr(git, "SPLIT_LOG_FROM", split_from)
        monkeypatch.setattr(git, "PIECE_COMMITS", piece)
        found = read_history(settings, now=NOW, cache_dir=cache)
        return found.changes, found.first_seen, found.events, found.tenures

    whole = read(10**9)
    assert whole[1]["people/zmartin.yaml"] == datetime(2026, 10, 1, 8, tzinfo=UTC)  # through the rename, on the merged branch
    assert read(2) == whole
    logged: list[list[str]] = []
    log_text = git._log_text
    monkeypatch.setattr(git, "_log_text", lambda repo, revisions, paths: logged.append(revisions) or log_text(repo, revisions, paths))
    assert read(2, piece=2) == whole  # in pieces of two commits, two at a time
    assert len(logged) >= 4 and len(logged) % 2 == 0
    monkeypatch.setattr(git, "_log_text", log_text)
    cached = tmp_path / "cache"
    read(2, cached)
    for day in range(20, 25):
        repo.write("people/zmartin.yaml", PERSON.format(name="Zoé Martin", title=f"Titre {day}", skills="Rust"))
        repo.commit(f"Zoé, jour {day}", f"2026-10-{day:02d}T08:00:00Z")
    assert read(2, cached) == read(10**9)  # the commits since the cache's, in two halves too


def test_the_log_keeps_more_of_git_s_deltas_beside_the_settings_of_its_environment(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """git reads the larger delta cache of the log (generator.history.git.LOG_CONFIG) from its
    environment, after the settings a CI system may have put there, which it still reads."""
    import git as gitpython

    from generator.history.git import LOG_CONFIG

    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "user.name")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "Réglée Par La CI")
    execute = gitpython.cmd.Git.execute
    logged: list[dict[str, str]] = []

    def watched(self: object, command: list[str], *args: object, **kwargs: object) -> object:
        if "log" in command:
            logged.append(dict(kwargs.get("env") or {}))  # type: ignore[call-overload]
        return execute(self, command, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(gitpython.cmd.Git, "execute", watched)
    history = read_history(load_settings(repo.root), now=NOW)
    assert "people/dev.yaml" in history.changes
    assert logged
    for env in logged:
        seen = {**os.environ, **env}

        def setting(key: str, seen: dict[str, str] = seen) -> str:
            return subprocess.run(["git", "config", "--get", key], cwd=repo.root, env=seen, capture_output=True, text=True, check=True).stdout.strip()

        assert setting(LOG_CONFIG[0]) == LOG_CONFIG[1]
        assert setting("user.name") == "Réglée Par La CI"
