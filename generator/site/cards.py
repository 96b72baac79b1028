"""People's cards, their avatars and their badges: the markup every list of people is made of, written in Python.

A card is the most repeated piece of the site: a skill's page lists up to 200, a manager's page
their reports, a person's page the people with similar skills (a site of 3,000 synthetic people
has 64,685 cards, 22 a person), and a profile shows about ten level badges. As Jinja macros (a
macro calling three others for each card), they were nearly half of a skill page's rendering
time and a tenth of a person page's. The markup is the same as the macros made, byte for byte,
and so is what a page reads: every name is looked up in the page's context as the template's
own lookup would (:class:`generator.site.reads.ReadingContext` records the global values), and
the directory is read through the context's tracked tables and helpers (``people``, ``groups``,
``not_yet``), which record each read.

In a card the avatar is the item's first child and takes its look from there (trombi.css): a
class on each of hundreds of cards a page would be paid at every page. Initials are an ``<i>``, a
photo an ``<img>``; ``--h`` is the hue derived from the handle. A card's initials are drawn by the
stylesheet from ``data-i``, as an image with no text for screen readers (the name follows);
elsewhere they are the ``<i>``'s text, hidden from screen readers.

The renderer gives them to the templates as globals (:func:`card_globals`), each taking the
page's context first, as Jinja's ``pass_context`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from generator.site.jinja import linked, url_in_markdown
from generator.site.urls import page_url


def card_globals(directory_urls: bool) -> dict[str, Callable[..., Markup]]:
    """``avatar``, ``external_badge``, ``level_badge``, ``person_item`` and ``people_cards`` for the templates."""

    def here(context: Context) -> str:
        return page_url(context["page_path"], directory_urls=directory_urls)

    def avatar_of(context: Context, handle: str, p: Any, size: str, where: str) -> str:
        photo = p.photo
        size_class = "" if size == "m" else f' class="trombi-avatar trombi-avatar--{size}"'
        if photo and photo.startswith("https://"):
            return f'<img alt=""{size_class} loading="lazy" src="{escape(url_in_markdown(photo))}">'
        if photo:
            return f'<img alt=""{size_class} loading="lazy" src="{escape(linked(photo, where, directory_urls=directory_urls))}">'
        colour = escape(context["hue"](handle))
        letters = escape(context["initials"](p.name))
        if size == "m":
            return f'<i style="--h:{colour}" data-i="{letters}"></i>'
        return f'<i{size_class} style="--h:{colour}" aria-hidden="true">{letters}</i>'

    def badge_of(context: Context, p: Any) -> str:
        if p.kind == "employee":
            return ""
        company = f" · {escape(p.company)}" if p.company else ""
        return f'<span class="trombi-badge trombi-badge--external">{escape(context["kind_label"](p.kind))}{company}</span>'

    def item_of(context: Context, handle: str, note: Any, since: date | None, until: date | None, where: str) -> str:
        people, groups = context["people"], context["groups"]
        p = people[handle]
        shown = ""
        if since and context["not_yet"](since):
            shown = f' data-trombi-from="{escape(since.isoformat())}" hidden'
        if until:
            shown += f' data-trombi-until="{escape(until.isoformat())}"'
        url = escape(linked(context["person_url"](handle), where, directory_urls=directory_urls))
        team = f" · {escape(groups[p.team].name)}" if p.team and p.team in groups else ""
        location = f" · {escape(p.location)}" if p.location else ""
        return (
            f'<li{shown}>{avatar_of(context, handle, p, "m", where)}<a href="{url}">{escape(p.name)}</a> {badge_of(context, p)}'
            f"<small>{escape(p.title)}{team}{location}</small>{escape(note) if note else ''}</li>"
        )

    @pass_context
    def avatar(context: Context, handle: str, size: str = "m") -> Markup:
        """A person's photo, or their initials on their own colour; ``size`` other than ``m`` names its class."""
        return Markup(avatar_of(context, handle, context["people"][handle], size, here(context)))

    @pass_context
    def external_badge(context: Context, p: Any) -> Markup:
        """What a contractor's or a partner's card says they are, and their company; nothing for an employee."""
        return Markup(badge_of(context, p))

    @pass_context
    def level_badge(context: Context, level: str, ignore: bool = False) -> Markup:
        """A skill's level, named, in a ``<b>`` of the level's own class (trombi.css): a profile shows about ten.

        ``ignore`` leaves it out of the search index (a profile's skills are indexed by name, not level).
        """
        skipped = ' data-pagefind-ignore="index"' if ignore else ""
        return Markup(f'<b class="trombi-{escape(level)}"{skipped}>{escape(context["level_label"](level))}</b>')

    @pass_context
    def person_item(context: Context, handle: str, note: Any = "", since: date | None = None, until: date | None = None) -> Markup:
        """A card: avatar, then the name, an external badge, the title · team · location (``<small>``) and a note.

        No wrapper: trombi.css lays them out beside the avatar.

        ``since`` and ``until``: the days the card holds for, hidden out of them as of the build (assets/dated.js).
        """
        return Markup(item_of(context, handle, note, since, until, here(context)))

    @pass_context
    def people_cards(context: Context, handles: Iterable[str]) -> Markup:
        """The cards of ``handles`` in a list."""
        where = here(context)
        lines = ['<div class="trombi-cards">\n']
        if handles:
            lines.append("<ul>\n")
            lines.extend(item_of(context, handle, "", None, None, where) + "\n" for handle in handles)
            lines.append("</ul>\n")
        lines.append("</div>\n")
        return Markup("".join(lines))

    return {"avatar": avatar, "external_badge": external_badge, "level_badge": level_badge, "person_item": person_item, "people_cards": people_cards}
