"""Pagefind's bundles reused between builds: only a bundle whose documents changed is indexed again,
and the index is the same, byte for byte, as a fresh index of the same documents, whatever state the
cache was left in (files removed or changed, links planted, an entry half written)."""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import threading
import time
from pathlib import Path

import pytest

from generator.search import pagefind, pagefindcache, pagefindfiles
from generator.search.pagefind import OUTPUT_DIR, split_pages, write_pagefind_index
from generator.search.pagefindcache import FILES, MANIFEST

BUNDLE = 10  # pages a bundle: 40 people make 5 bundles
PEOPLE = 40


def _document(handle: str, version: int = 0) -> str:
    words = " ".join(f"mot{(sum(map(ord, handle)) * 7 + index + version) % 90:02d}" for index in range(12))
    skill = ("python", "kubernetes", "rust")[len(handle) % 3]
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"></head><body><main data-pagefind-body>'
        f'<h1 data-pagefind-meta="name">Personne {handle} v{version}</h1><p>{words}</p>'
        f'<span data-pagefind-filter="skill">{skill}</span></main></body></html>'
    )


def _page(handle: str) -> str:
    return f"people/{handle}/index.html"


class Runs:
    """Pagefind's runs, counted (and the pages each indexed) while calling the real binary."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pages: list[list[str]] = []
        real = pagefind._run

        def counting(executable: Path | str, source: Path, bundle: Path) -> None:
            self.pages.append(sorted(path.relative_to(source).as_posix() for path in source.rglob("*.html")))
            real(executable, source, bundle)

        monkeypatch.setattr(pagefind, "_run", counting)

    def since(self, mark: int) -> list[list[str]]:
        return self.pages[mark:]


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> Runs:
    return Runs(monkeypatch)


class Directory:
    """Documents as a build leaves them in ``.trombi/search-pages``, indexed into a site with the cache beside them."""

    def __init__(self, root: Path, people: dict[str, str]) -> None:
        self.root = root
        self.documents = root / ".trombi" / "search-pages"
        self.site = root / "site"
        self.cache = root / ".trombi" / "pagefind-bundles"
        self.people: dict[str, str] = {}
        for handle, text in people.items():
            self.write(handle, text)

    def write(self, handle: str, text: str) -> None:
        (self.documents / _page(handle)).parent.mkdir(parents=True, exist_ok=True)
        (self.documents / _page(handle)).write_text(text, encoding="utf-8")
        self.people[handle] = text

    def remove(self, handle: str) -> None:
        shutil.rmtree(self.documents / "people" / handle)
        del self.people[handle]

    def pages(self) -> list[str]:
        return [_page(handle) for handle in self.people]

    def index(self) -> pagefind.IndexStats:
        return write_pagefind_index(self.documents, self.site, self.pages(), bundle_pages=BUNDLE)

    def entries(self) -> list[Path]:
        return sorted(self.cache.iterdir())


@pytest.fixture
def directory(tmp_path: Path) -> Directory:
    return Directory(tmp_path / "directory", {f"p{number:02d}": _document(f"p{number:02d}") for number in range(PEOPLE)})


def tree(site: Path) -> dict[str, bytes]:
    """Every file of a site's Pagefind index, by path."""
    output = site / OUTPUT_DIR
    return {path.relative_to(output).as_posix(): path.read_bytes() for path in sorted(output.rglob("*")) if path.is_file()}


def fresh_index(people: dict[str, str], where: Path) -> dict[str, bytes]:
    """A full index of the same documents, written in another order, with no cache yet."""
    handles = list(people)
    random.Random(len(handles)).shuffle(handles)
    fresh = Directory(where, {handle: people[handle] for handle in handles})
    stats = fresh.index()
    assert stats.reused == 0
    return tree(fresh.site)


def bundle_of(directory: Directory, handle: str) -> list[str]:
    return next(bundle for bundle in split_pages(directory.pages(), BUNDLE) if _page(handle) in bundle)


def test_an_unchanged_index_is_all_reused_and_a_changed_document_indexes_its_bundle_only(directory: Directory, runs: Runs, tmp_path: Path) -> None:
    stats = directory.index()
    assert (stats.pages, stats.bundles, stats.reused, len(runs.pages)) == (PEOPLE, 5, 0, 5)
    first = tree(directory.site)
    assert len(directory.entries()) == 5

    stats = directory.index()
    assert (stats.pages, stats.bundles, stats.reused, len(runs.pages)) == (PEOPLE, 5, 5, 5)  # Pagefind did not run
    assert tree(directory.site) == first

    directory.write("p07", _document("p07", version=1))
    mark = len(runs.pages)
    stats = directory.index()
    assert runs.since(mark) == [bundle_of(directory, "p07")]
    assert (stats.pages, stats.reused) == (PEOPLE, 4)
    changed = tree(directory.site)
    assert changed != first
    assert changed == fresh_index(directory.people, tmp_path / "fresh")
    assert len(directory.entries()) == 5  # the entry of the bundle as it was is gone


def test_a_page_added_or_removed_indexes_its_own_bundle_only(directory: Directory, runs: Runs, tmp_path: Path) -> None:
    directory.index()
    directory.write("newcomer", _document("newcomer"))
    mark = len(runs.pages)
    assert directory.index().pages == PEOPLE + 1
    assert runs.since(mark) == [bundle_of(directory, "newcomer")]
    assert tree(directory.site) == fresh_index(directory.people, tmp_path / "added")

    leaving = bundle_of(directory, "p11")
    directory.remove("p11")
    mark = len(runs.pages)
    assert directory.index().pages == PEOPLE
    assert runs.since(mark) == [[page for page in leaving if page != _page("p11")]]
    assert tree(directory.site) == fresh_index(directory.people, tmp_path / "removed")
    assert len(directory.entries()) == 5


def test_what_decides_how_pagefind_indexes_is_in_the_key(directory: Directory, runs: Runs, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    directory.index()
    monkeypatch.setattr(pagefindfiles, "INDEX_CHUNK_SIZE", 50)
    mark = len(runs.pages)
    directory.index()
    assert len(runs.since(mark)) == 5
    assert tree(directory.site) == fresh_index(directory.people, tmp_path / "fresh")


def test_the_cache_is_taken_from_while_pagefind_indexes_the_changed_bundle(directory: Directory, runs: Runs, monkeypatch: pytest.MonkeyPatch) -> None:
    directory.index()
    directory.write("p07", _document("p07", version=1))
    indexing = threading.Event()
    real_run, real_restore = pagefind._run, pagefindcache.BundleCache.restore
    overlapped: list[bool] = []

    def run(executable: Path | str, source: Path, bundle: Path) -> None:
        indexing.set()
        real_run(executable, source, bundle)

    def restore(self: pagefindcache.BundleCache, key: str, target: Path) -> bool:
        overlapped.append(indexing.wait(timeout=60))  # one after the other, Pagefind would not have started
        return real_restore(self, key, target)

    monkeypatch.setattr(pagefind, "_run", run)
    monkeypatch.setattr(pagefindcache.BundleCache, "restore", restore)
    stats = directory.index()
    assert overlapped == [True] * 4
    assert stats.reused == 4


def test_the_entry_no_bundle_uses_any_more_is_removed_while_pagefind_indexes(directory: Directory, runs: Runs, monkeypatch: pytest.MonkeyPatch) -> None:
    directory.index()
    old = _entry_of(directory, "p07")
    directory.write("p07", _document("p07", version=1))
    real_run = pagefind._run
    gone_meanwhile: list[bool] = []

    def run(executable: Path | str, source: Path, bundle: Path) -> None:
        deadline = time.monotonic() + 60
        while old.exists() and time.monotonic() < deadline:  # removed by the build's own thread, or never: one after the other, it would wait here
            time.sleep(0.01)
        gone_meanwhile.append(not old.exists())
        real_run(executable, source, bundle)

    monkeypatch.setattr(pagefind, "_run", run)
    assert directory.index().reused == 4
    assert gone_meanwhile == [True]
    assert old not in directory.entries() and len(directory.entries()) == 5


def test_an_entry_checked_once_is_then_known_by_its_files_stamps_until_one_changes(directory: Directory, monkeypatch: pytest.MonkeyPatch) -> None:
    directory.index()
    expected = tree(directory.site)
    # Entries written long ago (a file's time tells its bytes only once the clock has moved on).
    for path in directory.cache.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns - 10 * pagefindcache.SETTLED_NS))
    digested: list[str] = []
    real = pagefindcache._read_file

    def counting(path: str) -> tuple[bytes, os.stat_result]:
        if f"/{FILES}/" in path:  # an entry's file, not its manifest or its stamps
            digested.append(path)
        return real(path)

    monkeypatch.setattr(pagefindcache, "_read_file", counting)
    assert directory.index().reused == 5
    files = sum(1 for path in directory.cache.rglob("*") if path.is_file() and FILES in path.parts)
    assert len(digested) == files  # each file read once, its stamp saved
    digested.clear()
    assert directory.index().reused == 5
    assert digested == [] and tree(directory.site) == expected
    _write_through_the_site(_entry_of(directory, "p07"), directory.root)  # the same size, written now
    assert directory.index().reused == 4
    assert len(digested) > 0 and tree(directory.site) == expected


class Reads:
    """The documents read to weigh the bundles, counted."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        real = pagefindcache._document

        def counting(path: str) -> tuple[bytes, os.stat_result] | None:
            self.paths.append(path)
            return real(path)

        monkeypatch.setattr(pagefindcache, "_document", counting)

    def count(self) -> int:
        done, self.paths = len(self.paths), []
        return done


def _settle(directory: Directory) -> None:
    """Date every document a minute back, as documents written by an earlier build are."""
    back = (os.stat(directory.documents).st_mtime_ns or 0) - 60 * 10**9
    for page in directory.pages():
        os.utime(directory.documents / page, ns=(back, back))


def test_a_build_reads_only_the_documents_written_since_the_last(directory: Directory, runs: Runs, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    reads = Reads(monkeypatch)
    _settle(directory)
    directory.index()
    assert reads.count() == PEOPLE  # nothing was known yet
    stats = directory.index()
    assert (reads.count(), stats.reused) == (0, 5)

    directory.write("p07", _document("p07", version=1))
    mark = len(runs.pages)
    directory.index()
    assert reads.count() == 1
    assert runs.since(mark) == [bundle_of(directory, "p07")]
    assert tree(directory.site) == fresh_index(directory.people, tmp_path / "fresh")
    reads.count()  # the fresh index's own

    # Written just now, p07's document is read again until its time is well past: the time it has
    # may be that of another write within the clock's grain.
    directory.index()
    assert reads.count() == 1


def test_a_document_rewritten_within_the_clocks_grain_is_never_taken_for_the_one_before(directory: Directory, runs: Runs, tmp_path: Path) -> None:
    _settle(directory)
    directory.write("p07", _document("p07", version=1))
    page = directory.documents / _page("p07")
    written = os.stat(page).st_mtime_ns
    directory.index()

    # The same size, other bytes, and the same time to the nanosecond: what a second write in the same tick of a coarse clock leaves.
    directory.write("p07", _document("p07", version=2))
    assert len(_document("p07", version=2)) == len(_document("p07", version=1))
    os.utime(page, ns=(written, written))
    mark = len(runs.pages)
    directory.index()
    assert runs.since(mark) == [bundle_of(directory, "p07")]
    assert tree(directory.site) == fresh_index(directory.people, tmp_path / "fresh")


@pytest.mark.parametrize("saved", ["{", '{"format": "trombi-search-digests/1", "documents": {"people/p07/index.html": [1, 2, "zz"]}}', "[]"])
def test_unreadable_digests_mean_reading_every_document(directory: Directory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, saved: str) -> None:
    _settle(directory)
    directory.index()
    (directory.documents.parent / pagefind.DIGESTS_FILE).write_text(saved, encoding="utf-8")
    reads = Reads(monkeypatch)
    stats = directory.index()
    assert (reads.count(), stats.reused) == (PEOPLE, 5)
    assert tree(directory.site) == fresh_index(directory.people, tmp_path / "fresh")


def _entry_of(directory: Directory, handle: str) -> Path:
    """The cache entry of the bundle that holds ``handle``'s page (its fragment names the page)."""
    url = f"/people/{handle}/".encode()
    found = [entry for entry in directory.entries() if any(url in gzip.decompress(path.read_bytes()) for path in (entry / FILES / "fragment").iterdir())]
    assert len(found) == 1
    return found[0]


def _an_index_file(entry: Path) -> Path:
    return sorted((entry / FILES / "index").iterdir())[0]


def _remove_a_file(entry: Path, outside: Path) -> None:
    _an_index_file(entry).unlink()


def _change_a_byte(entry: Path, outside: Path) -> None:
    path = _an_index_file(entry)
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0xFF  # the same size, other bytes
    path.write_bytes(bytes(content))


def _plant_a_link(entry: Path, outside: Path) -> None:
    # The same bytes, through a link: still refused, as the link could lead anywhere.
    path = _an_index_file(entry)
    shutil.copyfile(path, outside / "planted")
    path.unlink()
    path.symlink_to(outside / "planted")


def _add_a_file(entry: Path, outside: Path) -> None:
    (entry / FILES / "index" / "en_0000000.pf_index").write_bytes(b"not Pagefind's")


def _garble_the_manifest(entry: Path, outside: Path) -> None:
    (entry / MANIFEST).write_text('{"format": "trombi-pagefind-bundle/1", "files": [', encoding="utf-8")


def _drop_the_manifest(entry: Path, outside: Path) -> None:
    (entry / MANIFEST).unlink()


def _link_the_entry(entry: Path, outside: Path) -> None:
    # A whole, unchanged entry, but reached through a link.
    shutil.move(entry, outside / "entry")
    entry.symlink_to(outside / "entry", target_is_directory=True)


def _write_through_the_site(entry: Path, outside: Path) -> None:
    # Someone edits the published index in place: the site's file is a hard link to the entry's.
    site = entry.parent.parent.parent / "site" / OUTPUT_DIR
    name = _an_index_file(entry).name
    target = next(path for path in site.rglob(name))
    with open(target, "r+b") as file:
        file.seek(20)
        file.write(b"\x00\x00\x00")


DAMAGES = [_remove_a_file, _change_a_byte, _plant_a_link, _add_a_file, _garble_the_manifest, _drop_the_manifest, _link_the_entry, _write_through_the_site]


@pytest.mark.parametrize("damage", DAMAGES, ids=[damage.__name__.strip("_") for damage in DAMAGES])
def test_a_damaged_entry_is_indexed_anew_never_used(directory: Directory, runs: Runs, tmp_path: Path, damage: object) -> None:
    directory.index()
    expected = tree(directory.site)
    outside = tmp_path / "outside"
    outside.mkdir()
    entry = _entry_of(directory, "p07")
    damage(entry, outside)  # type: ignore[operator]
    planted = {path.relative_to(outside).as_posix(): path.read_bytes() for path in outside.rglob("*") if path.is_file()}

    mark = len(runs.pages)
    stats = directory.index()
    assert runs.since(mark) == [bundle_of(directory, "p07")]
    assert (stats.pages, stats.reused) == (PEOPLE, 4)
    assert tree(directory.site) == expected
    # The entry is whole again, a folder of its own; what a link led to is left as it was.
    assert entry.is_dir() and not entry.is_symlink()
    assert not any(path.is_symlink() for path in entry.rglob("*"))
    assert {path.relative_to(outside).as_posix(): path.read_bytes() for path in outside.rglob("*") if path.is_file()} == planted
    mark = len(runs.pages)
    assert directory.index().reused == 5
    assert runs.since(mark) == []


def test_a_cache_folder_that_is_a_link_is_replaced_not_followed(directory: Directory, runs: Runs, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("kept", encoding="utf-8")
    directory.cache.parent.mkdir(parents=True, exist_ok=True)
    directory.cache.symlink_to(elsewhere, target_is_directory=True)
    stats = directory.index()
    assert (stats.pages, stats.reused) == (PEOPLE, 0)
    assert directory.cache.is_dir() and not directory.cache.is_symlink()
    assert [path.name for path in elsewhere.iterdir()] == ["precious.txt"]


def test_an_entry_left_half_written_is_never_used_and_is_removed(directory: Directory, runs: Runs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory.index()
    expected = tree(directory.site)
    entry = _entry_of(directory, "p07")
    # A build stopped while it wrote the entry again: its scratch folder holds all but the last rename.
    scratch = directory.cache / f".tmp-{entry.name}-0"
    shutil.copytree(entry, scratch)
    shutil.rmtree(entry)
    mark = len(runs.pages)
    assert directory.index().reused == 4
    assert len(runs.since(mark)) == 1
    assert tree(directory.site) == expected
    assert not scratch.exists()
    assert len(directory.entries()) == 5

    # Pagefind fails: the build stops with its error, and leaves no scratch folder behind.
    def failing(executable: Path | str, source: Path, bundle: Path) -> None:
        raise pagefindfiles.PagefindError("Pagefind failed to index")

    monkeypatch.setattr(pagefind, "_run", failing)
    directory.write("p07", _document("p07", version=3))
    with pytest.raises(pagefindfiles.PagefindError):
        directory.index()
    assert [entry.name for entry in directory.entries() if entry.name.startswith(".")] == []


def test_the_site_links_to_the_cache_or_copies_it_where_links_fail(directory: Directory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    directory.index()
    linked = tree(directory.site)
    files = [path for path in (directory.site / OUTPUT_DIR).rglob("*") if path.is_file() and path.name != pagefind.PARTS_FILE]
    assert files and all(path.stat().st_nlink == 2 for path in files)

    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(pagefindcache.os, "link", no_links)
    shutil.rmtree(directory.site / OUTPUT_DIR)  # a site built anew: its links to the cache are not there to keep
    directory.index()  # every bundle copied from the cache
    assert tree(directory.site) == linked
    assert all(path.stat().st_nlink == 1 for path in (directory.site / OUTPUT_DIR).rglob("*") if path.is_file())
    directory.write("p07", _document("p07", version=1))
    directory.index()  # one bundle indexed, then copied
    assert tree(directory.site) == fresh_index(directory.people, tmp_path / "fresh")


def test_an_entry_is_its_files_and_a_manifest_naming_each(directory: Directory) -> None:
    directory.index()
    for entry in directory.entries():
        assert sorted(path.name for path in entry.iterdir()) == sorted([FILES, MANIFEST])
        files = sorted(path.relative_to(entry / FILES).as_posix() for path in (entry / FILES).rglob("*") if path.is_file())
        manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
        assert (manifest["key"], [path for path, _, _ in manifest["files"]]) == (entry.name, files)
        assert not any(path.is_symlink() for path in entry.rglob("*"))


def test_a_file_already_in_the_site_is_replaced_never_written_through(directory: Directory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    directory.index()
    entry = _entry_of(directory, "p07")
    files = sorted(path.relative_to(entry / FILES).as_posix() for path in (entry / FILES).rglob("*") if path.is_file())
    target = tmp_path / "target"
    (target / files[0]).parent.mkdir(parents=True)
    other = tmp_path / "other"
    other.write_bytes(b"another file's bytes")
    os.link(other, target / files[0])  # the site's file is a hard link to something else
    monkeypatch.setattr(pagefindcache.os, "link", lambda *args, **kwargs: (_ for _ in ()).throw(OSError(18, "Invalid cross-device link")))
    assert pagefindcache.BundleCache(directory.cache).restore(entry.name, target)
    assert other.read_bytes() == b"another file's bytes"
    assert (target / files[0]).read_bytes() == (entry / FILES / files[0]).read_bytes()


def test_an_index_written_over_an_earlier_one_keeps_its_bundles_files_and_is_a_fresh_index(directory: Directory, runs: Runs, tmp_path: Path) -> None:
    directory.index()
    output = directory.site / OUTPUT_DIR
    kept = {path.relative_to(output).as_posix(): path.stat().st_ino for path in output.rglob("*") if path.is_file() and path.name != "parts.json"}
    outside = tmp_path / "outside.js"
    outside.write_text("not of the index", encoding="utf-8")
    (output / "stale.pf_meta").write_bytes(b"a file of no bundle")
    (output / "part-9" / "fragment").mkdir(parents=True)  # the folder of a bundle there is no longer
    (output / "part-9" / "fragment" / "x.pf_fragment").write_bytes(b"old")
    (output / "linked.js").symlink_to(outside)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(output / "part-2" / "fragment")
    (output / "part-2" / "fragment").symlink_to(elsewhere, target_is_directory=True)  # a link where a bundle's folder goes
    first = sorted(kept)[0]
    (output / first).unlink()
    (output / first).write_bytes(b"not the bundle's file")  # another file at a bundle's path
    directory.write("p07", _document("p07", version=1))
    directory.index()
    assert tree(directory.site) == fresh_index(directory.people, tmp_path / "fresh")
    assert not (output / "part-9").exists() and not (output / "linked.js").exists()
    assert outside.read_text(encoding="utf-8") == "not of the index" and not any(elsewhere.iterdir())
    assert not (output / "part-2" / "fragment").is_symlink()
    after = {path.relative_to(output).as_posix(): path.stat().st_ino for path in output.rglob("*") if path.is_file()}
    # The files of the bundles that did not change are where they were, the same files.
    unchanged = [path for path, inode in kept.items() if after.get(path) == inode]
    assert len(unchanged) > len(kept) // 2
