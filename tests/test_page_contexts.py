"""A page is given a page's worth: no page's context holds the whole company.

Every build that keeps pages weighs the context of every page it plans
(:func:`generator.build.incremental.context_of`) before it can tell which pages changed; what a
page reads of the directory is weighed once for all the pages that read it
(:mod:`generator.site.reads`). A page given the whole company (every lunch of a month, every stale
profile) made that weighing take as long as the rest of the build at 100,000 people.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from generator.directory.enrich import enrich
from generator.directory.settings import load_settings
from generator.directory.synth import write_synthetic_directory
from generator.directory.validate import valid_directory
from generator.history.git import Change, History
from generator.network.pairing import site_months
from generator.site.reads import weighed
from generator.site.render import Renderer

PEOPLE = 9_600
# Bytes weighed of one page's context: a page's worth of people, skill levels, lunches or seeks
# (200 seeks with three helpers each weigh 70 kB). At this size a month's every lunch weighed
# 122 kB on each of its pages, and the one page of profiles to refresh far more.
LARGEST = 100_000


def test_no_page_is_given_the_whole_company(tmp_path: Path) -> None:
    root = tmp_path / "directory"
    write_synthetic_directory(root, PEOPLE, seed=3)
    settings = load_settings(root)
    org = enrich(valid_directory(settings))
    today = date(2026, 1, 1)
    # Every profile last changed two years ago: all of them are to refresh, and listed so.
    changes = {f"{settings.people_dir}/{handle}.yaml": Change(datetime(2024, 1, 1, tzinfo=UTC), "a", "1") for handle in org.people}
    renderer = Renderer(org, today=today, history=History(changes=changes), lunches=site_months(org, {}, today))
    sizes = {planned.path: len(weighed(planned.context)) for planned in renderer.plan()}
    assert any(path.startswith("lunch/20") for path in sizes) and any(path.startswith("news/stale/page-") for path in sizes), "pages once given everyone"
    largest = sorted(sizes, key=sizes.__getitem__)[-3:]
    assert sizes[largest[-1]] <= LARGEST, [(path, sizes[path]) for path in largest]
