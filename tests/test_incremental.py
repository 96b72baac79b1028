"""Incremental builds: with the previous build's state, a build renders only the pages a change touches,
and the site is byte-identical to a full build of the same commit, over a sequence of edits."""

from __future__ import annotations

import errno
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import time
from array import array
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import cast
from urllib.parse import unquote

import numpy
import pytest
from mkdocs.exceptions import Abort

from generator.build import features, incremental, plan, write
from generator.build.incremental import FILES_DIR, RECORD_FILE, RENDER_DIR, Record
from generator.build.state import STATE_DIR
from generator.directory.enrich import enrich
from generator.directory.settings import Settings, load_settings
from generator.directory.validate import validate_directory
from generator.engine.publish import build_site
from generator.history.git import Change
from generator.interop import exports
from generator.network.lunchfiles import read_pairings
from generator.parallel import InChild
from generator.problems import TrombiError
from generator.search.pagefind import DOCUMENTS_DIR
from generator.search.pagefindfiles import PagefindError
from generator.site import sitepages
from generator.site.reads import ID_TYPE
from generator.site.render import Renderer
from tests.conftest import REPO, needs_fork, site_files

EPOCH = 1_764_806_400  # 2025-12-04, the moment every build of this file is built as of
COMMIT_DAY = 86_400


def _git(root: Path, *args: str, when: int) -> None:
    stamp = f"@{when} +0000"
    environment = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_NAME": "Ana Test", "GIT_AUTHOR_EMAIL": "ana@example.org"}
    environment |= {"GIT_COMMITTER_NAME": "Ana Test", "GIT_COMMITTER_EMAIL": "ana@example.org"}
    subprocess.run(["git", *args], cwd=root, env=environment, check=True, capture_output=True)


def _demo(root: Path) -> Path:
    for name in ("people", "groups", "docs", "pairings", "hooks"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "skills.yaml"):
        shutil.copyfile(REPO / name, root / name)
    (root / ".gitignore").write_text("site/\n.trombi/\n", encoding="utf-8")
    _git(root, "init", "-q", "-b", "main", when=EPOCH - 60 * COMMIT_DAY)
    _git(root, "add", "-A", when=EPOCH - 60 * COMMIT_DAY)
    _git(root, "commit", "-q", "-m", "The directory", when=EPOCH - 60 * COMMIT_DAY)
    return root


def _snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site_files(site)}


def _as_a_full_build(root: Path, site: Path, tmp_path: Path) -> None:
    """``site`` is, byte for byte, what a build from nothing makes of ``root`` (a copy without its site and state)."""
    full = tmp_path / "full"
    shutil.copytree(root, full, ignore=shutil.ignore_patterns("site", ".trombi"))
    assert _snapshot(site) == _snapshot(build_site(full, full / "site"))


def _inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site_files(site)}


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _title(root: Path) -> None:
    _replace(root / "people" / "fkeita.yaml", "title: UX researcher", "title: Lead UX researcher")


def _skill(root: Path) -> None:
    _replace(root / "people" / "fkeita.yaml", "  - Statistiques\n", "  - Statistiques\n  - {name: Python, level: notions}\n")


def _manager(root: Path) -> None:
    _replace(root / "people" / "fkeita.yaml", "manager: jmorel", "manager: aroussel")


def _added(root: Path) -> None:
    text = (root / "people" / "fkeita.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Fatou Keita", "name: Zoé Nouvelle").replace("fatou.keita@", "zoe.nouvelle@").replace('"@fkeita"', '"@znouvelle"')
    (root / "people" / "znouvelle.yaml").write_text(text.replace("github: fkeita", "github: znouvelle"), encoding="utf-8")


def _removed(root: Path) -> None:
    (root / "people" / "znouvelle.yaml").unlink()


def _group_renamed(root: Path) -> None:
    _replace(root / "groups" / "club-photo.yaml", "name: ", "name: Photo, ")


def _taxonomy(root: Path) -> None:
    _replace(root / "skills.yaml", "aliases: [py, python3]", "aliases: [py, python3, py3]")


def _config(root: Path) -> None:
    _replace(root / "mkdocs.yml", "site_name: ", "site_name: Annuaire ")


# Each edit, and whether the pages it cannot touch are kept (False: it may rebuild everything).
EDITS: list[tuple[str, Callable[[Path], None], bool]] = [
    ("a title", _title, True),
    ("a skill added", _skill, True),
    ("a manager changed", _manager, True),
    ("a person added", _added, True),
    ("a person removed", _removed, True),
    ("a group renamed", _group_renamed, True),
    ("skills.yaml changed", _taxonomy, False),
    ("mkdocs.yml changed", _config, False),
    ("nothing changed", lambda root: None, True),
]


@pytest.fixture(scope="module")
def sequence(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, dict[str, bytes], dict[str, bytes], int, int]]:
    """For each edit: its name, the incremental site, the full build's site, files kept, files the state keeps."""
    base = tmp_path_factory.mktemp("incremental")
    root = _demo(base / "repo")
    environment = pytest.MonkeyPatch()
    environment.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    # The demo is small: contexts and answers are weighed by forked workers as at 100,000 people,
    # in chunks whose ends fall anywhere (other tests take the one-process way).
    environment.setattr(incremental, "CONTEXTS_PARALLEL_FROM", 1)
    environment.setattr(incremental, "CHUNK_CONTEXTS", 97)
    environment.setattr(incremental, "PARALLEL_FROM", 1)
    environment.setattr(incremental, "CHUNK_QUERIES", 997)
    environment.setattr(incremental, "PLACE_APART_FROM", 1)  # the kept files linked by a child, as at scale
    environment.setattr(write, "FOLDERS_APART_FROM", 1)  # and the pages' folders made by one from MkDocs' files on
    environment.setattr(features, "PLAN_APART_FROM", 1)  # and the costliest features drawn by one
    environment.setattr(incremental, "ANSWER_APART_FROM", 1)  # and the earlier pages' reads asked again by one, from the plan on
    environment.setattr(incremental, "LOOK_AHEAD_FROM", 0)  # and the kept files looked at by another, from the build's start
    # The pages rendered by forked workers, their reads folded as each chunk ends, the exports' beside them.
    environment.setattr(sitepages, "PARALLEL_FROM", 1)
    environment.setattr(sitepages, "CHUNK_PAGES", 29)
    environment.setattr(exports, "LISTING_PAGE_SIZE", 7)  # the JSON listing in pages, as at scale: a person added or removed moves the rest
    results = []
    try:
        site = build_site(root, root / "site")
        for number, (name, edit, _) in enumerate(EDITS, 1):
            before = _inodes(site)
            edit(root)
            when = EPOCH - (len(EDITS) - number) * COMMIT_DAY
            _git(root, "add", "-A", when=when)
            _git(root, "commit", "-q", "--allow-empty", "-m", name, when=when)
            build_site(root, site)
            after = _inodes(site)
            # The files of the render state (pages, each person's JSON and vCard), linked from one build to the next when kept.
            files = [unquote(entry.name) for entry in (root / STATE_DIR / RENDER_DIR / FILES_DIR).iterdir()]
            kept = sum(1 for path in files if before.get(path) == after[path])
            pages = len(files)
            full = base / f"full-{number}"
            shutil.copytree(root, full, ignore=shutil.ignore_patterns("site", ".trombi"))
            build_site(full, full / "site")
            results.append((name, _snapshot(site), _snapshot(full / "site"), kept, pages))
    finally:
        environment.undo()
    return results


@pytest.mark.parametrize("step", range(len(EDITS)), ids=[name for name, _, _ in EDITS])
def test_an_incremental_build_is_the_full_build_byte_for_byte(sequence: list[tuple[str, dict[str, bytes], dict[str, bytes], int, int]], step: int) -> None:
    name, incremental, full, _, _ = sequence[step]
    assert sorted(incremental) == sorted(full), f"after {name}: files differ in name"
    differ = [path for path in full if incremental[path] != full[path]]
    assert not differ, f"after {name}: {len(differ)} files differ from a full build, e.g. {differ[:5]}"


@pytest.mark.parametrize("step", range(len(EDITS)), ids=[name for name, _, _ in EDITS])
def test_a_small_edit_keeps_the_pages_it_does_not_touch(sequence: list[tuple[str, dict[str, bytes], dict[str, bytes], int, int]], step: int) -> None:
    name, _, _, kept, total = sequence[step]
    if EDITS[step][2]:
        # 276 pages and 61 people's exports in the demo: a profile's edit touches its page and
        # exports, its teams', skills' and listings' pages, and the pages that name the person;
        # most of the site stays as it was.
        assert kept >= total * 3 // 4, f"after {name}: only {kept} of {total} files kept"
        assert name != "nothing changed" or kept == total
    else:
        assert kept == 0, f"after {name}: {kept} of {total} files kept, though every file depends on it"


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The demo in a git repository, built once (its state in .trombi/), and its site."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    root = _demo(tmp_path / "repo")
    return root, build_site(root, root / "site")


def test_a_page_is_rendered_again_when_what_it_shows_changed(built: tuple[Path, Path]) -> None:
    root, site = built
    before = _inodes(site)
    _title(root)
    build_site(root, site)
    after = _inodes(site)
    changed = {path for path in after if before.get(path) != after[path]}
    # Her page, her manager's and teammates' pages that show her title, her team's page.
    assert "people/fkeita/index.html" in changed
    assert "Lead UX researcher" in (site / "people" / "jmorel" / "index.html").read_text(encoding="utf-8")
    assert "people/jmorel/index.html" in changed and "groups/design/index.html" in changed
    # Someone with nothing to do with her, in another team and site.
    assert "people/kbenali/index.html" not in changed or "fkeita" in (site / "people" / "kbenali" / "index.html").read_text(encoding="utf-8")


def test_a_profile_edited_remakes_the_page_of_the_listing_that_lists_it_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    monkeypatch.setattr(exports, "LISTING_PAGE_SIZE", 10)
    root = _demo(tmp_path / "repo")
    site = build_site(root, root / "site")
    before = _inodes(site)
    _title(root)
    build_site(root, site)
    after = _inodes(site)
    listing = sorted(path for path in after if path.startswith("api/people/page-"))
    assert len(listing) > 3
    changed = [path for path in listing if before[path] != after[path]]
    assert len(changed) == 1 and "Lead UX researcher" in (site / changed[0]).read_text(encoding="utf-8")


def test_the_table_of_queries_renumbered_keeps_every_page_it_can(built: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Kept units keep their query numbers; once queries are unused (someone gone) the table is renumbered, and nothing is lost."""
    root, site = built
    monkeypatch.setattr(incremental, "RENUMBER_AT", 10**9)  # renumbered as soon as one query is unused
    record_file = root / STATE_DIR / RENDER_DIR / RECORD_FILE

    def record() -> Record:
        return Record.read(record_file.parent)

    def commit_and_build(message: str) -> None:
        _git(root, "add", "-A", when=EPOCH)
        _git(root, "commit", "-q", "-m", message, when=EPOCH)
        build_site(root, site)

    _added(root)
    commit_and_build("a person added")
    grown = record()
    assert ("item", "people", "znouvelle") in grown.queries
    _removed(root)
    commit_and_build("a person removed")
    renumbered = record()
    assert ("item", "people", "znouvelle") not in renumbered.queries
    used = {index for _, ids, _ in renumbered.units.values() for index in ids}
    assert used == set(range(len(renumbered.queries))), "the table holds only queries some unit uses"
    # A unit kept through the renumbering (its files the same) still names what it read.
    kept_through = [key for key, (_, _, stamps) in renumbered.units.items() if key in grown.units and grown.units[key][2] == stamps]
    assert len(kept_through) >= len(renumbered.units) * 3 // 4
    for key in kept_through:
        assert {renumbered.queries[i] for i in renumbered.units[key][1]} == {grown.queries[i] for i in grown.units[key][1]}, key
    files = root / STATE_DIR / RENDER_DIR / FILES_DIR
    before = {entry.name: entry.inode() for entry in os.scandir(files)}
    _title(root)
    commit_and_build("a title")
    after = {entry.name: entry.inode() for entry in os.scandir(files)}
    kept = sum(1 for name in after if before.get(name) == after[name])
    assert kept >= len(after) * 3 // 4, f"only {kept} of {len(after)} files kept after the table was renumbered"
    _as_a_full_build(root, site, tmp_path)


@pytest.mark.parametrize(
    "apart",
    [False, pytest.param(True, marks=needs_fork), pytest.param("ahead", marks=needs_fork)],
    ids=["here", "by the child that asks the record again", "by the child forked as the build begins"],
)
@pytest.mark.parametrize("damage", ["record removed", "record corrupt", "record of another shape", "page removed", "page changed", "search document removed"])
def test_a_damaged_state_means_a_full_build_never_a_wrong_site(
    built: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str, apart: bool | str
) -> None:
    root, site = built
    looked: list[tuple[set[str] | None, set[str] | None]] = []  # what the child found of the kept files and the documents
    if apart:  # the kept files and the search documents looked at by a child, as at scale
        monkeypatch.setattr(features, "PLAN_APART_FROM", 1)
        monkeypatch.setattr(incremental, "ANSWER_APART_FROM", 1)
        # Foreseen's own child, or the one forked as the build begins (looking_ahead), whose answer Foreseen takes.
        monkeypatch.setattr(incremental, "LOOK_AHEAD_FROM", 0 if apart == "ahead" else 1 << 40)
        result = incremental.Foreseen._result

        def seen(self: incremental.Foreseen) -> tuple[dict[int, str | None], set[int], set[str], set[str] | None] | None:
            found = result(self)
            if found is not None and not looked:
                looked.append(found[2:])
            return found

        monkeypatch.setattr(incremental.Foreseen, "_result", seen)
    render = root / STATE_DIR / RENDER_DIR
    kept_page = render / FILES_DIR / "people%2Fkbenali%2Findex.html"
    document = root / DOCUMENTS_DIR / "people" / "kbenali" / "index.html"
    assert kept_page.is_file() and document.is_file()
    if damage == "record removed":
        (render / RECORD_FILE).unlink()
    elif damage == "record corrupt":
        (render / RECORD_FILE).write_text('{"format": 1, "base": "x", "queries": [[', encoding="utf-8")
    elif damage == "record of another shape":
        (render / RECORD_FILE).write_text('{"format": 1, "base": "x", "queries": [[{"x": 1}]], "answers": ["a"], "pages": {}}', encoding="utf-8")
    elif damage == "page removed":
        kept_page.unlink()
    elif damage == "search document removed":  # what Pagefind indexes of her page, beside the site: her page is made again
        document.unlink()
    else:  # written over in place, through its link from the published site: a kept page is then not the page
        with kept_page.open("r+b") as page:
            page.write(b"<p>not a page")
    _title(root)
    build_site(root, site)
    if apart and damage.startswith(("page", "search")):
        assert looked, "the child looked at the kept files"
        stale, undocumented = looked[0]
        assert stale == ({"people/kbenali.md"} if damage.startswith("page") else set()), "the child told the page written over or gone"
        assert undocumented is not None
        assert ("people/kbenali/index.html" in undocumented) == damage.startswith("search"), "the child told the document gone"
    assert document.is_file()
    full = tmp_path / "full"
    shutil.copytree(root, full, ignore=shutil.ignore_patterns("site", ".trombi"), symlinks=True)
    build_site(full, full / "site")
    assert _snapshot(site) == _snapshot(full / "site")
    # The state is whole again: its record names every page it keeps.
    record = Record.read(root / STATE_DIR / RENDER_DIR)
    assert "people/kbenali.md" in record.units and "export:kbenali" in record.units


@pytest.mark.parametrize("where", ["a page", "the render folder"])
def test_a_link_in_the_state_stops_the_build_and_is_not_followed(built: tuple[Path, Path], tmp_path: Path, where: str) -> None:
    root, site = built
    before = _snapshot(site)
    secret = tmp_path / "secret.html"
    secret.write_text("<p>not a page of the site</p>", encoding="utf-8")
    render = root / STATE_DIR / RENDER_DIR
    if where == "a page":
        link = render / FILES_DIR / "people%2Fkbenali%2Findex.html"
        link.unlink()
        link.symlink_to(secret)
    else:
        shutil.rmtree(render)
        render.symlink_to(tmp_path)
    _title(root)
    with pytest.raises(Abort, match=r"symlink|lien symbolique"):
        build_site(root, site)
    assert _snapshot(site) == before
    assert secret.read_text(encoding="utf-8") == "<p>not a page of the site</p>"


def test_a_build_that_stops_half_way_leaves_no_record_and_the_next_renders_everything(
    built: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, site = built
    before = _snapshot(site)
    _title(root)

    def fails(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr("generator.build.write.write_pages", fails)
        with pytest.raises(TrombiError, match="No space left"):
            build_site(root, site)
    assert _snapshot(site) == before  # the published site is whole
    assert not (root / STATE_DIR / RENDER_DIR / RECORD_FILE).exists()
    build_site(root, site)
    _as_a_full_build(root, site, tmp_path)


@pytest.mark.parametrize("after_keeping", [True, False])
def test_a_search_index_that_fails_keeps_the_pages_it_made_and_publishes_nothing(
    built: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after_keeping: bool
) -> None:
    """Pagefind runs while the build keeps its pages (in a child of its own, as this build keeps pages):
    they are whole when it fails after, and the next build uses them; a failure at once is said as well."""
    root, site = built
    before = _snapshot(site)
    _title(root)
    record = root / STATE_DIR / RENDER_DIR / RECORD_FILE

    def fails(*args: object, **kwargs: object) -> None:
        deadline = time.monotonic() + 60
        while after_keeping and not record.exists() and time.monotonic() < deadline:  # fails once the build has kept its files
            time.sleep(0.05)
        raise PagefindError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr("generator.build.write.write_pagefind_index", fails)
        with pytest.raises(Abort, match="disk full"):
            build_site(root, site)
    assert _snapshot(site) == before  # the published site is whole
    if not after_keeping:
        return
    assert record.exists()
    files = root / STATE_DIR / RENDER_DIR / FILES_DIR
    made = {entry.name: entry.inode() for entry in os.scandir(files)}
    build_site(root, site)
    # Nothing changed since the build that failed: every file it made is kept as it is.
    assert {entry.name: entry.inode() for entry in os.scandir(files)} == made
    _as_a_full_build(root, site, tmp_path)


@needs_fork
def test_a_merge_indexes_the_search_pages_while_it_writes_the_exports(built: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind's child starts once the pages are written: the exports, the terminal's index and the keeping go on beside it."""
    root, site = built
    _title(root)
    started = tmp_path / "pagefind-started"
    real_index, real_exports = write.write_pagefind_index, plan.Exports.person
    seen: list[bool] = []

    def index(*args: object, **kwargs: object) -> object:
        started.touch()  # in the child
        return real_index(*args, **kwargs)  # type: ignore[arg-type]

    def exports(self: plan.Exports, org: object, handle: str) -> list[tuple[str, str]]:
        deadline = time.monotonic() + 60
        while not started.exists() and time.monotonic() < deadline:  # one after the other, it would wait here
            time.sleep(0.01)
        seen.append(started.exists())
        return real_exports(self, org, handle)  # type: ignore[arg-type]

    monkeypatch.setattr(write, "write_pagefind_index", index)
    monkeypatch.setattr(plan.Exports, "person", exports)
    build_site(root, site)
    assert seen and all(seen)
    _as_a_full_build(root, site, tmp_path)


class _Answers:
    """A renderer as split asks it: each query answers its number, or another answer for those changed."""

    def __init__(self, queries: list[tuple[str, ...]], changed: set[int]) -> None:
        self.numbers = {query: number for number, query in enumerate(queries)}
        self.changed = changed
        self.gathered = False  # what the renderer's own child worked out, taken (Renderer.gather)

    def answer_or_none(self, query: tuple[str, ...]) -> str:
        number = self.numbers[query]
        assert self.gathered or query[:2] not in incremental._LEFT_TO_THE_BUILD, "asked before the renderer's child was heard"
        return f"now {number}" if number in self.changed else f"then {number}"

    def gather(self, *, wait: bool = False) -> None:
        self.gathered = self.gathered or wait

    def known_answer(self, query: tuple[str, ...]) -> str | None:
        """Who is most like someone, known once the renderer's child is heard, which this waits for (Renderer.known_answer)."""
        if query[:2] != ("call", "similar_to"):
            return None
        self.gathered = True
        return self.answer_or_none(query)


@pytest.mark.parametrize("foreseen", [False, pytest.param(True, marks=needs_fork)], ids=["asked-here", "asked-by-a-child"])
@pytest.mark.parametrize("seed", range(5))
def test_a_unit_is_kept_exactly_when_none_of_its_reads_answers_otherwise(tmp_path: Path, seed: int, foreseen: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Asked here, or by the child that Foreseen starts with the plan, which leaves similar people and related skills to the build."""
    rng = random.Random(seed)
    left_kinds = [("call", "similar_to"), incremental.RELATED]
    queries = [("item", "people", f"p{number}") if number % 3 else (*left_kinds[number % 2], f"p{number}") for number in range(40)]
    record = Record("base")
    record.queries, record.answers = list(queries), [f"then {number}" for number in range(40)]
    files = tmp_path / RENDER_DIR / FILES_DIR  # the state's, which the child stamps
    files.mkdir(parents=True)
    units, reads = [], {}
    for number in range(60):
        ids = array(ID_TYPE, sorted(rng.sample(range(40), rng.choice([0, 0, 1, 3, 8]))))  # some read nothing
        unit = incremental.Unit(f"u{number}.md", "context", (f"u{number}/index.html",))
        (files / incremental.kept_name(unit.files[0])).write_text(unit.key, encoding="utf-8")
        record.units[unit.key] = ("context", ids, incremental._stamps(str(files), unit.names))
        units.append(unit)
        reads[unit.key] = set(ids)
    changed = set(rng.sample(range(40), rng.randrange(0, 6)))
    answers = _Answers(queries, changed)
    renderer = cast(Renderer, answers)
    ahead = None
    if not foreseen:
        answers.gathered = True  # no child: all is asked here, as it was asked before the child
    if foreseen:
        record.write(tmp_path / RENDER_DIR)
        monkeypatch.setattr(incremental, "ANSWER_APART_FROM", 1)
        ahead = incremental.Foreseen(tmp_path, renderer, {}, apart=True, documents=tmp_path / "documents")
        assert ahead.record is not None
        record = ahead.record
    done = incremental.split(renderer, units, incremental.Kept(tmp_path / RENDER_DIR, record), lambda file: True, {}, ahead)
    assert sorted(unit.key for unit in done.keep) == sorted(key for key, ids in reads.items() if not ids & changed)
    assert done.make == {key for key, ids in reads.items() if ids & changed}
    asked = {number for ids in reads.values() for number in ids}
    assert done.answers == {number: ("now " if number in changed else "then ") + str(number) for number in asked}
    assert sorted(done.changed) == sorted(asked & changed)  # what keep() writes over the record's answers
    if ahead is not None:
        changed_there, left = ahead.answers() or ({}, set())
        assert set(changed_there) == changed - {number for number in range(40) if number % 3 == 0}
        assert left == {number for number in range(40) if number % 3 == 0}


# Each feature's child, failing while the other draws (features.APART_SETS); similar people, worked
# out by another child meanwhile for pages the build never gets to; the earlier pages' reads, asked
# again by one more.
_FAILING_FEATURES = {
    "my network": ("generator.network.circles.facts_of", ["generator.build.features.site_calendars"]),
    "calendars": ("generator.build.features.site_calendars", ["generator.network.circles.facts_of"]),
}


@needs_fork
@pytest.mark.parametrize("failing", list(_FAILING_FEATURES))
def test_a_feature_that_fails_in_a_child_fails_the_build_with_its_error_and_ends_the_others(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    root, site = built
    before = _snapshot(site)
    _title(root)
    monkeypatch.setattr(features, "PLAN_APART_FROM", 1)
    assert [features.calendars] in map(list, features.APART_SETS) and any(features.my_network in drawn for drawn in features.APART_SETS)
    broken_one, drawing = _FAILING_FEATURES[failing]

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError(f"{failing} could not be drawn")

    monkeypatch.setattr(broken_one, broken)
    for slow in [*drawing, "generator.network.similar.similar_people"]:
        monkeypatch.setattr(slow, lambda *args, **kwargs: time.sleep(600))
    monkeypatch.setattr(incremental, "ANSWER_APART_FROM", 1)
    monkeypatch.setattr(incremental, "_asked_again", lambda *args: time.sleep(600))
    with pytest.raises(Exception, match=f"{failing} could not be drawn"):
        build_site(root, site)
    assert _snapshot(site) == before
    assert multiprocessing.active_children() == []


class _Endless(list[str]):
    """Handles whose folders are never all made: the child that makes them works until it is ended."""

    def __iter__(self) -> Iterator[str]:
        time.sleep(600)
        return super().__iter__()


@needs_fork
@pytest.mark.parametrize("child", ["features", "people's folders"])
def test_a_plan_that_fails_once_a_child_started_ends_it(built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, child: str) -> None:
    """The costliest features are drawn by a child from before the earlier build's record is read, and the people's
    folders made by one from the build's start (person_folders_ahead): a failure in the plan ends the child."""
    root, site = built
    before, beside = _snapshot(site), sorted(os.listdir(root))
    _title(root)
    if child == "features":
        monkeypatch.setattr(features, "PLAN_APART_FROM", 1)
        monkeypatch.setattr("generator.network.circles.facts_of", lambda *args, **kwargs: time.sleep(600))  # drawn by the child
    else:
        monkeypatch.setattr(write, "FOLDERS_APART_FROM", 1)
        monkeypatch.setattr(write, "person_handles", lambda folder: _Endless(["ana"]))  # listed by the child

    def unreadable(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO), "reading the record")

    monkeypatch.setattr(plan, "Foreseen", unreadable)
    with pytest.raises(TrombiError, match="Input/output error"):
        build_site(root, site)
    assert _snapshot(site) == before
    assert multiprocessing.active_children() == []
    assert sorted(os.listdir(root)) == beside  # the folder the site was being built in is gone, with what a child made in it


@needs_fork
def test_a_broken_lunch_history_ends_the_child_started_before_it_is_read(built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """At scale similar people are worked out from the end of the history on, before the lunches are read."""
    root, site = built
    before = _snapshot(site)
    monkeypatch.setattr(features, "PLAN_APART_FROM", 1)
    started = root / "started"

    def slow(org: object) -> None:
        started.touch()  # from the child, which shares no list with this process
        time.sleep(600)

    def once_the_child_runs(settings: Settings) -> object:
        # The build reads the lunches once the child is at work, however busy the machine: the child is
        # forked before, and a build failing at once could otherwise end it before it ran a line.
        deadline = time.monotonic() + 60
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        return read_pairings(settings)

    monkeypatch.setattr("generator.network.similar.similar_people", slow)
    monkeypatch.setattr(plan, "read_pairings", once_the_child_runs)
    (root / "pairings" / "2026-01.yaml").write_text("month: 2026-01\npairs:\n  - [x]\n", encoding="utf-8")
    with pytest.raises(Abort, match=r"pairings/2026-01\.yaml"):
        build_site(root, site)
    assert multiprocessing.active_children() == []
    assert started.exists()
    assert _snapshot(site) == before


def test_a_build_that_fails_before_asking_for_similar_people_ends_the_child_working_them_out(built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """And the child asking the earlier pages' reads again, before the build takes its answers."""
    root, site = built
    _title(root)
    monkeypatch.setattr(features, "PLAN_APART_FROM", 1)
    monkeypatch.setattr("generator.network.similar.similar_people", lambda org: time.sleep(600))
    monkeypatch.setattr(incremental, "ANSWER_APART_FROM", 1)
    monkeypatch.setattr(incremental, "_asked_again", lambda renderer, record: time.sleep(600))

    def fails(pages: object) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO), "weighing the pages")

    monkeypatch.setattr(incremental, "contexts_of", fails)
    with pytest.raises(TrombiError, match="Input/output error"):
        build_site(root, site)
    assert multiprocessing.active_children() == []


@needs_fork
def test_a_child_asking_the_earlier_reads_that_fails_fails_the_build_with_its_error(built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root, site = built
    before = _snapshot(site)
    _title(root)
    monkeypatch.setattr(features, "PLAN_APART_FROM", 1)
    monkeypatch.setattr(incremental, "ANSWER_APART_FROM", 1)
    started: list[int] = []

    def fails(renderer: Renderer, record: Record, answered: Callable[[tuple[object, ...]], bool]) -> None:
        started.append(len(record.queries))
        raise OSError(errno.EIO, os.strerror(errno.EIO), "asking the queries again")

    monkeypatch.setattr(incremental, "_asked_again", fails)
    with pytest.raises(TrombiError, match="Input/output error"):
        build_site(root, site)
    assert _snapshot(site) == before
    assert multiprocessing.active_children() == []
    assert not started  # it ran in the child, whose list this is not


# The children that write into the site beside the build: each one's module, the number of files
# (or pages) from which it is forked, and the function it runs.
_SITE_CHILDREN = [
    pytest.param(incremental, "PLACE_APART_FROM", "place_kept", id="linking the kept files"),
    pytest.param(write, "FOLDERS_APART_FROM", "make_folders", id="making the pages' folders"),
    pytest.param(write, "FOLDERS_APART_FROM", "write_files", id="writing the features' files"),
]


@needs_fork
@pytest.mark.parametrize(("module", "threshold", "work"), _SITE_CHILDREN)
def test_a_child_writing_into_the_site_that_fails_publishes_nothing(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, module: object, threshold: str, work: str
) -> None:
    root, site = built
    before = _snapshot(site)
    _title(root)
    monkeypatch.setattr(module, threshold, 1)

    def full_disk(*args: object, **kwargs: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(site / "people"))

    monkeypatch.setattr(module, work, full_disk)  # the forked child runs it
    with pytest.raises(TrombiError, match="No space left on device"):
        build_site(root, site)
    assert _snapshot(site) == before
    assert multiprocessing.active_children() == []


@needs_fork
@pytest.mark.parametrize(("module", "threshold", "work"), _SITE_CHILDREN)
def test_a_build_that_fails_stops_the_children_writing_into_the_site(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, module: object, threshold: str, work: str
) -> None:
    root, site = built
    _title(root)
    monkeypatch.setattr(module, threshold, 1)
    real = getattr(module, work)

    def slow(*args: object, **kwargs: object) -> int:
        time.sleep(600)
        return cast(int, real(*args, **kwargs))

    def fails(*args: object, **kwargs: object) -> None:
        raise PagefindError("disk full")

    monkeypatch.setattr(module, work, slow)
    monkeypatch.setattr("generator.build.write.write_pagefind_index", fails)
    with pytest.raises(Abort, match="disk full"):
        build_site(root, site)
    assert multiprocessing.active_children() == []  # ended, not left writing into a folder that is gone


def test_the_kept_files_stamps_are_taken_whole_as_one_by_one(tmp_path: Path) -> None:
    """The child that asks the record again stamps the folder of kept files at once: the same stamps, none for what is not a regular file."""
    files = tmp_path / FILES_DIR
    files.mkdir()
    (files / "people%2Fana%2Findex.html").write_text("ana", encoding="utf-8")
    (files / "people%2Fbo%2Findex.html").write_text("bo, longer", encoding="utf-8")
    (files / "linked").symlink_to(files / "people%2Fana%2Findex.html")
    (files / "folder").mkdir()
    found = incremental.kept_stamps(files)
    assert set(found) == {"people%2Fana%2Findex.html", "people%2Fbo%2Findex.html"}
    names = ["people%2Fana%2Findex.html", "people%2Fbo%2Findex.html", "linked", "folder", "gone"]
    assert [found.get(name, "") for name in names] == [incremental._stamps(str(files), [name]) for name in names]
    assert incremental.kept_stamps(tmp_path / "nothing") == {}


def test_the_child_names_each_units_files_as_the_build_gave_them(built: tuple[Path, Path]) -> None:
    """Every unit of a build's record (pages, exports, the listing's pages) was stamped from the files :func:`unit_files` names for its key."""
    root, _ = built
    record = Record.read(root / STATE_DIR / RENDER_DIR)
    files = str(root / STATE_DIR / RENDER_DIR / FILES_DIR)
    kinds = {key.split(":", 1)[0] if ":" in key else "page" for key in record.units}
    assert kinds == {"page", "export", "listing"}
    for key, (_, _, stamped) in record.units.items():
        names = [incremental.kept_name(file) for file in incremental.unit_files(key, directory_urls=True)]
        assert stamped and incremental._stamps(files, names) == stamped, key
    assert incremental._looked_at(record, root / STATE_DIR / RENDER_DIR / FILES_DIR, root / DOCUMENTS_DIR, True)[0] == set()


@needs_fork
def test_the_early_look_is_taken_only_for_the_record_it_read(built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Foreseen takes what the child forked as the build began found of the kept files when it read the same record; else it looks itself."""
    root, _ = built
    state, documents = root / STATE_DIR, root / DOCUMENTS_DIR
    monkeypatch.setattr(incremental, "ANSWER_APART_FROM", 1)
    monkeypatch.setattr(incremental, "LOOK_AHEAD_FROM", 1 << 40)
    assert incremental.looking_ahead(state, documents=documents, directory_urls=True) is None  # a record this small: no child
    monkeypatch.setattr(incremental, "LOOK_AHEAD_FROM", 0)
    record = Record.read(state / RENDER_DIR)
    renderer = cast(Renderer, _Answers(record.queries, set()))
    kept_page = state / RENDER_DIR / FILES_DIR / "people%2Fkbenali%2Findex.html"
    before = kept_page.read_bytes()
    for record_again in (False, True):
        looked = incremental.looking_ahead(state, documents=documents, directory_urls=True)
        assert looked is not None
        looked.ready(30)  # done looking: her kept page is written over after
        kept_page.write_bytes(b"<p>not a page")
        if record_again:  # the same record written again since (another build): what the child read is not this one
            (state / RENDER_DIR / RECORD_FILE).write_bytes((state / RENDER_DIR / RECORD_FILE).read_bytes())
        foreseen = incremental.Foreseen(state, renderer, {}, apart=True, documents=documents, looked=looked)
        try:
            assert foreseen.stale() == ({"people/kbenali.md"} if record_again else set())
            assert foreseen.undocumented() == set()
        finally:
            foreseen.stop()
            kept_page.write_bytes(before)
    # Not used (a record too small for Foreseen's child): the early look is ended, not left running.
    monkeypatch.setattr(incremental, "ANSWER_APART_FROM", 1 << 40)
    looked = incremental.looking_ahead(state, documents=documents, directory_urls=True)
    assert looked is not None
    stopped: list[bool] = []
    monkeypatch.setattr(looked, "stop", lambda: stopped.append(True))
    incremental.Foreseen(state, renderer, {}, apart=True, documents=documents, looked=looked)
    assert stopped == [True]


def test_the_answers_asked_of_the_record_are_the_records_but_those_found_otherwise() -> None:
    asked = numpy.array([True, False, True, True])
    answers = incremental._Asked(asked, {2: "now", 3: None}, ["a", "b", "c", "d"])
    assert dict(answers) == {0: "a", 2: "now", 3: None} and len(answers) == 3
    assert 1 not in answers and -1 not in answers and 4 not in answers and None not in answers and "0" not in answers
    assert answers.get(1, "unasked") == "unasked" and answers.get(3, "unasked") is None
    with pytest.raises(KeyError):
        answers[1]


@needs_fork
def test_the_files_a_child_writes_beside_mkdocs_are_those_mkdocs_writes(built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """From FOLDERS_APART_FROM pages on, a child writes the features' files that MkDocs writes below (calendars, the feed, scripts): the same bytes."""
    root, site = built  # the demo is under the threshold: MkDocs wrote them
    told = tmp_path / "written"
    real = write.write_files

    def telling(files: list[tuple[str, str | bytes]], site_dir: Path) -> int:
        told.write_text("\n".join(path for path, _ in files), encoding="utf-8")  # from the child, which shares no list with this process
        return real(files, site_dir)

    monkeypatch.setattr(write, "FOLDERS_APART_FROM", 1)
    monkeypatch.setattr(write, "write_files", telling)
    ahead = tmp_path / "ahead"
    shutil.copytree(root, ahead, ignore=shutil.ignore_patterns("site", ".trombi"))
    written = _snapshot(build_site(ahead, ahead / "site"))
    by_child = told.read_text(encoding="utf-8").split("\n")
    assert any(path.endswith(".ics") for path in by_child) and "feed.xml" in by_child and "assets/trombi.css" in by_child
    assert set(by_child) <= set(written)
    assert written == _snapshot(site)


def _folders(site: Path) -> list[str]:
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_dir())


@needs_fork
def test_the_people_s_folders_made_ahead_of_mkdocs_make_the_same_site(built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """From FOLDERS_APART_FROM pages on, a child makes the people's folders from the build's start, moved into the site once MkDocs emptied it."""
    root, site = built  # the demo is under the threshold: its folders were made as its pages were written
    brought: list[bool] = []
    real = write.bring_ahead

    def bringing(site_dir: Path, child: InChild[int]) -> bool:
        assert sorted(os.listdir(site_dir)) == [write.AHEAD_DIR], "MkDocs has emptied the site, and written nothing yet"
        brought.append(real(site_dir, child))
        return brought[-1]

    monkeypatch.setattr(write, "FOLDERS_APART_FROM", 1)
    monkeypatch.setattr("generator.engine.publish.bring_ahead", bringing)
    ahead = tmp_path / "ahead"
    shutil.copytree(root, ahead, ignore=shutil.ignore_patterns("site", ".trombi"))
    made = build_site(ahead, ahead / "site")
    assert brought == [True]
    assert _snapshot(made) == _snapshot(site)
    assert _folders(made) == _folders(site)  # no folder of its own left: none for a file that is not a person, nor its hidden one
    # And with the state of that build, a merge: the same site as the same merge of the other.
    _title(ahead)
    _title(root)
    assert _snapshot(build_site(ahead, made)) == _snapshot(build_site(root, site))
    assert brought == [True] * 3 and _folders(made) == _folders(site)


def _people(folder: Path, *handles: str) -> Path:
    """A folder of people's files for ``handles``, empty ones: their folders are made from their names alone."""
    folder.mkdir(parents=True)
    for handle in handles:
        (folder / f"{handle}.yaml").write_text("", encoding="utf-8")
    return folder


@needs_fork
def test_folders_made_ahead_where_mkdocs_did_not_empty_the_site_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(write, "FOLDERS_APART_FROM", 3)
    site = tmp_path / "site"
    (site / write.AHEAD_DIR / "people" / "gone").mkdir(parents=True)  # left by a build that was killed
    (site / "people" / "ana").mkdir(parents=True)  # a dirty build: the last site is still there
    (site / "people" / "ana" / "index.html").write_text("kept", encoding="utf-8")
    child = write.person_folders_ahead(_people(tmp_path / "people", "ana", "bo", "cy"), site, directory_urls=True)
    assert child is not None
    assert write.bring_ahead(site, child) is False
    assert sorted(os.listdir(site)) == ["people"] and sorted(os.listdir(site / "people")) == ["ana"]
    assert (site / "people" / "ana" / "index.html").read_text(encoding="utf-8") == "kept"
    assert multiprocessing.active_children() == []


@needs_fork
def test_folders_made_ahead_go_into_the_site_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(write, "FOLDERS_APART_FROM", 3)
    site = tmp_path / "site"
    (site / write.AHEAD_DIR / "people" / "gone").mkdir(parents=True)  # left by a build that was killed: not this build's
    handles = ["ana", "bo", "cy"]
    people = _people(tmp_path / "people", *handles)
    child = write.person_folders_ahead(people, site, directory_urls=True)
    assert child is not None and write.bring_ahead(site, child) is True
    assert child.result() == len(handles)
    assert os.listdir(site) == ["people"] and sorted(os.listdir(site / "people")) == sorted(handles)
    assert write.person_folders_ahead(people, tmp_path / "flat", directory_urls=False) is None  # people/ana.html: no folder of their own
    assert write.person_folders_ahead(_people(tmp_path / "two", "ana", "bo"), tmp_path / "few", directory_urls=True) is None
    assert write.person_folders_ahead(tmp_path / "none", tmp_path / "missing", directory_urls=True) is None  # no people's folder
    assert not any((tmp_path / name).exists() for name in ("flat", "few", "missing"))


def test_the_handles_listed_ahead_are_the_people_s_files(tmp_path: Path) -> None:
    for name in ("ana.yaml", "bo.yaml", "index.yaml", "page-2.yaml", "Not A Handle.yaml", "notes.txt", "draft.yml"):
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "folder.yaml").mkdir()
    (tmp_path / "link.yaml").symlink_to(tmp_path / "ana.yaml")
    assert write.person_handles(tmp_path) == ["ana", "bo"]


def test_make_folders_makes_each_folder_once_parents_first(tmp_path: Path) -> None:
    (tmp_path / "people" / "ana").mkdir(parents=True)  # there already: left as it is
    (tmp_path / "people" / "ana" / "index.html").write_text("kept")
    files = ["index.html", "people/ana/index.html", "people/bo/index.html", "skills/cloud/aws/index.html", "people/index.html", "api/people/bo.json"]
    assert write.make_folders(files, tmp_path) == 6  # the site's own, people, its two people's, skills/cloud/aws, api/people
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_dir()) == [
        "api",
        "api/people",
        "people",
        "people/ana",
        "people/bo",
        "skills",
        "skills/cloud",
        "skills/cloud/aws",
    ]
    assert (tmp_path / "people" / "ana" / "index.html").read_text() == "kept"


def _kept_files(tmp_path: Path, files: dict[str, str]) -> tuple[incremental.Kept, list[incremental.Unit]]:
    kept = incremental.Kept(tmp_path / "render", None)
    kept.files_dir.mkdir(parents=True)
    for file, text in files.items():
        (kept.files_dir / incremental.kept_name(file)).write_text(text, encoding="utf-8")
    return kept, [incremental.Unit(file, "context", (file,)) for file in files]


KEPT = {"index.html": "home", "people/ana/index.html": "ana", "people/bo/index.html": "bo", "api/people/bo.json": "{}", "people/ana/ana.vcf": "card"}


@pytest.mark.parametrize("links", [True, False], ids=["linked", "copied where links fail"])
def test_kept_files_are_placed_in_their_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, links: bool) -> None:
    kept, units = _kept_files(tmp_path, KEPT)
    site = tmp_path / "site"
    (site / "people" / "bo").mkdir(parents=True)  # made ahead (write.make_folders), or not
    if not links:

        def no_links(*args: object, **kwargs: object) -> None:
            raise OSError(errno.EXDEV, "Invalid cross-device link")

        monkeypatch.setattr(incremental.os, "link", no_links)
    assert incremental.place_kept(kept, units, site) == len(KEPT)
    assert {path.relative_to(site).as_posix(): path.read_text(encoding="utf-8") for path in site.rglob("*") if path.is_file()} == KEPT
    assert {(site / file).stat().st_nlink for file in KEPT} == {2 if links else 1}


def test_kept_files_the_site_holds_are_trusted_only_while_their_folder_is_as_it_was_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A spare's links to the kept files are left without asking each its inode while the folder of kept files has not changed since it was listed."""
    kept, units = _kept_files(tmp_path, KEPT)
    site = tmp_path / "site"
    for file in KEPT:  # the spare's links, as the clearing left them
        (site / file).parent.mkdir(parents=True, exist_ok=True)
        os.link(kept.files_dir / incremental.kept_name(file), site / file)
    there = {file: (site / file).stat().st_ino for file in KEPT}
    # Just written: no stamp yet, as a change made in the same tick of the kernel's clock would not be told.
    assert incremental.folder_stamp(kept.files_dir) is None
    assert incremental.folder_stamp(tmp_path / "no-such-folder") is None
    monkeypatch.setattr(incremental, "QUIET", 0)
    listed = incremental.folder_stamp(kept.files_dir)
    assert listed is not None
    asked: list[str] = []
    lstat = os.lstat
    monkeypatch.setattr(incremental.os, "lstat", lambda path, *args, **kwargs: asked.append(str(path)) or lstat(path, *args, **kwargs))
    assert incremental.placing(kept, units, site, there, listed).result() == len(units)
    assert not [path for path in asked if path.startswith(str(kept.files_dir) + os.sep)]  # no kept file asked again
    # A kept file made again since the listing (another build): the folder says so, and the site gets the new one.
    time.sleep(0.05)  # a later tick of the kernel's clock, as QUIET makes sure of in a build
    (kept.files_dir / "new").write_text("bo again", encoding="utf-8")
    os.replace(kept.files_dir / "new", kept.files_dir / incremental.kept_name("people/bo/index.html"))
    assert incremental.placing(kept, units, site, there, listed).result() == len(units)
    assert (site / "people" / "bo" / "index.html").read_text(encoding="utf-8") == "bo again"
    assert {(site / file).stat().st_nlink for file in KEPT} == {2}


def test_a_long_lived_process_reads_again_only_the_files_saved_since(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`trombi serve` keeps each file checked with its identity on disk; a file saved since, even to the same size, is read again."""
    from generator.directory import perfile
    from generator.directory.settings import load_settings
    from generator.directory.validate import validate_directory

    monkeypatch.setattr(perfile, "_remembered", {})
    root = _demo(tmp_path / "repo")
    settings = load_settings(root)
    read: list[str] = []
    check = perfile.check_file
    monkeypatch.setattr(perfile, "check_file", lambda path, *args, **kwargs: read.append(path.name) or check(path, *args, **kwargs))
    first, problems = validate_directory(settings)
    assert not problems and len(read) == len(first.people) + len(first.groups)
    read.clear()
    _replace(root / "people" / "fkeita.yaml", "title: UX researcher", "title: UX Researcher")  # the same size
    (root / "people" / "new-person.yaml").write_text((root / "people" / "fkeita.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    second, problems = validate_directory(settings)
    assert sorted(read) == ["fkeita.yaml", "new-person.yaml"]
    assert second.people["fkeita"].title == "UX Researcher" and "new-person" in second.people
    read.clear()
    (root / "people" / "new-person.yaml").unlink()
    third, _ = validate_directory(settings)
    assert read == [] and "new-person" not in third.people


def test_trombi_build_says_in_one_line_why_it_renders_every_page(tmp_path: Path) -> None:
    root = _demo(tmp_path / "repo")
    environment = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)}
    build = [sys.executable, "-m", "generator.cli.main", "build", "--root", str(root)]
    first = subprocess.run(build, env=environment, capture_output=True, text=True, check=True)
    assert "état" not in first.stderr  # a first build has nothing to say about an earlier one
    (root / STATE_DIR / RENDER_DIR / RECORD_FILE).write_text("garbage", encoding="utf-8")
    again = subprocess.run(build, env=environment, capture_output=True, text=True, check=True)
    said = [line for line in again.stderr.splitlines() if line.startswith("état")]
    assert said == ["état\u202f: le relevé des pages de la construction précédente est illisible\u202f: toutes les pages sont produites"]
    quiet = subprocess.run(build, env=environment, capture_output=True, text=True, check=True)
    assert not [line for line in quiet.stderr.splitlines() if line.startswith("état")]


def test_a_query_is_settled_by_its_files_digests_only_when_they_are_the_same() -> None:
    day = date(2026, 12, 1)
    before = incremental.inputs_of({"Person:ana": "a1", "Person:bo": "b1", "Person:gone": "g1", "Group:dev": "d1"}, day)
    now = incremental.inputs_of({"Person:ana": "a1", "Person:bo": "b2", "Person:cy": "c1", "Group:dev": "d1"}, day)
    answered = incremental.settled(before, now)
    assert answered(("item", "people", "ana")) and answered(("item", "groups", "dev"))
    assert not any(answered(("item", "people", handle)) for handle in ("bo", "cy", "gone", "nobody")), "changed, new, gone or unknown: asked"
    assert answered(("all", "groups")) and not answered(("all", "people"))
    assert answered(("call", "nudge", "ana", date(2026, 1, 2))) and not answered(("call", "nudge", "bo", date(2026, 1, 2)))
    # Anything that reads more than one file is asked, whatever the digests.
    others = [("call", "colleagues", "ana"), ("item", "reports", "ana"), ("item", "groups_of", "ana"), ("org", "roots"), ("org.call", "manager_chain", "ana")]
    assert not any(map(answered, others))
    tomorrow = incremental.settled(before, incremental.inputs_of({"Person:ana": "a1", "Group:dev": "d1"}, date(2026, 12, 2)))
    assert tomorrow(("item", "people", "ana")) and not tomorrow(("call", "nudge", "ana", date(2026, 1, 2))), "the reminder says how long ago"
    group_added = incremental.settled(before, incremental.inputs_of({"Person:ana": "a1", "Group:dev": "d1", "Group:ops": "o1"}, day))
    assert group_added(("item", "groups", "dev")) and not group_added(("all", "groups"))
    group_gone = incremental.settled(before, incremental.inputs_of({"Person:ana": "a1"}, day))
    assert not group_gone(("all", "groups"))
    # A file's last change is settled by the commit that made it; whether a profile is stale, by that commit and the day.
    when = datetime(2025, 1, 2, tzinfo=UTC)
    commits = {"people/ana.yaml": Change(when, "Ana", "c1"), "people/bo.yaml": Change(when, "Bo", "c2")}
    digests = {"Person:ana": "a1", "Person:bo": "b1"}
    made = incremental.inputs_of(digests, day, commits)
    again = incremental.settled(made, incremental.inputs_of(digests, day, {**commits, "people/bo.yaml": Change(when, "Bo", "c3")}))
    assert again(("call", "last_change", "people/ana.yaml")) and again(("call", "is_stale", "people/ana.yaml"))
    assert not again(("call", "last_change", "people/bo.yaml")) and not again(("call", "is_stale", "people/bo.yaml")), "a new commit changed it"
    assert not again(("call", "last_change", "people/cy.yaml")), "a file git does not know: asked"
    later = incremental.settled(made, incremental.inputs_of(digests, date(2026, 12, 2), commits))
    assert later(("call", "last_change", "people/ana.yaml")) and not later(("call", "is_stale", "people/ana.yaml")), "stale as of another day"
    # No digest taken (a long-lived process that remembers its files instead): nothing is settled.
    assert incremental.inputs_of({}, day) == {} and incremental.inputs_of({}, day, commits) == {}
    assert not incremental.settled(before, {})(("item", "people", "ana")) and not incremental.settled({}, now)(("item", "people", "ana"))


def test_who_works_with_whom_is_settled_by_the_tables_that_say_it(tmp_path: Path) -> None:
    """A title or a skill moves nobody; a new manager moves the chains and the colleagues, not the groups."""
    root = _demo(tmp_path / "repo")

    def inputs() -> dict[str, str]:
        org = enrich(validate_directory(load_settings(root))[0])
        return incremental.inputs_of({"Person:ana": "a1"}, date(2026, 12, 1), None, incremental.tables_of(org))

    first = inputs()
    tables = ("reports", "team_members", "group_members", "groups_of", "children", "teams", "managers", "parents", "types", "hidden")
    assert {key for key in first if key.startswith(incremental.TABLE)} == {incremental.TABLE + name for name in tables}
    structural = [
        ("call", "colleagues", "fkeita"),
        ("org.call", "manager_chain", "fkeita"),
        ("item", "reports", "jmorel"),
        ("item", "groups_of", "fkeita"),
        ("org.call", "members_of", "design"),
        ("org.call", "listed", ("fkeita", "jmorel")),
        ("org.call", "group_chain", "design"),
        ("all", "children"),
    ]
    _title(root)
    _skill(root)
    assert all(map(incremental.settled(first, inputs()), structural)), "nobody moved"
    _manager(root)
    moved = incremental.settled(first, inputs())
    assert not any(map(moved, structural[:3])), "her chain, her colleagues and both managers' reports are asked again"
    assert all(map(moved, structural[3:])), "her groups and the groups' members are as they were"
    _replace(root / "people" / "jmorel.yaml", "\nname:", "\nsearch: hidden\nname:")
    hidden = incremental.settled(first, inputs())
    assert not hidden(("org.call", "listed", ("fkeita", "jmorel"))) and not hidden(("call", "colleagues", "fkeita"))
    assert not incremental.settled(first, incremental.inputs_of({"Person:ana": "a1"}, date(2026, 12, 1)))(structural[0]), "a build that weighed no table asks"


def test_the_next_build_asks_again_only_what_its_changed_files_may_answer_otherwise(built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root, site = built
    record = Record.read(root / STATE_DIR / RENDER_DIR)
    assert record.inputs["Person:fkeita"] and record.inputs["Group:design"], "the record keeps what the build was made of"
    asked: list[tuple[object, ...]] = []
    answer = Renderer.answer_or_none

    def counted(self: Renderer, query: tuple[object, ...]) -> str | None:
        asked.append(query)
        return answer(self, query)

    monkeypatch.setattr(Renderer, "answer_or_none", counted)
    _title(root)
    build_site(root, site)
    people = {query[2] for query in asked if query[:2] == ("item", "people") and query[2] is not None}  # None: a manager left blank, no file
    assert people == {"fkeita"}, "only her entry is asked again: every other profile's file is as it was"
    assert ("all", "groups") not in asked and not any(query[:2] == ("call", "nudge") and query[2] != "fkeita" for query in asked)
    assert any(query[:2] == ("call", "helpers_for") for query in asked), "what reads more than her file is asked"
    structural = [query for query in asked if query[:2] in (("call", "colleagues"), ("org.call", "manager_chain"), ("item", "reports"), ("item", "groups_of"))]
    assert not structural, "a title moves nobody: who works with whom is as it was"
    assert not any(query[:2] in (("call", "last_change"), ("call", "is_stale")) for query in asked), "no commit since: every last change is as it was"
    assert "Lead UX researcher" in (site / "people" / "jmorel" / "index.html").read_text(encoding="utf-8")


def test_a_build_on_another_day_is_the_full_build_of_that_day_byte_for_byte(built: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The day moves the reminders to update a stale profile ("last updated 8 months ago"), which a person's file alone does not settle."""
    root, site = built
    later = str(EPOCH + 200 * COMMIT_DAY)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", later)
    build_site(root, site)
    _as_a_full_build(root, site, tmp_path)
