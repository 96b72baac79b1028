"""validate_directory: the whole directory, or only some files and what they reference."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.directory.model import SkillEntry
from generator.directory.rules.logins import files_mentioning
from generator.directory.scaffold import SAMPLE_BIO, SAMPLE_PHONE, write_profile
from generator.directory.settings import load_settings
from generator.directory.validate import Directory, validate_directory
from generator.problems import Level, Problem
from tests.conftest import DATA

Build = Callable[..., Path]
Write = Callable[[str, str | bytes], Path]

PERSON = "# yaml-language-server: $schema=../schemas/person.schema.json\n"
GROUP = "# yaml-language-server: $schema=../schemas/group.schema.json\n"


def validate(root: Path, *paths: Path) -> tuple[Directory, list[Problem]]:
    return validate_directory(load_settings(root), list(paths) if paths else None)


def summary(problems: list[Problem]) -> list[str]:
    return [f"{p.path}:{p.line}:{p.col} {p.rule}" for p in problems]


# --- the whole directory ---------------------------------------------------------------------


def test_base_directory(directory: Build) -> None:
    found, problems = validate(directory())
    assert problems == []
    assert sorted(found.people) == ["ceo", "dev", "lead"]
    assert sorted(found.groups) == ["acme", "engineering", "guild-python", "platform", "secret-project"]
    assert len(found.skills) == 5


def test_skills_are_canonicalised(directory: Build) -> None:
    found, _ = validate(directory())
    # dev.yaml says [py, {name: Rust, level: notions}]; lead.yaml [{name: Kubernetes, level: expert}, Python].
    assert found.people["dev"].skills == [SkillEntry(name="Python", level="intermediate"), SkillEntry(name="Rust", level="notions")]
    assert found.people["lead"].skills == [SkillEntry(name="Kubernetes", level="expert"), SkillEntry(name="Python", level="intermediate")]
    assert found.skills.canonical("K8S") == "Kubernetes"
    assert found.skills.canonical(" python3 ") == "Python"
    assert found.skills.canonical("Go") is None


def test_aliases_in_any_case_are_canonicalised(directory: Build) -> None:
    found, problems = validate(directory(DATA / "valid" / "skill-names-and-aliases"))
    assert problems == []
    assert [(s.name, s.level) for s in found.people["lead"].skills] == [
        ("Kubernetes", "intermediate"),
        ("Python", "intermediate"),
        ("Terraform", "intermediate"),
        ("Recrutement", "intermediate"),
        ("Rust", "notions"),
    ]


def test_yaml_1_1_values_stay_the_strings_typed(directory: Build) -> None:
    found, problems = validate(directory(DATA / "valid" / "yaml-1.1-values"))
    assert problems == []
    ola = found.people["ola"]
    assert ola.pronouns == "on"
    assert ola.title == "NO"
    assert ola.company == "012345"
    assert ola.contact.phone is not None
    assert ola.contact.phone.value == "0612345678"
    assert ola.contact.chat is not None
    assert ola.contact.chat.value == "12:30"
    assert ola.ask_me_about == ["1.10", "off", "Yes", "1e3", "0x1F"]
    assert ola.interests == ["~hiking"]
    meetings = found.groups["club-dejeuner"].meetings
    assert meetings is not None
    assert (meetings.every, meetings.on, meetings.at) == ("month", "NO", "12:30")


@pytest.mark.parametrize("case", sorted(p.name for p in (DATA / "valid").iterdir() if p.is_dir()))
def test_valid_cases_give_no_warning_either(case: str, directory: Build) -> None:
    _, problems = validate(directory(DATA / "valid" / case))
    assert [p.as_text() for p in problems] == []


def test_bom_and_crlf_files_are_read(directory: Build) -> None:
    found, _ = validate(directory(DATA / "valid" / "bom"))
    assert found.people["dev"].name == "Ana Silva"
    found, _ = validate(directory(DATA / "valid" / "crlf"))
    assert found.people["lead"].bio == "Première ligne.\nDeuxième ligne.\n"
    assert found.groups["guild-python"].name == "Guilde Python"


def test_partner_and_contractor(directory: Build) -> None:
    found, _ = validate(directory(DATA / "valid" / "partner-and-contractor"))
    assert (found.people["marc-durand"].kind, found.people["marc-durand"].company) == ("contractor", "Octo Conseil")
    assert (found.people["sofia-rossi"].kind, found.people["sofia-rossi"].company) == ("partner", "Nuvola Cloud S.r.l.")


def test_private_contacts(directory: Build) -> None:
    found, _ = validate(directory(DATA / "valid" / "private-contacts"))
    contact = found.people["dev"].contact
    assert contact.phone is not None
    assert contact.linkedin is not None
    assert contact.email is not None
    assert (contact.phone.visibility, contact.linkedin.visibility, contact.email.visibility) == ("private", "private", "public")


@pytest.mark.parametrize(
    ("case", "where", "hint"),
    [
        ("unknown-field", "people/lead.yaml:6:1", "unknown field 'langages' (did you mean 'languages'"),
        ("unknown-field", "people/lead.yaml:9:3", "unknown field 'contact.emial' (did you mean 'email'?)"),
        ("unknown-skill", "people/lead.yaml:8:12", "unknown skill 'kubernets' (did you mean 'Kubernetes'?)"),
        ("unknown-language", "people/dev.yaml:8:5", "did you mean 'fr'?"),
        ("dangling-manager", "people/dev.yaml:5:10", "(did you mean 'lead'?)"),
        ("dangling-team", "people/dev.yaml:4:7", "(did you mean 'platform'?)"),
        ("dangling-group", "people/lead.yaml:7:5", "(did you mean 'guild-python'?)"),
        ("unknown-location", "people/lead.yaml:6:11", "(did you mean 'Paris'?)"),
        ("bad-enum", "people/dev.yaml:8:27", "found 'guru'"),
        ("duplicate-skill", "people/lead.yaml:9:12", "skill 'Kubernetes' is listed twice (first as item 1)"),
        ("manager-cycle", "people/nadia.yaml:4:10", "nadia -> omar -> paul -> nadia"),
        ("skill-alias-collision", "skills.yaml:3:27", "'Kube' is already the name or an alias of skill 'Kubernetes'"),
    ],
)
def test_messages_say_what_to_do(directory: Build, case: str, where: str, hint: str) -> None:
    _, problems = validate(directory(DATA / "invalid" / case))
    messages = [p.message for p in problems if f"{p.path}:{p.line}:{p.col}" == where]
    assert messages, summary(problems)
    assert any(hint in message for message in messages), messages


def test_problems_are_sorted_by_path_line_col(directory: Build) -> None:
    _, problems = validate(directory(DATA / "invalid" / "several-files"))
    keys = [(p.path, p.line, p.col) for p in problems]
    assert len({p.path for p in problems}) == 4
    assert keys == sorted(keys)
    assert problems[0].path == "groups/guild-python.yaml"
    assert problems[-1].path == "people/dev.yaml"


def test_warnings_and_errors_are_marked(directory: Build) -> None:
    _, problems = validate(directory(DATA / "invalid" / "several-files"))
    levels = {p.rule: p.level for p in problems}
    assert levels["schema-line"] is Level.WARNING
    assert levels["date"] is Level.ERROR


def test_a_profile_that_is_a_list(directory: Build, write: Write) -> None:
    root = directory()
    write("people/dev.yaml", PERSON + "- name: Ana Silva\n- title: Développeuse\n")
    found, problems = validate(root)
    assert summary(problems) == ["people/dev.yaml:2:1 type"]
    assert "dev" not in found.people


def test_empty_profile(directory: Build, write: Write) -> None:
    root = directory()
    write("people/dev.yaml", "")
    _, problems = validate(root)
    assert summary(problems) == ["people/dev.yaml:1:1 schema-line", "people/dev.yaml:1:1 type"]


def test_misplaced_files_are_warned_about(directory: Build, write: Write) -> None:
    root = directory()
    write("people/jdupont.yml", PERSON + "name: Jean Dupont\ntitle: Chef de projet\n")
    write("groups/archive/old.yaml", GROUP + "name: Ancien\ntype: project\n")
    found, problems = validate(root)
    assert summary(problems) == ["groups/archive:1:1 file-name", "people/jdupont.yml:1:1 file-name"]
    assert all(p.level is Level.WARNING for p in problems)
    assert "jdupont" not in found.people


def test_missing_skills_file(directory: Build) -> None:
    root = directory()
    (root / "skills.yaml").unlink()
    _, problems = validate(root)
    assert "skills.yaml:1:1 file" in summary(problems)
    # Every skill is then unknown.
    assert "people/dev.yaml:8:10 unknown-skill" in summary(problems)


# --- only some files ---------------------------------------------------------------------------


def test_partial_checks_only_the_files_given(directory: Build, write: Write) -> None:
    root = directory()
    write("people/ceo.yaml", PERSON + "name: Claire Éon\ntitle: [Directrice\n")
    write("groups/acme.yaml", GROUP + "name: Acme\ntype: multinationale\n")
    found, problems = validate(root, root / "people" / "dev.yaml")
    assert problems == []
    assert list(found.people) == ["dev"]
    assert found.groups == {}
    # The whole directory does see the broken files.
    _, problems = validate(root)
    assert {p.path for p in problems} == {"people/ceo.yaml", "groups/acme.yaml"}


def test_partial_reports_the_files_given(directory: Build, write: Write) -> None:
    root = directory()
    write("people/dev.yaml", PERSON + "name: Ana Silva\ntitle: Développeuse\njoined: 2024-02-30\n")
    write("groups/platform.yaml", GROUP + "name: Plateforme\ntype: team\nparent: engineering\nowners: [lead, nobody]\n")
    _, problems = validate(root, root / "people" / "dev.yaml", root / "groups" / "platform.yaml")
    assert summary(problems) == ["groups/platform.yaml:5:16 reference", "people/dev.yaml:4:9 date"]


def test_partial_with_paths_relative_to_the_current_folder(directory: Build, write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    root = directory()
    write("people/dev.yaml", PERSON + "name: Ana Silva\ntitle: Développeuse\nmanager: laed\ncontact: {github: ana-gh}\n")
    monkeypatch.chdir(root)
    _, problems = validate_directory(load_settings(Path(".")), [Path("people/dev.yaml")])
    assert summary(problems) == ["people/dev.yaml:4:10 reference"]


def test_partial_follows_a_dangling_manager(directory: Build, write: Write) -> None:
    root = directory()
    write("people/dev.yaml", PERSON + "name: Ana Silva\ntitle: Développeuse\nteam: platform\nmanager: laed\ncontact: {github: ana-gh}\n")
    _, problems = validate(root, root / "people" / "dev.yaml")
    assert summary(problems) == ["people/dev.yaml:5:10 reference"]
    assert "did you mean 'lead'?" in problems[0].message


def test_partial_reads_a_closed_group_it_was_not_given(directory: Build, write: Write) -> None:
    root = directory()
    write("people/ceo.yaml", PERSON + "name: Claire Éon\ntitle: Directrice générale\ngroups: [guild-python, secret-project]\ncontact: {github: claire-gh}\n")
    _, problems = validate(root, root / "people" / "ceo.yaml")
    assert summary(problems) == ["people/ceo.yaml:4:24 closed-group"]
    assert "(ceo)" in problems[0].message


def test_partial_reads_the_team_type_from_the_group_file(directory: Build, write: Write) -> None:
    root = directory()
    write("people/dev.yaml", PERSON + "name: Ana Silva\ntitle: Développeuse\nteam: guild-python\ngroups: [engineering]\ncontact: {github: ana-gh}\n")
    _, problems = validate(root, root / "people" / "dev.yaml")
    assert summary(problems) == ["people/dev.yaml:4:7 team-type", "people/dev.yaml:5:10 group-type"]


def test_partial_finds_a_manager_cycle_through_files_not_given(directory: Build, write: Write) -> None:
    root = directory()
    # dev -> lead -> ceo -> dev: only dev.yaml is checked, lead.yaml and ceo.yaml are read to follow the chain.
    write("people/ceo.yaml", PERSON + "name: Claire Éon\ntitle: Directrice générale\nmanager: dev\n")
    _, problems = validate(root, root / "people" / "dev.yaml")
    assert summary(problems) == ["people/dev.yaml:5:10 manager-cycle"]
    assert "dev -> lead -> ceo -> dev" in problems[0].message


def test_partial_finds_a_parent_cycle_through_files_not_given(directory: Build, write: Write) -> None:
    root = directory()
    write("groups/acme.yaml", GROUP + "name: Acme\ntype: company\nparent: platform\nowners: [ceo]\n")
    _, problems = validate(root, root / "groups" / "engineering.yaml")
    # platform, a subgroup of the group given, is checked again: it is in the cycle too.
    assert summary(problems) == ["groups/engineering.yaml:4:9 parent-cycle", "groups/platform.yaml:4:9 parent-cycle"]


def test_partial_does_not_report_problems_of_referenced_files(directory: Build, write: Write) -> None:
    root = directory()
    write("people/lead.yaml", PERSON + "name: Léo Durand\ntitle: Responsable\nmanager: ceo\nlunch: oui\n")
    write("groups/platform.yaml", GROUP + "name: Plateforme\ntype: tem\n")
    _, problems = validate(root, root / "people" / "dev.yaml")
    assert problems == []


def test_partial_deleted_path(directory: Build) -> None:
    root = directory()
    (root / "people" / "dev.yaml").unlink()
    _, problems = validate(root, root / "people" / "dev.yaml")
    assert summary(problems) == ["people/dev.yaml:1:1 file"]
    assert problems[0].level is Level.ERROR


def test_partial_reference_to_a_deleted_person(directory: Build) -> None:
    root = directory()
    # A pull request removes lead.yaml: the people who named lead as their manager are not in it,
    # but the group that lists lead as a member is checked when given.
    (root / "people" / "lead.yaml").unlink()
    _, problems = validate(root, root / "people" / "lead.yaml", root / "groups" / "secret-project.yaml")
    assert summary(problems) == ["groups/secret-project.yaml:6:11 reference", "people/lead.yaml:1:1 file"]


def test_partial_refuses_files_that_are_not_data(directory: Build, write: Write) -> None:
    root = directory()
    readme = write("README.md", "# Annuaire\n")
    write("docs/people.yaml", "name: x\n")
    paths = [readme, root / "mkdocs.yml", root / "docs" / "people.yaml", root / "people", root / "people" / "nobody.yaml"]
    _, problems = validate(root, *paths)
    assert summary(problems) == ["README.md:1:1 file", "docs/people.yaml:1:1 file", "mkdocs.yml:1:1 file", "people:1:1 file", "people/nobody.yaml:1:1 file"]
    assert all(p.level is Level.ERROR for p in problems)
    assert "not a file of the directory" in problems[0].message


def test_partial_always_checks_skills(directory: Build, write: Write) -> None:
    root = directory()
    write("skills.yaml", "# yaml-language-server: $schema=schemas/skills.schema.json\nPython: {aliases: [py]}\n")
    _, problems = validate(root, root / "people" / "lead.yaml")
    # A taxonomy that does not validate knows no skill: lead's skills are all unknown.
    assert summary(problems) == ["people/lead.yaml:9:12 unknown-skill", "people/lead.yaml:10:5 unknown-skill", "skills.yaml:2:9 missing-field"]


def test_partial_skills_canonicalised(directory: Build) -> None:
    root = directory()
    found, problems = validate(root, root / "people" / "dev.yaml")
    assert problems == []
    assert [s.name for s in found.people["dev"].skills] == ["Python", "Rust"]


def test_partial_problems_are_sorted(directory: Build, write: Write) -> None:
    root = directory()
    write("people/dev.yaml", PERSON + "name: Ana Silva\ntitle: Développeuse\njoined: 2024-02-30\nmanager: laed\n")
    write("groups/acme.yaml", GROUP + "name: Acme\ntype: company\nparent: acme\n")
    write("people/ceo.yaml", "name: Claire Éon\ntitle: Directrice\nkind: patronne\n")
    paths = [root / "people" / "dev.yaml", root / "people" / "ceo.yaml", root / "groups" / "acme.yaml", root / "people" / "gone.yaml"]
    _, problems = validate(root, *paths)
    assert summary(problems) == [
        "groups/acme.yaml:4:9 parent-cycle",
        "people/ceo.yaml:1:1 schema-line",
        "people/ceo.yaml:3:7 value",
        "people/dev.yaml:4:9 date",
        "people/dev.yaml:5:10 reference",
        "people/gone.yaml:1:1 file",
    ]


# --- the whole directory on every core --------------------------------------------------------


def test_workers_give_the_same_result_as_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each invalid example checked in one process, then by worker processes two files at a time."""
    import generator.directory.perfile as perfile_module
    import generator.directory.validate as validate_module
    from tests.conftest import make_directory

    cases = sorted(p for p in (DATA / "invalid").iterdir() if p.is_dir())
    roots = [make_directory(tmp_path / case.name, case) for case in cases]
    serial = [validate(root) for root in roots]
    assert all(len(list((root / "people").iterdir())) < validate_module.PARALLEL_FROM for root in roots), "the reference must be serial"

    pools: list[int] = []
    real = perfile_module.check_in_workers

    def counted(files: list[tuple[Path, str]], *args: object) -> object:
        pools.append(len(files))
        return real(files, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(validate_module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(perfile_module, "CHUNK_FILES", 2)
    monkeypatch.setattr(validate_module, "cores", lambda: 2)
    monkeypatch.setattr(perfile_module, "cores", lambda: 2)
    monkeypatch.setattr(perfile_module, "check_in_workers", counted)
    for root, (serial_directory, serial_problems) in zip(roots, serial, strict=True):
        parallel_directory, parallel_problems = validate(root)
        assert [(p.as_text(), p.level) for p in parallel_problems] == [(p.as_text(), p.level) for p in serial_problems], root.name
        assert parallel_directory.people == serial_directory.people, root.name
        assert parallel_directory.groups == serial_directory.groups, root.name
    assert len(pools) == 2 * len(cases) and all(count > 2 for count in pools)  # groups, then people, in several chunks
    assert sum(len(problems) for _, problems in serial) > 80


# --- logins and sample text ------------------------------------------------------------------


def test_a_profile_without_a_login_gets_a_warning(directory: Build, write: Write) -> None:
    root = directory()
    write("people/dev.yaml", PERSON + "name: Ana Silva\ntitle: Développeuse\ncontact:\n  email: ana@acme.example\n")
    write("people/ceo.yaml", PERSON + "name: Claire Éon\ntitle: Directrice\ncontact: {gitlab: claire.eon}\n")
    _, problems = validate(root)
    assert [(p.path, p.line, p.col, p.rule, p.level) for p in problems] == [("people/dev.yaml", 5, 3, "missing-login", Level.WARNING)]
    assert "nobody can approve changes to this profile" in problems[0].message


def test_a_login_claimed_by_two_profiles_is_an_error_on_each(directory: Build, write: Write) -> None:
    root = directory()
    # GitHub logins ignore case: Leo-GH is lead's leo-gh.
    write("people/dev.yaml", PERSON + "name: Ana Silva\ntitle: Développeuse\ncontact: {github: Leo-GH}\n")
    _, problems = validate(root)
    assert summary(problems) == ["people/dev.yaml:4:19 duplicate-login", "people/lead.yaml:13:11 duplicate-login"]
    assert "GitHub login 'Leo-GH' is also claimed by people/lead.yaml" in problems[0].message


def test_a_borrowed_login_is_found_when_only_the_new_profile_is_checked(directory: Build, write: Write) -> None:
    root = directory()
    new = write("people/leo2.yaml", PERSON + "name: Léo Bis\ntitle: Responsable\ncontact:\n  github: {value: leo-gh, visibility: private}\n")
    _, problems = validate(root, new)
    assert summary(problems) == ["people/leo2.yaml:5:19 duplicate-login"]
    assert "people/lead.yaml" in problems[0].message


def test_gitlab_usernames_are_unique_too(directory: Build, write: Write) -> None:
    root = directory()
    write("people/dev.yaml", PERSON + "name: Ana Silva\ntitle: Développeuse\ncontact: {github: ana-gh, gitlab: shared}\n")
    write("people/ceo.yaml", PERSON + "name: Claire Éon\ntitle: Directrice\ncontact: {github: claire-gh, gitlab: Shared}\n")
    _, problems = validate(root)
    assert summary(problems) == ["people/ceo.yaml:4:38 duplicate-login", "people/dev.yaml:4:35 duplicate-login"]


def test_sample_values_of_trombi_new_are_errors(directory: Build) -> None:
    root = directory()
    settings = load_settings(root)
    path = write_profile(settings, "nina", name="Nina Roux", title="Développeuse", team="platform", manager="lead", location="Lyon")
    # Filled in, but the sample bio kept and the sample phone uncommented.
    text = path.read_text(encoding="utf-8").replace("  github:", "  github: nina-r").replace("  # phone:", "  phone:")
    path.write_text(text, encoding="utf-8")
    _, problems = validate(root, path)
    lines = text.splitlines()
    sample_bio = settings.gettext(SAMPLE_BIO)  # the skeleton is written in the site's language
    assert sample_bio != SAMPLE_BIO
    bio = next(number for number, line in enumerate(lines, 1) if sample_bio in line)
    phone = next(number for number, line in enumerate(lines, 1) if line.startswith("  phone:"))
    assert summary(problems) == [f"people/nina.yaml:{phone}:18 placeholder", f"people/nina.yaml:{bio - 1}:6 placeholder"]
    assert all("write your own" in p.message for p in problems)
    # Written in one's own words, the same file is valid.
    path.write_text(text.replace(sample_bio, "Développeuse Python à Lyon.").replace(SAMPLE_PHONE, "+33 6 12 34 56 78"), encoding="utf-8")
    assert validate(root, path)[1] == []


def test_a_one_letter_login_does_not_make_every_profile_a_suspect(tmp_path: Path) -> None:
    folder = tmp_path / "people"
    folder.mkdir()
    profiles = {
        "a1": "contact:\n  github: A\n",
        "a2": 'contact: {github: "a", gitlab: x}\n',
        "a3": "contact:\n  gitlab:\n    value: a  # private\n    visibility: private\n",
        "n1": "name: Ana Alves\ntitle: a\n",
        "n2": "contact:\n  github: ab\n",
    }
    for handle, text in profiles.items():
        (folder / f"{handle}.yaml").write_text(text, encoding="utf-8")
    assert files_mentioning(folder, ["a"], skip={"a1"}) == ["a2", "a3"]


# --- the site's language -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "fr",
            [
                "people/ana.yaml:5:5: error: le groupe 'qqqqq' n’existe pas (pas de groups/qqqqq.yaml) [reference]",
                "people/glued.yaml:3:7: error: il manque un espace après ':' : écrivez 'title: Dev' [yaml-syntax]",
                "people/linked.yaml:1:1: error: people/linked.yaml est un lien symbolique ; la construction ne lit aucun fichier à travers un lien : "
                "committez le fichier lui-même [symlink]",
            ],
        ),
        (
            "en",
            [
                "people/ana.yaml:5:5: error: group 'qqqqq' does not exist (no groups/qqqqq.yaml) [reference]",
                "people/glued.yaml:3:7: error: a space is missing after ':': write 'title: Dev' [yaml-syntax]",
                "people/linked.yaml:1:1: error: people/linked.yaml is a symbolic link; the build reads no file through a link: "
                "commit the file itself [symlink]",
            ],
        ),
    ],
)
def test_problems_are_said_in_the_sites_language(directory: Build, write: Write, capsys: pytest.CaptureFixture[str], language: str, said: list[str]) -> None:
    from generator.cli.main import main

    root = directory()
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: fr", f"language: {language}"), encoding="utf-8")
    write("people/ana.yaml", PERSON + "name: Ana\ntitle: Dev\ngroups:\n  - qqqqq\ncontact: {github: ana-2}\n")
    write("people/glued.yaml", PERSON + "name: Léa\ntitle:Dev\n")
    (root / "people" / "linked.yaml").symlink_to("dev.yaml")
    assert main(["validate", "--root", str(root)]) == 1
    lines = capsys.readouterr().out.splitlines()
    for line in said:
        assert line in lines, lines
    # The English words stay those of the message as written, whatever the site's language.
    _, problems = validate(root)
    assert any(p.message == "group 'qqqqq' does not exist (no groups/qqqqq.yaml)" for p in problems)


def test_a_valid_directory_lets_go_of_the_fields_each_model_set_once_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Which fields a profile set is read by the checks alone (a written `contact` has its logins
    checked); a build then holds one empty set for all its models, not one each, except in `trombi
    serve`, which checks the models it keeps again."""
    from pydantic import BaseModel

    from generator.build.plan import read_directory
    from generator.directory import perfile
    from generator.progress import Reporter
    from tests.conftest import make_directory

    root = make_directory(tmp_path / "d")
    settings = load_settings(root)
    fresh, _ = validate_directory(settings)
    assert any("contact" in person.model_fields_set for person in fresh.people.values())  # what the checks read

    def models(directory: Directory) -> list[BaseModel]:
        found: list[BaseModel] = []
        todo: list[object] = [*directory.people.values(), *directory.groups.values()]
        while todo:
            value = todo.pop()
            if isinstance(value, BaseModel):
                found.append(value)
                todo.extend(value.__dict__.values())
            elif isinstance(value, list | tuple):
                todo.extend(value)
            elif isinstance(value, dict):
                todo.extend(value.values())
        return found

    checked = read_directory(settings, Reporter())
    held = models(checked.directory)
    assert len(held) > len(checked.directory.people) * 2  # the skills, the contacts... of each
    assert {id(model.model_fields_set) for model in held} == {id(held[0].model_fields_set)}
    assert not held[0].model_fields_set
    assert [person.model_dump_json() for person in checked.directory.people.values()] == [person.model_dump_json() for person in fresh.people.values()]

    monkeypatch.setattr(perfile, "_remembered", {})  # as `trombi serve` keeps them
    served = read_directory(settings, Reporter())
    assert any("contact" in person.model_fields_set for person in served.directory.people.values())
