"""One count, one definition: the demo site's home, skills index, Sites page and site groups agree,
and its pages follow French typography (1er, U+202F before : ; ? !, the decimal comma)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from generator.engine.publish import build_site
from tests.conftest import REPO, read_page


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(REPO, tmp_path_factory.mktemp("demo") / "site")


def _text(site: Path, page: str) -> str:
    """What a reader reads on ``page``: its main content without tags, entities decoded, spaces joined."""
    markup = read_page(site / page)
    article = re.search(r"<article[^>]*>(.*)</article>", markup, re.DOTALL)
    # Scripts aside, and what the YAML says in its own words (a group's description is not the site's text).
    body = re.sub(
        r"<script.*?</script>|<style.*?</style>|<div class=\"?trombi-prose\"?>.*?</div>", " ", article.group(1) if article else markup, flags=re.DOTALL
    )
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def _number(text: str) -> int:
    return int(text.replace("\u202f", "").replace("\u00a0", ""))


def _demo_people() -> list[dict[str, object]]:
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((REPO / "people").glob("*.yaml"))]


def test_the_skills_count_is_the_same_on_the_home_page_and_the_skills_index(demo_site: Path) -> None:
    home = _text(demo_site, "index.html")
    index = _text(demo_site, "skills/index.html")
    (on_home,) = re.findall(r"(\d[\d\u202f]*) compétences\b(?! présentes)", home)[:1]
    (on_index,) = re.findall(r"(\d[\d\u202f]*) compétences présentes dans l’entreprise", index)
    taxonomy = yaml.safe_load((REPO / "skills.yaml").read_text(encoding="utf-8"))
    canonical = {alias.casefold(): name for name, entry in taxonomy.items() for alias in [name, *(entry.get("aliases") or [])]}
    held = {
        canonical[(entry if isinstance(entry, str) else entry["name"]).casefold()]
        for person in _demo_people()
        if person.get("search", "visible") == "visible"
        for entry in person.get("skills") or []  # type: ignore[attr-defined]
    }
    assert _number(on_home) == _number(on_index) == len(held) < len(taxonomy)
    # The skills nobody holds are listed apart and said to be so, with no "0" among the held ones.
    (unheld,) = re.findall(r"(\d+) autres compétences figurent dans la taxonomie sans que personne ne les ait encore\u202f:", index)
    assert int(unheld) == len(taxonomy) - len(held)
    counts = re.findall(r'class="?trombi-count"?>([^<]+)<', read_page(demo_site / "skills/index.html"))
    assert len(counts) == len(held) and "0" not in counts


def test_a_site_counts_the_same_people_on_the_sites_page_and_on_its_group_page(demo_site: Path) -> None:
    sites = read_page(demo_site / "org/locations/index.html")
    listed = dict(re.findall(r'<li><a href="?([^">\s]+)"?>[^<]+</a> <span class="?trombi-muted"?>(\d+) personnes?</span>', sites))
    lyon_href = next(href for href in listed if "site-lyon" in href)
    people = [person for person in _demo_people() if person.get("location") == "Lyon" and person.get("search", "visible") == "visible"]
    group = _text(demo_site, "groups/site-lyon/index.html")
    (members,) = re.findall(r"(\d+) membres", group)
    assert int(listed[lyon_href]) == int(members) == len(people)
    assert "Les membres d’un site sont les personnes dont le lieu de travail est Lyon" in group
    # The location's own page (kept for the links that lead there) says the same number.
    assert f"{len(people)} personnes travaillent ici" in _text(demo_site, "org/locations/lyon/index.html")
    # Every site with a group links to it from the Sites page, and the counts agree for each.
    for href, count in listed.items():
        if "groups/" in href:
            slug = href.rstrip("/").rsplit("/", 1)[-1]
            assert re.search(rf"\b{count} membres?\b", _text(demo_site, f"groups/{slug}/index.html")), slug


def test_the_built_site_follows_french_typography(demo_site: Path) -> None:
    skill = _text(demo_site, "skills/kubernetes/index.html")
    assert "Aussi appelé\u202f: " in skill and "Aussi appelé:" not in skill
    assert "1er mars 2019" in _text(demo_site, "people/jdupont/index.html")  # joined: 2019-03-01
    silos = read_page(demo_site / "network/silos/index.html")
    strengths = re.findall(r'data-label="?Force du lien"?>([^<]+)<', silos)
    assert strengths and all(re.fullmatch(r"\d+,\d", value) for value in strengths), strengths
    cells = re.findall(r">(\d+[.,]\d+)</text>", (demo_site / "network/silos.svg").read_text(encoding="utf-8"))
    assert cells and all("," in cell for cell in cells), cells
    for page in ("index.html", "skills/index.html", "people/jdupont/index.html", "groups/site-lyon/index.html", "404.html", "network/silos/index.html"):
        text = _text(demo_site, page)
        assert not re.search(r"\w[ \u00a0][:;?!](\s|$)", text), (page, re.findall(r".{30}\w[ \u00a0][:;?!](?:\s|$).{0,20}", text))


def test_the_404_page_has_a_labelled_search_box_and_says_why_someone_may_be_missing(demo_site: Path) -> None:
    page = read_page(demo_site / "404.html")
    assert re.search(r'<label for="?trombi-not-found-q"?>Chercher dans l’annuaire</label>', page)
    assert re.search(r'<input [^>]*id="?trombi-not-found-q"?', page) and 'action="/search/"' in page
    assert "cette personne a peut-être quitté l’entreprise ou changé d’identifiant\u202f: cherchez son nom, son équipe ou ses compétences" in page
