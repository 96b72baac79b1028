"""People's cards written in Python (generator.site.cards) make the markup the Jinja macros made, and read what they read.

The macros below are those the templates had (their longest lines cut by empty comments; no
template gave ``people_cards`` levels), kept here as the cards' specification: the same handles,
in the same page, give the same bytes and the same queries (what a later build asks again to
know whether the page changed, generator.site.reads).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from generator.directory.enrich import Org, enrich
from generator.directory.settings import load_settings
from generator.directory.synth import write_synthetic_directory
from generator.directory.validate import valid_directory
from generator.site import reads
from generator.site.render import Renderer

TODAY = date(2026, 1, 1)

MACROS = """
{% macro avatar(handle, size="m") -%}
{%- set p = people[handle] -%}
{%- set class = "" if size == "m" else ' class="trombi-avatar trombi-avatar--' ~ size ~ '"' -%}
{%- if p.photo and p.photo.startswith("https://") -%}
<img alt=""{{ class|safe }} loading="lazy" src="{{ p.photo|url }}">
{%- elif p.photo -%}
<img alt=""{{ class|safe }} loading="lazy" src="{{ link(p.photo) }}">
{%- else -%}
{%- if size == "m" -%}
<i style="--h:{{ hue(handle) }}" data-i="{{ initials(p.name) }}"></i>
{%- else -%}
<i{{ class|safe }} style="--h:{{ hue(handle) }}" aria-hidden="true">{{ initials(p.name) }}</i>
{%- endif -%}
{%- endif -%}
{%- endmacro %}

{% macro external_badge(p) -%}
{%- if p.kind != "employee" -%}
<span class="trombi-badge trombi-badge--external">{{ kind_label(p.kind) }}{% if p.company %} · {{ p.company }}{% endif %}</span>
{%- endif -%}
{%- endmacro %}

{% macro level_badge(level, ignore=False) -%}
<b class="trombi-{{ level }}"{% if ignore %} data-pagefind-ignore="index"{% endif %}>{{ level_label(level) }}</b>
{%- endmacro %}

{% macro person_item(handle, note="", since=none, until=none) -%}
{%- set p = people[handle] -%}
<li{% if since and not_yet(since) %} data-trombi-from="{{ since.isoformat() }}" hidden{% endif %}{#
#}{% if until %} data-trombi-until="{{ until.isoformat() }}"{% endif %}>{{ avatar(handle) }}<a href="{{ link(person_url(handle)) }}">{{ p.name }}</a> {#
#}{{ external_badge(p) }}<small>{{ p.title }}{% if p.team and p.team in groups %} · {{ groups[p.team].name }}{% endif %}{#
#}{% if p.location %} · {{ p.location }}{% endif %}</small>{% if note %}{{ note }}{% endif %}</li>
{%- endmacro %}

{% macro people_cards(handles, levels=None) -%}
<div class="trombi-cards">
{% if handles %}
<ul>
{% for handle in handles %}
{{ person_item(handle, (" " ~ level_badge(levels[handle])) if levels else "") }}
{% endfor %}
</ul>
{% endif %}
</div>
{% endmacro %}
"""

# What a page asks of the helpers, once through the macros above and once through the renderer's own.
CALLS = """
{{- people_cards(handles) -}}|{{- people_cards([]) -}}|
{%- for handle in handles %}{{ person_item(handle) }}{{ person_item(handle, since=since, until=until) }}{{ person_item(handle, note=note) }}
{{- avatar(handle) }}{{ avatar(handle, "xl") }}{{ external_badge(people[handle]) }}{% endfor -%}
{%- for level in levels %}{{ level_badge(level) }}{{ level_badge(level, ignore=True) }}{% endfor -%}
"""


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Org:
    root = tmp_path_factory.mktemp("directory")
    write_synthetic_directory(root, 300, seed=7)
    org = enrich(valid_directory(load_settings(root)))
    # What the synthetic directory has none of: photos, on the site and elsewhere, and text to escape.
    handles = sorted(org.people)
    odd: list[dict[str, Any]] = [
        {"photo": 'https://photos.example/a b.jpg?size=2&x="y"'},
        {"photo": "assets/photos/ana.jpg"},
        {"photo": "assets/photos/ana.jpg#face"},
        {"name": 'Zoé "Zed" <Zeta> & Co', "title": "R&D <lead>", "location": 'Saint-Malo "port"'},
        {"kind": "contractor", "company": "Acme & <Fils>"},
        {"kind": "partner", "company": None},
        {"team": None, "location": None},
        {"team": "no-such-team"},
    ]
    for handle, change in zip(handles, odd, strict=False):
        org.people[handle] = org.people[handle].model_copy(update=change)
    return org


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("page_path", ["skills/python.md", "index.md", "people/ana.md", "org/locations/lyon.md"])
def test_the_cards_make_the_markup_and_the_reads_of_the_macros(org: Org, directory_urls: bool, page_path: str) -> None:
    if not directory_urls:
        settings = replace(org.directory.settings, raw={**org.directory.settings.raw, "use_directory_urls": False})
        org = replace(org, directory=replace(org.directory, settings=settings))
    renderer = Renderer(org, today=TODAY)
    assert renderer.settings.use_directory_urls is directory_urls
    handles = sorted(org.people)[:40]
    context = {
        "page_path": page_path,
        "handles": handles,
        "levels": ["notions", "intermediate", "advanced", "expert"],
        "since": TODAY + timedelta(days=3),
        "until": TODAY + timedelta(days=9),
        "note": "<b>not markup</b>",
    }

    def rendered(source: str) -> tuple[str, frozenset[reads.Query]]:
        reads.start()
        try:
            html = renderer.env.from_string(source).render(context)
        finally:
            found = reads.stop()
        return html, found

    by_macros, read_by_macros = rendered(MACROS + CALLS)
    by_macros = by_macros.removeprefix("\n" * MACROS.count("endmacro"))  # what is between the macros' definitions
    by_cards, read_by_cards = rendered(CALLS)
    assert by_cards == by_macros
    assert read_by_cards == read_by_macros
    assert "<img" in by_cards and "&amp;lt;Zeta" not in by_cards and "&lt;Zeta&gt;" in by_cards
    assert ' data-trombi-from="2026-01-04" hidden data-trombi-until="2026-01-10"' in by_cards
    assert ("call", "not_yet", context["since"]) in read_by_cards
