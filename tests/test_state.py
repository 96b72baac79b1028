"""``.trombi/``, what a build keeps for the next one: used only when this Trombi wrote it, and a build from a
foreign or broken state is the build from nothing, byte for byte."""

from __future__ import annotations

import json
import logging
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build.state import STATE_FILE, check_state, stamp
from generator.engine.publish import build_site
from generator.problems import TrombiError
from tests.conftest import write_config
from tests.test_site_golden import BUILD_DAY, manifest

Build = Callable[..., Path]


def test_a_first_build_stamps_the_state_silently(tmp_path: Path) -> None:
    folder = tmp_path / ".trombi"
    assert check_state(folder) is None
    assert json.loads((folder / STATE_FILE).read_text(encoding="utf-8")) == stamp()


def test_the_state_of_this_trombi_is_kept(tmp_path: Path) -> None:
    folder = tmp_path / ".trombi"
    check_state(folder)
    (folder / "history.json").write_text("{}", encoding="utf-8")
    assert check_state(folder) is None
    assert (folder / "history.json").is_file()


@pytest.mark.parametrize(
    ("stamp_text", "said"),
    [
        (json.dumps({**stamp(), "code": "0" * 64}), "written by another version of Trombi or of its libraries"),
        (json.dumps({**stamp(), "mkdocs-material": "9.0.0"}), "written by another version of Trombi or of its libraries"),
        ('{"trombi": "0.1.0", "code": "', "has no readable stamp"),
        (None, "has no readable stamp"),
    ],
    ids=["other-code", "other-library", "broken-stamp", "no-stamp"],
)
def test_a_foreign_state_is_emptied_but_its_lock_and_said_in_one_line(tmp_path: Path, stamp_text: str | None, said: str) -> None:
    folder = tmp_path / ".trombi"
    (folder / "index").mkdir(parents=True)
    (folder / "index" / "MAIN_1.toc").write_bytes(b"\0garbage")
    (folder / ".build.lock").write_text("", encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text("kept", encoding="utf-8")
    (folder / "link").symlink_to(outside)
    if stamp_text is not None:
        (folder / STATE_FILE).write_text(stamp_text, encoding="utf-8")
    message = check_state(folder)
    assert message is not None and said in str(message)
    assert sorted(p.name for p in folder.iterdir()) == [".build.lock", STATE_FILE]
    assert outside.read_text(encoding="utf-8") == "kept"  # a link is removed, never followed


@pytest.mark.parametrize("kind", ["link", "file"])
def test_a_state_that_is_a_link_or_a_file_is_refused_and_nothing_is_removed(tmp_path: Path, kind: str) -> None:
    repository = tmp_path / "repository"
    (repository / "people").mkdir(parents=True)
    (repository / "people" / "jane.yaml").write_text("name: Jane\n", encoding="utf-8")
    folder = repository / ".trombi"
    if kind == "link":
        folder.symlink_to(repository)  # emptied, it would be the repository
    else:
        folder.write_text("", encoding="utf-8")
    with pytest.raises(TrombiError) as caught:
        check_state(folder)
    assert [p.rule for p in caught.value.problems] == ["unsafe-path"]
    assert (repository / "people" / "jane.yaml").is_file()


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": "2026-05-01T10:00:00Z", "GIT_COMMITTER_DATE": "2026-05-01T10:00:00Z"}
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args], cwd=root, check=True, capture_output=True, env=env)


def test_a_build_from_a_foreign_state_is_the_build_from_nothing(
    directory: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DAY)  # the same day for both builds
    root = write_config(directory())
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "The directory")
    clean = manifest(build_site(root, tmp_path / "clean", reporter=None))
    state = root / ".trombi"
    # Another version's leftovers: a stamp that does not match, a history of other commits, a
    # search document for a page that does not exist.
    (state / STATE_FILE).write_text(json.dumps({**stamp(), "code": "f" * 64}), encoding="utf-8")
    (state / "history.json").write_text(json.dumps({"key": {}, "head": "0" * 40}), encoding="utf-8")
    stray = state / "search-pages" / "ghosts" / "ghost" / "index.html"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_text("<html><body data-pagefind-body>Ghost Person</body></html>", encoding="utf-8")
    with caplog.at_level(logging.INFO):
        again = manifest(build_site(root, tmp_path / "again", reporter=None))
    assert again == clean
    assert any("écrit par une autre version de Trombi" in record.getMessage() for record in caplog.records)  # the site speaks French
    assert not stray.exists()
