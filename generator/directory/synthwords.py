"""What the synthetic organisation's groups and people say of themselves: descriptions of the company,
departments, teams, sites, groups and projects, meeting times and phone numbers.
"""

from __future__ import annotations

import random

from generator.directory.synthdata import (
    COMPANY,
    DAYS,
    DEPARTMENT_QUALIFIERS,
    TIMES,
    Domain,
)


def company_description(n: int) -> str:
    return (
        f"{COMPANY} est une entreprise fictive de {n:,} personnes".replace(",", " ")
        + ", générée pour tester et mesurer le trombinoscope. Elle conçoit des logiciels de billettique, de paiement et "
        "d'information voyageurs pour les réseaux de transport public."
    )


def department_name(domain: Domain, used: set[str], rng: random.Random) -> str:
    for base in domain.departments:
        if base not in used:
            used.add(base)
            return base
    base = domain.departments[rng.randrange(len(domain.departments))]
    for qualifier in rng.sample(DEPARTMENT_QUALIFIERS, len(DEPARTMENT_QUALIFIERS)):
        name = f"{base} {qualifier}"
        if name not in used:
            used.add(name)
            return name
    counter = 2
    while f"{base} {counter}" in used:
        counter += 1
    used.add(f"{base} {counter}")
    return f"{base} {counter}"


def department_description(name: str, domain: Domain) -> str:
    topics = ", ".join(domain.topics[:3])
    return f"Le département {name} regroupe les équipes qui travaillent notamment sur : {topics}. Ses principes et ses décisions sont sur le wiki."


def team_description(topic: str, department: str, rng: random.Random) -> str:
    openers = (
        f"L'équipe {topic} fait partie du département {department}.",
        f"Nous sommes l'équipe {topic}, rattachée au département {department}.",
        f"Équipe {topic} ({department}).",
    )
    closers = (
        "Nos rituels, notre feuille de route et nos astreintes sont sur le wiki.",
        "Pour une demande, passez par notre canal plutôt que par message privé.",
        "Nous accueillons volontiers des stagiaires et des alternants.",
        "",
    )
    return " ".join(part for part in (rng.choice(openers), rng.choice(closers)) if part)


def site_description(site: str) -> str:
    return f"Tout ce qui concerne le site de {site} : accès, badges, salles, livraisons et vie du bureau. Les annonces pratiques passent par le canal."


def open_group_description(kind: str, name: str, rng: random.Random) -> str:
    if kind == "interest":
        return f"{name} : on se retrouve régulièrement, tous niveaux, débutants bienvenus. Les rendez-vous sont annoncés sur le canal."
    return rng.choice(
        (
            f"{name} : partage d'expériences, veille et entraide. Un rendez-vous par mois, ouvert à toutes et à tous.",
            f"{name} : un lieu pour poser ses questions et partager ce qui marche. Débutants très bienvenus.",
        )
    )


def project_description(action: str, target: str, rng: random.Random) -> str:
    year = rng.choice((2026, 2027, 2028))
    when = rng.choice((f"fin {year}", f"l'été {year}", f"mi-{year}", f"le printemps {year}"))
    return f"{action} {target}, d'ici {when}. Groupe de travail restreint : le suivi est publié sur le wiki."


def meetings(rng: random.Random) -> dict[str, str]:
    meetings = {"every": rng.choice(("week", "two-weeks", "month", "month", "quarter"))}
    meetings["on"] = rng.choice(DAYS)
    meetings["at"] = rng.choice(TIMES)
    if rng.random() < 0.7:
        meetings["place"] = rng.choice(("En visio", "Lyon, salle Rhône", "Paris, salle Seine", "Nantes, salle Loire", "Sur le canal"))
    return meetings


def phone(location: str, rng: random.Random) -> str:
    digits = [f"{rng.randrange(100):02d}" for _ in range(4)]
    if location == "London":
        return f"+44 7700 9{digits[0]}{digits[1]}{digits[2][0]}"
    if location == "Berlin":
        return f"+49 151 {digits[0]}{digits[1]} {digits[2]}{digits[3]}"
    return f"+33 {rng.choice('67')} " + " ".join(digits)
