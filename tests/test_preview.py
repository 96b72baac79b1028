"""What `trombi serve` shows ahead of a rebuild, and how it serves one build while making the next.

The server, for real, is in tests/test_serve.py; here, the decisions it takes, one at a time.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from watchdog.events import FileClosedNoWriteEvent, FileModifiedEvent, FileMovedEvent, FileOpenedEvent

from generator.directory.settings import load_settings
from generator.directory.validate import valid_directory
from generator.engine.preview import _edited
from generator.engine.serve import DirectoryServer
from tests.conftest import make_directory, write_config


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_config(make_directory(tmp_path / "directory"))


def test_only_saved_profiles_and_groups_of_the_served_build_are_shown_ahead(root: Path) -> None:
    settings = load_settings(root)
    directory = valid_directory(settings)
    people, groups = root / "people", root / "groups"
    assert _edited(settings, directory, [people / "dev.yaml", groups / "platform.yaml"]) == ({"dev"}, {"platform"})
    # An editor's backups and swap files beside them are not the directory's.
    assert _edited(settings, directory, [people / "dev.yaml", people / ".dev.yaml.swp", people / "dev.yaml~", people / "4913"]) == ({"dev"}, set())
    assert _edited(settings, directory, [people / ".dev.yaml.swp"]) is None  # nothing to show
    # What only a rebuild can place: a new file, a file removed, anything outside those folders.
    (people / "newbie.yaml").write_text("name: Nina\n", encoding="utf-8")
    assert _edited(settings, directory, [people / "dev.yaml", people / "newbie.yaml"]) is None
    (people / "lead.yaml").unlink()
    assert _edited(settings, directory, [people / "lead.yaml"]) is None
    for other in (root / "skills.yaml", root / "mkdocs.yml", root / "docs" / "index.md", people / "sub" / "dev.yaml"):
        assert _edited(settings, directory, [people / "dev.yaml", other]) is None, other


def test_a_profile_turned_into_a_link_is_not_shown_ahead(root: Path, tmp_path: Path) -> None:
    settings = load_settings(root)
    directory = valid_directory(settings)
    dev = root / "people" / "dev.yaml"
    outside = tmp_path / "outside.yaml"
    outside.write_text(dev.read_text(encoding="utf-8"), encoding="utf-8")
    dev.unlink()
    dev.symlink_to(outside)
    assert _edited(settings, directory, [dev]) is None


def _server(tmp_path: Path, build: object) -> DirectoryServer:
    sites = (tmp_path / "a", tmp_path / "b")
    return DirectoryServer(build, "127.0.0.1", 0, sites)  # type: ignore[arg-type]  # not bound: listen() is never called


def test_files_read_are_not_changes(tmp_path: Path) -> None:
    server = _server(tmp_path, lambda folder: True)
    try:
        profile = str(tmp_path / "people" / "dev.yaml")
        # Each build opens and reads every profile: the system tells of it, and it is no change.
        server._heard(FileOpenedEvent(profile))
        server._heard(FileClosedNoWriteEvent(profile))
        assert server.changed == set() and not server._want_rebuild
        server._heard(FileModifiedEvent(profile))
        server._heard(FileMovedEvent(str(tmp_path / "people" / ".dev.yaml.tmp"), str(tmp_path / "people" / "lead.yaml")))
        assert server.changed == {Path(profile), tmp_path / "people" / ".dev.yaml.tmp", tmp_path / "people" / "lead.yaml"}
        assert server._want_rebuild
    finally:
        server.server_close()


def test_a_rebuild_is_served_once_it_has_ended_and_not_if_it_failed(tmp_path: Path) -> None:
    release = threading.Event()
    outcome = {"built": True}

    def build(folder: Path) -> bool:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(f"built in {folder.name}", encoding="utf-8")
        release.wait(30)
        return outcome["built"]

    server = _server(tmp_path, build)
    try:
        release.set()
        server.rebuild()
        first = Path(server.root)
        assert (first / "index.html").read_text(encoding="utf-8") == f"built in {first.name}"
        epoch = server._visible_epoch
        # The next build goes into the other folder; the one served stays whole meanwhile.
        release.clear()
        running = threading.Thread(target=server.rebuild)
        running.start()
        try:
            while not any(p.is_file() for p in tmp_path.glob("*/index.html") if p.parent != first):
                threading.Event().wait(0.01)
            assert Path(server.root) == first and server._visible_epoch == epoch
        finally:
            release.set()
            running.join(30)
        assert Path(server.root) != first and server._visible_epoch > epoch
        # A build that failed leaves the last one served (the failure page says why); the browsers reload all the same.
        second, epoch = Path(server.root), server._visible_epoch
        outcome["built"] = False
        server.rebuild()
        assert Path(server.root) == second and server._visible_epoch > epoch
    finally:
        server.server_close()
