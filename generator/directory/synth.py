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

import json
import math
import random
import re
import time
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

import yaml
from faker import Faker

from generator import PACKAGE
from generator.directory.model import HANDLE_RE
from generator.problems import Message

REPO = PACKAGE.resolve().parent
HOOK = REPO / "hooks" / "trombi.py"
TAXONOMY = REPO / "skills.yaml"

COMPANY = "Synthétique"
DOMAIN = "synthetique.example"
WIKI = "https://wiki.synthetique.example"
PERSON_SCHEMA = "# yaml-language-server: $schema=../schemas/person.schema.json\n"
GROUP_SCHEMA = "# yaml-language-server: $schema=../schemas/group.schema.json\n"

MIN_PEOPLE = 20
FRENCH_SHARE = 0.8
FIRST_DAY = date(2005, 1, 3)
LAST_DAY = date(2026, 10, 30)

# site, weight for a person, weight as a team's home, time zone, phone prefix
SITES: tuple[tuple[str, int, int, str | None], ...] = (
    ("Lyon", 26, 28, None),
    ("Paris", 24, 26, None),
    ("Nantes", 9, 10, None),
    ("Bordeaux", 7, 8, None),
    ("Lille", 6, 7, None),
    ("Toulouse", 7, 8, None),
    ("London", 4, 5, "Europe/London"),
    ("Berlin", 3, 4, "Europe/Berlin"),
    ("Télétravail", 14, 0, None),
)
REMOTE = "Télétravail"
FRENCH_CITY = {"London": "Londres"}

# The long tail of languages after fr and en: ISO 639-1 code, probability for one person.
EXTRA_LANGUAGES: tuple[tuple[str, float], ...] = (
    ("es", 0.12), ("de", 0.07), ("it", 0.06), ("ar", 0.05), ("pt", 0.04), ("nl", 0.012), ("pl", 0.01),
    ("ro", 0.01), ("ca", 0.005), ("zh", 0.005), ("ru", 0.005), ("tr", 0.005), ("vi", 0.005), ("uk", 0.004),
    ("ja", 0.004), ("wo", 0.003), ("el", 0.003), ("ko", 0.002), ("hi", 0.002), ("br", 0.002), ("oc", 0.002),
    ("eu", 0.002), ("he", 0.001), ("sv", 0.001), ("fa", 0.001),
)  # fmt: skip
LEVEL_WEIGHTS = (("notions", 20), ("intermediate", 40), ("advanced", 28), ("expert", 12))
LEVEL_RANK = {"expert": 0, "advanced": 1, "intermediate": 2, "notions": 3}


@dataclass(frozen=True)
class SynthSummary:
    """What :func:`write_synthetic_directory` wrote, and how long it took."""

    people: int
    groups: int
    skills: int
    files: int
    seconds: float


# --- the departments' trades ------------------------------------------------------------------


@dataclass(frozen=True)
class Domain:
    key: str
    weight: int
    departments: tuple[str, ...]
    topics: tuple[str, ...]
    titles: tuple[tuple[str, str], ...]  # (masculine, feminine)
    english_titles: tuple[str, ...]
    lead: tuple[str, str]
    categories: tuple[str, ...]  # skill categories of skills.yaml this trade uses most
    github: float


DOMAINS: tuple[Domain, ...] = (
    Domain(
        "engineering", 30, ("Ingénierie", "Plateforme technique", "R&D"),
        ("Plateforme", "Paiements", "Billettique", "Applications mobiles", "Information voyageurs", "Identité", "Recherche",
         "Notifications", "Cartographie", "API partenaires", "Front web", "Outillage", "Fiabilité", "Calcul d'itinéraires",
         "Tarification", "Validation", "Back-office", "Intégrations", "Architecture", "Performances"),
        (("Développeur back-end", "Développeuse back-end"), ("Développeur front-end", "Développeuse front-end"),
         ("Développeur mobile", "Développeuse mobile"), ("Ingénieur logiciel", "Ingénieure logicielle"),
         ("Ingénieur DevOps", "Ingénieure DevOps"), ("Ingénieur SRE", "Ingénieure SRE"), ("Développeur full-stack", "Développeuse full-stack"),
         ("Ingénieur QA", "Ingénieure QA"), ("Architecte logiciel", "Architecte logicielle"), ("Ingénieur plateforme", "Ingénieure plateforme")),
        ("Software Engineer", "Backend Engineer", "Frontend Engineer", "Site Reliability Engineer", "Mobile Engineer"),
        ("Responsable d'équipe technique", "Responsable d'équipe technique"),
        ("Langages de programmation", "Back-end & architecture", "Front-end & mobile", "Cloud & infrastructure", "Qualité & test"),
        0.75,
    ),
    Domain(
        "product", 10, ("Produit", "Design & expérience"),
        ("Parcours d'achat", "Design system", "Recherche utilisateur", "Produit voyageurs", "Produit réseaux", "Accessibilité",
         "Contenus", "Croissance", "Onboarding", "Abonnements"),
        (("Chef de produit", "Cheffe de produit"), ("Product designer", "Product designer"), ("UX designer", "UX designer"),
         ("UX writer", "UX writer"), ("Product owner", "Product owner"), ("Chercheur UX", "Chercheuse UX")),
        ("Product Manager", "Product Designer", "UX Researcher"),
        ("Responsable produit", "Responsable produit"),
        ("Méthodes & produit", "Design & UX"),
        0.2,
    ),
    Domain(
        "sales", 12, ("Ventes", "Développement commercial", "Grands comptes"),
        ("Collectivités", "Opérateurs", "Grands comptes", "Avant-vente", "Appels d'offres", "Partenariats", "Export",
         "Renouvellements", "PME", "Nouveaux marchés"),
        (("Ingénieur commercial", "Ingénieure commerciale"), ("Chargé d'affaires", "Chargée d'affaires"),
         ("Ingénieur avant-vente", "Ingénieure avant-vente"), ("Responsable de compte", "Responsable de compte"),
         ("Chargé d'appels d'offres", "Chargée d'appels d'offres")),
        ("Account Executive", "Sales Engineer", "Key Account Manager"),
        ("Responsable commercial", "Responsable commerciale"),
        ("Métier transport", "Management & communication"),
        0.05,
    ),
    Domain(
        "operations", 10, ("Opérations", "Exploitation", "Déploiements"),
        ("Déploiements", "Exploitation réseaux", "Supervision", "Maintenance terrain", "Logistique", "Projets clients",
         "Paramétrage", "Formation clients", "Qualité de service", "Matériel embarqué"),
        (("Chef de projet déploiement", "Cheffe de projet déploiement"), ("Technicien d'exploitation", "Technicienne d'exploitation"),
         ("Chargé de paramétrage", "Chargée de paramétrage"), ("Formateur", "Formatrice"), ("Technicien terrain", "Technicienne terrain")),
        ("Deployment Manager", "Operations Engineer", "Field Technician"),
        ("Responsable des opérations", "Responsable des opérations"),
        ("Métier transport", "Méthodes & produit", "Cloud & infrastructure"),
        0.1,
    ),
    Domain(
        "data", 9, ("Data & IA", "Données"),
        ("Data engineering", "BI", "Prévision", "Data science", "Référentiels", "Temps réel", "Qualité des données", "MLOps"),
        (("Data engineer", "Data engineer"), ("Data scientist", "Data scientist"), ("Analyste BI", "Analyste BI"),
         ("Data analyst", "Data analyst"), ("Ingénieur machine learning", "Ingénieure machine learning")),
        ("Data Engineer", "Data Scientist", "Analytics Engineer"),
        ("Responsable data", "Responsable data"),
        ("Données & IA", "Langages de programmation"),
        0.6,
    ),
    Domain(
        "support", 9, ("Service client", "Support"),
        ("Support niveau 1", "Support niveau 2", "Relation voyageurs", "Réclamations", "Support réseaux", "Base de connaissances",
         "Centre d'appels", "Qualité support"),
        (("Conseiller client", "Conseillère clientèle"), ("Ingénieur support", "Ingénieure support"),
         ("Chargé de support", "Chargée de support"), ("Analyste support", "Analyste support")),
        ("Support Engineer", "Customer Success Manager"),
        ("Responsable support", "Responsable support"),
        ("Métier transport", "Management & communication", "Paiement & finance"),
        0.05,
    ),
    Domain(
        "finance", 6, ("Finance", "Achats & finance"),
        ("Comptabilité", "Contrôle de gestion", "Trésorerie", "Achats", "Facturation", "Paie", "Fiscalité"),
        (("Comptable", "Comptable"), ("Contrôleur de gestion", "Contrôleuse de gestion"), ("Acheteur", "Acheteuse"),
         ("Trésorier", "Trésorière"), ("Gestionnaire de paie", "Gestionnaire de paie")),
        ("Financial Controller", "Accountant", "Buyer"),
        ("Responsable financier", "Responsable financière"),
        ("Paiement & finance", "Management & communication"),
        0.02,
    ),
    Domain(
        "people", 5, ("Ressources humaines", "Talents & culture"),
        ("Recrutement", "Formation", "Développement RH", "Relations sociales", "Marque employeur", "Administration du personnel"),
        (("Chargé de recrutement", "Chargée de recrutement"), ("Responsable formation", "Responsable formation"),
         ("Chargé RH", "Chargée RH"), ("People partner", "People partner"), ("Gestionnaire RH", "Gestionnaire RH")),
        ("Talent Acquisition Partner", "People Partner"),
        ("Responsable RH", "Responsable RH"),
        ("Ressources humaines", "Management & communication"),
        0.02,
    ),
    Domain(
        "marketing", 5, ("Marketing", "Communication"),
        ("Marketing produit", "Communication", "Événements", "Contenus", "Acquisition", "Relations presse"),
        (("Chargé de communication", "Chargée de communication"), ("Chef de produit marketing", "Cheffe de produit marketing"),
         ("Rédacteur", "Rédactrice"), ("Chargé d'événements", "Chargée d'événements")),
        ("Product Marketing Manager", "Content Manager"),
        ("Responsable marketing", "Responsable marketing"),
        ("Management & communication", "Design & UX", "Méthodes & produit"),
        0.05,
    ),
    Domain(
        "security", 4, ("Sécurité", "Sécurité & conformité", "Juridique & conformité"),
        ("Sécurité applicative", "SOC", "Conformité", "Gouvernance", "Protection des données", "Juridique", "Risques"),
        (("Ingénieur sécurité", "Ingénieure sécurité"), ("Analyste SOC", "Analyste SOC"), ("Juriste", "Juriste"),
         ("Délégué à la protection des données", "Déléguée à la protection des données"), ("Pentesteur", "Pentesteuse")),
        ("Security Engineer", "Compliance Officer"),
        ("Responsable sécurité", "Responsable sécurité"),
        ("Sécurité", "Cloud & infrastructure"),
        0.5,
    ),
)  # fmt: skip
DEPARTMENT_QUALIFIERS = (
    "France", "Europe", "Grand public", "Entreprises", "Collectivités", "Île-de-France", "Nord", "Sud", "Ouest", "Est",
    "International", "Royaume-Uni", "Allemagne", "Benelux", "Péninsule ibérique", "Italie", "Amériques", "Afrique",
    "Moyen-Orient", "Asie-Pacifique", "Services", "Produits", "Solutions", "Innovation",
)  # fmt: skip
CODENAMES = (
    "Atlas", "Boréal", "Cassiopée", "Delta", "Éole", "Fénix", "Gaïa", "Hélix", "Iris", "Jade", "Kairos", "Lynx", "Mistral",
    "Nova", "Orion", "Pégase", "Quartz", "Rubis", "Sirius", "Titan", "Ulysse", "Véga", "Wapiti", "Xénon", "Yuzu", "Zéphyr",
    "Albatros", "Bison", "Colibri", "Dauphin", "Écureuil", "Faucon", "Gazelle", "Hérisson", "Ibis", "Jaguar", "Koala",
    "Loutre", "Manchot", "Narval", "Ocelot", "Panda", "Renard", "Saumon", "Tapir", "Vanneau",
)  # fmt: skip
POLE_NAMES = ("Alpha", "Bêta", "Gamma", "Delta", "Epsilon", "Zêta", "Êta", "Thêta", "Iota", "Kappa", "Lambda", "Mu", "Nu", "Xi", "Omicron", "Pi")

# --- open groups, projects, profiles ----------------------------------------------------------

COMMUNITIES = (
    "Accessibilité", "Écoconception", "Elles codent", "Parents", "Nouveaux arrivants", "Mentorat", "Prise de parole",
    "Open source", "Fiertés", "Handicap et inclusion", "Management", "Agilité", "Craft", "Produit", "Architecture",
    "Sécurité", "Données", "Astreintes", "Documentation", "Apprentis et stagiaires", "Alumni", "Mobilité douce",
    "Santé mentale", "Ambassadeurs RSE", "Formateurs internes",
)  # fmt: skip
CLUBS = (
    "Course à pied", "Club escalade", "Club photo", "Club lecture", "Jeux de société", "Club vélo", "Football", "Badminton",
    "Yoga", "Chorale", "Club cuisine", "Randonnée", "Échecs", "Jeux vidéo", "Musique", "Cinéma", "Jardinage", "Tricot",
    "Padel", "Basket", "Natation", "Club théâtre", "Œnologie", "Club langues", "Dessin", "Danse", "Pétanque", "Ping-pong",
    "Club astronomie", "Voile",
)  # fmt: skip
PROJECT_ACTIONS = (
    "Migration", "Refonte", "Lancement", "Audit", "Déploiement", "Modernisation", "Industrialisation", "Automatisation",
    "Ouverture", "Certification", "Internalisation", "Unification",
)  # fmt: skip
PROJECT_OBJECTS = (
    "Kubernetes", "du SIRH", "de la paie", "de l'appli mobile", "du data lake", "ISO 27001", "du site web", "de la facturation",
    "du CRM", "du support", "open payment", "des API", "billettique", "du back-office", "des valideurs", "de l'intranet",
    "RGPD", "du calcul d'itinéraires", "de la supervision", "des tableaux de bord", "du référentiel", "de l'annuaire",
    "de la téléphonie", "du parc", "des achats", "de la recette",
)  # fmt: skip
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "premier lundi", "premier jeudi", "dernier mardi", "dernier vendredi")
TIMES = ("09:30", "10:00", "11:00", "12:15", "12:30", "14:00", "16:00", "17:30", "18:30")
HOBBIES = (
    "escalade", "course à pied", "vélo", "photographie", "jeux de société", "cuisine", "randonnée", "lecture", "jazz",
    "piano", "guitare", "jardinage", "football", "rugby", "tennis", "natation", "voile", "yoga", "théâtre", "cinéma",
    "bande dessinée", "jeux vidéo", "couture", "échecs", "astronomie", "ski", "surf", "pâtisserie", "danse", "chant",
    "poterie", "trail", "bricolage", "histoire", "podcasts", "café de spécialité", "bénévolat", "apiculture", "origami",
    "handball", "badminton", "opéra", "voyages en train", "jeux de rôle", "menuiserie", "aquarelle", "pêche", "boxe",
)  # fmt: skip
ASK_ME_ABOUT = (
    "l'accueil des nouveaux", "les astreintes", "le télétravail", "les notes de frais", "la prise de parole", "nos clients",
    "l'histoire de l'entreprise", "les appels d'offres", "le mentorat", "les outils internes", "la mobilité interne",
    "l'alternance", "la conduite du changement", "nos réseaux de transport", "les entretiens annuels", "la sécurité",
)  # fmt: skip
OFFERS = (
    "un café avec les nouveaux", "relecture de CV", "relecture de code", "des cours d'anglais", "du mentorat",
    "relecture de présentations", "une visite du site", "de l'aide sur les tableurs", "des conseils de lecture",
    "un coup de main pour déménager", "des sessions de pair programming",
)  # fmt: skip
SEEKS = (
    "un mentor en management", "des partenaires de course à pied", "des retours sur mon side project", "un binôme pour une certification",
    "quelqu'un pour pratiquer l'anglais", "des idées de lecture", "un covoiturage", "des testeurs pour un prototype",
)  # fmt: skip
PREVIOUS = (
    "dix ans dans le conseil", "chez un opérateur de transport urbain", "dans une start-up", "à l'université", "dans la banque",
    "chez un éditeur de logiciels", "dans l'industrie automobile", "dans une collectivité", "dans le ferroviaire",
    "en freelance", "dans une agence web", "dans la grande distribution", "dans le secteur public", "à l'étranger",
)  # fmt: skip
PRONOUNS = ("elle", "il", "iel", "she/her", "he/him", "they/them")


# --- small text helpers -----------------------------------------------------------------------


_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]')
_NON_PRINTABLE = re.compile(r"[\x7f-\x9f\u2028\u2029\ufeff]")


def _q(text: str) -> str:
    """A double-quoted YAML scalar: JSON escaping is valid YAML; characters YAML may not show raw are escaped too."""
    if not _ESCAPE.search(text):
        return f'"{text}"'
    quoted = json.dumps(text, ensure_ascii=False)
    return _NON_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


@cache
def _ascii(text: str) -> str:
    """Lowercase ASCII letters and digits only: ``Benaïssa-Le Gall`` -> ``benaissalegall``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


@cache
def _slugify(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("&", " et ").replace("+", " plus "))
    out, dash = [], False
    for c in decomposed:
        if c.isascii() and c.isalnum():
            out.append(c.lower())
            dash = False
        elif not unicodedata.combining(c) and not dash and out:
            out.append("-")
            dash = True
    slug = "".join(out).strip("-")
    if len(slug) > 40:
        slug = slug[:40]
        slug = slug[: slug.rfind("-")] if "-" in slug[20:] else slug
    return slug.strip("-")


def _wrap(text: str, width: int = 98) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


def _block(key: str, text: str) -> str:
    """``key: |`` and the text wrapped at 100 columns; a double-quoted scalar if that would not be safe."""
    lines = _wrap(text)
    if lines and all(line.isprintable() for line in lines):
        return f"{key}: |\n" + "".join(f"  {line}\n" for line in lines)
    return f"{key}: {_q(text)}\n"


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(_q(value) for value in values) + "]"


class _Picker:
    """Weighted choice with precomputed cumulative weights: one random number per draw."""

    __slots__ = ("_cum", "_items", "_total")

    def __init__(self, items: list[Any] | tuple[Any, ...], weights: list[float] | tuple[float, ...]) -> None:
        self._items = list(items)
        self._cum = list(accumulate(weights))
        self._total = self._cum[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self._items[bisect_right(self._cum, rng.random() * self._total)]


_SENTENCES = _Picker((1, 2, 3, 4, 5), (15, 30, 30, 15, 10))  # sentences in a bio


class _Slugs:
    """Distinct slugs for groups: ``payments``, ``payments-2``..."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, name: str) -> str:
        base = _slugify(name) or "groupe"
        if len(base) < 2:
            base = f"groupe-{base}"
        slug, counter = base, 2
        while slug in self.taken:
            suffix = f"-{counter}"
            slug, counter = base[: 40 - len(suffix)].rstrip("-") + suffix, counter + 1
        self.taken.add(slug)
        return slug


# --- the organisation in memory ---------------------------------------------------------------


@dataclass(slots=True, eq=False)
class _Person:
    handle: str
    name: str
    first: str
    last: str
    female: bool
    french: bool
    title: str = ""
    team: str | None = None
    manager: str | None = None
    location: str = ""
    timezone: str | None = None
    languages: list[str] = field(default_factory=list)
    joined: date = FIRST_DAY
    kind: str = "employee"
    company: str | None = None
    pronouns: str | None = None
    contact: list[tuple[str, str, bool]] = field(default_factory=list)  # (kind, value, private)
    skills: list[tuple[str, str]] = field(default_factory=list)
    ask_me_about: list[str] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    seeks: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    lunch: bool = False
    snooze_until: date | None = None
    hidden: bool = False
    bio: str | None = None
    domain: Domain | None = None
    leader: bool = False


@dataclass(slots=True, eq=False)
class _Group:
    slug: str
    name: str
    type: str
    description: str
    parent: str | None = None
    owners: list[str] = field(default_factory=list)
    open: bool = True
    members: list[str] = field(default_factory=list)
    channels: dict[str, str] = field(default_factory=dict)
    meetings: dict[str, str] = field(default_factory=dict)
    topic: str = ""
    site: str | None = None


class _Names:
    """French and English names from Faker's tables, drawn with the generator's own random numbers."""

    def __init__(self, seed: int) -> None:
        fake = Faker(["fr_FR", "en_US"])
        fake.seed_instance(seed)
        self.fake = fake
        fr = fake["fr_FR"].provider("faker.providers.person")
        en = fake["en_US"].provider("faker.providers.person")
        self.tables: dict[bool, dict[str, _Picker]] = {}
        for french, provider in ((True, fr), (False, en)):
            self.tables[french] = {key: _table(getattr(provider, key)) for key in ("first_names_female", "first_names_male", "last_names")}
        self.taken: set[str] = {"true", "false", "null", "yes", "no", "on", "off"}
        self.emails: set[str] = set()

    def person(self, rng: random.Random) -> _Person:
        french = rng.random() < FRENCH_SHARE
        female = rng.random() < 0.5
        table = self.tables[french]
        first = table["first_names_female" if female else "first_names_male"](rng)
        last = table["last_names"](rng)
        if french and rng.random() < 0.04:
            other = table["last_names"](rng)
            if other != last:
                last = f"{last}-{other}"
        name = f"{first} {last}"
        handle = self._handle(first, last)
        return _Person(handle, name, first, last, female, french)

    def _handle(self, first: str, last: str) -> str:
        """``jdupont``; taken: ``jeanne-dupont``; taken: ``jdupont-2``, ``jdupont-3``..."""
        given, family = _ascii(first) or "x", _ascii(last) or "x"
        base = (given[0] + family)[:40]
        candidates = [base, f"{given}-{family}"[:40].rstrip("-")]
        for candidate in candidates:
            if candidate not in self.taken and HANDLE_RE.match(candidate):
                self.taken.add(candidate)
                return candidate
        counter = 2
        while True:
            suffix = f"-{counter}"
            candidate = base[: 40 - len(suffix)] + suffix
            if candidate not in self.taken and HANDLE_RE.match(candidate):
                self.taken.add(candidate)
                return candidate
            counter += 1

    def email(self, person: _Person, domain: str) -> str:
        local = f"{_ascii(person.first) or 'x'}.{_ascii(person.last) or 'x'}"
        address, counter = f"{local}@{domain}", 2
        while address in self.emails:
            address, counter = f"{local}{counter}@{domain}", counter + 1
        self.emails.add(address)
        return address


def _table(data: Any) -> _Picker:
    if isinstance(data, dict):
        return _Picker(list(data), list(data.values()))
    return _Picker(list(data), [1.0] * len(data))


class _Builder:
    def __init__(self, people: int, seed: int, taxonomy: dict[str, dict[str, Any]]) -> None:
        self.n = people
        self.rng = random.Random(seed)
        self.names = _Names(seed)
        self.slugs = _Slugs()
        self.people: list[_Person] = []
        self.groups: list[_Group] = []
        self.by_slug: dict[str, _Group] = {}
        self.skill_names = list(taxonomy)
        self.categories = {name: str(definition.get("category", "")) for name, definition in taxonomy.items()}
        self.site_picker = _Picker([s[0] for s in SITES], [s[1] for s in SITES])
        self.team_site_picker = _Picker([s[0] for s in SITES if s[2]], [s[2] for s in SITES if s[2]])
        self.timezones = {s[0]: s[3] for s in SITES}
        self.level_picker = _Picker([lv for lv, _ in LEVEL_WEIGHTS], [w for _, w in LEVEL_WEIGHTS])
        self.domain_picker = _Picker(list(DOMAINS), [d.weight for d in DOMAINS])
        self._skill_pickers: dict[str, _Picker] = {}
        self._topics: dict[str, list[str]] = {}
        self._skill_popularity = self._zipf_skills()

    # --- people ---------------------------------------------------------------------------

    def new_person(self, domain: Domain | None, *, leader: bool = False) -> _Person:
        person = self.names.person(self.rng)
        person.domain = domain
        person.leader = leader
        self.people.append(person)
        return person

    def title(self, person: _Person, pair: tuple[str, str]) -> str:
        return pair[1] if person.female else pair[0]

    # --- the org chart --------------------------------------------------------------------

    def build_org(self) -> None:
        rng = self.rng
        n_departments = max(2, round(self.n / 800))
        n_deputies = math.ceil(n_departments / 10) if n_departments > 12 else 0
        company = self.add_group(COMPANY, "company", _company_description(self.n), topic=COMPANY)
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
            name = _department_name(domain, used_names, rng)
            department = self.add_group(name, "department", _department_description(name, domain), parent=company.slug, topic=name)
            head = self.new_person(domain, leader=True)
            head.title = self.title(head, ("Directeur", "Directrice")) + " " + name
            head.manager = deputies[index * len(deputies) // n_departments].handle if deputies else ceo.handle
            head.location = rng.choice(("Lyon", "Paris", "Lyon", "Paris", self.team_site_picker(rng)))
            department.owners = [head.handle]
            self.build_department(department, head, domain, size)
        self.ceo = ceo

    def build_department(self, department: _Group, head: _Person, domain: Domain, size: int) -> None:
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
            team.description = _team_description(team.topic, department.name, rng)
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

    def member_title(self, person: _Person, domain: Domain) -> None:
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
    ) -> _Group:
        if unique_topic:
            base_topic = topic
            attempt = 0
            while _slugify(topic) in self.slugs.taken:
                attempt += 1
                codename = CODENAMES[self.rng.randrange(len(CODENAMES))]
                topic = f"{base_topic} {codename}" if attempt < 6 else f"{base_topic} {codename} {attempt}"
            name = f"Équipe {topic}"
            slug = self.slugs.claim(topic)
        else:
            slug = self.slugs.claim(slug or name)
        group = _Group(slug, name, type_, description, parent=parent, topic=topic)
        self.groups.append(group)
        self.by_slug[slug] = group
        return group

    # --- everything else about a person ---------------------------------------------------

    def _zipf_skills(self) -> list[float]:
        order = list(range(len(self.skill_names)))
        self.rng.shuffle(order)
        popularity = [0.0] * len(order)
        for rank, index in enumerate(order):
            popularity[index] = 1.0 / (rank + 3) ** 1.05  # Zipf-Mandelbrot: a head, not a single winner
        return popularity

    def skill_picker(self, domain: Domain | None) -> _Picker:
        """The skills of a trade's categories (all skills for ``None``), each with its Zipf popularity."""
        key = domain.key if domain else ""
        if key not in self._skill_pickers:
            wanted = set(domain.categories) if domain else set(self.categories.values())
            pairs = [(name, w) for name, w in zip(self.skill_names, self._skill_popularity, strict=True) if self.categories[name] in wanted]
            if not pairs:  # a taxonomy without these categories
                pairs = list(zip(self.skill_names, self._skill_popularity, strict=True))
            self._skill_pickers[key] = _Picker([n for n, _ in pairs], [w for _, w in pairs])
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

    def languages(self, person: _Person) -> list[str]:
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

    def contact(self, person: _Person) -> None:
        rng = self.rng
        if person.company:
            domain = (_slugify(person.company)[:30].strip("-") or "externe") + ".example"
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
            person.contact.append(("phone", _phone(person.location, rng), True))
        if rng.random() < 0.1:
            person.contact.append(("linkedin", f"https://linkedin.example/in/{_ascii(person.first)}-{_ascii(person.last)}-{rng.randrange(100, 999)}", False))

    def draw_skills(self, person: _Person) -> None:
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

    def extras(self, person: _Person) -> None:
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

    def bio(self, person: _Person) -> str:
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
        count = min(_SENTENCES(rng), len(sentences))
        kept = sorted(rng.sample(range(1, len(sentences)), count - 1))
        return " ".join(sentences[i] for i in [0, *kept])

    # --- open and closed groups -----------------------------------------------------------

    def build_groups(self) -> None:
        rng = self.rng
        budget = max(5, round(self.n / 150))
        by_site: dict[str, list[_Person]] = {}
        for person in self.people:
            by_site.setdefault(person.location, []).append(person)
        site_groups: dict[str, _Group] = {}
        for site, _, _, _ in SITES:
            if site == REMOTE or len(by_site.get(site, [])) < 12 or len(site_groups) >= max(1, budget // 3):
                continue
            group = self.add_group(f"Site de {FRENCH_CITY.get(site, site)}", "site", _site_description(site), topic=site, slug=f"site-{site}")
            group.site = site
            site_groups[site] = group
        open_groups = self.open_group_candidates(budget - len(site_groups))
        popularity = _Picker(open_groups, [1.0 / (rank + 1) ** 1.15 for rank in range(len(open_groups))])
        per_person = _Picker((0, 1, 2, 3, 4, 5, 6, 8), (25, 28, 20, 12, 7, 4, 2, 2))
        members: dict[str, list[_Person]] = {group.slug: [] for group in [*site_groups.values(), *open_groups]}
        for person in self.people:
            wanted: list[_Group] = []
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

    def open_group_candidates(self, count: int) -> list[_Group]:
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
            group.description = _open_group_description(kind, name, rng)
            group.channels = {"chat": f"#{group.slug}"}
            if rng.random() < 0.3:
                group.channels["mailing_list"] = f"{group.slug}@{DOMAIN}"
            if rng.random() < 0.2:
                group.channels["url"] = f"{WIKI}/{group.slug}"
            if rng.random() < 0.5:
                group.meetings = _meetings(rng)
            groups.append(group)
        # a few more generic themes would repeat names; count never exceeds the candidates for sane N
        return groups

    def build_projects(self) -> None:
        rng = self.rng
        count = max(2, round(self.n / 100))
        by_team: dict[str, list[_Person]] = {}
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
            chosen: list[_Person] = []
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
            group.description = _project_description(action, target, rng)
            group.channels = {"chat": f"#{group.slug}"}
            if rng.random() < 0.4:
                group.channels["url"] = f"{WIKI}/projets/{group.slug}"
            if rng.random() < 0.6:
                group.meetings = _meetings(rng)


# --- descriptions -----------------------------------------------------------------------------


def _company_description(n: int) -> str:
    return (
        f"{COMPANY} est une entreprise fictive de {n:,} personnes".replace(",", " ")
        + ", générée pour tester et mesurer le trombinoscope. Elle conçoit des logiciels de billettique, de paiement et "
        "d'information voyageurs pour les réseaux de transport public."
    )


def _department_name(domain: Domain, used: set[str], rng: random.Random) -> str:
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


def _department_description(name: str, domain: Domain) -> str:
    topics = ", ".join(domain.topics[:3])
    return f"Le département {name} regroupe les équipes qui travaillent notamment sur : {topics}. Ses principes et ses décisions sont sur le wiki."


def _team_description(topic: str, department: str, rng: random.Random) -> str:
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


def _site_description(site: str) -> str:
    return f"Tout ce qui concerne le site de {site} : accès, badges, salles, livraisons et vie du bureau. Les annonces pratiques passent par le canal."


def _open_group_description(kind: str, name: str, rng: random.Random) -> str:
    if kind == "interest":
        return f"{name} : on se retrouve régulièrement, tous niveaux, débutants bienvenus. Les rendez-vous sont annoncés sur le canal."
    return rng.choice(
        (
            f"{name} : partage d'expériences, veille et entraide. Un rendez-vous par mois, ouvert à toutes et à tous.",
            f"{name} : un lieu pour poser ses questions et partager ce qui marche. Débutants très bienvenus.",
        )
    )


def _project_description(action: str, target: str, rng: random.Random) -> str:
    year = rng.choice((2026, 2027, 2028))
    when = rng.choice((f"fin {year}", f"l'été {year}", f"mi-{year}", f"le printemps {year}"))
    return f"{action} {target}, d'ici {when}. Groupe de travail restreint : le suivi est publié sur le wiki."


def _meetings(rng: random.Random) -> dict[str, str]:
    meetings = {"every": rng.choice(("week", "two-weeks", "month", "month", "quarter"))}
    meetings["on"] = rng.choice(DAYS)
    meetings["at"] = rng.choice(TIMES)
    if rng.random() < 0.7:
        meetings["place"] = rng.choice(("En visio", "Lyon, salle Rhône", "Paris, salle Seine", "Nantes, salle Loire", "Sur le canal"))
    return meetings


def _phone(location: str, rng: random.Random) -> str:
    digits = [f"{rng.randrange(100):02d}" for _ in range(4)]
    if location == "London":
        return f"+44 7700 9{digits[0]}{digits[1]}{digits[2][0]}"
    if location == "Berlin":
        return f"+49 151 {digits[0]}{digits[1]} {digits[2]}{digits[3]}"
    return f"+33 {rng.choice('67')} " + " ".join(digits)


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


def _person_yaml(p: _Person) -> str:
    out = [PERSON_SCHEMA, f"name: {_q(p.name)}\n"]
    if p.pronouns:
        out.append(f"pronouns: {_q(p.pronouns)}\n")
    out.append(f"title: {_q(p.title)}\n")
    if p.team:
        out.append(f"team: {p.team}\n")
    if p.manager:
        out.append(f"manager: {p.manager}\n")
    out.append(f"location: {_q(p.location)}\n")
    if p.timezone:
        out.append(f"timezone: {p.timezone}\n")
    out.append(f"languages: [{', '.join(p.languages)}]\n")
    out.append(f"joined: {p.joined.isoformat()}\n")
    out.append(f"kind: {p.kind}\n")
    if p.company:
        out.append(f"company: {_q(p.company)}\n")
    out.append("contact:\n")
    for kind, value, private in p.contact:
        if private:
            out.append(f"  {kind}: {{value: {_q(value)}, visibility: private}}\n")
        else:
            out.append(f"  {kind}: {_q(value)}\n")
    out.append("skills:\n")
    for name, level in p.skills:
        out.append(f"  - {_q(name)}\n" if level == "intermediate" else f"  - {{name: {_q(name)}, level: {level}}}\n")
    for key in ("ask_me_about", "offers", "seeks", "interests"):
        values = getattr(p, key)
        if values:
            out.append(f"{key}: {_flow(values)}\n")
    if p.groups:
        out.append(f"groups: [{', '.join(p.groups)}]\n")
    if p.lunch:
        out.append("networking:\n  lunch: true\n")
        if p.snooze_until:
            out.append(f"  snooze_until: {p.snooze_until.isoformat()}\n")
    if p.hidden:
        out.append("search: hidden\n")
    if p.bio:
        out.append(_block("bio", p.bio))
    return "".join(out)


def _group_yaml(g: _Group) -> str:
    out = [GROUP_SCHEMA, f"name: {_q(g.name)}\n", f"type: {g.type}\n"]
    if g.description:
        out.append(_block("description", g.description))
    if g.parent:
        out.append(f"parent: {g.parent}\n")
    if g.owners:
        out.append(f"owners: [{', '.join(g.owners)}]\n")
    out.append(f"open: {'true' if g.open else 'false'}\n")
    if g.members:
        out.append(f"members: [{', '.join(g.members)}]\n")
    if g.channels:
        out.append("channels: {" + ", ".join(f"{key}: {_q(value)}" for key, value in g.channels.items()) + "}\n")
    if g.meetings:
        # "on" is quoted: YAML 1.1 tools would read a bare on as true.
        out.append(
            "meetings: {"
            + ", ".join(f"{_q(key) if key == 'on' else key}: {_q(value) if key != 'every' else value}" for key, value in g.meetings.items())
            + "}\n"
        )
    return "".join(out)


def _mkdocs_yaml(people: int, sites: list[str], admins: list[str], seed: int) -> str:
    count = f"{people:,}".replace(",", " ")
    return f"""\
# A synthetic directory written by generator/directory/synth.py (seed {seed}): {count} fictitious people, for
# tests and benchmarks. Regenerate it rather than editing it.
site_name: {_q(f"Synthétique ({count} personnes)")}
site_description: {_q(f"Un annuaire fictif de {count} personnes, généré pour les tests et les mesures.")}

{_demo_sections("theme", "hooks", "plugins", "markdown_extensions")}watch:
  - people
  - groups
  - skills.yaml

extra:
  trombi:
    sites: [{", ".join(_q(site) for site in sites)}]
    admins: [{", ".join(admins)}]
    stale_after_months: 12
"""


def _demo_sections(*keys: str) -> str:
    """The demo's own ``theme``, ``plugins`` and ``markdown_extensions`` blocks, so a synthetic site is built the same way.

    The ``hooks`` block is this repository's hook by absolute path: the synthetic directory lives elsewhere.
    """
    blocks: dict[str, str] = {}
    current = ""
    for line in (REPO / "mkdocs.yml").read_text(encoding="utf-8").splitlines(keepends=True):
        if line[:1].isalpha():  # a top-level key opens a block; comments and blank lines do not
            current = line.split(":", 1)[0]
            blocks[current] = line
        elif current and not line.startswith("#"):
            blocks[current] += line
    blocks["hooks"] = f"hooks:\n  - {_q(str(HOOK))}\n"
    return "".join(blocks[key].rstrip("\n") + "\n\n" for key in keys if key in blocks)


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
    (out / "mkdocs.yml").write_bytes(_mkdocs_yaml(people, sites, admins, seed).encode("utf-8"))
    (out / "skills.yaml").write_bytes(taxonomy_text)
    people_dir, groups_dir = out / "people", out / "groups"
    for person in builder.people:
        (people_dir / f"{person.handle}.yaml").write_bytes(_person_yaml(person).encode("utf-8"))
    for group in builder.groups:
        (groups_dir / f"{group.slug}.yaml").write_bytes(_group_yaml(group).encode("utf-8"))
    return SynthSummary(
        people=len(builder.people),
        groups=len(builder.groups),
        skills=len(taxonomy),
        files=len(builder.people) + len(builder.groups) + 2,
        seconds=round(time.perf_counter() - started, 3),
    )
