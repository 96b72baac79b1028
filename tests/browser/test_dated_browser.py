"""What goes by the day stays current between builds: a site built last week, read this week (assets/dated.js)."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_directory, write_config
from tests.test_history import PERSON, Repo

BUILT = date(2026, 11, 25)  # a Wednesday: the week of 23 November
READ = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # the Wednesday after: the week of 30 November


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Built on :data:`BUILT`: a weekly and a monthly meeting, someone who joins the Monday after, profiles a year old."""
    from generator.engine.publish import build_site

    root = make_directory(tmp_path_factory.mktemp("dated") / "directory")
    write_config(root)
    guild = root / "groups" / "guild-python.yaml"
    # Monthly: 3 December, in the week after the build's; weekly: every Tuesday.
    guild.write_text(guild.read_text(encoding="utf-8") + 'meetings: {every: month, "on": premier jeudi, at: "12:30"}\n', encoding="utf-8")
    platform = root / "groups" / "platform.yaml"
    platform.write_text(platform.read_text(encoding="utf-8") + 'meetings: {every: week, "on": mardi, at: "10:00"}\n', encoding="utf-8")
    repo = Repo(root)
    # Last changed on 28 November 2025: stale (12 months) from 1 December 2026 (days past the 28th count as the 28th), after the build.
    repo.commit("the directory", "2025-11-28T10:00:00Z")
    repo.write("people/zoe.yaml", PERSON.format(name="Zoé Martin", title="Stagiaire", skills="Python") + "joined: 2026-11-30\n")
    repo.commit("Zoé arrives on Monday", "2026-11-20T10:00:00Z")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(calendar.timegm(BUILT.timetuple()) + 12 * 3600))
        yield build_site(root, root / "site")


def shown(page: Any, selector: str) -> list[str]:
    """The text of the elements matching ``selector`` that are on screen (not hidden, nor in a hidden box)."""
    return [" ".join(str(e.text_content()).split()) for e in page.query_selector_all(selector) if e.is_visible()]


def test_a_page_built_last_week_shows_this_weeks_meetings(site: Path, serve: Callable[[Path], str], browser: Any) -> None:
    base = serve(site)
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.clock.set_fixed_time(READ)
        page.goto(base)
        meetings = shown(page, ".trombi-groups li[data-trombi-from]")
        assert any("Guilde Python" in m and "jeudi 3 décembre" in m for m in meetings), meetings
        assert [m for m in meetings if "Équipe Plateforme" in m] == [next(m for m in meetings if "Équipe Plateforme" in m)]
        assert any("mardi 1er décembre" in m for m in meetings) and not any("24 novembre" in m for m in meetings), meetings
        assert page.is_visible("text=Se réunissent cette semaine")
        page.goto(f"{base}groups/guild-python/")
        assert shown(page, "time[data-trombi-until]") == ["jeudi 3 décembre 2026 à 12:30"]
        page.goto(f"{base}groups/platform/")
        assert shown(page, "time[data-trombi-until]") == ["mardi 8 décembre 2026 à 10:00"]
        page.goto(base)
        assert "Zoé Martin" in " ".join(shown(page, ".trombi-cards li"))
        page.goto(f"{base}lunch/2026-11/")
        notes = shown(page, ".admonition.note")
        assert notes == ["Une proposition tirée pour novembre 2026, mois terminé : elle n’a pas été enregistrée."], notes
        page.goto(f"{base}news/stale/")
        stale = shown(page, ".trombi-stale li")
        assert len(stale) >= 3 and all("mis à jour le 28 novembre 2025" in entry for entry in stale), stale
        assert not page.is_visible("text=Tous les profils ont été mis à jour récemment")
        counts = [int(c) for c in shown(page, "[data-trombi-count]")]
        assert sum(counts) == len(stale)
        assert errors == []
    finally:
        context.close()


def test_without_the_script_the_page_is_as_built(site: Path, serve: Callable[[Path], str], browser: Any) -> None:
    base = serve(site)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base)
        meetings = shown(page, ".trombi-groups li[data-trombi-from]")
        assert meetings and all("Équipe Plateforme" in m and "mardi 24 novembre" in m for m in meetings), meetings
        page.goto(f"{base}groups/guild-python/")
        assert shown(page, "time[data-trombi-until]") == ["jeudi 3 décembre 2026 à 12:30"]
        page.goto(f"{base}groups/platform/")
        assert shown(page, "time[data-trombi-until]") == ["mardi 1er décembre 2026 à 10:00"]
        page.goto(base)
        assert "Zoé Martin" not in " ".join(shown(page, ".trombi-cards li"))  # she joins on the 30th
        page.goto(f"{base}lunch/2026-11/")
        assert shown(page, ".admonition.note") == [
            "Une proposition tirée pour ce mois-ci : elle devient définitive une fois enregistrée par les organisateurs des déjeuners."
        ]
        page.goto(f"{base}news/stale/")
        assert shown(page, ".trombi-stale li") == []
        assert page.is_visible("text=Tous les profils ont été mis à jour récemment")
    finally:
        context.close()


def test_a_week_with_no_meeting_hides_the_section(site: Path, serve: Callable[[Path], str], browser: Any) -> None:
    base = serve(site)
    context = browser.new_context()
    try:
        page = context.new_page()
        # Six weeks on: past the four weeks of meetings the build wrote, none is known to meet.
        page.clock.set_fixed_time(datetime(2027, 1, 6, 12, 0, tzinfo=UTC))
        page.goto(base)
        assert shown(page, ".trombi-groups li[data-trombi-from]") == []
        assert not page.is_visible("text=Se réunissent cette semaine")
    finally:
        context.close()
