"""MkDocs hook: the directory's pages are generated in memory from people/, groups/ and skills.yaml.

Thin on purpose: every event is forwarded to :mod:`generator.engine.publish`.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator.engine.publish import TrombiEvents

_events = TrombiEvents()


# First, so that other plugins see the generated configuration (nav, extensions, CSS).
@event_priority(100)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    return _events.on_config(config)


# First, so that other plugins (search, redirects...) see the generated pages as real files.
@event_priority(100)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    return _events.on_files(files, config)


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    return _events.on_nav(nav, config, files)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return _events.on_page_content(html, page, config, files)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _events.on_post_page(output, page, config)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    return _events.on_post_template(output_content, template_name, config)


# Last, so that the search indexes see the site exactly as the other plugins left it.
@event_priority(-100)
def on_post_build(config: MkDocsConfig) -> None:
    _events.on_post_build(config)


def on_build_error(error: Exception) -> None:
    _events.on_build_error(error)
