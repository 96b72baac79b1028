"""The profile form (edit/) in real Chromium on the demo: what it writes is what `trombi validate` accepts.

A new profile filled from scratch is a valid file equal to tests/data/form/new-profile.yaml; a
skill added to an existing profile is a one-line diff of its real file; every kind of error shows
next to its field; the git hosts' addresses are built right and stay under their limits, or the
form falls back to copy and paste; and no request leaves the site.
"""

from __future__ import annotations

import dataclasses
import difflib
import gzip
import json
import os
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory
from generator.site.form import URL_LIMIT, git_host
from tests.conftest import REPO

REFERENCE = REPO / "tests" / "data" / "form" / "new-profile.yaml"


def open_form(page: Any, base: str, query: str = "") -> None:
    page.goto(f"{base}edit/{query}")
    wait_until_ready(page)


def wait_until_ready(page: Any) -> None:
    """Until the form has read the directory and answers (the start section shows before it has)."""
    page.wait_for_selector("[data-ready] :is([data-profile], [data-start]):not([hidden])")


def say_who(page: Any, who: str) -> None:
    page.fill("[data-who]", who)
    page.click("[data-start-form] button")
    page.wait_for_selector("[data-profile]:not([hidden])")


def prepare(page: Any) -> str:
    page.click("[data-submit]")
    page.wait_for_selector("[data-result]:not([hidden])")
    return str(page.text_content("[data-file]"))


def choose(page: Any, chooser: str, typed: str) -> None:
    page.fill(f"#f-{chooser}", typed)
    page.click(f"[data-chooser={chooser}] [data-add]")


def add_skill(page: Any, name: str, level: str) -> None:
    page.click("[data-add-skill]")
    index = page.locator("[data-skill-row]").count() - 1
    page.fill(f"#f-skills-{index}", name)
    page.select_option(f"#f-skills-{index}-level", level)


def fill_new_profile(page: Any, handle: str, bio: str) -> None:
    """Every field a newcomer fills, as they would: names rather than slugs, an alias for a skill."""
    page.fill("#f-handle", handle)
    page.fill("#f-name", "Maëlle N'Diaye")
    page.fill("#f-pronouns", "elle")
    page.fill("#f-title", "Ingénieure données: pipelines & qualité")
    page.select_option("#f-kind", "contractor")
    page.fill("#f-company", "Conseil & Données")
    page.fill("#f-team", "Équipe Data & Itinéraires")
    page.fill("#f-manager", "Karim Benali")
    page.fill("#f-location", "Lyon")
    page.fill("#f-timezone", "Europe/Paris")
    page.fill("#f-joined", "2026-09-01")
    choose(page, "languages", "anglais")  # the site's language, French, is there already
    page.fill("#f-contact-email", "maelle.ndiaye@helios-mobilite.example")
    page.fill("#f-contact-chat", "@mndiaye")
    page.fill("#f-contact-github", "mndiaye")
    page.fill("#f-contact-phone", "+33 6 12 34 56 78")
    page.check("[name='contact.phone.private']")
    page.fill("#f-contact-linkedin", "https://linkedin.example/in/maelle-ndiaye")
    add_skill(page, "py", "expert")
    add_skill(page, "Kubernetes", "notions")
    page.fill("#f-ask_me_about", "qualité des données\nFlux GTFS")
    page.fill("#f-offers", "relecture de requêtes SQL")
    page.fill("#f-seeks", "un binôme pour apprendre Rust")
    page.fill("#f-interests", "true\nrandonnée, vélo")
    choose(page, "groups", "Guilde Python")
    page.check("#f-networking-lunch")
    page.fill("#f-networking-snooze_until", "2026-12-31")
    page.fill("#f-bio", bio)


def validate_in_copy(tmp_path: Path, relative: str, text: str) -> list[str]:
    """What `trombi validate` says of ``text`` written at ``relative`` in a copy of the demo directory."""
    root = tmp_path / "directory"
    for name in ("people", "groups", "pairings"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    for name in ("skills.yaml", "mkdocs.yml"):
        shutil.copy(REPO / name, root / name)
    (root / relative).write_text(text, encoding="utf-8")
    settings = load_settings(root)
    _, problems = validate_directory(settings, [root / relative])
    return [str(problem) for problem in problems]


def test_a_new_profile_filled_from_scratch_is_valid_and_equals_the_reference(tab: Any, base: str, tmp_path: Path) -> None:
    open_form(tab, base, "?new=1")
    fill_new_profile(tab, "mndiaye", "Data engineer: je fiabilise les flux.\n\n- **GTFS** et SIRI\n  - temps réel")
    text = prepare(tab)
    assert validate_in_copy(tmp_path, "people/mndiaye.yaml", text) == []
    if os.environ.get("TROMBI_UPDATE_GOLDEN"):
        REFERENCE.write_text(text, encoding="utf-8")
    assert text == REFERENCE.read_text(encoding="utf-8")
    # The demo's repository is on GitHub: its new-file page, filled with the path and the file.
    link = tab.get_attribute("[data-open-host]", "href")
    address = urlsplit(link)
    assert f"{address.scheme}://{address.netloc}{address.path}" == "https://github.com/helios-mobilite/trombi/new/main"
    assert parse_qs(address.query) == {"filename": ["people/mndiaye.yaml"], "value": [text]}


def test_an_existing_profile_with_one_skill_added_is_a_one_line_diff(tab: Any, base: str) -> None:
    # From the skill's page, as a reader would: the form opens with the skill added, once it knows whose profile.
    tab.goto(f"{base}skills/kubernetes/")
    tab.click("a[href$='edit/?skill=Kubernetes']")
    wait_until_ready(tab)
    assert "Kubernetes" in str(tab.text_content("[data-notice]"))
    say_who(tab, "Amine Benaïssa")
    tab.select_option("[data-skill-row]:last-child select", "advanced")
    text = prepare(tab)
    real = (REPO / "people" / "abenaissa.yaml").read_text(encoding="utf-8")
    changed = [line for line in difflib.ndiff(real.splitlines(), text.splitlines()) if line[:1] in "+-"]
    assert changed == ["+   - {name: Kubernetes, level: advanced}"]
    assert tab.locator("[data-diff] ins").count() == 1 and tab.locator("[data-diff] del").count() == 0
    assert tab.get_attribute("[data-open-host]", "href") == "https://github.com/helios-mobilite/trombi/edit/main/people/abenaissa.yaml"


def private_values(folder: Path) -> list[str]:
    """Every private contact value of the directory's people, read from their files."""
    values = []
    for path in sorted(folder.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for entry in (document.get("contact") or {}).values():
            if isinstance(entry, dict) and entry.get("visibility") == "private":
                values.append(str(entry["value"]))
    return values


def test_a_profile_with_a_private_phone_gets_its_one_change_at_its_line_of_the_real_file(tab: Any, base: str, demo_site: Path, tmp_path: Path) -> None:
    real = (REPO / "people" / "jdupont.yaml").read_text(encoding="utf-8")
    assert "visibility: private" in real
    tab.goto(f"{base}skills/rust/")
    tab.click("a[href$='edit/?skill=Rust']")
    wait_until_ready(tab)
    say_who(tab, "jdupont")
    prepare(tab)
    # Not the whole file (it lacks the private line): the one edit to make, at its line of the real file.
    assert not tab.is_visible("[data-file]") and tab.is_visible("[data-hunks]")
    hunks = tab.locator("[data-hunk]")
    assert hunks.count() == 1
    said = str(hunks.first.locator("p").first.text_content())
    added = str(hunks.first.locator("pre").text_content())
    assert added == "  - {name: Rust, level: intermediate}"
    lines = real.splitlines()
    number = int("".join(ch for ch in said if ch.isdigit()))
    assert said == f"Après la ligne {number}, ajoutez\u202f:"
    edited = "\n".join([*lines[:number], added, *lines[number:]]) + "\n"
    # Made as said, the change is the one line, after the last skill, and the file stays valid, private phone included.
    changed = [line for line in difflib.ndiff(lines, edited.splitlines()) if line[:1] in "+-"]
    assert changed == ["+   - {name: Rust, level: intermediate}"]
    assert lines[number - 1].startswith("  - ") and not lines[number].startswith("  - ")
    assert validate_in_copy(tmp_path, "people/jdupont.yaml", edited) == []
    assert '"+33 6 39 98 12 34", visibility: private' in edited
    # One click copies the lines; the page offers the file's edit page, not a whole file to paste.
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"])
    hunks.first.locator("button").click()
    tab.wait_for_function("document.querySelector('[data-hunk] [role=status]').textContent !== ''")
    assert tab.evaluate("navigator.clipboard.readText()") == added + "\n"
    assert tab.get_attribute("[data-open-host]", "href") == "https://github.com/helios-mobilite/trombi/edit/main/people/jdupont.yaml"
    # No private value of the demo is anywhere in the built site, shards unzipped included.
    secrets = private_values(REPO / "people")
    assert "+33 6 39 98 12 34" in secrets and len(secrets) >= 2
    found = []
    for path in demo_site.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        text = gzip.decompress(data).decode("utf-8") if path.name.endswith(".gz") else data.decode("utf-8", "replace")
        found += [f"{path}: {secret}" for secret in secrets if secret in text or secret.replace(" ", "") in text]
    assert found == []


# The field, what is typed there, and the start of what is said next to it (in French, the demo's language).
ERRORS = {
    "handle": ("Jeanne.Dupont", "Utilisez 2 à 40 lettres minuscules"),
    "name": ("", "Obligatoire."),
    "pronouns": ("elle\u0007", "Une seule ligne, sans retour à la ligne, caractère de contrôle ni caractère invisible\u202f: retirez U+0007."),
    "title": ("x" * 201, "200 caractères au plus (201 actuellement)."),
    "photo": ("images/moi.png", "Une photo est un fichier de photos/"),
    "team": ("Équipe Inconnue", "Ce n’est pas une équipe de l’annuaire"),
    "manager": ("Personne Inconnue", "Personne dans l’annuaire n’a cet identifiant ou ce nom"),
    "timezone": ("Europe/Lyon", "Fuseau horaire inconnu"),
    "contact.email": ("jean.dupont@", "Ce n’est pas une adresse e-mail"),
    "contact.github": ("@jdupont", "Écrivez l’identifiant sans « @ »\u202f: jdupont."),
    "contact.gitlab": ("-jdupont", "Ce n’est pas un identifiant GitLab"),
    "contact.phone": ("+33 6 00 00 00 00", "C’est le numéro d’exemple du squelette"),
    "bio": ("Quelques phrases sur vous, en Markdown.", "C’est le texte d’exemple du squelette"),
}


# Whether a field's input says it is invalid, and which elements describe it.
FIELD_STATE = """box => {
    const input = box.querySelector('input:not([type=checkbox]), select, textarea');
    return [input.getAttribute('aria-invalid'), input.getAttribute('aria-describedby')];
}"""


def test_every_kind_of_field_error_shows_next_to_its_field(tab: Any, base: str) -> None:
    open_form(tab, base, "?new=1")
    for field, (typed, _) in ERRORS.items():
        tab.fill(f"#f-{field.replace('.', '-')}", typed)
    choose(tab, "languages", "klingon")
    choose(tab, "groups", "Comité sécurité")  # closed
    add_skill(tab, "kubernets", "expert")
    add_skill(tab, "Python", "advanced")
    add_skill(tab, "python3", "notions")  # Python again, by another of its names
    tab.fill("#f-location", "Marseille")
    tab.click("[data-submit]")
    expected = {field: said for field, (_, said) in ERRORS.items()} | {
        "languages": "« klingon » n’est pas une langue de la liste",
        "groups": "Comité sécurité est un groupe fermé",
        "skills.0": "Ce n’est pas une compétence de la liste de l’annuaire (vouliez-vous dire « Kubernetes »\u202f?)",
        "skills.2": "Python est déjà la compétence 2.",
        "location": "À vérifier\u202f: Ce n’est pas un des sites de l’entreprise (Lyon, Paris, Nantes, Télétravail).",
    }
    shown = dict(tab.eval_on_selector_all("[data-error]:not([hidden])", "found => found.map(e => [e.closest('[data-field]').dataset.field, e.textContent])"))
    assert sorted(shown) == sorted(expected)
    for field, said in expected.items():
        assert shown[field].startswith(said), (field, shown[field])
        # Next to its field: the error is the field's own description, and the field says it is invalid (a warning does not).
        described = tab.eval_on_selector(f"[data-field='{field}']", FIELD_STATE)
        error_id = tab.eval_on_selector(f"[data-field='{field}'] [data-error]", "e => e.id")
        assert error_id in described[1].split(), field
        assert described[0] == (None if field == "location" else "true"), field
    # The summary lists the errors (not the warning) in the form's order, and takes the focus.
    assert tab.evaluate("document.activeElement.matches('[data-summary]')")
    assert tab.locator("[data-summary-list] li").count() == len(expected) - 1
    assert tab.locator("[data-result]").is_hidden()
    # Rules that need the directory's people: oneself or one's own report as manager.
    open_form(tab, base, "?handle=kbenali")
    for manager, said in (
        ("kbenali", "Une personne ne peut pas être son propre manager."),
        ("jdupont", "Les managers formeraient un cycle\u202f: kbenali → jdupont → kbenali."),
    ):
        tab.fill("#f-manager", manager)
        tab.click("[data-submit]")
        assert tab.text_content("[data-field='manager'] [data-error]") == said


@pytest.mark.parametrize("kind", ["github", "gitlab"])
def test_the_git_hosts_addresses_are_built_right_and_stay_under_their_limits(kind: str, tab: Any, base: str, tmp_path: Path) -> None:
    settings = load_settings(REPO)
    if kind == "gitlab":
        settings = dataclasses.replace(settings, repo_url="https://gitlab.example.com/helios/annuaire", edit_uri="-/edit/production/docs/")
    host = git_host(settings)
    assert (
        host["new"]
        == {
            "github": "https://github.com/helios-mobilite/trombi/new/main",
            "gitlab": "https://gitlab.example.com/helios/annuaire/-/new/production",
        }[kind]
    )
    names = {"github": ("filename", "value"), "gitlab": ("file_name", "content")}[kind]

    def served(route: Any) -> None:
        data = route.fetch().json()  # the site's own file, with the host this site would have
        route.fulfill(json={**data, "host": host})

    tab.route("**/assets/form-directory.json", served)
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    # A full profile, each field at a length people write: the address stays under the limit.
    open_form(tab, base, "?new=1")
    fill_new_profile(tab, "mndiaye", "Je fiabilise les flux de données voyageurs, des horaires théoriques au temps réel. " * 8)
    text = prepare(tab)
    link = tab.get_attribute("[data-open-host]", "href")
    assert len(link) <= URL_LIMIT
    address = urlsplit(link)
    assert f"{address.scheme}://{address.netloc}{address.path}" == host["new"]
    assert parse_qs(address.query) == {names[0]: ["people/mndiaye.yaml"], names[1]: [text]}
    # A bio of 9,000 characters does not fit: the page opens without the content, to paste from the clipboard.
    tab.click("[data-back]")
    tab.fill("#f-bio", "Une longue présentation. " * 360)
    text = prepare(tab)
    link = tab.get_attribute("[data-open-host]", "href")
    assert parse_qs(urlsplit(link).query) == {names[0]: ["people/mndiaye.yaml"]}
    assert "trop long pour passer dans une adresse" in str(tab.text_content("[data-result-actions]"))
    tab.click("[data-result-actions] button")
    tab.wait_for_function("document.querySelector('[data-result-actions] [role=status]').textContent !== ''")
    assert tab.evaluate("navigator.clipboard.readText()") == text


def test_no_request_leaves_the_site_and_nothing_is_kept(tab: Any, base: str) -> None:
    # The one-click actions of the group, lunch and skill pages, each through the form: every
    # request goes to the site (the `tab` fixture checks them all), none carries what is typed.
    diffs = {}
    for start, link, who in [
        ("groups/guild-rust/", "a[href$='edit/?join=guild-rust']", "Amine Benaïssa"),
        ("lunch/", "a[href$='edit/?lunch=1']", "abenaissa"),
        ("people/jdupont/", "a[href$='edit/?handle=jdupont']", None),
    ]:
        tab.goto(base + start)
        tab.click(link)
        if who:
            wait_until_ready(tab)
            say_who(tab, who)
        else:
            tab.wait_for_selector("[data-profile]:not([hidden])")
        tab.fill("#f-pronouns", "il · secret-typed-text")  # typed, never sent
        prepare(tab)
        diffs[start] = [line.strip() for line in tab.locator("[data-diff] ins").all_text_contents()]
    assert diffs["groups/guild-rust/"] == ["+ pronouns: il · secret-typed-text", "+ groups: [site-paris, guild-rust]"]
    assert diffs["lunch/"][-2:] == ["+ networking:", "+   lunch: true"]
    # The snooze form of the lunch page sends its date to the form, which sets it.
    tab.goto(base + "lunch/")
    tab.fill("#lunch-snooze", "2027-03-01")
    tab.click(".trombi-snooze button")
    wait_until_ready(tab)
    say_who(tab, "Karim Benali")
    assert tab.input_value("#f-networking-snooze_until") == "2027-03-01"
    # A private value is in no file the form reads, and so nowhere on the page.
    assert "39 98 12 34" in (REPO / "people" / "jdupont.yaml").read_text(encoding="utf-8")
    open_form(tab, base, "?handle=jdupont")
    assert "39 98 12 34" not in tab.content()
    assert not [url for url in tab.requests if "secret-typed-text" in url or "secret%20typed" in url]
    assert all(urlsplit(url).path.startswith("/") and url.startswith(base) for url in tab.requests)
    # What the browser keeps for the site is the theme's (the palette chosen), nothing typed.
    kept = tab.evaluate("[...Object.entries(localStorage), ...Object.entries(sessionStorage), document.cookie].join(' ')")
    assert not any(typed in kept for typed in ("secret-typed-text", "abenaissa", "Benaïssa", "kbenali", "Karim"))
    assert (
        json.loads(tab.evaluate("JSON.stringify(performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin)))")) == []
    )
