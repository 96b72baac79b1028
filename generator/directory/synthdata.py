"""The synthetic organisation's data tables: sites, languages, domains and their skills, names of
departments, projects, groups and the phrases profiles are written from. Data only:
:mod:`generator.directory.synth` draws from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator import PACKAGE

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


REPO = PACKAGE.resolve().parent


HOOK = REPO / "hooks" / "trombi.py"


TAXONOMY = REPO / "skills.yaml"
