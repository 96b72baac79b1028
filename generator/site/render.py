"""Jinja templates -> HTML pages. No file I/O: pages come out as (path, title, html) values.

Pages are written as HTML, not Markdown: at 100,000 people converting Markdown was most of a
build's time. A page is named by its path under the docs folder (``people/alice.md``), like a
hand-written page, and links between pages are final URLs relative to the page, worked out by
:func:`page_url` the way MkDocs names its pages.

Rendering is split in two, so that pages can be rendered in several processes: :meth:`Renderer.plan`
lists every page (cheap), :meth:`Renderer.render` renders one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from generator.directory.enrich import Org, Together, sort_key
from generator.directory.model import GROUP_TYPES, LEVELS, Meetings, Person, SkillEntry
from generator.directory.settings import Settings, chat_link
from generator.history.editors import Editors
from generator.history.git import History
from generator.history.news import NEWS_PAGE, STALE_PAGE, is_stale, new_joiners, news_items, stale_profiles, stale_since
from generator.i18n import GROUP_KIND_LABELS, GROUP_TYPE_LABELS, KIND_LABELS, LEVEL_LABELS, MEETING_LABELS, load_language
from generator.network.pairing import MonthPairing
from generator.network.topics import TopicGroups
from generator.parallel import InChild, collector_frozen
from generator.problems import Message, said
from generator.site import reads
from generator.site.cards import card_globals
from generator.site.jinja import PAGE_SIZE, STALE_TEAMS, Pager, by_level, environment, hue, initials
from generator.site.markup import front_matter_title
from generator.site.reads import Query, ReadingContext, TrackedOrg, TrackedSet, ask, fingerprint, note, tracked

GENERATOR = "trombi"
COLLEAGUES_SHOWN = 12  # teammates and peers named on a profile; the team's or manager's page has them all
# Globals the same for every build of one configuration (mkdocs.yml) and taxonomy: a build that
# keeps pages of an earlier one checks those itself (generator.build.incremental).
CONSTANT_GLOBALS = frozenset(("settings", "lang"))
_DIALLED = re.compile(r"\+?[0-9]+")
_ENTRY_TABLES = ("people", "groups")  # the tables whose entries' fingerprints a process keeps (Renderer.answer)
_SIMILAR_TO = ("call", "similar_to")  # who is most like someone: Renderer.known_answer


def tel_url(number: str) -> str | None:
    """``+33 6 00-00.00 (00)`` -> ``tel:+3360000000000``: the digits, with the ``+`` of an international number; None without digits."""
    digits = "".join(_DIALLED.findall(number.strip()))
    plain = digits[:1] + digits[1:].replace("+", "")
    return f"tel:{plain}" if any(c.isdigit() for c in plain) else None


def edit_url(settings: Settings, relative: str) -> str | None:
    """Address of a file of the repository (``people/x.yaml``) in the git host's editor, from ``repo_url`` and ``edit_uri``."""
    repo, edit = settings.repo_url, settings.edit_uri
    if not repo or edit is None:
        return None
    # edit_uri points at the docs folder (e.g. edit/main/docs/); the data sits at the root.
    base = edit.rstrip("/")
    if base.endswith("/docs") or base == "docs":
        base = base[: -len("docs")].rstrip("/")
    return f"{repo.rstrip('/')}/{base}/{relative}".replace("//", "/").replace(":/", "://")


@dataclass(frozen=True, slots=True)
class Page:
    """One generated page: its path under the docs folder, its title (plain text) and its HTML body."""

    path: str
    title: str
    html: str
    source: str | None = None  # the YAML file it comes from, for the "edit" link
    toc: bool = False  # whether the page shows a table of contents of its headings

    def as_markdown(self) -> str:
        """The page as a site engine's Markdown file: front matter, then the HTML, which Markdown leaves as it is."""
        return front_matter(self.title, toc=self.toc) + self.html


def front_matter(title: str, *, toc: bool) -> str:
    """A generated page's front matter: its title, and the sidebars it hides."""
    hidden = "  - navigation\n" + ("" if toc else "  - toc\n")
    return f"---\ntitle: {front_matter_title(title)}\nhide:\n{hidden}---\n\n"


@dataclass(frozen=True, slots=True)
class Planned:
    """A page still to render: its template and what the template is given."""

    path: str
    template: str
    source: str | None
    context: dict[str, Any]


def render_site(org: Org, *, today: date | None = None, history: History | None = None, lunches: list[MonthPairing] | None = None) -> Iterator[Page]:
    """Every generated page of the site, in a stable order; without ``history``, no dates or news.

    ``lunches`` are the months of lunch pairs the site shows (:func:`generator.network.pairing.site_months`,
    drawn once by the caller, which also writes their invitations); without them, this month is
    drawn with no history of earlier pairs.
    """
    renderer = Renderer(org, today=today, history=history, lunches=lunches)
    # The directory and what is derived from it outlive the rendering: out of the cycle collector's
    # traversals meanwhile, which grow with the company (at 100,000 people they made every page
    # twice as slow to render).
    with collector_frozen():
        for planned in renderer.plan():
            yield renderer.render(planned)


@dataclass(frozen=True)
class SimilarShown:
    """The people shown as most like each person (:meth:`Renderer.similar_to`), and what each such question answers.

    As a child sends them back (:func:`foresee`): everyone's handle, in the directory's order; the
    handles shown for each, a tab between them (a handle has none); and the fingerprint of each
    list, which is what a build's record compares (:meth:`Renderer.answer`). At 100,000 people a
    merge asks ``similar_to`` of everyone: fingerprinted here, beside the similarity, instead of by
    two workers forked from the build's process for it, which then made each list again.
    """

    handles: list[str]
    shown: list[str]
    answers: list[str]

    @classmethod
    def of(cls, org: Org) -> SimilarShown:
        from generator.network.similar import similar_people

        found = similar_people(org)
        handles = list(org.people)
        lists = [[other for other, _ in found.get(handle, ())] for handle in handles]  # similar_people gives each with their cosine
        return cls(handles, ["\t".join(shown) for shown in lists], [fingerprint(shown) for shown in lists])


# Who started the child working out similar people and the skills held together (its process id), and the child.
Foreseeing = tuple[int, InChild[tuple[SimilarShown, Together]]]


def foresee(org: Org) -> Foreseeing:
    """Similar people and how often skills are held together in ``org``, worked out by a forked child from now on (:meth:`Renderer.foresee`).

    A build starts it once the history is read, and hands it to its renderer: the first steps of
    the plan leave the other core idle. :meth:`Renderer.stop` ends it, or its own ``stop`` before a
    renderer has it.
    """
    return os.getpid(), InChild(lambda: (SimilarShown.of(org), org.held_together()))


class Renderer:
    """Renders the pages of one organisation in one language."""

    def __init__(
        self,
        org: Org,
        *,
        today: date | None = None,
        history: History | None = None,
        lunches: list[MonthPairing] | None = None,
        foreseen: Foreseeing | None = None,
    ) -> None:
        """``foreseen``: the child :func:`foresee` started for ``org``, which this renderer takes over (as if :meth:`foresee` had started it)."""
        self.org = org
        self.lunches = lunches
        self._similar: dict[str, str] | None = None  # handle -> the handles shown as most like them, a tab between them (SimilarShown)
        self._similar_answers: dict[str, str] = {}  # handle -> what similar_to answers (SimilarShown)
        self._similar_child = foreseen  # the process that started it, the child
        self._offers: Any = None
        self._silos: Any = None
        self._entries: dict[Query, str] = {}  # the fingerprints of the profiles and groups asked of this process (answer)
        self.history = history if history is not None else History(notes=[Message("rendered without the git history: no update dates and no news")])
        self.settings = org.directory.settings
        self.language = load_language(self.settings.language)
        self.editors = Editors(org.people)
        # Made once a build: the home page's count, the news pages and the feed (Planning.news) share them.
        self.news_items = news_items(self.history, org, self.language, self.editors)
        self.topics = TopicGroups(org.groups)
        self.today = today or date.today()
        self.env = environment(self.language, directory_urls=self.settings.use_directory_urls)
        self.env.context_class = ReadingContext
        self.seen = seen = TrackedOrg(org)  # the directory as pages read it, each read recorded
        # Helpers whose answer depends on the directory, its history or the day: every call is
        # recorded (generator.site.reads) and asked again by the next build, unrecorded, here.
        self.calls: dict[str, Callable[..., Any]] = {
            "skill_url": lambda name: f"skills/{org.skill_slugs[name]}.md",
            # A site's page is its group when it has one (Org.site_groups), else its location page.
            "location_url": lambda name: f"groups/{org.site_groups[name]}.md" if name in org.site_groups else f"org/locations/{org.location_slugs[name]}.md",
            "joinable_groups": self.joinable_groups,
            "groups_by_type": self.groups_by_type,
            "last_change": self.history.last_change,
            "topic_group": self.topics.group_for,
            "colleagues": self.colleagues,
            "editor": self.editors.editor,
            "nudge": self.nudge,
            "is_stale": lambda source: is_stale(self.history, source, months=self.settings.stale_after_months, today=self.today),
            "new_joiners": lambda limit: new_joiners(self.history, org, limit, today=self.today),
            "not_yet": lambda day: day > self.today,
            **self._network_calls(),
        }
        self.env.globals.update(
            org=seen,
            people=seen.people,
            groups=seen.groups,
            settings=self.settings,
            lang=self.language,
            today=self.today,
            levels=LEVELS,
            level_label=self.level_label,
            kind_label=lambda kind: self.language.gettext(KIND_LABELS[kind]),
            group_type_label=lambda kind: self.language.gettext(GROUP_TYPE_LABELS[kind]),
            group_kind_label=lambda kind: self.language.gettext(GROUP_KIND_LABELS[kind]),
            person_url=lambda handle: f"people/{handle}.md",
            group_url=lambda slug: f"groups/{slug}.md",
            language_url=lambda code: f"org/languages/{code}.md",
            initials=initials,
            hue=hue,
            source_url=self.source_url,
            chat_url=lambda handle: chat_link(self.settings.chat_url, handle) if self.settings.chat_url else None,
            tel_url=tel_url,
            skills_by_category=self.skills_by_category,
            by_level=by_level,
            meeting_text=self.meeting_text,
            org_slugs=TrackedSet("org_slugs", frozenset(s for s, g in org.groups.items() if g.type in ("company", "department", "team"))),
            colleagues_shown=COLLEAGUES_SHOWN,
            news_count=len(self.news_items),
            history_notes=[said(note, self.language) for note in self.history.notes],
            **{name: tracked(name, call) for name, call in self.calls.items()},
            **card_globals(self.settings.use_directory_urls),
        )
        self.env.globals.update(self._network_globals())

    def skills_by_category(self, person: Person) -> list[tuple[str, list[SkillEntry]]]:
        """A person's skills by category (alphabetical), strongest first within each."""
        by_category: dict[str, list[SkillEntry]] = {}
        for entry in person.skills:
            by_category.setdefault(self.org.directory.skills.category(entry.name), []).append(entry)
        rank = {level: index for index, level in enumerate(LEVELS)}
        return [
            (category, sorted(entries, key=lambda e: (-rank[e.level], sort_key(e.name))))
            for category, entries in sorted(by_category.items(), key=lambda item: sort_key(item[0]))
        ]

    def joinable_groups(self, limit: int) -> list[str]:
        """Open groups people can join by themselves, the liveliest first."""
        candidates = [s for s, g in self.org.groups.items() if g.open and g.type not in ("company", "department", "team")]
        candidates.sort(key=lambda s: (-len(self.org.members_of(s)), sort_key(self.org.groups[s].name)))
        return candidates[:limit]

    def groups_by_type(self) -> list[tuple[str, list[str]]]:
        by_type: dict[str, list[str]] = {}
        for slug, group in self.org.groups.items():
            by_type.setdefault(group.type, []).append(slug)
        return [(kind, sorted(by_type[kind], key=lambda s: sort_key(self.org.groups[s].name))) for kind in GROUP_TYPES if kind in by_type]

    def meeting_text(self, meetings: Meetings) -> str:
        """``every month, first Thursday, 12:30 — Lyon, room Rhône`` in the UI language."""
        parts = [self.language.gettext(MEETING_LABELS[meetings.every])]
        if meetings.on:
            parts.append(meetings.on)
        if meetings.at:
            parts.append(self.language.gettext("at %(time)s") % {"time": meetings.at})
        text = ", ".join(parts)
        return f"{text} — {meetings.place}" if meetings.place else text

    def colleagues(self, handle: str) -> tuple[list[str], list[str]]:
        """The person's teammates (same team, but not their direct reports, shown above them) and peers
        (same manager, not on the team), listed people only, in directory order."""
        person = self.org.people[handle]
        reports = set(self.org.reports.get(handle, []))
        mates = [h for h in self.org.listed(self.org.team_members.get(person.team, [])) if h != handle and h not in reports] if person.team else []
        on_team = set(mates)
        peers = self.org.reports.get(person.manager, []) if person.manager else []
        return mates, [h for h in self.org.listed(peers) if h != handle and h not in on_team]

    def nudge(self, handle: str, when: date) -> str | None:
        """A ``mailto:`` asking someone to look at their stale profile, subject and text in the site's language; None without a public email."""
        person = self.org.people[handle]
        email = person.contact.email
        if email is None or email.visibility != "public":
            return None
        values = {"name": person.name, "site": self.settings.site_name, "ago": self.language.ago(when, self.today)}
        edit = self.source_url(f"{self.settings.people_dir}/{handle}.yaml")
        body = self.language.gettext(
            "Hello %(name)s,\n\nYour profile in %(site)s was last updated %(ago)s. Could you check that it still says who you are and what you do?"
        )
        if edit:
            body += "\n\n" + self.language.gettext("You can update it here: %(url)s")
            values["url"] = edit
        fields = {"subject": self.language.gettext("Your profile in %(site)s") % values, "body": body % values + "\n\n" + self.language.gettext("Thank you!")}
        return f"mailto:{quote(email.value, safe='@')}?{urlencode(fields, quote_via=quote)}"

    def level_label(self, level: str) -> str:
        return self.language.gettext(LEVEL_LABELS[level])

    def source_url(self, relative: str) -> str | None:
        """Address of a YAML file in the repository's web interface, for "edit" links."""
        return edit_url(self.settings, relative)

    # --- pages ------------------------------------------------------------------------------

    def plan(self) -> Iterator[Planned]:
        """Every page of the site, in a stable order, not rendered yet."""
        yield from self.home()
        yield from self.people_index()
        for handle in self.org.sorted_people:
            yield self.person(handle)
        yield from self.skills()
        yield from self.groups()
        yield from self.org_pages()
        yield from self.news()
        yield self._page("search.md", "search.html.j2")  # filled in the browser by assets/search.js
        yield self._page("edit.md", "edit.html.j2")  # the profile form, run in the browser by assets/form.js
        yield from self.network()

    def render(self, planned: Planned) -> Page:
        template = self.env.get_template(planned.template)
        module = template.make_module({"page_path": planned.path, "source": planned.source, **planned.context})
        # Each template sets `title` at its top (the page's name in the browser tab and the header)
        # and may set `show_toc`.
        return Page(planned.path, str(getattr(module, "title")), str(module), planned.source, bool(getattr(module, "show_toc", False)))  # noqa: B009

    def render_reading(self, planned: Planned) -> tuple[Page, frozenset[Query]]:
        """Render ``planned``, with what it read (:mod:`generator.site.reads`)."""
        reads.start()
        try:
            page = self.render(planned)
        finally:
            found = reads.stop()
        return page, found

    def answer(self, query: Query) -> str:
        """The fingerprint of what ``query`` answers in this build.

        A profile or a group is read by many pages (a person's card is on their team's pages, their
        skills' pages, their colleagues' profiles...), which the pages' workers ask in chunks: at
        100,000 people that was 21 µs a profile's JSON and digest, thirty times a page, a tenth of
        the render. Each process works an entry's fingerprint out once (:meth:`prepare` all of them
        before a whole site is rendered).
        """
        entry = query[0] == "item" and query[1] in _ENTRY_TABLES
        known = self._entries.get(query) if entry else self.known_answer(query)
        if known is None:
            known = fingerprint(ask(query, self.org, self.calls, self.env.globals, CONSTANT_GLOBALS))
            if entry:
                self._entries[query] = known
        return known

    def known_answer(self, query: Query) -> str | None:
        """What ``query`` answers if it is known without working it out; None if not.

        Who is most like someone, once similar people are worked out for everyone (:class:`SimilarShown`),
        by :func:`foresee`'s child (waited for here, in the process that started it) or by this renderer.
        """
        if query[:2] != _SIMILAR_TO or len(query) != 3:
            return None
        self._take_foreseen()
        return self._similar_answers.get(query[2])

    def answer_or_none(self, query: Query) -> str | None:
        """:meth:`answer`, None for a query that has no answer in this build (someone gone): whoever asked it changed."""
        try:
            return self.answer(query)
        except Exception:
            return None

    def prepare(self, *, entries: bool = False, related: bool = True) -> None:
        """Work out now what pages otherwise compute on first use, so that forked workers share it.

        ``entries``: the fingerprints of every profile and group too (:meth:`answer`), when nearly
        all of them will be asked (a whole site rendered): 2 s at 100,000 people, which each worker
        would otherwise spend again. ``related``: how often skills are held together, which only
        the skills related to one ask (0.9 s at 100,000 people), when they may be asked.
        """
        self.similar_to(next(iter(self.org.people), ""))
        self.offer_index()
        if related:
            self.org.held_together()
        if entries:
            for table in _ENTRY_TABLES:
                for key in getattr(self.org, table):
                    self.answer(("item", table, key))

    def home(self) -> Iterator[Planned]:
        yield self._page("index.md", "home.html.j2")

    def people_index(self) -> Iterator[Planned]:
        listed = self.org.listed(self.org.sorted_people)
        yield from self._paged("people/index.md", "people_index.html.j2", listed)

    def person(self, handle: str) -> Planned:
        source = f"{self.settings.people_dir}/{handle}.yaml"
        # The person is read by the template (people[handle]), not given: what a page reads is weighed
        # once a build for every page that reads it, what it is given once for each page.
        return self._page(f"people/{handle}.md", "person.html.j2", source=source, handle=handle)

    def skills(self) -> Iterator[Planned]:
        yield self._page("skills/index.md", "skills_index.html.j2")
        for name in self.org.directory.skills.definitions:
            slug = self.org.skill_slugs[name]
            holders = self.org.listed([h for h, _ in self.org.skill_people.get(name, [])])
            levels = dict(self.org.skill_people.get(name, []))
            definition = self.org.directory.skills.definitions[name]
            for planned in self._paged(f"skills/{slug}.md", "skill.html.j2", holders, name=name, definition=definition):
                # Each page is given the levels of its own people: what it shows, and all a later build compares.
                planned.context["levels"] = {handle: levels[handle] for handle in planned.context["items"]}
                yield planned

    def groups(self) -> Iterator[Planned]:
        yield self._page("groups/index.md", "groups_index.html.j2")
        site_of_group = {slug: name for name, slug in self.org.site_groups.items()}
        for slug in self.org.groups:
            yield from self.group(slug, site_of_group.get(slug))

    def group(self, slug: str, site_name: str | None) -> Iterator[Planned]:
        """A group's pages (its members, a page of them at a time); ``site_name``: the site it stands for, if any (``Org.site_groups``)."""
        group = self.org.groups[slug]
        members = [] if group.type in ("company", "department") else self.org.members_of(slug)
        source = f"{self.settings.groups_dir}/{slug}.yaml"
        yield from self._paged(f"groups/{slug}.md", "group.html.j2", members, source=source, slug=slug, group=group, site_name=site_name)

    def org_pages(self) -> Iterator[Planned]:
        yield self._page("org/index.md", "org_teams.html.j2")
        yield self._page("org/management.md", "org_management.html.j2")
        yield self._page("org/locations.md", "org_locations.html.j2")
        for name, handles in self.org.locations.items():
            slug = self.org.location_slugs[name]
            yield from self._paged(f"org/locations/{slug}.md", "org_location.html.j2", self.org.listed(handles), name=name)
        yield self._page("org/languages.md", "org_languages.html.j2")
        for code, handles in self.org.languages.items():
            yield from self._paged(f"org/languages/{code}.md", "org_language.html.j2", self.org.listed(handles), code=code)

    def news(self) -> Iterator[Planned]:
        yield from self._paged(NEWS_PAGE, "whats_new.html.j2", self.news_items, news_days=self.settings.news_days)
        months = self.settings.stale_after_months
        # The profiles that turn stale in the coming weeks too, hidden until they do (assets/dated.js).
        listed = stale_profiles(self.history, self.org, months=months, today=self.today, ahead=28)
        stale = [(team, [(handle, updated, stale_since(updated, months)) for handle, updated in entries]) for team, entries in listed]
        # A page for so many teams, not one for all: at 10,000 people the list was a page of 7 MB,
        # made again whenever anyone's profile changed. A page shows what holds on it alone.
        for planned in self._paged(STALE_PAGE, "stale.html.j2", stale, size=STALE_TEAMS, stale_months=months):
            planned.context["stale_now"] = any(since <= self.today for _, entries in planned.context["items"] for *_, since in entries)
            yield planned

    def network(self) -> Iterator[Planned]:
        """Lunch pairing (an index and a page per month), offers and seeks that meet, the silo map, my network."""
        from generator.network.matching import match_seeks
        from generator.network.pairing import listed_lunches

        months = self._months()
        # Each page is given what it shows, not the months' every lunch: a page's context is weighed
        # by every build that keeps pages, and a month's 50,000 lunches (100,000 people) took 0.2 s a page.
        yield self._page("lunch/index.md", "lunch_index.html.j2", months=[(pairing.month, len(pairing.lunches), pairing.recorded) for pairing in months])
        for pairing in months:
            lunches = listed_lunches(self.org, pairing)
            yield from self._paged(f"lunch/{pairing.month}.md", "lunch.html.j2", lunches, month=pairing.month, recorded=pairing.recorded)
        # Given what the page shows of each match (shown_helpers), not the helpers' scores.
        matches = [(match.handle, match.seek, self.shown_helpers(match.helpers)) for match in match_seeks(self.org, self.offer_index()) if match.helpers]
        yield from self._paged("network/matches.md", "matches.html.j2", matches)
        yield self._page("network/silos.md", "silos.html.j2", silos=self.silos())
        # Filled in the browser by assets/my-network.js, from assets/my-network.json (generator/network/mine.py).
        yield self._page("network/mine.md", "my_network.html.j2")

    def _months(self) -> list[Any]:
        from generator.network.pairing import site_months

        return self.lunches if self.lunches is not None else site_months(self.org, {}, self.today)

    def silos(self) -> Any:
        """The silo map of the lunch months shown (:func:`generator.network.silo.silo_map`), made on first use."""
        if self._silos is None:
            from generator.network.silo import silo_lunches, silo_map

            self._silos = silo_map(self.org, silo_lunches(self._months()))
        return self._silos

    def similar_to(self, handle: str) -> list[str]:
        """The people most like ``handle``, most similar first: their handles only, as the page shows them.

        Not their scores: one skill added moves the weight of that skill in everyone's scores,
        and a page given them was made again wherever a score moved (1,295 person pages for one
        skill added at 100,000 people), though the people it shows and their order did not.
        """
        if self._similar is None and not self._take_foreseen():
            self._know_similar(SimilarShown.of(self.org))
        assert self._similar is not None
        shown = self._similar.get(handle)
        return shown.split("\t") if shown else []

    def foresee(self) -> None:
        """Start working out similar people and how often skills are held together in a forked child: seconds at 100,000 people, asked for later.

        The skills held together (:meth:`Org.held_together`, 1.5 s at 100,000 people) were worked
        out by the build's own process when it rendered a skill page, or before its page workers
        were forked. :meth:`stop` ends the child if the build ends without asking.
        """
        if self._similar is None and self._similar_child is None:
            self._similar_child = foresee(self.org)

    def gather(self, *, wait: bool = False) -> None:
        """Take what :meth:`foresee`'s child worked out, so that what is asked here finds it: if it is done, or once it is with ``wait``."""
        started = self._similar_child
        if started is not None and started[0] == os.getpid() and (wait or started[1].ready()):
            self._take_foreseen()

    def _take_foreseen(self) -> bool:
        """What the child :meth:`foresee` started in this process worked out, waited for; False without one (a forked worker computes its own)."""
        started = self._similar_child
        if started is None or started[0] != os.getpid():
            return False
        self._similar_child = None
        found, together = started[1].result()
        self._know_similar(found)
        self.org.know_together(together)
        return True

    def _know_similar(self, found: SimilarShown) -> None:
        self._similar = dict(zip(found.handles, found.shown, strict=True))
        self._similar_answers = dict(zip(found.handles, found.answers, strict=True))

    def stop(self) -> None:
        """End the child :meth:`foresee` started, if it still works (the build failed, or did not ask)."""
        started, self._similar_child = self._similar_child, None
        if started is not None and started[0] == os.getpid():
            started[1].stop()

    def helpers_for(self, handle: str) -> list[tuple[str, list[tuple[str, str]]]]:
        """Each of the person's seeks with who can help, for those someone can help with: each helper's handle and why (:meth:`shown_helpers`)."""
        found = [(seek, self.offer_index().helpers(seek, exclude=handle)) for seek in self.org.people[handle].seeks]
        return [(seek, self.shown_helpers(helpers)) for seek, helpers in found if helpers]

    def shown_helpers(self, helpers: Iterable[Any]) -> list[tuple[str, str]]:
        """What a page shows of each :class:`~generator.network.matching.Helper`, in order: their handle, and why they meet the seek in words.

        Not their scores, which only order them: a page's reads and context are what a later build
        compares, and a score that moves without moving anyone would make the page again.
        """
        from generator.network.matching import why_it_meets

        return [(helper.handle, why_it_meets(helper, self.language)) for helper in helpers]

    def offer_index(self) -> Any:
        """Who offers, is asked about or holds what (:class:`~generator.network.matching.OfferIndex`), made on first use."""
        if self._offers is None:
            from generator.network.matching import OfferIndex

            self._offers = OfferIndex(self.org)
        return self._offers

    def _network_calls(self) -> dict[str, Callable[..., Any]]:
        from generator.site.ics import group_calendar_path, meetings_ahead

        return {
            "similar_to": self.similar_to,
            "helpers_for": self.helpers_for,
            "calendar_path": lambda slug: group_calendar_path(self.org, slug),
            "meetings_ahead": lambda weeks: meetings_ahead(self.org, self.today, weeks),
        }

    def _network_globals(self) -> dict[str, Any]:
        from generator.interop.exports import hidden_note
        from generator.network.pairing import first_day, shift_month
        from generator.network.silo import SILO_DARK_SVG_PATH, SILO_SVG_PATH
        from generator.site.ics import lunch_calendar_path, lunch_slot, upcoming_meetings

        def upcoming(meetings: Meetings, count: int) -> list[tuple[date, date]]:
            note(("global", "today"))  # its answer changes with the day of the build
            return upcoming_meetings(meetings, self.today, count)

        return {
            "upcoming_meetings": upcoming,
            "lunch_slot": lunch_slot,
            "lunch_calendar_path": lunch_calendar_path,
            "first_day": first_day,
            # A month's first and last day, and the next month's first: what a month's page holds for.
            "month_span": lambda month: (first_day(month), first_day(shift_month(month, 1)) - timedelta(days=1), first_day(shift_month(month, 1))),
            "silo_svg_path": SILO_SVG_PATH,
            "silo_dark_svg_path": SILO_DARK_SVG_PATH,
            "hidden_note": hidden_note,
        }

    # --- helpers ----------------------------------------------------------------------------

    def _page(self, path: str, template: str, *, source: str | None = None, **context: Any) -> Planned:
        return Planned(path, template, source, context)

    def _paged(
        self, path: str, template: str, items: Sequence[Any], *, source: str | None = None, size: int | None = None, **context: Any
    ) -> Iterator[Planned]:
        """Page 1 at ``path``, then ``<path without .md>/page-N.md``: at most ``size`` items each (:data:`PAGE_SIZE` by default)."""
        size = size or PAGE_SIZE
        count = max(1, -(-len(items) // size))
        paths = [path] + [f"{path[: -len('.md')]}/page-{n}.md" for n in range(2, count + 1)]
        if path.endswith("/index.md"):
            paths = [path] + [f"{path[: -len('index.md')]}page-{n}.md" for n in range(2, count + 1)]
        for number in range(1, count + 1):
            chunk = items[(number - 1) * size : number * size]
            pager = Pager(number, count, paths, len(items), size)
            yield self._page(paths[number - 1], template, source=source, items=chunk, pager=pager, **context)
