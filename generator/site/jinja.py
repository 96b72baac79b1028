"""The pages' Jinja environment: the templates in the site's language, with the filters and helpers they call (pagers, initials, avatar hues, links)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from jinja2 import BytecodeCache, Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.bccache import Bucket
from jinja2.runtime import Context
from markupsafe import Markup

from generator.directory.model import LEVELS
from generator.i18n import Language
from generator.site.markup import render_markdown
from generator.site.sections import section_of
from generator.site.urls import page_url, relative_url
from generator.weights import ALIAS_DISCOUNT, WEIGHTS

PAGE_SIZE = 200  # items on a page of a long list (people, a skill's holders), then page 2...
STALE_TEAMS = 20  # teams on a page of the profiles to refresh (each lists up to 200 people; about 8 on average)


@dataclass(frozen=True)
class Pager:
    number: int
    count: int
    paths: list[str]
    total: int
    size: int = PAGE_SIZE  # items on a full page

    @property
    def first(self) -> int:
        """1-based position of the page's first item."""
        return (self.number - 1) * self.size + 1

    @property
    def last(self) -> int:
        return min(self.number * self.size, self.total)

    def window(self, width: int = 4) -> list[int | None]:
        """Page numbers to show: first, last, and those around the current one (None = gap)."""
        shown = sorted({1, self.count, *range(max(1, self.number - width), min(self.count, self.number + width) + 1)})
        result: list[int | None] = []
        for previous, current in zip([0, *shown], shown, strict=False):
            if current - previous > 1:
                result.append(None)
            result.append(current)
        return result


def by_level(handles: Sequence[str], levels: dict[str, str]) -> list[tuple[str, list[str]]]:
    """``handles`` grouped by their level, strongest level first, order kept within a level."""
    grouped: dict[str, list[str]] = {}
    for handle in handles:
        grouped.setdefault(levels[handle], []).append(handle)
    return [(level, grouped[level]) for level in reversed(LEVELS) if level in grouped]


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def hue(handle: str) -> int:
    """A stable colour for an initials avatar."""
    return int(hashlib.sha1(handle.encode()).hexdigest()[:4], 16) % 360


def search_weight(role: str, *, alias: bool = False) -> str:
    """What a word weighs for the site's search where a profile shows it (:mod:`generator.weights`), as markup writes it."""
    return f"{WEIGHTS[role] - (ALIAS_DISCOUNT if alias else 0):g}"


class _CompiledTemplates(BytecodeCache):
    """Each template compiled once a process, for every environment :func:`environment` makes.

    They all compile alike (same options, same extensions), and a process may make several: each
    build of `trombi serve`, and each page it shows ahead of a rebuild (generator.engine.preview),
    where compiling the person's template took longer than rendering it. Jinja keys a template by
    its name and the checksum of its source.
    """

    def __init__(self) -> None:
        self._codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._codes[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def environment(language: Language, *, directory_urls: bool = True) -> Environment:
    env = Environment(
        bytecode_cache=_COMPILED,
        auto_reload=False,  # the templates are Trombi's own, as installed: not looked at again on the disk before every page
        loader=PackageLoader("generator", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
    )
    env.install_gettext_translations(language.translations, newstyle=True)  # type: ignore[attr-defined]
    _translate_directly(env, language)
    env.filters["markdown"] = lambda text, top=1: Markup(render_markdown(str(text), top))  # top: the level of the text's headings
    env.filters["url"] = url_in_markdown
    env.filters["date"] = language.date
    env.filters["number"] = language.number

    @pass_context
    def link(context: Context, target: str) -> str:
        """``target`` (a path under docs/, a page's ``.md`` or any other file) as a URL relative to the page being rendered."""
        return linked(target, page_url(context["page_path"], directory_urls=directory_urls), directory_urls=directory_urls)

    env.globals["link"] = link

    @pass_context
    def section_link(context: Context) -> Markup:
        """The section of the page being rendered, linked and named as its tab: its breadcrumb's first link (:mod:`generator.site.sections`)."""
        section = section_of(context["page_path"])
        if section is None:
            return Markup("")
        return Markup('<a href="{}">{}</a>').format(link(context, section.index), language.gettext(section.label))

    env.globals["section_link"] = section_link
    env.globals["weight"] = search_weight

    @pass_context
    def heading_id(context: Context, text: str) -> str:
        """An id for a heading of the page being rendered, made from its text, unique within the page."""
        from markdown.extensions.toc import unique

        # Made as Python-Markdown's toc made them when pages were Markdown, so that anchors kept
        # in links and bookmarks still lead to the same heading. One render, one context.
        used: set[str] = context.vars.setdefault("_heading_ids", set())
        return unique(_slug(str(text)), used)

    env.filters["heading_id"] = heading_id
    return env


@functools.lru_cache(maxsize=4096)
def _slug(text: str) -> str:
    """Python-Markdown's slug of a heading's text: most are the same few on every page ("Compétences", "Groupes")."""
    from markdown.extensions.toc import slugify

    return slugify(text, "-")


def _translate_directly(env: Environment, language: Language) -> None:
    """The templates' ``_``, ``gettext`` and ``ngettext`` as the i18n extension's new style makes them, without its indirections.

    The extension's ``_`` looks ``gettext`` up in the page's context, and its ``gettext`` calls the
    translation through the context again, at every call: a person's page calls them about forty
    times. These give the same text, escaped the same way: the translation, as markup when the
    template autoescapes, always formatted with the variables given (``%`` escapes them).
    """
    translate, translate_plural = language.translations.gettext, language.translations.ngettext

    @pass_context
    def gettext(context: Context, string: str, /, **variables: Any) -> str:
        text = translate(string)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, count: int, /, **variables: Any) -> str:
        variables.setdefault("num", count)
        text = translate_plural(singular, plural, count)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    env.globals.update(gettext=gettext, ngettext=ngettext, _=gettext)


def linked(target: str, here: str, *, directory_urls: bool) -> str:
    """``target`` (a path under docs/, a page's ``.md`` or any other file, with an anchor or not) as a URL relative to the page at URL ``here``."""
    anchor = ""
    if "#" in target:
        target, anchor = target.split("#", 1)
        anchor = "#" + anchor
    return relative_url(page_url(target, directory_urls=directory_urls), here) + anchor


def url_in_markdown(url: str) -> str:
    # Percent-encode what could end a Markdown link target early; keep the URL otherwise.
    return quote(url, safe=":/?#@!$&'*+,;=%~-._")
