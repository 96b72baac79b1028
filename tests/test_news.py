"""What's new, freshness and the Atom feed: real mkdocs builds of git repositories made in tmp_path."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest

from generator.directory.enrich import enrich
from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory
from generator.engine.publish import build_site
from generator.history.git import Event, History
from generator.history.news import atom_feed, news_items, stale_profiles
from generator.i18n import load_language
from generator.site.render import render_site
from tests.conftest import CARD, make_directory, read_page, write_config
from tests.test_history import PERSON, Repo

SITE_URL = "https://trombi.example/acme/"
NOW = datetime.now(UTC).replace(microsecond=0)


def ago(days: int) -> str:
    return (NOW - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Repo, Path]:
    """A directory with a year of history: an old import, then a join, a promotion, a new guild."""
    root = make_directory(tmp_path_factory.mktemp("news") / "d")
    write_config(root, extra=f"    news_days: 60\nsite_url: {SITE_URL}\n")
    repo = Repo(root)
    repo.commit("initial directory", ago(400))
    repo.write("people/zoe.yaml", PERSON.format(name="Zoé Martin", title="Stagiaire", skills="Python"))
    repo.commit("Zoé arrive", ago(20), author="Zoé Martin")
    lead = root / "people" / "lead.yaml"
    lead.write_text(lead.read_text(encoding="utf-8").replace("  - Python", "  - {name: Python, level: advanced}\n  - Rust"), encoding="utf-8")
    repo.commit("Léo progresse", ago(10), author="Léo Durand")
    repo.write("groups/guild-rust.yaml", "# yaml-language-server: $schema=../schemas/group.schema.json\nname: Guilde Rust\ntype: community\nowners: [zoe]\n")
    zoe = PERSON.format(name="Zoé Martin", title="Développeuse", skills="Python").replace("skills:", "groups: [guild-rust]\nskills:")
    repo.write("people/zoe.yaml", zoe + "contact:\n  email: zoe.martin@example.com\n")
    repo.commit("Guilde Rust", ago(3), author="zmartin", email="Zoe.Martin@example.com")  # her address: her directory name
    repo.write("people/dev.yaml", (root / "people" / "dev.yaml").read_text(encoding="utf-8"))  # unchanged: Ana stays stale
    return repo, build_site(root, root / "site")


def page(site: Path, path: str) -> str:
    return read_page(site / path / "index.html")


def test_whats_new_page_tells_real_events_newest_first(built: tuple[Repo, Path]) -> None:
    _, site = built
    text = page(site, "news")
    expected = [
        "Zoé Martin est désormais Développeuse",
        "Nouveau groupe : Guilde Rust",
        "Zoé Martin rejoint Guilde Rust",
        "Léo Durand ajoute la compétence Rust (intermédiaire)",
        "Léo Durand progresse en Python : avancé",
        "Zoé Martin nous rejoint : Stagiaire, Équipe Plateforme",
    ]
    positions = [text.find(sentence) for sentence in expected]
    assert all(p >= 0 for p in positions), list(zip(expected, positions, strict=True))
    assert positions[-1] > max(positions[:-1]), "the oldest event comes last"
    assert "Claire" not in text, "the import 400 days ago is outside the 60-day window"
    assert 'href="../people/zoe/"' in text and 'href="../groups/guild-rust/"' in text
    assert 'href="../feed.xml"' in text and 'href="stale/"' in text


def test_feed_parses_with_absolute_links_and_right_dates(built: tuple[Repo, Path]) -> None:
    _, site = built
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Test Co — Nouveautés"
    assert feed.feed.id == SITE_URL + "feed.xml"
    assert feed.feed.get("language", "fr") == "fr"
    titles = [entry.title for entry in feed.entries]
    assert len(titles) == 6 and titles[-1] == "Zoé Martin nous rejoint : Stagiaire, Équipe Plateforme"
    newest = datetime(*feed.entries[0].updated_parsed[:6], tzinfo=UTC)
    oldest = datetime(*feed.entries[-1].updated_parsed[:6], tzinfo=UTC)
    assert newest == NOW - timedelta(days=3) and oldest == NOW - timedelta(days=20)
    assert feed.entries[-1].author == "Zoé Martin"
    # Authors as readers know them: a person by their directory name, not their git one; automation by no name.
    authors = {entry.title: entry.get("author") for entry in feed.entries}
    assert authors["Zoé Martin rejoint Guilde Rust"] == "Zoé Martin"
    assert len({entry.id for entry in feed.entries}) == len(feed.entries)
    for entry in feed.entries:
        assert entry.link.startswith(SITE_URL), entry.link
        target = site / urlsplit(entry.link).path.removeprefix(urlsplit(SITE_URL).path) / "index.html"
        assert target.is_file(), entry.link


def test_person_and_group_pages_say_when_and_by_whom(built: tuple[Repo, Path]) -> None:
    repo, site = built
    assert (repo.root / ".trombi" / "history.json").is_file(), "kept for the next build"
    when = (NOW - timedelta(days=10)).date()
    lead = page(site, "people/lead")
    assert f"Mis à jour le {load_language('fr').date(when)} par Léo Durand" in lead
    assert "Toujours à jour" not in lead
    assert "application/atom+xml" not in lead, "feed readers find the feed from the home page and the news"
    guild = page(site, "groups/guild-rust")
    # Her commit's address is in her profile: her page is linked, by the name the directory gives her.
    assert "Mis à jour le" in guild and 'par <a href="../../people/zoe/">Zoé Martin</a>' in guild


def test_stale_profiles_flagged_and_listed_for_curators(built: tuple[Repo, Path]) -> None:
    _, site = built
    ana = page(site, "people/dev")
    assert "Toujours à jour" in ana and "depuis plus de 12 mois" in ana
    assert 'href="https://git.example/acme/trombi/edit/main/people/dev.yaml">Le mettre à jour</a>' in ana
    curators = page(site, "news/stale")
    assert "Ana Silva" in curators and "Claire Éon" in curators and "Léo Durand" not in curators
    assert curators.index("Équipe Plateforme") < curators.index("Sans équipe"), "teams by name, no team last"
    # Each with its age, and a reminder ready to send to those with a public email.
    assert curators.count("(il y a 13 mois)") == 2
    reminder = re.search(r'<a href="(mailto:[^"]+)" title="Écrire à Claire Éon, avec un message prêt à envoyer">relancer</a>', curators)
    assert reminder is not None
    url = urlsplit(html.unescape(reminder.group(1)))
    fields = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert url.path == "claire@acme.example" and fields["subject"] == "Votre profil dans Test Co"
    assert fields["body"].startswith("Bonjour Claire Éon,\n\nVotre profil dans Test Co a été mis à jour pour la dernière fois il y a 13")
    assert "https://git.example/acme/trombi/edit/main/people/ceo.yaml" in fields["body"]
    ana = curators[curators.index(">Ana Silva<") :].split("<li")[0]  # the minified page may leave out </li>
    assert "mailto:" not in ana, "no public email: no reminder"


def test_home_shows_new_joiners_by_first_commit_and_links_the_news(built: tuple[Repo, Path]) -> None:
    _, site = built
    home = read_page(site / "index.html")
    newest = re.findall(CARD.pattern + r'"people/([a-z-]+)/"', home)
    assert newest[:1] == ["zoe"], "no joined date: the first commit of her file counts"
    assert 'href="news/"' in home and "6 événements ces 60 derniers jours" in home
    assert re.search(r'<link (?=[^>]*rel="alternate")(?=[^>]*type="application/atom\+xml")[^>]*href="feed.xml"', home)


def test_feed_without_site_url_uses_tag_ids_and_relative_links() -> None:
    when = datetime(2026, 11, 5, 8, tzinfo=UTC)
    from generator.history.news import NewsItem

    items = [NewsItem(when, "Zoé & <co> nous rejoint", "people/zoe.md", "abc/joined/zoe/", "Zoé")]
    text = atom_feed(items, title="Acme — Nouveautés", site_url=None, language=load_language("fr"), authority="git.example")
    feed = feedparser.parse(text.encode("utf-8"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.id == "tag:git.example,2026:feed.xml"
    (entry,) = feed.entries
    assert entry.id.startswith("tag:git.example,2026-11-05:event/")
    assert entry.link == "people/zoe/" and entry.title == "Zoé & <co> nous rejoint"
    assert atom_feed(items, title="Acme", site_url=None, language=load_language("fr"), authority="git.example").count(entry.id) == 1


def test_an_event_is_signed_by_its_author_as_readers_know_them(tmp_path: Path) -> None:
    directory, _ = validate_directory(load_settings(make_directory(tmp_path / "d")))
    org = enrich(directory)
    address = next(p.contact.email.value for p in org.people.values() if p.contact.email is not None)
    person = next(p.name for p in org.people.values() if p.contact.email is not None and p.contact.email.value == address)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    by = [("git-login", address.upper()), ("Import RH", "import@users.noreply.example"), ("dependabot[bot]", "x@example.com"), ("Ann Other", "ann@example.com")]
    events = [
        Event(start - timedelta(hours=n), "title", "lead", {"name": "Léo", "old": "a", "new": f"t{n}"}, f"{n:040x}", name, email)
        for n, (name, email) in enumerate(by)
    ]
    authors = [item.author for item in news_items(History(events=events), org, load_language("fr"))]
    assert authors == [person, "", "", "Ann Other"]


def test_many_events_are_paged_and_the_feed_keeps_200(tmp_path: Path) -> None:
    root = make_directory(tmp_path / "d")
    directory, _ = validate_directory(load_settings(root))
    org = enrich(directory)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    events = [Event(start - timedelta(hours=n), "title", "lead", {"name": "Léo", "old": "a", "new": f"t{n}"}, f"{n:040x}", "x") for n in range(450)]
    history = History(events=events)
    pages = {p.path: p.html for p in render_site(org, today=date(2026, 11, 20), history=history)}
    assert {"news/index.md", "news/page-2.md", "news/page-3.md"} <= set(pages) and "news/page-4.md" not in pages
    assert "Léo est désormais t0" in pages["news/index.md"] and "Léo est désormais t449" in pages["news/page-3.md"]
    feed = feedparser.parse(atom_feed(news_items(history, org, load_language("en")), title="T", site_url=SITE_URL, language=load_language("en")))
    assert not feed.bozo and len(feed.entries) == 200 and feed.entries[0].title == "Léo is now t0"


def test_stale_profiles_are_by_team_oldest_first(tmp_path: Path) -> None:
    from generator.history.git import Change

    root = make_directory(tmp_path / "d")
    directory, _ = validate_directory(load_settings(root))
    org = enrich(directory)
    old = datetime(2024, 1, 1, tzinfo=UTC)
    history = History(
        changes={
            "people/ceo.yaml": Change(old, "a", "1"),
            "people/dev.yaml": Change(old + timedelta(days=30), "a", "2"),
            "people/lead.yaml": Change(old, "a", "3"),
        }
    )
    assert stale_profiles(history, org, months=12, today=date(2026, 1, 1)) == [
        ("platform", [("lead", date(2024, 1, 1)), ("dev", date(2024, 1, 31))]),
        ("", [("ceo", date(2024, 1, 1))]),
    ]
    assert stale_profiles(history, org, months=36, today=date(2026, 1, 1)) == []


def test_profiles_to_refresh_are_paged_by_teams(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """So many teams a page: a change in one team's profiles makes that page again, not a page of everyone."""
    from generator.history.git import Change
    from generator.site import render
    from generator.site.render import Renderer

    monkeypatch.setattr(render, "STALE_TEAMS", 1)
    root = make_directory(tmp_path / "d")
    org = enrich(validate_directory(load_settings(root))[0])
    today = date(2026, 1, 1)

    def pages(lead: datetime) -> dict[str, tuple[dict[str, object], str]]:
        old = datetime(2024, 1, 1, tzinfo=UTC)
        changes = {"people/ceo.yaml": Change(old, "a", "1"), "people/dev.yaml": Change(old, "a", "2"), "people/lead.yaml": Change(lead, "a", "3")}
        renderer = Renderer(org, today=today, history=History(changes=changes))
        return {p.path: (p.context, renderer.render(p).html) for p in renderer.news() if p.path.startswith("news/stale")}

    # The team (Léo, Ana), then those without one (the CEO): a page each, each with its own count of what holds today.
    before = pages(datetime(2024, 1, 1, tzinfo=UTC))
    assert list(before) == ["news/stale.md", "news/stale/page-2.md"]
    first, second = before["news/stale.md"][1], before["news/stale/page-2.md"][1]
    assert "Léo Durand" in first and "Ana Silva" in first and "Claire Éon" not in first
    assert "Claire Éon" in second and "Ana Silva" not in second
    assert "Page 1 sur 2, 1–1 sur 2" in first and 'href="page-2/"' in first, first
    # Léo's profile, just updated, turns stale only in the coming weeks: the CEO's page is as it was.
    after = pages(datetime(2025, 1, 20, tzinfo=UTC))
    assert after["news/stale/page-2.md"] == before["news/stale/page-2.md"]
    assert after["news/stale.md"] != before["news/stale.md"]
    # Nobody on a page is stale today: that page says so of itself, hidden until the reader's day shows none (assets/dated.js).
    fresh = pages(datetime(2025, 12, 20, tzinfo=UTC))
    assert list(fresh) == ["news/stale.md", "news/stale/page-2.md"]
    assert fresh["news/stale.md"][0]["stale_now"] is True
    assert "Aucun profil de cette page n’est à rafraîchir aujourd’hui." in fresh["news/stale.md"][1]


def test_build_outside_git_and_in_a_shallow_clone(built: tuple[Repo, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    repo, _ = built
    plain = tmp_path / "plain"
    shutil.copytree(repo.root, plain, ignore=shutil.ignore_patterns(".git", "site", ".trombi"))
    with caplog.at_level("INFO", logger="mkdocs.plugins.trombi"):
        site = build_site(plain, tmp_path / "plain-site")
    assert [r.getMessage() for r in caplog.records if "not a git repository" in r.getMessage()] != []
    assert len([r for r in caplog.records if "history:" in r.getMessage()]) == 1, "said once"
    assert "pas de dépôt git" in page(site, "news")
    assert "Mis à jour le" not in page(site, "people/lead")
    assert not (plain / ".trombi" / "history.json").exists()

    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(shallow)], check=True)
    (shallow / "docs").mkdir()  # git keeps no empty folder
    site = build_site(shallow, tmp_path / "shallow-site")
    news = page(site, "news")
    assert "clone superficiel" in news and "fetch-depth: 0" in news
    assert "nous rejoint" not in news, "a shallow clone's oldest commit seems to add every file: no false arrivals"


def test_newcomers_of_the_coming_weeks_are_listed_with_their_days() -> None:
    from generator.history.git import History
    from generator.history.news import new_joiners
    from tests.test_pairing import make_org

    joined = {"ana": date(2026, 1, 5), "bob": date(2026, 2, 2), "cleo": date(2026, 3, 2), "dan": date(2026, 3, 20), "eve": date(2026, 6, 1)}
    org = make_org({handle: {"joined": day} for handle, day in joined.items()})
    found = new_joiners(History(), org, 2, today=date(2026, 3, 1))
    # Newest first: Dan and Cléo to come (Eve too far ahead); Bob and Ana out as each two newer arrive.
    assert found == [
        ("dan", date(2026, 3, 20), None),
        ("cleo", date(2026, 3, 2), None),
        ("bob", date(2026, 2, 2), date(2026, 3, 19)),
        ("ana", date(2026, 1, 5), date(2026, 3, 1)),
    ]


@pytest.mark.parametrize(
    ("updated", "months", "since"),
    [(date(2025, 11, 28), 12, date(2026, 12, 1)), (date(2025, 1, 31), 1, date(2025, 3, 1)), (date(2024, 2, 28), 12, date(2025, 3, 1))],
)
def test_a_profile_turns_stale_the_day_is_stale_says(updated: date, months: int, since: date) -> None:
    from generator.history.news import _months_before, stale_since

    assert stale_since(updated, months) == since
    assert _months_before(since, months) > updated >= _months_before(since - timedelta(days=1), months)
