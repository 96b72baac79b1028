"""What each feature adds to the site besides its pages: one small function each, listed in :data:`FEATURES`.

A feature's function takes the :class:`Planning` (the directory and what was drawn for this build)
and yields the files it contributes, as plain data: a path in the site and its content, or the
file to copy. A new feature that writes files beside its pages adds a function here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from generator import PACKAGE
from generator.directory.enrich import Org
from generator.directory.safefs import check_path
from generator.directory.settings import Settings
from generator.history.git import History
from generator.history.news import FEED_PATH, NewsItem, atom_feed, news_items
from generator.i18n import Language
from generator.network.intro import GRAPH_PATH, intro_graph, intro_script
from generator.network.matching import OfferIndex
from generator.network.mine import FACTS_PATH, SCHEMA_PATH, facts_json, schema_json
from generator.network.mine import SCRIPT_PATH as MINE_SCRIPT
from generator.network.mine import script as mine_script
from generator.network.pairing import MonthPairing
from generator.network.silo import SILO_DARK_SVG_PATH, SILO_SVG_PATH, SiloMap, silo_lunches, silo_svg
from generator.network.silo import silo_map as measure_silos
from generator.search.vocabulary import search_files
from generator.site import form
from generator.site.ics import site_calendars
from generator.site.kept import KeptFiles
from generator.site.reads import fingerprint

ASSETS = PACKAGE / "assets"
STYLESHEET = "assets/trombi.css"  # the engine adds the chrome's icons, which its theme knows
SCRIPT = "assets/trombi.js"  # the directory's scripts of every page, in one file: see scripts()
_DRAWING = ("matplotlib", "numpy", "babel")  # what the silo map's pictures depend on besides the code


@dataclass(frozen=True)
class StaticFile:
    """A file of the site that is not a page: ``content`` to write, or ``source`` to copy as it is."""

    path: str
    content: str | bytes | None = None
    source: Path | None = None


@dataclass(frozen=True)
class Planning:
    """What the features draw on: the directory, its history and this build's lunch months."""

    org: Org
    settings: Settings
    language: Language
    history: History
    lunches: list[MonthPairing]
    today: date
    site_url: str | None
    news: list[NewsItem] | None = None  # what's new, if the build made it already (the renderer does)
    offers: OfferIndex | None = None  # the directory's OfferIndex, if the build made it already (the renderer does)
    silos: SiloMap | None = None  # the silo map of the lunches, if the build made it already (the renderer does)


def feed(planning: Planning) -> Iterator[StaticFile]:
    """The Atom feed of what's new."""
    title = planning.settings.site_name + " — " + planning.language.gettext("What's new")
    authority = urlsplit(planning.settings.repo_url or "").hostname
    items = planning.news if planning.news is not None else news_items(planning.history, planning.org, planning.language)
    yield StaticFile(FEED_PATH, atom_feed(items, title=title, site_url=planning.site_url, language=planning.language, authority=authority))


def calendars(planning: Planning) -> Iterator[StaticFile]:
    """An iCalendar file per group that meets, and the lunch invitations of the months shown (kept from one build to the next)."""
    kept = KeptFiles.open(planning.settings.root, "calendars")
    for path, content in site_calendars(
        planning.org, planning.lunches, today=planning.today, language=planning.language, site_url=planning.site_url, kept=kept
    ):
        yield StaticFile(path, content)


def silo_map(planning: Planning) -> Iterator[StaticFile]:
    """The picture of the links between departments, drawn from the lunches, for light and dark mode.

    Drawing it is most of its cost (matplotlib), and what it draws changes only with the groups,
    the departments and the lunches: in a build's state, the pictures of the same map are kept.
    """
    language = planning.language
    silos = planning.silos if planning.silos is not None else measure_silos(planning.org, silo_lunches(planning.lunches))
    title, caption = language.gettext("Links between departments"), language.gettext("Link strength (log scale)")
    kept = KeptFiles.open(planning.settings.root, "silos")
    # What decides the pictures: the map, its words, and the libraries that draw them and write their numbers, outside the state's stamp.
    key = kept.key(fingerprint((silos, title, caption, language.code)), *(metadata.version(name) for name in _DRAWING)) if kept else ""
    for path, dark in ((SILO_SVG_PATH, False), (SILO_DARK_SVG_PATH, True)):
        content = kept.get(path, key) if kept else None
        if content is None:
            content = silo_svg(silos, title=title, caption=caption, dark=dark, language=language).encode("utf-8")
            if kept:
                kept.put(path, key, content)
        yield StaticFile(path, content.decode("utf-8"))
    if kept:
        kept.finish()


def introductions(planning: Planning) -> Iterator[StaticFile]:
    """Who knows whom, which a person's page searches for who can introduce you (its script is in scripts())."""
    yield StaticFile(GRAPH_PATH, intro_graph(planning.org, planning.language))


def my_network(planning: Planning) -> Iterator[StaticFile]:
    """What the page My network suggests from (the directory and its history, compact), its script, and the schema of its export."""
    from generator.network.circles import facts_of

    yield StaticFile(FACTS_PATH, facts_json(facts_of(planning.org, planning.history, today=planning.today, offers=planning.offers)))
    yield StaticFile(MINE_SCRIPT, mine_script(planning.language))
    yield StaticFile(SCHEMA_PATH, schema_json())


def search(planning: Planning) -> Iterator[StaticFile]:
    """The vocabulary the header box suggests from (skills, teams); its script is in scripts()."""
    for path, text in search_files(planning.org, planning.language, directory_urls=planning.settings.use_directory_urls).items():
        yield StaticFile(path, text)


def photos(planning: Planning) -> Iterator[StaticFile]:
    """The photos kept in the repository, copied as they are."""
    root = planning.settings.root
    for relative in sorted({p.photo for p in planning.org.people.values() if p.photo and not p.photo.startswith("https://")}):
        source = root / relative
        # Validation refused any link under photos/; this refuses one made since.
        if source.is_file() and not check_path(root, relative, relative):
            yield StaticFile(relative, source=source)


def style(planning: Planning) -> Iterator[StaticFile]:
    """One stylesheet: the directory's look and the search box's, on every page."""
    yield StaticFile(STYLESHEET, "\n".join((ASSETS / name).read_text(encoding="utf-8") for name in ("trombi.css", "search.css")))


def scripts(planning: Planning) -> Iterator[StaticFile]:
    """The directory's scripts that every page loads after the theme's, as one file, as the stylesheet is.

    One script element a page rather than four (at 100,000 people, 13 MB of the site), and one
    request a view, cached for every page after the first. Each part is wrapped so that an error
    in one is reported without stopping the others, as separate files did.
    """
    parts = (
        (ASSETS / "search.js").read_text(encoding="utf-8"),  # the header box, and the search page
        intro_script(planning.language, directory_urls=planning.settings.use_directory_urls),  # person pages: who can introduce you
        (ASSETS / "dated.js").read_text(encoding="utf-8"),  # what pages list as of the reader's day, not the build's
        (ASSETS / "localtime.js").read_text(encoding="utf-8"),  # person pages: the local time beside the time zone
    )
    yield StaticFile(SCRIPT, "\n".join(f"try {{\n{part.strip()}\n}} catch (error) {{ setTimeout(function () {{ throw error; }}); }}\n" for part in parts))


def profile_form(planning: Planning) -> Iterator[StaticFile]:
    """What the profile form (edit/) reads: the directory's names and rules, the schema, its script and validator.

    Each person's file as the form edits it is written with the exports (:class:`generator.build.plan.Exports`).
    """
    yield StaticFile(form.DATA_PATH, form.form_directory(planning.org, planning.settings, planning.language))
    yield StaticFile(form.SCHEMA_PATH, form.person_schema())
    yield StaticFile(form.SCRIPT_PATH, form.form_script(planning.language))
    yield StaticFile(form.STYLE_PATH, source=ASSETS / Path(form.STYLE_PATH).name)
    for path, source in form.vendored_files():
        yield StaticFile(path, source=source)


FEATURES: tuple[Callable[[Planning], Iterator[StaticFile]], ...] = (
    photos,
    feed,
    calendars,
    silo_map,
    introductions,
    my_network,
    style,
    search,
    scripts,
    profile_form,
)
# The features that take seconds at 100,000 people, in two sets of about the same cost: from
# PLAN_APART_FROM people on, a forked child draws each set while the build plans the pages
# (generator.build.plan). In a full build the calendars alone are 10.6 s of CPU (20,000 files
# written by icalendar), the silo map, who knows whom and my network's facts 5.4 s together: one
# child drawing them all was waited for 13 s, alone on a core, after the pages were planned.
APART_SETS: tuple[tuple[Callable[[Planning], Iterator[StaticFile]], ...], ...] = ((calendars,), (silo_map, introductions, my_network))
APART = tuple(feature for features in APART_SETS for feature in features)
PLAN_APART_FROM = 5_000
