"""A synthetic organisation: a complete, valid directory of N fictitious people, for tests and benchmarks.

:func:`write_synthetic_directory` writes ``mkdocs.yml``, ``skills.yaml`` (the demo taxonomy),
``people/*.yaml`` and ``groups/*.yaml`` in the house style. The organisation looks like a real
company: a CEO, deputy CEOs when there are many departments, departments, heads of "pôles" in
large departments, teams of 5 to 12 led by a lead; sites, languages, contractors and partners,
skills with a long tail, open groups of very uneven sizes and closed project groups.

Everything is drawn from one :class:`random.Random` and one seeded Faker, in a fixed order, and
the YAML is written by a small emitter (not a YAML library): the same seed gives byte-identical
files, and 100,000 people take seconds.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from generator.directory.synthdata import (
    CLUBS,
    CODENAMES,
    COMMUNITIES,
    COMPANY,
    DOMAIN,
    DOMAINS,
    FIRST_DAY,
    FRENCH_CITY,
    LEVEL_WEIGHTS,
    MIN_PEOPLE,
    POLE_NAMES,
    PROJECT_ACTIONS,
    PROJECT_OBJECTS,
    REMOTE,
    SITES,
    TAXONOMY,
    WIKI,
    Domain,
)
from generator.directory.synthpeople import Names, Picker, Slugs, SynthGroup, SynthPerson, slugify
from generator.directory.synthprofiles import Profiles
from generator.directory.synthwords import (
    company_description,
    department_description,
    department_name,
    meetings,
    open_group_description,
    project_description,
    site_description,
    team_description,
)
from generator.directory.synthyaml import group_yaml, mkdocs_yaml, person_yaml
from generator.problems import Message


@dataclass(frozen=True)
class SynthSummary:
    """What :func:`write_synthetic_directory` wrote, and how long it took."""

    people: int
    groups: int
    skills: int
    files: int
    seconds: float


# --- the organisation in memory ---------------------------------------------------------------


class _Builder(Profiles):
    def __init__(self, people: int, seed: int, taxonomy: dict[str, dict[str, Any]]) -> None:
        self.n = people
        self.rng = random.Random(seed)
        self.names = Names(seed)
        self.slugs = Slugs()
        self.people: list[SynthPerson] = []
        self.groups: list[SynthGroup] = []
        self.by_slug: dict[str, SynthGroup] = {}
        self.skill_names = list(taxonomy)
        self.categories = {name: str(definition.get("category", "")) for name, definition in taxonomy.items()}
        self.site_picker = Picker([s[0] for s in SITES], [s[1] for s in SITES])
        self.team_site_picker = Picker([s[0] for s in SITES if s[2]], [s[2] for s in SITES if s[2]])
        self.timezones = {s[0]: s[3] for s in SITES}
        self.level_picker = Picker([lv for lv, _ in LEVEL_WEIGHTS], [w for _, w in LEVEL_WEIGHTS])
        self.domain_picker = Picker(list(DOMAINS), [d.weight for d in DOMAINS])
        self._skill_pickers: dict[str, Picker] = {}
        self._topics: dict[str, list[str]] = {}
        self._skill_popularity = self._zipf_skills()

    # --- people ---------------------------------------------------------------------------

    def new_person(self, domain: Domain | None, *, leader: bool = False) -> SynthPerson:
        person = self.names.person(self.rng)
        person.domain = domain
        person.leader = leader
        self.people.append(person)
        return person

    def title(self, person: SynthPerson, pair: tuple[str, str]) -> str:
        return pair[1] if person.female else pair[0]

    # --- the org chart --------------------------------------------------------------------

    def build_org(self) -> None:
        rng = self.rng
        n_departments = max(2, round(self.n / 800))
        n_deputies = math.ceil(n_departments / 10) if n_departments > 12 else 0
        company = self.add_group(COMPANY, "company", company_description(self.n), topic=COMPANY)
        ceo = self.new_person(None, leader=True)
        ceo.title = self.title(ceo, ("Président-directeur général", "Présidente-directrice générale"))
        ceo.location = "Lyon"
        ceo.joined = FIRST_DAY + timedelta(days=rng.randrange(60))
        company.owners = [ceo.handle]
        # deputy CEOs when there are too many departments for one person: ~10 departments each
        deputies = []
        for _ in range(n_deputies):
            deputy = self.new_person(None, leader=True)
            deputy.title = self.title(deputy, ("Directeur général adjoint", "Directrice générale adjointe"))
            deputy.manager = ceo.handle
            deputy.location = rng.choice(("Lyon", "Paris", "Paris"))
            deputies.append(deputy)
        # People left for the departments, split unevenly.
        remaining = self.n - 1 - n_deputies - n_departments
        weights = [min(2.0, rng.lognormvariate(0, 0.4)) for _ in range(n_departments)]  # at most ~4 times as big as the smallest
        sizes = _split(remaining, weights, minimum=5, rng=rng)
        used_names: set[str] = set()
        for index, size in enumerate(sizes):
            # every trade once, in order of size, then more departments in proportion to the trades' weights
            domain = DOMAINS[index] if index < len(DOMAINS) else self.domain_picker(rng)
            name = department_name(domain, used_names, rng)
            department = self.add_group(name, "department", department_description(name, domain), parent=company.slug, topic=name)
            head = self.new_person(domain, leader=True)
            head.title = self.title(head, ("Directeur", "Directrice")) + " " + name
            head.manager = deputies[index * len(deputies) // n_departments].handle if deputies else ceo.handle
            head.location = rng.choice(("Lyon", "Paris", "Lyon", "Paris", self.team_site_picker(rng)))
            department.owners = [head.handle]
            self.build_department(department, head, domain, size)
        self.ceo = ceo

    def build_department(self, department: SynthGroup, head: SynthPerson, domain: Domain, size: int) -> None:
        rng = self.rng
        teams = max(1, round(size / 8.5))
        # above 12 teams, heads of pôles of 8 to 15 teams each sit between the teams and the department's head
        poles = math.ceil(teams / min(15, max(8, math.ceil(teams / 12)))) if teams > 12 else 0
        size -= poles
        teams = min(max(teams, math.ceil(size / 12)), max(1, size // 5))
        team_sizes = _split(size, [rng.uniform(0.6, 1.4) for _ in range(teams)], minimum=5, rng=rng, maximum=12)
        managers = [head] * teams
        if poles:
            pole_heads = []
            for index in range(poles):
                pole = self.new_person(domain, leader=True)
                label = POLE_NAMES[index % len(POLE_NAMES)] + ("" if index < len(POLE_NAMES) else f" {index // len(POLE_NAMES) + 1}")
                pole.title = f"Responsable du pôle {label} — {department.name}"
                pole.manager = head.handle
                pole.location = head.location if rng.random() < 0.6 else self.team_site_picker(rng)
                pole_heads.append(pole)
            managers = [pole_heads[index * poles // teams] for index in range(teams)]
        for index, team_size in enumerate(team_sizes):
            topic = self.next_topic(domain)
            team = self.add_group(f"Équipe {topic}", "team", "", parent=department.slug, topic=topic, unique_topic=True)
            team.description = team_description(team.topic, department.name, rng)
            team.site = self.team_site_picker(rng)
            lead = self.new_person(domain, leader=True)
            lead.title = self.title(lead, domain.lead) if rng.random() < 0.7 else f"Lead {team.topic}"
            lead.team = team.slug
            lead.manager = managers[index].handle
            lead.location = team.site
            team.owners = [lead.handle]
            for _ in range(team_size - 1):
                member = self.new_person(domain)
                member.team = team.slug
                member.manager = lead.handle
                member.location = team.site if rng.random() < 0.72 else self.site_picker(rng)
                self.member_title(member, domain)
                roll = rng.random()
                if roll < 0.02:
                    member.kind = "contractor"
                elif roll < 0.03:
                    member.kind = "partner"
                if member.kind != "employee":
                    member.company = self.names.fake["fr_FR"].company() if rng.random() < 0.8 else self.names.fake["en_US"].company()

    def next_topic(self, domain: Domain) -> str:
        """Each topic of a trade once, in a random order; then again (with a code name: Équipe Paiements Orion)."""
        queue = self._topics.get(domain.key)
        if not queue:
            queue = self._topics[domain.key] = self.rng.sample(domain.topics, len(domain.topics))
        return queue.pop()

    def member_title(self, person: SynthPerson, domain: Domain) -> None:
        rng = self.rng
        if not person.french and rng.random() < 0.5:
            title = rng.choice(domain.english_titles)
            person.title = f"Senior {title}" if rng.random() < 0.3 else title
            return
        title = self.title(person, domain.titles[rng.randrange(len(domain.titles))])
        roll = rng.random()
        person.title = f"{title} senior" if roll < 0.25 else (f"{title} junior" if roll < 0.33 else title)

    def add_group(
        self, name: str, type_: str, description: str, *, parent: str | None = None, topic: str = "", unique_topic: bool = False, slug: str | None = None
    ) -> SynthGroup:
        if unique_topic:
            base_topic = topic
            attempt = 0
            while slugify(topic) in self.slugs.taken:
                attempt += 1
                codename = CODENAMES[self.rng.randrange(len(CODENAMES))]
                topic = f"{base_topic} {codename}" if attempt < 6 else f"{base_topic} {codename} {attempt}"
            name = f"Équipe {topic}"
            slug = self.slugs.claim(topic)
        else:
            slug = self.slugs.claim(slug or name)
        group = SynthGroup(slug, name, type_, description, parent=parent, topic=topic)
        self.groups.append(group)
        self.by_slug[slug] = group
        return group

    # --- everything else about a person ---------------------------------------------------

    # --- open and closed groups -----------------------------------------------------------

    def build_groups(self) -> None:
        rng = self.rng
        budget = max(5, round(self.n / 150))
        by_site: dict[str, list[SynthPerson]] = {}
        for person in self.people:
            by_site.setdefault(person.location, []).append(person)
        site_groups: dict[str, SynthGroup] = {}
        for site, _, _, _ in SITES:
            if site == REMOTE or len(by_site.get(site, [])) < 12 or len(site_groups) >= max(1, budget // 3):
                continue
            group = self.add_group(f"Site de {FRENCH_CITY.get(site, site)}", "site", site_description(site), topic=site, slug=f"site-{site}")
            group.site = site
            site_groups[site] = group
        open_groups = self.open_group_candidates(budget - len(site_groups))
        popularity = Picker(open_groups, [1.0 / (rank + 1) ** 1.15 for rank in range(len(open_groups))])
        per_person = Picker((0, 1, 2, 3, 4, 5, 6, 8), (25, 28, 20, 12, 7, 4, 2, 2))
        members: dict[str, list[SynthPerson]] = {group.slug: [] for group in [*site_groups.values(), *open_groups]}
        for person in self.people:
            wanted: list[SynthGroup] = []
            site_group = site_groups.get(person.location)
            if site_group is not None and rng.random() < 0.55:
                wanted.append(site_group)
            for _ in range(per_person(rng)):
                group = popularity(rng)
                if group not in wanted:
                    wanted.append(group)
            for group in wanted:
                person.groups.append(group.slug)
                members[group.slug].append(person)
        for group in [*site_groups.values(), *open_groups]:
            found = members[group.slug]
            if found:
                owners = [found[rng.randrange(len(found))]]
                if len(found) > 30 and rng.random() < 0.5:
                    other = found[rng.randrange(len(found))]
                    if other is not owners[0]:
                        owners.append(other)
            else:
                owner = self.people[rng.randrange(len(self.people))]
                owner.groups.append(group.slug)
                owners = [owner]
            group.owners = [owner.handle for owner in owners]
        self.build_projects()

    def open_group_candidates(self, count: int) -> list[SynthGroup]:
        rng = self.rng
        popular = sorted(range(len(self.skill_names)), key=lambda i: -self._skill_popularity[i])
        themes: list[tuple[str, str]] = []
        themes += [("community", f"Guilde {self.skill_names[i]}") for i in popular[:25]]
        themes += [("community", f"Communauté {name}") for name in COMMUNITIES]
        themes += [("interest", name) for name in CLUBS]
        rng.shuffle(themes)
        themes += [("community", f"Guilde {self.skill_names[i]}") for i in popular[25:]]
        cities = [s[0] for s in SITES if s[0] != REMOTE]
        local = [(kind, f"{name} {city}") for city in cities for kind, name in themes]
        rng.shuffle(local)
        themes += local
        groups = []
        for kind, name in themes[:count]:
            group = self.add_group(name, kind, "", topic=name)
            group.description = open_group_description(kind, name, rng)
            group.channels = {"chat": f"#{group.slug}"}
            if rng.random() < 0.3:
                group.channels["mailing_list"] = f"{group.slug}@{DOMAIN}"
            if rng.random() < 0.2:
                group.channels["url"] = f"{WIKI}/{group.slug}"
            if rng.random() < 0.5:
                group.meetings = meetings(rng)
            groups.append(group)
        # a few more generic themes would repeat names; count never exceeds the candidates for sane N
        return groups

    def build_projects(self) -> None:
        rng = self.rng
        count = max(2, round(self.n / 100))
        by_team: dict[str, list[SynthPerson]] = {}
        for person in self.people:
            if person.team:
                by_team.setdefault(person.team, []).append(person)
        teams = list(by_team)
        for index in range(count):
            action, target = rng.choice(PROJECT_ACTIONS), rng.choice(PROJECT_OBJECTS)
            name = f"Projet {action.lower()} {target}" if index < 200 else f"Projet {action.lower()} {target} {CODENAMES[index % len(CODENAMES)]}"
            group = self.add_group(name, "project", "", topic=name)
            size = min(20, max(3, int(rng.triangular(3, 21, 6))))
            core = by_team[teams[rng.randrange(len(teams))]]
            chosen: list[SynthPerson] = []
            for person in rng.sample(core, min(len(core), max(2, size // 2))):
                chosen.append(person)
            while len(chosen) < size:
                person = self.people[rng.randrange(len(self.people))]
                if person not in chosen:
                    chosen.append(person)
            owners = [chosen[0]] + ([chosen[1]] if size > 8 and rng.random() < 0.5 else [])
            group.owners = [p.handle for p in owners]
            group.members = [p.handle for p in chosen]
            group.open = False
            group.description = project_description(action, target, rng)
            group.channels = {"chat": f"#{group.slug}"}
            if rng.random() < 0.4:
                group.channels["url"] = f"{WIKI}/projets/{group.slug}"
            if rng.random() < 0.6:
                group.meetings = meetings(rng)


# --- descriptions -----------------------------------------------------------------------------


def _split(total: int, weights: list[float], *, minimum: int, rng: random.Random, maximum: int | None = None) -> list[int]:
    """``total`` split in ``len(weights)`` parts roughly proportional to ``weights``, each within bounds."""
    count = len(weights)
    if total < minimum * count:
        raise ValueError(f"cannot split {total} into {count} parts of at least {minimum}")
    if maximum is not None and total > maximum * count:
        raise ValueError(f"cannot split {total} into {count} parts of at most {maximum}")
    scale = sum(weights)
    parts = [max(minimum, int(total * w / scale)) for w in weights]
    if maximum is not None:
        parts = [min(maximum, p) for p in parts]
    difference = total - sum(parts)
    while difference:
        index = rng.randrange(count)
        if difference > 0 and (maximum is None or parts[index] < maximum):
            parts[index] += 1
            difference -= 1
        elif difference < 0 and parts[index] > minimum:
            parts[index] -= 1
            difference += 1
    return parts


# --- the emitter ------------------------------------------------------------------------------


# --- entry point ------------------------------------------------------------------------------


def write_synthetic_directory(out: Path, people: int, seed: int = 0) -> SynthSummary:
    """Write a valid directory of ``people`` fictitious people under ``out``; the same seed gives the same bytes.

    ``out`` may exist, but its ``people/`` and ``groups/`` folders must hold no YAML file yet: the
    generator never deletes anything, and stale files would make the directory invalid.
    """
    if people < MIN_PEOPLE:
        raise ValueError(f"a synthetic organisation needs at least {MIN_PEOPLE} people")
    started = time.perf_counter()
    out = Path(out)
    for folder in (out / "people", out / "groups"):
        if folder.is_dir() and any(entry.suffix == ".yaml" for entry in folder.iterdir()):
            raise FileExistsError(Message("{folder} already holds YAML files; write the synthetic directory to an empty folder", folder=folder))
    taxonomy_text = TAXONOMY.read_bytes()
    taxonomy = yaml.safe_load(taxonomy_text.decode("utf-8")) or {}

    builder = _Builder(people, seed, taxonomy)
    builder.build_org()
    builder.fill_people()
    builder.build_groups()
    assert len(builder.people) == people, (len(builder.people), people)

    sites = [site for site, _, _, _ in SITES]
    admins = [builder.ceo.handle]
    hr = next((p for p in builder.people if p.domain is not None and p.domain.key == "people" and p.leader), None)
    if hr is not None:
        admins.append(hr.handle)

    for folder in (out / "people", out / "groups", out / "docs"):
        folder.mkdir(parents=True, exist_ok=True)
    # MkDocs needs docs/, and git keeps no empty folder: a clone of the directory builds too.
    (out / "docs" / ".gitkeep").write_bytes(b"")
    (out / "mkdocs.yml").write_bytes(mkdocs_yaml(people, sites, admins, seed).encode("utf-8"))
    (out / "skills.yaml").write_bytes(taxonomy_text)
    people_dir, groups_dir = out / "people", out / "groups"
    for person in builder.people:
        (people_dir / f"{person.handle}.yaml").write_bytes(person_yaml(person).encode("utf-8"))
    for group in builder.groups:
        (groups_dir / f"{group.slug}.yaml").write_bytes(group_yaml(group).encode("utf-8"))
    return SynthSummary(
        people=len(builder.people),
        groups=len(builder.groups),
        skills=len(taxonomy),
        files=len(builder.people) + len(builder.groups) + 3,  # mkdocs.yml, skills.yaml, docs/.gitkeep
        seconds=round(time.perf_counter() - started, 3),
    )
