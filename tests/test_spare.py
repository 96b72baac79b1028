"""The site a build replaces is kept as the spare, and the next build starts from it: the same site
as a build from an empty folder, folder for folder, whatever the spare holds, and the site published
meanwhile is never written through."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from generator.build import spare
from generator.build.incremental import RENDER_DIR, kept_name
from generator.build.state import SPARE, STATE_DIR
from generator.engine.publish import ValidationFailed, build_site
from generator.parallel import InChild
from generator.site.sitedir import SPARE_DIR
from tests.test_incremental import EPOCH, _demo, _replace, _title


def _tree(site: Path) -> dict[str, bytes | None]:
    """Every file of ``site`` with its bytes, and every folder (None): a site is its folders too."""
    found: dict[str, bytes | None] = {}
    for folder, folders, files in os.walk(site):
        base = Path(folder)
        for name in folders:
            found[(base / name).relative_to(site).as_posix()] = None
        for name in files:
            path = base / name
            found[path.relative_to(site).as_posix()] = b"link" if path.is_symlink() else path.read_bytes()
    return found


def _full(root: Path, tmp_path: Path) -> dict[str, bytes | None]:
    """What a build from nothing makes of ``root`` (a copy without its site and state)."""
    full = tmp_path / "full"
    shutil.rmtree(full, ignore_errors=True)
    shutil.copytree(root, full, ignore=shutil.ignore_patterns("site", ".trombi"))
    return _tree(build_site(full, full / "site"))


@pytest.fixture
def twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The demo built twice: its site, and the first one kept as the spare."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    root = _demo(tmp_path / "repo")
    site = build_site(root, root / "site")
    assert not (root / STATE_DIR / SPARE).exists()  # nothing was replaced
    _title(root)
    build_site(root, site)
    assert (root / STATE_DIR / SPARE / "index.html").is_file()
    return root, site


def test_the_next_build_starts_from_the_spare_and_makes_the_site_a_full_build_makes(twice: tuple[Path, Path], tmp_path: Path) -> None:
    root, site = twice
    spare_folder = root / STATE_DIR / SPARE
    people = (spare_folder / "people").stat().st_ino
    published = _tree(site)
    _replace(root / "people" / "fkeita.yaml", "title: Lead UX researcher", "title: Head of UX research")
    (root / "people" / "abenaissa.yaml").unlink()  # a person gone: their folder goes too
    build_site(root, site)
    assert (site / "people").stat().st_ino == people  # the spare's folders were taken in
    assert not (site / "people" / "abenaissa").exists()
    assert _tree(site) == _full(root, tmp_path)
    assert _tree(spare_folder) == published  # the site replaced, as it was published: never written through


def test_a_page_that_mkdocs_renders_now_is_not_written_through_the_spare(twice: tuple[Path, Path], tmp_path: Path) -> None:
    root, site = twice
    published = _tree(site)
    # A hand-written page that links to a person's page: MkDocs renders it now, where the spare holds the build's own.
    with (root / "docs" / "contribuer.md").open("a", encoding="utf-8") as page:
        page.write("\nVoir [Fatou](people/fkeita.md).\n")
    build_site(root, site)
    assert _tree(site) == _full(root, tmp_path)
    assert _tree(root / STATE_DIR / SPARE) == published


def test_whatever_the_spare_holds_the_site_is_the_full_build(twice: tuple[Path, Path], tmp_path: Path) -> None:
    root, site = twice
    spare_folder = root / STATE_DIR / SPARE
    outside = tmp_path / "outside.html"
    outside.write_text("<p>not of the site</p>", encoding="utf-8")
    (spare_folder / "people" / "fkeita" / "planted.html").write_text("<p>planted</p>", encoding="utf-8")
    (spare_folder / "people" / "jmorel" / "index.html").unlink()
    (spare_folder / "people" / "jmorel" / "index.html").write_text("<p>a page of another content, not a link</p>", encoding="utf-8")
    (spare_folder / "people" / "kbenali" / "index.html").unlink()
    (spare_folder / "people" / "kbenali" / "index.html").symlink_to(outside)
    (spare_folder / "assets" / "to-outside").symlink_to(tmp_path, target_is_directory=True)
    (spare_folder / "an" / "empty" / "folder").mkdir(parents=True)
    (spare_folder / "people" / "nobody").mkdir()
    (spare_folder / "pagefind" / "planted.js").symlink_to(outside)
    (spare_folder / "pagefind" / "stale.pf_meta").write_bytes(b"of no bundle")
    build_site(root, site)
    assert _tree(site) == _full(root, tmp_path)
    assert outside.read_text(encoding="utf-8") == "<p>not of the site</p>"
    assert (tmp_path / "outside.html").exists()


def test_a_spare_without_the_kept_files_is_cleared_whole(twice: tuple[Path, Path], tmp_path: Path) -> None:
    root, site = twice
    shutil.rmtree(root / STATE_DIR / RENDER_DIR)
    build_site(root, site)
    assert _tree(site) == _full(root, tmp_path)


def test_a_spare_that_is_a_link_stops_the_build_as_any_link_in_the_state_and_is_not_followed(twice: tuple[Path, Path], tmp_path: Path) -> None:
    root, site = twice
    elsewhere = tmp_path / "elsewhere"
    (root / STATE_DIR / SPARE).rename(elsewhere)
    (root / STATE_DIR / SPARE).symlink_to(elsewhere, target_is_directory=True)
    before, published = _tree(elsewhere), _tree(site)
    with pytest.raises(ValidationFailed, match=r"\.trombi/spare.*\[symlink\]"):
        build_site(root, site)
    assert _tree(elsewhere) == before
    assert _tree(site) == published
    assert (root / STATE_DIR / SPARE).is_symlink()


def test_a_build_that_fails_puts_the_spare_back(twice: tuple[Path, Path]) -> None:
    root, site = twice
    spare_folder = root / STATE_DIR / SPARE
    people = (spare_folder / "people").stat().st_ino
    published = _tree(site)
    (root / "people" / "fkeita.yaml").write_text("name: [broken\n", encoding="utf-8")
    with pytest.raises(ValidationFailed):
        build_site(root, site)
    assert _tree(site) == published
    assert (spare_folder / "people").stat().st_ino == people
    assert not [entry for entry in root.iterdir() if entry.name.startswith(".site.")]  # no staging folder left


def test_clear_leaves_the_links_to_the_kept_files_and_the_files_no_other_name_shares(tmp_path: Path) -> None:
    files_dir, folder = tmp_path / "files", tmp_path / "spare"
    files_dir.mkdir()
    for sub in ("people/ana", "people/bob", "people/eve", "assets", "pagefind", "empty/below"):
        (folder / sub).mkdir(parents=True)
    (files_dir / kept_name("people/ana/index.html")).write_text("ana", encoding="utf-8")
    os.link(files_dir / kept_name("people/ana/index.html"), folder / "people" / "ana" / "index.html")
    (files_dir / kept_name("people/bob/index.html")).write_text("bob", encoding="utf-8")
    (folder / "people" / "bob" / "index.html").write_text("bob", encoding="utf-8")  # the same bytes, not the kept file: loose
    (folder / "assets" / "site.css").write_text("body {}", encoding="utf-8")
    (tmp_path / "elsewhere.css").write_text("shared", encoding="utf-8")
    os.link(tmp_path / "elsewhere.css", folder / "assets" / "shared.css")  # another name shares it: never written over
    (folder / "people" / "eve" / "index.html").symlink_to(tmp_path / "elsewhere.css")
    (folder / "pagefind" / "pagefind.js").write_text("js", encoding="utf-8")  # Pagefind's folder: left whole to Pagefind's writer
    retained, loose = spare.clear(folder, files_dir)
    assert retained == {"people/ana/index.html": (files_dir / kept_name("people/ana/index.html")).stat().st_ino}
    assert sorted(loose) == ["assets/site.css", "people/bob/index.html"]
    expected = {"people": None, "people/ana": None, "people/ana/index.html": b"ana", "people/bob": None, "people/bob/index.html": b"bob"}
    assert _tree(folder) == expected | {"assets": None, "assets/site.css": b"body {}", "pagefind": None, "pagefind/pagefind.js": b"js"}
    assert (tmp_path / "elsewhere.css").read_text(encoding="utf-8") == "shared"


def test_take_in_removes_the_kept_files_mkdocs_writes_over_and_settle_those_not_kept(tmp_path: Path) -> None:
    site, files_dir = tmp_path / "site", tmp_path / "files"
    files_dir.mkdir()
    earlier = tmp_path / "earlier"  # the site an earlier build replaced
    for path in ("people/ana/index.html", "people/bob/index.html", "about/index.html"):
        (files_dir / kept_name(path)).write_text(path, encoding="utf-8")
        (earlier / path).parent.mkdir(parents=True, exist_ok=True)
        os.link(files_dir / kept_name(path), earlier / path)
    (earlier / "people" / "old.html").write_text("a page no longer made", encoding="utf-8")
    (earlier / "about" / "feed.xml").write_text("<feed/>", encoding="utf-8")
    (earlier / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")  # at the top: not written over, removed
    time.sleep(0.05)  # past the kernel's clock tick: a build takes the spare later than the one before wrote it
    site.mkdir()
    earlier.rename(site / SPARE_DIR)
    since = (site / SPARE_DIR).stat().st_ctime_ns
    child = InChild(lambda: spare.Cleared(*spare.clear(site / SPARE_DIR, files_dir), since), apart=False)
    cleared = spare.take_in(site, child, ["about/index.html", "about/feed.xml"])
    assert sorted(cleared.loose) == ["about/feed.xml", "people/old.html"] and not (site / "sitemap.xml").exists()
    assert sorted(cleared.retained) == ["people/ana/index.html", "people/bob/index.html"]
    assert not (site / SPARE_DIR).exists() and not (site / "about" / "index.html").exists()
    assert (files_dir / kept_name("about/index.html")).read_text(encoding="utf-8") == "about/index.html"  # not written through
    emptied = spare.settle(site, cleared.retained, {"people/ana/index.html"})
    assert list(cleared.retained) == ["people/ana/index.html"] and emptied == ["people/bob"]
    time.sleep(0.05)  # past the kernel's clock tick
    (site / "about" / "feed.xml").write_text("<feed></feed>", encoding="utf-8")  # written over: kept
    spare.finish(site, cleared, emptied)
    expected = {"people": None, "people/ana": None, "people/ana/index.html": b"people/ana/index.html", "about": None, "about/feed.xml": b"<feed></feed>"}
    assert _tree(site) == expected
    assert (files_dir / kept_name("people/bob/index.html")).read_text(encoding="utf-8") == "people/bob/index.html"  # removed from the site only


@pytest.mark.parametrize("obstacle", ["a folder where a page goes", "a file where a folder goes"])
def test_a_spare_in_the_way_is_dropped_and_the_site_built_from_an_empty_folder(
    twice: tuple[Path, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture, obstacle: str
) -> None:
    root, site = twice
    spare_folder = root / STATE_DIR / SPARE
    if obstacle == "a folder where a page goes":
        page = spare_folder / "people" / "kbenali" / "index.html"
        page.unlink()
        page.mkdir()
        (page / "note.txt").write_text("a file no other name shares, kept by the clearing", encoding="utf-8")
    else:
        shutil.rmtree(spare_folder / "people" / "kbenali")
        (spare_folder / "people" / "kbenali").write_text("a file no other name shares", encoding="utf-8")
    with caplog.at_level("INFO", logger="trombi"):
        build_site(root, site)
    assert any("could not be used" in record.getMessage() or "n’a pas pu servir" in record.getMessage() for record in caplog.records)
    assert _tree(site) == _full(root, tmp_path)
    assert (root / STATE_DIR / SPARE / "index.html").is_file()  # the site replaced: the next build's spare
