"""The build never leaves the repository: links and special files planted by a pull request are located errors.

Each case plants a link (or a pipe) where the build reads, with a canary behind it: a secret file
outside the repository, the build machine's environment, someone else's profile. The build must
stop with the place to fix, and nothing behind the link may reach the site.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.directory import validate
from generator.directory.load import load_file
from generator.directory.safefs import NotAFile, atomic_write, read_bytes, read_regular
from generator.directory.scaffold import write_profile
from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory
from generator.engine.publish import ValidationFailed, build_site
from generator.interop.yamlwrite import read_folder
from generator.problems import Problem
from tests.conftest import make_directory, site_files, write_config

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink") or not hasattr(os, "O_NOFOLLOW"), reason="POSIX links")

CANARY = "CANARY-7f3a9c-do-not-publish"
TROMBI = Path(sys.executable).parent / "trombi"
LINK = "is a symbolic link; the build reads no file through a link: commit the file itself [symlink]"
# What the command line says of it on the test directory's French site.
LINK_FR = "est un lien symbolique ; la construction ne lit aucun fichier à travers un lien : committez le fichier lui-même [symlink]"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the repository holding a secret, as the build machine's files would."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(f"{CANARY}\n", encoding="utf-8")
    (folder / "secret.yaml").write_text(f"name: {CANARY}\ntitle: x\n", encoding="utf-8")
    (folder / "page.md").write_text(f"# {CANARY}\n", encoding="utf-8")
    return folder


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_directory(tmp_path / "directory")
    write_config(root)
    (root / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    return root


def _errors(root: Path) -> list[str]:
    _, problems = validate_directory(load_settings(root))
    return [p.as_text() for p in problems if p.rule in ("symlink", "special-file")]


def _scan_for_canary(folder: Path) -> list[str]:
    return [p.as_posix() for p in site_files(folder) if CANARY.encode() in p.read_bytes() or b"PATH=" in p.read_bytes()]


# Where a pull request plants a link, and what it points at.
PLANTED: dict[str, tuple[str, Callable[[Path, Path], Path]]] = {
    "environment": ("docs/env.txt", lambda root, out: Path("/proc/self/environ")),
    "passwd": ("docs/passwd.txt", lambda root, out: Path("/etc/passwd")),
    "secret page": ("docs/leak.md", lambda root, out: out / "page.md"),
    "folder outside": ("docs/outside", lambda root, out: out),
    "folder inside docs": ("docs/sub/deeper/x.txt", lambda root, out: out / "secret.txt"),
    "someone else's profile": ("people/copy.yaml", lambda root, out: root / "people" / "dev.yaml"),
    "profile outside": ("people/spy.yaml", lambda root, out: out / "secret.yaml"),
    "dangling profile": ("people/gone.yaml", lambda root, out: root / "people" / "nobody.yaml"),
    "group outside": ("groups/spy.yaml", lambda root, out: out / "secret.yaml"),
    "photo outside": ("photos/me.png", lambda root, out: out / "secret.txt"),
    "pairings outside": ("pairings/2026-01.yaml", lambda root, out: out / "secret.yaml"),
    "skills": ("skills.yaml", lambda root, out: out / "secret.yaml"),
    "people folder": ("people", lambda root, out: out),
    "build cache": (".trombi", lambda root, out: out),
}


@pytest.mark.parametrize("apart", [False, True], ids=["scanned here", "scanned by a child"])
@pytest.mark.parametrize("case", list(PLANTED))
def test_a_planted_link_stops_the_build_with_its_place_and_publishes_nothing(
    repo: Path, outside: Path, tmp_path: Path, case: str, apart: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if apart:  # as at scale: the folders are scanned by a forked child while the files load
        monkeypatch.setattr(validate, "SCAN_APART_FROM", 0)
    site = build_site(repo, tmp_path / "site")
    before = {p.relative_to(site).as_posix(): p.read_bytes() for p in site_files(site)}
    relative, target_of = PLANTED[case]
    link = repo / relative
    target = target_of(repo, outside)
    if link.is_dir() and not link.is_symlink():
        os.rename(link, tmp_path / "moved-aside")
    elif link.exists():
        link.unlink()
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target, target_is_directory=target.is_dir())
    shown = relative
    with pytest.raises(ValidationFailed) as caught:
        build_site(repo, tmp_path / "site")
    texts = [p.as_text() for p in caught.value.problems]
    assert any(text.startswith(f"{shown}:1:1: error: {shown} is a symbolic link") and text.endswith(LINK.split(";")[1]) for text in texts), texts
    if case == "dangling profile":
        assert "people/gone.yaml:1:1: error: people/gone.yaml is a symbolic link to nothing;" in "\n".join(texts)
    assert {p.relative_to(site).as_posix(): p.read_bytes() for p in site_files(site)} == before
    assert _scan_for_canary(tmp_path / "site") == []
    assert {p.name for p in tmp_path.iterdir()} - {"moved-aside"} == {"directory", "outside", "site"}  # no staging folder left


def test_the_command_line_says_where_without_a_traceback_even_for_a_linked_folder(repo: Path, outside: Path, tmp_path: Path) -> None:
    (repo / "docs" / "outside").symlink_to(outside, target_is_directory=True)
    (repo / "docs" / "env.txt").symlink_to("/proc/self/environ")
    environment = {**os.environ, "TROMBI_TEST_CANARY": CANARY}
    result = subprocess.run([TROMBI, "build", "--root", str(repo), "--site-dir", str(tmp_path / "site")], capture_output=True, text=True, env=environment)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"docs/env.txt:1:1: error: docs/env.txt {LINK_FR}" in result.stderr
    assert f"docs/outside:1:1: error: docs/outside {LINK_FR}" in result.stderr
    assert not (tmp_path / "site").exists()
    assert CANARY not in result.stdout + result.stderr


def test_a_linked_configuration_is_refused_before_mkdocs_reads_it(repo: Path, outside: Path, tmp_path: Path) -> None:
    (outside / "mkdocs.yml").write_bytes((repo / "mkdocs.yml").read_bytes())
    (repo / "mkdocs.yml").unlink()
    (repo / "mkdocs.yml").symlink_to(outside / "mkdocs.yml")
    with pytest.raises(ValidationFailed) as caught:
        build_site(repo, tmp_path / "site")
    assert [p.as_text() for p in caught.value.problems] == [f"mkdocs.yml:1:1: error: mkdocs.yml {LINK}"]
    result = subprocess.run([TROMBI, "validate", "--root", str(repo)], capture_output=True, text=True)
    assert result.returncode == 1 and f"mkdocs.yml:1:1: error: mkdocs.yml {LINK}" in result.stderr and "Traceback" not in result.stderr


def test_special_files_are_refused_with_their_place_and_never_opened(repo: Path, tmp_path: Path) -> None:
    os.mkfifo(repo / "docs" / "pipe.md")
    os.mkfifo(repo / "people" / "fifo.yaml")
    os.mkfifo(repo / "pairings-fifo")  # outside every folder the build reads: not its business
    assert _errors(repo) == [
        "docs/pipe.md:1:1: error: docs/pipe.md is a named pipe (FIFO), not a file; remove it [special-file]",
        "people/fifo.yaml:1:1: error: people/fifo.yaml is a named pipe (FIFO), not a file; remove it [special-file]",
    ]
    # A build that opened the pipe would wait for a writer for ever.
    result = subprocess.run([TROMBI, "build", "--root", str(repo), "--site-dir", str(tmp_path / "site")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "people/fifo.yaml:1:1: error: people/fifo.yaml est un tube nommé (FIFO)" in result.stderr


def test_a_device_is_refused(repo: Path) -> None:
    try:
        os.mknod(repo / "docs" / "null.txt", 0o600 | 0o020000, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device needs privileges")
    assert _errors(repo) == ["docs/null.txt:1:1: error: docs/null.txt is a character device, not a file; remove it [special-file]"]


def test_the_loader_never_reads_through_a_link(repo: Path, outside: Path) -> None:
    link = repo / "people" / "spy.yaml"
    link.symlink_to(outside / "secret.yaml")
    document, problems = load_file(link, "people/spy.yaml")
    assert document is None
    assert [p.as_text() for p in problems] == [f"people/spy.yaml:1:1: error: people/spy.yaml {LINK}"]
    with pytest.raises(NotAFile):
        read_bytes(link)
    os.mkfifo(repo / "people" / "pipe.yaml")
    _, problems = load_file(repo / "people" / "pipe.yaml", "people/pipe.yaml")
    assert [p.rule for p in problems] == ["special-file"]


def test_checking_the_files_of_a_pull_request_refuses_a_link_among_them(repo: Path, outside: Path) -> None:
    (repo / "people" / "spy.yaml").symlink_to(outside / "secret.yaml")
    (repo / "docs" / "env.md").symlink_to("/proc/self/environ")
    _, problems = validate_directory(load_settings(repo), [repo / "people" / "spy.yaml", repo / "docs" / "env.md"])
    # Each link once, at its own place: where it points is never said (a CI annotation is public).
    expected = [f"docs/env.md:1:1: error: docs/env.md {LINK}", f"people/spy.yaml:1:1: error: people/spy.yaml {LINK}"]
    assert sorted(p.as_text() for p in problems) == expected


def test_folders_configured_outside_the_repository_are_refused(repo: Path) -> None:
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  trombi:\n", "  trombi:\n    people_dir: ../elsewhere\n", 1), encoding="utf-8")
    _, problems = validate_directory(load_settings(repo))
    assert Problem("mkdocs.yml", 1, 1, "people_dir '../elsewhere' leads outside the repository: name a path inside it", "config") in problems


def test_an_import_stops_on_a_linked_profile_rather_than_taking_it_for_absent(repo: Path, outside: Path) -> None:
    (repo / "people" / "spy.yaml").symlink_to(outside / "secret.yaml")
    found = read_folder(repo / "people", load_settings(repo))
    assert found["spy"].data is None
    assert found["spy"].broken().as_text().startswith("people/spy.yaml:1:1: error: people/spy.yaml is a symbolic link")
    assert found["dev"].data is not None


def test_a_new_profile_is_never_written_through_a_link_nor_over_a_file(repo: Path, outside: Path) -> None:
    from generator.problems import TrombiError

    (repo / "people" / "newbie.yaml").symlink_to(outside / "secret.txt")
    with pytest.raises(TrombiError, match="already exists"):
        write_profile(load_settings(repo), "newbie", name="New")
    assert (outside / "secret.txt").read_text(encoding="utf-8") == f"{CANARY}\n"
    path = write_profile(load_settings(repo), "fresh", name="Fresh Person")
    assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert sorted(p.name for p in (repo / "people").iterdir() if p.name.startswith(".")) == []


def test_an_atomic_write_replaces_whole_and_never_through_a_link(tmp_path: Path, outside: Path) -> None:
    link = tmp_path / "file.yaml"
    link.symlink_to(outside / "secret.txt")
    atomic_write(link, "new: true\n")
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "new: true\n"
    assert (outside / "secret.txt").read_text(encoding="utf-8") == f"{CANARY}\n"
    with pytest.raises(FileExistsError):
        atomic_write(link, "other: true\n", exclusive=True)
    assert link.read_text(encoding="utf-8") == "new: true\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.yaml", "outside"]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# A link made after validation looked (here by a hook that runs after the directory's on_config),
# before MkDocs collects docs/: the files MkDocs is about to read are checked again.
LATE_LINK = """
from pathlib import Path
from mkdocs.plugins import event_priority

@event_priority(-100)
def on_config(config):
    (Path(config.docs_dir) / "late.txt").symlink_to({target!r})
    return config
"""


def test_a_link_made_after_validation_is_refused_before_mkdocs_reads_it(repo: Path, outside: Path, tmp_path: Path) -> None:
    (repo / "late_hook.py").write_text(LATE_LINK.format(target=str(outside / "secret.txt")), encoding="utf-8")
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("hooks:\n", "hooks:\n  - late_hook.py\n"), encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        build_site(repo, tmp_path / "site")
    assert [p.as_text() for p in caught.value.problems] == [f"docs/late.txt:1:1: error: docs/late.txt {LINK}"]
    assert {p.name for p in tmp_path.iterdir()} == {"directory", "outside"}  # no site, no staging folder


def test_the_themes_own_folder_must_be_inside_and_hold_no_link(repo: Path, outside: Path, tmp_path: Path) -> None:
    """MkDocs copies every file of theme.custom_dir that is not a template into the site."""
    config = repo / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  name: material\n", f"  name: material\n  custom_dir: {outside}\n", 1), encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        build_site(repo, tmp_path / "site")
    assert [p.as_text() for p in caught.value.problems] == [
        f"mkdocs.yml:1:1: error: theme.custom_dir '{outside}' leads outside the repository: name a path inside it [config]"
    ]
    (repo / "overrides").mkdir()
    (repo / "overrides" / "leak.txt").symlink_to(outside / "secret.txt")
    config.write_text(text.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n", 1), encoding="utf-8")
    assert _errors(repo) == [f"overrides/leak.txt:1:1: error: overrides/leak.txt {LINK}"]
    with pytest.raises(ValidationFailed):
        build_site(repo, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_read_regular_reads_a_file_alone_up_to_its_limit_and_refuses_anything_else(tmp_path: Path) -> None:
    """What the load and the form's shards read every profile with: no link, pipe or folder, and no more than asked."""
    file = tmp_path / "ana.yaml"
    file.write_bytes(b"name: Ana\n" * 10)
    assert read_regular(str(file), 1000) == (b"name: Ana\n" * 10, 100)
    assert read_regular(str(file), 11) == (b"name: Ana\nn", 100)  # the size said all the same, for "too large"
    (tmp_path / "empty.yaml").write_bytes(b"")
    assert read_regular(str(tmp_path / "empty.yaml"), 10) == (b"", 0)
    (tmp_path / "link.yaml").symlink_to(file)
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "folder.yaml").mkdir()
    for name, rule in (("link.yaml", "symlink"), ("pipe.yaml", "special-file"), ("folder.yaml", "file")):
        with pytest.raises(NotAFile) as refused:
            read_regular(str(tmp_path / name), 10)
        assert refused.value.rule == rule, name
