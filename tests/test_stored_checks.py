"""A build keeps the checks of the files it found valid (``.trombi/checked.json``): the next build
parses only the files whose bytes changed, says every problem again, and never trusts a stored
check that another Trombi wrote or that its model refuses."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from generator.build.state import STATE_DIR
from generator.directory import perfile, validate
from generator.directory.gitindex import blob_id, unchanged_files
from generator.directory.load import may_hold_private
from generator.directory.model import Group, Person
from generator.directory.perfile import CHECKED_FILE, STORED_FORMAT, check_file
from generator.engine.publish import ValidationFailed, build_site
from tests.conftest import REPO, site_files

EPOCH = 1_764_806_400


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    root = tmp_path / "demo"
    for name in ("people", "groups", "docs", "pairings", "hooks"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "skills.yaml"):
        shutil.copyfile(REPO / name, root / name)
    return root


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parsed and checked from their bytes, as the build goes (recalled ones are not)."""
    seen: list[str] = []
    check = perfile.check_bytes

    def counted(raw: bytes, path: Path, display: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(display)
        return check(raw, path, display, *args, **kwargs)

    monkeypatch.setattr(perfile, "check_bytes", counted)
    return seen


def _stored(root: Path) -> dict[str, Any]:
    """The stored checks as their file holds them: its header's fields, ``files``, each entry by its key, and ``blobs``, the blob of each."""
    head, *lines = (root / STATE_DIR / CHECKED_FILE).read_text(encoding="utf-8").split("\n")
    data: dict[str, Any] = json.loads(head)
    entries = [line.split("\t", 2) for line in lines]
    data["files"] = {key: text for key, _, text in entries}
    data["blobs"] = {key: blob for key, blob, _ in entries}
    return data


def _seal(root: Path, key: str | None = None) -> bytes:
    """What the stored checks' entries are sealed for, by the key in their header (or another ``key``)."""
    return perfile.StoredChecks(root / STATE_DIR / CHECKED_FILE, key if key is not None else _stored(root)["key"]).seal


def _site(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root / "site").as_posix(): p.read_bytes() for p in site_files(root / "site")}


def _files(root: Path) -> list[str]:
    return [f"{folder}/{path.name}" for folder in ("groups", "people") for path in sorted((root / folder).glob("*.yaml"))]


def _private(root: Path) -> list[str]:
    """The files that may hold a private value, which are kept sealed and read by every build to open them."""
    return [file for file in _files(root) if may_hold_private((root / file).read_bytes())]


def test_the_next_build_parses_only_the_files_that_changed(demo: Path, parsed: list[str]) -> None:
    build_site(demo, demo / "site")
    assert sorted(parsed) == _files(demo)
    stored = _stored(demo)
    private = _private(demo)
    assert 0 < len(private) < len(_files(demo)) // 4  # the demo has some, most profiles have none
    assert stored["format"] == STORED_FORMAT and len(stored["files"]) == len(_files(demo))
    sealed = {key.split(":")[1] for key, text in stored["files"].items() if text.startswith("!")}
    assert sorted(sealed) == sorted(private)
    parsed.clear()
    profile = demo / "people" / "fkeita.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("title: UX researcher", "title: Lead UX researcher"), encoding="utf-8")
    build_site(demo, demo / "site")
    assert parsed == ["people/fkeita.yaml"]  # the files holding a private value too are recalled, opened with their bytes
    assert "Lead UX researcher" in (demo / "site" / "people" / "fkeita" / "index.html").read_text(encoding="utf-8")
    # The same site as a build that parses every file.
    again = demo.parent / "again"
    shutil.copytree(demo, again, ignore=shutil.ignore_patterns("site", ".trombi"))
    build_site(again, again / "site")
    assert _site(demo) == _site(again)


def test_every_stored_check_reads_back_as_the_entity_its_file_makes(demo: Path) -> None:
    """What a file's own check makes, before the rules between files (skills named as the taxonomy does...) change it."""
    build_site(demo, demo / "site")
    stored = _stored(demo)["files"]
    for folder, model, what in (("people", Person, "person"), ("groups", Group, "group")):
        for path in sorted((demo / folder).glob("*.yaml")):
            raw = path.read_bytes()
            key = f"{model.__name__}:{folder}/{path.name}:{hashlib.blake2b(raw, digest_size=20).hexdigest()}"
            text = perfile.unsealed(stored[key], raw, _seal(demo)) if may_hold_private(raw) else stored[key]
            recalled = perfile.recalled(text, model)
            entity = check_file(path, f"{folder}/{path.name}", model, what)[1]
            assert entity is not None
            assert recalled == entity, path.name
            # The fields given, down to each skill and contact: what "set or not" decides reads the same.
            assert recalled.model_dump(exclude_unset=True) == entity.model_dump(exclude_unset=True), path.name


def test_a_kept_check_is_read_back_by_its_types_and_not_checked_again() -> None:
    """Its values were checked when it was kept: read back, its types are checked, not each value again (a text on one line...)."""
    kept = json.dumps({"name": "Ana", "title": "Lead\nUX", "skills": [{"name": "Python", "level": "expert"}, {"name": "Go"}], "joined": "2024-10-23"})
    entity = perfile.recalled(kept, Person)
    assert entity.title == "Lead\nUX" and entity.joined is not None and entity.joined.isoformat() == "2024-10-23"
    assert entity.skills[1].model_fields_set == {"name"} and entity.skills[1].level == "intermediate"
    with pytest.raises(ValueError):
        Person.model_validate_json(kept)  # the model's own checks are still its own
    assert Person.__pydantic_complete__
    # Each entity its own empty lists, as the model gives them: one grown does not grow another's.
    first, second = perfile.recalled(kept, Person), perfile.recalled(kept, Person)
    assert first.offers == [] and first.offers is not second.offers and first.offers is not Person.model_fields["offers"].default
    assert "offers" not in first.model_fields_set
    for broken in (
        {"name": "Ana", "title": "UX", "skills": [{"name": "Python", "level": "guru"}]},  # not one of the levels
        {"name": "Ana", "title": 3},  # not a text
        {"name": "Ana", "title": "UX", "shoe_size": "42"},  # no such field
        {"name": "Ana"},  # a field missing
        {"name": "Ana", "title": "UX", "joined": "23/10/2024"},  # not a date
    ):
        with pytest.raises(ValueError):
            perfile.recalled(json.dumps(broken), Person)
    # A null is left unset by the model's own check (an empty value is no value), as a file's check does.
    nulled = perfile.recalled(json.dumps({"name": "Ana", "title": "UX", "team": None}), Person)
    assert nulled.team is None and "team" not in nulled.model_fields_set


def test_a_file_with_a_problem_is_never_stored_and_its_problem_is_said_each_time(demo: Path, parsed: list[str], caplog: pytest.LogCaptureFixture) -> None:
    profile = demo / "people" / "fkeita.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")  # without its schema line: a warning
    for _ in range(2):
        parsed.clear()
        caplog.clear()
        build_site(demo, demo / "site", strict=False)
        assert "people/fkeita.yaml" in parsed
        assert any("people/fkeita.yaml" in record.getMessage() and "schema" in record.getMessage() for record in caplog.records)
    assert parsed == ["people/fkeita.yaml"]
    assert not any("fkeita" in key for key in _stored(demo)["files"])


def test_a_private_value_is_kept_sealed_and_opens_only_with_its_file(demo: Path, read: list[str], parsed: list[str]) -> None:
    """A private contact value stays in its file: the checks a build keeps hold it sealed with the
    file's bytes, which the next build reads to open it; opened with other bytes, it is not there."""
    profile = demo / "people" / "fkeita.yaml"
    text = profile.read_text(encoding="utf-8")
    assert "visibility: private" not in text
    private = text.replace("contact:\n", "contact:\n  phone: {value: '+33 6 zz private zz', visibility: private}\n", 1)
    profile.write_text(private, encoding="utf-8")
    build_site(demo, demo / "site")
    stored = _stored(demo)
    kept = (demo / STATE_DIR / CHECKED_FILE).read_text(encoding="utf-8")
    assert "zz private zz" not in kept and "+33 6" not in kept
    (key,) = (key for key in stored["files"] if key.startswith("Person:people/fkeita.yaml:"))
    entry = stored["files"][key]
    assert entry.startswith("!") and stored["blobs"][key] == ""  # no blob: its file is read to open it
    seal = _seal(demo)
    assert "zz private zz" in perfile.unsealed(entry, private.encode("utf-8"), seal)
    for other, sealed_for in ((text, seal), (private.replace("zz private zz", "zz private zy"), seal), (private, _seal(demo, "another"))):
        with pytest.raises(ValueError):  # the bytes before, another value, or the same bytes for another Trombi
            perfile.recalled(perfile.unsealed(entry, other.encode("utf-8"), sealed_for), Person)
    with pytest.raises(ValueError):
        perfile.unsealed(entry, None, seal)
    # The next build reads her file, and opens what it kept of it rather than parsing it.
    read.clear()
    parsed.clear()
    build_site(demo, demo / "site")
    assert "people/fkeita.yaml" in read and "people/fkeita.yaml" not in parsed
    assert "zz private zz" not in (demo / "site" / "people" / "fkeita" / "index.html").read_text(encoding="utf-8")
    assert _stored(demo)["files"] == stored["files"]
    # Another value is other bytes: parsed, and kept sealed anew.
    profile.write_text(private.replace("zz private zz", "zz private zy"), encoding="utf-8")
    parsed.clear()
    build_site(demo, demo / "site")
    assert parsed == ["people/fkeita.yaml"]
    assert "zz private zy" not in (demo / STATE_DIR / CHECKED_FILE).read_text(encoding="utf-8")


Damage = Callable[[Path], None]


def _another_trombi(file: Path) -> None:
    head, _, body = file.read_text(encoding="utf-8").partition("\n")
    file.write_text(json.dumps({**json.loads(head), "key": "another"}) + "\n" + body, encoding="utf-8")


def _damaged_since(file: Path) -> None:
    # What a damaged cache could hold: a person whose stored title has a line break (as JSON writes one).
    file.write_text(file.read_text(encoding="utf-8").replace("UX researcher", "UX\\nresearcher"), encoding="utf-8")


def _refused_by_its_types(file: Path) -> None:
    # Her entry with a level that is none, in a file whose digest says it was written so.
    head, _, body = file.read_text(encoding="utf-8").partition("\n")
    assert body.count('"level":"expert"') > 1
    lines = [line.replace('"level":"expert"', '"level":"guru"') if line.startswith("Person:people/fkeita.yaml:") else line for line in body.split("\n")]
    body = "\n".join(lines)
    digest = hashlib.blake2b(("\n" + body).encode("utf-8"), digest_size=20).hexdigest()
    file.write_text(json.dumps({**json.loads(head), "digest": digest}) + "\n" + body, encoding="utf-8")


def _every_third_forgotten(file: Path) -> None:
    """The kept checks without every third entry, in a file whose digest says it was written so: those files are checked anew."""
    head, _, body = file.read_text(encoding="utf-8").partition("\n")
    body = "\n".join(line for number, line in enumerate(body.split("\n")) if number % 3 or line.startswith("Person:people/fkeita.yaml:"))
    digest = hashlib.blake2b(("\n" + body).encode("utf-8"), digest_size=20).hexdigest()
    file.write_text(json.dumps({**json.loads(head), "digest": digest}) + "\n" + body, encoding="utf-8")


def _a_line_cut_in_two(file: Path) -> None:
    text = file.read_text(encoding="utf-8")
    cut = text.index("\t", text.index("\n")) + 20
    file.write_text(text[:cut] + "\n" + text[cut:], encoding="utf-8")


@pytest.mark.parametrize(
    "damage",
    [
        _another_trombi,
        _damaged_since,
        _refused_by_its_types,
        lambda file: file.write_text(f'{{"format": "{STORED_FORMAT}", "key": ', encoding="utf-8"),
        lambda file: file.write_text('{"format": "trombi-checked/1", "key": "k", "files": {}}', encoding="utf-8"),
        _a_line_cut_in_two,
        lambda file: file.write_bytes(b"\xff" + file.read_bytes()),
        lambda file: file.unlink(),
    ],
    ids=["another Trombi", "damaged since", "refused by its types", "corrupt", "of another format", "a line cut in two", "not UTF-8", "missing"],
)
def test_stored_checks_that_cannot_be_trusted_are_made_again(demo: Path, parsed: list[str], damage: Damage) -> None:
    build_site(demo, demo / "site")
    damage(demo / STATE_DIR / CHECKED_FILE)
    parsed.clear()
    build_site(demo, demo / "site")
    if damage is _refused_by_its_types:
        assert parsed == ["people/fkeita.yaml"]  # hers is the entry refused; the others are recalled
    else:
        assert sorted(parsed) == _files(demo)
    assert "UX researcher" in (demo / "site" / "people" / "fkeita" / "index.html").read_text(encoding="utf-8")
    assert _stored(demo)["format"] == STORED_FORMAT


def test_stored_checks_behind_a_link_stop_the_build_and_are_not_read(demo: Path, tmp_path: Path) -> None:
    build_site(demo, demo / "site")
    elsewhere = tmp_path / "elsewhere.json"
    (demo / STATE_DIR / CHECKED_FILE).rename(elsewhere)
    (demo / STATE_DIR / CHECKED_FILE).symlink_to(elsewhere)
    before = elsewhere.read_bytes()
    with pytest.raises(ValidationFailed, match=r"checked\.json.*(symlink|lien symbolique)"):
        build_site(demo, demo / "site")
    assert elsewhere.read_bytes() == before


def test_a_build_that_fails_keeps_the_earlier_checks(demo: Path, parsed: list[str]) -> None:
    build_site(demo, demo / "site")
    before = (demo / STATE_DIR / CHECKED_FILE).read_bytes()
    (demo / "people" / "fkeita.yaml").write_text("name: [broken\n", encoding="utf-8")
    with pytest.raises(Exception):  # noqa: B017 - the build's own failure, whatever MkDocs wraps it in
        build_site(demo, demo / "site")
    assert (demo / STATE_DIR / CHECKED_FILE).read_bytes() == before


def test_a_file_is_recalled_by_its_place_and_bytes_not_by_its_bytes_alone(demo: Path) -> None:
    """A copy under a name that is no handle is refused, though a valid file has the same bytes."""
    build_site(demo, demo / "site")
    shutil.copyfile(demo / "people" / "fkeita.yaml", demo / "people" / "FKeita.yaml")
    with pytest.raises(ValidationFailed) as failed:
        build_site(demo, demo / "site")
    assert any(problem.path == "people/FKeita.yaml" and problem.rule == "handle" for problem in failed.value.problems)


@pytest.mark.parametrize("damage", [None, _refused_by_its_types], ids=["as kept", "an entry refused"])
def test_files_checked_by_workers_while_the_others_are_recalled_make_the_same_site(demo: Path, monkeypatch: pytest.MonkeyPatch, damage: Damage | None) -> None:
    build_site(demo, demo / "site")
    site, stored = _site(demo), _stored(demo)["files"]
    _every_third_forgotten(demo / STATE_DIR / CHECKED_FILE)
    if damage is not None:
        damage(demo / STATE_DIR / CHECKED_FILE)
    # As at scale: the files to check (those forgotten, the entry refused) go to forked workers.
    monkeypatch.setattr(validate, "PARALLEL_FROM", 1)
    monkeypatch.setattr(perfile, "PARALLEL_FROM", 1)
    monkeypatch.setattr(perfile, "CHUNK_FILES", 1)  # each given to the workers as soon as it is read
    events: list[str] = []  # each file read, by its folder; "given" each time files go to the workers
    read_file, chunks = perfile.read_file, perfile._chunks
    monkeypatch.setattr(perfile, "read_file", lambda path, display: events.append(path.parent.name) or read_file(path, display))
    monkeypatch.setattr(perfile, "_chunks", lambda files: events.append("given") or chunks(files))
    build_site(demo, demo / "site")
    # Given while the reading went on, not once at its end: a file of the same folder read after.
    given_while_reading = [
        number
        for number, event in enumerate(events[1:], 1)
        if event == "given" and events[number - 1] != "given" and events[number - 1] in events[number + 1 :]
    ]
    assert len(given_while_reading) >= 2
    assert _site(demo) == site
    assert _stored(demo)["files"] == stored


def _git(root: Path, *args: str) -> str:
    environment = {**os.environ, "GIT_AUTHOR_NAME": "Ana Test", "GIT_AUTHOR_EMAIL": "ana@example.org", "GIT_COMMITTER_NAME": "Ana Test"}
    environment |= {"GIT_COMMITTER_EMAIL": "ana@example.org"}
    return subprocess.run(["git", *args], cwd=root, env=environment, check=True, capture_output=True, text=True).stdout


def test_unchanged_files_are_those_git_has_on_disk_as_its_index_says(tmp_path: Path) -> None:
    folder = tmp_path / "repository" / "people"
    (folder / "sub").mkdir(parents=True)
    for name in ("ana", "bob", "cam", "dan", "sub/eve", "fay"):
        (folder / f"{name}.yaml").write_text(f"name: {name}\n", encoding="utf-8")
    (folder / "link.yaml").symlink_to("ana.yaml")
    (folder / "run.yaml").write_text("name: run\n", encoding="utf-8")
    (folder / "run.yaml").chmod(0o755)
    _git(folder.parent, "init", "-q")
    _git(folder.parent, "add", "people/ana.yaml", "people/bob.yaml", "people/cam.yaml", "people/dan.yaml", "people/sub", "people/link.yaml", "people/run.yaml")
    _git(folder.parent, "commit", "-q", "-m", "people")
    (folder / "bob.yaml").write_text("name: bob\ntitle: changed\n", encoding="utf-8")  # changed on disk, not committed
    _git(folder.parent, "update-index", "--assume-unchanged", "people/cam.yaml")  # git told not to look
    (folder / "cam.yaml").write_text("name: cam\ntitle: changed\n", encoding="utf-8")
    (folder / "dan.yaml").unlink()
    (folder / "dan.yaml").write_text("name: dan\n", encoding="utf-8")  # written again, the same bytes: git reads them to tell
    found = unchanged_files(folder)
    # fay is not tracked, eve is in a subfolder, link.yaml is a link.
    assert found == {name: blob_id((folder / name).read_bytes()) for name in ("ana.yaml", "dan.yaml", "run.yaml")}
    assert found["ana.yaml"] == _git(folder.parent, "hash-object", "people/ana.yaml").strip()  # the id git gives
    assert unchanged_files(tmp_path / "elsewhere") == {}  # no folder
    (tmp_path / "plain").mkdir()
    assert unchanged_files(tmp_path / "plain") == {}  # not in a repository


def _committed(demo: Path) -> None:
    """``demo`` made a git repository of one commit, as a fresh clone is."""
    (demo / ".gitignore").write_text("site/\n.trombi/\n", encoding="utf-8")
    _git(demo, "init", "-q")
    _git(demo, "add", "-A")
    _git(demo, "commit", "-q", "-m", "The directory")


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the loading reads from disk, as the build goes."""
    seen: list[str] = []
    read_file = perfile.read_file
    monkeypatch.setattr(perfile, "read_file", lambda path, display: seen.append(display) or read_file(path, display))
    return seen


def test_a_build_in_git_does_not_read_the_files_git_has_as_an_earlier_build_checked_them(demo: Path, read: list[str], parsed: list[str]) -> None:
    _committed(demo)
    build_site(demo, demo / "site")
    assert sorted(read) == _files(demo)  # nothing to recall yet: every file read
    stored = _stored(demo)
    private = _private(demo)
    # Each entry names the blob it was checked from; a sealed one none, its file read to open it.
    assert all(blob == ("" if key.split(":")[1] in private else blob_id((demo / key.split(":")[1]).read_bytes())) for key, blob in stored["blobs"].items())
    profile = demo / "people" / "fkeita.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("title: UX researcher", "title: Lead UX researcher"), encoding="utf-8")
    for step in ("changed on disk", "committed"):
        if step == "committed":
            _git(demo, "commit", "-q", "-am", "A new title")
        read.clear()
        parsed.clear()
        build_site(demo, demo / "site")
        # The files that may hold a private value are kept sealed, so always read to open them, never parsed;
        # hers is read until a build has checked its new bytes.
        expected = [*private, "people/fkeita.yaml"] if step == "changed on disk" else private
        assert sorted(read) == sorted(expected), step
        assert parsed == (["people/fkeita.yaml"] if step == "changed on disk" else []), step
        assert "Lead UX researcher" in (demo / "site" / "people" / "fkeita" / "index.html").read_text(encoding="utf-8")
    # The same site and the same checks as a build that reads every file.
    again = demo.parent / "again"
    shutil.copytree(demo, again, ignore=shutil.ignore_patterns("site", ".trombi"))  # its history too
    build_site(again, again / "site")
    assert _site(demo) == _site(again)
    assert _stored(demo)["files"] == _stored(again)["files"]


def test_a_kept_check_refused_for_a_file_not_read_is_read_and_checked(demo: Path, read: list[str], parsed: list[str]) -> None:
    _committed(demo)
    build_site(demo, demo / "site")
    site = _site(demo)
    _refused_by_its_types(demo / STATE_DIR / CHECKED_FILE)
    read.clear()
    build_site(demo, demo / "site")
    assert sorted(read) == sorted([*_private(demo), "people/fkeita.yaml"])
    assert "people/fkeita.yaml" in parsed
    assert _site(demo) == site


def test_the_chunks_no_worker_started_are_checked_by_the_build_itself(demo: Path) -> None:
    """Once this process has read and recalled, it checks the chunks still waiting for a worker, from the last back: each chunk once, all in order."""
    files = [((demo / "people" / name).read_bytes(), str(demo / "people" / name), f"people/{name}") for name in sorted(os.listdir(demo / "people"))]
    chunks = [files[start : start + 3] for start in range(0, 12, 3)]
    expected = [checked for chunk in chunks for checked in perfile.check_chunk(Person, "person", chunk)]
    done, started, waiting, last = (Future[list[perfile.FileChecked[Person]]]() for _ in range(4))
    done.set_result(perfile.check_chunk(Person, "person", chunks[0]))
    assert started.set_running_or_notify_cancel()  # a worker has it: its answer comes later
    threading.Timer(0.2, lambda: started.set_result(perfile.check_chunk(Person, "person", chunks[1]))).start()
    checked = perfile._shared_out([done, started, waiting, last], chunks, Person, "person")
    assert [(entity, problems) for _, entity, _, problems in checked] == [(entity, problems) for _, entity, _, problems in expected]
    assert waiting.cancelled() and last.cancelled() and not started.cancelled()
