"""A profile in the browser: the local time beside the time zone, written in the page's language."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from generator.engine.publish import build_site
from tests.conftest import make_directory, write_config


def local_time(tab: Any) -> str:
    # Browsers' time formats write a narrow no-break space before AM/PM or a plain one, by version.
    return str(tab.text_content(".trombi-facts li:first-child .trombi-muted")).replace("\N{NARROW NO-BREAK SPACE}", " ")


def test_the_local_time_is_the_person_s_in_french(tab: Any, base: str) -> None:
    # 23:30 in Paris on a Thursday is 22:30 in Dublin: the same day, no weekday.
    tab.clock.set_fixed_time(datetime(2026, 1, 15, 22, 30, tzinfo=ZoneInfo("UTC")))
    tab.goto(f"{base}people/cobrien/")
    tab.wait_for_function("document.querySelector('[data-trombi-time]').textContent !== ''")
    assert local_time(tab) == "(Europe/Dublin, 22:30 heure locale)"


def test_another_day_there_is_named(page: Any, base: str) -> None:
    # The reader is in New York, where it is still Thursday evening; in Berlin it is Friday.
    context = page.context.browser.new_context(timezone_id="America/New_York")
    tab = context.new_page()
    try:
        tab.clock.set_fixed_time(datetime(2026, 1, 16, 0, 30, tzinfo=ZoneInfo("UTC")))
        tab.goto(f"{base}people/jschneider/")
        tab.wait_for_function("document.querySelector('[data-trombi-time]').textContent !== ''")
        assert local_time(tab) == "(Europe/Berlin, vendredi 01:30 heure locale)"
    finally:
        context.close()


def test_the_time_follows_the_clock(tab: Any, base: str) -> None:
    tab.clock.install(time=datetime(2026, 7, 1, 8, 0, tzinfo=ZoneInfo("UTC")))
    tab.goto(f"{base}people/cobrien/")
    tab.wait_for_function("document.querySelector('[data-trombi-time]').textContent !== ''")
    assert local_time(tab) == "(Europe/Dublin, 09:00 heure locale)"  # summer time
    tab.clock.run_for(61_000)
    assert local_time(tab) == "(Europe/Dublin, 09:01 heure locale)"


def test_without_javascript_the_zone_alone(browser: Any, base: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(f"{base}people/cobrien/")
        assert local_time(tab) == "(Europe/Dublin)"
    finally:
        context.close()


@pytest.fixture(scope="module")
def english_base(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> str:
    root = make_directory(tmp_path_factory.mktemp("english") / "d")
    write_config(root, language="en")
    dev = root / "people" / "dev.yaml"
    dev.write_text(re.sub(r"(?m)^location: .*$", "location: Lyon\ntimezone: Asia/Kolkata", dev.read_text(encoding="utf-8")), encoding="utf-8")
    return serve(build_site(root, root / "site"))


def test_in_english_the_time_is_english(page: Any, english_base: str) -> None:
    page.clock.set_fixed_time(datetime(2026, 1, 15, 8, 0, tzinfo=ZoneInfo("UTC")))
    page.goto(f"{english_base}people/dev/")
    page.wait_for_function("document.querySelector('[data-trombi-time]').textContent !== ''")
    assert local_time(page) == "(Asia/Kolkata, 1:30 PM local time)"
    assert page.errors == []
