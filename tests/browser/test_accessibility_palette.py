"""A palette that fails contrast as written (``primary: yellow``, ``accent: yellow``): the build makes it readable and says so; every page kind passes axe."""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.accessibility import PAGE_KINDS, axe_failures, page_files, scroll_failures, tools, vnu
from tests.conftest import REPO

__all__ = ["tools"]  # the module's fixture: the checks' tools are there, or the tests fail (CI) or skip

SAID: list[str] = []  # what the yellow site's build said


@pytest.fixture(scope="module")
def yellow_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with a palette whose colours fail contrast as written, built as a company would."""
    from generator.engine.publish import build_site

    root = tmp_path_factory.mktemp("yellow")
    for name in ("people", "groups", "docs", "pairings", "hooks"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    shutil.copyfile(REPO / "skills.yaml", root / "skills.yaml")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"primary: [\w ]+", "primary: yellow", config)
    config = re.sub(r"accent: [\w ]+", "accent: yellow", config)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    heard = logging.Handler()
    heard.emit = lambda record: SAID.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("trombi")
    logger.addHandler(heard)
    try:
        return build_site(root, root / "site")
    finally:
        logger.removeHandler(heard)


@pytest.fixture(scope="module")
def yellow(yellow_site: Path, serve: Callable[[Path], str]) -> str:
    return serve(yellow_site)


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_every_page_kind_passes_axe_and_fits_a_phone_with_a_palette_that_fails_as_written(browser: Any, yellow: str, kind: str) -> None:
    failures = axe_failures(browser, yellow + PAGE_KINDS[kind]) + scroll_failures(browser, yellow + PAGE_KINDS[kind])
    assert failures == [], "\n".join(failures)


def test_the_build_says_which_colours_it_made_readable(yellow_site: Path) -> None:
    css = (yellow_site / "assets" / "trombi.css").read_text(encoding="utf-8")
    rules = re.findall(r'\[data-md-color-scheme="default"\]\[data-md-color-primary="yellow"\]\[data-md-color-accent="yellow"\] \{ ([^}]*) \}', css)
    assert rules and "--md-typeset-a-color: #" in rules[0] and "--md-accent-fg-color: #" in rules[0]
    said = [line for line in SAID if "[palette-contrast]" in line]
    # Where the colour was chosen (mkdocs.yml, its line and column), in the site's language.
    expected = re.compile(r"mkdocs\.yml:\d+:\d+: warning: la couleur principale 'yellow' \(#b8a500\) a un contraste de 2\.49:1 avec la page en mode clair")
    assert any(expected.match(line) for line in said), said


def test_every_page_kind_is_valid_html_with_that_palette(yellow_site: Path) -> None:
    assert vnu(sorted({file for _, file in page_files(yellow_site)})) == []
