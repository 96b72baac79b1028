"""Backstage ``User`` and ``Group`` entities: import, export against Backstage's own schemas, round trip."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from generator.directory.enrich import enrich
from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory
from generator.interop.backstage import import_backstage, to_handle
from generator.interop.backstageexport import export_backstage
from generator.interop.yamlwrite import apply_changes
from generator.problems import Level, TrombiError, has_errors
from tests.conftest import DATA, REPO

ACME = DATA / "backstage" / "acme"
BACKSTAGE_SCHEMAS = DATA / "backstage" / "schemas"

Build = Callable[..., Path]
Validators = dict[str, jsonschema.Draft7Validator]


def empty_directory(root: Path, *, photo_hosts: str = "[api.dicebear.com]") -> Path:
    """A directory with a taxonomy and settings but nobody in it, ready for an import."""
    (root / "people").mkdir(parents=True)
    (root / "groups").mkdir()
    shutil.copyfile(DATA / "base" / "skills.yaml", root / "skills.yaml")
    settings = f"site_name: ACME\ntheme:\n  name: material\n  language: en\nextra:\n  trombi:\n    photo_hosts: {photo_hosts}\n"
    (root / "mkdocs.yml").write_text(settings, encoding="utf-8")
    return root


def import_into(root: Path, *files: Path, default_owner: str | None = None) -> list[str]:
    """Import ``files`` into ``root``; the warnings' texts."""
    plan = import_backstage(load_settings(root), list(files), default_owner=default_owner)
    apply_changes(plan.changes)
    return [w.as_text() for w in plan.warnings]


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.glob("*/*.yaml"))}


def errors_of(root: Path) -> list[str]:
    _, problems = validate_directory(load_settings(root))
    return [p.as_text() for p in problems if p.level is Level.ERROR]


@pytest.fixture(scope="module")
def acme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = empty_directory(tmp_path_factory.mktemp("acme") / "directory")
    import_into(root, *sorted(ACME.glob("*.yaml")))
    return root


@pytest.fixture(scope="module")
def backstage_validators() -> Validators:
    files = sorted(BACKSTAGE_SCHEMAS.rglob("*.schema.json"))
    resources = [Resource.from_contents(json.loads(p.read_text(encoding="utf-8")), default_specification=DRAFT7) for p in files]
    registry: Registry[Any] = Registry().with_resources((resource.id() or "", resource) for resource in resources)
    return {
        kind: jsonschema.Draft7Validator(registry.contents(schema_id), registry=registry)
        for kind, schema_id in (("User", "UserV1alpha1"), ("Group", "GroupV1alpha1"), ("Entity", "EntityEnvelope"))
    }


# --- import -------------------------------------------------------------------------------------


def test_acme_import_gives_a_valid_directory_with_backstage_tree(acme: Path) -> None:
    assert errors_of(acme) == []
    directory, problems = validate_directory(load_settings(acme))
    assert [p.as_text() for p in problems if p.rule == "group-tree"] == []  # sub-departments under a department are at home
    assert len(directory.people) == 17
    types = {slug: group.type for slug, group in directory.groups.items()}
    assert types == {
        "acme-corp": "company",
        "infrastructure": "department",
        "backstage": "department",
        "boxoffice": "department",
        "team-a": "team",
        "team-b": "team",
        "team-c": "team",
        "team-d": "team",
        "team-e": "team",
    }
    assert directory.groups["infrastructure"].parent == "acme-corp"
    assert directory.groups["team-a"].parent == "backstage"
    breanna = directory.people["breanna-davison"]
    assert (breanna.name, breanna.team, breanna.title) == ("Breanna Davison", "team-a", "To be completed")
    assert breanna.contact.email is not None and breanna.contact.email.value == "breanna-davison@example.com"
    assert breanna.photo == "https://api.dicebear.com/7.x/avataaars/svg?seed=breanna"
    assert directory.people["janelle-dawe"].name == "janelle.dawe"  # no displayName in Backstage
    assert all(person.skills == [] for person in directory.people.values())
    # One name in two namespaces: two people, the second's handle says where it comes from.
    guests = {handle: person.backstage.ref for handle, person in directory.people.items() if person.backstage and "guest" in handle}
    assert guests == {"guest": "user:default/guest", "development-guest": "user:development/guest"}
    assert directory.people["development-guest"].team == "team-a"  # group:default/team-a, from the namespace development
    company = directory.groups["acme-corp"].backstage
    assert company is not None and company.type == "organization" and company.kept is not None
    assert company.kept.metadata == {"links": [{"url": "http://www.acme.com/", "title": "Website"}]}
    assert company.kept.spec == {}  # ancestors and descendants are Backstage's own reckoning


def test_pictures_from_hosts_the_directory_does_not_trust_are_kept_for_backstage_not_shown(tmp_path: Path) -> None:
    root = empty_directory(tmp_path / "directory", photo_hosts="[]")
    warnings = import_into(root, *sorted(ACME.glob("*.yaml")))
    pictures = [w for w in warnings if "[photo]" in w]
    assert len(pictures) == 2, warnings  # one line per host, not one per person
    assert "13 pictures are on api.dicebear.com, which is not in extra.trombi.photo_hosts: kept for Backstage, not shown on the site" in pictures[0]
    assert errors_of(root) == []
    text = (root / "people" / "breanna-davison.yaml").read_text(encoding="utf-8")
    assert "photo:" not in text and "  picture: https://api.dicebear.com/7.x/avataaars/svg?seed=breanna\n" in text


def test_acme_import_writes_files_in_the_project_style(acme: Path) -> None:
    text = (acme / "people" / "breanna-davison.yaml").read_text(encoding="utf-8")
    assert text == (
        "# yaml-language-server: $schema=../schemas/person.schema.json\n"
        "name: Breanna Davison\n"
        "title: To be completed\n"
        "team: team-a\n"
        "photo: https://api.dicebear.com/7.x/avataaars/svg?seed=breanna\n"
        "contact:\n"
        "  email: breanna-davison@example.com\n"
        "backstage:\n"
        "  ref: user:default/breanna.davison\n"
    )
    group = (acme / "groups" / "team-a.yaml").read_text(encoding="utf-8")
    assert group.startswith("# yaml-language-server: $schema=../schemas/group.schema.json\nname: team-a\ntype: team\n")
    assert "channels: {mailing_list: team-a@example.com}\n" in group


def test_missing_titles_and_names_are_reported_once_each(tmp_path: Path) -> None:
    warnings = import_into(empty_directory(tmp_path / "d"), *sorted(ACME.glob("*.yaml")))
    titles = [w for w in warnings if "[missing-title]" in w]
    assert len(titles) == 1 and "17 users have no job title" in titles[0] and "To be completed" in titles[0]
    assert "guest, development/guest" in titles[0]
    assert any("[missing-name]" in w and "janelle.dawe" in w for w in warnings)


def test_import_into_an_existing_directory_keeps_comments_and_self_written_fields(directory: Build, tmp_path: Path) -> None:
    root = directory()
    lead = root / "people" / "lead.yaml"
    lead.write_text(lead.read_text(encoding="utf-8").replace("location: Paris", "location: Paris  # au siège"), encoding="utf-8")
    source = tmp_path / "catalog.yaml"
    source.write_text(
        """apiVersion: backstage.io/v1alpha1
kind: User
metadata: {name: lead, annotations: {trombi/title: Responsable plateforme senior}}
spec:
  profile: {displayName: Léo Durand, email: leo@acme.example}
  memberOf: [platform, guild-python, secret-project]
""",
        encoding="utf-8",
    )
    import_into(root, source)
    text = lead.read_text(encoding="utf-8")
    assert "location: Paris  # au siège\n" in text
    assert "title: Responsable plateforme senior\n" in text
    assert "  - {name: Kubernetes, level: expert}\n" in text
    assert 'phone: {value: "+33 6 11 22 33 44", visibility: private}' in text
    assert "  email: leo@acme.example\n" in text
    assert "groups: [guild-python]\n" in text  # already there: not repeated
    assert errors_of(root) == []
    assert import_backstage(load_settings(root), [source]).changes == []  # a second run changes nothing


def test_non_team_memberships_go_to_closed_groups_members(tmp_path: Path) -> None:
    root = empty_directory(tmp_path / "d")
    source = tmp_path / "catalog.yaml"
    source.write_text(
        """apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: acme}
spec: {type: organization, children: [payments]}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: payments}
spec: {type: team, parent: acme, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: Guild_Rust, annotations: {trombi/owners: Jane.Doe}}
spec: {type: guild, profile: {displayName: Rust guild}, children: [], members: [user:default/bob]}
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: {name: Jane.Doe, description: Backend engineer}
spec: {profile: {displayName: Jane Doe}, memberOf: [guild_rust, payments]}
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: {name: bob}
spec: {profile: {displayName: Bob}, memberOf: [group:default/payments]}
""",
        encoding="utf-8",
    )
    import_into(root, source)
    assert errors_of(root) == []
    directory, _ = validate_directory(load_settings(root))
    guild = directory.groups["guild-rust"]
    assert (guild.type, guild.open, guild.owners, guild.members) == ("community", False, ["jane-doe"], ["bob", "jane-doe"])
    jane = directory.people["jane-doe"]
    assert (jane.team, jane.title) == ("payments", "Backend engineer")  # the first team, whatever the order
    assert directory.people["bob"].team == "payments"


@pytest.mark.parametrize(
    ("catalog", "expected"),
    [
        (
            "apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata:\n  name: Jane.Doe\nspec: {memberOf: []}\n---\n"
            "apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata:\n  name: jane_doe\nspec: {memberOf: []}\n",
            [
                "catalog.yaml:10:9: error: User 'jane_doe' and 'Jane.Doe' both become the handle 'jane-doe' "
                "(first at catalog.yaml:4); rename one [name-collision]"
            ],
        ),
        (
            "apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: {name: x}\nspec: {memberOf: []}\n",
            ["catalog.yaml:3:18: error: 'x' cannot become a valid handle ('x'): handles have 2 to 40 lowercase letters, digits and '-' [handle]"],
        ),
        (
            "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: guild}\nspec: {type: guild, children: []}\n",
            ["catalog.yaml:3:18: error: group 'guild' needs an owner: add the annotation trombi/owners, or pass --default-owner HANDLE [missing-owner]"],
        ),
        (
            "base: &b {kind: User}\n---\nother: *b\n",
            ["catalog.yaml:3:8: error: YAML aliases (*b) are not accepted in imported files; write the value out [yaml-alias]"],
        ),
        (
            "apiVersion: example.com/v9\nkind: User\nmetadata: {name: jane}\nspec: {}\n",
            ["catalog.yaml:1:13: error: apiVersion 'example.com/v9' is not one of backstage.io/v1alpha1, backstage.io/v1beta1 [backstage]"],
        ),
    ],
    ids=["collision", "invalid-handle", "missing-owner", "alias", "api-version"],
)
def test_bad_catalogs_are_refused_with_positions_and_nothing_is_planned(tmp_path: Path, catalog: str, expected: list[str]) -> None:
    root = empty_directory(tmp_path / "d")
    source = root / "catalog.yaml"
    source.write_text(catalog, encoding="utf-8")
    with pytest.raises(TrombiError) as caught:
        import_backstage(load_settings(root), [source])
    assert [p.as_text() for p in caught.value.problems] == expected


def test_default_owner_owns_groups_that_name_none(tmp_path: Path) -> None:
    root = empty_directory(tmp_path / "d")
    source = root / "catalog.yaml"
    source.write_text(
        "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: guild}\nspec: {type: guild, children: [], members: [jane]}\n---\n"
        "apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: {name: jane}\nspec: {profile: {displayName: Jane}}\n",
        encoding="utf-8",
    )
    import_into(root, source, default_owner="jane")
    assert "owners: [jane]\n" in (root / "groups" / "guild.yaml").read_text(encoding="utf-8")
    assert errors_of(root) == []


def test_to_handle_lowercases_and_replaces_invalid_characters() -> None:
    assert to_handle("Jane.Doe_2") == "jane-doe-2"
    assert to_handle("Zoé.Müller") == "zoe-muller"


# --- export -------------------------------------------------------------------------------------


def test_export_passes_backstage_own_schemas(directory: Build, backstage_validators: Validators) -> None:
    root = directory()
    text = export_backstage(enrich(validate_directory(load_settings(root))[0]))
    entities = list(yaml.safe_load_all(text))
    assert {(e["kind"], e["metadata"]["name"]) for e in entities} == {
        ("Group", "acme"), ("Group", "engineering"), ("Group", "guild-python"), ("Group", "platform"), ("Group", "secret-project"),
        ("User", "ceo"), ("User", "dev"), ("User", "lead"),
    }  # fmt: skip
    for entity in entities:
        for kind in (entity["kind"], "Entity"):
            problems = [error.message for error in backstage_validators[kind].iter_errors(entity)]
            assert problems == [], (entity["metadata"]["name"], problems)
    by_name = {e["metadata"]["name"]: e for e in entities}
    assert by_name["lead"]["spec"]["memberOf"] == ["platform", "guild-python", "secret-project"]
    assert by_name["platform"]["spec"]["children"] == []
    assert by_name["engineering"]["spec"] == {"type": "department", "profile": {"displayName": "Ingénierie"}, "parent": "acme", "children": ["platform"]}
    assert by_name["secret-project"]["spec"]["members"] == ["lead", "dev"]
    assert by_name["ceo"]["spec"]["profile"] == {"displayName": "Claire Éon", "email": "claire@acme.example"}
    assert "+33 6 11 22 33 44" not in text  # lead's private phone


def test_backstage_schemas_catch_a_broken_entity(backstage_validators: Validators) -> None:
    # The stored schemas really check something: a Group without children is not a Backstage Group.
    group = {"apiVersion": "backstage.io/v1alpha1", "kind": "Group", "metadata": {"name": "x"}, "spec": {"type": "team"}}
    assert [e.message for e in backstage_validators["Group"].iter_errors(group)] == ["'children' is a required property"]


def test_export_leaves_out_hidden_people_and_private_emails(directory: Build, write: Callable[[str, str], Path]) -> None:
    root = directory()
    dev = root / "people" / "dev.yaml"
    write("people/dev.yaml", dev.read_text(encoding="utf-8") + "search: hidden\n")
    lead = (root / "people" / "lead.yaml").read_text(encoding="utf-8")
    write("people/lead.yaml", lead + "  email: {value: leo.secret@acme.example, visibility: private}\n")
    text = export_backstage(enrich(validate_directory(load_settings(root))[0]))
    names = [e["metadata"]["name"] for e in yaml.safe_load_all(text) if e["kind"] == "User"]
    assert names == ["ceo", "lead"]
    assert "leo.secret" not in text
    assert "dev" not in [m for e in yaml.safe_load_all(text) for m in e["spec"].get("members", [])]


# --- round trip and command ---------------------------------------------------------------------


def test_round_trip_import_export_import_gives_the_same_directory(acme: Path, tmp_path: Path) -> None:
    exported = tmp_path / "org.yaml"
    exported.write_text(export_backstage(enrich(validate_directory(load_settings(acme))[0])), encoding="utf-8")
    again = empty_directory(tmp_path / "again")
    import_into(again, exported)
    assert tree(again) == tree(acme)
    assert import_backstage(load_settings(acme), [exported]).changes == []


def test_round_trip_of_a_trombi_directory_keeps_what_backstage_can_carry(directory: Build, tmp_path: Path) -> None:
    root = directory()
    exported = tmp_path / "org.yaml"
    exported.write_text(export_backstage(enrich(validate_directory(load_settings(root))[0])), encoding="utf-8")
    again = empty_directory(tmp_path / "again")
    import_into(again, exported)
    assert errors_of(again) == []
    before = validate_directory(load_settings(root))[0]
    after = validate_directory(load_settings(again))[0]
    for handle, person in before.people.items():
        copy = after.people[handle]
        assert (copy.name, copy.title, copy.team, copy.manager) == (person.name, person.title, person.team, person.manager)
    for slug, group in before.groups.items():
        copy_group = after.groups[slug]
        assert (copy_group.name, copy_group.type, copy_group.parent, copy_group.open) == (group.name, group.type, group.parent, group.open)
        assert sorted(copy_group.owners) == sorted(group.owners)
    assert after.people["lead"].groups == ["guild-python"]
    assert after.groups["secret-project"].members == ["dev", "lead"]


def test_cli_dry_run_shows_a_diff_and_writes_nothing_then_imports_and_exports(tmp_path: Path) -> None:
    root = empty_directory(tmp_path / "d")
    files = [str(p) for p in sorted(ACME.glob("*.yaml"))]
    command = [sys.executable, "-m", "generator.cli.main"]
    dry = subprocess.run([*command, "import", "backstage", *files, "--root", str(root), "--dry-run"], capture_output=True, text=True, cwd=REPO)
    assert dry.returncode == 0, dry.stderr
    assert "+++ b/people/breanna-davison.yaml\n" in dry.stdout and "--- /dev/null\n" in dry.stdout
    assert "Dry run: 26 created, 0 updated, 0 removed, 0 unchanged; nothing written." in dry.stdout
    assert tree(root) == {}
    done = subprocess.run([*command, "import", "backstage", *files, "--root", str(root)], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert "[missing-title]" in done.stderr and len(tree(root)) == 26
    out = tmp_path / "out"
    exported = subprocess.run([*command, "export", "backstage", "--out", str(out), "--root", str(root)], capture_output=True, text=True, cwd=REPO)
    assert exported.returncode == 0, exported.stderr
    assert len(list(yaml.safe_load_all((out / "org.yaml").read_text(encoding="utf-8")))) == 26
    bad = root / "bad.yaml"
    bad.write_text("apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: {name: x}\n", encoding="utf-8")
    failed = subprocess.run([*command, "import", "backstage", str(bad), "--root", str(root)], capture_output=True, text=True, cwd=REPO)
    assert failed.returncode == 1 and "bad.yaml:3:18: error:" in failed.stderr


def test_import_is_all_or_nothing(tmp_path: Path) -> None:
    root = empty_directory(tmp_path / "d")
    bad = root / "bad.yaml"
    bad.write_text("apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: {name: x}\n", encoding="utf-8")
    with pytest.raises(TrombiError) as caught:
        import_backstage(load_settings(root), [*sorted(ACME.glob("*.yaml")), bad])
    assert has_errors(caught.value.problems)
    assert tree(root) == {}


# --- faithful to Backstage ----------------------------------------------------------------------


def _full(ref: str, kind: str, namespace: str) -> str:
    """A reference as Backstage resolves it, written in an entity of ``namespace``."""
    ref_kind, colon, rest = ref.partition(":")
    if not colon:
        ref_kind, rest = kind, ref
    ref_namespace, slash, name = rest.partition("/")
    if not slash:
        ref_namespace, name = namespace, rest
    return f"{ref_kind}:{ref_namespace}/{name}".lower()


def _facts(entities: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each User and Group by its full reference: its type, picture, relations (resolved) and links."""
    facts = {}
    for entity in entities:
        if entity.get("kind") not in ("User", "Group"):
            continue
        namespace = entity["metadata"].get("namespace", "default")
        spec = entity["spec"]
        relations = {
            field: sorted(_full(ref, "user" if field == "members" else "group", namespace) for ref in spec.get(field) or [])
            for field in ("memberOf", "members", "children")
        }
        parent = spec.get("parent")
        facts[f"{entity['kind']}:{namespace}/{entity['metadata']['name']}".lower()] = {
            "type": spec.get("type"),
            "picture": (spec.get("profile") or {}).get("picture"),
            "parent": _full(parent, "group", namespace) if parent else None,
            **relations,
            "links": entity["metadata"].get("links", []),
        }
    return facts


def test_acme_round_trips_with_every_entity_reference_type_picture_and_relation(acme: Path) -> None:
    source = [entity for path in sorted(ACME.glob("*.yaml")) for entity in yaml.safe_load_all(path.read_text(encoding="utf-8")) if entity]
    exported = list(yaml.safe_load_all(export_backstage(enrich(validate_directory(load_settings(acme))[0]))))
    before, after = _facts(source), _facts(exported)
    assert len(before) == 26
    assert sorted(after) == sorted(before)  # the same 26 references: jenny.doe, development/guest...
    for ref, facts in before.items():
        assert after[ref]["type"] == facts["type"], ref  # organization, business-unit, sub-department stay
        assert after[ref]["picture"] == facts["picture"], ref  # pictures the site does not show included
        assert after[ref]["parent"] == facts["parent"], ref
        assert after[ref]["memberOf"] == facts["memberOf"], ref
        assert after[ref]["children"] == facts["children"], ref
        assert [link for link in after[ref]["links"] if link.get("title") == "Website"] == facts["links"], ref
    guest = next(e for e in exported if e["metadata"] == {**e["metadata"], "name": "guest", "namespace": "development"})
    assert guest["spec"]["memberOf"] == ["group:default/team-a"]


def _memberships(entities: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """Who is a member of which group, as Backstage's catalog relates them: from a user's memberOf and from a group's members."""
    pairs = set()
    for ref, facts in _facts(entities).items():
        pairs |= {(ref, group) for group in facts["memberOf"]} | {(user, ref) for user in facts["members"]}
    return pairs


NAMESPACED = """apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: team-a}
spec: {type: team, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: team-a, namespace: development}
spec: {type: team, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: ops, namespace: development, annotations: {trombi/owners: "lead, user:default/boss"}}
spec: {type: squad, children: [], members: [lead, user:default/boss, default/jenny.doe]}
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: {name: jenny.doe}
spec: {profile: {displayName: Jenny Doe}, memberOf: [team-a]}
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: {name: boss}
spec: {profile: {displayName: Big Boss}, memberOf: [group:default/team-a]}
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: {name: lead, namespace: development, annotations: {trombi/manager: "user:default/boss"}}
spec: {profile: {displayName: Dev Lead}, memberOf: [team-a]}
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: {name: intern, namespace: development, annotations: {trombi/manager: lead}}
spec: {profile: {displayName: Intern}, memberOf: [group:default/team-a]}
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: {name: tester, namespace: development}
spec: {profile: {displayName: Tester}, memberOf: ["group:team-a", "development/ops"]}
"""


def test_references_are_read_in_the_namespace_of_the_entity_that_writes_them(tmp_path: Path) -> None:
    root = empty_directory(tmp_path / "d")
    source = root / "catalog.yaml"
    source.write_text(NAMESPACED, encoding="utf-8")
    import_into(root, source)
    assert errors_of(root) == []
    directory = validate_directory(load_settings(root))[0]
    assert sorted(directory.groups) == ["development-ops", "development-team-a", "team-a"]
    people = directory.people
    assert sorted(people) == ["boss", "development-intern", "development-lead", "development-tester", "jenny-doe"]
    assert people["jenny-doe"].team == "team-a"  # bare, from default
    assert people["development-lead"].team == "development-team-a"  # bare, from development
    assert people["development-intern"].team == "team-a"  # group:default/team-a
    assert people["development-tester"].team == "development-team-a"  # group:team-a: the kind given, the namespace its own
    assert people["development-lead"].manager == "boss"  # user:default/boss
    assert people["development-intern"].manager == "development-lead"  # lead, in development
    ops = directory.groups["development-ops"]
    assert (ops.owners, sorted(ops.members)) == (["development-lead", "boss"], ["boss", "development-lead", "development-tester", "jenny-doe"])
    exported = list(yaml.safe_load_all(export_backstage(enrich(directory))))
    assert _memberships(exported) == _memberships(list(yaml.safe_load_all(NAMESPACED)))
    intern = next(e for e in exported if e["metadata"]["name"] == "intern")
    assert intern["metadata"]["annotations"]["trombi/manager"] == "lead"
    lead = next(e for e in exported if e["metadata"]["name"] == "lead")
    assert lead["metadata"]["annotations"]["trombi/manager"] == "user:default/boss"


def test_a_file_imported_before_is_found_by_its_reference_whatever_its_name_now(tmp_path: Path) -> None:
    root = empty_directory(tmp_path / "d")
    source = root / "catalog.yaml"
    source.write_text(NAMESPACED, encoding="utf-8")
    import_into(root, source)
    (root / "people" / "development-lead.yaml").rename(root / "people" / "dlead.yaml")
    for path in (root / "people").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("manager: development-lead", "manager: dlead"), encoding="utf-8")
    ops = root / "groups" / "development-ops.yaml"
    ops.write_text(ops.read_text(encoding="utf-8").replace("development-lead", "dlead"), encoding="utf-8")
    assert errors_of(root) == []
    assert import_backstage(load_settings(root), [source]).changes == []  # nobody comes back as development-lead


def test_export_gives_skills_as_tags_and_annotation_and_links_to_reach_people(
    directory: Build, write: Callable[[str, str], Path], backstage_validators: Validators, tmp_path: Path
) -> None:
    root = directory()
    settings = (root / "mkdocs.yml").read_text(encoding="utf-8")
    write("mkdocs.yml", settings.replace("  trombi:\n", "  trombi:\n    chat_url: https://chat.example/{handle}\n", 1))
    lead = (root / "people" / "lead.yaml").read_text(encoding="utf-8")
    write("people/lead.yaml", lead.replace("  github: leo-gh\n", "  email: leo@acme.example\n  chat: '@leo'\n  github: leo-durand\n", 1))
    assert errors_of(root) == []
    entities = list(yaml.safe_load_all(export_backstage(enrich(validate_directory(load_settings(root))[0]))))
    lead_entity = next(e for e in entities if e["metadata"]["name"] == "lead")
    metadata = lead_entity["metadata"]
    skills = json.loads(metadata["annotations"]["trombi/skills"])
    assert {"name": "Kubernetes", "level": "expert"} in skills
    assert "kubernetes" in metadata["tags"]
    assert metadata["links"] == [
        {"url": "mailto:leo@acme.example", "title": "Email", "icon": "email"},
        {"url": "https://chat.example/leo", "title": "Chat", "icon": "chat"},
        {"url": "https://github.com/leo-durand", "title": "GitHub", "icon": "github"},
    ]
    for entity in entities:
        assert_backstage_accepts(entity, backstage_validators)
    # Brought back, the directory's own links and tags are not kept twice.
    exported = tmp_path / "org.yaml"
    exported.write_text(yaml.safe_dump_all(entities, allow_unicode=True), encoding="utf-8")
    again = empty_directory(tmp_path / "again")
    config = again / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "    chat_url: https://chat.example/{handle}\n", encoding="utf-8")
    import_into(again, exported)
    text = (again / "people" / "lead.yaml").read_text(encoding="utf-8")
    assert "kept" not in text
    assert "  chat: '@leo'\n" in text and "  github: leo-durand\n" in text


# Backstage's field rules beyond its JSON Schemas (catalog-model's KubernetesValidatorFunctions and
# CommonValidatorFunctions, as its FieldFormatEntityPolicy applies them).
_DNS_LABEL = r"^[a-z0-9]+(?:-+[a-z0-9]+)*$"
_OBJECT_NAME = r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$"
_TAG = r"^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$"


def assert_backstage_accepts(entity: dict[str, Any], validators: Validators) -> None:
    import re

    for kind in (entity["kind"], "Entity"):
        problems = [error.message for error in validators[kind].iter_errors(entity)]
        assert problems == [], (entity["metadata"]["name"], problems)
    metadata = entity["metadata"]
    assert re.fullmatch(_OBJECT_NAME, metadata["name"]) and len(metadata["name"]) <= 63
    assert re.fullmatch(_DNS_LABEL, metadata.get("namespace", "default"))
    for tag in metadata.get("tags", []):
        assert re.fullmatch(_TAG, tag) and len(tag) <= 63, tag
    for link in metadata.get("links", []):
        assert link["url"].split(":", 1)[0] in ("https", "http", "mailto"), link


def test_a_group_whose_type_changed_here_exports_the_new_type(acme: Path, tmp_path: Path, backstage_validators: Validators) -> None:
    root = tmp_path / "copy"
    shutil.copytree(acme, root)
    backstage = root / "groups" / "backstage.yaml"
    backstage.write_text(backstage.read_text(encoding="utf-8").replace("type: department\n", "type: team\n"), encoding="utf-8")
    entities = {e["metadata"]["name"]: e for e in yaml.safe_load_all(export_backstage(enrich(validate_directory(load_settings(root))[0])))}
    assert entities["backstage"]["spec"]["type"] == "team"  # no longer sub-department: that would say the old type
    assert entities["boxoffice"]["spec"]["type"] == "sub-department"
    for entity in entities.values():
        assert_backstage_accepts(entity, backstage_validators)


def test_a_backstage_block_is_checked_with_its_line(directory: Build, write: Callable[[str, str], Path]) -> None:
    root = directory()
    lead = (root / "people" / "lead.yaml").read_text(encoding="utf-8")
    write("people/lead.yaml", lead + "backstage:\n  ref: group:default/lead\n  kept: {kind: Component}\n")
    errors = errors_of(root)
    assert any(e.startswith("people/lead.yaml:") and "backstage.ref" in e for e in errors), errors
    assert any("unknown field 'backstage.kept.kind'" in e for e in errors), errors


def test_two_files_naming_one_entity_stop_the_export(directory: Build, write: Callable[[str, str], Path]) -> None:
    root = directory()
    dev = (root / "people" / "dev.yaml").read_text(encoding="utf-8")
    write("people/dev.yaml", dev + "backstage:\n  ref: user:default/lead\n")
    with pytest.raises(TrombiError) as caught:
        export_backstage(enrich(validate_directory(load_settings(root))[0]))
    assert [p.as_text() for p in caught.value.problems] == [
        "people/dev.yaml:1:1: error: 'dev' and 'lead' are both the Backstage entity default/lead: keep backstage.ref in one of them [backstage]"
    ]


def test_what_backstage_stamps_on_an_entity_read_from_its_api_is_not_kept(tmp_path: Path) -> None:
    root = empty_directory(tmp_path / "d")
    source = root / "catalog.yaml"
    source.write_text(
        """apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: jane
  uid: 3b5c1f0e-6a0f-4c55-9f83-2a1c0a8e1b7d
  etag: 0d5e3a
  annotations:
    backstage.io/managed-by-location: url:https://git.example/org.yaml
    backstage.io/managed-by-origin-location: url:https://git.example/org.yaml
    backstage.io/view-url: https://git.example/org.yaml
    backstage.io/edit-url: https://git.example/edit/org.yaml
    backstage.io/source-location: url:https://git.example/
    example.com/cost-center: "4012"
spec: {profile: {displayName: Jane}, memberOf: []}
relations: [{type: memberOf, targetRef: group:default/x}]
""",
        encoding="utf-8",
    )
    import_into(root, source)
    text = (root / "people" / "jane.yaml").read_text(encoding="utf-8")
    assert "backstage.io/" not in text and "uid" not in text and "relations" not in text
    assert "example.com/cost-center" in text  # the catalog's own annotation is kept for the export
