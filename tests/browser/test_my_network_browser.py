"""My network (network/mine/) in real Chromium on the demo site: the issue's whole scenario, its
suggestions against `trombi network suggest`'s rules, its import check against the JSON Schema, and
every request it makes (none leaves the site, none carries what was typed)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from generator.i18n import load_language
from generator.network import circles
from generator.network.mine import NETWORK_SCHEMA, facts_from_json, facts_json
from tests.test_circles import story  # noqa: F401 (the fixture: a small directory with a scripted history)
from tests.test_my_network import ACCEPTED, FULL, REFUSED

STORAGE_KEY = "trombi-my-network"
COLUMNS = list(NETWORK_SCHEMA["$defs"]["relationship"]["properties"])  # the CSV's, in the schema's order
VALIDATOR = Draft202012Validator(NETWORK_SCHEMA, format_checker=FormatChecker())
# What the scenario types: no request may carry any of it.
OUTSIDE_NAME = "Jeanne Zébulon-Externe"
ORGANISATION = "Cabinet Quetzal"
SECRET_ACTION = "Appeler au sujet du budget confidentiel 7Q"
SECRET_OUTCOME = "Elle soutient le projet\nà condition de voir le dossier"
SECRET_INTEREST = "Visibilité auprès du comité"
SECRET_NATURE = "Déjeuner au Bouchon"


@pytest.fixture(scope="module")
def facts(demo_site: Path) -> circles.Facts:
    return facts_from_json((demo_site / "assets" / "my-network.json").read_text(encoding="utf-8"))


def recorded(page: Any) -> list[tuple[str, str]]:
    """Every request of the page, its URL and its body, from now on."""
    requests: list[tuple[str, str]] = []
    page.on("request", lambda request: requests.append((request.url, request.post_data or "")))
    return requests


def open_mine(page: Any, base: str) -> None:
    page.goto(f"{base}network/mine/")
    page.wait_for_selector("[data-mine-who-input], [data-mine-change]")


def stored(page: Any) -> Any:
    return json.loads(page.evaluate(f"localStorage.getItem('{STORAGE_KEY}') || 'null'"))


def rich_person(facts: circles.Facts) -> str:
    """The first person of the demo with suggestions in all three circles."""
    for handle in facts.handles:
        found = circles.suggest(facts, facts.index()[handle])
        if {s.circle for s in found} == set(circles.CIRCLES):
            return handle
    raise AssertionError("nobody of the demo has suggestions in all three circles")


def test_the_page_suggests_what_the_command_suggests(facts: circles.Facts, base: str, tab: Any) -> None:
    open_mine(tab, base)
    french = load_language("fr")
    compared = 0
    for handle in facts.handles:
        expected = [
            {
                "handle": facts.handles[s.person],
                "circle": s.circle,
                "reasons": [{"code": r.code, "text": circles.describe(facts, r, french)} for r in s.reasons],
            }
            for s in circles.suggest(facts, facts.index()[handle])
        ]
        assert tab.evaluate("handle => window.trombiMyNetwork.suggest(handle)", handle) == expected, handle
        compared += bool(expected)
    assert compared > len(facts.handles) // 2
    # Most rules have a say in the demo (its history has no change of team or manager: tests/test_circles.py has them).
    codes = {r.code for h in facts.handles for s in circles.suggest(facts, facts.index()[h]) for r in s.reasons}
    assert codes >= {"same-title", "similar-title", "community", "joined", "lent", "served"}, codes


def test_the_page_reads_former_managers_and_teammates_as_the_command_does(
    story: tuple[Any, circles.Facts],  # noqa: F811
    demo_site: Path,
    serve: Callable[[Path], str],
    tmp_path: Path,
    page: Any,
) -> None:
    # The small directory of tests/test_circles.py, whose history has a manager and a team change, in the demo's page.
    _, facts = story
    site = tmp_path / "site"
    shutil.copytree(demo_site, site)
    (site / "assets" / "my-network.json").write_text(facts_json(facts), encoding="utf-8")
    base = serve(site)
    open_mine(page, base)
    french = load_language("fr")  # the demo's page speaks French
    codes = set()
    for handle in facts.handles:
        found = circles.suggest(facts, facts.index()[handle])
        expected = [
            {
                "handle": facts.handles[s.person],
                "circle": s.circle,
                "reasons": [{"code": r.code, "text": circles.describe(facts, r, french)} for r in s.reasons],
            }
            for s in found
        ]
        assert page.evaluate("handle => window.trombiMyNetwork.suggest(handle)", handle) == expected, handle
        codes |= {r.code for s in found for r in s.reasons}
    assert codes >= {"former-manager", "former-teammate", "joined", "offers", "served", "lent"}, codes
    assert page.errors == []


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_the_page_accepts_what_the_schema_accepts(name: str, base: str, tab: Any) -> None:
    open_mine(tab, base)
    assert not list(VALIDATOR.iter_errors(ACCEPTED[name]))
    assert tab.evaluate("data => window.trombiMyNetwork.check(data)", ACCEPTED[name]) == []


def test_the_page_refuses_what_the_schema_refuses(base: str, tab: Any) -> None:
    open_mine(tab, base)
    for name, data in REFUSED.items():
        assert list(VALIDATOR.iter_errors(data)), name
        assert tab.evaluate("data => window.trombiMyNetwork.check(data)", data) != [], name


def identify(page: Any, facts: circles.Facts, handle: str) -> None:
    name = facts.names[facts.index()[handle]]
    page.fill("[data-mine-who-input]", name[:4])  # the names that begin so are offered
    options = page.eval_on_selector_all("#mine-who-list option", "options => options.map(o => o.value)")
    assert handle in options, options
    page.fill("[data-mine-who-input]", name.upper())  # a whole name, in any case, names its person
    page.click(".trombi-mine__who button[type=submit]")
    page.wait_for_selector("[data-mine-change]")
    assert name in str(page.text_content(".trombi-mine__who"))


def take_suggestion(page: Any, circle: str) -> str:
    button = page.locator(f"[data-mine-suggestions={circle}] [data-mine-take]").first
    handle = str(button.get_attribute("data-mine-take"))
    button.click()
    page.wait_for_selector(f"[data-mine-circle={circle}] a[href$='/people/{handle}/']")
    return handle


def qualify(page: Any, relationship_id: str, values: dict[str, str], brings: list[str]) -> None:
    prefix = f"#mine-{relationship_id}-"
    if not page.locator(prefix + "circle").count():
        page.click(f'[data-mine-edit="{relationship_id}"]')
    for field, value in values.items():
        control = page.locator(prefix + field)
        if control.evaluate("node => node.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    for what in brings:
        page.check(f"{prefix}brings-{what}")
    page.click(f"{prefix}circle >> xpath=ancestor::form//button[@type='submit']")
    page.wait_for_selector(f'[data-mine-edit="{relationship_id}"]')


def relationship_id(page: Any, name: str) -> str:
    return str(next(item["id"] for item in stored(page)["relationships"] if item["name"] == name))


def download(page: Any, kind: str) -> str:
    with page.expect_download() as info:
        page.click(f'[data-mine-export="{kind}"]')
    return Path(info.value.path()).read_text(encoding="utf-8")


def forget(page: Any) -> None:
    page.click("[data-mine-forget]")
    page.wait_for_selector("[data-mine-who-input]")
    assert stored(page) is None


def import_file(page: Any, name: str, text: str) -> str:
    page.set_input_files("[data-mine-import]", files=[{"name": name, "mimeType": "application/octet-stream", "buffer": text.encode("utf-8")}])
    page.wait_for_function("document.querySelector('[data-mine-status]').textContent !== ''")
    return str(page.text_content("[data-mine-status]"))


def test_a_whole_network_kept_in_the_browser(facts: circles.Facts, demo_site: Path, serve: Callable[[Path], str], page: Any) -> None:
    base = serve(demo_site)
    requests = recorded(page)
    page.on("dialog", lambda dialog: dialog.accept())
    today = date.today()
    open_mine(page, base)
    me = rich_person(facts)
    identify(page, facts, me)

    # From the suggestions, one in each circle; the new relationship's edit button has the focus.
    taken = {circle: take_suggestion(page, circle) for circle in circles.CIRCLES}
    assert page.evaluate("document.activeElement.hasAttribute('data-mine-edit')")
    assert "ajouté·e à votre cercle opérationnel" in str(page.text_content("[data-mine-status]"))
    # By search: someone of the directory not suggested yet, in the support circle.
    suggested = {facts.handles[s.person] for s in circles.suggest(facts, facts.index()[me])}
    searched = next(h for h in facts.handles if h not in suggested and h != me and facts.kinds[facts.index()[h]] == 0)
    page.fill("[data-mine-add-input]", searched)
    page.select_option("#mine-add-circle", "support")
    page.click(".trombi-mine__add button[type=submit]")
    page.wait_for_selector(f"[data-mine-circle=support] a[href$='/people/{searched}/']")
    # Someone outside the directory, by name, with their organisation: to see every week, last seen long ago.
    page.fill("[data-mine-add-input]", OUTSIDE_NAME)
    page.select_option("#mine-add-circle", "information")
    page.click(".trombi-mine__add button[type=submit]")
    page.click("[data-mine-outside]")
    outside_id = relationship_id(page, OUTSIDE_NAME)
    assert page.evaluate("document.activeElement.id") == f"mine-{outside_id}-organisation"
    qualify(page, outside_id, {"organisation": ORGANISATION, "frequency": "week", "last_contact": "2020-01-06"}, [])
    # Every field of one relationship, with a next action that is overdue.
    support_name = facts.names[facts.index()[taken["support"]]]
    support_id = relationship_id(page, support_name)
    yesterday = (today - timedelta(days=1)).isoformat()
    every_field = {
        "frequency": "month",
        "last_contact": today.isoformat(),
        "last_nature": SECRET_NATURE,
        "last_outcome": SECRET_OUTCOME,
        "intensity": "4",
        "trust": "5",
        "reciprocal": "yes",
        "interest": SECRET_INTEREST,
        "power": "3",
        "next_action": SECRET_ACTION,
        "next_date": yesterday,
    }
    qualify(page, support_id, every_field, ["support", "help"])
    # Moved to another circle by editing; then one removed.
    operational_name = facts.names[facts.index()[taken["operational"]]]
    qualify(page, relationship_id(page, operational_name), {"circle": "information"}, [])
    page.click(f'[data-mine-remove="{relationship_id(page, operational_name)}"]')

    kept = stored(page)
    assert not list(VALIDATOR.iter_errors(kept))
    by_name = {item["name"]: item for item in kept["relationships"]}
    assert set(by_name) == {facts.names[facts.index()[taken["information"]]], support_name, facts.names[facts.index()[searched]], OUTSIDE_NAME}
    qualified = by_name[support_name]
    assert {key: qualified[key] for key in every_field} == {
        **every_field,
        "intensity": 4,
        "trust": 5,
        "power": 3,
        "reciprocal": True,
    }
    assert qualified["brings"] == ["support", "help"] and qualified["circle"] == "support"
    assert by_name[OUTSIDE_NAME] | {"id": "", "added": ""} == {
        **by_name[OUTSIDE_NAME],
        "id": "",
        "added": "",
        "handle": None,
        "outside": True,
        "organisation": ORGANISATION,
        "circle": "information",
    }

    def everything_is_shown() -> None:
        actions = str(page.text_content("[data-mine-actions]"))
        assert SECRET_ACTION in actions and support_name in actions and "en retard" in actions
        cold = str(page.text_content("[data-mine-cold]"))
        assert OUTSIDE_NAME in cold and "6 janvier 2020" in cold and "chaque semaine" in cold
        assert "hors annuaire" in str(page.text_content("[data-mine-circle=information]"))
        assert page.locator(".trombi-mine__picture .trombi-mine__dot").count() == 4
        assert page.locator(".trombi-mine__picture .trombi-mine__dot--cold").count() == 1

    everything_is_shown()
    # Reload: all of it is still there, and the person is still known.
    page.reload()
    page.wait_for_selector("[data-mine-change]")
    assert stored(page) == kept
    everything_is_shown()

    # Export, forget, import: the same network again, from the JSON file and from the CSV.
    exported = download(page, "json")
    document = json.loads(exported)
    assert not list(VALIDATOR.iter_errors(document))
    assert document["relationships"] == kept["relationships"] and document["me"] == me
    table = download(page, "csv")
    rows = list(csv.DictReader(io.StringIO(table)))
    assert list(rows[0]) == COLUMNS and len(rows) == 4
    assert next(row for row in rows if row["name"] == support_name)["last_outcome"] == SECRET_OUTCOME
    forget(page)
    page.reload()
    page.wait_for_selector("[data-mine-who-input]")
    assert page.locator("[data-mine-circle]").count() == 0
    assert import_file(page, "réseau.json", exported) == "Importé\u202f: 4 relations."
    assert stored(page) == kept
    everything_is_shown()
    forget(page)
    assert import_file(page, "réseau.csv", table) == "Importé\u202f: 4 relations."
    assert stored(page) == {**kept, "me": None}  # a CSV holds the relationships only: the person says who they are again
    identify(page, facts, me)
    assert stored(page) == kept
    everything_is_shown()

    # A file the schema refuses changes nothing, and says why.
    for name, data in [("a line break in a name", REFUSED["a line break in a name"]), ("trust out of range", REFUSED["trust out of range"])]:
        said = import_file(page, f"{name}.json", json.dumps(data))
        assert said.startswith("Ce fichier n’a pas été importé, et rien n’a changé\u202f:"), said
        assert "/relationships/0/" in said, said
        assert stored(page) == kept
    said = import_file(page, "notes.txt", "rien à voir")
    assert "ni un fichier JSON de Mon réseau ni son CSV" in said and stored(page) == kept
    everything_is_shown()

    # The profile of someone in the network says so.
    page.goto(f"{base}people/{taken['support']}/")
    line = page.locator(".trombi-network a")
    assert line.text_content() == "Dans mon réseau\u202f: cercle de soutien"
    assert str(line.get_attribute("href")).endswith("network/mine/")
    page.goto(f"{base}people/{me}/")
    page.wait_for_selector("[data-trombi-intro] form")
    assert page.locator(".trombi-network").count() == 0

    # Nothing left the site, and nothing typed went anywhere.
    assert requests and all(url.startswith(base) or url.startswith("blob:" + base.rstrip("/")) for url, _ in requests), requests
    typed = [OUTSIDE_NAME, ORGANISATION, SECRET_ACTION, SECRET_INTEREST, SECRET_NATURE, "Elle soutient", "Quetzal", "Zébulon"]
    for url, body in requests:
        for text in typed:
            assert text not in unquote(url) and text not in body, (url, text)
    assert page.errors == []


def test_an_import_that_fails_leaves_the_network_as_it_was(facts: circles.Facts, base: str, tab: Any) -> None:
    tab.on("dialog", lambda dialog: dialog.accept())
    open_mine(tab, base)
    kept = {"format": "trombi-my-network", "version": 1, "me": facts.handles[0], "relationships": [FULL]}
    tab.evaluate(f"data => localStorage.setItem('{STORAGE_KEY}', JSON.stringify(data))", kept)
    tab.reload()
    tab.wait_for_selector("[data-mine-change]")
    before = stored(tab)
    said = import_file(tab, "bad.json", json.dumps({**REFUSED["no such day"], "relationships": [dict(FULL, last_contact="2025-02-29")] * 8}))
    assert "/relationships/0/last_contact\u202f: pas une date" in said and "et 3 autres" in said, said
    assert stored(tab) == before
    assert tab.evaluate("document.activeElement.hasAttribute('data-mine-status')")
