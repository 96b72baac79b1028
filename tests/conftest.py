"""Shared fixtures: small directories built in tmp_path from the files in tests/data."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from generator.parallel import can_fork

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent

# Work forked as a build forks it: Linux's way (generator/parallel.py).
needs_fork = pytest.mark.skipif(not can_fork(), reason="fork is Linux's")

# Noindex on a page read with read_page, whatever the order of the attributes.
NOINDEX = re.compile(r'<meta (?=[^>]*\bname="robots")(?=[^>]*\bcontent="noindex, nofollow")')
# A person's card in a list, read with read_page: the avatar, then the link to the person's page.
CARD = re.compile(r"<li><(?:i|img)\b[^>]*>(?:[^<]*</i>)?<a href=")


# Modules whose tests build real sites, serve them, drive Chromium, run git and the CLI in
# subprocesses or install packages: `make check` leaves them to `make test`.
INTEGRATION = frozenset(
    {
        "test_bench", "test_bounds", "test_calendar", "test_cli", "test_exits", "test_exports", "test_hostile", "test_links",
        "test_lint", "test_news", "test_ownership", "test_page_weight", "test_pr_attacks", "test_precommit", "test_privacy",
        "test_progress", "test_publishing", "test_reproducible", "test_search_cli", "test_serve", "test_site", "test_sitepages",
        "test_site_golden", "test_synth", "test_whatever_validates_builds", "test_wheel", "test_workflows",
    }
)  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.fspath))
        if path.stem in INTEGRATION or path.parent.name == "browser":
            item.add_marker(pytest.mark.integration)


def make_directory(target: Path, *overlays: Path) -> Path:
    """Copy tests/data/base into ``target``, then each overlay on top of it (files replace files)."""
    shutil.copytree(DATA / "base", target, dirs_exist_ok=True)
    for overlay in overlays:
        for source in sorted(overlay.rglob("*")):
            if source.is_file() and source.name not in ("expected.txt", "README.md"):
                destination = target / source.relative_to(overlay)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, destination)
    for marker in target.rglob("*.delete"):
        (marker.with_suffix("")).unlink(missing_ok=True)
        marker.unlink()
    return target


@pytest.fixture
def directory(tmp_path: Path) -> Callable[..., Path]:
    """Build a small valid directory (tests/data/base plus overlays) and return its root."""

    def build(*overlays: Path) -> Path:
        return make_directory(tmp_path / "directory", *overlays)

    return build


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write a file under the directory root made by the ``directory`` fixture."""

    def write_file(relative: str, content: str | bytes) -> Path:
        path = tmp_path / "directory" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write_file


def write_config(root: Path, *, language: str = "fr", site_name: str = "Test Co", extra: str = "") -> Path:
    """A mkdocs.yml for a directory made in tmp_path, using this repository's hook."""
    hook = (REPO / "hooks" / "trombi.py").as_posix()
    config = f"""site_name: {site_name}
repo_url: https://git.example/acme/trombi
edit_uri: edit/main/docs/
theme:
  name: material
  language: {language}
  font: false
hooks:
  - {hook}
plugins: []
markdown_extensions:
  - attr_list
  - md_in_html
  - admonition
watch:
  - people
  - groups
  - skills.yaml
extra:
  trombi:
    sites: [Lyon, Paris, Télétravail]
{extra}"""
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    return root


def site_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.is_file())


class _Quoted(HTMLParser):
    """Writes HTML back with attribute values in double quotes and text escaped, as the templates write them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.raw = False  # in a <script> or <style>, whose text is not escaped

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(f"<{tag}{_attributes(attrs)}>")
        self.raw = tag in ("script", "style")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(f"<{tag}{_attributes(attrs)}/>")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        self.raw = False

    def handle_data(self, data: str) -> None:
        self.out.append(data if self.raw else str(escape(data)))

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")


def _attributes(attrs: list[tuple[str, str | None]]) -> str:
    return "".join(f" {name}" if value is None else f' {name}="{escape(value)}"' for name, value in attrs)


def quoted(html: str) -> str:
    """A published page with its attribute values in double quotes and its text escaped again.

    The site is minified (``generator.site.sitepages.compact``): most values lose their quotes, text
    keeps only the escapes it needs, and the attributes of a tag may change order. Tests that look
    for a link, an attribute or a value as the templates escape it read the page through this;
    what is said of the attributes' order or of end tags is checked on the page itself.
    """
    parser = _Quoted()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


def read_page(path: Path) -> str:
    """A built page, attribute values in double quotes (see :func:`quoted`)."""
    return quoted(path.read_text(encoding="utf-8"))
