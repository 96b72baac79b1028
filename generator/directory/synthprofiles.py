"""The synthetic organisation's profiles filled in: languages, contacts, skills with a long tail, what
people offer, seek and ask about, and a bio, each drawn from the builder's one random source.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from generator.directory.synthdata import (
    ASK_ME_ABOUT,
    COMPANY,
    DOMAIN,
    EXTRA_LANGUAGES,
    FIRST_DAY,
    FRENCH_CITY,
    HOBBIES,
    LAST_DAY,
    LEVEL_RANK,
    OFFERS,
    PREVIOUS,
    PROJECT_ACTIONS,
    PROJECT_OBJECTS,
    PRONOUNS,
    REMOTE,
    SEEKS,
    Domain,
)
from generator.directory.synthpeople import SENTENCES, Names, Picker, SynthGroup, SynthPerson, ascii_letters, slugify
from generator.directory.synthwords import (
    phone,
)


class Profiles:
    """The part of the builder (:class:`generator.directory.synth._Builder`) that fills in each person's profile."""

    rng: random.Random
    people: list[SynthPerson]
    skill_names: list[str]
    categories: dict[str, str]
    level_picker: Picker
    timezones: dict[str, str | None]
    _skill_pickers: dict[str, Picker]
    _skill_popularity: list[float]
    names: Names
    by_slug: dict[str, SynthGroup]
    ceo: SynthPerson

    def _zipf_skills(self) -> list[float]:
        order = list(range(len(self.skill_names)))
        self.rng.shuffle(order)
        popularity = [0.0] * len(order)
        for rank, index in enumerate(order):
            popularity[index] = 1.0 / (rank + 3) ** 1.05  # Zipf-Mandelbrot: a head, not a single winner
        return popularity

    def skill_picker(self, domain: Domain | None) -> Picker:
        """The skills of a trade's categories (all skills for ``None``), each with its Zipf popularity."""
        key = domain.key if domain else ""
        if key not in self._skill_pickers:
            wanted = set(domain.categories) if domain else set(self.categories.values())
            pairs = [(name, w) for name, w in zip(self.skill_names, self._skill_popularity, strict=True) if self.categories[name] in wanted]
            if not pairs:  # a taxonomy without these categories
                pairs = list(zip(self.skill_names, self._skill_popularity, strict=True))
            self._skill_pickers[key] = Picker([n for n, _ in pairs], [w for _, w in pairs])
        return self._skill_pickers[key]

    def fill_people(self) -> None:
        rng = self.rng
        span = (LAST_DAY - FIRST_DAY).days
        for person in self.people:
            # joined: leaders joined earlier, the company grew over time
            if person is not self.ceo:
                u = rng.random() ** (1.6 if person.leader else 0.55)
                person.joined = FIRST_DAY + timedelta(days=int(u * span))
            person.languages = self.languages(person)
            if person.location in ("London", "Berlin"):
                person.timezone = self.timezones[person.location]
            elif rng.random() < 0.06:
                person.timezone = "Europe/Paris"
            if rng.random() < 0.03:
                person.pronouns = PRONOUNS[rng.randrange(len(PRONOUNS))]
            self.contact(person)
            self.draw_skills(person)
            self.extras(person)
            person.lunch = rng.random() < 0.4
            if person.lunch and rng.random() < 0.04:
                person.snooze_until = date(2026, 11, 1) + timedelta(days=rng.randrange(150))
            person.hidden = rng.random() < 0.005

    def languages(self, person: SynthPerson) -> list[str]:
        rng = self.rng
        if person.location == "Berlin" and rng.random() < 0.7:
            spoken = ["de", "en"]
        elif person.location == "London" or not person.french:
            spoken = ["en"] + (["fr"] if rng.random() < 0.72 else [])
        else:
            spoken = ["fr"] + (["en"] if rng.random() < 0.78 else [])
        for code, probability in EXTRA_LANGUAGES:
            if rng.random() < probability and code not in spoken:
                spoken.append(code)
        if "fr" not in spoken and rng.random() < 0.5:
            spoken.append("fr")
        return spoken

    def contact(self, person: SynthPerson) -> None:
        rng = self.rng
        if person.company:
            domain = (slugify(person.company)[:30].strip("-") or "externe") + ".example"
            email = self.names.email(person, domain)
        else:
            email = self.names.email(person, DOMAIN)
        person.contact.append(("email", email, False))
        person.contact.append(("chat", f"@{person.handle}", False))
        if rng.random() < (person.domain.github if person.domain else 0.1):
            login = person.handle if rng.random() < 0.7 else f"{person.handle}-{rng.choice(('dev', 'gh', 'code'))}"
            person.contact.append(("github", login, False))
        else:
            # Everyone has a login (a profile without one is a warning); no draw, so the rest of
            # the organisation stays the same for a seed.
            person.contact.append(("gitlab", person.handle, False))
        if rng.random() < 0.2:
            person.contact.append(("phone", phone(person.location, rng), True))
        if rng.random() < 0.1:
            profile = f"{ascii_letters(person.first)}-{ascii_letters(person.last)}-{rng.randrange(100, 999)}"
            person.contact.append(("linkedin", f"https://linkedin.example/in/{profile}", False))

    def draw_skills(self, person: SynthPerson) -> None:
        rng = self.rng
        count = int(rng.triangular(3, 16, 6))
        count = min(15, max(3, count))
        leadership = [s for s in ("Leadership", "Management d'équipe") if s in self.categories] if person.leader else []
        trade, anything = self.skill_picker(person.domain), self.skill_picker(None)
        chosen: list[str] = list(leadership[: rng.randrange(len(leadership) + 1)]) if leadership else []
        seen = set(chosen)
        while len(chosen) < count:
            # mostly the skills of one's trade, some from anywhere (a developer who knows the business)
            name = (trade if rng.random() < 0.7 else anything)(rng)
            if name not in seen:
                seen.add(name)
                chosen.append(name)
        skills = [(name, self.level_picker(rng)) for name in chosen]
        skills.sort(key=lambda item: LEVEL_RANK[item[1]])
        person.skills = skills

    def extras(self, person: SynthPerson) -> None:
        rng = self.rng
        skill_names = [name for name, _ in person.skills]
        if rng.random() < 0.25:
            pool = [*ASK_ME_ABOUT, *skill_names[:3]]
            person.ask_me_about = rng.sample(pool, rng.randint(1, 3))
        if rng.random() < 0.2:
            pool = [*OFFERS, f"du mentorat {skill_names[0]}", f"une initiation à {skill_names[-1]}"]
            person.offers = rng.sample(pool, rng.randint(1, 2))
        if rng.random() < 0.12:
            pool = [*SEEKS, f"un binôme pour apprendre {rng.choice(self.skill_names)}"]
            person.seeks = rng.sample(pool, 1)
        if rng.random() < 0.55:
            person.interests = rng.sample(HOBBIES, rng.randint(1, 4))
        if rng.random() < 0.7:
            person.bio = self.bio(person)

    def bio(self, person: SynthPerson) -> str:
        rng = self.rng
        f = person.female
        team = self.by_slug[person.team] if person.team else None
        skills = [name for name, level in person.skills if level in ("expert", "advanced")] or [person.skills[0][0]]
        if "fr" not in person.languages[:2] and not person.french:
            sentences = [
                f"I joined {COMPANY} in {person.joined.year}" + (f" and work in the {team.topic} team." if team else "."),
                f"Before that I spent a few years {rng.choice(('in consulting', 'at a bank', 'in a start-up', 'in academia', 'at a software vendor'))}.",
                f"Ask me anything about {skills[0]}" + (f" or {skills[1]}." if len(skills) > 1 else "."),
                f"I work from {person.location}" + (" and come to Lyon every quarter." if person.location != "Lyon" else "."),
                "Happy to help newcomers find their way around.",
            ]
            if person.interests:
                sentences.append(f"Outside work: {', '.join(person.interests)}.")
        else:
            where = "en télétravail" if person.location == REMOTE else f"à {FRENCH_CITY.get(person.location, person.location)}"
            sentences = [
                (f"Arrivée chez {COMPANY} en {person.joined.year}" if f else f"Arrivé chez {COMPANY} en {person.joined.year}")
                + (f", je travaille dans l'équipe {team.topic}, {where}." if team else f", je travaille {where}."),
                f"Avant, j'ai travaillé {rng.choice(PREVIOUS)}.",
                f"Je m'occupe surtout de {skills[0]}" + (f" et de {skills[1]}." if len(skills) > 1 else "."),
                f"N'hésitez pas à me contacter pour parler de {skills[-1]}.",
                "J'accompagne volontiers les nouveaux arrivants, passez me voir !",
                f"Mon sujet du moment : {rng.choice(PROJECT_ACTIONS).lower()} {rng.choice(PROJECT_OBJECTS)}.",
                ("Je suis convaincue" if f else "Je suis convaincu") + " qu'une bonne documentation vaut mieux qu'une longue réunion.",
            ]
            if person.interests:
                sentences.append(f"En dehors du travail : {', '.join(person.interests)}.")
        count = min(SENTENCES(rng), len(sentences))
        kept = sorted(rng.sample(range(1, len(sentences)), count - 1))
        return " ".join(sentences[i] for i in [0, *kept])
