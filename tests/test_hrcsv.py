"""The HR system's CSV export: only the fields HR owns change, errors point at row and column."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.directory.load import load_file
from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory
from generator.interop.hrcsv import HrPlan, handle_from_email, import_hr_csv
from generator.interop.yamlwrite import apply_changes
from generator.problems import Level, TrombiError
from tests.conftest import DATA, REPO

HR = DATA / "hrcsv"
HR_KEYS = {"name", "title", "team", "manager", "location", "joined"}

Build = Callable[..., Path]


def run(root: Path, csv_file: Path, map_file: Path = HR / "map.yaml", *, remove_missing: bool = False, all_or_nothing: bool = False) -> HrPlan:
    plan = import_hr_csv(load_settings(root), csv_file, map_file, remove_missing=remove_missing, all_or_nothing=all_or_nothing)
    apply_changes(plan.changes)
    return plan


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.glob("*/*.yaml"))}


def data_of(path: Path) -> dict[str, Any]:
    document, problems = load_file(path, path.name)
    assert document is not None and isinstance(document.data, dict), problems
    return document.data


def errors_of(root: Path) -> list[str]:
    _, problems = validate_directory(load_settings(root))
    return [p.as_text() for p in problems if p.level is Level.ERROR]


def write_csv(root: Path, text: str, *, name: str = "hr.csv") -> Path:
    path = root / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "Identifiant;Nom complet;Poste;Équipe;Manager;Site;Date d'entrée;E-mail\n"
CEO = "ceo;Claire Éon;Directrice générale;;;Lyon;05/01/2015;claire@acme.example\n"
LEAD = "lead;Léo Durand;Responsable plateforme;platform;ceo;Paris;01/09/2018;leo.durand@acme.example\n"
DEV = "dev;Ana Silva;Développeuse;platform;lead;Télétravail;15/03/2022;ana.silva@acme.example\n"


def test_import_creates_updates_and_keeps_what_people_wrote(directory: Build) -> None:
    root = directory()
    lead = root / "people" / "lead.yaml"
    lead.write_text(lead.read_text(encoding="utf-8").replace("skills:\n", "# Mes compétences, par ordre d'importance\nskills:\n"), encoding="utf-8")
    before = {path.name: data_of(path) for path in (root / "people").glob("*.yaml")}

    plan = run(root, HR / "hr.csv")

    assert plan.summary() == "1 created, 2 updated, 0 removed, 1 unchanged"
    assert (root / "people" / "zmartin.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../schemas/person.schema.json\n"
        "# Created from the HR system's export. HR keeps name, title, team, manager, location, joined\n"
        "# and contact.email up to date; every other field is yours (see the README's field reference).\n"
        'name: Zoé Martin; dite "Zozo"\n'
        "title: Stagiaire\n"
        "team: platform\n"  # "Plateforme" through the mapping file's teams
        "manager: lead\n"
        "location: Lyon\n"
        "languages: []\n"
        "joined: 2025-02-01\n"
        "contact:\n"
        "  email: zoe.martin@acme.example\n"
        "skills: []\n"
        "groups: []\n"
    )
    text = lead.read_text(encoding="utf-8")
    assert "title: Responsable plateforme senior\n" in text
    assert "# Mes compétences, par ordre d'importance\nskills:\n  - {name: Kubernetes, level: expert}\n  - Python\n" in text
    assert 'phone: {value: "+33 6 11 22 33 44", visibility: private}' in text
    assert "languages: [fr]\njoined: 2018-09-01\n" in text  # inserted where the model puts it
    for path in (root / "people").glob("*.yaml"):
        if path.name in before:
            after = data_of(path)
            mine_before = {k: v for k, v in before[path.name].items() if k not in HR_KEYS | {"contact"}}
            assert {k: v for k, v in after.items() if k not in HR_KEYS | {"contact"}} == mine_before, path.name
            contact_before = {k: v for k, v in (before[path.name].get("contact") or {}).items() if k != "email"}
            assert {k: v for k, v in after["contact"].items() if k != "email"} == contact_before, path.name
    assert data_of(root / "people" / "dev.yaml")["manager"] == "lead"  # given by email in the CSV
    assert errors_of(root) == []


def test_a_second_run_changes_nothing(directory: Build) -> None:
    root = directory()
    run(root, HR / "hr.csv")
    first = snapshot(root)
    plan = run(root, HR / "hr.csv")
    assert plan.changes == [] and plan.summary() == "0 created, 0 updated, 0 removed, 4 unchanged"
    assert snapshot(root) == first


def test_dry_run_prints_unified_diffs_and_writes_nothing(directory: Build) -> None:
    root = directory()
    first = snapshot(root)
    command = [sys.executable, "-m", "generator.cli.main", "import", "csv", str(HR / "hr.csv"), "--map", str(HR / "map.yaml"), "--root", str(root)]
    result = subprocess.run([*command, "--dry-run"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "--- a/people/lead.yaml\n+++ b/people/lead.yaml\n" in result.stdout
    assert "-title: Responsable plateforme\n+title: Responsable plateforme senior\n" in result.stdout
    assert "--- /dev/null\n+++ b/people/zmartin.yaml\n" in result.stdout
    assert result.stdout.rstrip().endswith("Essai à blanc : 1 créé(s), 2 mis à jour, 0 supprimé(s), 1 inchangé(s) ; rien n’est écrit.")
    assert snapshot(root) == first
    applied = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    assert applied.returncode == 0 and applied.stdout.strip() == "1 créé(s), 2 mis à jour, 0 supprimé(s), 1 inchangé(s)."
    assert snapshot(root) != first


ERRORS_CSV_PROBLEMS = [
    "{where}:2:3: error: title must be on one line [value]",  # the row starts on line 2 and spans two lines
    "{where}:4:7: error: '31/02/2018' is not a date written %d/%m/%Y (e.g. 01/03/2021) [date]",
    "{where}:5:3: error: empty title: it is required [empty-value]",
    "{where}:6:4: error: unknown team 'Marketing': use a team's slug or name, or map it in the mapping file's 'teams' [unknown-team]",
    "{where}:7:1: error: handle 'lead' appears twice (first at line 4) [duplicate]",
    "{where}:8:5: error: unknown manager 'ghost': give the handle or the email of a person in the file or the directory [unknown-manager]",
    "{where}:8:8: error: 'not-an-email' is not an email address [email]",
    "{where}:9:3: error: this row has 2 fields but the header has 8; check the quotes and delimiters [csv]",
]


def test_malformed_rows_are_all_reported_with_line_and_column_and_refused(directory: Build) -> None:
    root = directory()
    first = snapshot(root)
    plan = run(root, HR / "errors.csv")
    assert [p.as_text().replace(REPO.as_posix() + "/", "") for p in plan.errors] == [e.format(where="tests/data/hrcsv/errors.csv") for e in ERRORS_CSV_PROBLEMS]
    assert [row.line for row, _ in plan.refused] == [2, 4, 5, 6, 7, 8, 9]
    # Every row is refused; the people of refused rows are in the export all the same: nobody is "missing".
    assert plan.changes == [] and plan.warnings == [] and snapshot(root) == first


def test_all_or_nothing_refuses_the_whole_file_on_any_error(directory: Build) -> None:
    root = directory()
    first = snapshot(root)
    with pytest.raises(TrombiError) as caught:
        run(root, write_csv(root, HEADER + CEO + LEAD + DEV.replace(";platform;", ";Marketing;")), all_or_nothing=True)
    assert [p.rule for p in caught.value.problems] == ["unknown-team"]
    assert snapshot(root) == first


def test_valid_rows_are_imported_and_a_row_naming_a_refused_manager_goes_with_it(directory: Build) -> None:
    root = directory()
    new = "zoe;Zoé Martin;Stagiaire;platform;{manager};Lyon;01/02/2025;zoe@acme.example\n"
    csv_file = write_csv(
        root, HEADER + CEO + "pnew;Paul Neuf;Stagiaire;Marketing;ceo;Lyon;01/02/2025;paul@acme.example\n" + new.format(manager="pnew") + LEAD + DEV
    )
    plan = run(root, csv_file)
    assert [(row.line, [p.rule for p in problems]) for row, problems in plan.refused] == [(3, ["unknown-team"]), (4, ["refused-manager"])]
    assert "manager 'pnew' is in a refused row (line 3)" in plan.errors[1].message
    assert not (root / "people" / "pnew.yaml").exists() and not (root / "people" / "zoe.yaml").exists()
    assert data_of(root / "people" / "ceo.yaml")["title"] == "Directrice générale"
    assert errors_of(root) == []


def test_a_missing_column_is_reported_on_the_header(directory: Build) -> None:
    root = directory()
    csv_file = write_csv(root, HEADER.replace("Site", "Ville") + CEO + LEAD + DEV)
    with pytest.raises(TrombiError) as caught:
        run(root, csv_file)
    [problem] = caught.value.problems
    assert (problem.path, problem.line, problem.col, problem.rule) == ("hr.csv", 1, 1, "csv-column")
    assert "no column 'Site' (for location)" in problem.message and "'Ville'" in problem.message


def test_an_unknown_team_suggests_the_closest(directory: Build) -> None:
    root = directory()
    csv_file = write_csv(root, HEADER + CEO + LEAD.replace(";platform;", ";platfrom;") + DEV)
    plan = run(root, csv_file)
    assert [p.as_text() for p in plan.errors] == [
        "hr.csv:3:4: error: unknown team 'platfrom' (did you mean 'platform'?): use a team's slug or name, "
        "or map it in the mapping file's 'teams' [unknown-team]"
    ]


def test_people_absent_from_the_file_are_reported_not_removed(directory: Build) -> None:
    root = directory()
    plan = run(root, write_csv(root, HEADER + CEO + LEAD))
    assert [w.as_text() for w in plan.warnings] == [
        "people:1:1: warning: 1 person not in the HR export, left as is (run with --remove-missing to remove them): dev [missing-person]"
    ]
    assert (root / "people" / "dev.yaml").is_file()


def test_remove_missing_deletes_them_and_takes_them_out_of_groups(directory: Build) -> None:
    root = directory()
    plan = run(root, write_csv(root, HEADER + CEO + LEAD), remove_missing=True)
    assert plan.summary() == "0 created, 2 updated, 1 removed, 1 unchanged"  # lead, secret-project; dev; ceo
    assert not (root / "people" / "dev.yaml").exists()
    assert "members: [lead]\n" in (root / "groups" / "secret-project.yaml").read_text(encoding="utf-8")
    assert errors_of(root) == []


def test_remove_missing_refuses_to_leave_someone_without_their_manager(directory: Build) -> None:
    root = directory()
    contractor = root / "people" / "dev.yaml"
    contractor.write_text(contractor.read_text(encoding="utf-8") + "kind: contractor\n", encoding="utf-8")
    first = snapshot(root)
    with pytest.raises(TrombiError) as caught:
        run(root, write_csv(root, HEADER + CEO), remove_missing=True)
    assert [p.as_text() for p in caught.value.problems] == [
        "groups/guild-python.yaml:1:1: error: removing lead leaves group 'guild-python' without an owner: name another owner first [missing-owner]",
        "people:1:1: warning: 1 person not in the HR export, removed: lead [missing-person]",
        "people/dev.yaml:1:1: error: manager 'lead' is not in the HR export and would be removed: give dev another manager first [reference]",
    ]
    assert snapshot(root) == first


def test_a_private_email_stays_private_when_hr_changes_it(directory: Build) -> None:
    root = directory()
    ceo = root / "people" / "ceo.yaml"
    private = "email: {value: claire@acme.example, visibility: private}"
    ceo.write_text(ceo.read_text(encoding="utf-8").replace("email: claire@acme.example", private), encoding="utf-8")
    run(root, write_csv(root, HEADER + CEO.replace("claire@", "claire.eon@") + LEAD + DEV))
    assert "  email: {value: claire.eon@acme.example, visibility: private}\n" in ceo.read_text(encoding="utf-8")


def test_an_empty_optional_cell_removes_the_field(directory: Build) -> None:
    root = directory()
    run(root, write_csv(root, HEADER + CEO + LEAD.replace(";Paris;", ";;") + DEV))
    assert "location" not in data_of(root / "people" / "lead.yaml")
    assert errors_of(root) == []


def test_comma_csv_without_bom_and_handles_from_email(directory: Build) -> None:
    root = directory()
    plan = run(root, HR / "hr-email.csv", HR / "map-email.yaml")
    # claire@acme.example is the directory's ceo already: her handle stays, found by her address.
    assert sorted(c.display for c in plan.changes) == ["people/ana-silva.yaml", "people/leo-durand.yaml"]
    ana = data_of(root / "people" / "ana-silva.yaml")
    assert (ana["title"], ana["team"], ana["manager"]) == ("Développeuse, backend", "platform", "leo-durand")
    assert data_of(root / "people" / "leo-durand.yaml")["manager"] == "ceo"
    # dev and lead are not in this export: said once, not twice.
    assert [w.message for w in plan.warnings] == ["2 people not in the HR export, left as is (run with --remove-missing to remove them): dev, lead"]
    assert errors_of(root) == []


def test_bad_encoding_is_reported_at_its_place(directory: Build) -> None:
    root = directory()
    csv_file = root / "hr.csv"
    csv_file.write_bytes((HEADER + CEO).encode("utf-8") + "lead;L\xe9o\n".encode("latin-1"))
    with pytest.raises(TrombiError) as caught:
        run(root, csv_file)
    assert [p.as_text() for p in caught.value.problems] == ["hr.csv:3:7: error: file is not UTF-8 (byte 0xe9); export it as 'CSV UTF-8' [encoding]"]


def test_a_bad_mapping_file_is_reported(directory: Build) -> None:
    root = directory()
    mapping = root / "map.yaml"
    mapping.write_text("columns:\n  name: Nom complet\n  salary: Salaire\n", encoding="utf-8")
    with pytest.raises(TrombiError) as caught:
        run(root, HR / "hr.csv", mapping)
    assert all(p.path == "map.yaml" for p in caught.value.problems)
    assert caught.value.problems[0].line == 3


@pytest.mark.parametrize(
    ("email", "handle"),
    [("Jeanne.Dupont@example.com", "jeanne-dupont"), ("zoé_müller@x.fr", "zoe-muller"), ("a..b@x.fr", "a-b")],
)
def test_handle_from_email(email: str, handle: str) -> None:
    assert handle_from_email(email) == handle


def _english(root: Path) -> Path:
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: fr", "language: en"), encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("language", "problem", "summary"),
    [
        (
            "fr",
            "hr.csv:3:3: error: cette ligne a 2 champs mais l’en-tête en a 8 ; vérifiez les guillemets et les séparateurs [csv]",
            "Essai à blanc : 0 créé(s), 1 mis à jour, 0 supprimé(s), 0 inchangé(s) ; rien n’est écrit.",
        ),
        (
            "en",
            "hr.csv:3:3: error: this row has 2 fields but the header has 8; check the quotes and delimiters [csv]",
            "Dry run: 0 created, 1 updated, 0 removed, 0 unchanged; nothing written.",
        ),
    ],
)
def test_problems_and_the_summary_speak_the_sites_language(
    directory: Build, capsys: pytest.CaptureFixture[str], language: str, problem: str, summary: str
) -> None:
    from generator.cli.main import main

    root = directory() if language == "fr" else _english(directory())
    command = ["import", "csv", "--map", str(HR / "map.yaml"), "--root", str(root), "--dry-run"]
    assert main([*command[:2], str(write_csv(root, HEADER + DEV + "lead;Léo\n")), *command[2:]]) == 1
    assert capsys.readouterr().err.splitlines()[0] == problem
    assert main([*command[:2], str(write_csv(root, HEADER + DEV.replace("Développeuse", "Architecte"))), *command[2:]]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == summary


def test_the_command_imports_the_good_rows_and_writes_the_refused_ones_to_fix(directory: Build, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli.main import main

    root = directory()
    bad = "pnew;Paul Neuf;Stagiaire;Marketing;ceo;Lyon;01/02/2025;paul@acme.example\n"
    export = root / "export.csv"
    export.write_bytes(("\ufeff" + HEADER + CEO.replace("Directrice générale", "Présidente") + bad + LEAD + DEV).encode("utf-8"))
    assert main(["import", "csv", str(export), "--map", str(HR / "map.yaml"), "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "export.csv:3:4: error: équipe inconnue 'Marketing'" in err and "export.refused.csv" in err
    assert data_of(root / "people" / "ceo.yaml")["title"] == "Présidente"  # the good rows are in
    refused = (root / "export.refused.csv").read_bytes()
    assert refused.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, as spreadsheet programs read it
    lines = refused.decode("utf-8-sig").splitlines()
    assert lines[0] == HEADER.strip() + ";Motif du refus"  # the export's own columns and separator
    assert lines[1].startswith(bad.strip() + ";équipe inconnue 'Marketing'")
    # Fixed there and imported again: nothing is refused any more.
    (root / "export.refused.csv").write_text("\n".join([HEADER.strip(), bad.strip().replace("Marketing", "platform")]) + "\n", encoding="utf-8")
    assert main(["import", "csv", str(root / "export.refused.csv"), "--map", str(HR / "map.yaml"), "--root", str(root)]) == 0
    assert data_of(root / "people" / "pnew.yaml")["team"] == "platform"
    assert errors_of(root) == []


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("index@acme.example", "'index' (from 'index@acme.example') cannot be a handle: 'index' and 'page-<number>' name the site's listing pages"),
        ("page-2@acme.example", "'page-2' (from 'page-2@acme.example') cannot be a handle"),
        ("^_^@acme.example", "'^_^@acme.example' gives no handle: its local part has no letter or digit; give this row a handle column"),
    ],
)
def test_a_handle_that_can_never_be_valid_is_refused_with_the_value_it_came_from(directory: Build, email: str, message: str) -> None:
    root = directory()
    csv_file = write_csv(root, f"email,full_name,job,team,manager_email\n{email},Paul Neuf,Stagiaire,platform,\n", name="hr-email.csv")
    plan = run(root, csv_file, HR / "map-email.yaml")
    [problem] = plan.errors
    assert problem.rule == "handle" and message in problem.message, problem.message
    assert plan.changes == []


GIVEN = ("Jeanne", "Léo", "Ana", "Zoé", "Karim", "Moussa", "Ciarán", "Amandine", "Hervé", "Paweł", "Emily", "João", "Chloé", "Mehdi", "Siobhán", "Yuki")
FAMILY = ("Dupont", "Martin", "Silva", "Benali", "Traoré", "O'Brien", "Perrin", "Leroy", "Nowak", "Smith", "Gonçalves", "Lefèvre", "Haddad", "Tanaka")


def a_real_export(people: int, bad: int) -> tuple[str, int]:
    """An export of ``people`` rows, like an HR system's (names with accents and apostrophes, one
    manager for all), ``bad`` of them wrong in four ways; and how many good rows it has."""
    rows = ["email,full_name,job,team,manager_email,joined"]
    ceo = "ceo.hr@acme.example"
    rows.append(f"{ceo},Claire Éon,Directrice générale,,,2015-01-05")
    kinds = ("team", "email", "manager", "title")
    for n in range(1, people):
        given, family = GIVEN[n % len(GIVEN)], FAMILY[(n // len(GIVEN)) % len(FAMILY)]
        email = f"{given}.{family}.{n}@acme.example".replace("'", "")
        cells = [email, f'"{given} {family}"', "Développeur·se", "platform", ceo, f"2020-{n % 12 + 1:02d}-01"]
        if n % (people // bad) == 0 and n // (people // bad) <= bad:
            kind = kinds[(n // (people // bad)) % len(kinds)]
            column, value = {"team": (3, "Marketing"), "email": (0, email.replace("@", ".")), "manager": (4, "nobody@acme.example"), "title": (2, "")}[kind]
            cells[column] = value
        rows.append(",".join(cells))
    refused = sum(1 for n in range(1, people) if n % (people // bad) == 0 and n // (people // bad) <= bad)
    return "\n".join(rows) + "\n", people - refused


def test_an_export_of_2500_rows_with_200_bad_ones_imports_the_2300_good_ones(directory: Build) -> None:
    root = directory()
    text, good = a_real_export(2500, 200)
    assert good == 2300
    csv_file = write_csv(root, text, name="hr-email.csv")
    (root / "map.yaml").write_text((HR / "map-email.yaml").read_text(encoding="utf-8") + "  joined: joined\n", encoding="utf-8")
    plan = run(root, csv_file, root / "map.yaml")
    assert len(plan.refused) == 200 and sum(1 for c in plan.changes if c.before is None) == 2300
    assert {p.rule for p in plan.errors} == {"unknown-team", "email", "unknown-manager", "empty-value"}
    assert len(plan.warnings) == 1  # the directory's own people, absent from this export: one summary
    assert errors_of(root) == []


def test_handles_made_from_addresses_that_collide_take_the_next_free_one_the_same_each_time(directory: Build) -> None:
    root = directory()
    rows = [f"me@{domain}.example,Personne {n},Stagiaire,platform,claire@acme.example" for n, domain in enumerate(("alpha", "beta", "gamma"))]
    rows.append("Ceo@other.example,Homonyme,Stagiaire,platform,")  # 'ceo' is someone else in the directory: another address
    csv_file = write_csv(root, "email,full_name,job,team,manager_email\n" + "\n".join(rows) + "\n", name="hr-email.csv")
    plan = run(root, csv_file, HR / "map-email.yaml")
    made = sorted(c.display for c in plan.changes if c.before is None)
    assert made == ["people/ceo-2.yaml", "people/me-2.yaml", "people/me-3.yaml", "people/me.yaml"]
    assert [w.as_text() for w in plan.warnings if w.rule == "handle-collision"] == [
        "hr-email.csv:3:1: warning: the handle 'me' was taken: 2 more rows got the next free ones, by line: "
        "3 (me@beta.example) → me-2, 4 (me@gamma.example) → me-3 [handle-collision]",
        "hr-email.csv:5:1: warning: the handle 'ceo' was taken: 1 more row got the next free one, by line: 5 (Ceo@other.example) → ceo-2 [handle-collision]",
    ]
    assert data_of(root / "people" / "me-3.yaml")["contact"]["email"] == "me@gamma.example"
    again = run(root, csv_file, HR / "map-email.yaml")  # each address finds its profile again
    assert again.changes == [] and again.unchanged == 4
    assert errors_of(root) == []


def test_a_template_makes_handles_people_recognise(directory: Build) -> None:
    root = directory()
    header = "Prénom;Nom;Poste;Équipe;Courriel\n"
    csv_file = write_csv(root, header + "Zoé;O'Brien;Stagiaire;platform;z.ob@acme.example\nZoé;O’Brien;Stagiaire;platform;zoe2@acme.example\n")
    (root / "map.yaml").write_text("handle_template: '{Prénom}.{Nom}'\ncolumns: {name: Nom, title: Poste, team: Équipe, email: Courriel}\n", encoding="utf-8")
    plan = run(root, csv_file, root / "map.yaml")
    assert sorted(c.display for c in plan.changes) == ["people/zoe-o-brien-2.yaml", "people/zoe-o-brien.yaml"]
    (root / "bad-map.yaml").write_text("handle_template: '{Prenom}'\ncolumns: {name: Nom, title: Poste}\n", encoding="utf-8")
    with pytest.raises(TrombiError) as caught:
        run(root, csv_file, root / "bad-map.yaml")
    assert "no column 'Prenom' (for template:Prenom)" in caught.value.problems[0].message


def test_two_rows_with_one_address_are_one_person_twice(directory: Build) -> None:
    root = directory()
    rows = "claire@acme.example,Claire Éon,Présidente,,\nCLAIRE@acme.example,Claire Bis,Stagiaire,platform,\n"
    plan = run(root, write_csv(root, "email,full_name,job,team,manager_email\n" + rows, name="hr-email.csv"), HR / "map-email.yaml")
    assert [(p.line, p.rule) for p in plan.errors] == [(3, "duplicate")]
    assert data_of(root / "people" / "ceo.yaml")["title"] == "Présidente"


@pytest.mark.parametrize(
    ("cell", "joined", "rule"),
    [
        ("15/03/2022", "2022-03-15", None),
        ("2022-03-15", "2022-03-15", None),
        ("15.03.2022", "2022-03-15", None),
        ("03/04/2022", None, "date"),
        ("31/31/2022", None, "date"),
    ],
)
def test_dates_in_several_ways_and_an_ambiguous_one_refused(directory: Build, cell: str, joined: str | None, rule: str | None) -> None:
    root = directory()
    (root / "map.yaml").write_text(
        (HR / "map.yaml").read_text(encoding="utf-8").replace('date_format: "%d/%m/%Y"', 'date_format: ["%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y"]'), encoding="utf-8"
    )
    assert "%m/%d/%Y" in (root / "map.yaml").read_text(encoding="utf-8")
    iso = (CEO.replace("05/01/2015", "2015-01-05"), LEAD.replace("01/09/2018", "2018-09-01"))  # 05/01 and 01/09 read both ways
    plan = run(root, write_csv(root, HEADER + iso[0] + iso[1] + DEV.replace("15/03/2022", cell)), root / "map.yaml")
    if rule is None:
        assert plan.refused == [] and str(data_of(root / "people" / "dev.yaml")["joined"]) == joined
    else:
        assert [p.rule for p in plan.errors] == [rule]
    if cell == "03/04/2022":
        assert "2022-04-03 (%d/%m/%Y), 2022-03-04 (%m/%d/%Y)" in plan.errors[0].message


def test_the_map_has_a_json_schema_that_the_example_maps_meet(tmp_path: Path) -> None:
    import json

    import jsonschema
    import yaml

    from generator.interop.hrcsvfile import map_schema

    schema = json.loads(map_schema())
    assert (REPO / "schemas" / "hr-map.schema.json").read_text(encoding="utf-8") == map_schema()  # `trombi reference` wrote it
    jsonschema.Draft202012Validator.check_schema(schema)
    for example in (HR / "map.yaml", HR / "map-email.yaml"):
        jsonschema.validate(yaml.safe_load(example.read_text(encoding="utf-8")), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"columns": {"name": "Nom", "salary": "Salaire"}}, schema)


def test_init_writes_a_map_guessed_from_the_header_that_imports_as_the_hand_written_one(directory: Build, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli.main import main

    root = directory()
    guessed = root / "guessed.yaml"
    assert main(["import", "csv", str(HR / "hr.csv"), "--init", str(guessed), "--root", str(root)]) == 0
    text = guessed.read_text(encoding="utf-8")
    assert 'handle_column: "Identifiant"' in text and 'joined: "Date d\'entrée"' in text and 'date_format: "%d/%m/%Y"' in text
    # As guessed, only HR's own team name is left to map; mapped, it imports as the map written by hand.
    assert [p.rule for p in import_hr_csv(load_settings(root), HR / "hr.csv", guessed).errors] == ["unknown-team"]
    completed = root / "completed.yaml"
    completed.write_text(text + "teams:\n  Plateforme: platform\n", encoding="utf-8")
    by_hand = import_hr_csv(load_settings(root), HR / "hr.csv", HR / "map.yaml")
    assert [(c.display, c.after) for c in import_hr_csv(load_settings(root), HR / "hr.csv", completed).changes] == [
        (c.display, c.after) for c in by_hand.changes
    ]
    # An existing map is never replaced.
    assert main(["import", "csv", str(HR / "hr.csv"), "--init", str(guessed), "--root", str(root)]) == 1
    assert "n’est pas remplacé" in capsys.readouterr().err and guessed.read_text(encoding="utf-8") == text
    # English headers, no handle column: handles from the address; a field with no column is left for the reader.
    english = write_csv(root, "Work Email,Full Name,Job Title,Team,Start Date\nana@acme.example,Ana Silva,Dev,platform,03/15/2022\n", name="en.csv")
    assert main(["import", "csv", str(english), "--init", str(root / "en.yaml"), "--root", str(root)]) == 0
    text = (root / "en.yaml").read_text(encoding="utf-8")
    assert "handle_from_email: true" in text and 'email: "Work Email"' in text and "# manager: ..." in text and 'date_format: "%m/%d/%Y"' in text
